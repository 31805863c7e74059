# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""etcd_key and etcd_key_info against the in-memory FakeEtcd (see conftest.py)."""

from __future__ import annotations

import json

from ansible_collections.podnet.flannel.plugins.modules import etcd_key, etcd_key_info

EP = 'http://10.0.0.1:2379'
EP2 = 'http://10.0.0.2:2379'
CONFIG = '/coreos.com/network/config'


def args(**kw):
    base = {'endpoints': [EP]}
    base.update(kw)
    return base


def writes(fake):
    return [c for c in fake.calls if c[2] in ('/v3/kv/put', '/v3/kv/txn', '/v3/kv/deleterange')]


# -- present: plain strings ------------------------------------------------------------------------


def test_present_creates_key(fake_etcd, run_module):
    result = run_module(etcd_key, args(key='/k', value='hello'))
    assert result['changed'] is True
    assert fake_etcd.value('/k') == 'hello'
    assert result['value'] == 'hello' and result['exists'] is True
    assert result['revision'] == fake_etcd.rev


def test_present_same_string_is_unchanged(fake_etcd, run_module):
    fake_etcd.seed('/k', 'hello')
    result = run_module(etcd_key, args(key='/k', value='hello'))
    assert result['changed'] is False
    assert writes(fake_etcd) == []


def test_present_string_compare_is_exact(fake_etcd, run_module):
    fake_etcd.seed('/k', 'hello ')
    result = run_module(etcd_key, args(key='/k', value='hello'))
    assert result['changed'] is True
    assert fake_etcd.value('/k') == 'hello'


def test_present_number_as_string(fake_etcd, run_module):
    result = run_module(etcd_key, args(key='/n', value=24))
    assert result['changed'] is True
    assert fake_etcd.value('/n') == '24'


def test_present_string_rejects_dict(fake_etcd, run_module):
    result = run_module(etcd_key, args(key='/k', value={'a': 1}))
    assert result['failed'] is True
    assert 'value_type=json' in result['msg']
    assert writes(fake_etcd) == []


# -- present: JSON ---------------------------------------------------------------------------------

NET = {'Network': '10.244.0.0/16', 'SubnetLen': 24, 'Backend': {'Type': 'vxlan'}}


def test_json_written_compact_with_sorted_keys(fake_etcd, run_module):
    result = run_module(etcd_key, args(key=CONFIG, value=NET, value_type='json'))
    assert result['changed'] is True
    stored = fake_etcd.value(CONFIG)
    assert stored == '{"Backend":{"Type":"vxlan"},"Network":"10.244.0.0/16","SubnetLen":24}'
    assert result['json'] == NET


def test_json_semantically_equal_is_unchanged(fake_etcd, run_module):
    # Same data, other key order, spacing and 24.0 for 24: no write, and the stored text stays.
    original = '{ "SubnetLen": 24.0,\n  "Network": "10.244.0.0/16", "Backend": {"Type": "vxlan"} }'
    fake_etcd.seed(CONFIG, original)
    result = run_module(etcd_key, args(key=CONFIG, value=NET, value_type='json'))
    assert result['changed'] is False
    assert writes(fake_etcd) == []
    assert fake_etcd.value(CONFIG) == original


def test_json_value_given_as_string(fake_etcd, run_module):
    fake_etcd.seed(CONFIG, json.dumps(NET))
    wanted = '{"Backend": {"Type": "vxlan"}, "SubnetLen": 24, "Network": "10.244.0.0/16"}'
    result = run_module(etcd_key, args(key=CONFIG, value=wanted, value_type='json'))
    assert result['changed'] is False


def test_json_bool_is_not_number(fake_etcd, run_module):
    fake_etcd.seed('/j', '{"a": 1}')
    result = run_module(etcd_key, args(key='/j', value={'a': True}, value_type='json'))
    assert result['changed'] is True
    assert json.loads(fake_etcd.value('/j')) == {'a': True}


def test_json_invalid_stored_value_is_replaced(fake_etcd, run_module):
    fake_etcd.seed('/j', 'not json')
    result = run_module(etcd_key, args(key='/j', value={'a': 1}, value_type='json'))
    assert result['changed'] is True
    assert json.loads(fake_etcd.value('/j')) == {'a': 1}


def test_json_invalid_wanted_value_fails(fake_etcd, run_module):
    result = run_module(etcd_key, args(key='/j', value='{nope', value_type='json'))
    assert result['failed'] is True and 'not valid JSON' in result['msg']


# -- check mode and diff --------------------------------------------------------------------------


def test_check_mode_does_not_write(fake_etcd, run_module):
    fake_etcd.seed(CONFIG, '{"Network":"10.1.0.0/16"}')
    result = run_module(etcd_key, args(key=CONFIG, value=NET, value_type='json'), check_mode=True, diff=True)
    assert result['changed'] is True
    assert writes(fake_etcd) == []
    assert fake_etcd.value(CONFIG) == '{"Network":"10.1.0.0/16"}'
    assert json.loads(result['diff']['before']) == {'Network': '10.1.0.0/16'}
    assert json.loads(result['diff']['after']) == NET


def test_check_mode_new_key(fake_etcd, run_module):
    result = run_module(etcd_key, args(key='/new', value='x'), check_mode=True, diff=True)
    assert result['changed'] is True
    assert fake_etcd.value('/new') is None
    assert result['diff']['before'] == '' and result['diff']['after'] == 'x\n'


def test_diff_unchanged_has_no_diff(fake_etcd, run_module):
    fake_etcd.seed('/k', 'v')
    result = run_module(etcd_key, args(key='/k', value='v'), diff=True)
    assert result['changed'] is False and 'diff' not in result


# -- leases ---------------------------------------------------------------------------------------


def test_update_without_lease_option_keeps_lease(fake_etcd, run_module):
    fake_etcd.leases.add(77)
    fake_etcd.seed('/l', 'old', lease=77)
    result = run_module(etcd_key, args(key='/l', value='new'))
    assert result['changed'] is True
    assert fake_etcd.store[b'/l']['lease'] == 77
    assert result['lease'] == 77


def test_lease_zero_detaches(fake_etcd, run_module):
    fake_etcd.leases.add(77)
    fake_etcd.seed('/l', 'v', lease=77)
    result = run_module(etcd_key, args(key='/l', value='v', lease=0))
    assert result['changed'] is True
    assert fake_etcd.store[b'/l']['lease'] == 0
    assert fake_etcd.value('/l') == 'v'


def test_lease_only_change_keeps_stored_text(fake_etcd, run_module):
    fake_etcd.leases.update({77, 88})
    fake_etcd.seed('/j', '{ "a" : 1 }', lease=77)
    result = run_module(etcd_key, args(key='/j', value={'a': 1}, value_type='json', lease=88))
    assert result['changed'] is True
    assert fake_etcd.store[b'/j']['lease'] == 88
    assert fake_etcd.value('/j') == '{ "a" : 1 }'


def test_same_lease_unchanged(fake_etcd, run_module):
    fake_etcd.leases.add(77)
    fake_etcd.seed('/l', 'v', lease=77)
    assert run_module(etcd_key, args(key='/l', value='v', lease=77))['changed'] is False


def test_unknown_lease_fails_with_etcd_message(fake_etcd, run_module):
    result = run_module(etcd_key, args(key='/l', value='v', lease=99))
    assert result['failed'] is True
    assert 'lease not found' in result['msg']
    assert result['key'] == '/l'


# -- concurrent writer ------------------------------------------------------------------------------


def test_concurrent_change_is_reread(fake_etcd, run_module):
    fake_etcd.seed('/c', 'a')
    # Another writer sets the wanted value between our read and our write.
    fake_etcd.before_txn = lambda fake: fake.seed('/c', 'b')
    result = run_module(etcd_key, args(key='/c', value='b'))
    assert fake_etcd.value('/c') == 'b'
    assert result['changed'] is False  # second look: already as wanted
    assert len(fake_etcd.paths('/v3/kv/range')) == 2


# -- absent --------------------------------------------------------------------------------------


def test_absent_key(fake_etcd, run_module):
    fake_etcd.seed('/a', '1')
    fake_etcd.seed('/ab', '2')
    result = run_module(etcd_key, args(key='/a', state='absent'))
    assert result['changed'] is True and result['deleted'] == 1
    assert fake_etcd.value('/a') is None and fake_etcd.value('/ab') == '2'
    again = run_module(etcd_key, args(key='/a', state='absent'))
    assert again['changed'] is False and again['deleted'] == 0


def test_absent_prefix(fake_etcd, run_module):
    for key in ('/s/a', '/s/b', '/s/c/d', '/t', '/s'):
        fake_etcd.seed(key, 'x')
    result = run_module(etcd_key, args(key='/s/', prefix=True, state='absent'), diff=True)
    assert result['changed'] is True and result['deleted'] == 3
    assert sorted(k.decode() for k in fake_etcd.store) == ['/s', '/t']
    assert result['diff']['before'].count('\n') == 3


def test_absent_check_mode_counts_but_keeps(fake_etcd, run_module):
    fake_etcd.seed('/s/a', 'x')
    fake_etcd.seed('/s/b', 'y')
    result = run_module(etcd_key, args(key='/s/', prefix=True, state='absent'), check_mode=True)
    assert result['changed'] is True and result['deleted'] == 2
    assert writes(fake_etcd) == []
    assert len(fake_etcd.store) == 2


# -- option errors -------------------------------------------------------------------------------


def test_present_with_prefix_is_refused(fake_etcd, run_module):
    result = run_module(etcd_key, args(key='/s/', prefix=True, value='x'))
    assert result['failed'] is True and 'prefix' in result['msg']
    assert fake_etcd.calls == []


def test_empty_key_refused(fake_etcd, run_module):
    result = run_module(etcd_key, args(key='', prefix=True, state='absent'))
    assert result['failed'] is True
    assert fake_etcd.calls == []


def test_present_needs_value(fake_etcd, run_module):
    result = run_module(etcd_key, args(key='/k'))
    assert result['failed'] is True and 'value' in result['msg']


# -- endpoints -----------------------------------------------------------------------------------


def test_failover_then_write(fake_etcd, run_module):
    fake_etcd.take_down(EP)
    result = run_module(etcd_key, args(key='/k', value='v', endpoints=[EP, EP2]))
    assert result['changed'] is True
    assert fake_etcd.value('/k') == 'v'


def test_all_endpoints_down(fake_etcd, run_module):
    fake_etcd.take_down(EP)
    fake_etcd.take_down(EP2)
    result = run_module(etcd_key, args(key='/k', value='v', endpoints=[EP, EP2]))
    assert result['failed'] is True
    assert EP in result['msg'] and EP2 in result['msg']
    assert result['endpoint_errors'] == {EP: 'connection refused', EP2: 'connection refused'}
    assert result['key'] == '/k'


def test_password_not_in_output(fake_etcd, run_module):
    fake_etcd.take_down(EP)
    result = run_module(etcd_key, args(key='/k', value='v', username='u', password='hunter2-secret'))
    assert 'hunter2-secret' not in json.dumps(result)


# -- etcd_key_info -------------------------------------------------------------------------------


def test_info_existing_key(fake_etcd, run_module):
    fake_etcd.seed(CONFIG, '{"Network":"10.244.0.0/16"}')
    fake_etcd.seed(CONFIG, '{"Network":"10.245.0.0/16"}')
    result = run_module(etcd_key_info, args(key=CONFIG, value_type='json'))
    assert result['changed'] is False and result['exists'] is True
    assert result['json'] == {'Network': '10.245.0.0/16'}
    assert result['version'] == 2
    assert result['create_revision'] < result['mod_revision'] == fake_etcd.rev


def test_info_missing_key(fake_etcd, run_module):
    result = run_module(etcd_key_info, args(key='/nope', value_type='json'))
    assert result['exists'] is False and result['value'] is None and result['json'] is None
    assert 'failed' not in result


def test_info_prefix_sorted_with_json(fake_etcd, run_module):
    fake_etcd.seed('/s/b', '{"PublicIP":"10.0.0.2"}')
    fake_etcd.seed('/s/a', '{"PublicIP":"10.0.0.1"}')
    fake_etcd.seed('/sx', '{}')
    result = run_module(etcd_key_info, args(key='/s/', prefix=True, value_type='json'))
    assert result['count'] == 2
    assert [kv['key'] for kv in result['kvs']] == ['/s/a', '/s/b']
    assert result['kvs'][1]['json'] == {'PublicIP': '10.0.0.2'}


def test_info_invalid_json_fails(fake_etcd, run_module):
    fake_etcd.seed('/j', '{oops')
    result = run_module(etcd_key_info, args(key='/j', value_type='json'))
    assert result['failed'] is True and '/j' in result['msg']


def test_info_all_keys_with_empty_prefix(fake_etcd, run_module):
    fake_etcd.seed('/a', '1')
    fake_etcd.seed('\x01', '2')
    result = run_module(etcd_key_info, args(key='', prefix=True))
    assert result['count'] == 2
