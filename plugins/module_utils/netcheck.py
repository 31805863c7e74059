# Copyright: (c) 2026, podnet.flannel maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure logic of the network model check (playbooks/verify.yml): the probe plan, the verdict of
each probe, the rule summaries and the three renderings (text matrix, JSON report, SVG map and
its HTML wrapper). Standard library only; nothing here touches the network or the disk.

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
import html
import ipaddress
import math
import re

KIND_POD_POD = 'pod-pod'
KIND_NODE_POD = 'node-pod'
KIND_POD_NODE = 'pod-node'
KIND_HOSTPORT = 'hostport'
KINDS = (KIND_POD_POD, KIND_NODE_POD, KIND_POD_NODE, KIND_HOSTPORT)
RULE_KINDS = (KIND_POD_POD, KIND_NODE_POD, KIND_POD_NODE)

VERDICTS = ('ok', 'nat', 'timeout', 'refused', 'unreachable', 'error')
CELL_CODES = {'ok': 'ok', 'nat': 'NAT', 'timeout': 'T/O', 'refused': 'REF', 'unreachable': 'UNR', 'error': 'ERR'}
VERDICT_TEXT = {
    'ok': 'reachable, no NAT',
    'nat': 'reachable, source address rewritten',
    'timeout': 'no answer in time',
    'refused': 'connection refused',
    'unreachable': 'no route / network unreachable',
    'error': 'probe failed otherwise',
}
LEGEND_TEXT = {
    'ok': 'reachable, no NAT',
    'nat': 'source address rewritten',
    'timeout': 'no answer in time',
    'refused': 'connection refused',
    'unreachable': 'no route, unreachable',
    'error': 'other failure',
}
NOT_PROBED = '-'

DEFAULT_POD_PORT = 8080
DEFAULT_NODE_PORT = 18080
DEFAULT_PATH = '/cgi-bin/ip'
DEFAULT_APP = 'echo'

# Exit codes meaning "killed by timeout": 124 (coreutils timeout), 143 (busybox timeout: the child
# was ended by SIGTERM), 137 (SIGKILL, timeout -s KILL or docker killing the exec).
TIMEOUT_RCS = (124, 137, 143)
_REFUSED = re.compile(r'connection refused', re.I)
_UNREACHABLE = re.compile(r'no route to host|network is unreachable|host is unreachable|'
                          r'network unreachable|host unreachable', re.I)
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

def natural_key(text):
    """Sort key putting node2 before node10."""
    return [int(part) if part.isdigit() else part for part in re.split(r'(\d+)', str(text))]


def is_ipv4(text):
    try:
        ipaddress.IPv4Address(str(text))
    except ValueError:
        return False
    return True


def bare_ip(text):
    """``10.244.72.1/24`` -> ``10.244.72.1``; None for anything that is not an IPv4 address."""
    if not text:
        return None
    value = str(text).strip().split('/', 1)[0]
    return value if is_ipv4(value) else None


def seen_address(text):
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


def parse_ip_addr(text):
    """The first IPv4 address in ``ip -4 -o addr show <dev>`` output (iproute2 or busybox), or None."""
    for line in (text or '').splitlines():
        match = re.search(r'\binet\s+(\d{1,3}(?:\.\d{1,3}){3})(?:/\d+)?', line)
        if match and is_ipv4(match.group(1)):
            return match.group(1)
    return None


def pair_id(kind, src, dst):
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
            out.append({'container_port': container_port, 'host_port': host_port,
                        'protocol': str(item.get('protocol') or 'tcp').lower(), 'host_ip': item.get('host_ip') or None})
    return out


def normalize_topology(topology, self_ips=None):
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
            node['pods'].append({
                'name': pod_name,
                'node': str(name),
                'ip': bare_ip(pod.get('ip')) or bare_ip(pod.get('pod_ip')),
                'self_ip': self_ip,
                'echo_container': container,
                'host_ports': _normalize_host_ports(pod.get('host_ports')),
            })
        if not node['pods']:
            problems.append('node %s: no pods to probe (is the demo pod deployed?)' % name)
        nodes[str(name)] = node
    return nodes, problems


def all_pods(nodes):
    return [pod for node in nodes.values() for pod in node['pods']]


# --------------------------------------------------------------------------- plan

def _url(address, port, path):
    return 'http://%s:%d%s' % (address, int(port), path if path.startswith('/') else '/' + path)


def echo_host_port(pod, node, pod_port=DEFAULT_POD_PORT):
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


def build_plan(nodes, pod_port=DEFAULT_POD_PORT, node_port=DEFAULT_NODE_PORT, path=DEFAULT_PATH):
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
        return {'src': pod['name'], 'src_kind': 'pod', 'src_node': pod['node'], 'runs_on': pod['node'],
                'container': pod['echo_container'], 'expected': [pod['ip']] if pod['ip'] else []}

    def source_skip(pod):
        if not pod['ip']:
            return 'source pod %s has no IP (its infra container does not run?)' % pod['name']
        if not pod['echo_container']:
            return 'source pod %s has no app container to run the probe in' % pod['name']
        return None

    for src in pods:
        for dst in pods:
            pair = pod_source(src)
            pair.update(kind=KIND_POD_POD, dst=dst['name'], dst_kind='pod', dst_node=dst['node'],
                        url=_url(dst['ip'], pod_port, path) if dst['ip'] else None)
            pair['skip'] = source_skip(src) or (None if dst['ip'] else 'destination pod %s has no IP' % dst['name'])
            pairs.append(pair)
        for node in nodes.values():
            pair = pod_source(src)
            pair.update(kind=KIND_POD_NODE, dst=node['name'], dst_kind='node', dst_node=node['name'],
                        url=_url(node['address'], node_port, path) if node['address'] else None)
            pair['skip'] = source_skip(src) or (None if node['address'] else 'node %s has no underlay address' % node['name'])
            pairs.append(pair)
    for node in nodes.values():
        for dst in pods:
            pairs.append({
                'kind': KIND_NODE_POD, 'src': node['name'], 'src_kind': 'node', 'src_node': node['name'],
                'runs_on': node['name'], 'container': None, 'expected': list(node['node_addresses']),
                'dst': dst['name'], 'dst_kind': 'pod', 'dst_node': dst['node'],
                'url': _url(dst['ip'], pod_port, path) if dst['ip'] else None,
                'skip': None if dst['ip'] else 'destination pod %s has no IP' % dst['name'],
            })
    for dst in pods:
        published = echo_host_port(dst, nodes[dst['node']], pod_port)
        if not published:
            continue
        address, host_port = published
        target = {'kind': KIND_HOSTPORT, 'dst': dst['name'], 'dst_kind': 'pod', 'dst_node': dst['node'],
                  'url': _url(address, host_port, path) if address else None}
        no_target = None if address else 'node %s has no underlay address for host port %d of %s' % (dst['node'], host_port, dst['name'])
        for node in nodes.values():
            if node['name'] == dst['node']:
                continue
            pair = {'src': node['name'], 'src_kind': 'node', 'src_node': node['name'], 'runs_on': node['name'],
                    'container': None, 'skip': no_target}
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


def plan_by_node(pairs, node_names=()):
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


def classify(raw, expected):
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

def evaluate(topology, results, self_ips=None, pod_port=DEFAULT_POD_PORT, node_port=DEFAULT_NODE_PORT,
             path=DEFAULT_PATH, now=None):
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
        out_pairs.append({
            'id': pair['id'], 'kind': pair['kind'],
            'src': pair['src'], 'src_kind': pair['src_kind'], 'src_node': pair['src_node'],
            'dst': pair['dst'], 'dst_kind': pair['dst_kind'], 'dst_node': pair['dst_node'],
            'url': pair['url'], 'expected': pair['expected'], 'seen': seen,
            'verdict': verdict, 'reason': reason,
            'rc': raw.get('rc') if raw else None,
            'elapsed': raw.get('elapsed') if raw else None,
        })
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
    return {'rule': number, 'title': title, 'passed': bool(pairs) and not failed,
            'pairs': len(pairs), 'ok': len(pairs) - len(failed), 'failed': failed,
            'reason': '' if pairs else 'no pairs to check'}


def _rules(nodes, pairs):
    titles = dict(RULES)
    rule1 = _pair_rule(1, titles[1], [p for p in pairs if p['kind'] == KIND_POD_POD])
    rule2 = _pair_rule(2, titles[2], [p for p in pairs if p['kind'] in (KIND_NODE_POD, KIND_POD_NODE)])
    pods = []
    for pod in all_pods(nodes):
        seen = dict((p['dst'], p['seen']) for p in pairs
                    if p['kind'] == KIND_POD_POD and p['src'] == pod['name'] and p['seen'])
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
        pods.append({'pod': pod['name'], 'node': pod['node'], 'self_ip': pod['self_ip'], 'docker_ip': pod['ip'],
                     'seen': seen, 'passed': not reasons, 'reason': '; '.join(reasons)})
    failed = [p['pod'] for p in pods if not p['passed']]
    rule3 = {'rule': 3, 'title': titles[3], 'passed': bool(pods) and not failed, 'pods': pods,
             'ok': len(pods) - len(failed), 'failed': failed, 'reason': '' if pods else 'no pods to check'}
    rules = [rule1, rule2, rule3]
    hostport = [p for p in pairs if p['kind'] == KIND_HOSTPORT]
    if hostport:  # not a rule of the model: only there when a pod publishes its echo port
        rules.append(_pair_rule(HOSTPORT_RULE, HOSTPORT_TITLE, hostport))
    return rules


def rule_label(rule):
    """'rule 1' .. 'rule 3', or 'host ports' for the host port entry."""
    return 'rule %d' % rule['rule'] if isinstance(rule['rule'], int) else str(rule['rule'])


def failed_pairs(report):
    """The failing pairs, each {id, kind, src, dst, verdict, seen, expected, reason}."""
    keys = ('id', 'kind', 'src', 'dst', 'verdict', 'seen', 'expected', 'reason')
    return [dict((k, p[k]) for k in keys) for p in report['pairs'] if p['verdict'] != 'ok']


def describe_pair(pair):
    return '%s -> %s (%s): %s' % (pair['src'], pair['dst'], pair['kind'], pair['reason'] or pair['verdict'])


# --------------------------------------------------------------------------- text matrix

def _axes(report):
    nodes = report['topology']
    pod_names = [pod['name'] for pod in all_pods(nodes)]
    node_names = list(nodes)
    rows = [('pod', name) for name in pod_names] + [('node', name) for name in node_names]
    cols = [('pod', name) for name in pod_names] + [('node', name) for name in node_names]
    return rows, cols


def _cells(pairs):
    return dict((((pair['src_kind'], pair['src']), (pair['dst_kind'], pair['dst'])), pair) for pair in pairs)


def matrix_cells(report):
    """(rows, cols, cells) of the rules' pairs: rows/cols are (kind, name); cells[(row, col)] is the pair
    (absent: not probed). hostport pairs are in hostport_cells."""
    rows, cols = _axes(report)
    return rows, cols, _cells(p for p in report['pairs'] if p['kind'] in RULE_KINDS)


def hostport_cells(report):
    """(rows, cols, cells) of the hostport pairs, as matrix_cells gives them; cols are the pods probed at
    a host port (none: no cols). Each col's pair URL says which node address and host port."""
    rows, dummy = _axes(report)
    pairs = [p for p in report['pairs'] if p['kind'] == KIND_HOSTPORT]
    probed = set(p['dst'] for p in pairs)
    cols = [('pod', pod['name']) for pod in all_pods(report['topology']) if pod['name'] in probed]
    return rows, cols, _cells(pairs)


def hostport_targets(report):
    """{pod: URL base (address:port) its host port pairs go to}, in pod order."""
    targets = {}
    for pair in report['pairs']:
        if pair['kind'] == KIND_HOSTPORT and pair['url']:
            targets.setdefault(pair['dst'], pair['url'].split('://', 1)[-1].split('/', 1)[0])
    return targets


def _text_matrix(rows, cols, cells, corner='source \\ destination'):
    label_w = max([len(corner)] + [len(name) for _kind, name in rows]) + 2
    widths = [max(len(name), 3) + 2 for _kind, name in cols]
    lines = [(corner.ljust(label_w) + ''.join(name.ljust(w) for (_k, name), w in zip(cols, widths))).rstrip()]
    for row in rows:
        line = row[1].ljust(label_w)
        for col, width in zip(cols, widths):
            pair = cells.get((row, col))
            line += (CELL_CODES[pair['verdict']] if pair else NOT_PROBED).ljust(width)
        lines.append(line.rstrip())
    return lines


def render_matrix(report):
    """The matrix as text lines: rows = sources, columns = destinations, then legend, rules, failures."""
    lines = _text_matrix(*matrix_cells(report))
    rows, cols, cells = hostport_cells(report)
    if cols:
        targets = hostport_targets(report)
        lines.append("host port pairs, the pod at its node's address:host port, no SNAT: %s"
                     % ', '.join('%s at %s' % (name, targets.get(name, '?')) for _kind, name in cols))
        lines.extend(_text_matrix(rows, cols, cells))
    lines.append('legend: ' + ' | '.join('%s %s' % (CELL_CODES[v], LEGEND_TEXT[v]) for v in VERDICTS)
                 + ' | %s not probed' % NOT_PROBED)
    for rule in report['rules']:
        lines.append('%s (%s): %s' % (rule_label(rule), rule['title'], _rule_status(rule)))
    for problem in report['problems']:
        lines.append('problem: %s' % problem)
    for pair in report['pairs']:
        if pair['verdict'] != 'ok':
            lines.append('failed: %s' % describe_pair(pair))
    for pod in report['rules'][2]['pods']:
        if not pod['passed']:
            lines.append('failed: rule 3, pod %s: %s' % (pod['pod'], pod['reason']))
    summary = report['summary']
    lines.append('result: %s, %d of %d pairs ok' % ('PASS' if report['passed'] else 'FAIL', summary['ok'], summary['pairs']))
    return lines


def _rule_status(rule):
    if rule['rule'] == 3:
        total = len(rule['pods'])
        unit = 'pods'
    else:
        total = rule['pairs']
        unit = 'pairs'
    if rule['passed']:
        return 'PASS, %d of %d %s ok' % (rule['ok'], total, unit)
    if not total:
        return 'FAIL, %s' % rule['reason']
    return 'FAIL, %d of %d %s failed' % (len(rule['failed']), total, unit)


# --------------------------------------------------------------------------- SVG map

FONT = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"
MONO = "DejaVu Sans Mono, Menlo, Consolas, monospace"
RED = '#d62728'
GREEN = '#2ca02c'
NODE_W = 260
NODE_HEADER = 88
POD_H = 42
POD_GAP = 8
PANEL_W = 430
MARGIN = 40
TITLE_H = 70


def _esc(text):
    return html.escape('' if text is None else str(text), quote=True)


def _text_w(text, size):
    return len(str(text)) * size * 0.6


def _node_height(node):
    count = len(node['pods'])
    return NODE_HEADER + (count * (POD_H + POD_GAP) if count else 30) + 8


def _overlap(a, b, gap):
    return not (a[0] + a[2] + gap <= b[0] or b[0] + b[2] + gap <= a[0] or
                a[1] + a[3] + gap <= b[1] or b[1] + b[3] + gap <= a[1])


def layout(nodes):
    """{node: (x, y, w, h)} boxes on a ring (a row for one or two nodes), without overlaps, from (0, 0)."""
    names = list(nodes)
    count = len(names)
    heights = dict((name, _node_height(nodes[name])) for name in names)
    if count == 0:
        return {}
    if count <= 2:
        boxes = {}
        x = 0
        for name in names:
            boxes[name] = (x, 0, NODE_W, heights[name])
            x += NODE_W + 160
        return boxes
    start = -math.pi / 2 + (math.pi / count if count % 2 == 0 else 0)
    angles = [start + 2 * math.pi * i / count for i in range(count)]
    tallest = max(heights.values())
    rx, ry = NODE_W * 1.0, tallest * 0.9
    for dummy in range(200):
        boxes = {}
        for name, angle in zip(names, angles):
            cx, cy = rx * math.cos(angle), ry * math.sin(angle)
            boxes[name] = (cx - NODE_W / 2.0, cy - heights[name] / 2.0, NODE_W, heights[name])
        if not any(_overlap(boxes[a], boxes[b], 70) for i, a in enumerate(names) for b in names[i + 1:]):
            break
        rx *= 1.06
        ry *= 1.06
    min_x = min(b[0] for b in boxes.values())
    min_y = min(b[1] for b in boxes.values())
    return dict((name, (b[0] - min_x, b[1] - min_y, b[2], b[3])) for name, b in boxes.items())


def _clip_to_rect(center, toward, rect):
    """Where the ray from ``center`` (inside ``rect``) toward ``toward`` leaves ``rect``."""
    cx, cy = center
    dx, dy = toward[0] - cx, toward[1] - cy
    if dx == 0 and dy == 0:
        return center
    x, y, w, h = rect
    ts = []
    if dx:
        ts.extend([(x - cx) / dx, (x + w - cx) / dx])
    if dy:
        ts.extend([(y - cy) / dy, (y + h - cy) / dy])
    t = min(t for t in ts if t > 0) if any(t > 0 for t in ts) else 0
    return cx + dx * t, cy + dy * t


def _center(rect):
    return rect[0] + rect[2] / 2.0, rect[1] + rect[3] / 2.0


def _pill(x, y, text, size, fg, bg, stroke, weight='normal', extra=''):
    width = _text_w(text, size) + 12
    height = size + 8
    return ('<g%s><rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="%.1f" fill="%s" stroke="%s"/>'
            '<text x="%.1f" y="%.1f" font-size="%d" font-weight="%s" fill="%s" text-anchor="middle">%s</text></g>'
            % (extra, x - width / 2, y - height / 2, width, height, height / 2, bg, stroke, x, y + size * 0.36, size,
               weight, fg, _esc(text)))


def _status_by_endpoint(report):
    bad = {}
    for pair in report['pairs']:
        if pair['verdict'] != 'ok':
            for key in ((pair['src_kind'], pair['src']), (pair['dst_kind'], pair['dst'])):
                bad[key] = bad.get(key, 0) + 1
    return bad


def render_svg(report):
    """A self-contained SVG network map of ``report`` (the dict made by evaluate())."""
    nodes = report['topology']
    boxes = layout(nodes)
    map_w = (max([b[0] + b[2] for b in boxes.values()] or [NODE_W])) + 2 * MARGIN + 60
    map_h = (max([b[1] + b[3] for b in boxes.values()] or [100])) + 2 * MARGIN + 40
    off_x, off_y = MARGIN + 30, TITLE_H + MARGIN
    boxes = dict((n, (b[0] + off_x, b[1] + off_y, b[2], b[3])) for n, b in boxes.items())
    bad = _status_by_endpoint(report)

    # rectangles of every endpoint: pod boxes and node headers
    anchors = {}
    for name, node in nodes.items():
        x, y, w, dummy = boxes[name]
        anchors[('node', name)] = boxes[name]
        anchors[('header', name)] = (x, y, w, NODE_HEADER - 6)
        for i, pod in enumerate(node['pods']):
            anchors[('pod', pod['name'])] = (x + 14, y + NODE_HEADER + i * (POD_H + POD_GAP), w - 28, POD_H)

    body = []
    # --- tunnel links (under the boxes)
    names = list(nodes)
    links = []
    for i, a in enumerate(names):
        for j in range(i + 1, len(names)):
            b = names[j]
            adjacent = (j - i == 1) or (i == 0 and j == len(names) - 1)
            links.append((a, b, adjacent))
    for a, b, adjacent in links:
        ca, cb = _center(boxes[a]), _center(boxes[b])
        body.append('<line class="tunnel" data-nodes="%s %s" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#8c96a8" '
                    'stroke-width="3" stroke-dasharray="10 6"/>' % (_esc(a), _esc(b), ca[0], ca[1], cb[0], cb[1]))
    labels = []
    all_backends = sorted(set(node['backend'] or 'tunnel' for node in nodes.values()))
    common = all_backends if len(all_backends) == 1 else None
    for a, b, adjacent in links:
        ca, cb = _center(boxes[a]), _center(boxes[b])
        pa = _clip_to_rect(ca, cb, boxes[a])
        pb = _clip_to_rect(cb, ca, boxes[b])
        backends = sorted(set(nodes[n]['backend'] or 'tunnel' for n in (a, b)))
        if not adjacent and len(names) > 4 and backends == common:
            continue  # a full mesh of labels is unreadable: chords carry the common backend of the legend
        t = 0.5 if adjacent or len(names) <= 3 else 0.32
        lx, ly = pa[0] + (pb[0] - pa[0]) * t, pa[1] + (pb[1] - pa[1]) * t
        labels.append(_pill(lx, ly, '/'.join(backends), 12, '#3d4657', '#ffffff', '#8c96a8', 'bold',
                            ' class="tunnel-label"'))
    body.extend(labels)

    # --- node boxes with their pods
    for name, node in nodes.items():
        x, y, w, h = boxes[name]
        node_bad = bad.get(('node', name), 0) + sum(bad.get(('pod', pod['name']), 0) for pod in node['pods'])
        body.append('<g class="node" data-node="%s">' % _esc(name))
        body.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="12" fill="#f4f6fa" stroke="#4a5568" stroke-width="2"/>'
                    % (x, y, w, h))
        hh = NODE_HEADER - 6
        body.append('<path d="M%.1f,%.1f v%.1f a11,11 0 0 1 11,-11 h%.1f a11,11 0 0 1 11,11 v%.1f z" fill="#e2e7f0"/>'
                    % (x + 1, y + hh, -(hh - 12), w - 24, hh - 12))
        body.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#cbd2de"/>' % (x + 1, y + hh, x + w - 1, y + hh))
        body.append('<circle cx="%.1f" cy="%.1f" r="6" fill="%s"><title>%s</title></circle>'
                    % (x + w - 18, y + 20, RED if node_bad else GREEN,
                       _esc('%d failing pairs from or to this node and its pods' % node_bad if node_bad
                            else 'every pair from or to this node and its pods is ok')))
        body.append('<text x="%.1f" y="%.1f" font-size="17" font-weight="bold" fill="#1a202c">%s</text>' % (x + 14, y + 25, _esc(name)))
        for k, (label, value) in enumerate((('underlay', node['address']), ('subnet', node['subnet']), ('docker0', node['docker0']))):
            body.append('<text x="%.1f" y="%.1f" font-size="11" fill="#718096">%s</text>' % (x + 14, y + 44 + 16 * k, label))
            body.append('<text x="%.1f" y="%.1f" font-size="12" fill="#1a202c" font-family="%s">%s</text>'
                        % (x + 76, y + 44 + 16 * k, MONO, _esc(value or '?')))
        if not node['pods']:
            body.append('<text x="%.1f" y="%.1f" font-size="12" font-style="italic" fill="%s">no pods</text>' % (x + 14, y + NODE_HEADER + 16, RED))
        for pod in node['pods']:
            px, py, pw, ph = anchors[('pod', pod['name'])]
            pod_bad = bad.get(('pod', pod['name']))
            body.append('<g class="pod" data-pod="%s">' % _esc(pod['name']))
            body.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="8" fill="#e3edff" stroke="%s" stroke-width="1.5"/>'
                        % (px, py, pw, ph, RED if pod_bad else '#3b6fd6'))
            body.append('<text x="%.1f" y="%.1f" font-size="13" font-weight="bold" fill="#1c3d7a">%s</text>' % (px + 10, py + 17, _esc(pod['name'])))
            ip_text = pod['ip'] or 'no IP'
            if pod['self_ip'] and pod['self_ip'] != pod['ip']:
                ip_text += '  (eth0 %s)' % pod['self_ip']
            body.append('<text x="%.1f" y="%.1f" font-size="12" fill="%s" font-family="%s">%s</text>'
                        % (px + 10, py + 33, RED if ip_text != (pod['ip'] or '') else '#1a202c', MONO, _esc(ip_text)))
            body.append('</g>')
        body.append('</g>')

    # --- failing pairs, on top
    fails = []
    for pair in report['pairs']:
        if pair['verdict'] == 'ok':
            continue
        src_kind, dst_kind = pair['src_kind'], pair['dst_kind']
        if pair['src_node'] == pair['dst_node']:  # a node and its own pod: the header stands for the node
            src_kind = 'header' if src_kind == 'node' else src_kind
            dst_kind = 'header' if dst_kind == 'node' else dst_kind
        src = anchors.get((src_kind, pair['src']))
        dst = anchors.get((dst_kind, pair['dst']))
        if not src or not dst:
            continue
        same_node = pair['src_node'] == pair['dst_node'] and src != dst
        fails.append(_fail_path(pair, src, dst, boxes[pair['src_node']] if same_node else None))
    body.extend(fails)

    panel_x = map_w
    panel, panel_h = _panel(report, panel_x, TITLE_H + 20)
    width = int(map_w + PANEL_W + MARGIN)
    height = int(max(map_h + TITLE_H, panel_h + TITLE_H + 40))
    passed = report['passed']
    title = [
        '<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>' % (width, height),
        '<rect x="0" y="0" width="%d" height="%d" fill="%s"/>' % (width, TITLE_H - 14, '#1f2937'),
        '<text x="%d" y="36" font-size="22" font-weight="bold" fill="#ffffff">Kubernetes network model check</text>' % MARGIN,
        '<text x="%d" y="36" font-size="13" fill="#cbd5e0" text-anchor="end">podnet.flannel verify, %s</text>'
        % (width - MARGIN, _esc(report['generated'])),
    ]
    verdict = 'PASS' if passed else 'FAIL'
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="%d" height="%d" viewBox="0 0 %d %d" '
        'font-family="%s" role="img" aria-label="%s">' % (width, height, width, height, FONT, _esc('network map: %s' % verdict)),
        '<title>%s</title>' % _esc('podnet.flannel network model check: %s' % ('PASS' if passed else 'FAIL')),
        '<defs><marker id="nc-arrow-fail" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="%s"/></marker></defs>' % RED,
    ]
    out.extend(title)
    out.extend(body)
    out.extend(panel)
    out.append('</svg>')
    return '\n'.join(out) + '\n'


def _fail_path(pair, src, dst, box=None):
    """A red arrow for a failing pair. ``box``: the node box when both ends are on one node; the arrow
    then runs outside the box (left side downwards, right side upwards) so that it hides no text."""
    code = CELL_CODES[pair['verdict']]
    tip = _esc(describe_pair(pair))
    attrs = 'class="fail" data-pair="%s" stroke="%s" stroke-width="2.2" fill="none" marker-end="url(#nc-arrow-fail)"' % (_esc(pair['id']), RED)
    if box is not None:
        y1 = src[1] + min(src[3], 60) / 2.0
        y2 = dst[1] + min(dst[3], 60) / 2.0
        bulge = 46 if pair['kind'] == KIND_POD_POD else 30
        if y2 >= y1:
            x1, x2 = src[0], dst[0]
            edge = box[0] - bulge
        else:
            x1, x2 = src[0] + src[2], dst[0] + dst[2]
            edge = box[0] + box[2] + bulge
        d = 'M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f' % (x1, y1, edge, y1, edge, y2, x2, y2)
        label = _pill(0.125 * x1 + 0.75 * edge + 0.125 * x2, (y1 + y2) / 2.0, code, 11, RED, '#ffffff', RED, 'bold',
                      ' class="fail-label"')
        return '<g><path %s d="%s"><title>%s</title></path>%s</g>' % (attrs, d, tip, label)
    if src == dst:  # a pod to itself: a loop on the right of the pod box
        x = src[0] + src[2]
        cy = src[1] + src[3] / 2.0
        d = 'M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f' % (x, cy - 8, x + 44, cy - 34, x + 44, cy + 34, x + 2, cy + 8)
        label = _pill(x + 40, cy, code, 11, RED, '#ffffff', RED, 'bold', ' class="fail-label"')
        return '<g><path %s d="%s"><title>%s</title></path>%s</g>' % (attrs, d, tip, label)
    c1, c2 = _center(src), _center(dst)
    dx, dy = c2[0] - c1[0], c2[1] - c1[1]
    length = math.hypot(dx, dy) or 1.0
    bend = 0.12 * length + 18
    # bend to the left of the direction of travel: a -> b and b -> a curve apart
    ctrl = ((c1[0] + c2[0]) / 2.0 + dy / length * bend, (c1[1] + c2[1]) / 2.0 - dx / length * bend)
    p0 = _clip_to_rect(c1, ctrl, src)
    p2 = _clip_to_rect(c2, ctrl, dst)
    d = 'M%.1f,%.1f Q%.1f,%.1f %.1f,%.1f' % (p0[0], p0[1], ctrl[0], ctrl[1], p2[0], p2[1])
    mx = 0.25 * p0[0] + 0.5 * ctrl[0] + 0.25 * p2[0]
    my = 0.25 * p0[1] + 0.5 * ctrl[1] + 0.25 * p2[1]
    label = _pill(mx, my, code, 11, RED, '#ffffff', RED, 'bold', ' class="fail-label"')
    return '<g><path %s d="%s"><title>%s</title></path>%s</g>' % (attrs, d, tip, label)


def _truncate(text, limit):
    text = str(text)
    return text if len(text) <= limit else text[:limit - 1] + '\u2026'


def _panel(report, x, y):
    """The right-hand panel: overall result, rules, legend, failures. Returns (elements, height)."""
    out = []
    summary = report['summary']
    passed = report['passed']
    color = GREEN if passed else RED
    out.append('<g class="panel">')
    out.append('<rect class="result" x="%.1f" y="%.1f" width="%d" height="64" rx="10" fill="%s"/>' % (x, y, PANEL_W - 10, color))
    out.append('<text x="%.1f" y="%.1f" font-size="26" font-weight="bold" fill="#ffffff">%s</text>'
               % (x + 16, y + 40, 'PASS' if passed else 'FAIL'))
    out.append('<text x="%.1f" y="%.1f" font-size="14" fill="#ffffff">%s</text>'
               % (x + 110, y + 28, _esc('%d of %d pairs ok' % (summary['ok'], summary['pairs']))))
    out.append('<text x="%.1f" y="%.1f" font-size="12" fill="#ffffff">%s</text>'
               % (x + 110, y + 48, _esc('%d failed, %d problems' % (summary['failed'], len(report['problems'])))))
    cy = y + 94
    out.append('<text x="%.1f" y="%.1f" font-size="15" font-weight="bold" fill="#1a202c">Rules</text>' % (x, cy))
    cy += 8
    for rule in report['rules']:
        cy += 22
        mark_color = GREEN if rule['passed'] else RED
        out.append('<circle cx="%.1f" cy="%.1f" r="8" fill="%s"/>' % (x + 8, cy - 5, mark_color))
        out.append('<text x="%.1f" y="%.1f" font-size="11" font-weight="bold" fill="#ffffff" text-anchor="middle">%s</text>'
                   % (x + 8, cy - 1, rule['rule'] if isinstance(rule['rule'], int) else 'H'))
        out.append('<text x="%.1f" y="%.1f" font-size="12" fill="#1a202c">%s</text>' % (x + 24, cy - 1, _esc(_truncate(rule['title'], 52))))
        cy += 16
        out.append('<text x="%.1f" y="%.1f" font-size="12" fill="%s">%s</text>' % (x + 24, cy - 1, mark_color, _esc(_rule_status(rule))))
    cy += 34
    out.append('<text x="%.1f" y="%.1f" font-size="15" font-weight="bold" fill="#1a202c">Legend</text>' % (x, cy))
    cy += 16
    out.append('<rect x="%.1f" y="%.1f" width="40" height="24" rx="6" fill="#f4f6fa" stroke="#4a5568" stroke-width="2"/>' % (x, cy))
    out.append('<text x="%.1f" y="%.1f" font-size="12" fill="#1a202c">node: underlay IP, leased subnet, docker0</text>' % (x + 52, cy + 16))
    cy += 32
    out.append('<rect x="%.1f" y="%.1f" width="40" height="24" rx="6" fill="#e3edff" stroke="#3b6fd6" stroke-width="1.5"/>' % (x, cy))
    out.append('<text x="%.1f" y="%.1f" font-size="12" fill="#1a202c">pod: name and pod IP (red border: a failing pair)</text>' % (x + 52, cy + 16))
    cy += 36
    out.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#8c96a8" stroke-width="3" stroke-dasharray="10 6"/>' % (x, cy, x + 40, cy))
    out.append('<text x="%.1f" y="%.1f" font-size="12" fill="#1a202c">flannel backend between nodes (vxlan, host-gw...)</text>' % (x + 52, cy + 4))
    cy += 24
    out.append('<path d="M%.1f,%.1f L%.1f,%.1f" stroke="%s" stroke-width="2.2" marker-end="url(#nc-arrow-fail)"/>' % (x, cy, x + 38, cy, RED))
    out.append('<text x="%.1f" y="%.1f" font-size="12" fill="#1a202c">failing pair, source to destination, with its verdict</text>' % (x + 52, cy + 4))
    cy += 8
    for k, verdict in enumerate(VERDICTS):
        col, row = k % 2, k // 2
        vx, vy = x + col * 215, cy + 20 + row * 22
        tone = GREEN if verdict == 'ok' else RED
        out.append(_pill(vx + 18, vy - 4, CELL_CODES[verdict], 11, tone, '#ffffff', tone, 'bold'))
        out.append('<text x="%.1f" y="%.1f" font-size="11" fill="#1a202c">%s</text>' % (vx + 42, vy, _esc(LEGEND_TEXT[verdict])))
    cy += 20 + 22 * ((len(VERDICTS) + 1) // 2)
    failures = [describe_pair(p) for p in report['pairs'] if p['verdict'] != 'ok']
    failures += ['rule 3, pod %s: %s' % (p['pod'], p['reason']) for p in report['rules'][2]['pods'] if not p['passed']]
    failures = ['problem: %s' % p for p in report['problems']] + failures
    if failures:
        cy += 22
        out.append('<text x="%.1f" y="%.1f" font-size="15" font-weight="bold" fill="%s">Failures (%d)</text>' % (x, cy, RED, len(failures)))
        shown = 0
        for item in failures:
            if shown >= 16:
                cy += 17
                out.append('<text x="%.1f" y="%.1f" font-size="11" fill="#4a5568">%s</text>'
                           % (x, cy, _esc('... and %d more: see the JSON report' % (len(failures) - shown))))
                break
            lines = _wrap(item, 64)[:2]
            for k, chunk in enumerate(lines):
                cy += 15 if k else 17
                out.append('<text x="%.1f" y="%.1f" font-size="11" fill="#1a202c" font-family="%s">%s</text>'
                           % (x + (10 if k else 0), cy, MONO, _esc(chunk)))
            shown += 1
    out.append('</g>')
    return out, cy - y + 20


def _wrap(text, width):
    words = str(text).split(' ')
    lines, current = [], ''
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = (current + ' ' + word) if current else word
    if current:
        lines.append(current)
    return [_truncate(line, width) for line in lines]


# --------------------------------------------------------------------------- HTML

_CSS = """
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; margin: 24px; color: #1a202c; }
h1 { font-size: 22px; margin: 0 0 12px 0; }
h2 { font-size: 17px; margin: 28px 0 8px 0; }
.result { display: inline-block; padding: 6px 14px; border-radius: 6px; color: #fff; font-weight: bold; }
.pass { background: #2ca02c; } .fail { background: #d62728; }
.map svg { max-width: 100%; height: auto; border: 1px solid #e2e8f0; border-radius: 8px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #cbd5e0; padding: 4px 8px; text-align: left; }
th { background: #edf2f7; }
td.cell { text-align: center; font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; }
td.ok { background: #e6f4ea; color: #1e6b2d; }
td.bad { background: #fde8e8; color: #b91c1c; font-weight: bold; }
td.none { color: #a0aec0; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; }
"""


def _html_matrix(rows, cols, cells, css_class='matrix'):
    out = ['<table class="%s">' % css_class,
           '<tr><th>source \\ destination</th>%s</tr>' % ''.join('<th>%s</th>' % _esc(name) for _kind, name in cols)]
    for row in rows:
        tds = []
        for col in cols:
            pair = cells.get((row, col))
            if not pair:
                tds.append('<td class="cell none">%s</td>' % NOT_PROBED)
                continue
            tip = '%s\nexpected: %s\nseen: %s' % (pair['url'] or '', ', '.join(pair['expected']) or '?', pair['seen'] or '-')
            if pair['reason']:
                tip += '\n' + pair['reason']
            tds.append('<td class="cell %s" title="%s">%s</td>'
                       % ('ok' if pair['verdict'] == 'ok' else 'bad', _esc(tip), _esc(CELL_CODES[pair['verdict']])))
        out.append('<tr><th>%s</th>%s</tr>' % (_esc(row[1]), ''.join(tds)))
    out.append('</table>')
    return out


def render_html(report, svg=None):
    """An HTML page: the result, the SVG map, the matrix as a table, the rules and the failures."""
    svg = svg if svg is not None else render_svg(report)
    passed = report['passed']
    out = ['<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
           '<title>Kubernetes network model check: %s</title>' % ('PASS' if passed else 'FAIL'),
           '<style>%s</style>' % _CSS, '</head>', '<body>',
           '<h1>Kubernetes network model check</h1>',
           '<p><span class="result %s">%s</span> %d of %d pairs ok, generated %s</p>'
           % ('pass' if passed else 'fail', 'PASS' if passed else 'FAIL', report['summary']['ok'],
              report['summary']['pairs'], _esc(report['generated'])),
           '<div class="map">', svg, '</div>',
           '<h2>Matrix</h2>',
           '<p>Rows are sources, columns destinations. Hover a cell for the URL, the expected and the seen address.</p>']
    out.extend(_html_matrix(*matrix_cells(report)))
    rows, cols, cells = hostport_cells(report)
    if cols:
        targets = hostport_targets(report)
        out.append('<h2>Host ports</h2>')
        out.append('<p>%s</p>' % _esc('Each pod at its node address and host port (%s), from the other nodes and their pods. '
                                      'The pod must see the source\'s node address.'
                                      % ', '.join('%s at %s' % (name, targets.get(name, '?')) for _kind, name in cols)))
        out.extend(_html_matrix(rows, cols, cells, 'matrix hostport'))
    out.append('<p>%s</p>' % _esc(' | '.join('%s: %s' % (CELL_CODES[v], VERDICT_TEXT[v]) for v in VERDICTS)
                                  + ' | %s: not probed' % NOT_PROBED))
    out.append('<h2>Rules</h2><table><tr><th>rule</th><th>what</th><th>result</th></tr>')
    for rule in report['rules']:
        out.append('<tr><td>%s</td><td>%s</td><td class="%s">%s</td></tr>'
                   % (_esc(rule['rule']), _esc(rule['title']), 'ok' if rule['passed'] else 'bad', _esc(_rule_status(rule))))
    out.append('</table>')
    out.append('<h2>Pod addresses (rule 3)</h2><table><tr><th>pod</th><th>node</th><th>eth0</th><th>Docker</th>'
               '<th>seen by the other pods</th><th>result</th></tr>')
    for pod in report['rules'][2]['pods']:
        seen = ', '.join(sorted(set(pod['seen'].values()))) or '-'
        out.append('<tr><td>%s</td><td>%s</td><td><code>%s</code></td><td><code>%s</code></td><td><code>%s</code></td>'
                   '<td class="%s">%s</td></tr>'
                   % (_esc(pod['pod']), _esc(pod['node']), _esc(pod['self_ip'] or '-'), _esc(pod['docker_ip'] or '-'),
                      _esc(seen), 'ok' if pod['passed'] else 'bad', _esc('ok' if pod['passed'] else pod['reason'])))
    out.append('</table>')
    failed = [p for p in report['pairs'] if p['verdict'] != 'ok']
    if report['problems'] or failed:
        out.append('<h2>Failures</h2>')
        if report['problems']:
            out.append('<ul>%s</ul>' % ''.join('<li>%s</li>' % _esc(p) for p in report['problems']))
        if failed:
            out.append('<table><tr><th>kind</th><th>source</th><th>destination</th><th>URL</th><th>verdict</th><th>reason</th></tr>')
            for pair in failed:
                out.append('<tr><td>%s</td><td>%s</td><td>%s</td><td><code>%s</code></td><td class="bad">%s</td><td>%s</td></tr>'
                           % (_esc(pair['kind']), _esc(pair['src']), _esc(pair['dst']), _esc(pair['url'] or '-'),
                              _esc(CELL_CODES[pair['verdict']]), _esc(pair['reason'])))
            out.append('</table>')
    out.append('</body>')
    out.append('</html>')
    return '\n'.join(out) + '\n'
