# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests for module_utils/files.py (atomic writes) and module_utils/envfile.py (the one
environment-file reader behind subnet.env and EnvironmentFile=)."""

from __future__ import annotations

import os
import stat

import pytest

from ansible_collections.podnet.flannel.plugins.module_utils import envfile, files
from ansible_collections.podnet.flannel.plugins.module_utils.flannel import parse_subnet_env


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_write_atomic_new_file_gets_mode_and_parents(tmp_path):
    path = str(tmp_path / 'a' / 'b' / 'f.txt')
    files.write_atomic(path, b'one\n', mode=0o640)
    assert files.read_bytes(path) == b'one\n'
    assert mode(path) == 0o640
    assert os.listdir(str(tmp_path / 'a' / 'b')) == ['f.txt']  # no temporary file left


def test_write_atomic_existing_file_keeps_its_mode(tmp_path):
    path = str(tmp_path / 'f.txt')
    files.write_atomic(path, b'one\n', mode=0o600)
    files.write_atomic(path, b'two\n', mode=0o644)
    assert files.read_text(path) == 'two\n'
    assert mode(path) == 0o600


def test_write_atomic_uses_the_given_move(tmp_path):
    moves = []
    path = str(tmp_path / 'f.txt')
    files.write_atomic(path, b'x', move=lambda src, dst: moves.append((os.path.dirname(src), dst)) or os.replace(src, dst))
    assert moves == [(str(tmp_path), path)]


def test_write_atomic_parent_is_a_file(tmp_path):
    (tmp_path / 'file').write_text('x')
    with pytest.raises(OSError):
        files.write_atomic(str(tmp_path / 'file' / 'f.txt'), b'x')


def test_read_missing_file_is_none(tmp_path):
    assert files.read_bytes(str(tmp_path / 'none')) is None
    assert files.read_bytes(str(tmp_path / 'none' / 'deeper')) is None
    assert files.read_text(str(tmp_path / 'none')) is None


def test_assignments_lines():
    text = '# c\n\nexport A = "1"\nB=\'two words\'\nnot an assignment\n; semi=1\nC=3=4\n'
    assert list(envfile.assignments(text)) == [
        (3, 'export A = "1"', 'A', '1'),
        (4, "B='two words'", 'B', 'two words'),
        (5, 'not an assignment', 'not an assignment', None),
        (6, '; semi=1', '; semi', '1'),
        (7, 'C=3=4', 'C', '3=4'),
    ]


def test_env_file_skips_what_systemd_skips():
    assert envfile.parse_env_file('A=1\n; comment=2\nnot an assignment\n9X=3\nB="q"\n') == {'A': '1', 'B': 'q'}
    assert envfile.parse_env_file(None) == {}


def test_subnet_env_refuses_what_is_not_an_assignment():
    with pytest.raises(ValueError, match=r"line 2 is not NAME=value: 'oops'"):
        parse_subnet_env('FLANNEL_MTU=1450\noops\n')
    assert parse_subnet_env('export FLANNEL_MTU="1450"\n# c\nFLANNEL_IPMASQ=true\n') == {'mtu': 1450, 'ipmasq': True}
