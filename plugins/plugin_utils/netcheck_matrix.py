# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""The text matrix of a network model check report (controller side): which pair is where, as
rows of sources and columns of destinations, with the legend, the rules and the failures.

The report is the dict made by ``module_utils.netcheck_verdict.evaluate()``; the SVG map (netcheck_svg) and
the HTML page (netcheck_html) use the same cells and codes.
"""

from __future__ import annotations

import html
from typing import Any, Dict, List, Tuple

from ansible_collections.podnet.flannel.plugins.module_utils.netcheck_addr import family_label
from ansible_collections.podnet.flannel.plugins.module_utils.netcheck_plan import KIND_HOSTPORT, RULE_KINDS
from ansible_collections.podnet.flannel.plugins.module_utils.netcheck_topology import all_pods
from ansible_collections.podnet.flannel.plugins.module_utils.netcheck_verdict import VERDICTS, describe_pair, rule3_entries, rule_label

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


def esc(text: object) -> str:
    """``text`` escaped for HTML and SVG (None: empty)."""
    return html.escape('' if text is None else str(text), quote=True)


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


def report_families(report: Dict[str, Any]) -> List[int]:
    """The address families the report checked: [4], or [4, 6] on a dual-stack cluster."""
    return list(report.get('families') or [4])


def matrix_cells(report: Dict[str, Any], family: int = 4) -> Tuple[List[Tuple[str, str]], List[Tuple[str, str]], Dict[Any, Dict[str, Any]]]:
    """(rows, cols, cells) of the rules' pairs of one address family: rows/cols are (kind, name);
    cells[(row, col)] is the pair (absent: not probed). hostport pairs are in hostport_cells."""
    rows, cols = _axes(report)
    return rows, cols, _cells(p for p in report['pairs'] if p['kind'] in RULE_KINDS and p.get('family', 4) == family)


def family_summary(report: Dict[str, Any]) -> str:
    """'IPv4 39 of 39 ok, IPv6 27 of 27 ok' on a dual-stack report, '' on an IPv4-only one."""
    per_family = report['summary'].get('families') or {}
    if len(report_families(report)) < 2:
        return ''
    return ', '.join(
        '%s %d of %d ok' % (family_label(family), per_family.get(str(family), {}).get('ok', 0), per_family.get(str(family), {}).get('pairs', 0))
        for family in report_families(report)
    )


def hostport_cells(report: Dict[str, Any]) -> Tuple[List[Tuple[str, str]], List[Tuple[str, str]], Dict[Any, Dict[str, Any]]]:
    """(rows, cols, cells) of the hostport pairs, as matrix_cells gives them; cols are the pods probed at
    a host port (none: no cols). Each col's pair URL says which node address and host port."""
    rows, dummy = _axes(report)
    pairs = [p for p in report['pairs'] if p['kind'] == KIND_HOSTPORT]
    probed = set(p['dst'] for p in pairs)
    cols = [('pod', pod['name']) for pod in all_pods(report['topology']) if pod['name'] in probed]
    return rows, cols, _cells(pairs)


def hostport_targets(report: Dict[str, Any]) -> Dict[str, str]:
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


def render_matrix(report: Dict[str, Any]) -> List[str]:
    """The matrix as text lines: rows = sources, columns = destinations, then legend, rules, failures.

    On a dual-stack report the IPv4 matrix and the IPv6 matrix, each after a line naming it."""
    dual = len(report_families(report)) > 1
    lines = []
    for family in report_families(report):
        if dual:
            lines.append('%s pairs:' % family_label(family))
        lines.extend(_text_matrix(*matrix_cells(report, family)))
    rows, cols, cells = hostport_cells(report)
    if cols:
        targets = hostport_targets(report)
        lines.append(
            "host port pairs, the pod at its node's address:host port, no SNAT: %s"
            % ', '.join('%s at %s' % (name, targets.get(name, '?')) for _kind, name in cols)
        )
        lines.extend(_text_matrix(rows, cols, cells))
    lines.append('legend: ' + ' | '.join('%s %s' % (CELL_CODES[v], LEGEND_TEXT[v]) for v in VERDICTS) + ' | %s not probed' % NOT_PROBED)
    for rule in report['rules']:
        lines.append('%s (%s): %s' % (rule_label(rule), rule['title'], rule_status(rule)))
    for problem in report['problems']:
        lines.append('problem: %s' % problem)
    for pair in report['pairs']:
        if pair['verdict'] != 'ok':
            lines.append('failed: %s' % describe_pair(pair))
    for rule in rule3_entries(report):
        for pod in rule['pods']:
            if not pod['passed']:
                lines.append('failed: %s, pod %s: %s' % (rule_label(rule), pod['pod'], pod['reason']))
    summary = report['summary']
    per_family = family_summary(report)
    lines.append(
        'result: %s, %d of %d pairs ok%s'
        % ('PASS' if report['passed'] else 'FAIL', summary['ok'], summary['pairs'], ' (%s)' % per_family if per_family else '')
    )
    return lines


def rule_status(rule: Dict[str, Any]) -> str:
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
