# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests for the netcheck_report action plugin on a dual-stack topology: the IPv6 probes in the
plan, O(self_ips6) reaching rule 3 over IPv6, and the failure message counting per family."""

from __future__ import annotations

from ansible_collections.podnet.flannel.plugins.action import netcheck_report
from netcheck_cases import answer, dual_stack, honest_results, self_ips, self_ips6, topology


def params(topo, **extra):
    base = dict(
        topology=topo,
        results=[],
        self_ips={},
        self_ips6={},
        json_path=None,
        svg_path=None,
        html_path=None,
        fail_on_error=True,
        pod_port=8080,
        node_port=18080,
        url_path='/cgi-bin/ip',
        plan_only=False,
    )
    base.update(extra)
    return base


def test_plan_holds_the_ipv6_probes():
    result = netcheck_report.run_report(params(dual_stack(topology(2)), plan_only=True), False)
    ids = [p['id'] for p in result['plan']['node2']]
    assert 'pod-pod:demo-node2->demo-node1' in ids and 'pod-pod/6:demo-node2->demo-node1' in ids
    probe = [p for p in result['plan']['node2'] if p['id'] == 'node-pod/6:node2->demo-node1'][0]
    assert probe == {'id': 'node-pod/6:node2->demo-node1', 'src_kind': 'node', 'src': 'node2', 'url': 'http://[fd00:10:244:1::2]:8080/cgi-bin/ip'}


def test_self_ips6_reach_rule_3_and_the_message_counts_per_family():
    topo = dual_stack(topology(2))
    ok = netcheck_report.run_report(params(topo, results=honest_results(topo), self_ips=self_ips(topo), self_ips6=self_ips6(topo)), False)
    assert ok['passed'] and 'failed' not in ok
    assert ok['matrix'][-1] == 'result: PASS, 24 of 24 pairs ok (IPv4 12 of 12 ok, IPv6 12 of 12 ok)'
    natted = honest_results(topo, {'pod-node/6:demo-node1->node2': answer('[fd00:77::11]')})
    bad = netcheck_report.run_report(params(topo, results=natted, self_ips=self_ips(topo)), False)
    assert bad['failed'] and not bad['passed']
    assert bad['msg'].startswith('the pod network breaks the Kubernetes network model: 1 of 24 pairs failed (IPv4 0 of 12, IPv6 1 of 12)')
    assert 'failed: rule 2 (IPv6), rule 3 (IPv6)' in bad['msg']  # rule 3 (IPv6): no self_ips6 given
    assert bad['failed_pairs'][0]['family'] == 6
