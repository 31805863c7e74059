# Benchmark client (not a test), run on the client node by benchmarks/dataplane.yml with
# ansible.builtin.script: TCP goodput (iperf3) and RTT (ping) over several paths, the paths
# interleaved run by run (A B C A B C ...) so that a drift of the machine's load during the run
# spreads over every path instead of favouring the path measured first.
#
#   python3 dataplane_client.py '<json>'
#   json: {"seconds": 5, "repeats": 5, "pings": 200, "ping_interval": 0.01,
#          "paths": [{"name": "pod_pod", "ns_pid": 1234, "target": "10.244.1.2", "port": 5201}, ...]}
#
# Prints one JSON object: {path: {goodput_bps: [...], goodput_median_bps, rtt_avg_ms, rtt_median_ms,
# rtt_min_ms, rtt_samples}}.
from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import time

_RTT = re.compile(r'time=([0-9.]+) ms')


def _ns(path):
    return ['nsenter', '-t', str(path['ns_pid']), '-n'] if path.get('ns_pid') else []


def goodput(path, seconds, attempts=5):
    # A server started just before (or still closing the previous run) refuses the connection
    # or answers "busy": try again a few times, 0.5 s apart, then let the error through.
    cmd = _ns(path) + ['iperf3', '-c', path['target'], '-p', str(path['port']), '-t', str(seconds), '-J']
    for attempt in range(attempts):
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
            return float(json.loads(out)['end']['sum_received']['bits_per_second'])
        except subprocess.CalledProcessError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)


def rtts(path, count, interval):
    out = subprocess.run(_ns(path) + ['ping', '-n', '-c', str(count), '-i', str(interval), path['target']], capture_output=True, text=True, check=True).stdout
    return [float(m) for m in _RTT.findall(out)]


def main(argv):
    spec = json.loads(argv[1])
    results = dict((p['name'], dict(goodput_bps=[])) for p in spec['paths'])
    for dummy in range(int(spec['repeats'])):
        for path in spec['paths']:
            results[path['name']]['goodput_bps'].append(goodput(path, spec['seconds']))
    for path in spec['paths']:
        samples = rtts(path, int(spec['pings']), spec.get('ping_interval', 0.01))
        fig = results[path['name']]
        fig['goodput_median_bps'] = statistics.median(fig['goodput_bps'])
        fig['rtt_samples'] = len(samples)
        fig['rtt_avg_ms'] = statistics.mean(samples) if samples else None
        fig['rtt_median_ms'] = statistics.median(samples) if samples else None
        fig['rtt_min_ms'] = min(samples) if samples else None
    print(json.dumps(results))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
