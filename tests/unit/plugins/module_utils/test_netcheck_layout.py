# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""What each netcheck module_utils file brings with it: podnet.flannel.pod_probe runs on every node,
so Ansible ships it with the collection's module_utils it imports, and their imports in turn. Of the
netcheck files the probe needs the address parsing alone (netcheck_addr); the plan and the verdicts
stay on the controller (the netcheck_report action plugin)."""

from __future__ import annotations

import ast
import os

import pytest

ROOT = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'plugins')
PREFIX = 'ansible_collections.podnet.flannel.plugins.module_utils.'


def collection_module_utils(relpath):
    """The collection's module_utils files ``relpath`` imports (names without the package)."""
    with open(os.path.join(ROOT, relpath)) as handle:
        tree = ast.parse(handle.read())
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith(PREFIX):
                out.add(node.module[len(PREFIX) :])
            elif node.module == PREFIX.rstrip('.'):
                out.update(alias.name for alias in node.names)
    return out


def shipped(relpath):
    """Every collection module_utils file ``relpath`` needs, directly or through another one."""
    todo, seen = list(collection_module_utils(relpath)), set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(collection_module_utils(os.path.join('module_utils', name + '.py')))
    return seen


def test_pod_probe_ships_only_the_address_parsing():
    netcheck = set(name for name in shipped(os.path.join('modules', 'pod_probe.py')) if name.startswith('netcheck'))
    assert netcheck == {'netcheck_addr'}


@pytest.mark.parametrize(
    'name, needs',
    [
        ('netcheck_addr', set()),
        ('netcheck_topology', {'netcheck_addr'}),
        ('netcheck_plan', {'netcheck_addr', 'netcheck_topology'}),
        ('netcheck_verdict', {'netcheck_addr', 'netcheck_topology', 'netcheck_plan'}),
    ],
)
def test_netcheck_files_depend_one_way(name, needs):
    assert shipped(os.path.join('module_utils', name + '.py')) == needs


def test_no_netcheck_py_left():
    assert not os.path.exists(os.path.join(ROOT, 'module_utils', 'netcheck.py'))
