# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests for go_sumdb_skipped: which `go env` settings skip the checksum database for a module."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.podnet.flannel.plugins.filter.go_sumdb_skipped import go_sumdb_skipped, match_prefix_patterns

MOD = 'github.com/flannel-io/flannel'
DEFAULT = {'GOSUMDB': 'sum.golang.org', 'GONOSUMDB': '', 'GOPRIVATE': ''}


def env(**kw):
    out = dict(DEFAULT)
    out.update(kw)
    return out


def test_default_settings_verify():
    assert go_sumdb_skipped(DEFAULT, MOD) == []


def test_another_checksum_database_still_verifies():
    assert go_sumdb_skipped(env(GOSUMDB='sum.golang.google.cn'), MOD) == []


def test_sumdb_off():
    assert go_sumdb_skipped(env(GOSUMDB='off'), MOD) == ['GOSUMDB=off']


@pytest.mark.parametrize(
    'pattern',
    [
        'github.com/flannel-io',
        'github.com/flannel-io/',
        'github.com/*',
        '*.com/flannel-io/flannel',
        'corp.example.com,github.com/flannel-*',
        ' github.com ',
        'github.com/flannel-io/flannel',
        'github.com/[^x]lannel-io',
    ],
)
def test_gonosumdb_pattern_that_covers_the_module(pattern):
    assert go_sumdb_skipped(env(GONOSUMDB=pattern), MOD) == ['GONOSUMDB=' + pattern]


@pytest.mark.parametrize(
    'pattern',
    [
        'corp.example.com',
        'github.com/flannel',
        'github.com/flannel-io/flannel/pkg',
        'gitlab.com/*',
        'github.com/flannel-io/flannel/*',
        ',,',
        'github.com/[^f]lannel-io',
    ],
)
def test_gonosumdb_pattern_that_does_not(pattern):
    assert go_sumdb_skipped(env(GONOSUMDB=pattern), MOD) == []


def test_goprivate_counts_when_gonosumdb_is_unset():
    assert go_sumdb_skipped(env(GOPRIVATE='github.com/flannel-io'), MOD) == ['GOPRIVATE=github.com/flannel-io']


def test_gonosumdb_replaces_goprivate():
    # GONOSUMDB set: GOPRIVATE no longer decides what skips the checksum database.
    assert go_sumdb_skipped(env(GOPRIVATE='github.com/flannel-io', GONOSUMDB='corp.example.com'), MOD) == []


def test_both_reasons():
    assert go_sumdb_skipped(env(GOSUMDB='off', GONOSUMDB='github.com'), MOD) == ['GOSUMDB=off', 'GONOSUMDB=github.com']


def test_missing_keys_mean_defaults():
    assert go_sumdb_skipped({}, MOD) == []


def test_star_does_not_span_elements():
    # A whole-string glob would match; Go compares one pattern element with one path element.
    assert not match_prefix_patterns('github*flannel-io', MOD)
    assert match_prefix_patterns('github.com/*', MOD)


@pytest.mark.parametrize('args', [(None, MOD), ('x', MOD), (DEFAULT, ''), (DEFAULT, None)])
def test_bad_arguments(args):
    with pytest.raises(AnsibleFilterError):
        go_sumdb_skipped(*args)
