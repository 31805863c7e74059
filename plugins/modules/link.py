#!/usr/bin/python
# Copyright: (c) 2026, podnet.flannel maintainers
# GNU General Public License v3.0+ (https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: link
short_description: Remove network devices of a node (docker0, flannel.<VNI>, ...)
version_added: 0.4.0
description:
  - Removes each device of O(name) that exists on the node (C(ip link delete)); a device that is
    not there is left alone. The collection's roles remove with it a C(docker0) that holds an
    old address, the devices an earlier flannel network config left behind, and, on reset,
    C(docker0) and the VXLAN devices.
  - A device's addresses are read with M(podnet.flannel.route_info) (O(podnet.flannel.route_info#module:devices)).
author:
  - podnet.flannel maintainers (@podnet)
options:
  name:
    description:
      - The devices.
    type: list
    elements: str
    required: true
  state:
    description:
      - V(absent), the only state - the devices are removed.
    type: str
    choices: [absent]
    default: absent
extends_documentation_fragment:
  - podnet.flannel.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details:
      - The devices of O(name) that exist, before and after.
seealso:
  - module: podnet.flannel.route_info
"""

EXAMPLES = r"""
- name: Remove the VXLAN devices
  podnet.flannel.link:
    name: [flannel.1, flannel-v6.1]
    state: absent
"""

RETURN = r"""
removed:
  description: The devices removed (in check mode, the devices that would be).
  returned: always
  type: list
  elements: str
  sample: [flannel.1]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.podnet.flannel.plugins.module_utils import linux_net


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            'name': {'type': 'list', 'elements': 'str', 'required': True},
            'state': {'type': 'str', 'choices': ['absent'], 'default': 'absent'},
        },
        supports_check_mode=True,
    )
    names = module.params['name']
    for name in names:
        if not name or '/' in name or name.startswith('-') or any(c.isspace() for c in name):
            module.fail_json(msg='name: %r is not a network device name' % (name,))
    removed = linux_net.delete_links(module, names)
    before = [name for name in names if name in removed or linux_net.device_exists(name)]
    after = [name for name in before if name not in removed]
    result = {'changed': bool(removed), 'removed': removed}
    if module._diff:
        result['diff'] = {'before': {'links': before}, 'after': {'links': after}}
    module.exit_json(**result)


if __name__ == '__main__':
    main()
