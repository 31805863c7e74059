#!/usr/bin/python
# Copyright: (c) 2026, podnet.flannel maintainers
# GNU General Public License v3.0+ (https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: path_info
short_description: Stat many paths in one call (type, mode, owner, checksum)
version_added: 0.2.0
description:
  - Returns, for each path of O(paths) that exists, what M(ansible.builtin.find) returns for a
    file (type, mode, owner, group, size and the SHA-1 of a regular file), and lists the paths
    that do not exist.
  - The action M(podnet.flannel.files) (which the collection's roles use) reads all the paths of
    a task with one call of this module and then writes only what differs. With the filter
    P(podnet.flannel.files_to_change#filter) a play can do the same with
    M(ansible.builtin.copy), M(ansible.builtin.template) and M(ansible.builtin.file) loops. On a
    host where each module call costs a Python start and its imports, an idempotent run then
    asks once instead of once per file.
  - Unlike M(ansible.builtin.stat) it takes many paths; unlike M(ansible.builtin.find) it looks
    at exactly the paths given, and a missing one is an answer, not a warning.
author:
  - podnet.flannel maintainers (@podnet)
options:
  paths:
    description:
      - The paths to look at. Symbolic links are not followed (the link itself is described).
    type: list
    elements: path
    required: true
  get_checksum:
    description:
      - Return the SHA-1 of each regular file (as M(ansible.builtin.copy) compares them).
    type: bool
    default: true
extends_documentation_fragment:
  - podnet.flannel.attributes
  - podnet.flannel.attributes.INFO_MODULE
seealso:
  - module: podnet.flannel.files
  - module: ansible.builtin.stat
  - module: ansible.builtin.find
"""

EXAMPLES = r"""
- name: Read the node's flanneld files in one call
  podnet.flannel.path_info:
    paths:
      - /etc/flannel
      - /etc/flannel/flanneld.env
      - /etc/systemd/system/flanneld.service
  register: probe

- name: Write the settings only when they differ
  ansible.builtin.template:
    src: flanneld.env.j2
    dest: "{{ item.dest }}"
    mode: "{{ item.mode }}"
  loop: "{{ wanted | podnet.flannel.files_to_change(probe.files) }}"
  vars:
    wanted:
      - dest: /etc/flannel/flanneld.env
        content: "{{ lookup('ansible.builtin.template', 'flanneld.env.j2') }}"
        mode: "0644"
"""

RETURN = r"""
files:
  description: One entry per existing path, in the order of O(paths).
  returned: always
  type: list
  elements: dict
  contains:
    path:
      description: The path.
      type: str
    isdir:
      description: A directory.
      type: bool
    isreg:
      description: A regular file.
      type: bool
    islnk:
      description: A symbolic link.
      type: bool
    mode:
      description: Permission bits, in octal.
      type: str
      sample: "0644"
    uid:
      description: Owner's user ID.
      type: int
    gid:
      description: Group ID.
      type: int
    pw_name:
      description: Owner's name (the ID when it has no name).
      type: str
    gr_name:
      description: Group's name (the ID when it has no name).
      type: str
    size:
      description: Size in bytes.
      type: int
    checksum:
      description: SHA-1 of a regular file, with O(get_checksum=true).
      type: str
  sample: [{path: /etc/flannel/flanneld.env, isdir: false, isreg: true, islnk: false, mode: "0644", uid: 0, gid: 0,
            pw_name: root, gr_name: root, size: 312, checksum: 2aae6c35c94fcfb415dbe95f408b9ce91ee846ed}]
missing:
  description: The paths of O(paths) that do not exist.
  returned: always
  type: list
  elements: str
  sample: [/etc/systemd/system/flanneld.service]
"""

import grp
import os
import pwd
import stat

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_native


def describe(path, st):
    """The find-like description of one lstat result."""
    try:
        owner = pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        owner = str(st.st_uid)
    try:
        group = grp.getgrgid(st.st_gid).gr_name
    except KeyError:
        group = str(st.st_gid)
    return dict(
        path=path,
        isdir=stat.S_ISDIR(st.st_mode),
        isreg=stat.S_ISREG(st.st_mode),
        islnk=stat.S_ISLNK(st.st_mode),
        mode='%04o' % stat.S_IMODE(st.st_mode),
        uid=st.st_uid,
        gid=st.st_gid,
        pw_name=owner,
        gr_name=group,
        size=st.st_size,
    )


def main():
    module = AnsibleModule(
        argument_spec=dict(
            paths=dict(type='list', elements='path', required=True),
            get_checksum=dict(type='bool', default=True),
        ),
        supports_check_mode=True,
    )
    files, missing = [], []
    for path in module.params['paths']:
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            missing.append(path)
            continue
        except OSError as exc:
            module.fail_json(msg='paths: cannot stat %s: %s' % (path, to_native(exc)), path=path)
        entry = describe(path, st)
        if entry['isreg'] and module.params['get_checksum']:
            try:
                entry['checksum'] = module.digest_from_file(path, 'sha1')
            except (IOError, OSError) as exc:
                module.fail_json(msg='paths: cannot read %s: %s' % (path, to_native(exc)), path=path)
        files.append(entry)
    module.exit_json(changed=False, files=files, missing=missing)


if __name__ == '__main__':
    main()
