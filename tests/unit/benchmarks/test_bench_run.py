# Unit tests of the benchmark driver's pure logic (parsing the callbacks' output, the goals).
from __future__ import annotations

import importlib.util
import os

import pytest

_PATH = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'benchmarks', 'run.py')
_SPEC = importlib.util.spec_from_file_location('bench_run', _PATH)
run = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(run)


def _role_line(name, seconds):
    # The exact layout of ansible.posix.profile_roles: u"{0:-<70}{1:->9}"
    return "{0:-<70}{1:->9}".format(name + ' ', ' {0:.02f}s'.format(seconds))


def test_parse_profile_roles_reads_each_role_and_the_total():
    text = '\n'.join(
        [
            'ROLES RECAP ********************************************************************',
            'Wednesday 25 November 2026  15:13:30 +0000 (0:00:00.089)       0:00:48.968 ****',
            '=' * 79,
            _role_line('podnet.flannel.docker', 31.5),
            _role_line('podnet.flannel.etcd', 120.25),
            _role_line('gather_facts', 3.0),
            '~' * 79,
            _role_line('total', 154.75),
        ]
    )
    assert run.parse_profile_roles(text) == {'podnet.flannel.docker': 31.5, 'podnet.flannel.etcd': 120.25, 'gather_facts': 3.0, 'total': 154.75}


def test_parse_profile_roles_ignores_task_lines_and_banners():
    text = 'TASK [podnet.flannel.etcd : Install] ***\nok: [node1]\n' + '-' * 79
    assert run.parse_profile_roles(text) == {}


def test_parse_recap():
    text = (
        'PLAY RECAP *********\n'
        'node1                      : ok=60   changed=3    unreachable=0    failed=0    skipped=13   rescued=0\n'
        'node2                      : ok=55   changed=0    unreachable=1    failed=2    skipped=11   rescued=0\n'
    )
    assert run.parse_recap(text) == {'node1': dict(ok=60, changed=3, unreachable=0, failed=0), 'node2': dict(ok=55, changed=0, unreachable=1, failed=2)}


def _results(pod_bps, bare_bps, pod_rtt=0.2, node_rtt=0.1):
    return {
        'dataplane': {
            'vxlan': {
                'paths': {
                    'pod_pod': {'goodput_median_bps': pod_bps, 'rtt_median_ms': pod_rtt},
                    'node_node': {'goodput_median_bps': 2e10, 'rtt_median_ms': node_rtt},
                    'bare_vxlan': {'goodput_median_bps': bare_bps, 'rtt_median_ms': 0.1},
                }
            }
        },
        'converge': {'3': {'first_s': 100.0, 'rerun_s': 25.0}, '6': {'first_s': 160.0, 'rerun_s': 50.0}},
    }


@pytest.mark.parametrize('pod_bps, met', [(9.6e9, True), (9.5e9, True), (9.4e9, False)])
def test_vxlan_goodput_goal_against_the_bare_tunnel(pod_bps, met):
    goals = {g['name']: g for g in run.evaluate_goals(_results(pod_bps, 1e10))}
    assert goals['vxlan_goodput']['met'] is met
    assert goals['vxlan_goodput']['ratio'] == pytest.approx(pod_bps / 1e10)


def test_rtt_converge_and_scaling_goals():
    goals = {g['name']: g for g in run.evaluate_goals(_results(1e10, 1e10, pod_rtt=0.13, node_rtt=0.1))}
    assert goals['vxlan_rtt']['met'] is False  # 1.3 > 1.2
    assert goals['idempotent_3']['met'] is True  # 25 / 100
    assert goals['idempotent_6']['met'] is False  # 50 / 160 = 0.31
    assert goals['scaling']['ratio'] == pytest.approx(1.6)
    assert goals['scaling']['met'] is False


def test_missing_figures_are_not_measured_rather_than_met():
    goals = {g['name']: g for g in run.evaluate_goals({'dataplane': {}})}
    assert goals['hostgw_goodput']['met'] is None
    assert goals['hostgw_goodput']['ratio'] is None
    report = run.format_report({'dataplane': {}})
    assert 'not measured' in report and 'MISSED' not in report


def test_report_shows_the_figures():
    results = _results(9.0e9, 1e10)
    results['dataplane']['vxlan'].update(client='node2', server='node1')
    results['memory'] = {'units': ['etcd.service'], 'rss_bytes': {'node1': {'etcd.service': 50 * 1048576}}}
    report = run.format_report(results)
    assert '9.00 Gbit/s' in report
    assert '50.00' in report
    assert 'vxlan: pod-pod goodput >= 0.95 x bare VXLAN' in report and 'MISSED' in report


def test_goodput_goal_uses_the_median_of_paired_runs():
    # Round 2 ran while the machine was busy: both paths dropped together. The ratio of the
    # medians (15/20 = 0.75) would call it missed; the paired ratios are 0.95, 0.96, 0.96.
    results = {
        'dataplane': {
            'vxlan': {
                'paths': {
                    'pod_pod': {'goodput_median_bps': 15.0, 'goodput_bps': [19.0, 9.6, 14.4]},
                    'bare_vxlan': {'goodput_median_bps': 20.0, 'goodput_bps': [20.0, 10.0, 15.0]},
                }
            }
        }
    }
    goal = {g['name']: g for g in run.evaluate_goals(results)}['vxlan_goodput']
    assert goal['ratio'] == pytest.approx(0.96)
    assert (goal['ratio_min'], goal['ratio_max']) == (pytest.approx(0.95), pytest.approx(0.96))
    assert goal['met'] is True


def test_unpaired_runs_fall_back_to_the_ratio_of_medians():
    assert run.paired_ratios([1.0, 2.0], [1.0]) is None
    assert run.paired_ratios([1.0], [1.0]) is None
    assert run.paired_ratios([1.0, 2.0], [0.0, 1.0]) is None
    results = {
        'dataplane': {
            'vxlan': {
                'paths': {'pod_pod': {'goodput_median_bps': 9.0, 'goodput_bps': [9.0]}, 'bare_vxlan': {'goodput_median_bps': 10.0, 'goodput_bps': [10.0]}}
            }
        }
    }
    goal = {g['name']: g for g in run.evaluate_goals(results)}['vxlan_goodput']
    assert goal['ratio'] == pytest.approx(0.9) and 'ratio_min' not in goal and goal['met'] is False


PROC_STAT = """cpu  100 5 50 800 20 3 2 0 0 0
cpu0 50 2 25 400 10 1 1 0 0 0
intr 1 2 3
"""


def test_proc_stat_busy_and_total():
    # busy = user+nice+system+irq+softirq+steal = 100+5+50+3+2+0; idle+iowait = 820
    assert run.parse_proc_stat(PROC_STAT) == (160, 980)


def test_cpu_utilisation_between_samples():
    assert run.cpu_utilisation((160, 980), (360, 1180)) == pytest.approx(1.0)
    assert run.cpu_utilisation((160, 980), (210, 1180)) == pytest.approx(0.25)
    assert run.cpu_utilisation((1, 1), (1, 1)) is None
    with pytest.raises(ValueError):
        run.parse_proc_stat('intr 1 2')
