# SPDX-License-Identifier: GPL-3.0-or-later
"""Summarize the pod-to-pod probe loops of the upgrade tests (tests/integration/rollout/).

Each loop is one `ping -D -O -n -i <interval>` from a pod's network namespace to a pod on another
node, started by probe_start.yml and stopped with SIGINT by probe_stop.yml, in DIR:
  <name>.start  the node's clock when the loop started (seconds since the epoch)
  <name>.log    ping's output (-D: every line starts with [epoch.micro])
  <name>.stop   the node's clock when the loop was told to stop

For each loop this prints (one JSON list on stdout): the probes sent and answered, the probes
lost (a sequence number below the last answered one that never got a reply, plus those sent more
than `grace` seconds before the stop that never did), and the longest gap between answers,
counting from the start and up to the stop, so a data plane that dies and never comes back shows
as a gap as long as the rest of the window.

usage: pod_probe_loop.py DIR [GRACE_SECONDS]
"""

import glob
import json
import os
import re
import sys

REPLY = re.compile(r'^\[(?P<ts>\d+(?:\.\d+)?)\] \d+ bytes from \S+ icmp_seq=(?P<seq>\d+)')
NO_ANSWER = re.compile(r'^\[(?P<ts>\d+(?:\.\d+)?)\] no answer yet for icmp_seq=(?P<seq>\d+)')
TRANSMITTED = re.compile(r'^(?P<sent>\d+) packets transmitted, (?P<received>\d+) (?:packets )?received')


def parse(text):
    """(replies [(ts, seq)], unanswered_reports {seq: ts}, transmitted or None) from ping's output."""
    replies, unanswered, transmitted = [], {}, None
    for line in text.splitlines():
        match = REPLY.match(line)
        if match:
            replies.append((float(match.group('ts')), int(match.group('seq'))))
            continue
        match = NO_ANSWER.match(line)
        if match:
            unanswered.setdefault(int(match.group('seq')), float(match.group('ts')))
            continue
        match = TRANSMITTED.match(line)
        if match:
            transmitted = int(match.group('sent'))
    return replies, unanswered, transmitted


def summarize(start, stop, text, grace=1.0):
    """The figures of one loop: sent, answered, lost (sequence numbers) and the longest gap (s)."""
    replies, unanswered, transmitted = parse(text)
    answered = {seq for _ts, seq in replies}
    last_answered = max(answered) if answered else 0
    # Lost: never answered, and either followed by an answered probe or reported unanswered
    # (-O) earlier than `grace` before the stop (a probe still in flight at the stop is not lost).
    lost = {seq for seq in range(1, last_answered) if seq not in answered}
    lost |= {seq for seq, ts in unanswered.items() if seq not in answered and ts < stop - grace}
    times = [start] + sorted(ts for ts, _seq in replies) + [stop]
    gaps = [b - a for a, b in zip(times, times[1:])]
    longest = max(gaps) if gaps else stop - start
    at = times[gaps.index(longest)] if gaps else start
    sent = transmitted if transmitted is not None else max([last_answered] + list(unanswered))
    return {
        'sent': sent,
        'answered': len(answered),
        'lost': len(lost),
        'lost_seq': sorted(lost)[:20],
        'longest_gap': round(longest, 3),
        'longest_gap_after': round(at - start, 3),
        'window': round(stop - start, 3),
    }


def read(path):
    with open(path) as handle:
        return handle.read()


def main(argv):
    directory = argv[1]
    grace = float(argv[2]) if len(argv) > 2 else 1.0
    out = []
    for log in sorted(glob.glob(os.path.join(directory, '*.log'))):
        name = os.path.basename(log)[: -len('.log')]
        base = os.path.join(directory, name)
        # A loop without its files still has every figure, so the caller's checks can name it.
        entry = {'name': name, 'sent': 0, 'answered': 0, 'lost': 0, 'lost_seq': [], 'longest_gap': 0.0, 'longest_gap_after': 0.0, 'window': 0.0}
        try:
            entry.update(summarize(float(read(base + '.start')), float(read(base + '.stop')), read(log), grace))
        except (OSError, ValueError) as exc:
            entry['error'] = str(exc)
        out.append(entry)
    json.dump(out, sys.stdout)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
