# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests for etcd_upgrade_problems: which version steps of a live etcd cluster are refused."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.podnet.flannel.plugins.filter.etcd_upgrade_problems import etcd_upgrade_problems


def live(*versions):
    # The shape of etcd_cluster_info's endpoints: member_name and version (None when down).
    return [{'endpoint': 'https://192.0.2.%d:2379' % (11 + i), 'member_name': 'node%d' % (i + 1), 'version': v} for i, v in enumerate(versions)]


@pytest.mark.parametrize(
    'versions,target',
    [
        (('3.5.16', '3.5.16', '3.5.16'), '3.5.35'),  # a patch upgrade
        (('3.5.35', '3.5.35', '3.5.35'), '3.6.14'),  # a minor upgrade from 3.5.26+
        (('3.5.35', '3.6.14', '3.5.35'), '3.6.14'),  # half way through it (a re-run)
        (('3.5.26', '3.5.30', '3.5.26'), 'v3.6.0'),
        (('3.4.23', '3.4.23', '3.4.23'), '3.5.35'),  # 3.4 to 3.5 is one minor step
        (('3.6.14', '3.6.14', '3.6.14'), '3.6.13'),  # a patch back within the minor version
        (('3.6.14', '3.6.14', '3.6.14'), '3.6.14'),  # nothing to do
        (('3.5.35', None, '3.5.35'), '3.6.14'),  # a member down has no version to judge
        ((), '3.6.14'),  # no live cluster (a new one)
    ],
)
def test_safe_steps_pass(versions, target):
    assert etcd_upgrade_problems(live(*versions), target) == []


def test_36_before_every_35_member_is_on_3526_names_those_members():
    problems = etcd_upgrade_problems(live('3.5.16', '3.5.35', '3.5.25'), '3.6.14')
    assert len(problems) == 1
    assert '3.5.26 or later' in problems[0]
    assert 'node1 (3.5.16)' in problems[0] and 'node3 (3.5.25)' in problems[0] and 'node2' not in problems[0]


def test_a_skipped_minor_version_is_refused():
    problems = etcd_upgrade_problems(live('3.4.23', '3.4.23', '3.4.23'), '3.6.14')
    assert len(problems) == 1 and 'skips a minor version' in problems[0] and 'newest 3.5 release' in problems[0]


def test_a_mixed_cluster_is_judged_by_its_oldest_member():
    problems = etcd_upgrade_problems(live('3.4.23', '3.5.35', '3.5.35'), '3.6.14')
    assert any('skips a minor version: node1 (3.4.23)' in p for p in problems)


def test_going_back_a_minor_version_is_refused():
    problems = etcd_upgrade_problems(live('3.6.14', '3.5.35', '3.5.35'), '3.5.35')
    assert len(problems) == 1 and 'older minor version' in problems[0] and 'node1 (3.6.14)' in problems[0]
    assert 'downgrade' in problems[0]


def test_enable_v2_is_refused_for_36_only():
    env = {'ETCD_ENABLE_V2': 'true'}
    assert etcd_upgrade_problems(live('3.5.35'), '3.5.35', env) == []
    problems = etcd_upgrade_problems(live('3.5.35'), '3.6.14', env)
    assert len(problems) == 1 and 'ETCD_ENABLE_V2' in problems[0] and 'etcd_extra_env' in problems[0]
    assert etcd_upgrade_problems(live('3.5.35'), '3.6.14', {'ETCD_ENABLE_V2': 'false'}) == []


def test_bad_input_is_named():
    with pytest.raises(AnsibleFilterError, match='not a version'):
        etcd_upgrade_problems(live('3.5.35'), 'latest')
    with pytest.raises(AnsibleFilterError, match='list'):
        etcd_upgrade_problems({'version': '3.5.35'}, '3.6.14')
    with pytest.raises(AnsibleFilterError, match='dict'):
        etcd_upgrade_problems(['3.5.35'], '3.6.14')
