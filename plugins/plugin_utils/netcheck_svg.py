# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""The SVG network map of a network model check report (controller side): the nodes on a ring
with their pods, a red arrow per failing pair, and a panel with the result, the rules and the legend.
"""

from __future__ import annotations

import math
from typing import Any, Dict, Tuple

from ansible_collections.podnet.flannel.plugins.module_utils.netcheck_plan import KIND_POD_POD
from ansible_collections.podnet.flannel.plugins.module_utils.netcheck_verdict import VERDICTS, describe_pair, rule3_entries, rule_label
from ansible_collections.podnet.flannel.plugins.plugin_utils.netcheck_matrix import CELL_CODES, LEGEND_TEXT, esc, family_summary, rule_status

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


def _text_w(text, size):
    return len(str(text)) * size * 0.6


def _dual(node):
    """Whether the node carries IPv6 fields (the report of a dual-stack cluster)."""
    return 'address6' in node


def _header_h(node):
    return NODE_HEADER + (48 if _dual(node) else 0)


def _pod_h(node):
    return POD_H + (16 if _dual(node) else 0)


def _node_height(node):
    count = len(node['pods'])
    return _header_h(node) + (count * (_pod_h(node) + POD_GAP) if count else 30) + 8


def _overlap(a, b, gap):
    return not (a[0] + a[2] + gap <= b[0] or b[0] + b[2] + gap <= a[0] or a[1] + a[3] + gap <= b[1] or b[1] + b[3] + gap <= a[1])


def layout(nodes: Dict[str, Any]) -> Dict[str, Tuple[float, float, float, float]]:
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
        if not any(_overlap(boxes[a], boxes[b], 70) for i, a in enumerate(names) for b in names[i + 1 :]):
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
    return (
        '<g%s><rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="%.1f" fill="%s" stroke="%s"/>'
        '<text x="%.1f" y="%.1f" font-size="%d" font-weight="%s" fill="%s" text-anchor="middle">%s</text></g>'
        % (extra, x - width / 2, y - height / 2, width, height, height / 2, bg, stroke, x, y + size * 0.36, size, weight, fg, esc(text))
    )


def _status_by_endpoint(report):
    bad = {}
    for pair in report['pairs']:
        if pair['verdict'] != 'ok':
            for key in ((pair['src_kind'], pair['src']), (pair['dst_kind'], pair['dst'])):
                bad[key] = bad.get(key, 0) + 1
    return bad


def render_svg(report: Dict[str, Any]) -> str:
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
        anchors[('header', name)] = (x, y, w, _header_h(node) - 6)
        for i, pod in enumerate(node['pods']):
            anchors[('pod', pod['name'])] = (x + 14, y + _header_h(node) + i * (_pod_h(node) + POD_GAP), w - 28, _pod_h(node))

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
        body.append(
            '<line class="tunnel" data-nodes="%s %s" x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#8c96a8" '
            'stroke-width="3" stroke-dasharray="10 6"/>' % (esc(a), esc(b), ca[0], ca[1], cb[0], cb[1])
        )
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
        labels.append(_pill(lx, ly, '/'.join(backends), 12, '#3d4657', '#ffffff', '#8c96a8', 'bold', ' class="tunnel-label"'))
    body.extend(labels)

    # --- node boxes with their pods
    for name, node in nodes.items():
        x, y, w, h = boxes[name]
        node_bad = bad.get(('node', name), 0) + sum(bad.get(('pod', pod['name']), 0) for pod in node['pods'])
        body.append('<g class="node" data-node="%s">' % esc(name))
        body.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="12" fill="#f4f6fa" stroke="#4a5568" stroke-width="2"/>' % (x, y, w, h))
        hh = _header_h(node) - 6
        body.append(
            '<path d="M%.1f,%.1f v%.1f a11,11 0 0 1 11,-11 h%.1f a11,11 0 0 1 11,11 v%.1f z" fill="#e2e7f0"/>' % (x + 1, y + hh, -(hh - 12), w - 24, hh - 12)
        )
        body.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#cbd2de"/>' % (x + 1, y + hh, x + w - 1, y + hh))
        body.append(
            '<circle cx="%.1f" cy="%.1f" r="6" fill="%s"><title>%s</title></circle>'
            % (
                x + w - 18,
                y + 20,
                RED if node_bad else GREEN,
                esc('%d failing pairs from or to this node and its pods' % node_bad if node_bad else 'every pair from or to this node and its pods is ok'),
            )
        )
        body.append('<text x="%.1f" y="%.1f" font-size="17" font-weight="bold" fill="#1a202c">%s</text>' % (x + 14, y + 25, esc(name)))
        fields = [('underlay', node['address']), ('subnet', node['subnet']), ('docker0', node['docker0'])]
        if _dual(node):
            fields += [('underlay6', node.get('address6')), ('subnet6', node.get('subnet6')), ('docker0 v6', node.get('docker0_6'))]
        value_x = 84 if _dual(node) else 76
        for k, (label, value) in enumerate(fields):
            body.append('<text x="%.1f" y="%.1f" font-size="11" fill="#718096">%s</text>' % (x + 14, y + 44 + 16 * k, label))
            body.append(
                '<text x="%.1f" y="%.1f" font-size="12" fill="#1a202c" font-family="%s">%s</text>' % (x + value_x, y + 44 + 16 * k, MONO, esc(value or '?'))
            )
        if not node['pods']:
            body.append('<text x="%.1f" y="%.1f" font-size="12" font-style="italic" fill="%s">no pods</text>' % (x + 14, y + _header_h(node) + 16, RED))
        for pod in node['pods']:
            px, py, pw, ph = anchors[('pod', pod['name'])]
            pod_bad = bad.get(('pod', pod['name']))
            body.append('<g class="pod" data-pod="%s">' % esc(pod['name']))
            body.append(
                '<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="8" fill="#e3edff" stroke="%s" stroke-width="1.5"/>'
                % (px, py, pw, ph, RED if pod_bad else '#3b6fd6')
            )
            body.append('<text x="%.1f" y="%.1f" font-size="13" font-weight="bold" fill="#1c3d7a">%s</text>' % (px + 10, py + 17, esc(pod['name'])))
            ip_text = pod['ip'] or 'no IP'
            if pod['self_ip'] and pod['self_ip'] != pod['ip']:
                ip_text += '  (eth0 %s)' % pod['self_ip']
            body.append(
                '<text x="%.1f" y="%.1f" font-size="12" fill="%s" font-family="%s">%s</text>'
                % (px + 10, py + 33, RED if ip_text != (pod['ip'] or '') else '#1a202c', MONO, esc(ip_text))
            )
            if _dual(node):
                ip6_text = pod.get('ip6') or 'no IPv6'
                if pod.get('self_ip6') and pod['self_ip6'] != pod.get('ip6'):
                    ip6_text += '  (eth0 %s)' % pod['self_ip6']
                body.append(
                    '<text class="ip6" x="%.1f" y="%.1f" font-size="12" fill="%s" font-family="%s">%s</text>'
                    % (px + 10, py + 49, RED if ip6_text != (pod.get('ip6') or '') else '#1a202c', MONO, esc(ip6_text))
                )
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
        '<text x="%d" y="36" font-size="13" fill="#cbd5e0" text-anchor="end">podnet.flannel verify, %s</text>' % (width - MARGIN, esc(report['generated'])),
    ]
    verdict = 'PASS' if passed else 'FAIL'
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="%d" height="%d" viewBox="0 0 %d %d" '
        'font-family="%s" role="img" aria-label="%s">' % (width, height, width, height, FONT, esc('network map: %s' % verdict)),
        '<title>%s</title>' % esc('podnet.flannel network model check: %s' % ('PASS' if passed else 'FAIL')),
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
    tip = esc(describe_pair(pair))
    attrs = 'class="fail" data-pair="%s" stroke="%s" stroke-width="2.2" fill="none" marker-end="url(#nc-arrow-fail)"' % (esc(pair['id']), RED)
    if pair.get('family') == 6:  # IPv6: dashed, its verdict marked /6, so that it stands apart from the IPv4 arrow of the same pair
        code += '/6'
        attrs += ' stroke-dasharray="7 4"'
        if box is None and src != dst:
            src, dst = _shift(src, 6), _shift(dst, 6)
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
        label = _pill(0.125 * x1 + 0.75 * edge + 0.125 * x2, (y1 + y2) / 2.0, code, 11, RED, '#ffffff', RED, 'bold', ' class="fail-label"')
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


def _shift(rect, offset):
    """``rect`` moved down by ``offset``: an IPv6 arrow then runs beside the IPv4 one of the same pair."""
    return rect[0], rect[1] + offset, rect[2], rect[3]


def _truncate(text, limit):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + '\u2026'


def _panel(report, x, y):
    """The right-hand panel: overall result, rules, legend, failures. Returns (elements, height)."""
    out = []
    summary = report['summary']
    passed = report['passed']
    color = GREEN if passed else RED
    out.append('<g class="panel">')
    out.append('<rect class="result" x="%.1f" y="%.1f" width="%d" height="64" rx="10" fill="%s"/>' % (x, y, PANEL_W - 10, color))
    out.append('<text x="%.1f" y="%.1f" font-size="26" font-weight="bold" fill="#ffffff">%s</text>' % (x + 16, y + 40, 'PASS' if passed else 'FAIL'))
    out.append(
        '<text x="%.1f" y="%.1f" font-size="14" fill="#ffffff">%s</text>' % (x + 110, y + 28, esc('%d of %d pairs ok' % (summary['ok'], summary['pairs'])))
    )
    out.append(
        '<text x="%.1f" y="%.1f" font-size="12" fill="#ffffff">%s</text>'
        % (x + 110, y + 48, esc('%d failed, %d problems' % (summary['failed'], len(report['problems']))))
    )
    per_family = family_summary(report)
    if per_family:
        out.append('<text class="families" x="%.1f" y="%.1f" font-size="12" fill="#1a202c">%s</text>' % (x, y + 80, esc(per_family)))
    cy = y + 94 + (16 if per_family else 0)
    out.append('<text x="%.1f" y="%.1f" font-size="15" font-weight="bold" fill="#1a202c">Rules</text>' % (x, cy))
    cy += 8
    for rule in report['rules']:
        cy += 22
        mark_color = GREEN if rule['passed'] else RED
        out.append('<circle cx="%.1f" cy="%.1f" r="8" fill="%s"/>' % (x + 8, cy - 5, mark_color))
        out.append(
            '<text x="%.1f" y="%.1f" font-size="11" font-weight="bold" fill="#ffffff" text-anchor="middle">%s</text>'
            % (x + 8, cy - 1, rule['rule'] if isinstance(rule['rule'], int) else 'H')
        )
        title = rule['title'] if rule.get('family') != 6 else 'IPv6: ' + rule['title']
        out.append('<text x="%.1f" y="%.1f" font-size="12" fill="#1a202c">%s</text>' % (x + 24, cy - 1, esc(_truncate(title, 52))))
        cy += 16
        out.append('<text x="%.1f" y="%.1f" font-size="12" fill="%s">%s</text>' % (x + 24, cy - 1, mark_color, esc(rule_status(rule))))
    cy += 34
    out.append('<text x="%.1f" y="%.1f" font-size="15" font-weight="bold" fill="#1a202c">Legend</text>' % (x, cy))
    cy += 16
    out.append('<rect x="%.1f" y="%.1f" width="40" height="24" rx="6" fill="#f4f6fa" stroke="#4a5568" stroke-width="2"/>' % (x, cy))
    node_text = 'node: underlay IP, leased subnet, docker0' + (' (IPv4, then IPv6)' if per_family else '')
    out.append('<text x="%.1f" y="%.1f" font-size="12" fill="#1a202c">%s</text>' % (x + 52, cy + 16, node_text))
    cy += 32
    out.append('<rect x="%.1f" y="%.1f" width="40" height="24" rx="6" fill="#e3edff" stroke="#3b6fd6" stroke-width="1.5"/>' % (x, cy))
    pod_text = 'pod: name and pod IP%s (red border: a failing pair)' % ('s' if per_family else '')
    out.append('<text x="%.1f" y="%.1f" font-size="12" fill="#1a202c">%s</text>' % (x + 52, cy + 16, pod_text))
    cy += 36
    out.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#8c96a8" stroke-width="3" stroke-dasharray="10 6"/>' % (x, cy, x + 40, cy))
    out.append('<text x="%.1f" y="%.1f" font-size="12" fill="#1a202c">flannel backend between nodes (vxlan, host-gw...)</text>' % (x + 52, cy + 4))
    cy += 24
    out.append('<path d="M%.1f,%.1f L%.1f,%.1f" stroke="%s" stroke-width="2.2" marker-end="url(#nc-arrow-fail)"/>' % (x, cy, x + 38, cy, RED))
    out.append('<text x="%.1f" y="%.1f" font-size="12" fill="#1a202c">failing pair, source to destination, with its verdict</text>' % (x + 52, cy + 4))
    if per_family:
        cy += 22
        out.append(
            '<path d="M%.1f,%.1f L%.1f,%.1f" stroke="%s" stroke-width="2.2" stroke-dasharray="7 4" marker-end="url(#nc-arrow-fail)"/>'
            % (x, cy, x + 38, cy, RED)
        )
        out.append('<text x="%.1f" y="%.1f" font-size="12" fill="#1a202c">failing IPv6 pair (verdict marked /6)</text>' % (x + 52, cy + 4))
    cy += 8
    for k, verdict in enumerate(VERDICTS):
        col, row = k % 2, k // 2
        vx, vy = x + col * 215, cy + 20 + row * 22
        tone = GREEN if verdict == 'ok' else RED
        out.append(_pill(vx + 18, vy - 4, CELL_CODES[verdict], 11, tone, '#ffffff', tone, 'bold'))
        out.append('<text x="%.1f" y="%.1f" font-size="11" fill="#1a202c">%s</text>' % (vx + 42, vy, esc(LEGEND_TEXT[verdict])))
    cy += 20 + 22 * ((len(VERDICTS) + 1) // 2)
    failures = [describe_pair(p) for p in report['pairs'] if p['verdict'] != 'ok']
    failures += ['%s, pod %s: %s' % (rule_label(rule), p['pod'], p['reason']) for rule in rule3_entries(report) for p in rule['pods'] if not p['passed']]
    failures = ['problem: %s' % p for p in report['problems']] + failures
    if failures:
        cy += 22
        out.append('<text x="%.1f" y="%.1f" font-size="15" font-weight="bold" fill="%s">Failures (%d)</text>' % (x, cy, RED, len(failures)))
        shown = 0
        for item in failures:
            if shown >= 16:
                cy += 17
                out.append(
                    '<text x="%.1f" y="%.1f" font-size="11" fill="#4a5568">%s</text>'
                    % (x, cy, esc('... and %d more: see the JSON report' % (len(failures) - shown)))
                )
                break
            lines = _wrap(item, 64)[:2]
            for k, chunk in enumerate(lines):
                cy += 15 if k else 17
                out.append('<text x="%.1f" y="%.1f" font-size="11" fill="#1a202c" font-family="%s">%s</text>' % (x + (10 if k else 0), cy, MONO, esc(chunk)))
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
