# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests for the path_info module on a real temporary tree, and its output fed to the
files_to_change filter (the files action compares the same way)."""

from __future__ import annotations

import hashlib
import os

from ansible_collections.podnet.flannel.plugins.filter.files_to_change import files_to_change
from ansible_collections.podnet.flannel.plugins.modules import path_info


def test_describes_existing_paths_in_order_and_lists_missing(tmp_path, run_module):
    (tmp_path / 'd').mkdir(mode=0o750)
    os.chmod(tmp_path / 'd', 0o750)
    (tmp_path / 'd' / 'f.env').write_bytes(b'A=1\n')
    os.chmod(tmp_path / 'd' / 'f.env', 0o640)
    os.symlink('f.env', tmp_path / 'd' / 'link')
    paths = [str(tmp_path / 'd' / 'f.env'), str(tmp_path / 'nope'), str(tmp_path / 'd'), str(tmp_path / 'd' / 'link')]
    result = run_module(path_info, {'paths': paths})
    assert result['changed'] is False
    assert result['missing'] == [str(tmp_path / 'nope')]
    assert [f['path'] for f in result['files']] == [paths[0], paths[2], paths[3]]
    f, d, link = result['files']
    assert (f['isreg'], f['isdir'], f['mode'], f['size']) == (True, False, '0640', 4)
    assert f['checksum'] == hashlib.sha1(b'A=1\n').hexdigest()
    assert (d['isdir'], d['mode']) == (True, '0750') and 'checksum' not in d
    assert link['islnk'] is True and link['isreg'] is False and 'checksum' not in link


def test_without_checksums(tmp_path, run_module):
    (tmp_path / 'f').write_bytes(b'x')
    result = run_module(path_info, {'paths': [str(tmp_path / 'f')], 'get_checksum': False})
    assert 'checksum' not in result['files'][0] and result['files'][0]['isreg'] is True


def test_probe_then_filter_finds_exactly_what_differs(tmp_path, run_module):
    (tmp_path / 'etc').mkdir()
    os.chmod(tmp_path / 'etc', 0o755)
    (tmp_path / 'etc' / 'same.env').write_text('X=1\n')
    (tmp_path / 'etc' / 'other.env').write_text('X=0\n')
    for name in ('same.env', 'other.env'):
        os.chmod(tmp_path / 'etc' / name, 0o644)
    wanted = [
        {'dest': str(tmp_path / 'etc'), 'state': 'directory', 'mode': '0755'},
        {'dest': str(tmp_path / 'etc' / 'same.env'), 'content': 'X=1\n', 'mode': '0644'},
        {'dest': str(tmp_path / 'etc' / 'other.env'), 'content': 'X=1\n', 'mode': '0644'},
        {'dest': str(tmp_path / 'etc' / 'new.env'), 'content': 'X=1\n', 'mode': '0644'},
    ]
    result = run_module(path_info, {'paths': [item['dest'] for item in wanted]})
    assert [item['dest'] for item in files_to_change(wanted, result['files'])] == [wanted[2]['dest'], wanted[3]['dest']]
