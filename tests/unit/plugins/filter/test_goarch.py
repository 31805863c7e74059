# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for the goarch filter: the collection's one architecture map."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.podnet.flannel.plugins.filter.goarch import goarch


@pytest.mark.parametrize('architecture, expected', [('x86_64', 'amd64'), ('aarch64', 'arm64'), ('arm64', 'arm64'), ('armv7l', 'arm'), ('s390x', 's390x')])
def test_known_architectures(architecture, expected):
    assert goarch(architecture) == expected


def test_unknown_architecture_gives_itself_or_the_default():
    assert goarch('mips64') == 'mips64'
    assert goarch('mips64', '') == ''


def test_refuses_what_is_not_a_name():
    with pytest.raises(AnsibleFilterError):
        goarch(None)
