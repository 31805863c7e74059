# Benchmark suite of podnet.flannel (not a test): converge time for 3 and 6 nodes (first run,
# idempotent re-run, split per role), pod network speed and RTT against the underlay (vxlan
# and host-gw, with a bare kernel VXLAN tunnel as the vxlan ceiling), and the memory of each
# node's services. Prints a table and the goals, writes JSON.
#
#   make bench                 full run: re-creates the lab several times (about 15 minutes)
#   make bench-quick           data plane and memory on the lab as it is (about 1 minute); on a
#                              dual-stack lab the pod and node pairs over IPv6 too (pod_pod6, node_node6)
#
# Both call: .venv/bin/python benchmarks/run.py [--quick] [--out FILE]
# --quick measures the lab of LAB_INVENTORY (default inventories/lab).
# The full run destroys the lab first and leaves a 3-node host-gw lab behind.
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPORTS = os.path.join(ROOT, '.lab', 'reports')
PLAYBOOK = os.path.join(ROOT, '.venv', 'bin', 'ansible-playbook')

# The goals of the performance issue, as (name, description, numerator path, denominator path,
# comparison, limit). Paths point into the results dict. Goodput is the median of the iperf3
# runs; RTT the median of the pings (the average is reported too, but one late wake-up of a
# vCPU moves it).
GOALS = (
    (
        'vxlan_goodput',
        'vxlan: pod-pod goodput >= 0.95 x bare VXLAN',
        ('dataplane', 'vxlan', 'paths', 'pod_pod', 'goodput_median_bps'),
        ('dataplane', 'vxlan', 'paths', 'bare_vxlan', 'goodput_median_bps'),
        '>=',
        0.95,
    ),
    (
        'hostgw_goodput',
        'host-gw: pod-pod goodput >= 0.95 x node-node',
        ('dataplane', 'host-gw', 'paths', 'pod_pod', 'goodput_median_bps'),
        ('dataplane', 'host-gw', 'paths', 'node_node', 'goodput_median_bps'),
        '>=',
        0.95,
    ),
    (
        'vxlan_rtt',
        'vxlan: pod-pod RTT <= 1.2 x node-node',
        ('dataplane', 'vxlan', 'paths', 'pod_pod', 'rtt_median_ms'),
        ('dataplane', 'vxlan', 'paths', 'node_node', 'rtt_median_ms'),
        '<=',
        1.2,
    ),
    (
        'hostgw_rtt',
        'host-gw: pod-pod RTT <= 1.2 x node-node',
        ('dataplane', 'host-gw', 'paths', 'pod_pod', 'rtt_median_ms'),
        ('dataplane', 'host-gw', 'paths', 'node_node', 'rtt_median_ms'),
        '<=',
        1.2,
    ),
    ('idempotent_3', '3 nodes: idempotent re-run <= 0.30 x first converge', ('converge', '3', 'rerun_s'), ('converge', '3', 'first_s'), '<=', 0.30),
    ('idempotent_6', '6 nodes: idempotent re-run <= 0.30 x first converge', ('converge', '6', 'rerun_s'), ('converge', '6', 'first_s'), '<=', 0.30),
    ('scaling', '6 nodes converge <= 1.5 x 3 nodes', ('converge', '6', 'first_s'), ('converge', '3', 'first_s'), '<=', 1.5),
)

_ROLE_LINE = re.compile(r'^(\S+) -{3,} (\d+(?:\.\d+)?)s\s*$')
_RECAP_LINE = re.compile(r'^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)')


def parse_profile_roles(text):
    """Seconds per role from the recap of the ansible.posix.profile_roles callback.

    Returns a dict role -> seconds; the callback's own 'total' line is returned as 'total'.
    """
    roles = {}
    for line in text.splitlines():
        match = _ROLE_LINE.match(line.strip())
        if match:
            roles[match.group(1)] = float(match.group(2))
    return roles


def parse_recap(text):
    """Per-host counters of the PLAY RECAP: host -> dict(ok, changed, unreachable, failed)."""
    hosts = {}
    for line in text.splitlines():
        match = _RECAP_LINE.match(line.strip())
        if match:
            hosts[match.group(1)] = dict(ok=int(match.group(2)), changed=int(match.group(3)), unreachable=int(match.group(4)), failed=int(match.group(5)))
    return hosts


def lookup(data, path):
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def paired_ratios(num_runs, den_runs):
    """Run-by-run ratios of two interleaved goodput series (run i of each was measured back to
    back), or None when they do not pair up. Their median is robust to a drift of the machine's
    load during the run, which moves both paths of a round together."""
    if not isinstance(num_runs, list) or not isinstance(den_runs, list):
        return None
    if len(num_runs) != len(den_runs) or len(num_runs) < 2 or not all(den_runs):
        return None
    return [n / d for n, d in zip(num_runs, den_runs)]


def _median(values):
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2.0


def evaluate_goals(results):
    """Each goal with its ratio and whether it is met (None when a figure is missing).

    Goodput goals use the median of the run-by-run ratios when both paths have interleaved runs
    (`goodput_bps` lists of the same length), else the ratio of the two figures; the spread of
    the run-by-run ratios is reported as `ratio_min` / `ratio_max`.
    """
    out = []
    for name, text, num_path, den_path, op, limit in GOALS:
        num, den = lookup(results, num_path), lookup(results, den_path)
        ratio = num / den if num is not None and den else None
        spread = None
        if num_path[-1] == 'goodput_median_bps':
            pairs = paired_ratios(lookup(results, num_path[:-1] + ('goodput_bps',)), lookup(results, den_path[:-1] + ('goodput_bps',)))
            if pairs:
                ratio, spread = _median(pairs), (min(pairs), max(pairs))
        met = None if ratio is None else (ratio >= limit if op == '>=' else ratio <= limit)
        goal = dict(name=name, goal=text, ratio=ratio, limit=limit, op=op, met=met)
        if spread:
            goal.update(ratio_min=spread[0], ratio_max=spread[1])
        out.append(goal)
    return out


def _fmt_bps(bps):
    return '-' if bps is None else '%.2f Gbit/s' % (bps / 1e9)


def _fmt(value, unit='', digits=2):
    if value is None:
        return '-'
    return ('%.*f' % (digits, value)) + unit


def format_report(results):
    """The human-readable report: converge, data plane, memory, goals."""
    lines = []
    converge = results.get('converge') or {}
    if converge:
        lines.append('Converge of playbooks/site.yml (wall seconds)')
        lines.append('  %-6s %10s %12s %10s  %s' % ('nodes', 'first', 'idempotent', 'CPU busy', 'first run per role'))
        for nodes in sorted(converge, key=int):
            c = converge[nodes]
            roles = ', '.join('%s %.0f' % (r.split('.')[-1], s) for r, s in sorted(c.get('roles', {}).items()) if r != 'total')
            busy = '%s/%s' % tuple('-' if c.get(k) is None else '%.0f%%' % (100 * c[k]) for k in ('first_cpu_busy', 'rerun_cpu_busy'))
            lines.append('  %-6s %10s %12s %10s  %s' % (nodes, _fmt(c.get('first_s')), _fmt(c.get('rerun_s')), busy, roles))
        lines.append('')
    dataplane = results.get('dataplane') or {}
    if dataplane:
        lines.append(
            'Data plane (%s -> %s; goodput = median of iperf3 runs, paths interleaved; RTT = ping median / average)'
            % (next(iter(dataplane.values())).get('client'), next(iter(dataplane.values())).get('server'))
        )
        lines.append('  %-8s %-11s %14s %10s %10s  %s' % ('backend', 'path', 'goodput', 'RTT med', 'RTT avg', 'runs (Gbit/s)'))
        for backend in sorted(dataplane):
            for path, fig in sorted(dataplane[backend].get('paths', {}).items()):
                runs = ', '.join('%.2f' % (bps / 1e9) for bps in fig.get('goodput_bps', []))
                lines.append(
                    '  %-8s %-11s %14s %10s %10s  %s'
                    % (
                        backend,
                        path,
                        _fmt_bps(fig.get('goodput_median_bps')),
                        _fmt(fig.get('rtt_median_ms'), ' ms', 3),
                        _fmt(fig.get('rtt_avg_ms'), ' ms', 3),
                        runs,
                    )
                )
        lines.append('')
    memory = results.get('memory') or {}
    if memory:
        units = memory.get('units', [])
        lines.append('Memory (RSS of each unit\'s processes, MiB)')
        lines.append('  %-8s' % 'node' + ''.join('%12s' % u.replace('.service', '') for u in units))
        for node in sorted(memory.get('rss_bytes', {})):
            per = memory['rss_bytes'][node]
            lines.append('  %-8s' % node + ''.join('%12s' % _fmt(per[u] / 1048576.0 if u in per else None) for u in units))
        lines.append('')
    lines.append('Goals')
    for goal in evaluate_goals(results):
        state = {True: 'met', False: 'MISSED', None: 'not measured'}[goal['met']]
        spread = ' (runs %s-%s)' % (_fmt(goal['ratio_min']), _fmt(goal['ratio_max'])) if 'ratio_min' in goal else ''
        lines.append('  %-52s ratio %-6s %s%s' % (goal['goal'], _fmt(goal['ratio']), state, spread))
    return '\n'.join(lines)


def machine():
    info = dict(python=platform.python_version(), kernel=platform.release(), cpus=os.cpu_count())
    try:
        with open('/proc/meminfo') as handle:
            info['mem_total_kib'] = int(handle.readline().split()[1])
        with open('/proc/cpuinfo') as handle:
            models = [line.split(':', 1)[1].strip() for line in handle if line.startswith('model name')]
        info['cpu_model'] = models[0] if models else None
        info['docker'] = subprocess.run(['docker', 'version', '-f', '{{.Server.Version}}'], capture_output=True, text=True, check=False).stdout.strip()
    except (OSError, IndexError, ValueError):
        pass
    return info


def parse_proc_stat(text):
    """(busy, total) CPU jiffies of all CPUs from the `cpu` line of /proc/stat."""
    for line in text.splitlines():
        fields = line.split()
        if fields and fields[0] == 'cpu':
            values = [int(v) for v in fields[1:]]
            idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
            total = sum(values[:8])  # without guest time (in user)
            return total - idle, total
    raise ValueError('no cpu line in /proc/stat')


def cpu_sample():
    with open('/proc/stat') as handle:
        return parse_proc_stat(handle.read())


def cpu_utilisation(before, after):
    """Share of the machine's CPU time that was busy between two samples (0..1)."""
    busy, total = after[0] - before[0], after[1] - before[1]
    return busy / float(total) if total > 0 else None


def playbook(args, inventory, env=None, log=None):
    """Run ansible-playbook from the repository root; returns (seconds, output). Raises on failure."""
    cmd = [PLAYBOOK, '-i', os.path.join(ROOT, inventory)] + args
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT, env=dict(os.environ, **(env or {})), capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    if log:
        with open(os.path.join(REPORTS, log), 'w') as handle:
            handle.write(proc.stdout + proc.stderr)
    if proc.returncode != 0:
        where = os.path.join(REPORTS, log or '-')
        raise RuntimeError('%s failed (rc=%d); output in %s\n%s' % (' '.join(cmd[1:]), proc.returncode, where, proc.stdout[-3000:]))
    return seconds, proc.stdout


def converge(inventory, extra=None, tag=''):
    """Fresh lab of `inventory`, then site.yml twice; returns the figures."""
    print('bench: %s: re-creating the lab' % inventory, flush=True)
    playbook(['lab/destroy.yml'], inventory, log='bench-destroy.log')
    playbook(['lab/create.yml'], inventory, log='bench-create.log')
    env = {'ANSIBLE_CALLBACKS_ENABLED': 'ansible.posix.profile_roles,ansible.posix.profile_tasks', 'PROFILE_TASKS_TASK_OUTPUT_LIMIT': '30'}
    extra_args = ['-e', json.dumps(extra)] if extra else []
    print('bench: %s: first converge' % inventory, flush=True)
    cpu0 = cpu_sample()
    first, out1 = playbook(['playbooks/site.yml'] + extra_args, inventory, env, log='bench-converge%s-first.log' % tag)
    cpu1 = cpu_sample()
    print('bench: %s: idempotent re-run' % inventory, flush=True)
    rerun, out2 = playbook(['playbooks/site.yml'] + extra_args, inventory, env, log='bench-converge%s-rerun.log' % tag)
    cpu2 = cpu_sample()
    recap = parse_recap(out2)
    # How busy the whole machine was: every lab node shares its CPUs, so a converge that keeps
    # them all busy cannot get faster with more nodes, however parallel the playbook is.
    return dict(
        first_s=round(first, 1),
        rerun_s=round(rerun, 1),
        roles=parse_profile_roles(out1),
        rerun_roles=parse_profile_roles(out2),
        rerun_changed=sum(h['changed'] for h in recap.values()),
        nodes=len(recap),
        first_cpu_busy=cpu_utilisation(cpu0, cpu1),
        rerun_cpu_busy=cpu_utilisation(cpu1, cpu2),
    )


def dataplane(inventory, quick):
    out = os.path.join(REPORTS, 'bench-dataplane.json')
    extra = {'bench_out': out}
    if quick:
        extra.update(bench_seconds=1, bench_repeats=1, bench_pings=20)
    playbook(['benchmarks/dataplane.yml', '-e', json.dumps(extra)], inventory, log='bench-dataplane.log')
    with open(out) as handle:
        return json.load(handle)


def memory(inventory):
    out = os.path.join(REPORTS, 'bench-memory.json')
    playbook(['benchmarks/memory.yml', '-e', json.dumps({'bench_out': out})], inventory, log='bench-memory.log')
    with open(out) as handle:
        return json.load(handle)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--quick', action='store_true', help='data plane (1 s runs) and memory on the running lab only')
    parser.add_argument('--out', default=os.path.join(REPORTS, 'benchmarks.json'), help='where to write the JSON')
    opts = parser.parse_args(argv)
    os.makedirs(REPORTS, exist_ok=True)
    results = dict(
        machine=machine(), mode='quick' if opts.quick else 'full', started=time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()), converge={}, dataplane={}
    )
    if opts.quick:
        inventory = os.environ.get('LAB_INVENTORY') or 'inventories/lab'
        figures = dataplane(inventory, quick=True)
        results['dataplane'][figures['backend']] = figures
        results['memory'] = memory(inventory)
    else:
        results['converge']['6'] = converge('inventories/lab6', tag='6')
        results['converge']['3'] = converge('inventories/lab', tag='3')
        results['dataplane']['vxlan'] = dataplane('inventories/lab', quick=False)
        results['memory'] = memory('inventories/lab')
        converge('inventories/lab', extra={'flannel_backend': {'type': 'host-gw'}}, tag='3-hostgw')
        results['dataplane']['host-gw'] = dataplane('inventories/lab', quick=False)
    results['goals'] = evaluate_goals(results)
    with open(opts.out, 'w') as handle:
        json.dump(results, handle, indent=2, sort_keys=True)
    print(format_report(results))
    print('\nbench: JSON in %s' % opts.out)
    return 0


if __name__ == '__main__':
    sys.exit(main())
