# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""The etcd and flannel roles read their release checksum tables the same way (filter
podnet.flannel.release_checksum): keyed by architecture then version, rendered by Ansible's templar."""

from __future__ import annotations

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from role_vars import role_variables

A = 'sha256:' + 'a' * 64
B = 'sha256:' + 'b' * 64
# (role, the table's variable, the version's variable, an explicit checksum's variable)
ROLES = [
    ('etcd', 'etcd_release_checksums', 'etcd_version', 'etcd_checksum'),
    ('flannel', 'flannel_release_checksums', 'flannel_version', 'flannel_checksum'),
]


def expected_checksum(role, architecture='x86_64', **overrides):
    variables = role_variables(role)
    variables.update({'inventory_hostname': 'node1', 'ansible_facts': {'architecture': architecture}})
    variables.update(overrides)
    return Templar(loader=DataLoader(), variables=variables).template(variables['__%s_expected_checksum' % role])


@pytest.mark.parametrize('role, table, version, explicit', ROLES)
def test_both_roles_read_architecture_then_version(role, table, version, explicit):
    checksums = {'amd64': {'9.9.9': A}, 'arm64': {'9.9.9': B}}
    assert expected_checksum(role, **{table: checksums, version: '9.9.9'}) == A
    assert expected_checksum(role, 'aarch64', **{table: checksums, version: '9.9.9'}) == B
    assert expected_checksum(role, 's390x', **{table: checksums, version: '9.9.9'}) == ''
    assert expected_checksum(role, **{table: checksums, version: '9.9.8'}) == ''
    assert expected_checksum(role, **{table: checksums, version: '9.9.9', explicit: 'sha256:' + 'c' * 64}) == 'sha256:' + 'c' * 64


def test_etcd_default_table():
    assert expected_checksum('etcd', etcd_version='3.6.14') == 'sha256:ffe840ff9295808e88cce2794a18a5ac87f12a5203c8314d0bf6aa119b41bac5'
    assert expected_checksum('etcd', 'aarch64', etcd_version='3.5.21') == 'sha256:95bf6918623a097c0385b96f139d90248614485e781ec9bee4768dbb6c79c53f'
    assert expected_checksum('etcd', etcd_version='3.4.0') == ''
