# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests for the renderings of a netcheck report (plugin_utils/netcheck_matrix.py, netcheck_svg.py
and netcheck_html.py): the text matrix, the SVG map and the HTML page.

Topologies and probe outcomes are written by hand (tests/unit/netcheck_cases.py); expected values
follow from them, not from running the code.
"""

from __future__ import annotations

import html.parser
import json
import xml.etree.ElementTree as ET

import pytest

from ansible_collections.podnet.flannel.plugins.module_utils import netcheck_verdict
from ansible_collections.podnet.flannel.plugins.plugin_utils.netcheck_html import render_html
from ansible_collections.podnet.flannel.plugins.plugin_utils.netcheck_matrix import render_matrix
from ansible_collections.podnet.flannel.plugins.plugin_utils.netcheck_svg import RED, render_svg
from netcheck_cases import answer, published, report_for, topology

SVG_NS = '{http://www.w3.org/2000/svg}'


# ----------------------------------------------------------------------------- matrix


def test_matrix_shape_and_cells():
    topo = topology(3)
    report = report_for(
        topo,
        {
            'pod-pod:demo-node1->demo-node3': answer('10.244.1.0'),
            'pod-node:demo-node2->node3': answer('', rc=124),
            'node-pod:node3->demo-node1': answer('', rc=1, stderr='wget: can\'t connect to remote host: No route to host'),
        },
    )
    lines = render_matrix(report)
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
    return ET.fromstring(render_svg(report))


def texts(root):
    return [''.join(el.itertext()) for el in root.iter(SVG_NS + 'text')]


def red_strokes(root):
    return [el for el in root.iter() if el.tag in (SVG_NS + 'path', SVG_NS + 'line') and el.get('stroke') == RED and el.get('class') == 'fail']


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
        'pod-pod:demo-node1->demo-node3': answer('10.244.1.0'),  # across nodes
        'pod-pod:demo-node2->demo-node2': answer('', rc=143),  # to itself
        'pod-pod:demo-node2-1->demo-node2': answer('', rc=1, stderr='Connection refused'),  # same node
        'node-pod:node3->demo-node3': answer('', rc=124),  # node to its own pod
        'pod-node:demo-node1-1->node2': answer('', rc=124),  # pod to another node
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
    assert all(el.get('stroke') != RED for el in root.iter(SVG_NS + 'line') if el.get('class') == 'tunnel')


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
    page = render_html(report)
    parser = _Cells()
    parser.feed(page)
    assert parser.svg == 1
    assert len(parser.cells) == 6 * 6
    assert parser.cells.count('cell bad') == 1
    assert parser.cells.count('cell none') == 9
    assert 'NAT: seen as 10.244.1.0 instead of 10.244.1.2' in page
    assert 'src=' not in page and 'href=' not in page  # self-contained


# ----------------------------------------------------------------------------- host ports


def test_matrix_shows_hostport_section_and_counts_them():
    topo = published(topology(3))
    report = report_for(topo, {'hostport:demo-node2->demo-node3': answer('192.168.77.12'), 'node-pod:node1->demo-node2': answer('10.244.2.1')})
    lines = render_matrix(report)
    start = [i for i, line in enumerate(lines) if line.startswith('host port pairs, ')]
    assert len(start) == 1
    assert 'demo-node1 at 192.168.77.11:18081' in lines[start[0]] and 'demo-node3 at 192.168.77.13:18081' in lines[start[0]]
    # the main matrix keeps its 6 rows and its node -> pod cells (not overwritten by hostport pairs)
    main = dict((r[0], r[1:]) for r in (line.split() for line in lines[1:7]))
    assert main['node1'][:3] == ['ok', 'NAT', 'ok']
    header = lines[start[0] + 1].split()
    assert header[3:] == ['demo-node1', 'demo-node2', 'demo-node3']
    rows = [line.split() for line in lines[start[0] + 2 : start[0] + 8]]
    cell = dict(((r[0], col), value) for r in rows for col, value in zip(header[3:], r[1:]))
    assert [r[0] for r in rows] == ['demo-node1', 'demo-node2', 'demo-node3', 'node1', 'node2', 'node3']
    assert cell[('demo-node2', 'demo-node3')] == 'NAT'
    assert cell[('node1', 'demo-node1')] == '-' and cell[('demo-node2', 'demo-node2')] == '-'
    assert sum(1 for v in cell.values() if v == 'ok') == 12 - 1
    text = '\n'.join(lines)
    assert "host ports (%s): FAIL, 1 of 12 pairs failed" % netcheck_verdict.HOSTPORT_TITLE in text
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
    svg = render_svg(report)
    tree = ET.fromstring(svg)
    fails = [g for g in tree.iter(SVG_NS + 'path') if g.get('class') == 'fail']
    assert [f.get('data-pair') for f in fails] == ['hostport:node1->demo-node2']
    page = render_html(report, svg)
    assert '<h2>Host ports</h2>' in page
    assert page.count('<table class="matrix hostport">') == 1
    assert 'http://192.168.77.12:18081/cgi-bin/ip' in page
    assert '<td>host ports</td>' in page
