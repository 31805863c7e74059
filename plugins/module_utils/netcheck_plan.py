# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""The probe plan of the network model check (playbooks/verify.yml): every pair to probe, from the
normalized topology (netcheck_topology), and the probes each node's podnet.flannel.pod_probe runs.
The verdicts are in netcheck_verdict. Standard library only.

Besides the pairs of the three rules of the network model (netcheck_verdict), a pod that publishes
its echo port on its node (a host port, as Kubernetes' ``hostPort``) is probed at ``<its node's
address>:<host port>`` from every other node and every pod on another node (``hostport`` pairs):
the echo server must answer and see the caller as it is (a node's own address, a pod's own IP: the
nodes' addresses are exempt from flanneld's masquerading).

Dual stack: when a pod has an IPv6 address or a node an IPv6 subnet or address, the three rules
are checked over IPv6 too, on pairs of their own (``family`` 6, ids ``<kind>/6:<src>-><dst>``);
IPv4 pairs keep their ids (``<kind>:<src>-><dst>``, ``family`` 4). Host ports stay IPv4 only.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Dict, Iterable, List, Optional, Tuple

from ansible_collections.podnet.flannel.plugins.module_utils.netcheck_addr import is_ipv4
from ansible_collections.podnet.flannel.plugins.module_utils.netcheck_topology import all_pods, is_dual_stack

KIND_POD_POD = 'pod-pod'
KIND_NODE_POD = 'node-pod'
KIND_POD_NODE = 'pod-node'
KIND_HOSTPORT = 'hostport'
KINDS = (KIND_POD_POD, KIND_NODE_POD, KIND_POD_NODE, KIND_HOSTPORT)
RULE_KINDS = (KIND_POD_POD, KIND_NODE_POD, KIND_POD_NODE)

DEFAULT_POD_PORT = 8080
DEFAULT_NODE_PORT = 18080
DEFAULT_PATH = '/cgi-bin/ip'
_WILDCARDS = ('0.0.0.0', '::')


def pair_id(kind: str, src: str, dst: str, family: int = 4) -> str:
    """``pod-pod:a->b`` for IPv4 pairs, ``pod-pod/6:a->b`` for IPv6 ones."""
    if family == 6:
        return '%s/6:%s->%s' % (kind, src, dst)
    return '%s:%s->%s' % (kind, src, dst)


def _url(address, port, path):
    host = '[%s]' % address if ':' in str(address) else address
    return 'http://%s:%d%s' % (host, int(port), path if path.startswith('/') else '/' + path)


def echo_host_port(pod: Dict[str, Any], node: Dict[str, Any], pod_port: int = DEFAULT_POD_PORT) -> Optional[Tuple[str, int]]:
    """(address, host port) where ``pod``'s echo port is published on ``node``, or None.

    A TCP binding of ``pod_port`` on every address (or on 0.0.0.0 / ::) is reached at the node's
    underlay address; one on a given IPv4 address at that address. Bindings only other nodes cannot
    reach (loopback) or that the probes cannot use (IPv6) are not probed.
    """
    for binding in sorted(pod.get('host_ports') or [], key=lambda b: (b['host_ip'] is not None, b['host_port'])):
        if binding['protocol'] != 'tcp' or binding['container_port'] != int(pod_port):
            continue
        host_ip = binding['host_ip']
        if host_ip is None or host_ip in _WILDCARDS:
            address = node['address']
        elif is_ipv4(host_ip) and not ipaddress.IPv4Address(host_ip).is_loopback:
            address = host_ip
        else:
            continue
        return address, binding['host_port']
    return None


def build_plan(nodes: Dict[str, Any], pod_port: int = DEFAULT_POD_PORT, node_port: int = DEFAULT_NODE_PORT, path: str = DEFAULT_PATH) -> List[Dict[str, Any]]:
    """Every pair to check, in matrix order: pod -> pod, pod -> node, node -> pod, then hostport; on a
    dual-stack cluster (is_dual_stack) then the IPv6 pod -> pod, pod -> node and node -> pod pairs.

    hostport pairs: for every pod whose echo port is published on its node (echo_host_port), from
    every other node and every pod on another node to that host port; the receiver must see the
    source as it is, as on the other pairs: one of a node's own addresses, a pod's own IP (the
    nodes' addresses are exempt from flanneld's masquerading, so a pod reaches them unNATed, and
    the host port's DNAT leaves the source alone). IPv4 only.

    IPv6 pairs go to the pods' IPv6 addresses and the nodes' ``address6``; a pod must be seen as
    its own IPv6 address, a node as one of its ``node_addresses6``.

    Each pair: id, kind, family (4 or 6), src, src_kind, src_node, dst, dst_kind, dst_node, runs_on
    (the node whose pod_probe runs it), container (pod sources), url, expected (acceptable source
    addresses, as the receiver must see them) and skip (why it cannot be probed, else None).
    """
    pods = all_pods(nodes)
    pairs = []

    def pod_source(pod, family=4):
        ip = pod.get('ip6') if family == 6 else pod['ip']
        return {
            'family': family,
            'src': pod['name'],
            'src_kind': 'pod',
            'src_node': pod['node'],
            'runs_on': pod['node'],
            'container': pod['echo_container'],
            'expected': [ip] if ip else [],
        }

    def source_skip(pod, family=4):
        if not (pod.get('ip6') if family == 6 else pod['ip']):
            if family == 6:
                return 'source pod %s has no IPv6 address (is docker0 dual stack?)' % pod['name']
            return 'source pod %s has no IP (its infra container does not run?)' % pod['name']
        if not pod['echo_container']:
            return 'source pod %s has no app container to run the probe in' % pod['name']
        return None

    def rule_pairs(family):
        suffix = '6' if family == 6 else ''
        no_ip = 'has no IPv6 address' if family == 6 else 'has no IP'
        no_address = 'has no IPv6 address (flannel_public_ipv6)' if family == 6 else 'has no underlay address'
        out = []
        for src in pods:
            for dst in pods:
                dst_ip = dst.get('ip' + suffix)
                pair = pod_source(src, family)
                pair.update(kind=KIND_POD_POD, dst=dst['name'], dst_kind='pod', dst_node=dst['node'], url=_url(dst_ip, pod_port, path) if dst_ip else None)
                pair['skip'] = source_skip(src, family) or (None if dst_ip else 'destination pod %s %s' % (dst['name'], no_ip))
                out.append(pair)
            for node in nodes.values():
                address = node.get('address' + suffix)
                pair = pod_source(src, family)
                pair.update(
                    kind=KIND_POD_NODE,
                    dst=node['name'],
                    dst_kind='node',
                    dst_node=node['name'],
                    url=_url(address, node_port, path) if address else None,
                )
                pair['skip'] = source_skip(src, family) or (None if address else 'node %s %s' % (node['name'], no_address))
                out.append(pair)
        for node in nodes.values():
            for dst in pods:
                dst_ip = dst.get('ip' + suffix)
                out.append(
                    {
                        'kind': KIND_NODE_POD,
                        'family': family,
                        'src': node['name'],
                        'src_kind': 'node',
                        'src_node': node['name'],
                        'runs_on': node['name'],
                        'container': None,
                        'expected': list(node.get('node_addresses' + suffix) or []),
                        'dst': dst['name'],
                        'dst_kind': 'pod',
                        'dst_node': dst['node'],
                        'url': _url(dst_ip, pod_port, path) if dst_ip else None,
                        'skip': None if dst_ip else 'destination pod %s %s' % (dst['name'], no_ip),
                    }
                )
        return out

    pairs.extend(rule_pairs(4))
    for dst in pods:
        published = echo_host_port(dst, nodes[dst['node']], pod_port)
        if not published:
            continue
        address, host_port = published
        target = {
            'kind': KIND_HOSTPORT,
            'dst': dst['name'],
            'dst_kind': 'pod',
            'dst_node': dst['node'],
            'url': _url(address, host_port, path) if address else None,
        }
        no_target = None if address else 'node %s has no underlay address for host port %d of %s' % (dst['node'], host_port, dst['name'])
        for node in nodes.values():
            if node['name'] == dst['node']:
                continue
            pair = {
                'family': 4,
                'src': node['name'],
                'src_kind': 'node',
                'src_node': node['name'],
                'runs_on': node['name'],
                'container': None,
                'skip': no_target,
            }
            pair.update(target, expected=list(node['node_addresses']))
            pairs.append(pair)
            for src in node['pods']:
                pair = pod_source(src)
                pair.update(target, skip=source_skip(src) or no_target)
                pairs.append(pair)
    if is_dual_stack(nodes):
        pairs.extend(rule_pairs(6))
    for pair in pairs:
        pair['id'] = pair_id(pair['kind'], pair['src'], pair['dst'], pair['family'])
        if not pair['skip'] and not pair['expected']:
            pair['skip'] = 'no known %saddress of %s to compare the seen address with' % ('IPv6 ' if pair['family'] == 6 else '', pair['src'])
    return pairs


def plan_by_node(pairs: List[Dict[str, Any]], node_names: Iterable[str] = ()) -> Dict[str, List[Dict[str, Any]]]:
    """{node: [probe]} for podnet.flannel.pod_probe: the pairs each node runs (skipped pairs left out)."""
    plan = dict((name, []) for name in node_names)
    for pair in pairs:
        if pair['skip']:
            continue
        probe = {'id': pair['id'], 'src_kind': pair['src_kind'], 'src': pair['src'], 'url': pair['url']}
        if pair['src_kind'] == 'pod':
            probe['container'] = pair['container']
        plan.setdefault(pair['runs_on'], []).append(probe)
    return plan
