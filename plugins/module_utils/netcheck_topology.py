# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""The topology of the network model check (playbooks/verify.yml): the nodes and their pods, every
field in one shape (normalize_topology), and whether the cluster is dual stack. The probe plan is
in netcheck_plan, the verdicts in netcheck_verdict. Standard library only.

Topology (input), one entry per node::

    {"node1": {"address": "192.168.77.11",            # underlay address, where the node echo listens
               "node_addresses": ["192.168.77.11", "10.244.72.0", "10.244.72.1"],
               "subnet": "10.244.72.0/24", "docker0": "10.244.72.1/24", "backend": "vxlan",
               "address6": "fd00:77::11",             # dual stack only (the five *6 fields)
               "node_addresses6": ["fd00:77::11", "fd00:10:244:48::1"],
               "subnet6": "fd00:10:244:48::/64", "docker0_6": "fd00:10:244:48::1",
               "pods": [{"name": "demo-node1", "ip": "10.244.72.2", "self_ip": null,
                         "ip6": "fd00:10:244:48::2", "self_ip6": null,
                         "echo_container": "demo-node1-echo",
                         "host_ports": [{"container_port": 8080, "host_port": 18081,   # optional
                                         "protocol": "tcp", "host_ip": null}]}]}}

Pods may also be given the way podnet.flannel.pod_info returns them (``pod_ip``, ``pod_ipv6`` and
``containers``): the app container named ``echo`` (else the first one) is the one probes run in.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.podnet.flannel.plugins.module_utils.netcheck_addr import bare_family_ip, bare_ip, bare_ip6

# The IPv6 fields of a node and of a pod in the normalized topology, there only on a dual-stack cluster.
NODE_FIELDS6 = ('address6', 'node_addresses6', 'subnet6', 'docker0_6')
POD_FIELDS6 = ('ip6', 'self_ip6')

DEFAULT_APP = 'echo'


class TopologyError(ValueError):
    """The topology cannot be used at all (not a mapping of nodes)."""


def natural_key(text: Any) -> List[Any]:
    """Sort key putting node2 before node10."""
    return [int(part) if part.isdigit() else part for part in re.split(r'(\d+)', str(text))]


def _echo_container(pod):
    if pod.get('echo_container'):
        return str(pod['echo_container'])
    containers = [c for c in (pod.get('containers') or []) if isinstance(c, dict)]
    for container in containers:
        if container.get('name') == DEFAULT_APP:
            return container.get('container_name') or '%s-%s' % (pod.get('name'), DEFAULT_APP)
    if containers:
        first = containers[0]
        return first.get('container_name') or '%s-%s' % (pod.get('name'), first.get('name'))
    return None


def _lookup_self_ip(self_ips, node, container, family=4):
    if not self_ips or not container:
        return None
    per_node = self_ips.get(node)
    if isinstance(per_node, dict) and container in per_node:
        return bare_family_ip(per_node[container], family)
    flat = self_ips.get(container)
    if flat is not None and not isinstance(flat, dict):
        return bare_family_ip(flat, family)
    return None


def _normalize_host_ports(raw):
    """Host port bindings as podnet.flannel.pod_info returns them -> [{container_port, host_port, protocol,
    host_ip}]; items that are not such a binding are left out."""
    out = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict):
            continue
        try:
            container_port, host_port = int(item.get('container_port')), int(item.get('host_port'))
        except (TypeError, ValueError):
            continue
        if 1 <= container_port <= 65535 and 1 <= host_port <= 65535:
            out.append(
                {
                    'container_port': container_port,
                    'host_port': host_port,
                    'protocol': str(item.get('protocol') or 'tcp').lower(),
                    'host_ip': item.get('host_ip') or None,
                }
            )
    return out


def _node_addresses(first, more, parse):
    """The node's addresses, `first` then `more`, parsed by `parse`, without duplicates or blanks."""
    out = []
    for item in [first] + list(more or []):
        value = parse(item)
        if value and value not in out:
            out.append(value)
    return out


def normalize_topology(
    topology: Any, self_ips: Optional[Dict[str, Any]] = None, self_ips6: Optional[Dict[str, Any]] = None
) -> Tuple[Dict[str, Any], List[str]]:
    """(nodes, problems): the topology with every field in one shape, and what makes it unusable.

    ``nodes`` maps node name -> {name, address, node_addresses, subnet, docker0, backend, address6,
    node_addresses6, subnet6, docker0_6, pods}, in natural node order; ``pods`` are {name, node, ip,
    self_ip, ip6, self_ip6, echo_container, host_ports}. ``self_ips`` ({node: {container: ip}} or
    {container: ip}) fills in the pods' self IPs, ``self_ips6`` (the same shape) their IPv6 ones.
    The IPv6 fields are None (lists empty) on an IPv4-only cluster.
    """
    if not isinstance(topology, dict):
        raise TopologyError('topology must be a mapping of node name to node, not %s' % type(topology).__name__)
    nodes = {}
    problems = []
    seen_pods = {}
    if not topology:
        problems.append('the topology has no nodes')
    for name in sorted(topology, key=natural_key):
        raw = topology[name] or {}
        if not isinstance(raw, dict):
            problems.append('node %s: expected a mapping, got %s' % (name, type(raw).__name__))
            raw = {}
        address = bare_ip(raw.get('address'))
        addresses = _node_addresses(raw.get('address'), raw.get('node_addresses'), bare_ip)
        address6 = bare_ip6(raw.get('address6'))
        addresses6 = _node_addresses(raw.get('address6'), raw.get('node_addresses6'), bare_ip6)
        node = {
            'name': str(name),
            'address': address,
            'node_addresses': addresses,
            'subnet': raw.get('subnet') or None,
            'docker0': raw.get('docker0') or None,
            'backend': raw.get('backend') or None,
            'address6': address6,
            'node_addresses6': addresses6,
            'subnet6': raw.get('subnet6') or None,
            'docker0_6': raw.get('docker0_6') or None,
            'pods': [],
        }
        if not address:
            problems.append('node %s: no underlay address (got %r); nothing can probe its node echo' % (name, raw.get('address')))
        pods = raw.get('pods')
        if not isinstance(pods, list):
            pods = []
        for pod in sorted((p for p in pods if isinstance(p, dict)), key=lambda p: natural_key(p.get('name', ''))):
            pod_name = str(pod.get('name') or '')
            if not pod_name:
                problems.append('node %s: a pod without name' % name)
                continue
            if pod_name in seen_pods:
                problems.append('pod %s is listed on node %s and on node %s; pod names must be unique' % (pod_name, seen_pods[pod_name], name))
                continue
            seen_pods[pod_name] = name
            container = _echo_container(pod)
            self_ip = bare_ip(pod.get('self_ip')) or _lookup_self_ip(self_ips, name, container)
            self_ip6 = bare_ip6(pod.get('self_ip6')) or _lookup_self_ip(self_ips6, name, container, 6)
            node['pods'].append(
                {
                    'name': pod_name,
                    'node': str(name),
                    'ip': bare_ip(pod.get('ip')) or bare_ip(pod.get('pod_ip')),
                    'self_ip': self_ip,
                    'ip6': bare_ip6(pod.get('ip6')) or bare_ip6(pod.get('pod_ipv6')),
                    'self_ip6': self_ip6,
                    'echo_container': container,
                    'host_ports': _normalize_host_ports(pod.get('host_ports')),
                }
            )
        if not node['pods']:
            problems.append('node %s: no pods to probe (is the demo pod deployed?)' % name)
        nodes[str(name)] = node
    if not is_dual_stack(nodes):  # IPv4 only: the topology as it always was, without IPv6 fields
        for node in nodes.values():
            for key in NODE_FIELDS6:
                node.pop(key, None)
            for pod in node['pods']:
                for key in POD_FIELDS6:
                    pod.pop(key, None)
    return nodes, problems


def all_pods(nodes: Dict[str, Any]) -> List[Dict[str, Any]]:
    return [pod for node in nodes.values() for pod in node['pods']]


def is_dual_stack(nodes: Dict[str, Any]) -> bool:
    """Whether the cluster is dual stack: a pod has an IPv6 address, or a node an IPv6 subnet or address."""
    return any(node.get('address6') or node.get('subnet6') or any(pod.get('ip6') for pod in node['pods']) for node in nodes.values())


def families(nodes: Dict[str, Any]) -> List[int]:
    """[4] for an IPv4-only cluster, [4, 6] for a dual-stack one."""
    return [4, 6] if is_dual_stack(nodes) else [4]
