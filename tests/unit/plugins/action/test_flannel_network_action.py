# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests for the flannel_network action plugin: validation on the controller before the module runs."""

from __future__ import annotations

from unittest import mock

import pytest

from ansible.plugins.action import ActionBase

from ansible_collections.podnet.flannel.plugins.action import flannel_network as action_mod


def make_action(args):
    task = mock.MagicMock()
    task.args = args
    action = action_mod.ActionModule(task, mock.MagicMock(), mock.MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    action._execute_module = mock.MagicMock(return_value={'changed': True, 'config': {}})
    return action


def task_vars(nodes=3, facts=True):
    hosts = ['node%d' % i for i in range(1, nodes + 1)]
    hostvars = {}
    for i, host in enumerate(hosts, 1):
        hostvars[host] = {'ansible_host': '192.168.77.%d' % (10 + i)}
        if facts:
            hostvars[host]['ansible_default_ipv4'] = {'address': '192.168.77.%d' % (10 + i), 'network': '192.168.77.0', 'netmask': '255.255.255.0'}
    return {'groups': {'all': hosts, 'nodes': hosts}, 'hostvars': hostvars}


@pytest.fixture(autouse=True)
def no_base_run(monkeypatch):
    monkeypatch.setattr(ActionBase, 'run', lambda self, tmp=None, task_vars=None: {})


def test_invalid_config_fails_without_running_the_module():
    action = make_action({'network': '10.244.0.0/33'})
    result = action.run(task_vars=task_vars())
    assert result['failed'] is True
    assert result['msg'] == "Network: '10.244.0.0/33' is not a valid IPv4 CIDR; use e.g. 10.244.0.0/16"
    assert result['field'] == 'Network'
    action._execute_module.assert_not_called()


def test_node_count_comes_from_the_nodes_group():
    # 10.244.0.0/24 in /26: 3 usable subnets; the inventory has 4 nodes.
    action = make_action({'network': '10.244.0.0/24', 'subnet_len': 26})
    result = action.run(task_vars=task_vars(nodes=4))
    assert result['failed'] is True
    assert '3 usable subnets of /26 but 4 nodes' in result['msg']
    action._execute_module.assert_not_called()


def test_explicit_node_count_wins():
    action = make_action({'network': '10.244.0.0/24', 'subnet_len': 26, 'node_count': 3})
    result = action.run(task_vars=task_vars(nodes=4))
    assert result.get('failed') is not True
    action._execute_module.assert_called_once()


def test_node_networks_come_from_gathered_facts():
    action = make_action({'network': '192.168.0.0/16'})
    result = action.run(task_vars=task_vars())
    assert result['failed'] is True
    # ansible_host 192.168.77.11/32 comes first for node1
    assert 'overlaps the node network 192.168.77.11/32 (node1 ansible_host)' in result['msg']


def test_node_networks_from_facts_without_ansible_host():
    tv = task_vars()
    for hv in tv['hostvars'].values():
        del hv['ansible_host']
    result = make_action({'network': '192.168.77.0/25'}).run(task_vars=tv)
    assert 'overlaps the node network 192.168.77.0/24 (node1 default IPv4 network)' in result['msg']


def test_node_networks_option_overrides_inventory():
    action = make_action({'network': '192.168.0.0/16', 'node_networks': ['10.1.0.0/16']})
    result = action.run(task_vars=task_vars())
    assert result.get('failed') is not True
    action._execute_module.assert_called_once()


def test_custom_nodes_group_must_exist():
    result = make_action({'network': '10.244.0.0/16', 'nodes_group': 'workers'}).run(task_vars=task_vars())
    assert result['failed'] is True and result['field'] == 'nodes_group'


def test_missing_default_group_only_warns():
    action = make_action({'network': '10.244.0.0/16'})
    result = action.run(task_vars={'groups': {'all': []}, 'hostvars': {}})
    assert result.get('failed') is not True
    assert any('not checked for capacity' in w for w in result['warnings'])


def test_raw_config_is_passed_normalized():
    action = make_action({'config': {'network': '10.244.0.0/16', 'backend': {'type': 'VXLAN', 'vni': '3'}}})
    action.run(task_vars=task_vars())
    args = action._execute_module.call_args.kwargs['module_args']
    assert args['config'] == {'Network': '10.244.0.0/16', 'Backend': {'Type': 'vxlan', 'VNI': 3}}
    assert action._execute_module.call_args.kwargs['module_name'] == 'podnet.flannel.flannel_network'


def test_backend_options_are_validated_per_type():
    action = make_action({'network': '10.244.0.0/16', 'backend': {'type': 'host-gw', 'vni': 3}})
    result = action.run(task_vars=task_vars())
    assert result['failed'] is True and result['field'] == 'Backend.VNI'
    assert result['option'] == 'backend.vni'
    action._execute_module.assert_not_called()


def test_absent_skips_validation():
    action = make_action({'state': 'absent'})
    result = action.run(task_vars=task_vars())
    assert result == {'changed': True, 'config': {}}
