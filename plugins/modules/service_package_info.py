#!/usr/bin/python
# Copyright: (c) 2026, podnet.flannel maintainers
# GNU General Public License v3.0+ (https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: service_package_info
short_description: Read systemd units, Debian packages and commands of a host in one call
version_added: 0.4.0
description:
  - Reads the state of every unit of O(units) with one C(systemctl show), the dpkg state of
    every package of O(packages) with one C(dpkg-query), where each command of O(commands) is,
    and what each command of O(versions) answers to C(--version). No shell is involved.
  - The collection's roles read their unit and their packages with one call of this module (part
    of their probe), instead of one M(ansible.builtin.systemd_service) call per unit and an
    M(ansible.builtin.apt) run to learn that nothing is missing.
author:
  - podnet.flannel maintainers (@podnet)
options:
  units:
    description:
      - systemd units to read (C(LoadState), C(ActiveState), C(UnitFileState)).
    type: list
    elements: str
    default: []
  packages:
    description:
      - Debian package names to look up in dpkg's database.
    type: list
    elements: str
    default: []
  commands:
    description:
      - Commands to look for on the C(PATH) (and the C(sbin) directories).
    type: list
    elements: str
    default: []
  versions:
    description:
      - Commands to run with C(--version); their output and the first C(MAJOR.MINOR.PATCH) in it
        come back in RV(versions). A command that is not there is not run.
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - podnet.flannel.attributes
  - podnet.flannel.attributes.INFO_MODULE
seealso:
  - module: ansible.builtin.systemd_service
  - module: ansible.builtin.package_facts
"""

EXAMPLES = r"""
- name: Read Docker's unit, packages, CLI and engine version in one call
  podnet.flannel.service_package_info:
    units: [docker.service]
    packages: [docker.io, python3-docker]
    commands: [docker]
    versions: [dockerd]
  register: docker_state

- name: Install only what is missing
  ansible.builtin.apt:
    name: "{{ docker_state.packages_missing }}"
  when: docker_state.packages_missing | length > 0

- name: Start Docker unless it runs already
  ansible.builtin.systemd_service:
    name: docker.service
    state: started
  when: docker_state.units['docker.service'].ActiveState | default('') != 'active'
"""

RETURN = r"""
units:
  description:
    - For each unit of O(units), its properties as C(systemctl show) prints them (the shape of
      the C(status) that M(ansible.builtin.systemd_service) returns). A unit systemd does not
      know has C(LoadState=not-found); on a host without systemd every unit maps to V({}).
  returned: always
  type: dict
  sample: {docker.service: {LoadState: loaded, ActiveState: active, UnitFileState: enabled}}
packages:
  description: For each package of O(packages), its dpkg state.
  returned: always
  type: dict
  sample: {docker.io: {installed: true, status: ii, version: 26.1.5+dfsg1-9+b9}, python3-docker: {installed: false, status: "", version: ""}}
  contains:
    installed:
      description: dpkg says C(ii) (wanted install, installed).
      type: bool
    status:
      description: dpkg's C(db:Status-Abbrev) (V('') for a package dpkg does not know).
      type: str
    version:
      description: The version dpkg knows of (V('') for none).
      type: str
packages_installed:
  description: The packages of O(packages) that are installed, in the order given.
  returned: always
  type: list
  elements: str
  sample: [docker.io]
packages_missing:
  description: The packages of O(packages) that are not installed, in the order given.
  returned: always
  type: list
  elements: str
  sample: [python3-docker]
commands:
  description: For each command of O(commands), its path (V('') when it is not found).
  returned: always
  type: dict
  sample: {docker: /usr/bin/docker}
versions:
  description: For each command of O(versions), what it answered to C(--version).
  returned: always
  type: dict
  sample: {dockerd: {found: true, output: "Docker version 26.1.5+dfsg1, build a72d7cd", version: 26.1.5}}
  contains:
    found:
      description: The command is there and its answer holds a digit.
      type: bool
    output:
      description: Its standard output, stripped (V('') when it is not there).
      type: str
    version:
      description: The first C(MAJOR.MINOR.PATCH) of the output (V('') when none).
      type: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.podnet.flannel.plugins.module_utils import host_state

_OPTIONS = ('units', 'packages', 'commands', 'versions')


def main() -> None:
    module = AnsibleModule(
        argument_spec={name: {'type': 'list', 'elements': 'str', 'default': []} for name in _OPTIONS},
        supports_check_mode=True,
    )
    for option in _OPTIONS:
        for name in module.params[option]:
            if not name or name.startswith('-') or any(c.isspace() for c in name):
                module.fail_json(msg='%s: %r is not a name (empty, starts with "-" or holds a space)' % (option, name))
    packages = host_state.read_packages(module, module.params['packages'])
    module.exit_json(
        changed=False,
        units=host_state.read_units(module, module.params['units']),
        packages=packages,
        packages_installed=[name for name in module.params['packages'] if packages[name]['installed']],
        packages_missing=[name for name in module.params['packages'] if not packages[name]['installed']],
        commands=host_state.read_commands(module, module.params['commands']),
        versions=host_state.read_versions(module, module.params['versions']),
    )


if __name__ == '__main__':
    main()
