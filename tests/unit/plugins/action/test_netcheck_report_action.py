# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests for the netcheck_report action plugin: planning, judging, the files it writes, check mode
and failing. The probe outcomes are written by hand for a two-node topology."""

from __future__ import annotations

import datetime
import json
import os
import xml.etree.ElementTree as ET
from unittest import mock

import pytest

from ansible.plugins.action import ActionBase

from ansible_collections.podnet.flannel.plugins.action import netcheck_report
from ansible_collections.podnet.flannel.plugins.module_utils import netcheck_verdict

NOW = datetime.datetime(2026, 3, 1, 10, 0, 0, tzinfo=datetime.timezone.utc)

TOPOLOGY = {
    'node1': {
        'address': '192.168.77.11',
        'node_addresses': ['192.168.77.11', '10.244.1.0', '10.244.1.1'],
        'subnet': '10.244.1.0/24',
        'docker0': '10.244.1.1',
        'backend': 'vxlan',
        'pods': [{'name': 'demo-node1', 'ip': '10.244.1.2', 'echo_container': 'demo-node1-echo'}],
    },
    'node2': {
        'address': '192.168.77.12',
        'node_addresses': ['192.168.77.12', '10.244.2.0', '10.244.2.1'],
        'subnet': '10.244.2.0/24',
        'docker0': '10.244.2.1',
        'backend': 'vxlan',
        # as pod_info returns it
        'pods': [{'name': 'demo-node2', 'pod_ip': '10.244.2.2', 'healthy': True, 'containers': [{'name': 'echo', 'container_name': 'demo-node2-echo'}]}],
    },
}
SELF_IPS = {'node1': {'demo-node1-echo': '10.244.1.2'}, 'node2': {'demo-node2-echo': '10.244.2.2'}}

# What each receiver answers in a network without NAT: pod sources are seen with their pod IP,
# node sources with the address they leave from (docker0 towards their own pods, flannel.1 else).
SEEN = {
    'pod-pod:demo-node1->demo-node1': '10.244.1.2',
    'pod-pod:demo-node1->demo-node2': '10.244.1.2',
    'pod-node:demo-node1->node1': '10.244.1.2',
    'pod-node:demo-node1->node2': '10.244.1.2',
    'pod-pod:demo-node2->demo-node1': '10.244.2.2',
    'pod-pod:demo-node2->demo-node2': '10.244.2.2',
    'pod-node:demo-node2->node1': '10.244.2.2',
    'pod-node:demo-node2->node2': '10.244.2.2',
    'node-pod:node1->demo-node1': '10.244.1.1',
    'node-pod:node1->demo-node2': '10.244.1.0',
    'node-pod:node2->demo-node1': '10.244.2.0',
    'node-pod:node2->demo-node2': '10.244.2.1',
}


def results(override=None):
    out = []
    for pair_id, seen in SEEN.items():
        item = {
            'probe': {'id': pair_id},
            'rc': 0,
            'stdout': '[::ffff:%s]' % seen,
            'stderr': '',
            'elapsed': 0.01,
            'timeout': 3,
            'error': None,
            'node': 'node1' if 'node1' in pair_id.split('->', 1)[0] else 'node2',
        }
        if override and pair_id in override:
            item.update(override[pair_id])
        out.append(item)
    return out


def args(tmp_path, **extra):
    base = {
        'topology': TOPOLOGY,
        'results': results(),
        'self_ips': SELF_IPS,
        'json_path': str(tmp_path / 'out' / 'reports' / 'network-map.json'),
        'svg_path': str(tmp_path / 'out' / 'reports' / 'network-map.svg'),
        'html_path': str(tmp_path / 'out' / 'reports' / 'network-map.html'),
    }
    base.update(extra)
    return base


@pytest.fixture
def run_action(monkeypatch):
    """Run the action plugin with task args; the result as the playbook gets it (JSON)."""
    monkeypatch.setattr(ActionBase, 'run', lambda self, tmp=None, task_vars=None: {})

    def run(task_args, check_mode=False):
        task = mock.MagicMock()
        task.args = dict(task_args)
        task.check_mode = check_mode
        action = netcheck_report.ActionModule(task, mock.MagicMock(), mock.MagicMock(), loader=None, templar=None, shared_loader_obj=None)
        return json.loads(json.dumps(action.run(task_vars={})))

    return run


@pytest.fixture
def fixed_clock(monkeypatch):
    real = netcheck_verdict.evaluate

    def evaluate(*a, **kw):
        kw['now'] = NOW
        return real(*a, **kw)

    monkeypatch.setattr(netcheck_verdict, 'evaluate', evaluate)


def test_plan_only(run_action, tmp_path):
    result = run_action({'topology': TOPOLOGY, 'plan_only': True, 'json_path': str(tmp_path / 'r.json')})
    assert result['changed'] is False
    assert sorted(result['plan']) == ['node1', 'node2']
    ids = sorted(p['id'] for p in result['plan']['node1'])
    assert ids == sorted(k for k in SEEN if k.split(':')[1].startswith(('demo-node1->', 'node1->')))
    pod_probe = [p for p in result['plan']['node2'] if p['id'] == 'pod-pod:demo-node2->demo-node1'][0]
    assert pod_probe == {
        'id': 'pod-pod:demo-node2->demo-node1',
        'src_kind': 'pod',
        'src': 'demo-node2',
        'container': 'demo-node2-echo',
        'url': 'http://10.244.1.2:8080/cgi-bin/ip',
    }
    assert not os.path.exists(tmp_path / 'r.json')
    assert 'matrix' not in result


def test_all_ok_writes_three_files(run_action, tmp_path, fixed_clock):
    result = run_action(args(tmp_path))
    assert result.get('failed') is not True, result.get('msg')
    assert result['passed'] is True and result['failed_pairs'] == []
    assert result['changed'] is True
    paths = args(tmp_path)
    with open(paths['json_path']) as handle:
        written = json.load(handle)
    assert written == result['report']
    assert written['summary']['pairs'] == len(SEEN) and written['summary']['ok'] == len(SEEN)
    assert [r['passed'] for r in written['rules']] == [True, True, True]
    svg = ET.parse(paths['svg_path']).getroot()
    assert svg.tag.endswith('svg')
    with open(paths['html_path']) as handle:
        assert '<svg' in handle.read()
    assert result['files'] == {'json': paths['json_path'], 'svg': paths['svg_path'], 'html': paths['html_path']}
    assert result['matrix'][-1] == 'result: PASS, 12 of 12 pairs ok'

    again = run_action(args(tmp_path))
    assert again['changed'] is False  # same outcome, same clock: same files


def test_failure_fails_with_matrix_and_pairs(run_action, tmp_path):
    bad = {'pod-pod:demo-node1->demo-node2': {'stdout': '10.244.1.0'}, 'pod-node:demo-node2->node1': {'rc': 143, 'stdout': ''}}
    result = run_action(args(tmp_path, results=results(bad)))
    assert result['failed'] is True
    assert '2 of 12 pairs failed' in result['msg'] and 'rule 1' in result['msg'] and 'rule 2' in result['msg']
    assert 'NAT: seen as 10.244.1.0 instead of 10.244.1.2' in result['msg']
    assert sorted((p['id'], p['verdict']) for p in result['failed_pairs']) == [
        ('pod-node:demo-node2->node1', 'timeout'),
        ('pod-pod:demo-node1->demo-node2', 'nat'),
    ]
    assert result['passed'] is False
    assert any(line.startswith('demo-node1') and 'NAT' in line for line in result['matrix'])
    # the files are there to look at
    report = json.loads((tmp_path / 'out' / 'reports' / 'network-map.json').read_text())
    assert report['passed'] is False
    svg = ET.parse(str(tmp_path / 'out' / 'reports' / 'network-map.svg')).getroot()
    red = sorted(el.get('data-pair') for el in svg.iter() if el.get('class') == 'fail')
    assert red == ['pod-node:demo-node2->node1', 'pod-pod:demo-node1->demo-node2']


def test_failure_without_fail_on_error(run_action, tmp_path):
    result = run_action(
        args(tmp_path, results=results({'node-pod:node2->demo-node1': {'rc': 1, 'stdout': '', 'stderr': 'No route to host'}}), fail_on_error=False)
    )
    assert result.get('failed') is not True
    assert result['passed'] is False
    assert [p['verdict'] for p in result['failed_pairs']] == ['unreachable']


def test_missing_node_results_and_problem(run_action, tmp_path):
    topology = dict(TOPOLOGY)
    topology['node3'] = {}  # a node the playbook collected nothing from
    only_node1 = [r for r in results() if r['node'] == 'node1']
    result = run_action(args(tmp_path, topology=topology, results=only_node1, fail_on_error=False))
    assert result['passed'] is False
    assert 'node node3: no pods to probe (is the demo pod deployed?)' in result['problems']
    errors = [p for p in result['failed_pairs'] if p['verdict'] == 'error']
    # node2's 6 probes did not run; pod -> node3 cannot be probed (no address)
    assert len([p for p in errors if 'did not run' in p['reason']]) == 6
    assert len([p for p in errors if 'node node3 has no underlay address' in p['reason']]) == 2


def test_check_mode_writes_nothing(run_action, tmp_path):
    result = run_action(args(tmp_path), check_mode=True)
    assert result['changed'] is True
    assert result['passed'] is True
    assert not os.path.exists(tmp_path / 'out')


def test_no_paths_no_files(run_action, tmp_path):
    result = run_action({'topology': TOPOLOGY, 'results': results(), 'self_ips': SELF_IPS})
    assert result['changed'] is False and result['files'] == {}
    assert result['passed'] is True


def test_bad_port(run_action, tmp_path):
    result = run_action(args(tmp_path, node_port=70000))
    assert result['failed'] is True and 'node_port must be a port number' in result['msg']


def test_unwritable_path(run_action, tmp_path):
    blocker = tmp_path / 'file'
    blocker.write_text('x')
    result = run_action(args(tmp_path, json_path=str(blocker / 'sub' / 'r.json')))
    assert result['failed'] is True and 'cannot write' in result['msg'] and 'r.json' in result['msg']
