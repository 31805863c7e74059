# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action plugin for podnet.flannel.netcheck_report: plan, judge and write the report on the controller.

Nothing runs on the nodes: the topology, the plan and the verdicts come from
``module_utils.netcheck_topology``, ``netcheck_plan`` and ``netcheck_verdict`` (the nodes' pod_probe
uses the address parsing they share, ``netcheck_addr``), the renderings from
``plugin_utils.netcheck_*`` (controller only), and the files are written on the controller. The
options and the result are those documented in plugins/modules/netcheck_report.py.
"""

from __future__ import annotations

import copy
import json
import os

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.text.converters import to_bytes, to_native
from ansible.plugins.action import ActionBase

from ansible_collections.podnet.flannel.plugins.module_utils import netcheck_plan, netcheck_topology, netcheck_verdict
from ansible_collections.podnet.flannel.plugins.module_utils.files import read_bytes, write_atomic
from ansible_collections.podnet.flannel.plugins.plugin_utils.netcheck_html import render_html
from ansible_collections.podnet.flannel.plugins.plugin_utils.netcheck_matrix import render_matrix
from ansible_collections.podnet.flannel.plugins.plugin_utils.netcheck_svg import render_svg

ARGUMENT_SPEC = dict(
    topology=dict(type='dict', required=True),
    results=dict(type='list', elements='dict', default=[]),
    self_ips=dict(type='dict', default={}),
    self_ips6=dict(type='dict', default={}),
    json_path=dict(type='path'),
    svg_path=dict(type='path'),
    html_path=dict(type='path'),
    fail_on_error=dict(type='bool', default=True),
    pod_port=dict(type='int', default=netcheck_plan.DEFAULT_POD_PORT),
    node_port=dict(type='int', default=netcheck_plan.DEFAULT_NODE_PORT),
    url_path=dict(type='str', default=netcheck_plan.DEFAULT_PATH),
    plan_only=dict(type='bool', default=False),
)


class ReportError(Exception):
    """A failure with the fields the result carries next to ``msg``."""

    def __init__(self, msg, **fields):
        super().__init__(msg)
        self.fields = fields


def write_file(path, content, check_mode):
    """Write ``content`` to ``path`` (atomically, parents created) unless it is already there; whether it changed."""
    data = to_bytes(content)
    target = os.path.abspath(path)
    try:
        if read_bytes(target) == data:
            return False
    except OSError as exc:
        raise ReportError('cannot read %s: %s' % (path, to_native(exc)), path=path)
    if check_mode:
        return True
    try:
        write_atomic(target, data, mode=0o644, prefix='.netcheck-')
    except OSError as exc:
        raise ReportError('cannot write %s: %s' % (path, to_native(exc)), path=path)
    return True


def failure_message(report, failed):
    rules = ', '.join(netcheck_verdict.rule_label(r) for r in report['rules'] if not r['passed'])
    what = []
    if failed:
        what.append('%d of %d pairs failed' % (len(failed), report['summary']['pairs']))
        per_family = report['summary'].get('families') or {}
        if len(per_family) > 1:
            what[-1] += ' (%s)' % ', '.join('IPv%s %d of %d' % (family, counts['failed'], counts['pairs']) for family, counts in sorted(per_family.items()))
    if rules:
        what.append('failed: %s' % rules)
    if report['problems']:
        what.append('problems: %s' % '; '.join(report['problems']))
    first = ['%s' % netcheck_verdict.describe_pair(p) for p in report['pairs'] if p['verdict'] != 'ok'][:5]
    msg = 'the pod network breaks the Kubernetes network model: %s' % ', '.join(what)
    if first:
        msg += '. First failures: %s' % ' | '.join(first)
    return msg


def run_report(params, check_mode):
    """The task's result (failed=True and msg when the check failed); raises ReportError on bad input."""
    for name in ('pod_port', 'node_port'):
        if not 1 <= params[name] <= 65535:
            raise ReportError('%s must be a port number (1..65535), got %d' % (name, params[name]))
    try:
        nodes, problems = netcheck_topology.normalize_topology(params['topology'], params['self_ips'], params['self_ips6'])
    except netcheck_topology.TopologyError as exc:
        raise ReportError('topology: %s' % to_native(exc))
    pairs = netcheck_plan.build_plan(nodes, params['pod_port'], params['node_port'], params['url_path'])
    plan = netcheck_plan.plan_by_node(pairs, list(nodes))
    if params['plan_only']:
        return dict(changed=False, plan=plan, problems=problems)

    report = netcheck_verdict.evaluate(
        params['topology'],
        params['results'],
        params['self_ips'],
        params['pod_port'],
        params['node_port'],
        params['url_path'],
        self_ips6=params['self_ips6'],
    )
    matrix = render_matrix(report)
    failed = netcheck_verdict.failed_pairs(report)
    svg = render_svg(report)
    contents = {
        'json': (params['json_path'], json.dumps(report, indent=2, sort_keys=False) + '\n'),
        'svg': (params['svg_path'], svg),
        'html': (params['html_path'], render_html(report, svg)),
    }
    changed = False
    files = {}
    for kind, (path, content) in contents.items():
        if path:
            changed = write_file(path, content, check_mode) or changed
            files[kind] = path
    result = dict(
        changed=changed, plan=plan, matrix=matrix, report=report, failed_pairs=failed, problems=report['problems'], passed=report['passed'], files=files
    )
    if not report['passed'] and params['fail_on_error']:
        result.update(failed=True, msg=failure_message(report, failed))
    return result


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp  # tmp no longer has any effect
        try:
            dummy, params = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        except AnsibleActionFail as exc:
            result.update(failed=True, msg=to_native(exc))
            return result
        try:
            result.update(run_report(copy.deepcopy(params), bool(self._task.check_mode)))
        except ReportError as exc:
            result.update(exc.fields, failed=True, msg=to_native(exc))
        return result
