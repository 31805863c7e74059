# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for the link module over a fake `ip` and /sys/class/net."""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.podnet.flannel.plugins.module_utils import linux_net
from ansible_collections.podnet.flannel.plugins.modules import link


def fake_node(monkeypatch, links):
    present = set(links)
    calls = []

    def run_command(module, argv, *args, **kwargs):
        calls.append(argv)
        present.discard(argv[-1])
        return 0, '', ''

    monkeypatch.setattr(linux_net, 'device_exists', lambda name: name in present)
    monkeypatch.setattr(AnsibleModule, 'get_bin_path', lambda module, name, *a, **k: '/usr/sbin/' + name)
    monkeypatch.setattr(AnsibleModule, 'run_command', run_command)
    return present, calls


def test_removes_existing_devices_with_diff(monkeypatch, run_module):
    present, calls = fake_node(monkeypatch, ['flannel.1'])
    result = run_module(link, {'name': ['flannel.1', 'flannel-v6.1']}, diff=True)
    assert result['changed'] is True and result['removed'] == ['flannel.1']
    assert result['diff'] == {'before': {'links': ['flannel.1']}, 'after': {'links': []}}
    assert calls == [['/usr/sbin/ip', 'link', 'delete', 'dev', 'flannel.1']] and present == set()


def test_nothing_to_remove_is_no_change(monkeypatch, run_module):
    dummy, calls = fake_node(monkeypatch, [])
    result = run_module(link, {'name': ['docker0']})
    assert result['changed'] is False and result['removed'] == [] and calls == []


def test_check_mode_reports_without_removing(monkeypatch, run_module):
    present, calls = fake_node(monkeypatch, ['docker0'])
    result = run_module(link, {'name': ['docker0']}, check_mode=True)
    assert result['changed'] is True and calls == [] and present == {'docker0'}


def test_refuses_a_path_as_a_name(monkeypatch, run_module):
    fake_node(monkeypatch, [])
    result = run_module(link, {'name': ['../eth0']})
    assert result['failed'] is True and 'name' in result['msg']
