# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for route_info's devices option over a fake `ip -j addr show`."""

from __future__ import annotations

import json

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.podnet.flannel.plugins.module_utils import linux_net
from ansible_collections.podnet.flannel.plugins.modules import route_info

ADDRS = [
    {
        'ifname': 'docker0',
        'addr_info': [
            {'family': 'inet', 'local': '10.244.5.1', 'prefixlen': 24, 'scope': 'global'},
            {'family': 'inet6', 'local': 'fd00:10:244:5::1', 'prefixlen': 80, 'scope': 'global'},
            {'family': 'inet6', 'local': 'fe80::1', 'prefixlen': 64, 'scope': 'link'},
        ],
    }
]


def fake_node(monkeypatch):
    calls = []

    def run_command(module, argv, *args, **kwargs):
        calls.append(argv)
        return 0, json.dumps(ADDRS), ''

    monkeypatch.setattr(linux_net, 'read_routes', lambda: [])
    monkeypatch.setattr(AnsibleModule, 'get_bin_path', lambda module, name, *a, **k: '/usr/sbin/' + name)
    monkeypatch.setattr(AnsibleModule, 'run_command', run_command)
    return calls


def test_devices_addresses_in_one_call(monkeypatch, run_module):
    calls = fake_node(monkeypatch)
    result = run_module(route_info, {'devices': ['docker0', 'flannel.1']}, check_mode=True)
    assert result['devices'] == {
        'docker0': {'exists': True, 'ipv4': ['10.244.5.1/24'], 'ipv6': ['fd00:10:244:5::1/80']},
        'flannel.1': {'exists': False, 'ipv4': [], 'ipv6': []},
    }
    assert calls == [['/usr/sbin/ip', '-j', 'addr', 'show']]


def test_no_devices_runs_no_command(monkeypatch, run_module):
    calls = fake_node(monkeypatch)
    result = run_module(route_info, {'destinations': []})
    assert result['devices'] == {} and calls == []
