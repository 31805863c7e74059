# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Topologies and probe outcomes for the netcheck tests (module_utils/netcheck_*.py and the
renderings in plugin_utils/netcheck_*.py), written by hand: expected values follow from them, not from
the code."""

from __future__ import annotations

import datetime

from ansible_collections.podnet.flannel.plugins.module_utils import netcheck_plan, netcheck_topology, netcheck_verdict

NOW = datetime.datetime(2026, 3, 1, 10, 0, 0, tzinfo=datetime.timezone.utc)


def topology(nodes=3, pods_per_node=1, backend='vxlan'):
    """node<i>: underlay 192.168.77.1<i>, subnet 10.244.<i>.0/24, pods demo-node<i>[-<k>] at 10.244.<i>.<k+2>."""
    topo = {}
    for i in range(1, nodes + 1):
        pods = []
        for k in range(pods_per_node):
            name = 'demo-node%d' % i if k == 0 else 'demo-node%d-%d' % (i, k)
            pods.append({'name': name, 'ip': '10.244.%d.%d' % (i, k + 2), 'echo_container': '%s-echo' % name})
        topo['node%d' % i] = {
            'address': '192.168.77.1%d' % i,
            'node_addresses': ['192.168.77.1%d' % i, '10.244.%d.0' % i, '10.244.%d.1' % i],
            'subnet': '10.244.%d.0/24' % i,
            'docker0': '10.244.%d.1' % i,
            'backend': backend,
            'pods': pods,
        }
    return topo


def dual_stack(topo):
    """``topo`` made dual stack: node<i> at fd00:77::1<i>, IPv6 subnet fd00:10:244:<i>::/64 with docker0 at ::1,
    each pod at fd00:10:244:<i>::<k+2> (the IPv4 host part again)."""
    for name, node in topo.items():
        i = int(name[len('node') :])
        node['address6'] = 'fd00:77::1%d' % i
        node['node_addresses6'] = ['fd00:77::1%d' % i, 'fd00:10:244:%d::' % i, 'fd00:10:244:%d::1' % i, 'fe80::42:acff:fe11:%d' % i]
        node['subnet6'] = 'fd00:10:244:%d::/64' % i
        node['docker0_6'] = 'fd00:10:244:%d::1' % i
        for pod in node['pods']:
            pod['ip6'] = 'fd00:10:244:%d::%s' % (i, pod['ip'].rsplit('.', 1)[1])
    return topo


def answer(address, **extra):
    result = {'rc': 0, 'stdout': address, 'stderr': '', 'elapsed': 0.02, 'timeout': 3, 'error': None}
    result.update(extra)
    return result


def honest_results(topo, override=None):
    """Results as a network without NAT gives them: each receiver saw the sender's own address.

    ``override``: {pair id: result} replacing the honest outcome of those pairs.
    """
    nodes, dummy = netcheck_topology.normalize_topology(topo)
    out = []
    for pair in netcheck_plan.build_plan(nodes):
        if pair['skip']:
            continue
        if pair['family'] == 6:  # busybox httpd: an IPv6 peer in brackets
            if pair['src_kind'] == 'pod':
                seen = pair['expected'][0]
            else:
                seen = nodes[pair['src']]['node_addresses6'][0] if pair['dst_node'] != pair['src'] else nodes[pair['src']]['docker0_6']
            result = answer('[%s]' % seen)
        elif pair['src_kind'] == 'pod':
            result = answer('[::ffff:%s]' % pair['expected'][0])
        else:
            seen = nodes[pair['src']]['node_addresses'][0] if pair['dst_node'] != pair['src'] else nodes[pair['src']]['docker0']
            result = answer('[::ffff:%s]' % seen)
        if override and pair['id'] in override:
            result = dict(override[pair['id']])
        result['probe'] = {'id': pair['id'], 'src_kind': pair['src_kind'], 'src': pair['src'], 'url': pair['url']}
        out.append(result)
    return out


def self_ips(topo):
    return dict((node, dict((p['echo_container'], p['ip']) for p in data['pods'])) for node, data in topo.items())


def self_ips6(topo):
    return dict((node, dict((p['echo_container'], p.get('ip6')) for p in data['pods'])) for node, data in topo.items())


def report_for(topo, override=None, ips=None, results=None, ips6=None):
    return netcheck_verdict.evaluate(
        topo,
        honest_results(topo, override) if results is None else results,
        self_ips(topo) if ips is None else ips,
        now=NOW,
        self_ips6=self_ips6(topo) if ips6 is None else ips6,
    )


def published(topo, host_port=18081, **binding):
    """Every pod of ``topo`` publishes its echo port (8080) on ``host_port`` of its node."""
    for node in topo.values():
        for pod in node['pods']:
            pod['host_ports'] = [
                dict({'container_port': netcheck_plan.DEFAULT_POD_PORT, 'host_port': host_port, 'protocol': 'tcp', 'host_ip': None}, **binding)
            ]
    return topo


def hostport_pairs(pairs):
    return [p for p in pairs if p['kind'] == netcheck_plan.KIND_HOSTPORT]
