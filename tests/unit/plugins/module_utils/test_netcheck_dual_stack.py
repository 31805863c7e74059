# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests for the dual-stack side of module_utils/netcheck_*.py: IPv6 seen addresses, the IPv6
pairs (ids, URLs, expected addresses), verdicts and rules per family, and an IPv4-only report
that stays what it was.

Topologies are written by hand (tests/unit/netcheck_cases.py, dual_stack()); expected values follow
from them, not from running the code.
"""

from __future__ import annotations

import json

import pytest

from ansible_collections.podnet.flannel.plugins.module_utils import netcheck_addr, netcheck_plan, netcheck_topology, netcheck_verdict
from netcheck_cases import answer, dual_stack, honest_results, published, report_for, self_ips, topology

# ----------------------------------------------------------------------------- seen addresses


@pytest.mark.parametrize(
    'text, seen',
    [
        ('[fd00:10:244:2::2]', 'fd00:10:244:2::2'),
        ('fd00:10:244:2::2\n', 'fd00:10:244:2::2'),
        ('[FD00:10:244:2:0:0:0:2]', 'fd00:10:244:2::2'),  # compressed, lower case
        ('[fe80::42:acff:fe11:2%eth0]', 'fe80::42:acff:fe11:2'),  # zone dropped
        ('fe80::1%25eth0', 'fe80::1'),
        ('[fd00:77::11]:41234', 'fd00:77::11'),  # a port after the brackets
        ('[::ffff:10.244.1.2]', '10.244.1.2'),  # an IPv4 peer on an IPv6 pair: IPv4
        ('10.244.1.2', '10.244.1.2'),
        ('[fd00::2', None),
        ('fd00::2::3', None),
        ('nope', None),
        ('', None),
    ],
)
def test_seen_address_ipv6(text, seen):
    assert netcheck_addr.seen_address(text, 6) == seen


def test_seen_address_ipv4_pairs_unchanged():
    # an IPv4 pair answered with an IPv6 address is no answer at all, as before dual stack
    assert netcheck_addr.seen_address('[fd00:10:244:2::2]') is None
    assert netcheck_addr.seen_address('[fd00:10:244:2::2]', 4) is None
    assert netcheck_addr.seen_address('[::ffff:10.0.0.5]', 4) == '10.0.0.5'


def test_parse_ip_addr6():
    busybox = (
        '126: eth0    inet 10.244.72.2/24 brd 10.244.72.255 scope global eth0\\       valid_lft forever preferred_lft forever\n'
        '126: eth0    inet6 fe80::42:aff:fef4:4802/64 scope link \\       valid_lft forever preferred_lft forever\n'
        '126: eth0    inet6 fd00:10:244:48:0:0:0:2/64 scope global flags 02 \\       valid_lft forever preferred_lft forever\n'
    )
    assert netcheck_addr.parse_ip_addr6(busybox) == 'fd00:10:244:48::2'
    assert netcheck_addr.parse_ip_addr(busybox) == '10.244.72.2'  # the IPv4 parser ignores the inet6 lines
    dad = '5: eth0    inet6 fd00:10:244:48::9/64 scope global tentative dadfailed \\ valid_lft forever\n'
    assert netcheck_addr.parse_ip_addr6(dad) is None
    assert netcheck_addr.parse_ip_addr6('5: eth0    inet6 fe80::1/64 scope link \\ valid_lft forever\n') is None
    assert netcheck_addr.parse_ip_addr6('126: eth0    inet 10.244.72.2/24 scope global eth0\n') is None
    assert netcheck_addr.parse_ip_addr6('') is None


def test_bare_ip6():
    assert netcheck_addr.bare_ip6('fd00:10:244:48::1/64') == 'fd00:10:244:48::1'
    assert netcheck_addr.bare_ip6('[fd00::1]') == 'fd00::1'
    assert netcheck_addr.bare_ip6('::ffff:10.0.0.1') is None
    assert netcheck_addr.bare_ip6('10.0.0.1') is None
    assert netcheck_addr.bare_ip6(None) is None


# ----------------------------------------------------------------------------- plan


def test_pair_ids():
    assert netcheck_plan.pair_id('pod-pod', 'a', 'b') == 'pod-pod:a->b'
    assert netcheck_plan.pair_id('pod-pod', 'a', 'b', 4) == 'pod-pod:a->b'
    assert netcheck_plan.pair_id('node-pod', 'node1', 'b', 6) == 'node-pod/6:node1->b'


def test_ipv4_only_plan_has_no_ipv6_pairs_and_ids_as_before():
    nodes, dummy = netcheck_topology.normalize_topology(published(topology(3)))
    assert not netcheck_topology.is_dual_stack(nodes)
    assert netcheck_topology.families(nodes) == [4]
    assert 'address6' not in nodes['node1'] and 'ip6' not in nodes['node1']['pods'][0]
    pairs = netcheck_plan.build_plan(nodes)
    assert len(pairs) == 27 + 12
    assert set(p['family'] for p in pairs) == {4}
    assert not [p for p in pairs if '/6:' in p['id']]


def test_dual_stack_plan_adds_every_rule_pair_over_ipv6():
    v4_ids = set(p['id'] for p in netcheck_plan.build_plan(netcheck_topology.normalize_topology(published(topology(3)))[0]))
    nodes, problems = netcheck_topology.normalize_topology(dual_stack(published(topology(3))))
    assert problems == []
    assert netcheck_topology.families(nodes) == [4, 6]
    pairs = netcheck_plan.build_plan(nodes)
    four = [p for p in pairs if p['family'] == 4]
    six = [p for p in pairs if p['family'] == 6]
    # the IPv4 pairs (host ports included) are exactly those of the IPv4-only plan
    assert set(p['id'] for p in four) == v4_ids
    # IPv6: 9 pod -> pod, 9 pod -> node, 9 node -> pod; no host port pairs
    assert len(six) == 27
    assert sorted(set(p['kind'] for p in six)) == ['node-pod', 'pod-node', 'pod-pod']
    assert len(set(p['id'] for p in pairs)) == len(pairs) == 39 + 27
    by_id = dict((p['id'], p) for p in six)
    p2p = by_id['pod-pod/6:demo-node1->demo-node2']
    assert p2p['url'] == 'http://[fd00:10:244:2::2]:8080/cgi-bin/ip'
    assert p2p['expected'] == ['fd00:10:244:1::2']
    assert p2p['runs_on'] == 'node1' and p2p['container'] == 'demo-node1-echo' and p2p['skip'] is None
    p2n = by_id['pod-node/6:demo-node2->node3']
    assert p2n['url'] == 'http://[fd00:77::13]:18080/cgi-bin/ip'
    assert p2n['expected'] == ['fd00:10:244:2::2']
    n2p = by_id['node-pod/6:node3->demo-node1']
    assert n2p['url'] == 'http://[fd00:10:244:1::2]:8080/cgi-bin/ip'
    assert n2p['expected'] == ['fd00:77::13', 'fd00:10:244:3::', 'fd00:10:244:3::1', 'fe80::42:acff:fe11:3']
    plan = netcheck_plan.plan_by_node(pairs, list(nodes))
    # node1 runs: IPv4 3 + 3 + 3 + 4 host port, IPv6 3 + 3 + 3
    assert len(plan['node1']) == 13 + 9
    assert 'pod-pod/6:demo-node1->demo-node3' in [p['id'] for p in plan['node1']]


def test_pod_info_shaped_dual_stack_pod_and_self_ips6():
    topo = dual_stack(topology(1))
    topo['node1']['pods'] = [
        {
            'name': 'demo-node1',
            'pod_ip': '10.244.1.2',
            'pod_ipv6': 'fd00:10:244:1:0::2',
            'containers': [{'name': 'echo', 'container_name': 'demo-node1-echo'}],
        }
    ]
    nodes, dummy = netcheck_topology.normalize_topology(topo, {'demo-node1-echo': '10.244.1.2'}, {'node1': {'demo-node1-echo': 'fd00:10:244:1::2/64'}})
    pod = nodes['node1']['pods'][0]
    assert (pod['ip'], pod['ip6'], pod['self_ip'], pod['self_ip6']) == ('10.244.1.2', 'fd00:10:244:1::2', '10.244.1.2', 'fd00:10:244:1::2')
    assert nodes['node1']['address6'] == 'fd00:77::11'
    assert nodes['node1']['node_addresses6'][:2] == ['fd00:77::11', 'fd00:10:244:1::']


def test_dual_stack_is_seen_from_a_lease_alone():
    # a node with an IPv6 subnet makes the cluster dual stack even when Docker gave the pods no IPv6
    topo = topology(2)
    topo['node1']['subnet6'] = 'fd00:10:244:1::/64'
    report = report_for(topo)
    assert report['families'] == [4, 6]
    six = [p for p in report['pairs'] if p['family'] == 6]
    assert len(six) == 12 and all(p['verdict'] == 'error' for p in six)
    assert 'not probed: source pod demo-node1 has no IPv6 address' in six[0]['reason']
    assert not report['passed']


# ----------------------------------------------------------------------------- verdicts and rules


def test_ipv4_only_report_has_no_family_keys():
    report = report_for(published(topology(3)))
    assert report['passed']
    assert 'families' not in report and 'families' not in report['summary']
    assert all('family' not in p for p in report['pairs'])
    assert all('family' not in r for r in report['rules'])
    assert [netcheck_verdict.rule_label(r) for r in report['rules']] == ['rule 1', 'rule 2', 'rule 3', 'host ports']
    json.dumps(report)


def test_dual_stack_all_ok_passes_per_family():
    report = report_for(dual_stack(published(topology(3))))
    assert report['passed'], netcheck_verdict.failed_pairs(report)
    assert report['families'] == [4, 6]
    assert report['summary']['pairs'] == 66 and report['summary']['ok'] == 66
    assert report['summary']['families'] == {'4': {'pairs': 39, 'ok': 39, 'failed': 0}, '6': {'pairs': 27, 'ok': 27, 'failed': 0}}
    assert [(r['rule'], r['family']) for r in report['rules']] == [(1, 4), (2, 4), (3, 4), (1, 6), (2, 6), (3, 6), ('host ports', 4)]
    assert [netcheck_verdict.rule_label(r) for r in report['rules']][3:6] == ['rule 1 (IPv6)', 'rule 2 (IPv6)', 'rule 3 (IPv6)']
    rule3_6 = report['rules'][5]
    assert rule3_6['pods'][1]['self_ip'] == rule3_6['pods'][1]['docker_ip'] == 'fd00:10:244:2::2'
    assert rule3_6['pods'][1]['seen'] == {'demo-node1': 'fd00:10:244:2::2', 'demo-node2': 'fd00:10:244:2::2', 'demo-node3': 'fd00:10:244:2::2'}
    assert report['topology']['node2']['subnet6'] == 'fd00:10:244:2::/64'
    json.dumps(report)


def test_nat_on_ipv6_alone_fails_exactly_those_pairs():
    topo = dual_stack(published(topology(3)))
    natted = dict(
        (pair_id, answer('[fd00:77::13]'))
        for pair_id in (
            'pod-pod/6:demo-node3->demo-node1',
            'pod-pod/6:demo-node3->demo-node2',
            'pod-node/6:demo-node3->node1',
            'pod-node/6:demo-node3->node2',
        )
    )
    report = report_for(topo, natted)
    assert not report['passed']
    failed = netcheck_verdict.failed_pairs(report)
    assert sorted(p['id'] for p in failed) == sorted(natted)
    assert set(p['family'] for p in failed) == {6} and set(p['verdict'] for p in failed) == {'nat'}
    pair = [p for p in failed if p['id'] == 'pod-pod/6:demo-node3->demo-node1'][0]
    assert pair['seen'] == 'fd00:77::13'
    assert pair['reason'] == 'NAT: seen as fd00:77::13 instead of fd00:10:244:3::2'
    assert netcheck_verdict.describe_pair(pair) == 'demo-node3 -> demo-node1 (pod-pod, IPv6): NAT: seen as fd00:77::13 instead of fd00:10:244:3::2'
    assert report['summary']['families'] == {'4': {'pairs': 39, 'ok': 39, 'failed': 0}, '6': {'pairs': 27, 'ok': 23, 'failed': 4}}
    passed = dict((netcheck_verdict.rule_label(r), r['passed']) for r in report['rules'])
    assert passed == {
        'rule 1': True,
        'rule 2': True,
        'rule 3': True,
        'rule 1 (IPv6)': False,
        'rule 2 (IPv6)': False,
        'rule 3 (IPv6)': False,
        'host ports': True,
    }
    rule3_6 = report['rules'][5]
    assert rule3_6['failed'] == ['demo-node3']
    assert 'demo-node1 saw fd00:77::13' in rule3_6['pods'][2]['reason']


def test_ipv4_answer_on_an_ipv6_pair_is_nat_and_garbage_is_an_error():
    topo = dual_stack(topology(2))
    report = report_for(
        topo,
        {
            'pod-pod/6:demo-node1->demo-node2': answer('[::ffff:192.168.77.11]'),
            'node-pod/6:node1->demo-node2': answer('10.244.1.0'),
            'pod-node/6:demo-node2->node1': answer('<html>'),
        },
    )
    pairs = dict((p['id'], p) for p in report['pairs'])
    assert pairs['pod-pod/6:demo-node1->demo-node2']['verdict'] == 'nat'
    assert pairs['pod-pod/6:demo-node1->demo-node2']['seen'] == '192.168.77.11'
    assert pairs['node-pod/6:node1->demo-node2']['reason'] == (
        'NAT: seen as 10.244.1.0 instead of one of fd00:77::11, fd00:10:244:1::, fd00:10:244:1::1, fe80::42:acff:fe11:1'
    )
    assert pairs['pod-node/6:demo-node2->node1']['verdict'] == 'error'
    assert 'expected the IPv6 address the receiver saw' in pairs['pod-node/6:demo-node2->node1']['reason']
    # the IPv4 pairs are judged as ever
    assert all(p['verdict'] == 'ok' for p in report['pairs'] if p['family'] == 4)


def test_rule_3_per_family():
    topo = dual_stack(topology(2))
    ips6 = {'node1': {'demo-node1-echo': 'fd00:10:244:1::99'}, 'node2': {'demo-node2-echo': None}}
    report = report_for(topo, ips6=ips6)
    rules = dict((netcheck_verdict.rule_label(r), r) for r in report['rules'])
    assert rules['rule 3']['passed']
    assert rules['rule 1 (IPv6)']['passed'] and rules['rule 2 (IPv6)']['passed']
    pods = dict((p['pod'], p) for p in rules['rule 3 (IPv6)']['pods'])
    assert 'eth0 has fd00:10:244:1::99 but Docker reports fd00:10:244:1::2' in pods['demo-node1']['reason']
    assert pods['demo-node2']['reason'] == 'no IPv6 address read from eth0 of demo-node2-echo'
    assert not report['passed']


def test_ipv6_pairs_without_results_are_errors():
    topo = dual_stack(topology(2))
    results = [r for r in honest_results(topo) if '/6:' not in r['probe']['id']]
    report = report_for(topo, results=results, ips=self_ips(topo))
    six = [p for p in report['pairs'] if p['family'] == 6]
    assert six and all(p['verdict'] == 'error' and 'did not run' in p['reason'] for p in six)
    assert report['summary']['families']['4']['failed'] == 0
