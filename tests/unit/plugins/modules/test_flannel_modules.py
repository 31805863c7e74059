# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests for the flannel_network and flannel_lease_info modules against an in-memory etcd."""

from __future__ import annotations

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.podnet.flannel.plugins.module_utils import etcd as etcd_utils
from ansible_collections.podnet.flannel.plugins.modules import flannel_lease_info, flannel_network

PREFIX = '/coreos.com/network'
CONFIG_KEY = PREFIX + '/config'
WG_PSK = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8='


class FakeEtcd:
    """Just enough of EtcdClient: keys with mod revisions, leases with TTLs."""

    def __init__(self, data=None, leases=None):
        self.revision = 10
        self.kvs = {}
        self.lease_ttls = dict(leases or {})
        self.writes = []
        for key, (value, lease) in (data or {}).items():
            self._store(key, value, lease)

    def _store(self, key, value, lease=0):
        self.revision += 1
        self.kvs[key] = {'key': key, 'value': value, 'mod_revision': self.revision, 'lease': lease}

    def get(self, key):
        return dict(self.kvs[key]) if key in self.kvs else None

    def get_prefix(self, prefix):
        return [dict(self.kvs[k]) for k in sorted(self.kvs) if k.startswith(prefix)]

    def put_if_mod_revision(self, key, value, mod_revision, lease=None, ignore_lease=False):
        current = self.kvs.get(key, {}).get('mod_revision', 0)
        if current != mod_revision:
            return False, self.revision
        self._store(key, value)
        self.writes.append((key, value))
        return True, self.revision

    def delete_range(self, key, prefix=False):
        self.revision += 1
        self.writes.append((key, None))
        return (1 if self.kvs.pop(key, None) else 0), self.revision

    def call(self, path, body=None, endpoints=None):
        assert path == '/v3/lease/timetolive'
        lease_id = int(body['ID'])
        return {'ID': str(lease_id), 'TTL': str(self.lease_ttls.get(lease_id, -1))}


def run_module(module, monkeypatch, capsys, etcd, args):
    monkeypatch.setattr(etcd_utils, 'client_from_module', lambda _module: etcd)  # run_etcd
    if hasattr(module, 'client_from_module'):
        monkeypatch.setattr(module, 'client_from_module', lambda _module: etcd)
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            module.main()
    return json.loads(capsys.readouterr().out)


def lease_value(ip, mac='8a:2b:3c:4d:5e:6f'):
    return json.dumps({'PublicIP': ip, 'PublicIPv6': None, 'BackendType': 'vxlan', 'BackendData': {'VNI': 1, 'VtepMAC': mac}})


# ----------------------------------------------------------------------------- flannel_network


def test_network_creates_config(monkeypatch, capsys):
    etcd = FakeEtcd()
    result = run_module(flannel_network, monkeypatch, capsys, etcd, {'network': '10.244.0.0/16', 'subnet_len': 24})
    assert result['changed'] is True
    assert result['previous'] is None
    assert result['leases'] == 0
    assert etcd.writes == [(CONFIG_KEY, '{"Network":"10.244.0.0/16","SubnetLen":24,"Backend":{"Type":"vxlan"}}')]
    assert result['config'] == {'Network': '10.244.0.0/16', 'SubnetLen': 24, 'Backend': {'Type': 'vxlan'}}
    assert result['revision'] == etcd.kvs[CONFIG_KEY]['mod_revision']


def test_network_is_idempotent_on_semantically_equal_config(monkeypatch, capsys):
    stored = '{"Backend": {"VNI": 1, "Type": "vxlan"}, "Network": "10.244.0.0/16"}'
    etcd = FakeEtcd({CONFIG_KEY: (stored, 0)})
    result = run_module(flannel_network, monkeypatch, capsys, etcd, {'network': '10.244.0.0/16', 'subnet_len': 24})
    assert result['changed'] is False
    assert etcd.writes == []
    assert result['revision'] == 11


def test_network_check_mode_and_diff(monkeypatch, capsys):
    etcd = FakeEtcd({CONFIG_KEY: ('{"Network":"10.244.0.0/16","Backend":{"Type":"vxlan"}}', 0)})
    result = run_module(
        flannel_network, monkeypatch, capsys, etcd, {'network': '10.244.0.0/16', 'backend': {'vni': 4}, '_ansible_check_mode': True, '_ansible_diff': True}
    )
    assert result['changed'] is True
    assert etcd.writes == []
    assert '"VNI": 4' in result['diff']['after']
    assert '"VNI"' not in result['diff']['before']
    # No leases: nothing at risk, although the VNI changes.
    assert result['risky_changes'] == ['Backend.VNI']
    assert result['leases'] == 0


def test_network_refuses_risky_change_with_leases(monkeypatch, capsys):
    etcd = FakeEtcd(
        {
            CONFIG_KEY: ('{"Network":"10.244.0.0/16","Backend":{"Type":"vxlan"}}', 0),
            PREFIX + '/subnets/10.244.5.0-24': (lease_value('192.168.77.11'), 7),
            PREFIX + '/subnets/10.244.9.0-24': (lease_value('192.168.77.12'), 8),
        }
    )
    result = run_module(flannel_network, monkeypatch, capsys, etcd, {'network': '10.245.0.0/16', 'backend': {'type': 'host-gw'}})
    assert result['failed'] is True
    assert 'Network, Backend.Type' in result['msg']
    assert '2 flannel subnet leases' in result['msg']
    assert 'force: true' in result['msg']
    assert etcd.writes == []


def test_network_force_overrides(monkeypatch, capsys):
    etcd = FakeEtcd(
        {
            CONFIG_KEY: ('{"Network":"10.244.0.0/16","Backend":{"Type":"vxlan"}}', 0),
            PREFIX + '/subnets/10.244.5.0-24': (lease_value('192.168.77.11'), 7),
        }
    )
    result = run_module(flannel_network, monkeypatch, capsys, etcd, {'network': '10.245.0.0/16', 'force': True})
    assert result['changed'] is True
    assert result['risky_changes'] == ['Network']
    assert json.loads(etcd.kvs[CONFIG_KEY]['value'])['Network'] == '10.245.0.0/16'


def test_network_safe_change_with_leases_is_written(monkeypatch, capsys):
    etcd = FakeEtcd(
        {
            CONFIG_KEY: ('{"Network":"10.244.0.0/16","Backend":{"Type":"vxlan"}}', 0),
            PREFIX + '/subnets/10.244.5.0-24': (lease_value('192.168.77.11'), 7),
        }
    )
    result = run_module(flannel_network, monkeypatch, capsys, etcd, {'network': '10.244.0.0/16', 'subnet_min': '10.244.2.0', 'subnet_max': '10.244.100.0'})
    assert result['changed'] is True
    assert result['leases'] == 1
    assert result['risky_changes'] == []


def test_network_refuses_vni_change_with_leases(monkeypatch, capsys):
    etcd = FakeEtcd(
        {
            CONFIG_KEY: ('{"Network":"10.244.0.0/16","Backend":{"Type":"vxlan"}}', 0),
            PREFIX + '/subnets/10.244.5.0-24': (lease_value('192.168.77.11'), 7),
        }
    )
    result = run_module(flannel_network, monkeypatch, capsys, etcd, {'network': '10.244.0.0/16', 'backend': {'vni': 2}, 'names': {'force': 'flannel_force'}})
    assert result['failed'] is True
    assert 'Backend.VNI' in result['msg']
    assert '10.244.5.0/24 (192.168.77.11)' in result['msg']
    assert 'flannel_force: true' in result['msg']
    assert etcd.writes == []


def test_network_refuses_range_that_strands_a_lease(monkeypatch, capsys):
    etcd = FakeEtcd(
        {
            CONFIG_KEY: ('{"Network":"10.244.0.0/16","Backend":{"Type":"vxlan"}}', 0),
            PREFIX + '/subnets/10.244.5.0-24': (lease_value('192.168.77.11'), 7),
        }
    )
    result = run_module(flannel_network, monkeypatch, capsys, etcd, {'network': '10.244.0.0/16', 'subnet_min': '10.244.6.0'})
    assert result['failed'] is True
    assert 'SubnetMin' in result['msg']
    assert etcd.writes == []


def test_network_psk_is_masked_everywhere(monkeypatch, capsys):
    etcd = FakeEtcd()
    result = run_module(
        flannel_network, monkeypatch, capsys, etcd, {'network': '10.244.0.0/16', 'backend': {'type': 'wireguard', 'psk': WG_PSK}, '_ansible_diff': True}
    )
    assert WG_PSK not in json.dumps(result)
    assert json.loads(etcd.kvs[CONFIG_KEY]['value'])['Backend']['PSK'] == WG_PSK


def test_network_raw_config_and_options_are_exclusive(monkeypatch, capsys):
    result = run_module(flannel_network, monkeypatch, capsys, FakeEtcd(), {'network': '10.244.0.0/16', 'config': {'Network': '10.244.0.0/16'}})
    assert result['failed'] is True
    assert 'mutually exclusive' in result['msg']


def test_network_absent_refused_with_leases_then_forced(monkeypatch, capsys):
    data = {CONFIG_KEY: ('{"Network":"10.244.0.0/16","Backend":{"Type":"vxlan"}}', 0), PREFIX + '/subnets/10.244.5.0-24': (lease_value('192.168.77.11'), 7)}
    etcd = FakeEtcd(data)
    result = run_module(flannel_network, monkeypatch, capsys, etcd, {'state': 'absent'})
    assert result['failed'] is True and 'Refusing to delete' in result['msg']
    assert CONFIG_KEY in etcd.kvs
    result = run_module(flannel_network, monkeypatch, capsys, etcd, {'state': 'absent', 'force': True})
    assert result['changed'] is True
    assert CONFIG_KEY not in etcd.kvs
    assert PREFIX + '/subnets/10.244.5.0-24' in etcd.kvs


def test_network_absent_when_missing_is_unchanged(monkeypatch, capsys):
    result = run_module(flannel_network, monkeypatch, capsys, FakeEtcd(), {'state': 'absent'})
    assert result['changed'] is False and result['previous'] is None


# ----------------------------------------------------------------------------- flannel_lease_info


def test_lease_info(monkeypatch, capsys, tmp_path):
    env = tmp_path / 'subnet.env'
    env.write_text('FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.9.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n')
    etcd = FakeEtcd(
        {
            CONFIG_KEY: ('{"Network":"10.244.0.0/16"}', 0),
            PREFIX + '/subnets/10.244.9.0-24': (lease_value('192.168.77.12', 'aa:aa:aa:aa:aa:02'), 8),
            PREFIX + '/subnets/10.244.10.0-24': ('{"PublicIP":"192.168.77.13","BackendType":"host-gw"}', 0),
            PREFIX + '/subnets/10.244.5.0-24': (lease_value('192.168.77.11', 'aa:aa:aa:aa:aa:01'), 7),
        },
        leases={7: 86000, 8: 3600},
    )
    result = run_module(flannel_lease_info, monkeypatch, capsys, etcd, {'subnet_file': str(env)})
    assert result['changed'] is False
    assert result['subnet_env'] == {'network': '10.244.0.0/16', 'subnet': '10.244.9.1/24', 'mtu': 1450, 'ipmasq': True}
    # sorted numerically: 5 < 9 < 10 (a text sort would put 10 first)
    assert [lease['subnet'] for lease in result['leases']] == ['10.244.5.0/24', '10.244.9.0/24', '10.244.10.0/24']
    first = result['leases'][0]
    assert (first['public_ip'], first['backend_type'], first['vni'], first['vtep_mac'], first['lease_id'], first['ttl']) == (
        '192.168.77.11',
        'vxlan',
        1,
        'aa:aa:aa:aa:aa:01',
        7,
        86000,
    )
    assert result['leases'][2]['lease_id'] is None and result['leases'][2]['ttl'] is None
    assert result['local']['subnet'] == '10.244.9.0/24'
    assert result['local']['ttl'] == 3600
    # The other two leases, without routes on this machine (none of 10.244.0.0/16 here).
    assert result['missing_routes'] == ['10.244.5.0/24', '10.244.10.0/24']
    # The stored config has no Backend (udp): a flannel.<n> device here would be a leftover.
    assert isinstance(result['stale_devices'], list)


def test_lease_info_routes_and_leftovers(monkeypatch, capsys, tmp_path):
    from ansible_collections.podnet.flannel.plugins.module_utils import linux_net

    env = tmp_path / 'subnet.env'
    env.write_text('FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.9.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n')
    etcd = FakeEtcd(
        {
            CONFIG_KEY: ('{"Network":"10.244.0.0/16","Backend":{"Type":"vxlan","VNI":2}}', 0),
            PREFIX + '/subnets/10.244.9.0-24': (lease_value('192.168.77.12'), 0),
            PREFIX + '/subnets/10.244.5.0-24': (lease_value('192.168.77.11'), 0),
            PREFIX + '/subnets/10.244.7.0-24': (lease_value('192.168.77.13'), 0),
        }
    )
    monkeypatch.setattr(
        linux_net,
        'read_routes',
        lambda: [
            {'dest': '10.244.5.0/24', 'dev': 'flannel.2', 'gateway': '10.244.5.0', 'reject': False},
            {'dest': '10.244.0.0/16', 'dev': 'lo', 'gateway': '0.0.0.0', 'reject': True},
        ],
    )
    monkeypatch.setattr(linux_net, 'list_devices', lambda: ['docker0', 'eth0', 'flannel.1', 'flannel.2', 'lo'])
    result = run_module(flannel_lease_info, monkeypatch, capsys, etcd, {'subnet_file': str(env)})
    assert result['missing_routes'] == ['10.244.7.0/24']
    assert result['stale_devices'] == ['flannel.1']


def test_lease_info_no_lease_no_route_check(monkeypatch, capsys, tmp_path):
    etcd = FakeEtcd({PREFIX + '/subnets/10.244.5.0-24': (lease_value('192.168.77.11'), 0)})
    result = run_module(flannel_lease_info, monkeypatch, capsys, etcd, {'subnet_file': str(tmp_path / 'none.env')})
    assert result['missing_routes'] is None
    assert result['stale_devices'] == []


def test_lease_info_missing_subnet_env(monkeypatch, capsys, tmp_path):
    etcd = FakeEtcd({PREFIX + '/subnets/10.244.5.0-24': (lease_value('192.168.77.11'), 7)}, leases={7: 100})
    result = run_module(flannel_lease_info, monkeypatch, capsys, etcd, {'subnet_file': str(tmp_path / 'none.env')})
    assert result.get('failed') is not True
    assert result['subnet_env'] == {}
    assert result['local'] is None
    assert len(result['leases']) == 1


def test_lease_info_malformed_lease_is_reported(monkeypatch, capsys, tmp_path):
    etcd = FakeEtcd({PREFIX + '/subnets/10.244.5.0-24': ('garbage', 0)})
    result = run_module(flannel_lease_info, monkeypatch, capsys, etcd, {'subnet_file': str(tmp_path / 'none.env')})
    assert result['leases'][0]['subnet'] == '10.244.5.0/24'
    assert 'not JSON' in result['leases'][0]['error']


class DownEtcd(FakeEtcd):
    """etcd without quorum: every read times out."""

    def get_prefix(self, prefix):
        from ansible_collections.podnet.flannel.plugins.module_utils.etcd import EtcdError

        raise EtcdError('etcdserver: request timed out')

    get = get_prefix


def test_lease_info_etcd_down_fails_by_default(monkeypatch, capsys, tmp_path):
    result = run_module(flannel_lease_info, monkeypatch, capsys, DownEtcd(), {'subnet_file': str(tmp_path / 'none.env')})
    assert result['failed'] is True
    assert 'request timed out' in result['msg']


def test_lease_info_etcd_optional_answers_from_subnet_env(monkeypatch, capsys, tmp_path):
    env = tmp_path / 'subnet.env'
    env.write_text('FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.9.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n')
    result = run_module(flannel_lease_info, monkeypatch, capsys, DownEtcd(), {'subnet_file': str(env), 'etcd_optional': True})
    assert result.get('failed') is not True
    assert result['subnet_env']['subnet'] == '10.244.9.1/24'
    assert result['leases'] == [] and result['local'] is None
    assert 'request timed out' in result['etcd_error']


def test_network_refuses_turning_ipv6_on_under_ipv4_leases_and_says_why(monkeypatch, capsys):
    # flanneld drops an IPv4-only lease as incompatible with an IPv6 config and leases anew
    # (IPv4 subnet included): the message must say so, and nothing is written.
    etcd = FakeEtcd(
        {
            CONFIG_KEY: ('{"Network":"10.244.0.0/16","Backend":{"Type":"vxlan"}}', 0),
            PREFIX + '/subnets/10.244.5.0-24': (lease_value('192.168.77.11'), 7),
        }
    )
    params = {'network': '10.244.0.0/16', 'enable_ipv6': True, 'ipv6_network': 'fd00:10:244::/56', 'names': {'force': 'flannel_force'}}
    result = run_module(flannel_network, monkeypatch, capsys, etcd, params)
    assert result['failed'] is True
    assert result['risky_changes'] == ['EnableIPv6', 'IPv6Network']
    assert 'new IPv4 subnet as well' in result['msg']
    assert 'flannel_force: true' in result['msg']
    assert etcd.writes == []


def test_network_dual_stack_from_scratch_is_written(monkeypatch, capsys):
    etcd = FakeEtcd({})
    params = {'network': '10.244.0.0/16', 'enable_ipv6': True, 'ipv6_network': 'fd00:10:244::/56', 'ipv6_subnet_len': 64}
    result = run_module(flannel_network, monkeypatch, capsys, etcd, params)
    assert result['changed'] is True
    assert json.loads(etcd.writes[0][1]) == {
        'Network': '10.244.0.0/16',
        'EnableIPv6': True,
        'IPv6Network': 'fd00:10:244::/56',
        'IPv6SubnetLen': 64,
        'Backend': {'Type': 'vxlan'},
    }
