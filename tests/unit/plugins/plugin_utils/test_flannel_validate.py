# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests for plugin_utils/flannel_validate.py.

Capacities and boundaries are worked out by hand in the comments next to each expected value.
"""

from __future__ import annotations

import pytest

from ansible_collections.podnet.flannel.plugins.plugin_utils.flannel_validate import (
    FlannelConfigError,
    capacity,
    validate,
)

NET = '10.244.0.0/16'
WG_PSK = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8='  # base64 of bytes 0..31


def cfg(**kwargs):
    base = {'Network': NET, 'Backend': {'Type': 'vxlan'}}
    base.update(kwargs)
    return base


# Each invalid configuration: (config, validate() keyword arguments, field named, words the message must contain).
INVALID = [
    pytest.param(cfg(Network='10.244.0.0/33'), {}, 'Network', ['not a valid IPv4 CIDR', 'e.g. 10.244.0.0/16'], id='cidr-prefix-33'),
    pytest.param(cfg(Network='10.244.0.0'), {}, 'Network', ['not a valid IPv4 CIDR'], id='cidr-no-prefix'),
    pytest.param(cfg(Network='10.244.0/16'), {}, 'Network', ['not a valid IPv4 CIDR'], id='cidr-short-address'),
    pytest.param(cfg(Network='fd00::/56'), {}, 'Network', ['not a valid IPv4 CIDR'], id='cidr-v6-in-v4'),
    pytest.param(cfg(Network='10.244.1.0/16'), {}, 'Network', ['host bits', 'not a network address', '10.244.0.0/16'], id='host-bits'),
    pytest.param(cfg(Network='10.244.0.0/29'), {}, 'Network', ['too small', '/28'], id='network-too-small'),
    pytest.param(cfg(SubnetLen=16), {}, 'SubnetLen', ['allowed range is 18..30'], id='subnetlen-equal-prefix'),
    pytest.param(cfg(SubnetLen=17), {}, 'SubnetLen', ['allowed range is 18..30'], id='subnetlen-prefix-plus-1'),
    pytest.param(cfg(SubnetLen=31), {}, 'SubnetLen', ['allowed range is 18..30'], id='subnetlen-31'),
    pytest.param(cfg(SubnetLen='big'), {}, 'SubnetLen', ['not an integer'], id='subnetlen-text'),
    pytest.param(cfg(SubnetMin='10.244.1.128'), {}, 'SubnetMin', ['/24 boundary', 'use 10.244.1.0'], id='min-boundary'),
    pytest.param(cfg(SubnetLen=26, SubnetMax='10.244.7.32'), {}, 'SubnetMax', ['/26 boundary', 'use 10.244.7.0'], id='max-boundary-26'),
    pytest.param(cfg(SubnetMin='10.245.0.0'), {}, 'SubnetMin', ['outside Network 10.244.0.0/16'], id='min-outside'),
    pytest.param(cfg(SubnetMax='10.243.255.0'), {}, 'SubnetMax', ['outside Network'], id='max-outside'),
    pytest.param(cfg(SubnetMin='10.244.9.0', SubnetMax='10.244.3.0'), {}, 'SubnetMin', ['greater than SubnetMax 10.244.3.0'], id='min-above-max'),
    pytest.param(cfg(SubnetMin='10.244.300.0'), {}, 'SubnetMin', ['not a valid IPv4 address'], id='min-not-an-address'),
    pytest.param(
        cfg(Netwrk='10.1.0.0/16'), {}, 'Netwrk', ['unknown top-level key', 'did you mean Network', 'allowed keys: Network, SubnetLen'], id='unknown-top-key'
    ),
    pytest.param(cfg(Backend={'Type': 'vxlan', 'VNIX': 3}), {}, 'Backend.VNIX', ['unknown option of the vxlan backend', 'VNI, Port'], id='unknown-backend-key'),
    pytest.param(cfg(Backend={'Type': 'host-gw', 'VNI': 3}), {}, 'Backend.VNI', ['host-gw', 'allowed keys: Type'], id='key-of-other-backend'),
    pytest.param(cfg(Backend={'Type': 'geneve'}), {}, 'Backend.Type', ['geneve', 'vxlan, host-gw, wireguard'], id='backend-type'),
    pytest.param(cfg(Backend='vxlan'), {}, 'Backend', ['must be a dict'], id='backend-not-dict'),
    pytest.param(cfg(Backend={'Type': 'vxlan', 'VNI': 16777216}), {}, 'Backend.VNI', ['allowed range is 0..16777215'], id='vni-too-big'),
    pytest.param(cfg(Backend={'Type': 'vxlan', 'VNI': -1}), {}, 'Backend.VNI', ['allowed range is 0..16777215'], id='vni-negative'),
    pytest.param(cfg(Backend={'Type': 'vxlan', 'Port': 65536}), {}, 'Backend.Port', ['allowed range is 0..65535'], id='port'),
    pytest.param(cfg(Backend={'Type': 'vxlan', 'MTU': 67}), {}, 'Backend.MTU', ['allowed range is 68..65535'], id='mtu-low'),
    pytest.param(cfg(Backend={'Type': 'vxlan', 'GBP': 'sometimes'}), {}, 'Backend.GBP', ['not a boolean'], id='gbp-not-bool'),
    pytest.param(cfg(Backend={'Type': 'wireguard', 'ListenPort': 0}), {}, 'Backend.ListenPort', ['allowed range is 1..65535'], id='wg-port'),
    pytest.param(cfg(Backend={'Type': 'wireguard', 'Mode': 'both'}), {}, 'Backend.Mode', ['separate, auto, ipv4, ipv6'], id='wg-mode'),
    pytest.param(cfg(Backend={'Type': 'wireguard', 'PSK': 'hunter2'}), {}, 'Backend.PSK', ['wg genpsk'], id='wg-psk'),
    pytest.param(cfg(EnableIPv4=False), {}, 'EnableIPv4', ['both disabled'], id='no-family'),
    pytest.param(cfg(EnableIPv6=True), {}, 'IPv6Network', ['required'], id='ipv6-missing'),
    pytest.param(cfg(EnableIPv6=True, IPv6Network='fd00::/130'), {}, 'IPv6Network', ['not a valid IPv6 CIDR'], id='ipv6-cidr'),
    pytest.param(cfg(EnableIPv6=True, IPv6Network='fd00::1/64'), {}, 'IPv6Network', ['host bits', 'fd00::/64'], id='ipv6-host-bits'),
    pytest.param(cfg(EnableIPv6=True, IPv6Network='fd00::/56', IPv6SubnetLen=127), {}, 'IPv6SubnetLen', ['allowed range is 58..126'], id='ipv6-len'),
    pytest.param(cfg(IPv6Network='fd00::/56'), {}, 'EnableIPv6', ['ignore'], id='ipv6-net-without-enable'),
    pytest.param(['Network'], {}, 'config', ['must be a dict'], id='config-not-dict'),
    pytest.param({}, {}, 'config', ['empty'], id='config-empty'),
    pytest.param(cfg(Network='10.244.0.0/16', network='10.0.0.0/8'), {}, 'config', ['ignores case'], id='case-duplicate'),
    # capacity: 10.244.0.0/24 in /26 = 4 subnets, the first never leased -> 3
    pytest.param(cfg(Network='10.244.0.0/24', SubnetLen=26), {'node_count': 4}, 'Network', ['3 usable subnets of /26', '4 nodes'], id='capacity-network'),
    # capacity: 10.244.1.0 .. 10.244.2.0 in /24 = 2 subnets
    pytest.param(
        cfg(SubnetMin='10.244.1.0', SubnetMax='10.244.2.0'),
        {'node_count': 3},
        'SubnetMin/SubnetMax',
        ['2 usable subnets of /24', '3 nodes'],
        id='capacity-range',
    ),
    pytest.param(
        cfg(Network='192.168.0.0/16'),
        {'node_networks': ['192.168.77.0/24']},
        'Network',
        ['overlaps the node network 192.168.77.0/24'],
        id='overlap-node-network',
    ),
    pytest.param(
        cfg(Network='192.168.0.0/16'), {'node_networks': [('node2', '192.168.77.12/32')]}, 'Network', ['192.168.77.12/32 (node2)'], id='overlap-node-host'
    ),
    pytest.param(cfg(Network='172.16.0.0/12'), {}, 'Network', ["Docker's default bridge network 172.17.0.0/16"], id='overlap-docker'),
    pytest.param(cfg(Network='172.17.128.0/17'), {}, 'Network', ['172.17.0.0/16'], id='inside-docker'),
    pytest.param(cfg(), {'node_networks': ['not-a-cidr']}, 'node_networks', ['not a CIDR'], id='bad-node-network'),
]


@pytest.mark.parametrize('config, kwargs, field, words', INVALID)
def test_invalid_config_is_rejected_naming_the_field(config, kwargs, field, words):
    with pytest.raises(FlannelConfigError) as info:
        validate(config, **kwargs)
    err = info.value
    assert err.field == field
    text = str(err)
    assert text.startswith(field + ': ')
    for word in words:
        assert word in text


def test_example_message_from_the_docs():
    with pytest.raises(FlannelConfigError) as info:
        validate({'Network': '10.244.0.0/33'})
    assert str(info.value) == "Network: '10.244.0.0/33' is not a valid IPv4 CIDR; use e.g. 10.244.0.0/16"


def test_psk_is_never_echoed():
    with pytest.raises(FlannelConfigError) as info:
        validate(cfg(Backend={'Type': 'wireguard', 'PSK': 'my-very-secret-words'}))
    assert 'my-very-secret-words' not in str(info.value)


def test_ipsec_psk_length():
    with pytest.raises(FlannelConfigError) as info:
        validate(cfg(Backend={'Type': 'ipsec', 'PSK': 'x' * 95}))
    assert info.value.field == 'Backend.PSK' and '96' in str(info.value)
    assert validate(cfg(Backend={'Type': 'ipsec', 'PSK': 'x' * 96}))['Backend']['PSK'] == 'x' * 96


# ----------------------------------------------------------------------------- valid configs


@pytest.mark.parametrize(
    'config, expected',
    [
        ({'Network': '10.244.0.0/16'}, {'Network': '10.244.0.0/16', 'Backend': {'Type': 'vxlan'}}),
        (
            {'backend': {'vni': '2', 'type': 'VXLAN', 'directrouting': 'yes'}, 'subnetlen': '26', 'network': ' 10.244.0.0/16 '},
            {'Network': '10.244.0.0/16', 'SubnetLen': 26, 'Backend': {'Type': 'vxlan', 'VNI': 2, 'DirectRouting': True}},
        ),
        ({'Network': '10.244.0.0/16', 'Backend': {'VNI': 3}}, {'Network': '10.244.0.0/16', 'Backend': {'Type': 'vxlan', 'VNI': 3}}),
        (
            {'Network': '10.50.0.0/16', 'SubnetMin': '10.50.10.0', 'SubnetMax': '10.50.99.0', 'Backend': {'Type': 'host-gw'}},
            {'Network': '10.50.0.0/16', 'SubnetMin': '10.50.10.0', 'SubnetMax': '10.50.99.0', 'Backend': {'Type': 'host-gw'}},
        ),
        (
            {'EnableIPv6': True, 'IPv6Network': 'FD00:10:244:0::/56', 'Network': '10.244.0.0/16', 'Backend': {'Type': 'vxlan'}},
            {'Network': '10.244.0.0/16', 'EnableIPv6': True, 'IPv6Network': 'fd00:10:244::/56', 'Backend': {'Type': 'vxlan'}},
        ),
        (
            {'EnableIPv4': False, 'EnableIPv6': True, 'IPv6Network': 'fd00::/48', 'Backend': {'Type': 'wireguard', 'PSK': WG_PSK, 'Mode': 'IPv6'}},
            {'EnableIPv4': False, 'EnableIPv6': True, 'IPv6Network': 'fd00::/48', 'Backend': {'Type': 'wireguard', 'PSK': WG_PSK, 'Mode': 'ipv6'}},
        ),
    ],
)
def test_valid_config_is_normalized(config, expected):
    result = validate(config, node_count=3, node_networks=['192.168.77.0/24'])
    assert result == expected
    assert list(result) == list(expected)  # flannel's key order


def test_validate_does_not_modify_its_input():
    config = {'network': '10.244.0.0/16'}
    validate(config)
    assert config == {'network': '10.244.0.0/16'}


def test_docker_bridge_check_can_be_turned_off():
    assert validate(cfg(Network='172.17.0.0/16'), docker_bridge=None)['Network'] == '172.17.0.0/16'


def test_node_networks_of_other_family_are_ignored():
    assert validate(cfg(), node_networks=['fd00::/8', '10.0.0.1/32'])['Network'] == NET


# ----------------------------------------------------------------------------- capacity and boundaries


@pytest.mark.parametrize(
    'config, subnets',
    [
        # /16 in /24: 256 subnets, the first is never leased -> 255
        (cfg(), 255),
        # /16 in /26: 1024 - 1
        (cfg(SubnetLen=26), 1023),
        # /28 (smallest network): default SubnetLen = 28 + 2 = 30 -> 4 subnets - 1
        (cfg(Network='10.0.0.0/28'), 3),
        # /23: default SubnetLen = 25 (prefix + 2 because /23 is smaller than /22) -> 4 - 1
        (cfg(Network='10.0.0.0/23'), 3),
        # /22: default SubnetLen = 24 -> 4 - 1
        (cfg(Network='10.0.0.0/22'), 3),
        # 10.244.10.0 .. 10.244.99.0 in /24: 99 - 10 + 1
        (cfg(SubnetMin='10.244.10.0', SubnetMax='10.244.99.0'), 90),
        # 10.244.0.0 may be given explicitly: 0..3 in /24 -> 4
        (cfg(SubnetMin='10.244.0.0', SubnetMax='10.244.3.0'), 4),
        # /16 in /20 from 10.244.16.0 to the default max 10.244.240.0: (240 - 16) / 16 + 1
        (cfg(SubnetLen=20, SubnetMin='10.244.16.0'), 15),
        # single subnet
        (cfg(SubnetMin='10.244.5.0', SubnetMax='10.244.5.0'), 1),
        # dual stack: the smaller family counts; fd00::/62 in /64 -> 4 - 1 = 3 < 255
        (cfg(EnableIPv6=True, IPv6Network='fd00::/62'), 3),
    ],
)
def test_capacity(config, subnets):
    assert capacity(config) == subnets


def test_capacity_exactly_enough_nodes_passes_and_one_more_fails():
    config = cfg(SubnetMin='10.244.10.0', SubnetMax='10.244.19.0')  # 10 subnets
    assert validate(config, node_count=10)['SubnetMax'] == '10.244.19.0'
    with pytest.raises(FlannelConfigError) as info:
        validate(config, node_count=11)
    assert '10 usable subnets of /24 but 11 nodes' in str(info.value)


def test_smallest_network_and_longest_subnet_are_accepted():
    assert validate(cfg(Network='10.0.0.0/28', SubnetLen=30), node_count=3)['SubnetLen'] == 30


@pytest.mark.parametrize(
    'sublen, address, aligned',
    [
        (24, '10.244.3.1', '10.244.3.0'),
        (25, '10.244.3.200', '10.244.3.128'),
        (22, '10.244.7.0', '10.244.4.0'),
        (30, '10.244.0.6', '10.244.0.4'),
    ],
)
def test_boundary_message_proposes_the_aligned_address(sublen, address, aligned):
    with pytest.raises(FlannelConfigError) as info:
        validate(cfg(SubnetLen=sublen, SubnetMin=address))
    assert str(info.value).endswith('use %s' % aligned)


@pytest.mark.parametrize('sublen, address', [(24, '10.244.3.0'), (25, '10.244.3.128'), (22, '10.244.4.0'), (30, '10.244.0.4')])
def test_aligned_addresses_pass(sublen, address):
    assert validate(cfg(SubnetLen=sublen, SubnetMin=address))['SubnetMin'] == address


@pytest.mark.parametrize(
    'network, node_network, overlaps',
    [
        ('10.244.0.0/16', '10.243.255.255/32', False),
        ('10.244.0.0/16', '10.244.0.0/32', True),
        ('10.244.0.0/16', '10.244.255.255/32', True),
        ('10.244.0.0/16', '10.245.0.0/16', False),
        ('10.244.0.0/16', '10.0.0.0/8', True),
        ('10.244.0.0/16', '10.244.128.0/17', True),
    ],
)
def test_overlap(network, node_network, overlaps):
    if overlaps:
        with pytest.raises(FlannelConfigError) as info:
            validate(cfg(Network=network), node_networks=[node_network])
        assert 'overlaps the node network %s' % node_network in str(info.value)
    else:
        assert validate(cfg(Network=network), node_networks=[node_network])['Network'] == network
