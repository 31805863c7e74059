# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Pure logic of the network model check (playbooks/verify.yml): the probe plan, the verdict of
each probe and the rule summaries: what the nodes and the report need. The renderings (text
matrix, SVG map, HTML page) are controller-side, in plugins/plugin_utils/netcheck_*.py. Standard
library only; nothing here touches the network or the disk.

The three rules of the Kubernetes network model, checked on real traffic:

1. every pod reaches every pod (other nodes and its own node, itself included) and the receiver
   sees the sender pod's own IP (no NAT);
2. every node reaches every pod and every pod reaches every node, without NAT either way: a pod
   sees one of the sending node's own addresses, a node sees the sending pod's IP;
3. the address a pod has on its eth0 is the address Docker reports for it and the address the
   other pods saw.

Besides the rules, a pod that publishes its echo port on its node (a host port, as Kubernetes'
``hostPort``) is probed at ``<its node's address>:<host port>`` from every other node and every pod
on another node (``hostport`` pairs): the echo server must answer and see the caller as it is (a
node's own address, a pod's own IP: the nodes' addresses are exempt from flanneld's masquerading).

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

Dual stack: when a pod has an IPv6 address or a node an IPv6 subnet or address, the three rules
are checked over IPv6 too, on pairs of their own (``family`` 6, ids ``<kind>/6:<src>-><dst>``);
IPv4 pairs keep their ids (``<kind>:<src>-><dst>``, ``family`` 4). Host ports stay IPv4 only.
"""

from __future__ import annotations

import datetime
import ipaddress
import re
from typing import Any, Dict, Iterable, List, Optional, Tuple

KIND_POD_POD = 'pod-pod'
KIND_NODE_POD = 'node-pod'
KIND_POD_NODE = 'pod-node'
KIND_HOSTPORT = 'hostport'
KINDS = (KIND_POD_POD, KIND_NODE_POD, KIND_POD_NODE, KIND_HOSTPORT)
RULE_KINDS = (KIND_POD_POD, KIND_NODE_POD, KIND_POD_NODE)
FAMILIES = (4, 6)
# The IPv6 fields of a node and of a pod in the normalized topology, there only on a dual-stack cluster.
NODE_FIELDS6 = ('address6', 'node_addresses6', 'subnet6', 'docker0_6')
POD_FIELDS6 = ('ip6', 'self_ip6')

VERDICTS = ('ok', 'nat', 'timeout', 'refused', 'unreachable', 'error')

DEFAULT_POD_PORT = 8080
DEFAULT_NODE_PORT = 18080
DEFAULT_PATH = '/cgi-bin/ip'
DEFAULT_APP = 'echo'

# Exit codes meaning "killed by timeout": 124 (coreutils timeout), 143 (busybox timeout: the child
# was ended by SIGTERM), 137 (SIGKILL, timeout -s KILL or docker killing the exec).
TIMEOUT_RCS = (124, 137, 143)
_REFUSED = re.compile(r'connection refused', re.I)
_UNREACHABLE = re.compile(
    r'no route to host|network is unreachable|host is unreachable|'
    r'network unreachable|host unreachable',
    re.I,
)
_TIMED_OUT = re.compile(r'timed out', re.I)

RULES = (
    (1, 'pod -> pod, every ordered pair, no NAT'),
    (2, 'node -> pod and pod -> node, every pair, no NAT'),
    (3, 'pod eth0 IP == Docker pod IP == IP other pods saw'),
)
HOSTPORT_RULE = 'host ports'
HOSTPORT_TITLE = "node:host port -> pod, from other nodes and their pods, no SNAT"
_WILDCARDS = ('0.0.0.0', '::')


class TopologyError(ValueError):
    """The topology cannot be used at all (not a mapping of nodes)."""


# --------------------------------------------------------------------------- helpers


def natural_key(text: Any) -> List[Any]:
    """Sort key putting node2 before node10."""
    return [int(part) if part.isdigit() else part for part in re.split(r'(\d+)', str(text))]


def is_ipv4(text: Any) -> bool:
    try:
        ipaddress.IPv4Address(str(text))
    except ValueError:
        return False
    return True


def bare_ip(text: Any) -> Optional[str]:
    """``10.244.72.1/24`` -> ``10.244.72.1``; None for anything that is not an IPv4 address."""
    if not text:
        return None
    value = str(text).strip().split('/', 1)[0]
    return value if is_ipv4(value) else None


def bare_ip6(text: Any) -> Optional[str]:
    """``fd00:10:244:48::1/64`` -> ``fd00:10:244:48::1`` (compressed, lower case); None for anything
    that is not an IPv6 address (IPv4-mapped addresses included: they are IPv4)."""
    if not text:
        return None
    value = str(text).strip().split('/', 1)[0].split('%', 1)[0]
    if value.startswith('[') and value.endswith(']'):
        value = value[1:-1]
    try:
        address = ipaddress.IPv6Address(value)
    except ValueError:
        return None
    return None if address.ipv4_mapped else address.compressed


def bare_family_ip(text: Any, family: int) -> Optional[str]:
    """bare_ip (family 4) or bare_ip6 (family 6) of ``text``."""
    return bare_ip6(text) if family == 6 else bare_ip(text)


_BRACKETED = re.compile(r'^\[([^\]]+)\](?::\d+)?$')


def seen_address(text: Any, family: int = 4) -> Optional[str]:
    """The address an echo server answered with, or None.

    busybox httpd listens on a dual-stack socket, so its CGI sees IPv4 peers as IPv4-mapped IPv6
    addresses, in brackets: ``[::ffff:10.244.72.2]`` is ``10.244.72.2``.

    ``family`` 4 (IPv4 pairs): only an IPv4 address counts, any other answer is None. ``family`` 6
    (IPv6 pairs): an IPv6 address, bracketed or not, with a port after the brackets or a zone
    (``[fe80::1%eth0]``) dropped, compressed (``fd00:10:244:48::2``); an IPv4 or IPv4-mapped answer
    is returned as IPv4 (a receiver that saw an IPv4 peer on an IPv6 pair: NAT64 or a proxy).
    """
    if family == 6:
        value = (text or '').strip()
        match = _BRACKETED.match(value)
        if match:
            value = match.group(1)
        value = value.split('%', 1)[0]
        if is_ipv4(value):
            return value
        try:
            address = ipaddress.IPv6Address(value)
        except ValueError:
            return None
        return str(address.ipv4_mapped) if address.ipv4_mapped else address.compressed
    value = (text or '').strip()
    if value.startswith('[') and value.endswith(']'):
        value = value[1:-1]
    if is_ipv4(value):
        return value
    try:
        mapped = ipaddress.IPv6Address(value.split('%', 1)[0]).ipv4_mapped
    except ValueError:
        return None
    return str(mapped) if mapped else None


def parse_ip_addr(text: Optional[str]) -> Optional[str]:
    """The first IPv4 address in ``ip -4 -o addr show <dev>`` output (iproute2 or busybox), or None."""
    for line in (text or '').splitlines():
        match = re.search(r'\binet\s+(\d{1,3}(?:\.\d{1,3}){3})(?:/\d+)?', line)
        if match and is_ipv4(match.group(1)):
            return match.group(1)
    return None


def parse_ip_addr6(text: Optional[str]) -> Optional[str]:
    """The first global IPv6 address in ``ip -o addr show <dev>`` output (iproute2 or busybox), or None.

    Link-local (``fe80::/10``, ``scope link``) and host addresses are skipped, and so are addresses
    whose duplicate address detection failed (``dadfailed``).
    """
    for line in (text or '').splitlines():
        match = re.search(r'\binet6\s+([0-9A-Fa-f:.]+)(?:/\d+)?(.*)', line)
        if not match:
            continue
        rest = match.group(2)
        if re.search(r'\bscope\s+(link|host)\b', rest) or 'dadfailed' in rest:
            continue
        address = bare_ip6(match.group(1))
        if address and not ipaddress.IPv6Address(address).is_link_local:
            return address
    return None


def pair_id(kind: str, src: str, dst: str, family: int = 4) -> str:
    """``pod-pod:a->b`` for IPv4 pairs, ``pod-pod/6:a->b`` for IPv6 ones."""
    if family == 6:
        return '%s/6:%s->%s' % (kind, src, dst)
    return '%s:%s->%s' % (kind, src, dst)


def family_label(family: int) -> str:
    return 'IPv6' if family == 6 else 'IPv4'


def _first_line(text):
    for line in (text or '').splitlines():
        if line.strip():
            return line.strip()
    return ''


def _last_line(text):
    lines = [line.strip() for line in (text or '').splitlines() if line.strip()]
    return lines[-1] if lines else ''


# --------------------------------------------------------------------------- topology


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
        addresses = []
        for item in [raw.get('address')] + list(raw.get('node_addresses') or []):
            value = bare_ip(item)
            if value and value not in addresses:
                addresses.append(value)
        address6 = bare_ip6(raw.get('address6'))
        addresses6 = []
        for item in [raw.get('address6')] + list(raw.get('node_addresses6') or []):
            value = bare_ip6(item)
            if value and value not in addresses6:
                addresses6.append(value)
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


# --------------------------------------------------------------------------- plan


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


# --------------------------------------------------------------------------- verdicts


def _describe_expected(expected):
    if not expected:
        return 'an address of the sender'
    if len(expected) == 1:
        return expected[0]
    return 'one of %s' % ', '.join(expected)


def classify(raw: Optional[Dict[str, Any]], expected: List[str], family: int = 4) -> Tuple[str, Optional[str], str]:
    """(verdict, seen, reason) of one raw probe result (a pod_probe result item) against ``expected``.

    ``seen`` is the address the receiver answered with (None when it did not answer), read as
    seen_address(answer, family). ``reason`` is empty for ``ok``.
    """
    if raw is None:
        return 'error', None, 'no result: the probe did not run (node unreachable or probe missing)'
    expected = list(expected or [])
    rc = raw.get('rc')
    stdout = raw.get('stdout') or ''
    stderr = raw.get('stderr') or ''
    error = raw.get('error') or ''
    limit = raw.get('timeout')
    if error:
        return 'error', None, str(error)
    text = '\n'.join(part for part in (stderr, stdout if rc not in (0, None) else '') if part)
    if rc is None:
        return 'error', None, 'the probe reported no exit code'
    try:
        rc = int(rc)
    except (TypeError, ValueError):
        return 'error', None, 'the probe reported exit code %r' % (rc,)
    if rc in TIMEOUT_RCS or (rc != 0 and _TIMED_OUT.search(text)):
        within = ' within %ss' % limit if limit else ''
        detail = _last_line(text)
        reason = 'timeout: no answer%s (exit code %d)' % (within, rc)
        if detail and not detail.lower().startswith('terminated'):
            reason += ': %s' % detail
        return 'timeout', None, reason
    if rc != 0 and _REFUSED.search(text):
        return 'refused', None, _matching_line(text, _REFUSED)
    if rc != 0 and _UNREACHABLE.search(text):
        return 'unreachable', None, _matching_line(text, _UNREACHABLE)
    if rc != 0:
        return 'error', None, _last_line(text) or 'exit code %d without a message' % rc
    answer = _first_line(stdout)
    seen = seen_address(answer, family)
    if not seen:
        return 'error', None, 'unexpected answer %r (expected the %s address the receiver saw)' % (answer[:80], family_label(family))
    if seen in expected:
        return 'ok', seen, ''
    return 'nat', seen, 'NAT: seen as %s instead of %s' % (seen, _describe_expected(expected))


def _matching_line(text, pattern):
    for line in text.splitlines():
        if pattern.search(line):
            return line.strip()
    return text.strip()


def _result_index(results):
    """{pair id: raw result} from pod_probe results (each item: {probe: {id, ...}, rc, ...} plus node)."""
    index = {}
    by_probe = {}
    for item in results or []:
        if not isinstance(item, dict):
            continue
        probe = item.get('probe') if isinstance(item.get('probe'), dict) else {}
        key = probe.get('id') or item.get('id')
        if key:
            index[key] = item
        by_probe[(probe.get('src_kind'), probe.get('src'), probe.get('url'))] = item
    return index, by_probe


# --------------------------------------------------------------------------- report


def evaluate(
    topology: Any,
    results: List[Dict[str, Any]],
    self_ips: Optional[Dict[str, Any]] = None,
    pod_port: int = DEFAULT_POD_PORT,
    node_port: int = DEFAULT_NODE_PORT,
    path: str = DEFAULT_PATH,
    now: Optional[datetime.datetime] = None,
    self_ips6: Optional[Dict[str, Any]] = None,
) -> Dict[str, Any]:
    """The JSON report: topology, every pair with its verdict, the rule summaries and the result.

    On a dual-stack cluster every pair and rule carries ``family`` (4 or 6), ``families`` is [4, 6]
    and ``summary.families`` counts the pairs per family (``{"4": {pairs, ok, failed}, "6": ...}``).
    On an IPv4-only cluster the report has none of these keys (it is what it was before dual stack).
    """
    nodes, problems = normalize_topology(topology, self_ips, self_ips6)
    pairs = build_plan(nodes, pod_port, node_port, path)
    index, by_probe = _result_index(results)
    out_pairs = []
    for pair in pairs:
        raw = None
        if not pair['skip']:
            raw = index.get(pair['id']) or by_probe.get((pair['src_kind'], pair['src'], pair['url']))
        if pair['skip']:
            verdict, seen, reason = 'error', None, 'not probed: %s' % pair['skip']
        else:
            verdict, seen, reason = classify(raw, pair['expected'], pair['family'])
        out_pairs.append(
            {
                'id': pair['id'],
                'kind': pair['kind'],
                'family': pair['family'],
                'src': pair['src'],
                'src_kind': pair['src_kind'],
                'src_node': pair['src_node'],
                'dst': pair['dst'],
                'dst_kind': pair['dst_kind'],
                'dst_node': pair['dst_node'],
                'url': pair['url'],
                'expected': pair['expected'],
                'seen': seen,
                'verdict': verdict,
                'reason': reason,
                'rc': raw.get('rc') if raw else None,
                'elapsed': raw.get('elapsed') if raw else None,
            }
        )
    checked = families(nodes)
    rules = _rules(nodes, out_pairs, checked)
    failed = [p for p in out_pairs if p['verdict'] != 'ok']
    counts = dict((v, 0) for v in VERDICTS)
    for pair in out_pairs:
        counts[pair['verdict']] += 1
    per_family = {}
    for family in checked:
        mine = [p for p in out_pairs if p['family'] == family]
        bad = len([p for p in mine if p['verdict'] != 'ok'])
        per_family[str(family)] = {'pairs': len(mine), 'ok': len(mine) - bad, 'failed': bad}
    passed = not problems and bool(out_pairs) and all(rule['passed'] for rule in rules)
    moment = now or datetime.datetime.now(datetime.timezone.utc)
    if checked == [4]:  # IPv4 only: the report as it always was, without the family fields
        for item in out_pairs + rules:
            item.pop('family', None)
        report = {
            'generated': moment.replace(microsecond=0).isoformat(),
            'settings': {'pod_port': int(pod_port), 'node_port': int(node_port), 'path': path},
            'topology': nodes,
            'pairs': out_pairs,
            'rules': rules,
            'problems': problems,
            'summary': {'pairs': len(out_pairs), 'ok': counts['ok'], 'failed': len(failed), 'verdicts': counts},
            'passed': passed,
        }
        return report
    return {
        'generated': moment.replace(microsecond=0).isoformat(),
        'settings': {'pod_port': int(pod_port), 'node_port': int(node_port), 'path': path},
        'families': checked,
        'topology': nodes,
        'pairs': out_pairs,
        'rules': rules,
        'problems': problems,
        'summary': {'pairs': len(out_pairs), 'ok': counts['ok'], 'failed': len(failed), 'verdicts': counts, 'families': per_family},
        'passed': passed,
    }


def _pair_rule(number, title, pairs, family=4):
    failed = [p['id'] for p in pairs if p['verdict'] != 'ok']
    return {
        'rule': number,
        'family': family,
        'title': title,
        'passed': bool(pairs) and not failed,
        'pairs': len(pairs),
        'ok': len(pairs) - len(failed),
        'failed': failed,
        'reason': '' if pairs else 'no pairs to check',
    }


def _rule3(nodes, pairs, family):
    """Rule 3 for one family: each pod's eth0 address == the address Docker reports == what the other pods saw."""
    titles = dict(RULES)
    v6 = family == 6
    pods = []
    for pod in all_pods(nodes):
        self_ip, docker_ip = (pod.get('self_ip6'), pod.get('ip6')) if v6 else (pod['self_ip'], pod['ip'])
        seen = dict((p['dst'], p['seen']) for p in pairs if p['kind'] == KIND_POD_POD and p['family'] == family and p['src'] == pod['name'] and p['seen'])
        reasons = []
        if not self_ip:
            reasons.append('no %s address read from eth0 of %s' % (family_label(family), pod['echo_container'] or pod['name']))
        if not docker_ip:
            reasons.append('Docker reports no IPv6 address' if v6 else 'Docker reports no IP')
        if self_ip and docker_ip and self_ip != docker_ip:
            reasons.append('eth0 has %s but Docker reports %s' % (self_ip, docker_ip))
        mine = self_ip or docker_ip
        wrong = ['%s saw %s' % (receiver, addr) for receiver, addr in sorted(seen.items()) if addr != mine]
        if wrong:
            reasons.append('; '.join(wrong))
        if not seen:
            reasons.append('no pod got an answer from it%s, so no seen address to compare' % (' over IPv6' if v6 else ''))
        pods.append(
            {
                'pod': pod['name'],
                'node': pod['node'],
                'self_ip': self_ip,
                'docker_ip': docker_ip,
                'seen': seen,
                'passed': not reasons,
                'reason': '; '.join(reasons),
            }
        )
    failed = [p['pod'] for p in pods if not p['passed']]
    return {
        'rule': 3,
        'family': family,
        'title': titles[3],
        'passed': bool(pods) and not failed,
        'pods': pods,
        'ok': len(pods) - len(failed),
        'failed': failed,
        'reason': '' if pods else 'no pods to check',
    }


def _rules(nodes, pairs, checked=(4,)):
    """Rules 1, 2 and 3 over IPv4, then (dual stack) over IPv6, then the host port entry."""
    titles = dict(RULES)
    rules = []
    for family in checked:
        mine = [p for p in pairs if p['family'] == family]
        rules.append(_pair_rule(1, titles[1], [p for p in mine if p['kind'] == KIND_POD_POD], family))
        rules.append(_pair_rule(2, titles[2], [p for p in mine if p['kind'] in (KIND_NODE_POD, KIND_POD_NODE)], family))
        rules.append(_rule3(nodes, mine, family))
    hostport = [p for p in pairs if p['kind'] == KIND_HOSTPORT]
    if hostport:  # not a rule of the model: only there when a pod publishes its echo port
        rules.append(_pair_rule(HOSTPORT_RULE, HOSTPORT_TITLE, hostport))
    return rules


def rule_label(rule: Dict[str, Any]) -> str:
    """'rule 1' .. 'rule 3' (IPv4), 'rule 1 (IPv6)' .. 'rule 3 (IPv6)', or 'host ports' for the host port entry."""
    if not isinstance(rule['rule'], int):
        return str(rule['rule'])
    return 'rule %d%s' % (rule['rule'], ' (IPv6)' if rule.get('family') == 6 else '')


def rule3_entries(report: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The rule 3 entries of ``report``, one per family (IPv4 first)."""
    return [rule for rule in report['rules'] if rule['rule'] == 3]


def failed_pairs(report: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The failing pairs, each {id, kind, src, dst, verdict, seen, expected, reason} (and family on a dual-stack cluster)."""
    keys = ('id', 'kind', 'family', 'src', 'dst', 'verdict', 'seen', 'expected', 'reason')
    return [dict((k, p[k]) for k in keys if k in p) for p in report['pairs'] if p['verdict'] != 'ok']


def describe_pair(pair: Dict[str, Any]) -> str:
    kind = '%s, IPv6' % pair['kind'] if pair.get('family') == 6 else pair['kind']
    return '%s -> %s (%s): %s' % (pair['src'], pair['dst'], kind, pair['reason'] or pair['verdict'])
