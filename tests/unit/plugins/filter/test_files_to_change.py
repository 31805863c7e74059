# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests for the files_to_change filter: what one find saw on a host against what should be there.

`found` entries have the shape ansible.builtin.find returns with get_checksum: true; their
checksums are computed here from the bytes written, not copied from the filter.
"""

from __future__ import annotations

import hashlib

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.podnet.flannel.plugins.filter.files_to_change import files_to_change


@pytest.fixture
def src(tmp_path):
    (tmp_path / 'ca.crt').write_bytes(b'CA\n')
    (tmp_path / 'client.key').write_bytes(b'KEY\n')
    return tmp_path


def wanted(src):
    return [
        {'src': str(src / 'ca.crt'), 'dest': '/etc/pki/ca.crt', 'mode': '0644', 'owner': 'root', 'group': 'etcd'},
        {'src': str(src / 'client.key'), 'dest': '/etc/pki/client.key', 'mode': '0600', 'owner': 'root', 'group': 'root'},
    ]


def found_entry(path, content, mode='0644', owner='root', group='root'):
    return {'path': path, 'checksum': hashlib.sha1(content).hexdigest(), 'mode': mode, 'pw_name': owner, 'gr_name': group, 'isreg': True, 'isdir': False}


def found_dir(path, mode='0755', owner='root', group='root'):
    return {'path': path, 'mode': mode, 'pw_name': owner, 'gr_name': group, 'isreg': False, 'isdir': True}


def installed():
    return [found_entry('/etc/pki/ca.crt', b'CA\n', group='etcd'), found_entry('/etc/pki/client.key', b'KEY\n', mode='0600')]


def test_nothing_to_copy_when_host_matches(src):
    assert files_to_change(wanted(src), installed()) == []


def test_missing_destination(src):
    assert files_to_change(wanted(src), installed()[:1]) == wanted(src)[1:]


def test_other_content(src):
    found = installed()
    found[0] = found_entry('/etc/pki/ca.crt', b'OLD CA\n', group='etcd')
    assert files_to_change(wanted(src), found) == wanted(src)[:1]


@pytest.mark.parametrize('field, value', [('mode', '0640'), ('pw_name', 'etcd'), ('gr_name', 'root')])
def test_other_mode_owner_or_group(src, field, value):
    found = installed()
    found[0][field] = value
    assert files_to_change(wanted(src), found) == wanted(src)[:1]


def test_unreadable_source_is_returned_so_the_copy_names_it(src):
    items = wanted(src)
    items[1]['src'] = str(src / 'nope.key')
    assert files_to_change(items, installed()) == items[1:]


def test_unset_owner_and_mode_are_not_compared(src):
    items = [{'src': str(src / 'ca.crt'), 'dest': '/etc/pki/ca.crt'}]
    found = [found_entry('/etc/pki/ca.crt', b'CA\n', mode='0777', owner='nobody', group='nogroup')]
    assert files_to_change(items, found) == []


def test_find_without_checksums_copies_everything(src):
    found = installed()
    for entry in found:
        del entry['checksum']
    assert files_to_change(wanted(src), found) == wanted(src)


def test_content_is_compared_as_utf8_text():
    items = [{'dest': '/etc/etcd/etcd.env', 'content': 'ETCD_NAME=nöde1\n', 'mode': '0644'}]
    same = [found_entry('/etc/etcd/etcd.env', 'ETCD_NAME=nöde1\n'.encode('utf-8'))]
    other = [found_entry('/etc/etcd/etcd.env', b'ETCD_NAME=node1\n')]
    assert files_to_change(items, same) == []
    assert files_to_change(items, other) == items


def test_directory_missing_file_in_its_place_or_other_mode():
    items = [{'dest': '/etc/etcd/pki', 'state': 'directory', 'mode': '0750', 'owner': 'root', 'group': 'etcd'}]
    assert files_to_change(items, [found_dir('/etc/etcd/pki', mode='0750', group='etcd')]) == []
    assert files_to_change(items, []) == items
    assert files_to_change(items, [found_entry('/etc/etcd/pki', b'')]) == items
    assert files_to_change(items, [found_dir('/etc/etcd/pki', mode='0755', group='etcd')]) == items


def test_a_directory_where_a_file_should_be(src):
    found = installed()
    found[0] = found_dir('/etc/pki/ca.crt', mode='0644', group='etcd')
    assert files_to_change(wanted(src), found) == wanted(src)[:1]


@pytest.mark.parametrize('items, found', [('a', []), ([{'src': 'x'}], []), ([{'dest': 'x'}], []), ([], None)])
def test_bad_input_is_an_error(items, found):
    with pytest.raises(AnsibleFilterError, match='files_to_change'):
        files_to_change(items, found)
