# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""The HTML page of a network model check report (controller side): the result, the SVG map, the
matrix as tables, the rules, the pod addresses and the failures.
"""

from __future__ import annotations
from typing import Any, Dict, Optional

from ansible_collections.podnet.flannel.plugins.module_utils.netcheck_addr import family_label
from ansible_collections.podnet.flannel.plugins.module_utils.netcheck_verdict import VERDICTS, rule3_entries, rule_label
from ansible_collections.podnet.flannel.plugins.plugin_utils.netcheck_matrix import (
    CELL_CODES,
    NOT_PROBED,
    VERDICT_TEXT,
    esc,
    family_summary,
    hostport_cells,
    hostport_targets,
    matrix_cells,
    report_families,
    rule_status,
)
from ansible_collections.podnet.flannel.plugins.plugin_utils.netcheck_svg import render_svg

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
    out = ['<table class="%s">' % css_class, '<tr><th>source \\ destination</th>%s</tr>' % ''.join('<th>%s</th>' % esc(name) for _kind, name in cols)]
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
            tds.append('<td class="cell %s" title="%s">%s</td>' % ('ok' if pair['verdict'] == 'ok' else 'bad', esc(tip), esc(CELL_CODES[pair['verdict']])))
        out.append('<tr><th>%s</th>%s</tr>' % (esc(row[1]), ''.join(tds)))
    out.append('</table>')
    return out


def render_html(report: Dict[str, Any], svg: Optional[str] = None) -> str:
    """An HTML page: the result, the SVG map, the matrix as a table, the rules and the failures."""
    svg = svg if svg is not None else render_svg(report)
    passed = report['passed']
    dual = len(report_families(report)) > 1
    per_family = family_summary(report)
    out = [
        '<!DOCTYPE html>',
        '<html lang="en">',
        '<head>',
        '<meta charset="utf-8">',
        '<title>Kubernetes network model check: %s</title>' % ('PASS' if passed else 'FAIL'),
        '<style>%s</style>' % _CSS,
        '</head>',
        '<body>',
        '<h1>Kubernetes network model check</h1>',
        '<p><span class="result %s">%s</span> %d of %d pairs ok%s, generated %s</p>'
        % (
            'pass' if passed else 'fail',
            'PASS' if passed else 'FAIL',
            report['summary']['ok'],
            report['summary']['pairs'],
            esc(' (%s)' % per_family if per_family else ''),
            esc(report['generated']),
        ),
        '<div class="map">',
        svg,
        '</div>',
    ]
    for family in report_families(report):
        out.append('<h2>Matrix%s</h2>' % (' (%s)' % family_label(family) if dual else ''))
        out.append('<p>Rows are sources, columns destinations. Hover a cell for the URL, the expected and the seen address.</p>')
        out.extend(_html_matrix(*matrix_cells(report, family), css_class='matrix' if family == 4 else 'matrix ipv6'))
    rows, cols, cells = hostport_cells(report)
    if cols:
        targets = hostport_targets(report)
        out.append('<h2>Host ports</h2>')
        out.append(
            '<p>%s</p>'
            % esc(
                'Each pod at its node address and host port (%s), from the other nodes and their pods. '
                'The pod must see the source\'s node address.' % ', '.join('%s at %s' % (name, targets.get(name, '?')) for _kind, name in cols)
            )
        )
        out.extend(_html_matrix(rows, cols, cells, 'matrix hostport'))
    out.append('<p>%s</p>' % esc(' | '.join('%s: %s' % (CELL_CODES[v], VERDICT_TEXT[v]) for v in VERDICTS) + ' | %s: not probed' % NOT_PROBED))
    out.append('<h2>Rules</h2><table><tr><th>rule</th><th>what</th><th>result</th></tr>')
    for rule in report['rules']:
        out.append(
            '<tr><td>%s</td><td>%s</td><td class="%s">%s</td></tr>'
            % (esc(rule_label(rule) if dual else rule['rule']), esc(rule['title']), 'ok' if rule['passed'] else 'bad', esc(rule_status(rule)))
        )
    out.append('</table>')
    for rule in rule3_entries(report):
        out.append(
            '<h2>Pod addresses (%s)</h2><table><tr><th>pod</th><th>node</th><th>eth0</th><th>Docker</th><th>seen by the other pods</th><th>result</th></tr>'
            % esc(rule_label(rule))
        )
        for pod in rule['pods']:
            seen = ', '.join(sorted(set(pod['seen'].values()))) or '-'
            out.append(
                '<tr><td>%s</td><td>%s</td><td><code>%s</code></td><td><code>%s</code></td><td><code>%s</code></td>'
                '<td class="%s">%s</td></tr>'
                % (
                    esc(pod['pod']),
                    esc(pod['node']),
                    esc(pod['self_ip'] or '-'),
                    esc(pod['docker_ip'] or '-'),
                    esc(seen),
                    'ok' if pod['passed'] else 'bad',
                    esc('ok' if pod['passed'] else pod['reason']),
                )
            )
        out.append('</table>')
    failed = [p for p in report['pairs'] if p['verdict'] != 'ok']
    if report['problems'] or failed:
        out.append('<h2>Failures</h2>')
        if report['problems']:
            out.append('<ul>%s</ul>' % ''.join('<li>%s</li>' % esc(p) for p in report['problems']))
        if failed:
            out.append('<table><tr><th>kind</th><th>source</th><th>destination</th><th>URL</th><th>verdict</th><th>reason</th></tr>')
            for pair in failed:
                out.append(
                    '<tr><td>%s</td><td>%s</td><td>%s</td><td><code>%s</code></td><td class="bad">%s</td><td>%s</td></tr>'
                    % (
                        esc('%s (IPv6)' % pair['kind'] if pair.get('family') == 6 else pair['kind']),
                        esc(pair['src']),
                        esc(pair['dst']),
                        esc(pair['url'] or '-'),
                        esc(CELL_CODES[pair['verdict']]),
                        esc(pair['reason']),
                    )
                )
            out.append('</table>')
    out.append('</body>')
    out.append('</html>')
    return '\n'.join(out) + '\n'
