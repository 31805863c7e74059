# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests for the pod and pod_info modules: spec validation, spec hashes, planning (pure
functions fed with container dicts) and whole runs against a fake Docker API."""

from __future__ import annotations

import hashlib
import itertools

import pytest

from ansible_collections.podnet.flannel.plugins.module_utils import docker_pod as dp
from ansible_collections.podnet.flannel.plugins.module_utils import pod_plan, pod_spec
from ansible_collections.podnet.flannel.plugins.modules import pod, pod_info

PAUSE = 'registry.k8s.io/pause:3.10'
BUSYBOX = 'podtest/busybox:local'


def apps_spec():
    return [
        {'name': 'sleeper', 'image': BUSYBOX, 'command': ['sleep', '3600']},
        {'name': 'web', 'image': BUSYBOX, 'command': 'httpd -f -p 8080', 'ports': [8080], 'env': {'A': 1}},
    ]


def desired(apps=None, infra_image=PAUSE, labels=None):
    normalized = pod_spec.normalize_containers(apps if apps is not None else apps_spec())
    return pod_spec.desired_pod('demo', normalized, infra_image, 'bridge', 'unless-stopped', labels or {})


# ----------------------------------------------------------------------------- spec validation


def test_unknown_key_names_app_key_and_allowed_keys():
    apps = apps_spec()
    apps[1]['comand'] = ['x']
    with pytest.raises(pod_spec.PodSpecError) as exc:
        pod_spec.normalize_containers(apps)
    assert str(exc.value) == ("containers[1] (app 'web'): unknown key 'comand'; allowed keys are name, image, command, entrypoint, env, ports, labels")


def test_duplicate_app_names():
    apps = apps_spec()
    apps[1]['name'] = 'sleeper'
    with pytest.raises(pod_spec.PodSpecError, match=r"app name 'sleeper' is used twice \(containers\[0\] and containers\[1\]\)"):
        pod_spec.normalize_containers(apps)


def test_same_port_in_two_apps_names_both():
    apps = apps_spec()
    apps[0]['ports'] = ['8080']
    with pytest.raises(pod_spec.PodSpecError) as exc:
        pod_spec.normalize_containers(apps)
    assert str(exc.value).startswith("port 8080 is used by app 'sleeper' and app 'web'")
    assert 'share one network namespace' in str(exc.value)


def test_same_port_twice_in_one_app():
    with pytest.raises(pod_spec.PodSpecError, match=r"app 'a'\)\.ports: port 80 is listed twice"):
        pod_spec.normalize_containers([{'name': 'a', 'image': 'x', 'ports': [80, '80']}])


@pytest.mark.parametrize(
    'app, message',
    [
        ({'name': 'infra', 'image': 'x'}, 'reserved for the infra container'),
        ({'name': 'Web', 'image': 'x'}, 'is not a DNS label'),
        ({'name': 'web'}, r'\.image: an image is required'),
        ({'image': 'x'}, r'\.name: a name is required'),
        ({'name': 'web', 'image': 'x', 'env': {'DEBUG': True}}, r'env\.DEBUG: True is a boolean; quote it'),
        ({'name': 'web', 'image': 'x', 'ports': [70000]}, 'out of range 1..65535'),
        ({'name': 'web', 'image': 'x', 'entrypoint': '/bin/sh'}, 'entrypoint: must be a list'),
        ({'name': 'web', 'image': 'x', 'labels': {'podnet.pod': 'other'}}, "label 'podnet.pod' is reserved"),
    ],
)
def test_invalid_app(app, message):
    with pytest.raises(pod_spec.PodSpecError, match=message):
        pod_spec.normalize_containers([app])


def test_no_apps():
    with pytest.raises(pod_spec.PodSpecError, match='at least one app container'):
        pod_spec.normalize_containers([])


def test_normalized_app():
    app = pod_spec.normalize_containers([{'name': 'web', 'image': ' busybox ', 'command': "sh -c 'echo hi'", 'ports': ['80', 443, 22], 'env': {'N': 5}}])[0]
    assert app == {
        'name': 'web',
        'image': 'busybox',
        'command': ['sh', '-c', 'echo hi'],
        'entrypoint': None,
        'env': {'N': '5'},
        'ports': [22, 80, 443],
        'labels': {},
        'host_ports': [],
    }


# ----------------------------------------------------------------------------- host ports


def web_with_ports(*ports):
    return [{'name': 'web', 'image': BUSYBOX, 'command': 'httpd -f -p 8080', 'ports': list(ports)}]


def test_port_dicts_normalize_to_container_ports_and_bindings():
    app = pod_spec.normalize_containers(
        web_with_ports(
            {'container_port': '8080', 'host_port': 18081},
            {'container_port': 53, 'protocol': 'UDP', 'host_port': 1053, 'host_ip': '192.168.77.11'},
            {'container_port': 9090},
            22,
        )
    )[0]
    assert app['ports'] == [22, 8080, 9090, '53/udp']
    assert app['host_ports'] == [
        {'container_port': 53, 'host_port': 1053, 'protocol': 'udp', 'host_ip': '192.168.77.11'},
        {'container_port': 8080, 'host_port': 18081, 'protocol': 'tcp', 'host_ip': None},
    ]


def test_host_ip_ipv6_is_normalized():
    app = pod_spec.normalize_containers(web_with_ports({'container_port': 80, 'host_port': 8000, 'host_ip': '2001:DB8:0:0::1'}))[0]
    assert app['host_ports'][0]['host_ip'] == '2001:db8::1'


def test_same_container_port_tcp_and_udp_is_fine():
    app = pod_spec.normalize_containers(web_with_ports(53, {'container_port': 53, 'protocol': 'udp'}))[0]
    assert app['ports'] == [53, '53/udp']


@pytest.mark.parametrize(
    'port, message',
    [
        ({'container_port': 0, 'host_port': 80}, r"app 'web'\)\.ports\[0\]\.container_port: 0 is out of range 1\.\.65535"),
        ({'container_port': 80, 'host_port': 65536}, r"app 'web'\)\.ports\[0\]\.host_port: 65536 is out of range 1\.\.65535"),
        ({'container_port': 80, 'host_port': 'http'}, r"\.ports\[0\]\.host_port: 'http' is not a port number"),
        ({'container_port': 80, 'host_port': True}, r"\.ports\[0\]\.host_port: True is not a port number"),
        ({'host_port': 80}, r"app 'web'\)\.ports\[0\]\.container_port: a port number is required"),
        ({'container_port': 80, 'hostPort': 80}, r"\.ports\[0\]: unknown key 'hostPort'; allowed keys are container_port, host_port, protocol, host_ip"),
        ({'container_port': 80, 'protocol': 'sctp'}, r"\.ports\[0\]\.protocol: 'sctp' is not one of tcp, udp"),
        ({'container_port': 80, 'host_port': 80, 'host_ip': '10.0.0.300'}, r"\.ports\[0\]\.host_ip: '10\.0\.0\.300' is not an IPv4 or IPv6 address"),
        ({'container_port': 80, 'host_ip': '10.0.0.1'}, r"\.ports\[0\]\.host_ip: only applies to a published port; set host_port too"),
    ],
)
def test_invalid_port_entry_names_app_and_field(port, message):
    with pytest.raises(pod_spec.PodSpecError, match=message):
        pod_spec.normalize_containers(web_with_ports(port))


def test_container_port_twice_as_number_and_dict():
    with pytest.raises(pod_spec.PodSpecError, match=r"app 'web'\)\.ports\[1\]: port 8080 is listed twice"):
        pod_spec.normalize_containers(web_with_ports(8080, {'container_port': 8080, 'host_port': 18081}))


def test_container_port_in_two_apps_via_dict():
    apps = web_with_ports({'container_port': 8080, 'host_port': 18081})
    apps.append({'name': 'side', 'image': BUSYBOX, 'ports': [8080]})
    with pytest.raises(pod_spec.PodSpecError, match=r"^port 8080 is used by app 'web' and app 'side'"):
        pod_spec.normalize_containers(apps)


@pytest.mark.parametrize(
    'first_ip, second_ip, conflict',
    [
        (None, None, True),
        ('192.168.77.11', '192.168.77.11', True),
        (None, '192.168.77.11', True),
        ('192.168.77.11', None, True),
        ('192.168.77.11', '127.0.0.1', False),
    ],
)
def test_host_port_published_twice(first_ip, second_ip, conflict):
    first = {'container_port': 8080, 'host_port': 18081}
    second = {'container_port': 9090, 'host_port': 18081}
    for entry, ip in ((first, first_ip), (second, second_ip)):
        if ip:
            entry['host_ip'] = ip
    apps = web_with_ports(first)
    apps.append({'name': 'side', 'image': BUSYBOX, 'ports': [second]})
    if not conflict:
        assert len(pod_spec.desired_pod('demo', pod_spec.normalize_containers(apps), PAUSE, 'bridge', 'no', {})['host_ports']) == 2
        return
    with pytest.raises(pod_spec.PodSpecError) as exc:
        pod_spec.normalize_containers(apps)
    text = str(exc.value)
    assert text.startswith("containers[1] (app 'side').ports: host_port 18081/tcp")
    assert "port 8080 of app 'web' and port 9090 of app 'side'" in text


def test_same_host_port_other_protocol_is_fine():
    apps = web_with_ports({'container_port': 8080, 'host_port': 18081}, {'container_port': 8080, 'protocol': 'udp', 'host_port': 18081})
    assert [b['protocol'] for b in pod_spec.normalize_containers(apps)[0]['host_ports']] == ['tcp', 'udp']


def test_host_ports_are_in_the_infra_spec_only():
    plain = desired(web_with_ports(8080))
    published = desired(web_with_ports({'container_port': 8080, 'host_port': 18081}))
    assert published['infra']['spec']['ports'] == [{'container_port': 8080, 'host_port': 18081, 'protocol': 'tcp', 'host_ip': None}]
    assert published['host_ports'] == published['infra']['spec']['ports']
    assert '"host_port":18081' in published['infra']['labels'][dp.LABEL_SPEC]
    assert published['infra']['hash'] != plain['infra']['hash']
    assert published['apps'][0]['hash'] == plain['apps'][0]['hash']
    assert 'host_ports' not in published['apps'][0]['spec']
    other = desired(web_with_ports({'container_port': 8080, 'host_port': 18082}))
    assert other['infra']['hash'] != published['infra']['hash']


def test_hashes_without_host_ports_are_the_ones_from_before_host_ports():
    """Pods deployed before host ports existed must not be recreated: the hashes are computed here the
    way the module computed them then."""
    want = desired(web_with_ports(8080, {'container_port': 9090}))
    old_infra = {'image': PAUSE, 'network': 'bridge', 'restart_policy': 'unless-stopped', 'labels': {}, 'hostname': 'demo'}
    assert 'ports' not in want['infra']['spec']
    assert want['infra']['hash'] == dp.spec_hash({'v': 1, 'pod': 'demo', 'role': 'infra', 'spec': old_infra})
    old_app = {'name': 'web', 'image': BUSYBOX, 'command': ['httpd', '-f', '-p', '8080'], 'entrypoint': None, 'env': {}, 'ports': [8080, 9090], 'labels': {}}
    assert want['apps'][0]['hash'] == dp.spec_hash(
        {'v': 1, 'pod': 'demo', 'role': 'app', 'spec': old_app, 'restart_policy': 'unless-stopped', 'pod_labels': {}}
    )
    assert want['host_ports'] == []


def test_plan_host_port_change_recreates_infra_and_apps():
    before = desired(web_with_ports(8080))
    after = desired(web_with_ports({'container_port': 8080, 'host_port': 18081}))
    plan = pod_plan.plan_pod(after, facts_for(before))
    assert actions(plan) == ['recreate', 'recreate']
    assert plan['apps'][0]['reason'] == 'infra recreated'


def test_port_arguments_for_the_docker_sdk():
    ports, bindings = dp.port_arguments(
        [
            {'container_port': 8080, 'host_port': 18081, 'protocol': 'tcp', 'host_ip': None},
            {'container_port': 53, 'host_port': 1053, 'protocol': 'udp', 'host_ip': '192.168.77.11'},
        ]
    )
    assert sorted(ports) == [(53, 'udp'), (8080, 'tcp')]
    assert bindings == {'8080/tcp': [('', 18081)], '53/udp': [('192.168.77.11', 1053)]}
    assert dp.port_arguments([]) == (None, None)


def test_published_ports_read_from_port_bindings():
    host_config = {
        'PortBindings': {
            '8080/tcp': [{'HostIp': '', 'HostPort': '18081'}],
            '53/udp': [{'HostIp': '192.168.77.11', 'HostPort': '1053'}],
            '9000/tcp': [{'HostIp': '', 'HostPort': ''}],
        }
    }
    assert dp.published_ports(host_config) == [
        {'container_port': 53, 'host_port': 1053, 'protocol': 'udp', 'host_ip': '192.168.77.11'},
        {'container_port': 8080, 'host_port': 18081, 'protocol': 'tcp', 'host_ip': None},
    ]
    assert dp.published_ports({}) == [] and dp.published_ports({'PortBindings': None}) == []


# ----------------------------------------------------------------------------- spec hash


def test_spec_hash_is_sha256_of_canonical_json():
    expected = hashlib.sha256(b'{"a":[1,2],"b":{"c":"d"}}').hexdigest()
    assert dp.spec_hash({'b': {'c': 'd'}, 'a': [1, 2]}) == expected


def test_spec_hash_stable_across_equivalent_spellings():
    one = desired([{'name': 'web', 'image': BUSYBOX, 'command': 'httpd -f -p 8080', 'env': {'A': 1, 'B': 'x'}, 'ports': [8080, 81]}])
    two = desired([{'ports': ['81', 8080], 'env': {'B': 'x', 'A': '1'}, 'command': ['httpd', '-f', '-p', '8080'], 'image': BUSYBOX, 'name': 'web'}])
    assert one['apps'][0]['hash'] == two['apps'][0]['hash']
    assert one['infra']['hash'] == two['infra']['hash']


def test_changing_one_app_changes_only_its_hash():
    before = desired()
    apps = apps_spec()
    apps[0]['command'] = ['sleep', '7200']
    after = desired(apps)
    assert before['apps'][0]['hash'] != after['apps'][0]['hash']
    assert before['apps'][1]['hash'] == after['apps'][1]['hash']
    assert before['infra']['hash'] == after['infra']['hash']


def test_pod_labels_and_infra_image_change_hashes():
    base = desired()
    labelled = desired(labels={'team': 'net'})
    assert all(a['hash'] != b['hash'] for a, b in zip(base['apps'], labelled['apps']))
    other_pause = desired(infra_image='registry.k8s.io/pause:3.9')
    assert other_pause['infra']['hash'] != base['infra']['hash']
    assert [a['hash'] for a in other_pause['apps']] == [a['hash'] for a in base['apps']]


def test_spec_label_masks_env_values():
    want = desired()
    label = want['apps'][1]['labels'][dp.LABEL_SPEC]
    assert '"A":"sha256:' in label
    assert want['apps'][1]['labels'][dp.LABEL_POD] == 'demo'
    assert want['apps'][1]['labels'][dp.LABEL_APP] == 'web'
    assert want['apps'][1]['container_name'] == 'demo-web'


# ----------------------------------------------------------------------------- planning

INFRA_ID = 'i' * 64


def facts_for(want, infra_id=INFRA_ID, inode=4026531000, image_ids=None):
    """Containers as they are after a successful run for ``want``."""
    image_ids = image_ids or {}
    infra = {
        'id': infra_id,
        'name': want['infra']['name'],
        'role': 'infra',
        'app': None,
        'spec_hash': want['infra']['hash'],
        'status': 'running',
        'running': True,
        'image': want['infra']['image'],
        'image_id': image_ids.get(want['infra']['image'], 'sha256:p'),
        'network_mode': 'bridge',
        'networks': {'bridge': '10.244.72.2'},
        'ip_address': '10.244.72.2',
        'netns_inode': inode,
        'spec': want['infra']['spec'],
    }
    apps = []
    for n, app in enumerate(want['apps']):
        apps.append(
            {
                'id': 'a%d' % n * 32,
                'name': app['container_name'],
                'role': 'app',
                'app': app['name'],
                'spec_hash': app['hash'],
                'status': 'running',
                'running': True,
                'image': app['image'],
                'image_id': image_ids.get(app['image'], 'sha256:b'),
                'network_mode': 'container:%s' % infra_id,
                'networks': {},
                'ip_address': None,
                'netns_inode': inode,
                'spec': app['spec_label'],
            }
        )
    return [infra] + apps


def actions(plan):
    return [plan['infra']['action']] + [s['action'] for s in plan['apps']]


def test_plan_same_spec_keeps_everything():
    want = desired()
    plan = pod_plan.plan_pod(want, facts_for(want), {PAUSE: 'sha256:p', BUSYBOX: 'sha256:b'})
    assert actions(plan) == ['keep', 'keep', 'keep']
    assert plan['remove'] == []
    assert plan['changed'] is False
    assert pod_plan.plan_actions(plan) == []


def test_plan_new_pod_creates_all():
    plan = pod_plan.plan_pod(desired(), [])
    assert actions(plan) == ['create', 'create', 'create']
    assert pod_plan.plan_actions(plan) == ['created infra', 'created app sleeper', 'created app web']


def test_plan_changed_app_recreates_that_app_only():
    existing = facts_for(desired())
    apps = apps_spec()
    apps[1]['command'] = 'httpd -f -p 8081'
    plan = pod_plan.plan_pod(desired(apps), existing)
    assert actions(plan) == ['keep', 'keep', 'recreate']
    assert pod_plan.plan_actions(plan) == ['recreated app web (spec changed)']


def test_plan_infra_removed_by_hand_recreates_all_apps():
    want = desired()
    existing = facts_for(want)[1:]
    plan = pod_plan.plan_pod(want, existing)
    assert actions(plan) == ['create', 'recreate', 'recreate']
    assert {s['reason'] for s in plan['apps']} == {'infra recreated'}


def test_plan_infra_image_changed_recreates_all():
    existing = facts_for(desired())
    plan = pod_plan.plan_pod(desired(infra_image='registry.k8s.io/pause:3.9'), existing)
    assert actions(plan) == ['recreate', 'recreate', 'recreate']


def test_plan_retagged_image_recreates_the_container():
    want = desired()
    plan = pod_plan.plan_pod(want, facts_for(want), {PAUSE: 'sha256:p', BUSYBOX: 'sha256:new'})
    assert actions(plan) == ['keep', 'recreate', 'recreate']
    assert plan['apps'][0]['reason'] == 'image %s changed' % BUSYBOX


def test_plan_stopped_infra_is_started_and_apps_restarted():
    want = desired()
    existing = facts_for(want)
    existing[0].update(status='exited', running=False, netns_inode=None)
    existing[2].update(status='exited', running=False, netns_inode=None)
    plan = pod_plan.plan_pod(want, existing)
    assert actions(plan) == ['start', 'restart', 'start']


def test_plan_dead_infra_is_recreated():
    want = desired()
    existing = facts_for(want)
    existing[0].update(status='dead', running=False)
    assert actions(pod_plan.plan_pod(want, existing)) == ['recreate', 'recreate', 'recreate']


def test_plan_stopped_app_is_started():
    want = desired()
    existing = facts_for(want)
    existing[1].update(status='exited', running=False, netns_inode=None)
    assert actions(pod_plan.plan_pod(want, existing)) == ['keep', 'start', 'keep']


def test_plan_restarting_app_is_left_to_docker():
    want = desired()
    existing = facts_for(want)
    existing[1].update(status='restarting', running=False, netns_inode=None)
    assert actions(pod_plan.plan_pod(want, existing)) == ['keep', 'keep', 'keep']


def test_container_facts_of_a_crash_looping_container():
    attrs = {
        'Id': 'c' * 64,
        'Name': '/demo-web',
        'Image': 'sha256:b',
        'Config': {'Image': BUSYBOX, 'Labels': {dp.LABEL_POD: 'demo', dp.LABEL_ROLE: 'app', dp.LABEL_APP: 'web', dp.LABEL_SPEC: '{"image":"x"}'}},
        'State': {'Status': 'restarting', 'Running': True, 'Restarting': True, 'Pid': 0, 'ExitCode': 1},
        'HostConfig': {'NetworkMode': 'container:' + INFRA_ID},
        'NetworkSettings': {'Networks': {}},
    }
    facts = dp.container_facts(attrs)
    got = (facts['name'], facts['pod'], facts['app'], facts['running'], facts['exit_code'], facts['netns_inode'])
    assert got == ('demo-web', 'demo', 'web', False, 1, None)
    assert facts['spec'] == {'image': 'x'}


def test_netns_inode_reads_proc(tmp_path):
    (tmp_path / '42' / 'ns').mkdir(parents=True)
    (tmp_path / '42' / 'ns' / 'net').write_text('')
    assert dp.netns_inode(42, str(tmp_path)) == (tmp_path / '42' / 'ns' / 'net').stat().st_ino
    assert dp.netns_inode(43, str(tmp_path)) is None
    assert dp.netns_inode(0, str(tmp_path)) is None


def test_plan_app_in_another_netns_is_restarted():
    want = desired()
    existing = facts_for(want)
    existing[2]['netns_inode'] = 4026539999
    plan = pod_plan.plan_pod(want, existing)
    assert actions(plan) == ['keep', 'keep', 'restart']


def test_plan_app_joined_to_an_old_infra_is_recreated():
    want = desired()
    existing = facts_for(want)
    existing[1]['network_mode'] = 'container:' + 'o' * 64
    assert actions(pod_plan.plan_pod(want, existing)) == ['keep', 'recreate', 'keep']


def test_plan_removes_apps_not_in_spec_and_duplicates():
    want = desired()
    existing = facts_for(want)
    old = dict(existing[1], id='x' * 64, name='demo-old', app='old')
    second_infra = dict(existing[0], id='y' * 64, name='demo-infra-copy', running=False, status='exited')
    plan = pod_plan.plan_pod(want, existing + [old, second_infra])
    assert actions(plan) == ['keep', 'keep', 'keep']
    assert sorted(s['name'] for s in plan['remove']) == ['demo-infra-copy', 'demo-old']
    assert plan['changed'] is True


def test_plan_restarted_restarts_infra_then_apps():
    want = desired()
    plan = pod_plan.plan_pod(want, facts_for(want), restart=True)
    assert actions(plan) == ['restart', 'restart', 'restart']


def test_images_needed_only_for_created_containers():
    existing = facts_for(desired())
    apps = apps_spec()
    apps[1]['image'] = 'other:1'
    want = desired(apps)
    plan = pod_plan.plan_pod(want, existing)
    assert pod_plan.images_needed(want, plan) == {'other:1': ['app web']}
    fresh = desired()
    assert pod_plan.images_needed(fresh, pod_plan.plan_pod(fresh, [])) == {PAUSE: ['infra'], BUSYBOX: ['app sleeper', 'app web']}


def test_split_image_ref():
    assert dp.split_image_ref('registry.k8s.io/pause:3.10') == ('registry.k8s.io/pause', '3.10')
    assert dp.split_image_ref('localhost:5000/busybox') == ('localhost:5000/busybox', 'latest')
    assert dp.split_image_ref('busybox@sha256:abc') == ('busybox', 'sha256:abc')


# ----------------------------------------------------------------------------- pod_info


def test_pod_info_health_and_shared_netns():
    want = desired()
    existing = facts_for(want)
    for item in existing:
        item['pod'] = 'demo'
    pods = pod_info.summarize_pods(existing)
    assert pods[0]['healthy'] is True
    assert pods[0]['pod_ip'] == '10.244.72.2'
    assert [c['shares_netns'] for c in pods[0]['containers']] == [True, True]
    existing[2]['netns_inode'] = 1
    pods = pod_info.summarize_pods(existing)
    assert pods[0]['healthy'] is False
    assert [c['shares_netns'] for c in pods[0]['containers']] == [True, False]
    existing[2].update(netns_inode=None, running=False, status='restarting')
    assert pod_info.summarize_pods(existing)[0]['healthy'] is False


def test_pod_info_falls_back_to_network_mode_without_inodes():
    want = desired()
    existing = facts_for(want, inode=None)
    for item in existing:
        item['pod'] = 'demo'
    existing[1]['network_mode'] = 'container:other'
    assert [c['shares_netns'] for c in pod_info.summarize_pods(existing)[0]['containers']] == [False, True]


# ----------------------------------------------------------------------------- whole runs on a fake Docker API


class FakeAPI:
    """The calls docker_pod makes on docker.APIClient, on an in-memory engine."""

    def __init__(self, images=None):
        self.images = dict(images or {})  # reference -> image id
        self.store = {}  # id -> attrs
        self.calls = []
        self.fail_create = set()  # container names whose creation fails
        self.created_kwargs = {}  # container name -> the ports and host config it was created with
        self.pull_error = 'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host'
        self._ids = itertools.count(1)
        self._pids = itertools.count(100)

    def ping(self):
        return True

    def containers(self, all=False, filters=None):  # pylint: disable=redefined-builtin
        label = (filters or {}).get('label')
        out = []
        for cid, attrs in self.store.items():
            labels = attrs['Config']['Labels']
            if label:
                key, sep, value = label.partition('=')
                if key not in labels or (sep and labels[key] != value):
                    continue
            out.append({'Id': cid, 'Names': [attrs['Name']]})
        return out

    def inspect_container(self, cid):
        if cid not in self.store:
            raise dp.NotFound('No such container: %s' % cid)
        return self.store[cid]

    def inspect_image(self, ref):
        if ref not in self.images:
            raise dp.ImageNotFound('No such image: %s' % ref)
        return {'Id': self.images[ref]}

    def create_host_config(self, network_mode=None, restart_policy=None, port_bindings=None):
        config = {'NetworkMode': network_mode, 'RestartPolicy': restart_policy}
        if port_bindings:  # as docker.utils.convert_port_bindings makes them
            config['PortBindings'] = dict((key, [{'HostIp': ip, 'HostPort': str(port)} for ip, port in value]) for key, value in port_bindings.items())
        return config

    def create_container(self, image, name=None, command=None, entrypoint=None, environment=None, labels=None, host_config=None, hostname=None, ports=None):
        self.calls.append(('create', name))
        self.created_kwargs[name] = {'ports': ports, 'host_config': host_config}
        if name in self.fail_create:
            raise dp.APIError('OCI runtime create failed: exec: "nope": executable file not found in $PATH')
        if any(a['Name'] == '/' + name for a in self.store.values()):
            raise dp.APIError('Conflict. The container name "/%s" is already in use' % name)
        if image not in self.images:
            raise dp.ImageNotFound('No such image: %s' % image)
        cid = '%064d' % next(self._ids)
        self.store[cid] = {
            'Id': cid,
            'Name': '/' + name,
            'Image': self.images[image],
            'Config': {'Image': image, 'Labels': dict(labels or {}), 'Cmd': command, 'Entrypoint': entrypoint},
            'State': {'Status': 'created', 'Running': False, 'Pid': 0},
            'HostConfig': dict(host_config or {}),
            'NetworkSettings': {'Networks': {}, 'IPAddress': ''},
        }
        return {'Id': cid}

    def start(self, cid):
        self.calls.append(('start', self.store[cid]['Name'][1:]))
        attrs = self.store[cid]
        attrs['State'].update(Status='running', Running=True, Pid=next(self._pids))
        if not attrs['HostConfig']['NetworkMode'].startswith('container:'):
            attrs['NetworkSettings'] = {'Networks': {'bridge': {'IPAddress': '10.244.72.%d' % (int(cid) + 1)}}, 'IPAddress': ''}

    def restart(self, cid, timeout=None):
        self.calls.append(('restart', self.store[cid]['Name'][1:]))
        self.start(cid)

    def stop(self, cid, timeout=None):
        self.calls.append(('stop', self.store[cid]['Name'][1:]))
        self.store[cid]['State'].update(Status='exited', Running=False, Pid=0)

    def remove_container(self, cid, force=False):
        if cid not in self.store:
            raise dp.NotFound('No such container: %s' % cid)
        self.calls.append(('remove', self.store[cid]['Name'][1:]))
        del self.store[cid]

    def pull(self, repository, tag=None, stream=False, decode=False):
        self.calls.append(('pull', '%s:%s' % (repository, tag)))
        yield {'status': 'Pulling from %s' % repository}
        yield {'error': self.pull_error}

    # test helpers
    def by_name(self, name):
        for cid, attrs in self.store.items():
            if attrs['Name'] == '/' + name:
                return cid
        return None

    def add_foreign(self, name):
        self.store['f' * 64] = {
            'Id': 'f' * 64,
            'Name': '/' + name,
            'Image': 'sha256:b',
            'Config': {'Image': BUSYBOX, 'Labels': {}},
            'State': {'Status': 'running', 'Running': True, 'Pid': 1},
            'HostConfig': {'NetworkMode': 'bridge'},
            'NetworkSettings': {},
        }


class FakeClient:
    def __init__(self, api):
        self.api = api


@pytest.fixture
def engine(monkeypatch):
    api = FakeAPI({PAUSE: 'sha256:p', BUSYBOX: 'sha256:b'})
    monkeypatch.setattr(dp, 'connect', lambda module: FakeClient(api))
    return api


def pod_args(**kwargs):
    args = {'name': 'demo', 'containers': apps_spec(), 'stop_timeout': 0}
    args.update(kwargs)
    return args


def test_run_create_then_unchanged(engine, run_module):
    first = run_module(pod, pod_args(), diff=True)
    assert first['changed'] is True, first
    assert first['actions'] == ['created infra', 'created app sleeper', 'created app web']
    assert sorted(a['Name'] for a in engine.store.values()) == ['/demo-infra', '/demo-sleeper', '/demo-web']
    infra_id = engine.by_name('demo-infra')
    for name in ('demo-sleeper', 'demo-web'):
        assert engine.store[engine.by_name(name)]['HostConfig']['NetworkMode'] == 'container:%s' % infra_id
        assert engine.store[engine.by_name(name)]['HostConfig']['RestartPolicy'] == {'Name': 'unless-stopped'}
    assert engine.store[engine.by_name('demo-web')]['Config']['Cmd'] == ['httpd', '-f', '-p', '8080']
    assert first['pod_ip'] == '10.244.72.2'
    assert first['infra']['id'] == infra_id
    assert [c['name'] for c in first['containers']] == ['sleeper', 'web']
    assert first['diff']['before'] == {}
    assert first['diff']['after']['containers']['web']['command'] == ['httpd', '-f', '-p', '8080']

    second = run_module(pod, pod_args())
    assert second['changed'] is False, second
    assert second['actions'] == []


def test_run_publishes_host_ports_on_the_infra_container(engine, run_module):
    apps = apps_spec()
    apps[1]['ports'] = [{'container_port': 8080, 'host_port': 18081}]
    first = run_module(pod, pod_args(containers=apps))
    assert first['changed'] is True, first
    infra = engine.created_kwargs['demo-infra']
    assert infra['ports'] == [(8080, 'tcp')]
    assert infra['host_config']['PortBindings'] == {'8080/tcp': [{'HostIp': '', 'HostPort': '18081'}]}
    for name in ('demo-sleeper', 'demo-web'):
        assert engine.created_kwargs[name]['ports'] is None
        assert 'PortBindings' not in engine.created_kwargs[name]['host_config']
    expected = [{'container_port': 8080, 'host_port': 18081, 'protocol': 'tcp', 'host_ip': None}]
    assert first['host_ports'] == expected
    again = run_module(pod, pod_args(containers=apps))
    assert again['changed'] is False and again['host_ports'] == expected
    info = run_module(pod_info, {'name': 'demo'})
    assert info['pods'][0]['host_ports'] == expected
    apps[1]['ports'] = [8080]
    dropped = run_module(pod, pod_args(containers=apps))
    assert dropped['actions'][0] == 'recreated infra (spec changed)', dropped
    assert dropped['host_ports'] == []
    assert 'PortBindings' not in engine.created_kwargs['demo-infra']['host_config']


def test_run_check_mode_returns_the_host_ports_it_would_publish(engine, run_module):
    apps = apps_spec()
    apps[1]['ports'] = [{'container_port': 8080, 'host_port': 18081, 'host_ip': '127.0.0.1'}]
    result = run_module(pod, pod_args(containers=apps), check_mode=True)
    assert result['host_ports'] == [{'container_port': 8080, 'host_port': 18081, 'protocol': 'tcp', 'host_ip': '127.0.0.1'}]
    assert engine.store == {}


def test_run_bad_host_port_fails_before_docker(engine, run_module):
    apps = apps_spec()
    apps[1]['ports'] = [{'container_port': 8080, 'host_port': 0}]
    result = run_module(pod, pod_args(containers=apps))
    assert result['failed'] is True
    assert result['msg'] == "pod demo: containers[1] (app 'web').ports[0].host_port: 0 is out of range 1..65535"
    assert engine.calls == []


def test_run_changed_command_recreates_one_app(engine, run_module):
    run_module(pod, pod_args())
    ids = dict((a['Name'], cid) for cid, a in engine.store.items())
    apps = apps_spec()
    apps[0]['command'] = ['sleep', '7200']
    result = run_module(pod, pod_args(containers=apps), diff=True)
    assert result['actions'] == ['recreated app sleeper (spec changed)']
    after = dict((a['Name'], cid) for cid, a in engine.store.items())
    assert after['/demo-infra'] == ids['/demo-infra'] and after['/demo-web'] == ids['/demo-web']
    assert after['/demo-sleeper'] != ids['/demo-sleeper']
    assert result['diff']['before']['containers']['sleeper']['command'] == ['sleep', '3600']
    assert result['diff']['after']['containers']['sleeper']['command'] == ['sleep', '7200']


def test_run_infra_removed_recreates_all(engine, run_module):
    run_module(pod, pod_args())
    del engine.store[engine.by_name('demo-infra')]
    result = run_module(pod, pod_args())
    assert result['actions'] == ['created infra', 'recreated app sleeper (infra recreated)', 'recreated app web (infra recreated)']
    infra_id = engine.by_name('demo-infra')
    assert {a['HostConfig']['NetworkMode'] for a in engine.store.values() if a['Name'] != '/demo-infra'} == {'container:%s' % infra_id}


def test_run_failed_app_creation_removes_what_the_run_created(engine, run_module):
    engine.fail_create.add('demo-web')
    result = run_module(pod, pod_args())
    assert result['failed'] is True
    assert 'created app web failed: OCI runtime create failed' in result['msg']
    assert 'removed the containers this run had created: demo-sleeper, demo-infra' in result['msg']
    assert engine.store == {}


def test_run_missing_image_never_pulled_fails_before_creating(engine, run_module):
    apps = apps_spec()
    apps[1]['image'] = 'podtest/missing:1'
    result = run_module(pod, pod_args(containers=apps, pull='never'))
    assert result['failed'] is True
    assert result['msg'].startswith('image podtest/missing:1 (needed by app web) is not present on this node and pull=never')
    assert not [c for c in engine.calls if c[0] == 'create']


def test_run_failed_pull_is_reported_clearly(engine, run_module):
    apps = apps_spec()
    apps[1]['image'] = 'podtest/missing:1'
    result = run_module(pod, pod_args(containers=apps))
    assert result['failed'] is True
    assert 'image podtest/missing:1 (needed by app web) is not present on this node and pulling it failed' in result['msg']
    assert 'no such host' in result['msg']
    assert ('pull', 'podtest/missing:1') in engine.calls
    assert engine.store == {}


def test_run_name_taken_by_foreign_container(engine, run_module):
    engine.add_foreign('demo-web')
    result = run_module(pod, pod_args())
    assert result['failed'] is True
    assert 'container name demo-web is taken by container ffffffffffff' in result['msg']
    assert len(engine.store) == 1


def test_run_check_mode_creates_nothing(engine, run_module):
    result = run_module(pod, pod_args(), check_mode=True)
    assert result['changed'] is True
    assert result['actions'] == ['created infra', 'created app sleeper', 'created app web']
    assert result['infra']['id'] is None
    assert engine.store == {}


def test_run_absent_removes_everything(engine, run_module):
    run_module(pod, pod_args())
    engine.add_foreign('unrelated')
    result = run_module(pod, {'name': 'demo', 'state': 'absent', 'stop_timeout': 0})
    assert result['changed'] is True
    assert result['actions'] == ['removed demo-sleeper', 'removed demo-web', 'removed demo-infra']
    assert [a['Name'] for a in engine.store.values()] == ['/unrelated']
    again = run_module(pod, {'name': 'demo', 'state': 'absent'})
    assert again['changed'] is False


def test_run_unknown_key_fails_before_docker(monkeypatch, run_module):
    def no_docker(module):
        raise AssertionError('docker contacted')

    monkeypatch.setattr(dp, 'connect', no_docker)
    apps = apps_spec()
    apps[0]['imagee'] = 'x'
    result = run_module(pod, pod_args(containers=apps))
    assert result['failed'] is True
    assert "pod demo: containers[0] (app 'sleeper'): unknown key 'imagee'; allowed keys are name, image" in result['msg']


def test_missing_sdk_uses_missing_required_lib(monkeypatch, run_module):
    monkeypatch.setattr(dp, 'HAS_DOCKER', False)
    result = run_module(pod_info, {})
    assert result['failed'] is True
    assert 'docker (Docker SDK for Python) >= 5.0.3' in result['msg']
