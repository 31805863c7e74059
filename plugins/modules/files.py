#!/usr/bin/python
# Copyright: (c) 2026, podnet.flannel maintainers
# GNU General Public License v3.0+ (https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: files
short_description: Write files and directories from templates, content or controller files, asking the host once
version_added: 0.5.0
description:
  - Makes each path of O(files) hold what it should - a rendered template, given content, a copy
    of a controller file, or a directory - with the given mode, owner and group.
  - One M(podnet.flannel.path_info) call reads every path first (type, mode, owner, SHA-1); only
    the items that differ are then written, by M(ansible.builtin.copy) (files and templates) and
    M(ansible.builtin.file) (directories), in the order given. An idempotent task costs one module
    call on the host, where a M(ansible.builtin.template) or M(ansible.builtin.copy) loop costs one
    per item.
  - Templates are rendered on the controller by the P(ansible.builtin.template#lookup) lookup
    (C(trim_blocks) on), found in the role's or playbook's C(templates/) directory as
    M(ansible.builtin.template) finds them; the task's variables are available.
  - Every item is checked before the host is asked; a bad item fails the task and nothing is written.
  - This is an action plugin; it runs on the controller and calls modules on the host.
author:
  - podnet.flannel maintainers (@podnet)
options:
  files:
    description:
      - What should be on the host, written in this order (list a directory before its files).
    type: list
    elements: dict
    required: true
    suboptions:
      path:
        description:
          - Absolute path on the host. C(dest) is accepted as an alias.
          - A path may appear once.
        type: path
        required: true
        aliases: [dest]
      state:
        description:
          - V(file) writes one of O(files[].template), O(files[].content) or O(files[].src) (exactly one).
          - V(directory) makes a directory (parents too).
        type: str
        choices: [file, directory]
        default: file
      template:
        description: A Jinja2 template, found as M(ansible.builtin.template) finds its O(ansible.builtin.template#module:src).
        type: str
      content:
        description: The text the file holds.
        type: str
      src:
        description: A file on the controller, found as M(ansible.builtin.copy) finds O(ansible.builtin.copy#module:src).
        type: path
      mode:
        description: Permission bits, such as C("0644"). A mode not given is left as the host has it (a new file gets the umask's).
        type: raw
      owner:
        description: Owner name. Not given - left as the host has it (a new file belongs to the connection's user).
        type: str
      group:
        description: Group name. Not given - left as the host has it.
        type: str
notes:
  - Set C(diff=false) on a task that writes keys (task keyword C(diff)); the diff then never shows their content.
extends_documentation_fragment:
  - podnet.flannel.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details:
      - The diffs of the files M(ansible.builtin.copy) writes.
seealso:
  - module: podnet.flannel.path_info
  - module: ansible.builtin.template
  - module: ansible.builtin.copy
  - module: ansible.builtin.file
"""

EXAMPLES = r"""
- name: Write flanneld's settings and systemd unit
  podnet.flannel.files:
    files:
      - {path: /etc/flannel, state: directory, mode: "0755"}
      - {path: /etc/flannel/flanneld.env, template: flanneld.env.j2, mode: "0644"}
      - {path: /etc/systemd/system/flanneld.service, template: flanneld.service.j2, mode: "0644"}
  notify: Restart flanneld

- name: Install the client certificate and key from the controller's PKI
  podnet.flannel.files:
    files:
      - {path: /etc/flannel/pki, state: directory, owner: root, group: root, mode: "0755"}
      - {path: /etc/flannel/pki/client.crt, src: /srv/pki/clients/flanneld.crt, owner: root, group: root, mode: "0644"}
      - {path: /etc/flannel/pki/client.key, src: /srv/pki/clients/flanneld.key, owner: root, group: root, mode: "0600"}
  diff: false

- name: Would these files change? (check mode, writes nothing)
  podnet.flannel.files:
    files:
      - {path: /etc/sysctl.d/60-forwarding.conf, content: "net.ipv4.ip_forward=1\n"}
  check_mode: true
  register: forwarding
"""

RETURN = r"""
paths:
  description: Every path of O(files), in order.
  returned: success
  type: list
  elements: str
  sample: [/etc/flannel, /etc/flannel/flanneld.env]
changed_paths:
  description:
    - The paths written (in check mode, that would be written).
    - When a write fails, the paths written before it (the task then fails with C(changed) true if there are any).
  returned: always
  type: list
  elements: str
  sample: [/etc/flannel/flanneld.env]
results:
  description: One entry per item that differed - C(path), C(changed) and the writing module's C(msg).
  returned: success
  type: list
  elements: dict
  sample: [{path: /etc/flannel/flanneld.env, changed: true, msg: ""}]
"""
