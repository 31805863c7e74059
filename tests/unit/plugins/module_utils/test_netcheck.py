# Copyright: (c) 2026, podnet.flannel maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Unit tests for module_utils/netcheck.py: probe plan, verdicts, rule summaries, the text matrix,
the SVG map and the HTML page.

Topologies and probe outcomes are written by hand; expected values follow from them (pair counts,
reasons, cells), not from running the code.
"""

from __future__ import annotations

import datetime
import html.parser
import json
import xml.etree.ElementTree as ET

import pytest

from ansible_collections.podnet.flannel.plugins.module_utils import netcheck as nc

SVG_NS = '{http://www.w3.org/2000/svg}'
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


def answer(address, **extra):
    result = {'rc': 0, 'stdout': address, 'stderr': '', 'elapsed': 0.02, 'timeout': 3, 'error': None}
    result.update(extra)
    return result


def honest_results(topo, override=None):
    """Results as a network without NAT gives them: each receiver saw the sender's own address.

    ``override``: {pair id: result} replacing the honest outcome of those pairs.
    """
    nodes, dummy = nc.normalize_topology(topo)
    out = []
    for pair in nc.build_plan(nodes):
        if pair['skip']:
            continue
        if pair['src_kind'] == 'pod':
            seen = pair['expected'][0]
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


def report_for(topo, override=None, ips=None, results=None):
    return nc.evaluate(topo, honest_results(topo, override) if results is None else results,
                       self_ips(topo) if ips is None else ips, now=NOW)


# ----------------------------------------------------------------------------- classification

@pytest.mark.parametrize('raw, expected, verdict, seen, reason', [
    (answer('10.244.1.2\n'), ['10.244.1.2'], 'ok', '10.244.1.2', ''),
    (answer('[::ffff:10.244.1.2]\n'), ['10.244.1.2'], 'ok', '10.244.1.2', ''),
    (answer('10.244.2.0'), ['10.244.1.2'], 'nat', '10.244.2.0', 'NAT: seen as 10.244.2.0 instead of 10.244.1.2'),
    (answer('[::ffff:192.168.77.11]'), ['10.244.1.2'], 'nat', '192.168.77.11', 'NAT: seen as 192.168.77.11 instead of 10.244.1.2'),
    (answer('10.9.9.9'), ['192.168.77.11', '10.244.1.1'], 'nat', '10.9.9.9',
     'NAT: seen as 10.9.9.9 instead of one of 192.168.77.11, 10.244.1.1'),
    (answer('10.244.1.1'), ['192.168.77.11', '10.244.1.1'], 'ok', '10.244.1.1', ''),
])
def test_classify_answers(raw, expected, verdict, seen, reason):
    assert nc.classify(raw, expected) == (verdict, seen, reason)


@pytest.mark.parametrize('rc, stderr, verdict, reason_part', [
    (124, '', 'timeout', 'timeout: no answer within 3s (exit code 124)'),
    (143, '', 'timeout', 'timeout: no answer within 3s (exit code 143)'),
    (124, 'download timed out', 'timeout', 'download timed out'),
    (1, "wget: can't connect to remote host (10.244.2.2): Connection refused", 'refused',
     "wget: can't connect to remote host (10.244.2.2): Connection refused"),
    (1, "wget: can't connect to remote host (10.244.2.2): No route to host", 'unreachable',
     "wget: can't connect to remote host (10.244.2.2): No route to host"),
    (1, "can't connect to remote host: Network is unreachable", 'unreachable', 'Network is unreachable'),
    (1, 'wget: server returned error: HTTP/1.1 404 Not Found', 'error', 'wget: server returned error: HTTP/1.1 404 Not Found'),
    (127, '', 'error', 'exit code 127 without a message'),
])
def test_classify_failures(rc, stderr, verdict, reason_part):
    got_verdict, seen, reason = nc.classify(answer('', rc=rc, stderr=stderr), ['10.244.1.2'])
    assert got_verdict == verdict
    assert seen is None
    assert reason_part in reason


def test_classify_error_field_missing_result_and_garbage():
    assert nc.classify(answer('', rc=None, error='container demo-node1-echo does not exist'), ['10.244.1.2']) == (
        'error', None, 'container demo-node1-echo does not exist')
    verdict, seen, reason = nc.classify(None, ['10.244.1.2'])
    assert (verdict, seen) == ('error', None) and 'did not run' in reason
    verdict, seen, reason = nc.classify(answer('<html>hello</html>'), ['10.244.1.2'])
    assert verdict == 'error' and "'<html>hello</html>'" in reason


def test_refused_text_with_rc_zero_is_still_an_answer():
    # a body that happens to contain the words is no failure: only the exit code decides
    assert nc.classify(answer('10.244.1.2', stderr='Connection refused earlier'), ['10.244.1.2'])[0] == 'ok'


def test_seen_address_and_ip_addr_parsing():
    assert nc.seen_address('[::ffff:10.0.0.5]') == '10.0.0.5'
    assert nc.seen_address(' 10.0.0.5 ') == '10.0.0.5'
    assert nc.seen_address('[fe80::1]') is None
    assert nc.seen_address('nope') is None
    busybox = '126: eth0    inet 10.244.72.2/24 brd 10.244.72.255 scope global eth0\\       valid_lft forever preferred_lft forever\n'
    assert nc.parse_ip_addr(busybox) == '10.244.72.2'
    iproute = '5: eth0@if6    inet 172.17.0.3/16 scope global eth0\n'
    assert nc.parse_ip_addr(iproute) == '172.17.0.3'
    assert nc.parse_ip_addr('') is None
    assert nc.parse_ip_addr('Device "eth0" does not exist.') is None


# ----------------------------------------------------------------------------- topology and plan

def test_plan_covers_every_pair_once():
    nodes, problems = nc.normalize_topology(topology(3, 2))
    assert problems == []
    pairs = nc.build_plan(nodes)
    pods, node_count = 6, 3
    assert len(pairs) == pods * pods + pods * node_count + node_count * pods
    assert len(set(p['id'] for p in pairs)) == len(pairs)
    kinds = [p['kind'] for p in pairs]
    assert kinds.count('pod-pod') == 36 and kinds.count('pod-node') == 18 and kinds.count('node-pod') == 18
    # every pod probes itself too
    assert 'pod-pod:demo-node2-1->demo-node2-1' in set(p['id'] for p in pairs)


def test_plan_urls_expectations_and_dispatch():
    nodes, dummy = nc.normalize_topology(topology(2))
    pairs = dict((p['id'], p) for p in nc.build_plan(nodes, pod_port=8081, node_port=18081, path='/cgi-bin/ip'))
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

    plan = nc.plan_by_node(list(pairs.values()), ['node1', 'node2'])
    # node1 runs: its pod -> 2 pods + 2 nodes, itself -> 2 pods
    assert len(plan['node1']) == 6 and len(plan['node2']) == 6
    node_probe = [p for p in plan['node1'] if p['src_kind'] == 'node'][0]
    assert 'container' not in node_probe
    assert set(p['src'] for p in plan['node1']) == {'demo-node1', 'node1'}


def test_pod_info_shaped_pods_and_self_ips():
    topo = topology(1)
    topo['node1']['pods'] = [{'name': 'demo-node1', 'pod_ip': '10.244.1.2', 'healthy': True,
                              'containers': [{'name': 'sidecar', 'container_name': 'demo-node1-sidecar'},
                                             {'name': 'echo', 'container_name': 'demo-node1-echo'}],
                              'host_ports': [{'container_port': 8080, 'host_port': '18081', 'protocol': 'TCP', 'host_ip': None},
                                             {'container_port': 8080, 'host_port': None}, 'junk']}]
    nodes, problems = nc.normalize_topology(topo, {'node1': {'demo-node1-echo': '10.244.1.2'}})
    assert problems == []
    pod = nodes['node1']['pods'][0]
    assert pod == {'name': 'demo-node1', 'node': 'node1', 'ip': '10.244.1.2', 'self_ip': '10.244.1.2',
                   'echo_container': 'demo-node1-echo',
                   'host_ports': [{'container_port': 8080, 'host_port': 18081, 'protocol': 'tcp', 'host_ip': None}]}
    nodes, dummy = nc.normalize_topology(topo, {'demo-node1-echo': '10.244.1.9'})  # flat self_ips
    assert nodes['node1']['pods'][0]['self_ip'] == '10.244.1.9'


def test_topology_problems():
    topo = topology(2)
    topo['node2']['pods'] = []
    topo['node3'] = {'pods': [{'name': 'demo-node1', 'ip': '10.244.3.2'}]}
    nodes, problems = nc.normalize_topology(topo)
    assert any('node node2: no pods' in p for p in problems)
    assert any('node node3: no underlay address' in p for p in problems)
    assert any('pod demo-node1 is listed on node node1 and on node node3' in p for p in problems)
    with pytest.raises(nc.TopologyError):
        nc.normalize_topology(['node1'])


def test_pod_without_ip_is_not_probed_and_fails():
    topo = topology(2)
    topo['node2']['pods'][0]['ip'] = None
    nodes, dummy = nc.normalize_topology(topo)
    pairs = nc.build_plan(nodes)
    skipped = [p for p in pairs if p['skip']]
    # demo-node2 as source: 2 pods + 2 nodes; as destination from demo-node1 and from both nodes
    assert len(skipped) == 4 + 1 + 2
    plan = nc.plan_by_node(pairs, list(nodes))
    assert all('demo-node2' not in p['id'] for probes in plan.values() for p in probes)
    report = nc.evaluate(topo, honest_results(topo), now=NOW)
    bad = dict((p['id'], p) for p in report['pairs'] if p['verdict'] != 'ok')
    assert bad['node-pod:node1->demo-node2']['reason'].startswith('not probed: destination pod demo-node2 has no IP')
    assert not report['passed']


# ----------------------------------------------------------------------------- report and rules

def test_all_ok_passes():
    topo = topology(3)
    report = report_for(topo)
    assert report['passed'] is True
    assert report['summary'] == {'pairs': 27, 'ok': 27, 'failed': 0,
                                 'verdicts': {'ok': 27, 'nat': 0, 'timeout': 0, 'refused': 0, 'unreachable': 0, 'error': 0}}
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
    report = report_for(topo, {
        'pod-node:demo-node2->node3': answer('', rc=143),
        'node-pod:node1->demo-node2': answer('', rc=1, stderr="wget: can't connect to remote host: Connection refused"),
    })
    rules = dict((r['rule'], r) for r in report['rules'])
    assert rules[1]['passed'] is True and rules[3]['passed'] is True
    assert sorted(rules[2]['failed']) == ['node-pod:node1->demo-node2', 'pod-node:demo-node2->node3']
    assert report['summary']['verdicts']['timeout'] == 1 and report['summary']['verdicts']['refused'] == 1
    failed = nc.failed_pairs(report)
    assert [(f['id'], f['verdict']) for f in failed] == [('pod-node:demo-node2->node3', 'timeout'),
                                                         ('node-pod:node1->demo-node2', 'refused')]


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


# ----------------------------------------------------------------------------- matrix

def test_matrix_shape_and_cells():
    topo = topology(3)
    report = report_for(topo, {
        'pod-pod:demo-node1->demo-node3': answer('10.244.1.0'),
        'pod-node:demo-node2->node3': answer('', rc=124),
        'node-pod:node3->demo-node1': answer('', rc=1, stderr='wget: can\'t connect to remote host: No route to host'),
    })
    lines = nc.render_matrix(report)
    header = lines[0].split()
    assert header[:3] == ['source', '\\', 'destination']
    cols = header[3:]
    assert cols == ['demo-node1', 'demo-node2', 'demo-node3', 'node1', 'node2', 'node3']
    rows = [line.split() for line in lines[1:7]]
    assert [r[0] for r in rows] == cols  # sources: the same pods, then nodes
    assert all(len(r) == 7 for r in rows)
    cell = dict(((r[0], col), value) for r in rows for col, value in zip(cols, r[1:]))
    assert cell[('demo-node1', 'demo-node3')] == 'NAT'
    assert cell[('demo-node2', 'node3')] == 'T/O'
    assert cell[('node3', 'demo-node1')] == 'UNR'
    assert cell[('demo-node1', 'demo-node1')] == 'ok'
    assert all(cell[(n, m)] == '-' for n in ('node1', 'node2', 'node3') for m in ('node1', 'node2', 'node3'))
    assert sum(1 for v in cell.values() if v == 'ok') == 27 - 3
    text = '\n'.join(lines)
    assert 'rule 1 (pod -> pod, every ordered pair, no NAT): FAIL, 1 of 9 pairs failed' in text
    assert 'rule 2 (node -> pod and pod -> node, every pair, no NAT): FAIL, 2 of 18 pairs failed' in text
    assert 'failed: demo-node1 -> demo-node3 (pod-pod): NAT: seen as 10.244.1.0 instead of 10.244.1.2' in text
    assert lines[-1] == 'result: FAIL, 24 of 27 pairs ok'


# ----------------------------------------------------------------------------- SVG and HTML

def svg_tree(report):
    return ET.fromstring(nc.render_svg(report))


def texts(root):
    return [''.join(el.itertext()) for el in root.iter(SVG_NS + 'text')]


def red_strokes(root):
    return [el for el in root.iter() if el.tag in (SVG_NS + 'path', SVG_NS + 'line') and el.get('stroke') == nc.RED
            and el.get('class') == 'fail']


@pytest.mark.parametrize('count', [3, 4, 5, 6])
def test_svg_is_xml_with_nodes_pods_and_links(count):
    topo = topology(count, 2 if count == 3 else 1)
    root = svg_tree(report_for(topo))
    assert root.tag == SVG_NS + 'svg'
    all_text = texts(root)
    for node, data in topo.items():
        assert node in all_text
        assert data['address'] in all_text
        assert data['subnet'] in all_text
        for pod in data['pods']:
            assert pod['name'] in all_text and pod['ip'] in all_text
    tunnels = [el for el in root.iter(SVG_NS + 'line') if el.get('class') == 'tunnel']
    assert len(tunnels) == count * (count - 1) // 2
    assert 'vxlan' in all_text
    assert red_strokes(root) == []
    assert 'PASS' in all_text


def test_svg_red_lines_exactly_for_failing_pairs():
    topo = topology(3, 2)
    failing = {
        'pod-pod:demo-node1->demo-node3': answer('10.244.1.0'),               # across nodes
        'pod-pod:demo-node2->demo-node2': answer('', rc=143),                 # to itself
        'pod-pod:demo-node2-1->demo-node2': answer('', rc=1, stderr='Connection refused'),  # same node
        'node-pod:node3->demo-node3': answer('', rc=124),                     # node to its own pod
        'pod-node:demo-node1-1->node2': answer('', rc=124),                   # pod to another node
    }
    report = report_for(topo, failing)
    root = svg_tree(report)
    red = red_strokes(root)
    assert sorted(el.get('data-pair') for el in red) == sorted(failing)
    for el in red:  # a hover text tells why
        title = el.find(SVG_NS + 'title')
        assert title is not None and el.get('data-pair').split(':', 1)[1].split('->')[0] in title.text
    assert 'FAIL' in texts(root)
    # the link between two nodes is not red
    assert all(el.get('stroke') != nc.RED for el in root.iter(SVG_NS + 'line') if el.get('class') == 'tunnel')


def test_svg_backend_label_and_escaping():
    topo = topology(3, backend='host-gw')
    topo['node<&>'] = topo.pop('node3')
    root = svg_tree(report_for(topo))
    all_text = texts(root)
    assert 'host-gw' in all_text and 'vxlan' not in all_text
    assert 'node<&>' in all_text


class _Cells(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.cells = []
        self.svg = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == 'td' and 'cell' in (attrs.get('class') or ''):
            self.cells.append(attrs['class'])
        if tag == 'svg':
            self.svg += 1


def test_html_embeds_svg_and_matrix():
    topo = topology(3)
    report = report_for(topo, {'pod-pod:demo-node1->demo-node3': answer('10.244.1.0')})
    page = nc.render_html(report)
    parser = _Cells()
    parser.feed(page)
    assert parser.svg == 1
    assert len(parser.cells) == 6 * 6
    assert parser.cells.count('cell bad') == 1
    assert parser.cells.count('cell none') == 9
    assert 'NAT: seen as 10.244.1.0 instead of 10.244.1.2' in page
    assert 'src=' not in page and 'href=' not in page  # self-contained


# ----------------------------------------------------------------------------- host ports

def published(topo, host_port=18081, **binding):
    """Every pod of ``topo`` publishes its echo port (8080) on ``host_port`` of its node."""
    for node in topo.values():
        for pod in node['pods']:
            pod['host_ports'] = [dict({'container_port': nc.DEFAULT_POD_PORT, 'host_port': host_port, 'protocol': 'tcp',
                                       'host_ip': None}, **binding)]
    return topo


def hostport_pairs(pairs):
    return [p for p in pairs if p['kind'] == nc.KIND_HOSTPORT]


def test_no_host_ports_plans_no_hostport_pairs_and_no_entry():
    topo = topology(3)
    nodes, dummy = nc.normalize_topology(topo)
    assert hostport_pairs(nc.build_plan(nodes)) == []
    assert [r['rule'] for r in report_for(topo)['rules']] == [1, 2, 3]


def test_plan_hostport_pairs_from_other_nodes_and_their_pods():
    topo = published(topology(3))
    nodes, dummy = nc.normalize_topology(topo)
    pairs = nc.build_plan(nodes)
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
    plan = nc.plan_by_node(pairs, list(nodes))
    assert len(plan['node2']) == 3 + 3 + 3 + 4  # its pod -> 3 pods, 3 nodes; itself -> 3 pods; 4 hostport probes


def test_plan_hostport_only_for_pods_publishing_their_echo_port():
    topo = topology(2)
    topo['node1']['pods'][0]['host_ports'] = [{'container_port': 9090, 'host_port': 19090, 'protocol': 'tcp', 'host_ip': None},
                                              {'container_port': 8080, 'host_port': 18081, 'protocol': 'udp', 'host_ip': None}]
    topo['node2']['pods'][0]['host_ports'] = [{'container_port': 8080, 'host_port': 18081, 'protocol': 'tcp', 'host_ip': '127.0.0.1'}]
    nodes, dummy = nc.normalize_topology(topo)
    assert hostport_pairs(nc.build_plan(nodes)) == []
    topo['node2']['pods'][0]['host_ports'][0]['host_ip'] = '192.168.77.99'
    nodes, dummy = nc.normalize_topology(topo)
    hp = hostport_pairs(nc.build_plan(nodes))
    assert sorted(p['id'] for p in hp) == ['hostport:demo-node1->demo-node2', 'hostport:node1->demo-node2']
    assert all(p['url'] == 'http://192.168.77.99:18081/cgi-bin/ip' for p in hp)


@pytest.mark.parametrize('pair, result, verdict, reason', [
    ('hostport:node2->demo-node1', answer('[::ffff:192.168.77.12]'), 'ok', ''),
    ('hostport:demo-node2->demo-node1', answer('10.244.2.2'), 'ok', ''),
    ('hostport:node2->demo-node1', answer('[::ffff:10.244.1.1]'), 'nat', 'NAT: seen as 10.244.1.1 instead of '),
    ('hostport:demo-node2->demo-node1', answer('192.168.77.12'), 'nat', 'NAT: seen as 192.168.77.12 instead of 10.244.2.2'),
    ('hostport:demo-node3->demo-node1', answer('10.244.2.2'), 'nat', 'NAT: seen as 10.244.2.2 instead of 10.244.3.2'),
    ('hostport:node3->demo-node2', answer('', rc=1, stderr='wget: can\'t connect to remote host: No route to host'), 'unreachable',
     "wget: can't connect to remote host: No route to host"),
    ('hostport:node3->demo-node2', answer('', rc=1, stderr='wget: can\'t connect to remote host: Connection refused'), 'refused',
     "wget: can't connect to remote host: Connection refused"),
])
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
    nodes, dummy = nc.normalize_topology(topo)
    hp = dict((p['id'], p) for p in hostport_pairs(nc.build_plan(nodes)))
    assert hp['hostport:node1->demo-node2']['url'] is None
    assert 'node node2 has no underlay address' in hp['hostport:node1->demo-node2']['skip']
    assert 'no known address of node2' in hp['hostport:node2->demo-node1']['skip']


def test_matrix_shows_hostport_section_and_counts_them():
    topo = published(topology(3))
    report = report_for(topo, {'hostport:demo-node2->demo-node3': answer('192.168.77.12'),
                               'node-pod:node1->demo-node2': answer('10.244.2.1')})
    lines = nc.render_matrix(report)
    start = [i for i, line in enumerate(lines) if line.startswith('host port pairs, ')]
    assert len(start) == 1
    assert 'demo-node1 at 192.168.77.11:18081' in lines[start[0]] and 'demo-node3 at 192.168.77.13:18081' in lines[start[0]]
    # the main matrix keeps its 6 rows and its node -> pod cells (not overwritten by hostport pairs)
    main = dict((r[0], r[1:]) for r in (line.split() for line in lines[1:7]))
    assert main['node1'][:3] == ['ok', 'NAT', 'ok']
    header = lines[start[0] + 1].split()
    assert header[3:] == ['demo-node1', 'demo-node2', 'demo-node3']
    rows = [line.split() for line in lines[start[0] + 2:start[0] + 8]]
    cell = dict(((r[0], col), value) for r in rows for col, value in zip(header[3:], r[1:]))
    assert [r[0] for r in rows] == ['demo-node1', 'demo-node2', 'demo-node3', 'node1', 'node2', 'node3']
    assert cell[('demo-node2', 'demo-node3')] == 'NAT'
    assert cell[('node1', 'demo-node1')] == '-' and cell[('demo-node2', 'demo-node2')] == '-'
    assert sum(1 for v in cell.values() if v == 'ok') == 12 - 1
    text = '\n'.join(lines)
    assert "host ports (%s): FAIL, 1 of 12 pairs failed" % nc.HOSTPORT_TITLE in text
    assert 'failed: demo-node2 -> demo-node3 (hostport): NAT: seen as 192.168.77.12 instead of 10.244.2.2' in text
    assert lines[-1] == 'result: FAIL, %d of %d pairs ok' % (27 + 12 - 2, 27 + 12)


def test_hostport_pairs_in_json_svg_and_html():
    topo = published(topology(3))
    report = report_for(topo, {'hostport:node1->demo-node2': answer('', rc=143, stderr='Terminated')})
    data = json.loads(json.dumps(report))
    kinds = [p['kind'] for p in data['pairs']]
    assert kinds.count('hostport') == 12
    assert data['topology']['node1']['pods'][0]['host_ports'][0]['host_port'] == 18081
    assert [r['rule'] for r in data['rules']] == [1, 2, 3, 'host ports']
    svg = nc.render_svg(report)
    tree = ET.fromstring(svg)
    fails = [g for g in tree.iter(SVG_NS + 'path') if g.get('class') == 'fail']
    assert [f.get('data-pair') for f in fails] == ['hostport:node1->demo-node2']
    page = nc.render_html(report, svg)
    assert '<h2>Host ports</h2>' in page
    assert page.count('<table class="matrix hostport">') == 1
    assert 'http://192.168.77.12:18081/cgi-bin/ip' in page
    assert '<td>host ports</td>' in page
