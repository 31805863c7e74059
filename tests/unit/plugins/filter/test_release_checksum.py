# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for the release_checksum filter: one key order (architecture, then version) for the
etcd and flannel checksum tables, the former flannel order read with a deprecation warning."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.podnet.flannel.plugins.filter import release_checksum as rc

A = 'sha256:' + 'a' * 64
B = 'sha256:' + 'b' * 64
C = 'sha256:' + 'c' * 64
NEW = {'amd64': {'v0.28.10': A, 'v0.27.4': C}, 'arm64': {'v0.28.10': B}}
OLD = {'v0.28.10': {'amd64': A, 'arm64': B}, 'v0.27.4': {'amd64': C}}
ETCD = {'amd64': {'3.6.14': A, '3.5.22': C}, 'arm64': {'3.6.14': B}}


@pytest.fixture
def display(monkeypatch):
    """The Display the filter warns through, replaced by a mock that records the calls."""
    fake = mock.MagicMock()
    monkeypatch.setattr(rc, 'display', fake)
    return fake


@pytest.mark.parametrize(
    'table, version, arch, expected',
    [
        (NEW, 'v0.28.10', 'amd64', A),
        (NEW, 'v0.28.10', 'arm64', B),
        (NEW, 'v0.27.4', 'amd64', C),
        (ETCD, '3.6.14', 'arm64', B),
        (ETCD, '3.5.22', 'amd64', C),
    ],
)
def test_architecture_then_version(display, table, version, arch, expected):
    assert rc.release_checksum(table, version, arch, 'flannel_release_checksums') == expected
    display.deprecated.assert_not_called()


@pytest.mark.parametrize(
    'table, version, arch',
    [
        ({}, 'v0.28.10', 'amd64'),
        (NEW, 'v0.29.0', 'amd64'),  # version missing
        (NEW, 'v0.27.4', 'arm64'),  # version missing on this architecture
        (NEW, 'v0.28.10', 's390x'),  # architecture missing
        ({'amd64': {}}, 'v0.28.10', 'amd64'),
        ({'amd64': {'v0.28.10': None}}, 'v0.28.10', 'amd64'),
    ],
)
def test_none_known_gives_empty(display, table, version, arch):
    assert rc.release_checksum(table, version, arch, 'flannel_release_checksums') == ''
    display.deprecated.assert_not_called()


def test_keys_yaml_read_as_numbers():
    # `3.6: ...` in YAML is a float key; the version asked for is a string.
    assert rc.release_checksum({'amd64': {3.6: A}}, '3.6', 'amd64', 'etcd_release_checksums') == A


@pytest.mark.parametrize(
    'version, arch, expected',
    [('v0.28.10', 'amd64', A), ('v0.28.10', 'arm64', B), ('v0.27.4', 'amd64', C), ('v0.27.4', 'arm64', ''), ('v0.29.0', 'amd64', '')],
)
def test_version_then_architecture_still_read_with_a_deprecation(display, version, arch, expected):
    assert rc.release_checksum(OLD, version, arch, 'flannel_release_checksums') == expected
    display.deprecated.assert_called_once()
    args, kwargs = display.deprecated.call_args
    msg = args[0] if args else kwargs['msg']
    assert kwargs['collection_name'] == 'podnet.flannel'
    assert kwargs['version'] == '1.0.0'
    assert msg.startswith('flannel_release_checksums is keyed by version then architecture')
    # The table rewritten, architecture first, as the user can paste it.
    rewritten = json.loads(msg.split('Rewritten: flannel_release_checksums: ', 1)[1])
    assert rewritten == {'amd64': {'v0.28.10': A, 'v0.27.4': C}, 'arm64': {'v0.28.10': B}}


@pytest.mark.parametrize('key', ['v0.28.10', 'v1', '3.6.14', '3.6'])
def test_version_keys(display, key):
    assert rc.release_checksum({key: {'amd64': A}}, key, 'amd64', 'flannel_release_checksums') == A
    display.deprecated.assert_called_once()


@pytest.mark.parametrize('key', ['amd64', 'arm64', 'arm', '386', 'ppc64le', 's390x', 'riscv64'])
def test_architecture_keys_are_not_versions(display, key):
    assert rc.release_checksum({key: {'v0.28.10': A}}, 'v0.28.10', key, 'flannel_release_checksums') == A
    display.deprecated.assert_not_called()


@pytest.mark.parametrize('table', [None, [], 'sha256:abc', 3])
def test_table_not_a_mapping(display, table):
    with pytest.raises(AnsibleFilterError, match='^flannel_release_checksums: expected a mapping of architecture'):
        rc.release_checksum(table, 'v0.28.10', 'amd64', 'flannel_release_checksums')


@pytest.mark.parametrize(
    'table, match',
    [
        ({'amd64': 'sha256:abc'}, r'^etcd_release_checksums: the entry of architecture amd64 must be a mapping of version'),
        ({'amd64': {'3.6.14': A}, 'arm64': ['3.6.14']}, r'^etcd_release_checksums: the entry of architecture arm64 must be a mapping'),
        ({'3.6.14': None}, r'^etcd_release_checksums: the entry of version 3\.6\.14 must be a mapping of architecture'),
        ({'amd64': {'3.6.14': 123}}, r'^etcd_release_checksums: the checksum of 3\.6\.14 on amd64 must be a string'),
        ({'amd64': {'3.6.14': A}, '3.6.13': {'amd64': B}}, r'^etcd_release_checksums: top-level keys must all be architectures.*3\.6\.13'),
    ],
)
def test_bad_entries_name_the_variable(display, table, match):
    with pytest.raises(AnsibleFilterError, match=match):
        rc.release_checksum(table, '3.6.14', 'amd64', 'etcd_release_checksums')
    display.deprecated.assert_not_called()


def test_registered_as_release_checksum():
    assert rc.FilterModule().filters() == {'release_checksum': rc.release_checksum}
