# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests for module_utils/docker_daemon.py, systemd_unit.py and docker_unit.py: daemon.json merge,
bip/mtu validation, and the
conflicts between docker.service's ExecStart= flags and daemon.json.

Expected texts are written out by hand.
"""

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.podnet.flannel.plugins.module_utils import docker_daemon as dd
from ansible_collections.podnet.flannel.plugins.module_utils import docker_unit as du
from ansible_collections.podnet.flannel.plugins.module_utils import systemd_unit as su


USER_CONFIG = """{
    "log-driver": "journald",
    "storage-driver": "overlay2",
    "registry-mirrors": ["https://mirror.example.com"],
    "mtu": 1500
}
"""

DEBIAN_UNIT = """[Unit]
Description=Docker Application Container Engine

[Service]
Type=notify
EnvironmentFile=-/etc/default/docker
ExecStart=/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock $DOCKER_OPTS
ExecReload=/bin/kill -s HUP $MAINPID

[Install]
WantedBy=multi-user.target
"""

BRIDGE = {'bip': '10.244.72.1/24', 'mtu': 1450, 'ip-masq': False}


def units(*files, editable=()):
    return [{'path': path, 'text': text, 'editable': path in editable} for path, text in files]


def no_env(path):
    return None


# ----------------------------------------------------------------------------- daemon.json


def test_merge_keeps_other_keys_and_their_order_and_appends_new_keys():
    plan = dd.plan_daemon_json(USER_CONFIG, '/etc/docker/daemon.json', dd.desired_settings(bip='10.244.72.1/24', mtu=1450, ip_masq=False))
    assert list(plan['after']) == ['log-driver', 'storage-driver', 'registry-mirrors', 'mtu', 'bip', 'ip-masq']
    assert plan['after']['registry-mirrors'] == ['https://mirror.example.com']
    assert plan['after']['mtu'] == 1450
    assert plan['changes'] == [('bip', None, '10.244.72.1/24'), ('mtu', 1500, 1450), ('ip-masq', None, False)]
    assert (
        plan['after_text']
        == """{
  "log-driver": "journald",
  "storage-driver": "overlay2",
  "registry-mirrors": [
    "https://mirror.example.com"
  ],
  "mtu": 1450,
  "bip": "10.244.72.1/24",
  "ip-masq": false
}
"""
    )
    assert plan['before_text'] == USER_CONFIG
    assert plan['changed'] is True


def test_merge_of_equal_values_changes_nothing_and_keeps_the_text():
    text = '{"bip":"10.244.72.1/24","mtu":1450,"ip-masq":false,"debug":true}'
    plan = dd.plan_daemon_json(text, '/etc/docker/daemon.json', dict(BRIDGE))
    assert plan['changed'] is False
    assert plan['changes'] == []
    assert plan['after_text'] == text


def test_merge_json_true_is_not_one():
    plan = dd.plan_daemon_json('{"ip-masq": 0}', 'd.json', {'ip-masq': False})
    assert plan['changes'] == [('ip-masq', 0, False)]


@pytest.mark.parametrize('text', [None, '', '  \n'])
def test_missing_or_empty_file_is_an_empty_config(text):
    plan = dd.plan_daemon_json(text, 'd.json', {'mtu': 1450})
    assert plan['before'] == {}
    assert plan['after_text'] == '{\n  "mtu": 1450\n}\n'


def test_invalid_json_names_the_file():
    with pytest.raises(dd.BridgeConfigError, match=r'^/etc/docker/daemon\.json is not valid JSON: .*line 1'):
        dd.load_daemon_json('{"bip": "10.0.0.1/24",}', '/etc/docker/daemon.json')


def test_json_that_is_not_an_object_names_the_file():
    with pytest.raises(dd.BridgeConfigError, match=r'^/x/daemon\.json does not hold a JSON object but a list'):
        dd.load_daemon_json('["bip"]', '/x/daemon.json')


def test_bridge_key_with_bip_is_refused():
    plan = dd.plan_daemon_json('{"bridge": "br0"}', 'd.json', {'bip': '10.244.72.1/24'})
    assert len(plan['errors']) == 1
    assert '"bridge"' in plan['errors'][0] and 'mutually exclusive' in plan['errors'][0]


def test_fixed_cidr_outside_bip_is_refused_inside_is_fine():
    outside = dd.plan_daemon_json('{"fixed-cidr": "10.1.0.0/24"}', 'd.json', {'bip': '10.244.72.1/24'})
    assert 'not inside bip 10.244.72.1/24' in outside['errors'][0]
    inside = dd.plan_daemon_json('{"fixed-cidr": "10.244.72.128/25"}', 'd.json', {'bip': '10.244.72.1/24'})
    assert inside['errors'] == []


# ----------------------------------------------------------------------------- validation


@pytest.mark.parametrize('bip', ['10.244.72.1/24', '10.244.72.254/24', '192.168.5.1/31'])
def test_valid_bip(bip):
    assert dd.validate_bip(bip) == bip


def test_network_address_bip_suggests_first_host():
    with pytest.raises(dd.BridgeConfigError) as exc:
        dd.validate_bip('10.244.72.0/24')
    assert str(exc.value) == 'bip: 10.244.72.0/24 is the network address of 10.244.72.0/24; use the first host address 10.244.72.1/24'


@pytest.mark.parametrize(
    'bip, message',
    [
        ('10.244.72.1', 'has no prefix length'),
        ('10.244.72.255/24', 'broadcast address'),
        ('10.244.300.1/24', 'is not an address with prefix'),
        ('fd00::1/64', 'IPv6'),
    ],
)
def test_invalid_bip(bip, message):
    with pytest.raises(dd.BridgeConfigError, match=message):
        dd.validate_bip(bip)


@pytest.mark.parametrize('mtu', [67, 65536, 0, True])
def test_mtu_out_of_range(mtu):
    with pytest.raises(dd.BridgeConfigError):
        dd.validate_mtu(mtu)


def test_mtu_bounds():
    assert dd.validate_mtu(68) == 68
    assert dd.validate_mtu('65535') == 65535


def test_settings_from_subnet_env_inverts_ipmasq():
    env = {'network': '10.244.0.0/16', 'subnet': '10.244.72.1/24', 'mtu': 1450, 'ipmasq': True}
    assert dd.settings_from_subnet_env(env) == {'bip': '10.244.72.1/24', 'mtu': 1450, 'ip_masq': False}
    env['ipmasq'] = False
    assert dd.settings_from_subnet_env(env)['ip_masq'] is True


def test_settings_from_subnet_env_without_subnet():
    with pytest.raises(dd.BridgeConfigError, match='/run/flannel/subnet.env has no FLANNEL_SUBNET'):
        dd.settings_from_subnet_env({'network': '10.244.0.0/16'}, '/run/flannel/subnet.env')


# ----------------------------------------------------------------------------- unit parsing


def test_split_command_quotes_and_raw_text():
    tokens = su.split_command('/usr/bin/dockerd --label "a b" \'--bip=1.2.3.4/24\' x\\ y')
    assert [t['value'] for t in tokens] == ['/usr/bin/dockerd', '--label', 'a b', '--bip=1.2.3.4/24', 'x y']
    assert [t['raw'] for t in tokens] == ['/usr/bin/dockerd', '--label', '"a b"', "'--bip=1.2.3.4/24'", 'x\\ y']


def test_parse_unit_joins_continuation_lines():
    text = '[Service]\nExecStart=/usr/sbin/dockerd \\\n  --bip 10.1.0.1/24 \\\n  -H fd://\nType=notify\n'
    directives = su.parse_unit(text)
    assert directives[0] == {'section': 'Service', 'key': 'ExecStart', 'value': '/usr/sbin/dockerd  --bip 10.1.0.1/24  -H fd://', 'first': 1, 'last': 3}
    assert directives[1]['key'] == 'Type'


@pytest.mark.parametrize(
    'command, expected',
    [
        ('/usr/sbin/dockerd --bip=10.1.0.1/24', [('--bip', '--bip=10.1.0.1/24')]),
        ('/usr/sbin/dockerd --bip 10.1.0.1/24 -H fd://', [('--bip', '--bip 10.1.0.1/24')]),
        ('/usr/sbin/dockerd --mtu=1400 --ip-masq=false', [('--mtu', '--mtu=1400'), ('--ip-masq', '--ip-masq=false')]),
        ('/usr/sbin/dockerd --ip-masq -H fd://', [('--ip-masq', '--ip-masq')]),
        ('/usr/sbin/dockerd -b br0', [('-b', '-b br0')]),
        ('/usr/sbin/dockerd --bridge=br0 --fixed-cidr 10.1.0.0/25', [('--bridge', '--bridge=br0'), ('--fixed-cidr', '--fixed-cidr 10.1.0.0/25')]),
        ('/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock', []),
        ('/usr/sbin/dockerd --bip-fake=1 -- --bip=1.2.3.4/24', []),
    ],
)
def test_find_flags(command, expected):
    words = su.command_words(command, {})
    assert [(f['flag'], f['text']) for f in du.find_flags(words)] == expected


# ----------------------------------------------------------------------------- conflicts


def test_packaged_unit_without_flags_has_no_conflict():
    result = du.analyze_units(units(('/lib/systemd/system/docker.service', DEBIAN_UNIT)), BRIDGE, no_env)
    assert result['conflicts'] == []
    assert len(result['entries']) == 1


def test_conflict_in_dropin_names_file_line_and_flag():
    dropin = '[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd:// --bip=172.18.0.1/16 --mtu 1400\n'
    files = units(
        ('/lib/systemd/system/docker.service', DEBIAN_UNIT),
        ('/etc/systemd/system/docker.service.d/override.conf', dropin),
        editable=('/etc/systemd/system/docker.service.d/override.conf',),
    )
    conflicts = du.analyze_units(files, BRIDGE, no_env)['conflicts']
    assert [(c['path'], c['line'], c['flag'], c['text'], c['editable']) for c in conflicts] == [
        ('/etc/systemd/system/docker.service.d/override.conf', 3, '--bip', '--bip=172.18.0.1/16', True),
        ('/etc/systemd/system/docker.service.d/override.conf', 3, '--mtu', '--mtu 1400', True),
    ]
    assert 'dockerd refuses to start' in conflicts[0]['reason']
    line = du.describe_conflict(conflicts[0])
    assert '/etc/systemd/system/docker.service.d/override.conf' in line and '--bip=172.18.0.1/16' in line and 'unit_conflicts=remove' in line


def test_flag_only_conflicts_with_keys_in_daemon_json():
    unit = '[Service]\nExecStart=/usr/sbin/dockerd --iptables=false --ip-masq=false\n'
    files = units(('/lib/systemd/system/docker.service', unit))
    assert du.analyze_units(files, {'bip': '10.244.72.1/24'}, no_env)['conflicts'] == []
    assert [c['flag'] for c in du.analyze_units(files, {'iptables': True}, no_env)['conflicts']] == ['--iptables']


def test_bridge_flag_conflicts_with_bip():
    files = units(('/lib/systemd/system/docker.service', '[Service]\nExecStart=/usr/sbin/dockerd -b br0\n'))
    conflicts = du.analyze_units(files, {'bip': '10.244.72.1/24'}, no_env)['conflicts']
    assert [(c['flag'], c['key']) for c in conflicts] == [('-b', 'bridge')]
    assert 'mutually exclusive' in conflicts[0]['reason']


def test_execstart_reset_in_a_later_dropin_clears_the_conflicting_line():
    bad = '[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd --bip=172.18.0.1/16\n'
    reset = '[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd://\n'
    files = units(
        ('/lib/systemd/system/docker.service', DEBIAN_UNIT),
        ('/etc/systemd/system/docker.service.d/10-bip.conf', bad),
        ('/etc/systemd/system/docker.service.d/20-reset.conf', reset),
    )
    result = du.analyze_units(files, BRIDGE, no_env)
    assert result['conflicts'] == []
    assert [e['path'] for e in result['entries']] == ['/etc/systemd/system/docker.service.d/20-reset.conf']


def test_dropin_without_reset_adds_to_the_unit_line():
    extra = '[Service]\nExecStart=/usr/sbin/dockerd --mtu=1400\n'
    files = units(('/lib/systemd/system/docker.service', DEBIAN_UNIT), ('/etc/systemd/system/docker.service.d/x.conf', extra))
    result = du.analyze_units(files, BRIDGE, no_env)
    assert len(result['entries']) == 2
    assert [c['flag'] for c in result['conflicts']] == ['--mtu']


def test_flag_from_environment_file_names_that_file():
    files = units(('/lib/systemd/system/docker.service', DEBIAN_UNIT))
    env_text = '# Docker Upstart and SysVinit configuration file\nDOCKER_OPTS="--dns 8.8.8.8 --bip=172.18.0.1/16"\n'

    def read(path):
        return env_text if path == '/etc/default/docker' else None

    conflicts = du.analyze_units(files, BRIDGE, read)['conflicts']
    assert [(c['path'], c['flag'], c['variable'], c['editable']) for c in conflicts] == [('/etc/default/docker', '--bip', 'DOCKER_OPTS', False)]
    assert 'remove --bip=172.18.0.1/16 from DOCKER_OPTS in /etc/default/docker' in du.describe_conflict(conflicts[0])


# ----------------------------------------------------------------------------- fixes


def test_fix_edits_the_editable_dropin_only():
    dropin = '# local\n[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd:// --bip 172.18.0.1/16 \\\n    --log-level=warn\nLimitNOFILE=4096\n'
    path = '/etc/systemd/system/docker.service.d/override.conf'
    files = units(('/lib/systemd/system/docker.service', DEBIAN_UNIT), (path, dropin), editable=(path,))
    changes, remaining = du.plan_unit_fixes(files, BRIDGE, '/etc/systemd/system/docker.service.d', no_env)
    assert remaining == []
    assert changes == {path: '# local\n[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd:// --log-level=warn\nLimitNOFILE=4096\n'}


def test_fix_overrides_a_conflict_in_the_packaged_unit_with_a_dropin():
    unit = DEBIAN_UNIT.replace('$DOCKER_OPTS', '--mtu=1500 $DOCKER_OPTS')
    files = units(('/lib/systemd/system/docker.service', unit))
    changes, remaining = du.plan_unit_fixes(files, BRIDGE, '/etc/systemd/system/docker.service.d', no_env)
    assert remaining == []
    assert list(changes) == ['/etc/systemd/system/docker.service.d/podnet-execstart.conf']
    text = changes['/etc/systemd/system/docker.service.d/podnet-execstart.conf']
    assert text.endswith('[Service]\nExecStart=\nExecStart=/usr/sbin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock $DOCKER_OPTS\n')
    assert '/lib/systemd/system/docker.service' in text


def test_fix_cannot_remove_a_flag_from_a_variable():
    files = units(('/lib/systemd/system/docker.service', DEBIAN_UNIT))

    def read(path):
        return 'DOCKER_OPTS="--bip=172.18.0.1/16"\n' if path == '/etc/default/docker' else None

    changes, remaining = du.plan_unit_fixes(files, BRIDGE, '/etc/systemd/system/docker.service.d', read)
    assert changes == {}
    assert [(c['path'], c['flag']) for c in remaining] == [('/etc/default/docker', '--bip')]


# ----------------------------------------------------------------------------- file system


def test_find_unit_files_order_masking_and_editable(tmp_path):
    etc = tmp_path / 'etc'
    lib = tmp_path / 'lib'
    (etc / 'docker.service.d').mkdir(parents=True)
    (lib / 'docker.service.d').mkdir(parents=True)
    (lib / 'docker.service').write_text(DEBIAN_UNIT)
    (lib / 'docker.service.d' / '10-vendor.conf').write_text('[Service]\n')
    (lib / 'docker.service.d' / '50-same.conf').write_text('# lib\n')
    (etc / 'docker.service.d' / '50-same.conf').write_text('# etc\n')
    (etc / 'docker.service.d' / '90-local.conf').write_text('[Service]\n')
    (etc / 'docker.service.d' / 'notes.txt').write_text('ignored')
    found = su.find_unit_files([str(etc / 'docker.service'), str(lib / 'docker.service')], str(etc / 'docker.service.d'))
    assert [(os.path.relpath(u['path'], str(tmp_path)), u['editable']) for u in found] == [
        ('lib/docker.service', False),
        ('lib/docker.service.d/10-vendor.conf', False),
        ('etc/docker.service.d/50-same.conf', True),
        ('etc/docker.service.d/90-local.conf', True),
    ]
    assert found[2]['text'] == '# etc\n'


def test_find_unit_files_without_unit(tmp_path):
    assert su.find_unit_files([str(tmp_path / 'docker.service')], str(tmp_path / 'docker.service.d')) == []


def test_dump_round_trip():
    config = json.loads('{"b": 1, "a": {"x": [1, 2]}}')
    assert dd.load_daemon_json(dd.dump_daemon_json(config)) == config
    assert list(dd.load_daemon_json(dd.dump_daemon_json(config))) == ['b', 'a']


def test_remove_drops_only_the_lease_keys_and_keeps_the_rest_in_order():
    text = '{\n  "log-driver": "journald",\n  "bip": "10.244.5.1/24",\n  "iptables": true,\n  "mtu": 1450,\n  "ip-masq": false\n}\n'
    plan = dd.plan_daemon_json(text, '/etc/docker/daemon.json', {}, remove=dd.LEASE_KEYS)
    assert plan['changed']
    assert list(plan['after']) == ['log-driver', 'iptables']
    assert json.loads(plan['after_text']) == {'log-driver': 'journald', 'iptables': True}
    assert plan['changes'] == [('bip', '10.244.5.1/24', None), ('mtu', 1450, None), ('ip-masq', False, None)]


def test_remove_without_lease_keys_changes_nothing_and_keeps_the_text():
    text = '{"log-driver":"journald"}'
    plan = dd.plan_daemon_json(text, '/etc/docker/daemon.json', {}, remove=dd.LEASE_KEYS)
    assert not plan['changed']
    assert plan['after_text'] == text
    assert plan['changes'] == []


@pytest.mark.parametrize(
    'text, expected',
    [
        ('Docker version 28.5.2+dfsg4, build 3ef3c07c883be49a2e8097bcf6d2952fce1d70eb', (28, 5, 2)),
        ('Docker version 20.10.24+dfsg1, build 5d6db84', (20, 10, 24)),
        ('26.1.5+dfsg1', (26, 1, 5)),
        ('29.1', (29, 1, 0)),
        ('dockerd: command not found', None),
        ('', None),
        (None, None),
    ],
)
def test_parse_engine_version(text, expected):
    assert dd.parse_engine_version(text) == expected


def test_allow_direct_routing_is_a_setting_appended_after_the_lease_keys():
    settings = dd.desired_settings(bip='10.244.72.1/24', mtu=1450, ip_masq=False, allow_direct_routing=True)
    assert list(settings) == ['bip', 'mtu', 'ip-masq', 'allow-direct-routing']
    assert settings['allow-direct-routing'] is True
    with pytest.raises(dd.BridgeConfigError, match='allow_direct_routing'):
        dd.desired_settings(allow_direct_routing='yes')


@pytest.mark.parametrize(
    'version, refused',
    [
        ((20, 10, 24), True),
        ((26, 1, 5), True),
        ((28, 1, 1), True),
        ((28, 2, 0), False),
        ((28, 5, 2), False),
        ((29, 0, 0), False),
    ],
)
def test_engine_keys_refuse_allow_direct_routing_before_28_2(version, refused):
    errors = dd.check_engine_keys({'bip': '10.244.72.1/24', 'allow-direct-routing': True}, version)
    assert bool(errors) is refused
    if refused:
        assert errors == [
            'allow-direct-routing needs Docker 28.2.0 or later, this engine is %s'
            ' (dockerd does not start with a key it does not know)' % '.'.join(map(str, version))
        ]


def test_engine_keys_without_version_specific_keys_pass_on_any_engine():
    assert dd.check_engine_keys({'bip': '10.244.72.1/24', 'mtu': 1450, 'ip-masq': False}, (20, 10, 24)) == []
    assert dd.check_engine_keys({'allow-direct-routing': False}, None) == []


def test_reset_keeps_allow_direct_routing():
    text = '{"bip": "10.244.72.1/24", "mtu": 1450, "ip-masq": false, "allow-direct-routing": true}\n'
    plan = dd.plan_daemon_json(text, '/etc/docker/daemon.json', {}, remove=dd.LEASE_KEYS)
    assert plan['after'] == {'allow-direct-routing': True}


def test_settings_from_a_dual_stack_lease_give_the_ipv6_subnet_not_its_first_address():
    env = {'subnet': '10.244.72.1/24', 'mtu': 1450, 'ipmasq': True, 'ipv6_subnet': 'fd00:10:244:5::1/64'}
    assert dd.settings_from_subnet_env(env) == {
        'bip': '10.244.72.1/24',
        'mtu': 1450,
        'ip_masq': False,
        'fixed_cidr_v6': 'fd00:10:244:5::/64',
        'ipv6': True,
    }


def test_an_ipv4_lease_sets_no_ipv6_key():
    assert 'ipv6' not in dd.settings_from_subnet_env({'subnet': '10.244.72.1/24'})


def test_dual_stack_keys_are_appended_in_order():
    settings = dd.desired_settings(bip='10.244.72.1/24', ip_masq=False, ipv6=True, fixed_cidr_v6='fd00:10:244:5::/64')
    assert list(settings) == ['bip', 'ip-masq', 'ipv6', 'fixed-cidr-v6']


@pytest.mark.parametrize(
    'value, message',
    [
        ('fd00:10:244:5::1/64', 'use the subnet fd00:10:244:5::/64'),
        ('10.244.5.0/24', 'is an IPv4 network'),
        ('fd00::/127', 'leaves no room'),
        ('nonsense', 'such as fd00:10:244:5::/64'),
    ],
)
def test_invalid_fixed_cidr_v6(value, message):
    with pytest.raises(dd.BridgeConfigError, match='fixed_cidr_v6') as err:
        dd.validate_fixed_cidr_v6(value)
    assert message in str(err.value)


def test_fixed_cidr_v6_without_ipv6_is_refused():
    with pytest.raises(dd.BridgeConfigError, match='ipv6 is false'):
        dd.desired_settings(ipv6=False, fixed_cidr_v6='fd00:10:244:5::/64')
    errors = dd.check_daemon_config({'fixed-cidr-v6': 'fd00:10:244:5::/64'})
    assert errors and '"ipv6": true' in errors[0]


def test_reset_removes_the_dual_stack_keys_too():
    config = {'log-driver': 'journald', 'bip': '10.244.72.1/24', 'ipv6': True, 'fixed-cidr-v6': 'fd00:10:244:5::/64'}
    after, _changes = dd.remove_settings(config)
    assert after == {'log-driver': 'journald'}


def test_ipv6_flags_in_the_unit_conflict_with_daemon_json():
    assert du.FLAG_KEYS['--fixed-cidr-v6'] == 'fixed-cidr-v6'
    assert du.flag_conflict_reason('--fixed-cidr-v6', 'fixed-cidr-v6', {'fixed-cidr-v6': 'fd00::/64'})
    assert du.flag_conflict_reason('--ipv6', 'ipv6', {'bip': '10.244.72.1/24'}) is None
