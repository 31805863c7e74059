# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for host_state's parsers: systemctl show, dpkg-query, --version."""

from __future__ import annotations

import pytest
from ansible_collections.podnet.flannel.plugins.module_utils import host_state

SHOW_TWO = 'LoadState=loaded\nActiveState=active\nUnitFileState=enabled\n\nLoadState=not-found\nActiveState=inactive\nUnitFileState=\n'


def test_systemctl_show_one_block_per_unit_in_order():
    units = host_state.parse_systemctl_show(SHOW_TWO, ['docker.service', 'nope.service'])
    assert units == {
        'docker.service': {'LoadState': 'loaded', 'ActiveState': 'active', 'UnitFileState': 'enabled'},
        'nope.service': {'LoadState': 'not-found', 'ActiveState': 'inactive', 'UnitFileState': ''},
    }


def test_systemctl_show_keeps_equals_in_values_and_skips_noise():
    text = 'LoadState=loaded\nExecStart={ path=/usr/bin/etcd ; argv[]=/usr/bin/etcd }\nnot a property\n'
    assert host_state.parse_systemctl_show(text, ['etcd.service'])['etcd.service'] == {
        'LoadState': 'loaded',
        'ExecStart': '{ path=/usr/bin/etcd ; argv[]=/usr/bin/etcd }',
    }


def test_systemctl_show_without_output_gives_empty_states():
    assert host_state.parse_systemctl_show('', ['a.service', 'b.service']) == {'a.service': {}, 'b.service': {}}


def test_dpkg_query_installed_half_installed_and_unknown():
    text = 'etcd-server\tii \t3.5.16-4\netcd-client\trc \t3.5.16-4\ndocker.io\tiU \t26.1.5\n'
    packages = host_state.parse_dpkg_query(text, ['etcd-server', 'etcd-client', 'docker.io', 'nope'])
    assert packages['etcd-server'] == {'installed': True, 'status': 'ii', 'version': '3.5.16-4'}
    assert packages['etcd-client'] == {'installed': False, 'status': 'rc', 'version': '3.5.16-4'}
    assert packages['docker.io']['installed'] is False
    assert packages['nope'] == {'installed': False, 'status': '', 'version': ''}


def test_dpkg_query_ignores_lines_of_another_shape():
    assert host_state.parse_dpkg_query('dpkg-query: no packages found matching x\n', ['x'])['x']['installed'] is False


@pytest.mark.parametrize(
    'text, found, version',
    [
        ('Docker version 26.1.5+dfsg1, build a72d7cd\n', True, '26.1.5'),
        ('Docker version 28.5.2, build ecc6942', True, '28.5.2'),
        ('Docker version 20.10', True, ''),
        ('', False, ''),
        ('usage: dockerd\n', False, ''),
    ],
)
def test_version_output(text, found, version):
    result = host_state.parse_version_output(text)
    assert (result['found'], result['version']) == (found, version)
    assert result['output'] == text.strip()
