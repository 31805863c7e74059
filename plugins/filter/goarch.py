# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""goarch: the collection's one map from a host's architecture (ansible_facts.architecture, as
`uname -m` prints it) to Go's GOARCH, which is also the architecture suffix of the etcd and
flannel release assets. The etcd and flannel roles both use it."""

from __future__ import annotations

from typing import Any, Optional

from ansible.errors import AnsibleFilterError

GOARCH = {
    'x86_64': 'amd64',
    'aarch64': 'arm64',
    'arm64': 'arm64',
    'armv7l': 'arm',
    'ppc64le': 'ppc64le',
    's390x': 's390x',
    'riscv64': 'riscv64',
}


def goarch(architecture: Any, default: Optional[str] = None) -> str:
    """GOARCH of `architecture`; an architecture not in the map gives `default`, or itself when none is given."""
    if not isinstance(architecture, str):
        raise AnsibleFilterError('goarch: expects an architecture name such as x86_64, got %r' % (architecture,))
    if architecture in GOARCH:
        return GOARCH[architecture]
    return architecture if default is None else default


class FilterModule:
    def filters(self):
        return {'goarch': goarch}
