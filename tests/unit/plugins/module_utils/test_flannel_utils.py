# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests for module_utils/flannel.py (subnet.env, lease keys, lease values, config comparison).

Expected values are written out by hand from flannel's formats, not produced by the code under test.
"""

from __future__ import annotations

import json

import pytest

from ansible_collections.podnet.flannel.plugins.module_utils import flannel as fl


SUBNET_ENV = """FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.72.1/24
FLANNEL_MTU=1450
FLANNEL_IPMASQ=true
"""

DUAL_ENV = """# written by flanneld
FLANNEL_NETWORK=10.244.0.0/16
FLANNEL_SUBNET=10.244.72.1/24
FLANNEL_IPV6_NETWORK=fd00:10:244::/56
FLANNEL_IPV6_SUBNET=fd00:10:244:48::1/64

FLANNEL_MTU=1370
FLANNEL_IPMASQ=false
"""


# ----------------------------------------------------------------------------- subnet.env


def test_parse_subnet_env_ipv4():
    assert fl.parse_subnet_env(SUBNET_ENV) == {
        'network': '10.244.0.0/16',
        'subnet': '10.244.72.1/24',
        'mtu': 1450,
        'ipmasq': True,
    }


def test_parse_subnet_env_dual_stack_comments_and_blank_lines():
    env = fl.parse_subnet_env(DUAL_ENV)
    assert env == {
        'network': '10.244.0.0/16',
        'subnet': '10.244.72.1/24',
        'ipv6_network': 'fd00:10:244::/56',
        'ipv6_subnet': 'fd00:10:244:48::1/64',
        'mtu': 1370,
        'ipmasq': False,
    }
    assert isinstance(env['mtu'], int)


def test_parse_subnet_env_quotes_export_and_extra():
    env = fl.parse_subnet_env('export FLANNEL_NETWORK="10.1.0.0/16"\nFLANNEL_MTU=\'1400\'\nFLANNEL_FOO=bar\n')
    assert env == {'network': '10.1.0.0/16', 'mtu': 1400, 'extra': {'FLANNEL_FOO': 'bar'}}


def test_parse_subnet_env_empty():
    assert fl.parse_subnet_env('') == {}


@pytest.mark.parametrize(
    'text',
    [
        'FLANNEL_MTU=big\n',
        'FLANNEL_IPMASQ=maybe\n',
        'just some words\n',
    ],
)
def test_parse_subnet_env_rejects_garbage(text):
    with pytest.raises(ValueError):
        fl.parse_subnet_env(text)


def test_serialize_subnet_env_matches_flanneld_layout():
    env = {'network': '10.244.0.0/16', 'subnet': '10.244.72.1/24', 'mtu': 1450, 'ipmasq': True}
    assert fl.serialize_subnet_env(env) == SUBNET_ENV


def test_serialize_subnet_env_round_trip_dual_stack():
    expected = (
        'FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.72.1/24\n'
        'FLANNEL_IPV6_NETWORK=fd00:10:244::/56\nFLANNEL_IPV6_SUBNET=fd00:10:244:48::1/64\n'
        'FLANNEL_MTU=1370\nFLANNEL_IPMASQ=false\n'
    )
    assert fl.serialize_subnet_env(fl.parse_subnet_env(DUAL_ENV)) == expected


@pytest.mark.parametrize(
    'value, network',
    [
        ('10.244.72.1/24', '10.244.72.0/24'),
        ('10.244.0.1/28', '10.244.0.0/28'),
        ('fd00:10:244:48::1/64', 'fd00:10:244:48::/64'),
    ],
)
def test_subnet_env_network(value, network):
    assert fl.subnet_env_network(value) == network


# ----------------------------------------------------------------------------- lease keys


@pytest.mark.parametrize(
    'key, expected',
    [
        ('10.244.72.0-24', ('10.244.72.0/24', None)),
        ('/coreos.com/network/subnets/10.244.72.0-24', ('10.244.72.0/24', None)),
        ('/coreos.com/network/subnets/10.5.128.0-17', ('10.5.128.0/17', None)),
        ('10.244.72.0-24&fd00:10:244:48::-64', ('10.244.72.0/24', 'fd00:10:244:48::/64')),
        ('/x/subnets/0.0.0.0-0&fd00:10:244:48::-64', (None, 'fd00:10:244:48::/64')),
    ],
)
def test_parse_lease_key(key, expected):
    assert fl.parse_lease_key(key) == expected


@pytest.mark.parametrize(
    'key',
    [
        '/coreos.com/network/config',
        '10.244.72.0/24',
        '10.244.72.0-33',
        '300.1.1.0-24',
        '10.244.72.0-24&zz::-64',
        '0.0.0.0-0',
    ],
)
def test_parse_lease_key_rejects(key):
    with pytest.raises(ValueError):
        fl.parse_lease_key(key)


def test_lease_key_to_cidr():
    assert fl.lease_key_to_cidr('/coreos.com/network/subnets/10.244.3.0-24') == '10.244.3.0/24'
    assert fl.lease_key_to_cidr('0.0.0.0-0&fd00::-64') == 'fd00::/64'


@pytest.mark.parametrize(
    'args, key',
    [
        (('10.244.72.0/24',), '10.244.72.0-24'),
        (('10.244.72.0/24', 'fd00:10:244:48::/64'), '10.244.72.0-24&fd00:10:244:48::-64'),
        ((None, 'fd00:10:244:48::/64'), '0.0.0.0-0&fd00:10:244:48::-64'),
        (('fd00:10:244:48::/64',), '0.0.0.0-0&fd00:10:244:48::-64'),
    ],
)
def test_cidr_to_lease_key(args, key):
    assert fl.cidr_to_lease_key(*args) == key


def test_lease_key_round_trip_and_paths():
    assert fl.parse_lease_key(fl.cidr_to_lease_key('10.1.2.0/24')) == ('10.1.2.0/24', None)
    assert fl.lease_key('/coreos.com/network/', '10.1.2.0/24') == '/coreos.com/network/subnets/10.1.2.0-24'
    assert fl.config_key('/coreos.com/network') == '/coreos.com/network/config'
    assert fl.subnets_prefix('/coreos.com/network/') == '/coreos.com/network/subnets/'


def test_cidr_to_lease_key_rejects_host_bits():
    with pytest.raises(ValueError):
        fl.cidr_to_lease_key('10.244.72.1/24')


# ----------------------------------------------------------------------------- lease values


def test_parse_lease_vxlan():
    value = json.dumps({'PublicIP': '192.168.77.11', 'PublicIPv6': None, 'BackendType': 'vxlan', 'BackendData': {'VNI': 1, 'VtepMAC': '8a:2b:3c:4d:5e:6f'}})
    lease = fl.parse_lease(value)
    assert lease['public_ip'] == '192.168.77.11'
    assert lease['public_ipv6'] is None
    assert lease['backend_type'] == 'vxlan'
    assert lease['vni'] == 1
    assert lease['vtep_mac'] == '8a:2b:3c:4d:5e:6f'


def test_parse_lease_host_gw_has_no_backend_data():
    lease = fl.parse_lease('{"PublicIP":"192.168.77.12","BackendType":"host-gw"}')
    assert lease['backend_type'] == 'host-gw'
    assert lease['vni'] is None and lease['vtep_mac'] is None and lease['backend_data'] is None


def test_parse_lease_wireguard_dual():
    lease = fl.parse_lease(
        {
            'PublicIP': '192.0.2.1',
            'PublicIPv6': '2001:db8::1',
            'BackendType': 'wireguard',
            'BackendData': {'PublicKey': 'abc=', 'Port': 51820},
            'BackendV6Data': {'PublicKey': 'abc=', 'Port': 51821},
        }
    )
    assert lease['public_ipv6'] == '2001:db8::1'
    assert lease['public_key'] == 'abc='
    assert lease['port'] == 51820


@pytest.mark.parametrize('value', ['not json', '[1, 2]', '"text"'])
def test_parse_lease_rejects(value):
    with pytest.raises(ValueError):
        fl.parse_lease(value)


# ----------------------------------------------------------------------------- config building


def test_build_config_from_options_always_writes_backend_type():
    params = {'network': '10.244.0.0/16', 'subnet_len': 24, 'backend': None, 'config': None, 'subnet_min': None, 'enable_ipv6': None}
    assert fl.build_config(params) == {'Network': '10.244.0.0/16', 'SubnetLen': 24, 'Backend': {'Type': 'vxlan'}}


def test_build_config_backend_options_are_camel_cased():
    params = {
        'network': '10.244.0.0/16',
        'backend': {
            'type': 'wireguard',
            'listen_port': 51000,
            'psk': 'k',
            'persistent_keepalive_interval': 25,
            'vni': None,
            'mode': 'auto',
            'direct_routing': None,
        },
    }
    assert fl.build_config(params) == {
        'Network': '10.244.0.0/16',
        'Backend': {'Type': 'wireguard', 'ListenPort': 51000, 'PSK': 'k', 'PersistentKeepaliveInterval': 25, 'Mode': 'auto'},
    }


def test_build_config_raw_config_is_copied():
    raw = {'Network': '10.1.0.0/16', 'Backend': {'Type': 'host-gw'}}
    built = fl.build_config({'config': raw})
    built['Backend']['Type'] = 'udp'
    assert raw['Backend']['Type'] == 'host-gw'


def test_normalize_config_spelling_types_and_order():
    cfg = fl.normalize_config({'backend': {'vni': '4', 'TYPE': 'VXLAN', 'gbp': 'true'}, 'subnetlen': '25', 'network': '10.9.0.0/16'})
    assert cfg == {'Network': '10.9.0.0/16', 'SubnetLen': 25, 'Backend': {'Type': 'vxlan', 'VNI': 4, 'GBP': True}}
    assert list(cfg) == ['Network', 'SubnetLen', 'Backend']
    assert fl.dump_config(cfg) == '{"Network":"10.9.0.0/16","SubnetLen":25,"Backend":{"Type":"vxlan","VNI":4,"GBP":true}}'


# ----------------------------------------------------------------------------- comparison


def test_canonical_defaults_for_a_16():
    canon = fl.canonicalize_config({'Network': '10.244.0.0/16', 'Backend': {'Type': 'vxlan'}})
    # /16 split in /24s: the first subnet 10.244.0.0 is skipped, the last one is 10.244.255.0.
    assert canon['SubnetLen'] == 24
    assert canon['SubnetMin'] == '10.244.1.0'
    assert canon['SubnetMax'] == '10.244.255.0'
    assert canon['EnableIPv4'] is True and canon['EnableIPv6'] is False
    assert canon['Backend'] == {'Type': 'vxlan', 'VNI': 1, 'Port': 0, 'GBP': False, 'Learning': False, 'DirectRouting': False}


def test_canonical_default_subnet_len_for_small_network():
    # A /25 is smaller than a /22: flannel gives each host a /27 (prefix + 2).
    canon = fl.canonicalize_config({'Network': '10.0.0.0/25', 'Backend': {'Type': 'host-gw'}})
    assert canon['SubnetLen'] == 27
    assert canon['SubnetMin'] == '10.0.0.32'
    assert canon['SubnetMax'] == '10.0.0.96'


def test_missing_backend_means_udp():
    assert fl.canonicalize_config({'Network': '10.1.0.0/16'})['Backend']['Type'] == 'udp'
    assert not fl.configs_equal({'Network': '10.1.0.0/16'}, {'Network': '10.1.0.0/16', 'Backend': {'Type': 'vxlan'}})


@pytest.mark.parametrize(
    'left, right',
    [
        (
            {'Network': '10.244.0.0/16', 'Backend': {'Type': 'vxlan'}},
            {'Backend': {'VNI': 1, 'Type': 'vxlan', 'Port': 0}, 'SubnetLen': 24, 'Network': '10.244.0.0/16', 'EnableIPv4': True},
        ),
        (
            {'Network': '10.244.0.0/16', 'Backend': {'Type': 'vxlan'}},
            {'network': '10.244.0.0/16', 'subnetmin': '10.244.1.0', 'SubnetMax': '10.244.255.0', 'Backend': {'type': 'VXLAN'}},
        ),
        (
            {'Network': '10.244.0.0/16', 'Backend': {'Type': 'wireguard'}},
            {'Network': '10.244.0.0/16', 'Backend': {'Type': 'wireguard', 'ListenPort': 51820, 'Mode': 'separate'}},
        ),
        # IPv6 settings are ignored by flannel while EnableIPv6 is false.
        ({'Network': '10.244.0.0/16', 'Backend': {'Type': 'vxlan'}}, {'Network': '10.244.0.0/16', 'IPv6Network': 'fd00::/56', 'Backend': {'Type': 'vxlan'}}),
    ],
)
def test_configs_equal(left, right):
    assert fl.configs_equal(left, right)
    assert fl.configs_equal(right, left)


@pytest.mark.parametrize(
    'a, b',
    [
        ({'Network': '10.244.0.0/16', 'Backend': {'Type': 'vxlan'}}, {'Network': '10.244.0.0/16', 'Backend': {'Type': 'vxlan', 'VNI': 2}}),
        ({'Network': '10.244.0.0/16', 'Backend': {'Type': 'vxlan'}}, {'Network': '10.244.0.0/16', 'SubnetLen': 25, 'Backend': {'Type': 'vxlan'}}),
        ({'Network': '10.244.0.0/16', 'Backend': {'Type': 'vxlan'}}, {'Network': '10.244.0.0/16', 'Backend': {'Type': 'vxlan', 'MTU': 1450}}),
        ({'Network': '10.244.0.0/16', 'Backend': {'Type': 'vxlan'}}, {'Network': '10.244.0.0/16', 'SubnetMin': '10.244.2.0', 'Backend': {'Type': 'vxlan'}}),
    ],
)
def test_configs_differ(a, b):
    assert not fl.configs_equal(a, b)


# ----------------------------------------------------------------------------- risky changes

BASE = {'Network': '10.244.0.0/16', 'SubnetLen': 24, 'Backend': {'Type': 'vxlan'}}


@pytest.mark.parametrize(
    'new, fields',
    [
        (dict(BASE), []),
        # Every node must agree on every Backend field: a node on another VNI or port is cut off.
        (dict(BASE, Backend={'Type': 'vxlan', 'VNI': 7}), ['Backend.VNI']),
        (dict(BASE, Backend={'Type': 'vxlan', 'Port': 4789}), ['Backend.Port']),
        (dict(BASE, Backend={'Type': 'vxlan', 'VNI': 7, 'GBP': True, 'DirectRouting': True}), ['Backend.VNI', 'Backend.GBP', 'Backend.DirectRouting']),
        (dict(BASE, Backend={'Type': 'vxlan', 'MTU': 1400}), ['Backend.MTU']),
        (dict(BASE, EnableNFTables=True), ['EnableNFTables']),
        # The lease range steers only leases not yet taken (no leases given: safe).
        (dict(BASE, SubnetMax='10.244.200.0'), []),
        (dict(BASE, Network='10.245.0.0/16'), ['Network']),
        (dict(BASE, SubnetLen=25), ['SubnetLen']),
        (dict(BASE, Backend={'Type': 'host-gw'}), ['Backend.Type']),
        (dict(BASE, EnableIPv6=True, IPv6Network='fd00::/56'), ['EnableIPv6', 'IPv6Network']),
        (dict(BASE, Network='10.96.0.0/12', SubnetLen=26, Backend={'Type': 'wireguard'}), ['Network', 'SubnetLen', 'Backend.Type']),
    ],
)
def test_risky_changes(new, fields):
    assert fl.risky_changes(BASE, new) == fields


def test_risky_changes_default_subnet_len_counts_as_24():
    # SubnetLen absent on a /16 is 24 for flannel: not a change.
    assert fl.risky_changes({'Network': '10.244.0.0/16', 'Backend': {'Type': 'vxlan'}}, BASE) == []


def test_risky_changes_backend_added_to_legacy_config():
    # A stored config without Backend runs udp; writing vxlan switches the backend.
    assert fl.risky_changes({'Network': '10.244.0.0/16'}, BASE) == ['Backend.Type']


@pytest.mark.parametrize(
    'new, leases, fields',
    [
        # Every lease stays inside the new range: safe.
        (dict(BASE, SubnetMin='10.244.2.0', SubnetMax='10.244.200.0'), ['10.244.5.0/24', '10.244.9.0/24'], []),
        # A live lease falls below the new SubnetMin: its node could not renew it.
        (dict(BASE, SubnetMin='10.244.6.0'), ['10.244.5.0/24', '10.244.9.0/24'], ['SubnetMin']),
        (dict(BASE, SubnetMax='10.244.8.0'), ['10.244.5.0/24', '10.244.9.0/24'], ['SubnetMax']),
        # A new network moves the default range with it: only the network is named.
        (dict(BASE, Network='10.245.0.0/16'), ['10.244.5.0/24'], ['Network']),
    ],
)
def test_risky_changes_lease_range(new, leases, fields):
    assert fl.risky_changes(BASE, new, leases) == fields


def test_changed_fields_in_config_order():
    new = dict(BASE, SubnetLen=25, Backend={'Type': 'vxlan', 'VNI': 3})
    assert fl.changed_fields(BASE, new) == ['SubnetLen', 'Backend.VNI', 'SubnetMin', 'SubnetMax']


def test_leases_outside_range():
    cfg = dict(BASE, SubnetMin='10.244.6.0', SubnetMax='10.244.8.0')
    assert fl.leases_outside_range(cfg, ['10.244.5.0/24', '10.244.7.0/24', '10.244.9.0/24']) == ['10.244.5.0/24', '10.244.9.0/24']


def test_risky_changes_nothing_stored():
    assert fl.risky_changes(None, BASE) == []


# ----------------------------------------------------------------------------- secrets


def test_mask_and_list_secrets():
    cfg = {'Network': '10.1.0.0/16', 'Backend': {'Type': 'wireguard', 'PSK': 's3cr3t'}}
    assert fl.mask_secrets(cfg) == {'Network': '10.1.0.0/16', 'Backend': {'Type': 'wireguard', 'PSK': '********'}}
    assert cfg['Backend']['PSK'] == 's3cr3t'
    assert fl.secret_values(cfg) == ['s3cr3t']
    assert fl.secret_values({'Network': '10.1.0.0/16'}) == []


# ----------------------------------------------------------------------------- leftover devices


@pytest.mark.parametrize(
    'config, devices, stale',
    [
        # A VNI change leaves the old VXLAN device.
        (dict(BASE, Backend={'Type': 'vxlan', 'VNI': 2}), ['eth0', 'flannel.1', 'flannel.2', 'docker0'], ['flannel.1']),
        (BASE, ['lo', 'flannel.1', 'docker0'], []),
        # From vxlan to host-gw or wireguard: every VXLAN device is a leftover.
        (dict(BASE, Backend={'Type': 'host-gw'}), ['flannel.1', 'flannel-v6.1'], ['flannel-v6.1', 'flannel.1']),
        (dict(BASE, Backend={'Type': 'wireguard'}), ['flannel-wg', 'flannel.1'], ['flannel.1']),
        # No config: every flanneld device (the module only asks with a stored config).
        (None, ['flannel.1', 'eth0'], ['flannel.1']),
        # Devices that only look like flannel's are never touched.
        (dict(BASE, Backend={'Type': 'host-gw'}), ['flannelx', 'flannel.1a', 'myflannel.1'], []),
    ],
)
def test_stale_devices(config, devices, stale):
    assert fl.stale_devices(config, devices) == stale
