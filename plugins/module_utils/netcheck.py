# Copyright: (c) 2026, podnet.flannel maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

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
               "pods": [{"name": "demo-node1", "ip": "10.244.72.2", "self_ip": null,
                         "echo_container": "demo-node1-echo",
                         "host_ports": [{"container_port": 8080, "host_port": 18081,   # optional
                                         "protocol": "tcp", "host_ip": null}]}]}}

Pods may also be given the way podnet.flannel.pod_info returns them (``pod_ip`` and
``containers``): the app container named ``echo`` (else the first one) is the one probes run in.
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


def seen_address(text: Any) -> Optional[str]:
    """The IPv4 address an echo server answered with, or None.

    busybox httpd listens on a dual-stack socket, so its CGI sees IPv4 peers as IPv4-mapped IPv6
    addresses, in brackets: ``[::ffff:10.244.72.2]`` is ``10.244.72.2``.
    """
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


def pair_id(kind: str, src: str, dst: str) -> str:
    return '%s:%s->%s' % (kind, src, dst)


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


def _lookup_self_ip(self_ips, node, container):
    if not self_ips or not container:
        return None
    per_node = self_ips.get(node)
    if isinstance(per_node, dict) and container in per_node:
        return bare_ip(per_node[container])
    flat = self_ips.get(container)
    if flat is not None and not isinstance(flat, dict):
        return bare_ip(flat)
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


def normalize_topology(topology: Any, self_ips: Optional[Dict[str, Any]] = None) -> Tuple[Dict[str, Any], List[str]]:
    """(nodes, problems): the topology with every field in one shape, and what makes it unusable.

    ``nodes`` maps node name -> {name, address, node_addresses, subnet, docker0, backend, pods}, in
    natural node order; ``pods`` are {name, node, ip, self_ip, echo_container, host_ports}. ``self_ips``
    ({node: {container: ip}} or {container: ip}) fills in the pods' self IPs.
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
        node = {
            'name': str(name),
            'address': address,
            'node_addresses': addresses,
            'subnet': raw.get('subnet') or None,
            'docker0': raw.get('docker0') or None,
            'backend': raw.get('backend') or None,
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
            node['pods'].append(
                {
                    'name': pod_name,
                    'node': str(name),
                    'ip': bare_ip(pod.get('ip')) or bare_ip(pod.get('pod_ip')),
                    'self_ip': self_ip,
                    'echo_container': container,
                    'host_ports': _normalize_host_ports(pod.get('host_ports')),
                }
            )
        if not node['pods']:
            problems.append('node %s: no pods to probe (is the demo pod deployed?)' % name)
        nodes[str(name)] = node
    return nodes, problems


def all_pods(nodes: Dict[str, Any]) -> List[Dict[str, Any]]:
    return [pod for node in nodes.values() for pod in node['pods']]


# --------------------------------------------------------------------------- plan


def _url(address, port, path):
    return 'http://%s:%d%s' % (address, int(port), path if path.startswith('/') else '/' + path)


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
    """Every pair to check, in matrix order: pod -> pod, pod -> node, node -> pod, then hostport.

    hostport pairs: for every pod whose echo port is published on its node (echo_host_port), from
    every other node and every pod on another node to that host port; the receiver must see the
    source as it is, as on the other pairs: one of a node's own addresses, a pod's own IP (the
    nodes' addresses are exempt from flanneld's masquerading, so a pod reaches them unNATed, and
    the host port's DNAT leaves the source alone).

    Each pair: id, kind, src, src_kind, src_node, dst, dst_kind, dst_node, runs_on (the node whose
    pod_probe runs it), container (pod sources), url, expected (acceptable source addresses, as the
    receiver must see them) and skip (why it cannot be probed, else None).
    """
    pods = all_pods(nodes)
    pairs = []

    def pod_source(pod):
        return {
            'src': pod['name'],
            'src_kind': 'pod',
            'src_node': pod['node'],
            'runs_on': pod['node'],
            'container': pod['echo_container'],
            'expected': [pod['ip']] if pod['ip'] else [],
        }

    def source_skip(pod):
        if not pod['ip']:
            return 'source pod %s has no IP (its infra container does not run?)' % pod['name']
        if not pod['echo_container']:
            return 'source pod %s has no app container to run the probe in' % pod['name']
        return None

    for src in pods:
        for dst in pods:
            pair = pod_source(src)
            pair.update(kind=KIND_POD_POD, dst=dst['name'], dst_kind='pod', dst_node=dst['node'], url=_url(dst['ip'], pod_port, path) if dst['ip'] else None)
            pair['skip'] = source_skip(src) or (None if dst['ip'] else 'destination pod %s has no IP' % dst['name'])
            pairs.append(pair)
        for node in nodes.values():
            pair = pod_source(src)
            pair.update(
                kind=KIND_POD_NODE,
                dst=node['name'],
                dst_kind='node',
                dst_node=node['name'],
                url=_url(node['address'], node_port, path) if node['address'] else None,
            )
            pair['skip'] = source_skip(src) or (None if node['address'] else 'node %s has no underlay address' % node['name'])
            pairs.append(pair)
    for node in nodes.values():
        for dst in pods:
            pairs.append(
                {
                    'kind': KIND_NODE_POD,
                    'src': node['name'],
                    'src_kind': 'node',
                    'src_node': node['name'],
                    'runs_on': node['name'],
                    'container': None,
                    'expected': list(node['node_addresses']),
                    'dst': dst['name'],
                    'dst_kind': 'pod',
                    'dst_node': dst['node'],
                    'url': _url(dst['ip'], pod_port, path) if dst['ip'] else None,
                    'skip': None if dst['ip'] else 'destination pod %s has no IP' % dst['name'],
                }
            )
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
            pair = {'src': node['name'], 'src_kind': 'node', 'src_node': node['name'], 'runs_on': node['name'], 'container': None, 'skip': no_target}
            pair.update(target, expected=list(node['node_addresses']))
            pairs.append(pair)
            for src in node['pods']:
                pair = pod_source(src)
                pair.update(target, skip=source_skip(src) or no_target)
                pairs.append(pair)
    for pair in pairs:
        pair['id'] = pair_id(pair['kind'], pair['src'], pair['dst'])
        if not pair['skip'] and not pair['expected']:
            pair['skip'] = 'no known address of %s to compare the seen address with' % pair['src']
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


def classify(raw: Optional[Dict[str, Any]], expected: List[str]) -> Tuple[str, Optional[str], str]:
    """(verdict, seen, reason) of one raw probe result (a pod_probe result item) against ``expected``.

    ``seen`` is the address the receiver answered with (None when it did not answer). ``reason`` is
    empty for ``ok``.
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
    seen = seen_address(answer)
    if not seen:
        return 'error', None, 'unexpected answer %r (expected the IPv4 address the receiver saw)' % answer[:80]
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
) -> Dict[str, Any]:
    """The JSON report: topology, every pair with its verdict, the rule summaries and the result."""
    nodes, problems = normalize_topology(topology, self_ips)
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
            verdict, seen, reason = classify(raw, pair['expected'])
        out_pairs.append(
            {
                'id': pair['id'],
                'kind': pair['kind'],
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
    rules = _rules(nodes, out_pairs)
    failed = [p for p in out_pairs if p['verdict'] != 'ok']
    counts = dict((v, 0) for v in VERDICTS)
    for pair in out_pairs:
        counts[pair['verdict']] += 1
    passed = not problems and bool(out_pairs) and all(rule['passed'] for rule in rules)
    moment = now or datetime.datetime.now(datetime.timezone.utc)
    return {
        'generated': moment.replace(microsecond=0).isoformat(),
        'settings': {'pod_port': int(pod_port), 'node_port': int(node_port), 'path': path},
        'topology': nodes,
        'pairs': out_pairs,
        'rules': rules,
        'problems': problems,
        'summary': {'pairs': len(out_pairs), 'ok': counts['ok'], 'failed': len(failed), 'verdicts': counts},
        'passed': passed,
    }


def _pair_rule(number, title, pairs):
    failed = [p['id'] for p in pairs if p['verdict'] != 'ok']
    return {
        'rule': number,
        'title': title,
        'passed': bool(pairs) and not failed,
        'pairs': len(pairs),
        'ok': len(pairs) - len(failed),
        'failed': failed,
        'reason': '' if pairs else 'no pairs to check',
    }


def _rules(nodes, pairs):
    titles = dict(RULES)
    rule1 = _pair_rule(1, titles[1], [p for p in pairs if p['kind'] == KIND_POD_POD])
    rule2 = _pair_rule(2, titles[2], [p for p in pairs if p['kind'] in (KIND_NODE_POD, KIND_POD_NODE)])
    pods = []
    for pod in all_pods(nodes):
        seen = dict((p['dst'], p['seen']) for p in pairs if p['kind'] == KIND_POD_POD and p['src'] == pod['name'] and p['seen'])
        reasons = []
        if not pod['self_ip']:
            reasons.append('no IPv4 address read from eth0 of %s' % (pod['echo_container'] or pod['name']))
        if not pod['ip']:
            reasons.append('Docker reports no IP')
        if pod['self_ip'] and pod['ip'] and pod['self_ip'] != pod['ip']:
            reasons.append('eth0 has %s but Docker reports %s' % (pod['self_ip'], pod['ip']))
        mine = pod['self_ip'] or pod['ip']
        wrong = ['%s saw %s' % (receiver, addr) for receiver, addr in sorted(seen.items()) if addr != mine]
        if wrong:
            reasons.append('; '.join(wrong))
        if not seen:
            reasons.append('no pod got an answer from it, so no seen address to compare')
        pods.append(
            {
                'pod': pod['name'],
                'node': pod['node'],
                'self_ip': pod['self_ip'],
                'docker_ip': pod['ip'],
                'seen': seen,
                'passed': not reasons,
                'reason': '; '.join(reasons),
            }
        )
    failed = [p['pod'] for p in pods if not p['passed']]
    rule3 = {
        'rule': 3,
        'title': titles[3],
        'passed': bool(pods) and not failed,
        'pods': pods,
        'ok': len(pods) - len(failed),
        'failed': failed,
        'reason': '' if pods else 'no pods to check',
    }
    rules = [rule1, rule2, rule3]
    hostport = [p for p in pairs if p['kind'] == KIND_HOSTPORT]
    if hostport:  # not a rule of the model: only there when a pod publishes its echo port
        rules.append(_pair_rule(HOSTPORT_RULE, HOSTPORT_TITLE, hostport))
    return rules


def rule_label(rule: Dict[str, Any]) -> str:
    """'rule 1' .. 'rule 3', or 'host ports' for the host port entry."""
    return 'rule %d' % rule['rule'] if isinstance(rule['rule'], int) else str(rule['rule'])


def failed_pairs(report: Dict[str, Any]) -> List[Dict[str, Any]]:
    """The failing pairs, each {id, kind, src, dst, verdict, seen, expected, reason}."""
    keys = ('id', 'kind', 'src', 'dst', 'verdict', 'seen', 'expected', 'reason')
    return [dict((k, p[k]) for k in keys) for p in report['pairs'] if p['verdict'] != 'ok']


def describe_pair(pair: Dict[str, Any]) -> str:
    return '%s -> %s (%s): %s' % (pair['src'], pair['dst'], pair['kind'], pair['reason'] or pair['verdict'])
