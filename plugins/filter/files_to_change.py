# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""files_to_change: which files and directories differ from what one find saw on a host.

Every ansible.builtin.copy, template or file task asks the host about its file in a round trip
of its own, even when nothing changes; on the lab's nodes each such call costs about 0.2 s of
CPU (the module's Python imports), so an idempotent run was mostly these questions. A play can read
its files once (podnet.flannel.path_info or ansible.builtin.find with get_checksum) and run copy,
template and file only over what this filter returns; the action podnet.flannel.files does both
in one task (the roles use it). The comparison is plugin_utils.file_state's, shared with it.
"""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.podnet.flannel.plugins.plugin_utils.file_state import by_path, differs


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
    on_host = by_path(found)
    return [item for item in wanted if differs(item, on_host.get(item['dest']))]


class FilterModule:
    def filters(self):
        return {'files_to_change': files_to_change}
