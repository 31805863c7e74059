# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests for the renderings of a dual-stack netcheck report: a matrix per family, the counts
per family, both subnets and both addresses of every node and pod on the map, IPv6 failures apart.
An IPv4-only report renders as before (tests/unit/plugins/plugin_utils/test_netcheck_render.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ansible_collections.podnet.flannel.plugins.plugin_utils.netcheck_html import render_html
from ansible_collections.podnet.flannel.plugins.plugin_utils.netcheck_matrix import render_matrix
from ansible_collections.podnet.flannel.plugins.plugin_utils.netcheck_svg import render_svg
from netcheck_cases import answer, dual_stack, published, report_for, topology

SVG_NS = '{http://www.w3.org/2000/svg}'
NAT6 = {'pod-pod/6:demo-node1->demo-node3': answer('[fd00:77::11]')}


def test_ipv4_only_matrix_names_no_family():
    lines = render_matrix(report_for(published(topology(3))))
    assert lines[0].startswith('source \\ destination')
    assert not [line for line in lines if 'IPv6' in line or 'IPv4' in line]
    assert lines[-1] == 'result: PASS, 39 of 39 pairs ok'


def test_dual_stack_matrix_per_family():
    report = report_for(dual_stack(published(topology(3))), NAT6)
    lines = render_matrix(report)
    assert lines[0] == 'IPv4 pairs:'
    six = lines.index('IPv6 pairs:')
    assert six == 8  # the name line, the header and 6 rows of the IPv4 matrix
    cols = lines[six + 1].split()[3:]
    rows = dict((line.split()[0], line.split()[1:]) for line in lines[six + 2 : six + 8])
    assert rows['demo-node1'][cols.index('demo-node3')] == 'NAT'
    assert rows['demo-node1'][cols.index('demo-node2')] == 'ok'
    assert rows['node1'][cols.index('node2')] == '-'
    # the same cell over IPv4 is ok
    rows4 = dict((line.split()[0], line.split()[1:]) for line in lines[2:8])
    assert rows4['demo-node1'][cols.index('demo-node3')] == 'ok'
    text = '\n'.join(lines)
    assert 'rule 1 (IPv6) (pod -> pod, every ordered pair, no NAT): FAIL, 1 of 9 pairs failed' in text
    assert 'rule 1 (pod -> pod, every ordered pair, no NAT): PASS, 9 of 9 pairs ok' in text
    assert 'failed: demo-node1 -> demo-node3 (pod-pod, IPv6): NAT: seen as fd00:77::11 instead of fd00:10:244:1::2' in text
    assert 'failed: rule 3 (IPv6), pod demo-node1: demo-node3 saw fd00:77::11' in text
    assert lines[-1] == 'result: FAIL, 65 of 66 pairs ok (IPv4 39 of 39 ok, IPv6 26 of 27 ok)'


def test_svg_shows_both_subnets_and_addresses_and_ipv6_failures_apart():
    report = report_for(dual_stack(published(topology(3))), NAT6)
    root = ET.fromstring(render_svg(report))
    texts = [''.join(t.itertext()) for t in root.iter(SVG_NS + 'text')]
    for wanted in ('192.168.77.11', 'fd00:77::11', '10.244.1.0/24', 'fd00:10:244:1::/64', 'fd00:10:244:1::1', '10.244.3.2', 'fd00:10:244:3::2'):
        assert wanted in texts, wanted
    assert 'IPv4 39 of 39 ok, IPv6 26 of 27 ok' in texts
    fails = [p for p in root.iter(SVG_NS + 'path') if p.get('class') == 'fail']
    assert [p.get('data-pair') for p in fails] == ['pod-pod/6:demo-node1->demo-node3']
    assert fails[0].get('stroke-dasharray') == '7 4'
    assert 'NAT/6' in texts
    # the pods' boxes grew a line: no text of a pod outside its box
    pod = [g for g in root.iter(SVG_NS + 'g') if g.get('data-pod') == 'demo-node2'][0]
    box = pod.find(SVG_NS + 'rect')
    bottom = float(box.get('y')) + float(box.get('height'))
    assert all(float(t.get('y')) < bottom for t in pod.iter(SVG_NS + 'text'))


def test_ipv4_only_svg_has_no_ipv6_lines():
    root = ET.fromstring(render_svg(report_for(topology(2))))
    texts = [''.join(t.itertext()) for t in root.iter(SVG_NS + 'text')]
    assert 'underlay6' not in texts and not [t for t in texts if 'IPv6' in t]


def test_html_has_a_matrix_and_addresses_per_family():
    report = report_for(dual_stack(published(topology(3))), NAT6)
    page = render_html(report)
    assert '<h2>Matrix (IPv4)</h2>' in page and '<h2>Matrix (IPv6)</h2>' in page
    assert '<h2>Pod addresses (rule 3)</h2>' in page and '<h2>Pod addresses (rule 3 (IPv6))</h2>' in page
    assert '65 of 66 pairs ok (IPv4 39 of 39 ok, IPv6 26 of 27 ok)' in page
    assert '<td>pod-pod (IPv6)</td>' in page
    assert '<code>fd00:10:244:2::2</code>' in page
    four = render_html(report_for(topology(2)))
    assert '<h2>Matrix</h2>' in four and 'IPv6' not in four
