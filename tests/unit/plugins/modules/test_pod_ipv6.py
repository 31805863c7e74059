# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests for the IPv6 side of the pod modules: a dual-stack pod's IPv6 address as Docker reports
it (docker_pod.container_facts, pod_ipv6, pod_info's RV(pods[].pod_ipv6)), and the addresses
pod_probe reads from a container's eth0 (both families, one ``ip -o addr show eth0``)."""

from __future__ import annotations

from ansible_collections.podnet.flannel.plugins.module_utils import docker_pod as dp
from ansible_collections.podnet.flannel.plugins.modules import pod_info, pod_probe

INFRA = {
    'Id': 'i' * 64,
    'Name': '/demo-infra',
    'Image': 'sha256:p',
    'Config': {'Image': 'pause', 'Labels': {dp.LABEL_POD: 'demo', dp.LABEL_ROLE: dp.ROLE_INFRA}},
    'State': {'Status': 'running', 'Running': True, 'Pid': 0},
    'HostConfig': {'NetworkMode': 'bridge'},
    'NetworkSettings': {
        'IPAddress': '10.244.72.2',
        'GlobalIPv6Address': 'fd00:10:244:48::2',
        'Networks': {'bridge': {'IPAddress': '10.244.72.2', 'GlobalIPv6Address': 'fd00:10:244:48::2'}},
    },
}


def test_pod_ipv6_from_docker():
    facts = dp.container_facts(INFRA)
    assert facts['networks6'] == {'bridge': 'fd00:10:244:48::2'}
    assert dp.pod_ipv6(facts) == 'fd00:10:244:48::2'
    assert dp.pod_ip(facts) == '10.244.72.2'
    pods = pod_info.summarize_pods([facts])
    assert (pods[0]['pod_ip'], pods[0]['pod_ipv6']) == ('10.244.72.2', 'fd00:10:244:48::2')


def test_pod_ipv6_none_on_an_ipv4_only_bridge():
    attrs = dict(INFRA, NetworkSettings={'IPAddress': '10.244.72.2', 'GlobalIPv6Address': '', 'Networks': {'bridge': {'IPAddress': '10.244.72.2'}}})
    facts = dp.container_facts(attrs)
    assert dp.pod_ipv6(facts) is None
    assert dp.pod_ipv6(None) is None
    assert pod_info.summarize_pods([facts])[0]['pod_ipv6'] is None


class FakeDocker:
    def __init__(self, rc, out, err='', error=None):
        self.answer = (rc, out, err, error)
        self.commands = []

    def run(self, name, command):
        self.commands.append((name, command))
        return self.answer


DUAL = (
    '126: eth0    inet 10.244.72.2/24 brd 10.244.72.255 scope global eth0\\       valid_lft forever preferred_lft forever\n'
    '126: eth0    inet6 fd00:10:244:48::2/64 scope global flags 02 \\       valid_lft forever preferred_lft forever\n'
    '126: eth0    inet6 fe80::42:aff:fef4:4802/64 scope link \\       valid_lft forever preferred_lft forever\n'
)


def test_read_self_ip_both_families():
    docker = FakeDocker(0, DUAL)
    assert pod_probe.read_self_ip(docker, 'demo-echo') == ('10.244.72.2', 'fd00:10:244:48::2', None)
    assert docker.commands == [('demo-echo', ['ip', '-o', 'addr', 'show', 'eth0'])]


def test_read_self_ip_ipv4_only_and_failures():
    four = DUAL.splitlines()[0] + '\n'
    assert pod_probe.read_self_ip(FakeDocker(0, four), 'demo-echo') == ('10.244.72.2', None, None)
    ip, ip6, why = pod_probe.read_self_ip(FakeDocker(0, DUAL.split('\n', 1)[1]), 'demo-echo')
    assert (ip, ip6) == (None, 'fd00:10:244:48::2') and why.startswith('no IPv4 address on eth0 of demo-echo')
    assert pod_probe.read_self_ip(FakeDocker(None, '', error='container demo-echo does not exist'), 'demo-echo') == (
        None,
        None,
        'container demo-echo does not exist',
    )
    ip, ip6, why = pod_probe.read_self_ip(FakeDocker(1, '', 'ip: can\'t find device'), 'demo-echo')
    assert (ip, ip6) == (None, None) and 'ip -o addr show eth0 in demo-echo failed (exit code 1)' in why


class CountingDocker:
    """Records the containers looked up; the probes themselves are the fake sender's."""

    def __init__(self):
        self.looked_up = []

    def container(self, name):
        self.looked_up.append(name)
        return object(), None


def test_send_all_keeps_the_order_and_bounds_what_is_in_flight():
    import threading

    lock = threading.Lock()
    state = {'now': 0, 'most': 0}
    release = threading.Event()

    def sender(docker, probe, timeout, retries):
        with lock:
            state['now'] += 1
            state['most'] = max(state['most'], state['now'])
            if state['most'] >= 3:
                release.set()
        release.wait(5)
        with lock:
            state['now'] -= 1
        return {'rc': 0, 'stdout': probe['url'], 'probe': probe, 'retries': retries, 'timeout': timeout}

    probes = [{'src_kind': 'pod' if i % 2 else 'node', 'src': 's%d' % i, 'container': 'c%d' % i, 'url': 'http://10.0.0.%d:1/' % i} for i in range(10)]
    docker = CountingDocker()
    results = pod_probe.send_all(docker, probes, 3, 1, 3, sender=sender)
    assert [r['stdout'] for r in results] == [p['url'] for p in probes]
    assert state['most'] == 3  # three at a time, never more
    assert docker.looked_up == ['c%d' % i for i in range(10) if i % 2]
    assert results[0]['retries'] == 1 and results[0]['timeout'] == 3


def test_send_all_one_at_a_time():
    seen = []

    def sender(docker, probe, timeout, retries):
        seen.append(probe['src'])
        return {'rc': 0, 'stdout': 'x'}

    probes = [{'src_kind': 'node', 'src': 'n%d' % i, 'url': 'http://10.0.0.1:1/'} for i in range(4)]
    pod_probe.send_all(CountingDocker(), probes, 3, 0, 1, sender=sender)
    assert seen == ['n0', 'n1', 'n2', 'n3']
