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
