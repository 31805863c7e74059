# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests for module_utils/netcheck_*.py (addr, topology, plan, verdict): addresses, topology,
probe plan, verdicts and rule summaries (the renderings are tested in
tests/unit/plugins/plugin_utils/test_netcheck_render.py).

Topologies and probe outcomes are written by hand (tests/unit/netcheck_cases.py); expected values
follow from them (pair counts, reasons, cells), not from running the code.
"""

from __future__ import annotations

import json

import pytest

from ansible_collections.podnet.flannel.plugins.module_utils import netcheck_addr, netcheck_plan, netcheck_topology, netcheck_verdict
from netcheck_cases import NOW, answer, honest_results, hostport_pairs, published, report_for, self_ips, topology


# ----------------------------------------------------------------------------- classification


@pytest.mark.parametrize(
    'raw, expected, verdict, seen, reason',
    [
        (answer('10.244.1.2\n'), ['10.244.1.2'], 'ok', '10.244.1.2', ''),
        (answer('[::ffff:10.244.1.2]\n'), ['10.244.1.2'], 'ok', '10.244.1.2', ''),
        (answer('10.244.2.0'), ['10.244.1.2'], 'nat', '10.244.2.0', 'NAT: seen as 10.244.2.0 instead of 10.244.1.2'),
        (answer('[::ffff:192.168.77.11]'), ['10.244.1.2'], 'nat', '192.168.77.11', 'NAT: seen as 192.168.77.11 instead of 10.244.1.2'),
        (answer('10.9.9.9'), ['192.168.77.11', '10.244.1.1'], 'nat', '10.9.9.9', 'NAT: seen as 10.9.9.9 instead of one of 192.168.77.11, 10.244.1.1'),
        (answer('10.244.1.1'), ['192.168.77.11', '10.244.1.1'], 'ok', '10.244.1.1', ''),
    ],
)
def test_classify_answers(raw, expected, verdict, seen, reason):
    assert netcheck_verdict.classify(raw, expected) == (verdict, seen, reason)


@pytest.mark.parametrize(
    'rc, stderr, verdict, reason_part',
    [
        (124, '', 'timeout', 'timeout: no answer within 3s (exit code 124)'),
        (143, '', 'timeout', 'timeout: no answer within 3s (exit code 143)'),
        (124, 'download timed out', 'timeout', 'download timed out'),
        (
            1,
            "wget: can't connect to remote host (10.244.2.2): Connection refused",
            'refused',
            "wget: can't connect to remote host (10.244.2.2): Connection refused",
        ),
        (
            1,
            "wget: can't connect to remote host (10.244.2.2): No route to host",
            'unreachable',
            "wget: can't connect to remote host (10.244.2.2): No route to host",
        ),
        (1, "can't connect to remote host: Network is unreachable", 'unreachable', 'Network is unreachable'),
        (1, 'wget: server returned error: HTTP/1.1 404 Not Found', 'error', 'wget: server returned error: HTTP/1.1 404 Not Found'),
        (127, '', 'error', 'exit code 127 without a message'),
    ],
)
def test_classify_failures(rc, stderr, verdict, reason_part):
    got_verdict, seen, reason = netcheck_verdict.classify(answer('', rc=rc, stderr=stderr), ['10.244.1.2'])
    assert got_verdict == verdict
    assert seen is None
    assert reason_part in reason


def test_classify_error_field_missing_result_and_garbage():
    assert netcheck_verdict.classify(answer('', rc=None, error='container demo-node1-echo does not exist'), ['10.244.1.2']) == (
        'error',
        None,
        'container demo-node1-echo does not exist',
    )
    verdict, seen, reason = netcheck_verdict.classify(None, ['10.244.1.2'])
    assert (verdict, seen) == ('error', None) and 'did not run' in reason
    verdict, seen, reason = netcheck_verdict.classify(answer('<html>hello</html>'), ['10.244.1.2'])
    assert verdict == 'error' and "'<html>hello</html>'" in reason


def test_refused_text_with_rc_zero_is_still_an_answer():
    # a body that happens to contain the words is no failure: only the exit code decides
    assert netcheck_verdict.classify(answer('10.244.1.2', stderr='Connection refused earlier'), ['10.244.1.2'])[0] == 'ok'


def test_seen_address_and_ip_addr_parsing():
    assert netcheck_addr.seen_address('[::ffff:10.0.0.5]') == '10.0.0.5'
    assert netcheck_addr.seen_address(' 10.0.0.5 ') == '10.0.0.5'
    assert netcheck_addr.seen_address('[fe80::1]') is None
    assert netcheck_addr.seen_address('nope') is None
    busybox = '126: eth0    inet 10.244.72.2/24 brd 10.244.72.255 scope global eth0\\       valid_lft forever preferred_lft forever\n'
    assert netcheck_addr.parse_ip_addr(busybox) == '10.244.72.2'
    iproute = '5: eth0@if6    inet 172.17.0.3/16 scope global eth0\n'
    assert netcheck_addr.parse_ip_addr(iproute) == '172.17.0.3'
    assert netcheck_addr.parse_ip_addr('') is None
    assert netcheck_addr.parse_ip_addr('Device "eth0" does not exist.') is None


# ----------------------------------------------------------------------------- topology and plan


def test_plan_covers_every_pair_once():
    nodes, problems = netcheck_topology.normalize_topology(topology(3, 2))
    assert problems == []
    pairs = netcheck_plan.build_plan(nodes)
    pods, node_count = 6, 3
    assert len(pairs) == pods * pods + pods * node_count + node_count * pods
    assert len(set(p['id'] for p in pairs)) == len(pairs)
    kinds = [p['kind'] for p in pairs]
    assert kinds.count('pod-pod') == 36 and kinds.count('pod-node') == 18 and kinds.count('node-pod') == 18
    # every pod probes itself too
    assert 'pod-pod:demo-node2-1->demo-node2-1' in set(p['id'] for p in pairs)


def test_plan_urls_expectations_and_dispatch():
    nodes, dummy = netcheck_topology.normalize_topology(topology(2))
    pairs = dict((p['id'], p) for p in netcheck_plan.build_plan(nodes, pod_port=8081, node_port=18081, path='/cgi-bin/ip'))
    p2p = pairs['pod-pod:demo-node1->demo-node2']
    assert p2p['url'] == 'http://10.244.2.2:8081/cgi-bin/ip'
    assert p2p['expected'] == ['10.244.1.2']
    assert p2p['runs_on'] == 'node1' and p2p['container'] == 'demo-node1-echo'
    p2n = pairs['pod-node:demo-node2->node1']
    assert p2n['url'] == 'http://192.168.77.11:18081/cgi-bin/ip'
    assert p2n['expected'] == ['10.244.2.2']
    n2p = pairs['node-pod:node1->demo-node2']
    assert n2p['expected'] == ['192.168.77.11', '10.244.1.0', '10.244.1.1']
    assert n2p['runs_on'] == 'node1' and n2p['container'] is None

    plan = netcheck_plan.plan_by_node(list(pairs.values()), ['node1', 'node2'])
    # node1 runs: its pod -> 2 pods + 2 nodes, itself -> 2 pods
    assert len(plan['node1']) == 6 and len(plan['node2']) == 6
    node_probe = [p for p in plan['node1'] if p['src_kind'] == 'node'][0]
    assert 'container' not in node_probe
    assert set(p['src'] for p in plan['node1']) == {'demo-node1', 'node1'}


def test_pod_info_shaped_pods_and_self_ips():
    topo = topology(1)
    topo['node1']['pods'] = [
        {
            'name': 'demo-node1',
            'pod_ip': '10.244.1.2',
            'healthy': True,
            'containers': [{'name': 'sidecar', 'container_name': 'demo-node1-sidecar'}, {'name': 'echo', 'container_name': 'demo-node1-echo'}],
            'host_ports': [
                {'container_port': 8080, 'host_port': '18081', 'protocol': 'TCP', 'host_ip': None},
                {'container_port': 8080, 'host_port': None},
                'junk',
            ],
        }
    ]
    nodes, problems = netcheck_topology.normalize_topology(topo, {'node1': {'demo-node1-echo': '10.244.1.2'}})
    assert problems == []
    pod = nodes['node1']['pods'][0]
    assert pod == {
        'name': 'demo-node1',
        'node': 'node1',
        'ip': '10.244.1.2',
        'self_ip': '10.244.1.2',
        'echo_container': 'demo-node1-echo',
        'host_ports': [{'container_port': 8080, 'host_port': 18081, 'protocol': 'tcp', 'host_ip': None}],
    }
    nodes, dummy = netcheck_topology.normalize_topology(topo, {'demo-node1-echo': '10.244.1.9'})  # flat self_ips
    assert nodes['node1']['pods'][0]['self_ip'] == '10.244.1.9'


def test_topology_problems():
    topo = topology(2)
    topo['node2']['pods'] = []
    topo['node3'] = {'pods': [{'name': 'demo-node1', 'ip': '10.244.3.2'}]}
    nodes, problems = netcheck_topology.normalize_topology(topo)
    assert any('node node2: no pods' in p for p in problems)
    assert any('node node3: no underlay address' in p for p in problems)
    assert any('pod demo-node1 is listed on node node1 and on node node3' in p for p in problems)
    with pytest.raises(netcheck_topology.TopologyError):
        netcheck_topology.normalize_topology(['node1'])


def test_pod_without_ip_is_not_probed_and_fails():
    topo = topology(2)
    topo['node2']['pods'][0]['ip'] = None
    nodes, dummy = netcheck_topology.normalize_topology(topo)
    pairs = netcheck_plan.build_plan(nodes)
    skipped = [p for p in pairs if p['skip']]
    # demo-node2 as source: 2 pods + 2 nodes; as destination from demo-node1 and from both nodes
    assert len(skipped) == 4 + 1 + 2
    plan = netcheck_plan.plan_by_node(pairs, list(nodes))
    assert all('demo-node2' not in p['id'] for probes in plan.values() for p in probes)
    report = netcheck_verdict.evaluate(topo, honest_results(topo), now=NOW)
    bad = dict((p['id'], p) for p in report['pairs'] if p['verdict'] != 'ok')
    assert bad['node-pod:node1->demo-node2']['reason'].startswith('not probed: destination pod demo-node2 has no IP')
    assert not report['passed']


# ----------------------------------------------------------------------------- report and rules


def test_all_ok_passes():
    topo = topology(3)
    report = report_for(topo)
    assert report['passed'] is True
    assert report['summary'] == {'pairs': 27, 'ok': 27, 'failed': 0, 'verdicts': {'ok': 27, 'nat': 0, 'timeout': 0, 'refused': 0, 'unreachable': 0, 'error': 0}}
    assert [(r['rule'], r['passed']) for r in report['rules']] == [(1, True), (2, True), (3, True)]
    assert report['rules'][0]['pairs'] == 9 and report['rules'][1]['pairs'] == 18
    assert report['generated'] == '2026-03-01T10:00:00+00:00'
    json.dumps(report)  # machine-readable as is


def test_nat_between_pods_fails_rules_1_and_3_only():
    topo = topology(3)
    report = report_for(topo, {'pod-pod:demo-node1->demo-node3': answer('10.244.1.0')})
    rules = dict((r['rule'], r) for r in report['rules'])
    assert rules[1]['passed'] is False and rules[1]['failed'] == ['pod-pod:demo-node1->demo-node3']
    assert rules[2]['passed'] is True
    assert rules[3]['passed'] is False and rules[3]['failed'] == ['demo-node1']
    pod1 = [p for p in rules[3]['pods'] if p['pod'] == 'demo-node1'][0]
    assert 'demo-node3 saw 10.244.1.0' in pod1['reason']
    pair = [p for p in report['pairs'] if p['id'] == 'pod-pod:demo-node1->demo-node3'][0]
    assert pair['kind'] == 'pod-pod' and pair['src'] == 'demo-node1' and pair['dst'] == 'demo-node3'
    assert pair['expected'] == ['10.244.1.2'] and pair['seen'] == '10.244.1.0'
    assert pair['verdict'] == 'nat' and pair['reason'] == 'NAT: seen as 10.244.1.0 instead of 10.244.1.2'
    assert report['passed'] is False


def test_timeout_and_refused_towards_nodes_fail_rule_2():
    topo = topology(3)
    report = report_for(
        topo,
        {
            'pod-node:demo-node2->node3': answer('', rc=143),
            'node-pod:node1->demo-node2': answer('', rc=1, stderr="wget: can't connect to remote host: Connection refused"),
        },
    )
    rules = dict((r['rule'], r) for r in report['rules'])
    assert rules[1]['passed'] is True and rules[3]['passed'] is True
    assert sorted(rules[2]['failed']) == ['node-pod:node1->demo-node2', 'pod-node:demo-node2->node3']
    assert report['summary']['verdicts']['timeout'] == 1 and report['summary']['verdicts']['refused'] == 1
    failed = netcheck_verdict.failed_pairs(report)
    assert [(f['id'], f['verdict']) for f in failed] == [('pod-node:demo-node2->node3', 'timeout'), ('node-pod:node1->demo-node2', 'refused')]


def test_node_seen_from_another_address_is_nat():
    topo = topology(2)
    report = report_for(topo, {'node-pod:node2->demo-node1': answer('192.168.77.1')})
    pair = [p for p in report['pairs'] if p['id'] == 'node-pod:node2->demo-node1'][0]
    assert pair['verdict'] == 'nat'
    assert pair['reason'] == 'NAT: seen as 192.168.77.1 instead of one of 192.168.77.12, 10.244.2.0, 10.244.2.1'


def test_rule_3_self_ip_differs_from_docker():
    topo = topology(2)
    ips = self_ips(topo)
    ips['node2']['demo-node2-echo'] = '10.244.2.99'
    report = report_for(topo, ips=ips)
    rules = dict((r['rule'], r) for r in report['rules'])
    assert rules[1]['passed'] and rules[2]['passed']
    assert rules[3]['failed'] == ['demo-node2']
    pod2 = [p for p in rules[3]['pods'] if p['pod'] == 'demo-node2'][0]
    assert 'eth0 has 10.244.2.99 but Docker reports 10.244.2.2' in pod2['reason']
    # what the others saw (10.244.2.2) is not the eth0 address either
    assert 'demo-node1 saw 10.244.2.2' in pod2['reason']


def test_rule_3_needs_self_ips_and_answers():
    topo = topology(2)
    report = report_for(topo, ips={})
    assert report['rules'][2]['failed'] == ['demo-node1', 'demo-node2']
    assert 'no IPv4 address read from eth0 of demo-node1-echo' in report['rules'][2]['pods'][0]['reason']


def test_missing_results_are_errors():
    topo = topology(2)
    results = [r for r in honest_results(topo) if r['probe']['src'] not in ('node2', 'demo-node2')]
    report = report_for(topo, results=results)
    errors = [p for p in report['pairs'] if p['verdict'] == 'error']
    assert len(errors) == 4 + 2  # demo-node2's probes and node2's probes
    assert all('did not run' in p['reason'] for p in errors)


def test_results_matched_without_id():
    topo = topology(2)
    results = honest_results(topo)
    for result in results:
        del result['probe']['id']
    assert report_for(topo, results=results)['passed'] is True


def test_node_without_pods_fails_the_check():
    topo = topology(2)
    topo['node2']['pods'] = []
    report = report_for(topo)
    assert report['problems'] == ['node node2: no pods to probe (is the demo pod deployed?)']
    assert all(p['verdict'] == 'ok' for p in report['pairs'])
    assert report['passed'] is False


# ----------------------------------------------------------------------------- host ports


def test_no_host_ports_plans_no_hostport_pairs_and_no_entry():
    topo = topology(3)
    nodes, dummy = netcheck_topology.normalize_topology(topo)
    assert hostport_pairs(netcheck_plan.build_plan(nodes)) == []
    assert [r['rule'] for r in report_for(topo)['rules']] == [1, 2, 3]


def test_plan_hostport_pairs_from_other_nodes_and_their_pods():
    topo = published(topology(3))
    nodes, dummy = netcheck_topology.normalize_topology(topo)
    pairs = netcheck_plan.build_plan(nodes)
    hp = hostport_pairs(pairs)
    # each of 3 pods: 2 other nodes + the 2 pods on them
    assert len(hp) == 3 * (2 + 2)
    for pod in ('demo-node1', 'demo-node2', 'demo-node3'):
        assert len([p for p in hp if p['dst'] == pod]) == 4
    assert len(pairs) == 9 + 9 + 9 + len(hp)
    assert not any(p['src_node'] == p['dst_node'] for p in hp)  # same-node callers are not planned
    by_id = dict((p['id'], p) for p in hp)
    from_node = by_id['hostport:node2->demo-node1']
    assert from_node['url'] == 'http://192.168.77.11:18081/cgi-bin/ip'
    assert from_node['expected'] == nodes['node2']['node_addresses'] and from_node['runs_on'] == 'node2'
    assert '192.168.77.12' in from_node['expected']
    from_pod = by_id['hostport:demo-node3->demo-node1']
    assert from_pod['url'] == 'http://192.168.77.11:18081/cgi-bin/ip'
    assert from_pod['expected'] == ['10.244.3.2']  # its own IP: node addresses are exempt from masquerading
    assert from_pod['container'] == 'demo-node3-echo' and from_pod['src_kind'] == 'pod'
    assert all(p['skip'] is None for p in hp)
    # the direct pod -> pod pairs stay: straight to the pod IP, no NAT expected
    direct = dict((p['id'], p) for p in pairs)['pod-pod:demo-node3->demo-node1']
    assert direct['url'] == 'http://10.244.1.2:8080/cgi-bin/ip' and direct['expected'] == ['10.244.3.2']
    plan = netcheck_plan.plan_by_node(pairs, list(nodes))
    assert len(plan['node2']) == 3 + 3 + 3 + 4  # its pod -> 3 pods, 3 nodes; itself -> 3 pods; 4 hostport probes


def test_plan_hostport_only_for_pods_publishing_their_echo_port():
    topo = topology(2)
    topo['node1']['pods'][0]['host_ports'] = [
        {'container_port': 9090, 'host_port': 19090, 'protocol': 'tcp', 'host_ip': None},
        {'container_port': 8080, 'host_port': 18081, 'protocol': 'udp', 'host_ip': None},
    ]
    topo['node2']['pods'][0]['host_ports'] = [{'container_port': 8080, 'host_port': 18081, 'protocol': 'tcp', 'host_ip': '127.0.0.1'}]
    nodes, dummy = netcheck_topology.normalize_topology(topo)
    assert hostport_pairs(netcheck_plan.build_plan(nodes)) == []
    topo['node2']['pods'][0]['host_ports'][0]['host_ip'] = '192.168.77.99'
    nodes, dummy = netcheck_topology.normalize_topology(topo)
    hp = hostport_pairs(netcheck_plan.build_plan(nodes))
    assert sorted(p['id'] for p in hp) == ['hostport:demo-node1->demo-node2', 'hostport:node1->demo-node2']
    assert all(p['url'] == 'http://192.168.77.99:18081/cgi-bin/ip' for p in hp)


@pytest.mark.parametrize(
    'pair, result, verdict, reason',
    [
        ('hostport:node2->demo-node1', answer('[::ffff:192.168.77.12]'), 'ok', ''),
        ('hostport:demo-node2->demo-node1', answer('10.244.2.2'), 'ok', ''),
        ('hostport:node2->demo-node1', answer('[::ffff:10.244.1.1]'), 'nat', 'NAT: seen as 10.244.1.1 instead of '),
        ('hostport:demo-node2->demo-node1', answer('192.168.77.12'), 'nat', 'NAT: seen as 192.168.77.12 instead of 10.244.2.2'),
        ('hostport:demo-node3->demo-node1', answer('10.244.2.2'), 'nat', 'NAT: seen as 10.244.2.2 instead of 10.244.3.2'),
        (
            'hostport:node3->demo-node2',
            answer('', rc=1, stderr='wget: can\'t connect to remote host: No route to host'),
            'unreachable',
            "wget: can't connect to remote host: No route to host",
        ),
        (
            'hostport:node3->demo-node2',
            answer('', rc=1, stderr='wget: can\'t connect to remote host: Connection refused'),
            'refused',
            "wget: can't connect to remote host: Connection refused",
        ),
    ],
)
def test_classify_hostport(pair, result, verdict, reason):
    topo = published(topology(3))
    report = report_for(topo, {pair: result})
    got = dict((p['id'], p) for p in report['pairs'])[pair]
    assert got['verdict'] == verdict
    assert got['reason'] == reason if verdict != 'nat' else got['reason'].startswith(reason)
    entry = report['rules'][3]
    assert entry['rule'] == 'host ports'
    assert entry['pairs'] == 12
    assert entry['passed'] is (verdict == 'ok')
    assert entry['failed'] == ([] if verdict == 'ok' else [pair])
    assert all(r['passed'] for r in report['rules'][:3])  # the three rules do not count hostport pairs
    assert report['passed'] is (verdict == 'ok')
    assert report['summary']['pairs'] == 27 + 12
    assert report['summary']['failed'] == (0 if verdict == 'ok' else 1)


def test_hostport_source_node_without_address_is_not_probed():
    topo = published(topology(2))
    topo['node2']['address'] = None
    topo['node2']['node_addresses'] = []
    nodes, dummy = netcheck_topology.normalize_topology(topo)
    hp = dict((p['id'], p) for p in hostport_pairs(netcheck_plan.build_plan(nodes)))
    assert hp['hostport:node1->demo-node2']['url'] is None
    assert 'node node2 has no underlay address' in hp['hostport:node1->demo-node2']['skip']
    assert 'no known address of node2' in hp['hostport:node2->demo-node1']['skip']
