"""Unit tests for the pod_spec_errors filter: a whole pods_list checked before any pod is made."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.podnet.flannel.plugins.filter.pod_spec_errors import pod_spec_errors

GOOD = {'name': 'web', 'containers': [{'name': 'nginx', 'image': 'nginx:1.27', 'ports': [80]}]}


def test_valid_list_has_no_errors():
    assert pod_spec_errors([GOOD, {'name': 'db', 'containers': [{'name': 'pg', 'image': 'postgres:17'}]}]) == []
    assert pod_spec_errors([]) == []
    assert pod_spec_errors(None) == []


def test_every_bad_item_is_named_the_good_ones_are_not():
    errors = pod_spec_errors(
        [
            GOOD,
            {'name': 'bad-pod', 'containers': [{'name': 'web', 'image': 'busybox:1.36', 'colour': 'blue'}]},
            {'name': 'Bad Name!', 'containers': [{'name': 'a', 'image': 'busybox:1.36'}]},
        ]
    )
    assert len(errors) == 2
    assert errors[0].startswith('pods_list[1] (pod bad-pod): ') and "'colour'" in errors[0]
    assert errors[1].startswith('pods_list[2] (pod Bad Name!): name')
    assert not any('pods_list[0]' in e for e in errors)


@pytest.mark.parametrize(
    'pod, needle',
    [
        ('web', 'a pod is a dictionary'),
        ({'name': 'x', 'containers': [{'name': 'a', 'image': 'i'}], 'colour': 1}, "unknown key 'colour'"),
        ({'name': 'x', 'containers': [{'name': 'a', 'image': 'i'}], 'state': 'gone'}, "state 'gone'"),
        ({'name': 'x', 'containers': [{'name': 'a', 'image': 'i'}], 'restart_policy': 'sometimes'}, "restart_policy 'sometimes'"),
        ({'name': 'x'}, 'containers'),
    ],
)
def test_item_problems(pod, needle):
    errors = pod_spec_errors([pod])
    assert len(errors) == 1 and needle in errors[0]


def test_absent_pod_needs_no_containers():
    assert pod_spec_errors([{'name': 'old', 'state': 'absent'}]) == []


def test_two_pods_one_name():
    errors = pod_spec_errors([GOOD, dict(GOOD)])
    assert errors == ['pods_list[1] (pod web): the name is also the name of pods_list[0]; give each pod its own name']


def test_two_pods_one_host_port():
    a = {'name': 'a', 'containers': [{'name': 'x', 'image': 'i', 'ports': [{'container_port': 80, 'host_port': 8080}]}]}
    b = {'name': 'b', 'containers': [{'name': 'y', 'image': 'i', 'ports': [{'container_port': 81, 'host_port': 8080}]}]}
    errors = pod_spec_errors([a, b])
    assert len(errors) == 1 and '8080' in errors[0] and 'a/x' in errors[0] and 'b/y' in errors[0]


def test_not_a_list():
    with pytest.raises(AnsibleFilterError):
        pod_spec_errors({'name': 'web'})
