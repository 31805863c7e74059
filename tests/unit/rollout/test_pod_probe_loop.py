# Unit tests of the upgrade tests' probe summary (tests/integration/rollout/files/pod_probe_loop.py).
from __future__ import annotations

import importlib.util
import json
import os

_PATH = os.path.join(os.path.dirname(__file__), '..', '..', 'integration', 'rollout', 'files', 'pod_probe_loop.py')
_SPEC = importlib.util.spec_from_file_location('pod_probe_loop', _PATH)
loop = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(loop)

HEAD = 'PING 10.244.2.2 (10.244.2.2) 56(84) bytes of data.\n'


def _reply(ts, seq):
    return '[%.6f] 64 bytes from 10.244.2.2: icmp_seq=%d ttl=62 time=0.201 ms\n' % (ts, seq)


def _no_answer(ts, seq):
    return '[%.6f] no answer yet for icmp_seq=%d\n' % (ts, seq)


def _tail(sent, received):
    return '\n--- 10.244.2.2 ping statistics ---\n%d packets transmitted, %d received, 0%% packet loss, time 900ms\n' % (sent, received)


def test_every_probe_answered_gives_the_interval_as_longest_gap():
    text = HEAD + ''.join(_reply(100.0 + 0.1 * i, i + 1) for i in range(10)) + _tail(10, 10)
    got = loop.summarize(99.95, 101.0, text)
    assert got['sent'] == 10 and got['answered'] == 10 and got['lost'] == 0
    assert abs(got['longest_gap'] - 0.1) < 0.002


def test_a_hole_counts_lost_probes_and_its_length():
    seqs = [1, 2, 3, 8, 9, 10]
    text = HEAD + ''.join(_reply(100.0 + 0.1 * (s - 1), s) for s in seqs)
    text += ''.join(_no_answer(100.0 + 0.1 * (s - 1), s - 1) for s in (5, 6, 7, 8)) + _tail(10, 6)
    got = loop.summarize(99.95, 101.0, text)
    assert got['lost'] == 4 and got['lost_seq'] == [4, 5, 6, 7]
    assert abs(got['longest_gap'] - 0.5) < 0.002
    assert abs(got['longest_gap_after'] - 0.25) < 0.002


def test_a_data_plane_that_never_comes_back_is_a_gap_up_to_the_stop():
    text = HEAD + _reply(100.0, 1) + _reply(100.1, 2) + ''.join(_no_answer(100.1 + 0.1 * i, i + 2) for i in range(1, 30))
    got = loop.summarize(99.95, 104.0, text)
    assert got['longest_gap'] > 3.8
    # sent at 100.2 .. 100.9 + ... and reported unanswered more than 1 s before the stop
    assert got['lost'] >= 20


def test_a_probe_in_flight_at_the_stop_is_not_lost():
    text = HEAD + _reply(100.0, 1) + _reply(100.1, 2) + _no_answer(100.2, 3) + _tail(3, 2)
    got = loop.summarize(99.95, 100.25, text)
    assert got['lost'] == 0 and got['sent'] == 3


def test_no_reply_at_all_is_one_gap_over_the_window():
    got = loop.summarize(10.0, 15.0, HEAD + _tail(50, 0))
    assert got['answered'] == 0 and got['longest_gap'] == 5.0 and got['sent'] == 50


def test_main_reads_a_directory_and_names_unreadable_loops(tmp_path, capsys):
    (tmp_path / 'node1-node2.start').write_text('99.95\n')
    (tmp_path / 'node1-node2.stop').write_text('100.5\n')
    (tmp_path / 'node1-node2.log').write_text(HEAD + _reply(100.0, 1) + _reply(100.1, 2) + _tail(2, 2))
    (tmp_path / 'node1-node3.log').write_text(HEAD)
    assert loop.main(['pod_probe_loop.py', str(tmp_path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [e['name'] for e in out] == ['node1-node2', 'node1-node3']
    assert out[0]['lost'] == 0 and out[0]['answered'] == 2
    assert 'error' in out[1] and out[1]['answered'] == 0
