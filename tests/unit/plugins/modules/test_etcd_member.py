# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""etcd_member and etcd_cluster_info against the in-memory FakeEtcd (see conftest.py)."""

from __future__ import annotations

import pytest

from ansible_collections.podnet.flannel.plugins.modules import etcd_cluster_info, etcd_member

EP = ['http://10.0.0.1:2379', 'http://10.0.0.2:2379', 'http://10.0.0.3:2379']
PEER4 = 'http://10.0.0.4:2380'


@pytest.fixture
def cluster(fake_etcd):
    for i in (1, 2, 3):
        fake_etcd.add_member('etcd%d' % i, 'http://10.0.0.%d:2380' % i, 'http://10.0.0.%d:2379' % i)
    fake_etcd.leader = fake_etcd.members[1]['ID']
    return fake_etcd


def args(**kw):
    base = {'endpoints': list(EP)}
    base.update(kw)
    return base


def test_add_member(cluster, run_module):
    result = run_module(etcd_member, args(name='etcd4', peer_urls=[PEER4]))
    assert result['changed'] is True
    assert len(cluster.members) == 4
    new = cluster.members[-1]
    assert new['peerURLs'] == [PEER4]
    assert result['member']['id'] == new['ID']
    assert result['member']['id_hex'] == format(new['ID'], 'x')
    assert result['initial_cluster'].split(',') == ['etcd1=http://10.0.0.1:2380', 'etcd2=http://10.0.0.2:2380', 'etcd3=http://10.0.0.3:2380', 'etcd4=' + PEER4]


def test_add_is_idempotent(cluster, run_module):
    run_module(etcd_member, args(name='etcd4', peer_urls=[PEER4]))
    again = run_module(etcd_member, args(name='etcd4', peer_urls=[PEER4 + '/']))
    assert again['changed'] is False
    assert len(cluster.members) == 4
    assert len(cluster.paths('/v3/cluster/member/add')) == 1
    assert 'etcd4=' + PEER4 in again['initial_cluster'].split(',')


def test_add_check_mode(cluster, run_module):
    result = run_module(etcd_member, args(name='etcd4', peer_urls=[PEER4]), check_mode=True, diff=True)
    assert result['changed'] is True
    assert cluster.paths('/v3/cluster/member/add') == []
    assert len(cluster.members) == 3
    assert result['member']['id'] is None
    assert 'etcd4=' + PEER4 in result['initial_cluster'].split(',')
    assert PEER4 not in result['diff']['before'] and PEER4 in result['diff']['after']


def test_add_learner(cluster, run_module):
    result = run_module(etcd_member, args(name='etcd4', peer_urls=[PEER4], is_learner=True))
    assert cluster.members[-1]['isLearner'] is True
    assert result['member']['is_learner'] is True


def test_existing_member_under_other_name_fails(cluster, run_module):
    result = run_module(etcd_member, args(name='other', peer_urls=['http://10.0.0.2:2380']))
    assert result['failed'] is True and 'etcd2' in result['msg']
    assert cluster.paths('/v3/cluster/member/add') == []


def test_partial_peer_url_overlap_fails(cluster, run_module):
    result = run_module(etcd_member, args(name='etcd2', peer_urls=['http://10.0.0.2:2380', 'http://10.9.9.9:2380']))
    assert result['failed'] is True and 'http://10.0.0.2:2380' in result['msg']
    assert len(cluster.members) == 3


def test_name_taken_by_other_peer_fails(cluster, run_module):
    result = run_module(etcd_member, args(name='etcd3', peer_urls=[PEER4]))
    assert result['failed'] is True and 'etcd3' in result['msg']
    assert len(cluster.members) == 3


def test_remove_by_name(cluster, run_module):
    gone = cluster.members[2]['ID']
    result = run_module(etcd_member, args(name='etcd3', state='absent'), diff=True)
    assert result['changed'] is True
    assert [m['ID'] for m in cluster.members if m['ID'] == gone] == []
    assert result['member']['id'] == gone
    assert len(result['members']) == 2
    assert 'etcd3' in result['diff']['before'] and 'etcd3' not in result['diff']['after']
    again = run_module(etcd_member, args(name='etcd3', state='absent'))
    assert again['changed'] is False and again['member'] is None


def test_remove_unstarted_member_by_peer_url(cluster, run_module):
    run_module(etcd_member, args(name='etcd4', peer_urls=[PEER4]))
    result = run_module(etcd_member, args(peer_urls=[PEER4], state='absent'))
    assert result['changed'] is True
    assert len(cluster.members) == 3


def test_remove_check_mode(cluster, run_module):
    result = run_module(etcd_member, args(name='etcd1', state='absent'), check_mode=True)
    assert result['changed'] is True and len(result['members']) == 2
    assert cluster.paths('/v3/cluster/member/remove') == []
    assert len(cluster.members) == 3


def test_refuse_removing_last_member(fake_etcd, run_module):
    fake_etcd.add_member('solo', 'http://10.0.0.1:2380', 'http://10.0.0.1:2379')
    result = run_module(etcd_member, args(name='solo', state='absent'))
    assert result['failed'] is True and 'last member' in result['msg']
    assert len(fake_etcd.members) == 1
    assert fake_etcd.paths('/v3/cluster/member/remove') == []


def test_absent_needs_name_or_peer_urls(cluster, run_module):
    result = run_module(etcd_member, args(state='absent'))
    assert result['failed'] is True


# -- etcd_cluster_info ---------------------------------------------------------------------------


def test_cluster_info_all_healthy(cluster, run_module):
    result = run_module(etcd_cluster_info, args())
    assert result['changed'] is False and result['healthy'] is True
    assert result['leader']['name'] == 'etcd2'
    assert result['leader']['id'] == cluster.members[1]['ID']
    assert [m['name'] for m in result['members']] == ['etcd1', 'etcd2', 'etcd3']
    assert result['members'][0]['id_hex'] == format(cluster.members[0]['ID'], 'x')
    assert [e['member_name'] for e in result['endpoints']] == ['etcd1', 'etcd2', 'etcd3']
    assert result['version'] == '3.4.23' and result['db_size'] == 24576


def test_cluster_info_reports_down_endpoint(cluster, run_module):
    cluster.take_down(EP[0])
    cluster.unhealthy[EP[2]] = 'RAFT NO LEADER'
    result = run_module(etcd_cluster_info, args())
    assert 'failed' not in result
    assert result['healthy'] is False
    first, second, third = result['endpoints']
    assert first['healthy'] is False and first['error'] == 'connection refused' and first['version'] is None
    assert second['healthy'] is True and second['error'] is None
    assert third['healthy'] is False and 'NO LEADER' in third['error']
    assert len(result['members']) == 3


def test_cluster_info_no_leader(cluster, run_module):
    cluster.leader = 0
    result = run_module(etcd_cluster_info, args())
    assert result['leader'] is None and result['healthy'] is False
    assert all(e['error'] == 'no leader' for e in result['endpoints'])


def test_cluster_info_fails_when_none_answers(cluster, run_module):
    for endpoint in EP:
        cluster.take_down(endpoint)
    result = run_module(etcd_cluster_info, args())
    assert result['failed'] is True
    for endpoint in EP:
        assert endpoint in result['msg']
    assert result['endpoint_errors'] == {e: 'connection refused' for e in EP}


def test_cluster_info_check_mode(cluster, run_module):
    assert run_module(etcd_cluster_info, args(), check_mode=True)['healthy'] is True
