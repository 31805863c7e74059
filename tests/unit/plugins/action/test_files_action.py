# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests for the files action plugin: one read of the host, writes only for what differs,
and an honest result when a write fails after others. The host (path_info, file, copy) is faked."""

from __future__ import annotations

import hashlib
from unittest import mock

import pytest
from ansible.plugins.action import ActionBase

from ansible_collections.podnet.flannel.plugins.action import files as action_mod


def entry(path, data=None, mode='0644'):
    have = {'path': path, 'mode': mode, 'pw_name': 'root', 'gr_name': 'root', 'isdir': data is None, 'isreg': data is not None}
    if data is not None:
        have['checksum'] = hashlib.sha1(data).hexdigest()
    return have


def make_action(items, on_host, write_results):
    """An action whose path_info answers `on_host` and whose writes answer `write_results` by path."""
    task = mock.MagicMock()
    task.args = {'files': items}
    task.diff = False
    action = action_mod.ActionModule(task, mock.MagicMock(), mock.MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    calls = []

    def execute_module(module_name, module_args, task_vars):
        calls.append((module_name, module_args))
        if module_name == action_mod.PATH_INFO:
            return {'files': on_host}
        return write_results[module_args['path']]

    def write(want, task_vars):
        if want['item'].get('state') == 'directory':
            return execute_module('ansible.legacy.file', {'path': want['path']}, task_vars)
        calls.append(('ansible.legacy.copy', {'dest': want['path']}))
        return write_results[want['path']]

    action._execute_module = execute_module
    action._write = write
    action._remove_tmp_path = mock.MagicMock()
    action._connection._shell.tmpdir = None
    return action, calls


@pytest.fixture(autouse=True)
def no_base_run(monkeypatch):
    monkeypatch.setattr(ActionBase, 'run', lambda self, tmp=None, task_vars=None: {})


def test_nothing_differs_one_read_no_write():
    items = [{'path': '/etc/x', 'state': 'directory', 'mode': '0755'}, {'path': '/etc/x/a', 'content': 'A\n', 'mode': '0644'}]
    action, calls = make_action(items, [entry('/etc/x', mode='0755'), entry('/etc/x/a', b'A\n')], {})
    result = action.run(task_vars={})
    assert result['changed'] is False and result['changed_paths'] == [] and result['paths'] == ['/etc/x', '/etc/x/a']
    assert [c[0] for c in calls] == [action_mod.PATH_INFO]


def test_only_what_differs_is_written():
    items = [{'path': '/etc/x', 'state': 'directory'}, {'path': '/etc/x/a', 'content': 'A\n'}, {'path': '/etc/x/b', 'content': 'B\n'}]
    action, calls = make_action(items, [entry('/etc/x'), entry('/etc/x/a', b'old\n')], {'/etc/x/a': {'changed': True}, '/etc/x/b': {'changed': True}})
    result = action.run(task_vars={})
    assert result['changed'] is True and result['changed_paths'] == ['/etc/x/a', '/etc/x/b']
    assert calls[1:] == [('ansible.legacy.copy', {'dest': '/etc/x/a'}), ('ansible.legacy.copy', {'dest': '/etc/x/b'})]


def test_a_failed_write_still_reports_the_writes_before_it():
    items = [{'path': '/etc/x/a', 'content': 'A\n'}, {'path': '/etc/x/b', 'state': 'directory'}, {'path': '/etc/x/c', 'content': 'C\n'}]
    action, calls = make_action(
        items, [entry('/etc/x/b', b'a file\n')], {'/etc/x/a': {'changed': True}, '/etc/x/b': {'failed': True, 'msg': 'exists as a file'}}
    )
    result = action.run(task_vars={})
    assert result['failed'] is True and 'writing /etc/x/b failed: exists as a file' in result['msg']
    assert result['changed'] is True and result['changed_paths'] == ['/etc/x/a']
    # Nothing after the failed item is written.
    assert ('ansible.legacy.copy', {'dest': '/etc/x/c'}) not in calls


def test_a_bad_item_asks_the_host_nothing():
    action, calls = make_action([{'path': 'relative', 'content': 'x'}], [], {})
    result = action.run(task_vars={})
    assert result['failed'] is True and result['changed'] is False and 'files[0]: path must be an absolute path' in result['msg']
    assert calls == []
