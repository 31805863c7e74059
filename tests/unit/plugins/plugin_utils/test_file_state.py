# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests for plugin_utils.file_state: item checks and what differs from one path_info answer.

Host entries are built here with checksums computed from the bytes, as path_info reports them.
"""

from __future__ import annotations

import hashlib

import pytest

from ansible_collections.podnet.flannel.plugins.plugin_utils.file_state import differs, item_errors, mode_bits


def entry(path, data=None, mode='0644', owner='root', group='root'):
    have = {'path': path, 'mode': mode, 'pw_name': owner, 'gr_name': group, 'isdir': data is None, 'isreg': data is not None}
    if data is not None:
        have['checksum'] = hashlib.sha1(data).hexdigest()
    return have


def test_good_items_have_no_errors():
    items = [
        {'path': '/etc/x', 'state': 'directory', 'mode': '0755'},
        {'path': '/etc/x/a', 'template': 'a.j2', 'mode': '0644'},
        {'dest': '/etc/x/b', 'content': 'b\n', 'mode': 0o600, 'owner': 'root', 'group': 'root'},
        {'path': '/etc/x/c', 'src': '/srv/c'},
    ]
    assert item_errors(items) == []


@pytest.mark.parametrize(
    'item, message',
    [
        ({'path': 'rel', 'content': 'x'}, 'files[0]: path must be an absolute path'),
        ({'content': 'x'}, 'files[0]: path must be an absolute path'),
        ({'path': '/a'}, 'files[0]: give exactly one of content, src, template (got none)'),
        ({'path': '/a', 'content': 'x', 'src': '/b'}, 'files[0]: give exactly one of content, src, template (got content, src)'),
        ({'path': '/a', 'state': 'directory', 'content': 'x'}, 'files[0]: a directory takes no content'),
        ({'path': '/a', 'state': 'absent'}, 'files[0]: state must be one of file, directory'),
        ({'path': '/a', 'content': 'x', 'mode': 'rw'}, 'files[0]: mode must be octal'),
        ({'path': '/a', 'content': 'x', 'force': True}, 'files[0]: unknown keys force'),
        ('/a', 'files[0]: expects a dict'),
    ],
)
def test_bad_item_is_named(item, message):
    errors = item_errors([item])
    assert len(errors) == 1 and errors[0].startswith(message), errors


def test_a_path_twice_and_not_a_list():
    assert item_errors([{'path': '/a', 'content': 'x'}, {'path': '/a', 'content': 'y'}]) == ['files[1]: /a is listed twice']
    assert item_errors({'path': '/a'}, name='etcd files') == ['etcd files: expects a list of dicts, got dict']


def test_modes():
    assert mode_bits('0644') == mode_bits('644') == mode_bits(0o644) == 420
    assert mode_bits(None) is None
    with pytest.raises(ValueError):
        mode_bits(True)


def test_content_checksum_mode_owner_decide():
    item = {'path': '/a', 'content': 'A=1\n', 'mode': '0600', 'owner': 'root', 'group': 'etcd'}
    assert not differs(item, entry('/a', b'A=1\n', mode='0600', group='etcd'))
    assert differs(item, None)
    assert differs(item, entry('/a', b'A=2\n', mode='0600', group='etcd'))
    assert differs(item, entry('/a', b'A=1\n', mode='0644', group='etcd'))
    assert differs(item, entry('/a', b'A=1\n', mode='0600', group='root'))
    assert differs(item, entry('/a', b'A=1\n', mode='0600', owner='etcd', group='etcd'))
    # A directory where a file should be.
    assert differs(item, entry('/a', None, mode='0600', group='etcd'))


def test_given_checksum_wins_over_content():
    item = {'path': '/a', 'content': 'ignored'}
    assert not differs(item, entry('/a', b'rendered'), checksum=hashlib.sha1(b'rendered').hexdigest())


def test_directories_and_unset_fields():
    directory = {'path': '/d', 'state': 'directory'}
    assert not differs(directory, entry('/d', None, mode='0700', owner='nobody'))
    assert differs(directory, entry('/d', b'a file'))
    assert differs({'path': '/d', 'state': 'directory', 'mode': '0755'}, entry('/d', None, mode='0700'))


def test_controller_source(tmp_path):
    src = tmp_path / 'ca.crt'
    src.write_bytes(b'CA\n')
    assert not differs({'path': '/ca', 'src': str(src)}, entry('/ca', b'CA\n'))
    assert differs({'path': '/ca', 'src': str(src)}, entry('/ca', b'old CA\n'))
    # An unreadable source differs, so that its copy fails and names it.
    assert differs({'path': '/ca', 'src': str(tmp_path / 'missing')}, entry('/ca', b'CA\n'))
