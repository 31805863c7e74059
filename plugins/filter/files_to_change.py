# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""files_to_change: which files and directories differ from what one find saw on a host.

Every ansible.builtin.copy, template or file task asks the host about its file in a round trip
of its own, even when nothing changes; on the lab's nodes each such call costs about 0.2 s of
CPU (the module's Python imports), so an idempotent run was mostly these questions. The roles
now read their files once (ansible.builtin.find with get_checksum: a "probe") and run copy,
template and file only over what this filter returns.
"""

from __future__ import annotations

import hashlib

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_bytes


def _sha1_file(path):
    digest = hashlib.sha1()
    with open(path, 'rb') as handle:
        for chunk in iter(lambda: handle.read(1048576), b''):
            digest.update(chunk)
    return digest.hexdigest()


def _mode(value):
    """'0644', '644', 0o644 or 420 -> 420; None stays None."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    return int(str(value), 8)


def _differs(item, have):
    """True when the host's entry `have` (or its absence) does not match the wanted `item`."""
    if have is None:
        return True
    if item.get('state') == 'directory':
        if not have.get('isdir'):
            return True
    else:
        if not have.get('isreg', True) or 'checksum' not in have:
            return True
        if 'content' in item:
            wanted = hashlib.sha1(to_bytes(item['content'], errors='surrogate_or_strict')).hexdigest()
        else:
            try:
                wanted = _sha1_file(item['src'])
            except (OSError, TypeError):
                return True
        if wanted != have['checksum']:
            return True
    if item.get('mode') is not None and _mode(item['mode']) != _mode(have.get('mode')):
        return True
    if item.get('owner') is not None and str(item['owner']) != str(have.get('pw_name')):
        return True
    if item.get('group') is not None and str(item['group']) != str(have.get('gr_name')):
        return True
    return False


def files_to_change(wanted, found):
    """The items of `wanted` that a copy, template or file task would change on the host.

    wanted: list of dicts, each with dest (the path on the host) and one of
      src      a file on the controller (compared by SHA-1 with the host's file),
      content  the text the file must hold (a rendered template, say),
      state: directory  a directory;
    and optionally mode, owner, group.
    found: the `files` of an ansible.builtin.find result run with get_checksum: true and
    file_type: any (path, checksum, mode, isdir, isreg, pw_name, gr_name).
    A source that cannot be read is returned too: its copy task then fails with the path.
    """
    if not isinstance(wanted, list) or not all(
        isinstance(item, dict) and 'dest' in item and ('src' in item or 'content' in item or item.get('state') == 'directory') for item in wanted
    ):
        raise AnsibleFilterError('files_to_change: expects a list of dicts, each with dest and one of src, content or state=directory; got %r' % (wanted,))
    if not isinstance(found, list):
        raise AnsibleFilterError('files_to_change: expects the files of an ansible.builtin.find result, got %r' % (found,))
    on_host = dict((item.get('path'), item) for item in found if isinstance(item, dict))
    return [item for item in wanted if _differs(item, on_host.get(item['dest']))]


class FilterModule:
    def filters(self):
        return {'files_to_change': files_to_change}
