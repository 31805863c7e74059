# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""The verdicts of the network model check (playbooks/verify.yml): each probe's verdict, the rule
summaries and the JSON report (evaluate), from the topology (netcheck_topology), the plan
(netcheck_plan) and the nodes' pod_probe results. The renderings (text matrix, SVG map, HTML page)
are controller-side, in plugins/plugin_utils/netcheck_*.py. Standard library only; nothing here
touches the network or the disk.

The three rules of the Kubernetes network model, checked on real traffic:

1. every pod reaches every pod (other nodes and its own node, itself included) and the receiver
   sees the sender pod's own IP (no NAT);
2. every node reaches every pod and every pod reaches every node, without NAT either way: a pod
   sees one of the sending node's own addresses, a node sees the sending pod's IP;
3. the address a pod has on its eth0 is the address Docker reports for it and the address the
   other pods saw.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.podnet.flannel.plugins.module_utils.netcheck_addr import family_label, seen_address
from ansible_collections.podnet.flannel.plugins.module_utils.netcheck_plan import (
    DEFAULT_NODE_PORT,
    DEFAULT_PATH,
    DEFAULT_POD_PORT,
    KIND_HOSTPORT,
    KIND_NODE_POD,
    KIND_POD_NODE,
    KIND_POD_POD,
    build_plan,
)
from ansible_collections.podnet.flannel.plugins.module_utils.netcheck_topology import all_pods, families, normalize_topology

VERDICTS = ('ok', 'nat', 'timeout', 'refused', 'unreachable', 'error')

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


def _first_line(text):
    for line in (text or '').splitlines():
        if line.strip():
            return line.strip()
    return ''


def _last_line(text):
    lines = [line.strip() for line in (text or '').splitlines() if line.strip()]
    return lines[-1] if lines else ''


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
    dual = checked != [4]
    if not dual:  # IPv4 only: the report as it always was, without the family fields
        for item in out_pairs + rules:
            item.pop('family', None)
    summary = {'pairs': len(out_pairs), 'ok': counts['ok'], 'failed': len(failed), 'verdicts': counts}
    report = {
        'generated': moment.replace(microsecond=0).isoformat(),
        'settings': {'pod_port': int(pod_port), 'node_port': int(node_port), 'path': path},
    }
    if dual:
        report['families'] = checked
        summary['families'] = per_family
    report.update(topology=nodes, pairs=out_pairs, rules=rules, problems=problems, summary=summary, passed=passed)
    return report


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
