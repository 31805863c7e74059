# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for the service_package_info module over a fake run_command and PATH."""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.podnet.flannel.plugins.modules import service_package_info

SHOW_TWO = 'LoadState=loaded\nActiveState=active\nUnitFileState=enabled\n\nLoadState=not-found\nActiveState=inactive\nUnitFileState=\n'


class FakeHost:
    """What run_command and get_bin_path see on a host with Docker installed and running."""

    def __init__(self, monkeypatch, bins=('systemctl', 'dpkg-query', 'dockerd', 'docker')):
        self.calls = []
        self.bins = set(bins)
        monkeypatch.setattr(AnsibleModule, 'get_bin_path', lambda module, name, *a, **k: '/usr/bin/' + name if name in self.bins else None)
        monkeypatch.setattr(AnsibleModule, 'run_command', lambda module, argv, *a, **k: self.run(argv))

    def run(self, argv):
        self.calls.append(argv)
        assert isinstance(argv, list)
        name = argv[0].rsplit('/', 1)[-1]
        if name == 'systemctl':
            return 0, SHOW_TWO, ''
        if name == 'dpkg-query':
            assert argv[2] == '-f=${Package}\\t${db:Status-Abbrev}\\t${Version}\\n'
            return 1, 'docker.io\tii \t26.1.5+dfsg1-9\n', 'dpkg-query: no packages found matching python3-docker\n'
        if name == 'dockerd':
            return 0, 'Docker version 26.1.5+dfsg1, build a72d7cd\n', ''
        raise AssertionError(argv)


def test_module_reads_everything_in_one_call_each(monkeypatch, run_module):
    host = FakeHost(monkeypatch)
    args = {'units': ['docker.service', 'nope.service'], 'packages': ['docker.io', 'python3-docker'], 'commands': ['docker', 'podman'], 'versions': ['dockerd']}
    result = run_module(service_package_info, args, check_mode=True)
    assert result['changed'] is False
    assert result['units']['docker.service']['ActiveState'] == 'active'
    assert result['units']['nope.service']['LoadState'] == 'not-found'
    assert (result['packages_installed'], result['packages_missing']) == (['docker.io'], ['python3-docker'])
    assert result['commands'] == {'docker': '/usr/bin/docker', 'podman': ''}
    assert result['versions']['dockerd'] == {'found': True, 'output': 'Docker version 26.1.5+dfsg1, build a72d7cd', 'version': '26.1.5'}
    assert [argv[0] for argv in host.calls] == ['/usr/bin/dpkg-query', '/usr/bin/systemctl', '/usr/bin/dockerd']
    assert host.calls[1] == ['/usr/bin/systemctl', 'show', '-p', 'LoadState', '-p', 'ActiveState', '-p', 'UnitFileState', 'docker.service', 'nope.service']


def test_module_on_a_bare_host_runs_nothing(monkeypatch, run_module):
    host = FakeHost(monkeypatch, bins=())
    result = run_module(service_package_info, {'units': ['etcd.service'], 'packages': ['etcd-server'], 'versions': ['dockerd']})
    assert result['units'] == {'etcd.service': {}}
    assert result['packages_missing'] == ['etcd-server']
    assert result['versions']['dockerd']['found'] is False
    assert host.calls == []


def test_module_asks_nothing_when_given_nothing(monkeypatch, run_module):
    host = FakeHost(monkeypatch)
    result = run_module(service_package_info, {})
    assert (result['units'], result['packages'], result['packages_missing'], result['commands'], result['versions']) == ({}, {}, [], {}, {})
    assert host.calls == []


def test_module_refuses_an_option_as_a_name(monkeypatch, run_module):
    FakeHost(monkeypatch)
    result = run_module(service_package_info, {'packages': ['--admindir=/tmp']})
    assert result['failed'] is True and 'packages' in result['msg']
