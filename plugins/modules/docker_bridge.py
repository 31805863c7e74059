#!/usr/bin/python
# Copyright: (c) 2026, podnet.flannel maintainers
# GNU General Public License v3.0+ (https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: docker_bridge
short_description: Put Docker's docker0 bridge on the node's flannel subnet (daemon.json)
version_added: 0.1.0
description:
  - Sets the bridge settings C(bip), C(mtu), C(ip-masq), in dual stack C(ipv6) and C(fixed-cidr-v6), and optionally
    C(iptables) and C(allow-direct-routing) in Docker's
    C(daemon.json), keeping every other key, the order of the keys and unknown settings as they are.
    New keys are appended; the file is written with an indentation of 2, atomically, and only when a
    value changes.
  - The values come from the options, or from flanneld's C(subnet.env) (O(subnet_file)).
    C(FLANNEL_SUBNET) gives C(bip), C(FLANNEL_MTU) gives C(mtu) and, since flanneld already
    masquerades traffic leaving the pod network when C(FLANNEL_IPMASQ=true), C(ip-masq) is set to the
    opposite of C(FLANNEL_IPMASQ). A lease with an IPv6 subnet (C(FLANNEL_IPV6_SUBNET), written as the
    subnet's first address such as C(fd00:10:244:5::1/64)) gives C(ipv6=true) and C(fixed-cidr-v6), the
    subnet itself (C(fd00:10:244:5::/64)); Docker gives docker0 its first address, the one flannel wrote.
  - C(ip6tables) is never written, since Docker 26.1 and older refuse it without C(experimental);
    from Docker 27 on it is on by default, and C(ip-masq=false) then keeps Docker from masquerading
    the IPv6 subnet too (measured on 28.5.2, see C(docs/dual-stack.md)).
  - dockerd refuses to start when a setting is given both as a command line flag and in
    C(daemon.json). The module reads the effective C(ExecStart=) of C(docker.service) (the unit, its
    drop-ins, C(ExecStart=) resets and variables from C(Environment=)/C(EnvironmentFile=)) and looks
    for C(--bip), C(--mtu), C(--ip-masq), C(--iptables), C(--bridge)/C(-b), C(--fixed-cidr), C(--ipv6) and C(--fixed-cidr-v6).
    See O(unit_conflicts) for what happens then.
  - The module does not restart Docker; RV(restart_needed) and RV(daemon_reload_needed) tell the play
    to do it (a handler).
author:
  - podnet.flannel maintainers (@podnet)
options:
  state:
    description:
      - V(present) merges the bridge settings into C(daemon.json).
      - V(absent) removes the keys C(bip), C(mtu), C(ip-masq), C(ipv6) and C(fixed-cidr-v6) (those taken from a flannel lease) from
        C(daemon.json), keeping every other key, so that dockerd goes back to its default bridge at its
        next start. C(iptables) is left alone. The value options and O(subnet_file) are ignored, and the
        unit is not analysed. A missing file is left missing.
    type: str
    choices: [present, absent]
    default: present
  path:
    description:
      - Path of Docker's daemon configuration file. Created (with its directory) when missing.
    type: path
    default: /etc/docker/daemon.json
  bip:
    description:
      - The address of the C(docker0) bridge with the prefix length of the node's subnet, such as
        V(10.244.72.1/24), the first host address of the subnet flanneld leased to the node.
      - The network address (V(10.244.72.0/24)) is rejected.
      - Taken from C(FLANNEL_SUBNET) of O(subnet_file) when not set.
    type: str
  mtu:
    description:
      - MTU of C(docker0) and of the containers' interfaces, V(68) to V(65535).
      - Taken from C(FLANNEL_MTU) of O(subnet_file) when not set.
    type: int
  ip_masq:
    description:
      - Whether dockerd masquerades traffic from the bridge subnet (C(ip-masq)).
      - Taken from O(subnet_file) when not set, as the opposite of C(FLANNEL_IPMASQ).
      - Not written when neither this option nor C(FLANNEL_IPMASQ) is set.
    type: bool
  iptables:
    description:
      - Whether dockerd manages iptables rules (C(iptables)). Not written when not set.
    type: bool
  allow_direct_routing:
    description:
      - Whether dockerd lets traffic from other interfaces reach containers on their own addresses
        (C(allow-direct-routing), Docker 28.2 and later). Docker 28 drops such traffic by default,
        and every pod packet from another node is such traffic. Not written when not set.
    type: bool
  ipv6:
    description:
      - Whether docker0 gets IPv6 (C(ipv6)). Taken from O(subnet_file) (V(true) when the lease has an
        IPv6 subnet) when not set; not written when neither is set.
    type: bool
  fixed_cidr_v6:
    description:
      - docker0's IPv6 subnet (C(fixed-cidr-v6)), a network such as V(fd00:10:244:5::/64) (not an address);
        needs O(ipv6) (V(true) is implied when not set).
      - Taken from C(FLANNEL_IPV6_SUBNET) of O(subnet_file) when not set.
    type: str
  engine_version:
    description:
      - The version of the node's Docker engine (C(dockerd --version) output or a bare version such
        as V(28.5.2)). When set, a key the engine does not know (C(allow-direct-routing) before 28.2)
        fails the module before anything is written, since dockerd does not start with it.
    type: str
  subnet_file:
    description:
      - flanneld's subnet file (C(/run/flannel/subnet.env)) to take O(bip), O(mtu) and O(ip_masq) from,
        for each of them that is not set. The file must exist and hold C(FLANNEL_SUBNET).
    type: path
  unit_conflicts:
    description:
      - What to do with C(docker.service) command line flags that conflict with the resulting C(daemon.json).
      - V(fail) fails before anything is written, naming the file, the flag and the fix.
      - V(remove) removes the flags from the drop-ins in O(dropin_dir). Flags in other files (the
        packaged unit under C(/lib/systemd/system), which is never edited) are overridden by the drop-in
        C(podnet-execstart.conf) in O(dropin_dir), which resets C(ExecStart=) and sets the effective
        command line without the flags. A flag that comes from a variable (such as C($DOCKER_OPTS) of
        C(/etc/default/docker)) is never edited; the module fails and names the file to fix.
    type: str
    choices: [fail, remove]
    default: fail
  unit_paths:
    description:
      - Candidate paths of the unit file, highest priority first; the first that exists is the unit.
        Drop-ins are read from O(dropin_dir) and from C(<unit name>.d) next to each candidate.
      - Meant for tests; the default is where systemd looks on Debian.
    type: list
    elements: path
    default: [/etc/systemd/system/docker.service, /lib/systemd/system/docker.service]
  dropin_dir:
    description:
      - The drop-in directory this module may edit (with O(unit_conflicts=remove)).
    type: path
    default: /etc/systemd/system/docker.service.d
  backup:
    description:
      - Keep a timestamped copy of C(daemon.json) (and of each edited drop-in) before changing it.
    type: bool
    default: false
extends_documentation_fragment:
  - podnet.flannel.attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details:
      - The diff shows C(daemon.json) and every drop-in that would change.
notes:
  - After a change of O(bip), containers started earlier keep their old addresses until they are
    recreated; restart Docker (and then the pods) when RV(restart_needed) is true.
seealso:
  - module: podnet.flannel.flannel_lease_info
  - module: podnet.flannel.pod
"""

EXAMPLES = r"""
- name: Put docker0 on the subnet flanneld leased to this node
  podnet.flannel.docker_bridge:
    subnet_file: /run/flannel/subnet.env
    unit_conflicts: remove
  register: bridge
  notify: Restart docker

- name: Reload systemd when a drop-in changed
  ansible.builtin.systemd_service:
    daemon_reload: true
  when: bridge.daemon_reload_needed

- name: Give docker0 back to Docker's defaults (reset)
  podnet.flannel.docker_bridge:
    state: absent
  notify: Restart docker

- name: Dual stack by hand - docker0 on both subnets of the lease
  podnet.flannel.docker_bridge:
    bip: 10.244.72.1/24
    ipv6: true
    fixed_cidr_v6: fd00:10:244:48::/64
    mtu: 1450
    ip_masq: false

- name: Explicit values, docker keeps masquerading
  podnet.flannel.docker_bridge:
    bip: 10.244.72.1/24
    mtu: 1450
    ip_masq: true
    backup: true
"""

RETURN = r"""
config:
  description: The resulting content of C(daemon.json) (as it would be, in check mode).
  returned: success
  type: dict
  sample: {"log-driver": "journald", "bip": "10.244.72.1/24", "mtu": 1450, "ip-masq": false}
settings:
  description: The bridge settings the module enforced (daemon.json keys).
  returned: success
  type: dict
  sample: {"bip": "10.244.72.1/24", "mtu": 1450, "ip-masq": false, "ipv6": true, "fixed-cidr-v6": "fd00:10:244:48::/64"}
restart_needed:
  description: Whether a bridge setting or the unit changed, so that dockerd must be restarted to apply it.
  returned: success
  type: bool
daemon_reload_needed:
  description: Whether a drop-in changed, so that systemd must reload its units before the restart.
  returned: success
  type: bool
conflicts:
  description: The conflicting C(docker.service) flags found, before any was removed.
  returned: success
  type: list
  elements: dict
  contains:
    path:
      description: The file that sets the flag (the environment file for a flag from a variable).
      type: str
      sample: /etc/systemd/system/docker.service.d/override.conf
    unit_path:
      description: The unit file or drop-in whose C(ExecStart=) holds the flag.
      type: str
    line:
      description: Line of that C(ExecStart=) (1-based).
      type: int
    flag:
      description: The flag.
      type: str
      sample: --bip
    text:
      description: The flag as written, with its value.
      type: str
      sample: --bip=172.18.0.1/16
    key:
      description: The daemon.json key the flag sets.
      type: str
      sample: bip
    reason:
      description: Why the flag conflicts.
      type: str
    editable:
      description: Whether the flag is in a drop-in of O(dropin_dir).
      type: bool
    variable:
      description: The variable the flag came from, if any.
      type: str
unit_files:
  description: The drop-ins written (or that would be) to remove conflicts.
  returned: success
  type: list
  elements: str
  sample: [/etc/systemd/system/docker.service.d/podnet-execstart.conf]
changes:
  description: The daemon.json keys that changed, with old and new value.
  returned: success
  type: list
  elements: dict
  sample: [{"key": "bip", "before": null, "after": "10.244.72.1/24"}]
backup_file:
  description: The backup of daemon.json, when O(backup=true) and it changed.
  returned: changed and backup
  type: str
"""

import os

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_bytes, to_native

from ansible_collections.podnet.flannel.plugins.module_utils import docker_daemon as dd
from ansible_collections.podnet.flannel.plugins.module_utils import docker_unit as du
from ansible_collections.podnet.flannel.plugins.module_utils.files import read_text, write_atomic
from ansible_collections.podnet.flannel.plugins.module_utils.flannel import parse_subnet_env
from ansible_collections.podnet.flannel.plugins.module_utils.systemd_unit import UnitError, find_unit_files


def read_file(module, path, what):
    try:
        return read_text(path)
    except (IOError, OSError, UnicodeDecodeError) as exc:
        module.fail_json(msg='cannot read %s %s: %s' % (what, path, to_native(exc)))


def write_file(module, path, text, mode):
    """Write atomically: a temporary file in the same directory, then atomic_move."""
    try:
        write_atomic(path, to_bytes(text), mode=mode, move=module.atomic_move)
    except (IOError, OSError) as exc:
        module.fail_json(msg='cannot write %s: %s' % (path, to_native(exc)))


def resolve_settings(module):
    params = module.params
    values = {
        'bip': params['bip'],
        'mtu': params['mtu'],
        'ip_masq': params['ip_masq'],
        'iptables': params['iptables'],
        'allow_direct_routing': params['allow_direct_routing'],
        'ipv6': params['ipv6'],
        'fixed_cidr_v6': params['fixed_cidr_v6'],
    }
    if values['fixed_cidr_v6'] is not None and values['ipv6'] is None:
        values['ipv6'] = True
    subnet_file = params['subnet_file']
    if subnet_file and any(values[k] is None for k in ('bip', 'mtu', 'ip_masq', 'ipv6', 'fixed_cidr_v6')):
        text = read_file(module, subnet_file, 'flannel subnet file')
        if text is None:
            module.fail_json(msg='%s does not exist: flanneld has not written it yet (is flanneld running and holding a lease?)' % subnet_file)
        try:
            from_env = dd.settings_from_subnet_env(parse_subnet_env(text), subnet_file)
        except ValueError as exc:
            module.fail_json(msg='%s: %s' % (subnet_file, to_native(exc)))
        for key, value in from_env.items():
            if values[key] is None:
                values[key] = value
    try:
        settings = dd.desired_settings(**values)
    except dd.BridgeConfigError as exc:
        where = ' (from %s)' % subnet_file if subnet_file else ''
        module.fail_json(msg='%s%s' % (to_native(exc), where))
    if params['engine_version'] is not None:
        version = dd.parse_engine_version(params['engine_version'])
        if version is None:
            module.fail_json(msg='engine_version: %r holds no version such as 28.5.2' % params['engine_version'])
        errors = dd.check_engine_keys(settings, version)
        if errors:
            module.fail_json(msg='nothing was changed: %s' % '; '.join(errors), settings=settings)
    return settings


def finish(module, path, plan, settings, units=(), unit_changes=None, conflicts=()):
    """Result, diff, backups and atomic writes of daemon.json (and unit fixes); exits the module."""
    unit_changes = unit_changes or {}
    changed = plan['changed'] or bool(unit_changes)
    result = dict(
        changed=changed,
        config=plan['after'],
        settings=settings,
        restart_needed=changed,
        daemon_reload_needed=bool(unit_changes),
        conflicts=list(conflicts),
        unit_files=sorted(unit_changes),
        changes=[dict(key=k, before=b, after=a) for k, b, a in plan['changes']],
    )
    if module._diff:
        diffs = []
        if plan['changed']:
            diffs.append(dict(before_header=path, after_header=path, before=plan['before_text'], after=plan['after_text']))
        originals = dict((u['path'], u['text']) for u in units)
        for unit_path in sorted(unit_changes):
            diffs.append(dict(before_header=unit_path, after_header=unit_path, before=originals.get(unit_path, ''), after=unit_changes[unit_path]))
        result['diff'] = diffs

    if module.check_mode or not changed:
        module.exit_json(**result)

    backup = module.params['backup']
    for unit_path in sorted(unit_changes):
        if backup and os.path.exists(unit_path):
            # systemd reads only *.conf: the backup (name.conf.<pid>.<date>~) is ignored by it.
            module.backup_local(unit_path)
        write_file(module, unit_path, unit_changes[unit_path], 0o644)
    if plan['changed']:
        if backup and os.path.exists(path):
            result['backup_file'] = module.backup_local(path)
        write_file(module, path, plan['after_text'], 0o644)
    module.exit_json(**result)


def remove_bridge_settings(module, path):
    """state=absent: drop the lease keys from daemon.json; exits the module."""
    text = read_file(module, path, 'Docker daemon configuration')
    if text is None:
        module.exit_json(changed=False, config={}, settings={}, restart_needed=False, daemon_reload_needed=False, conflicts=[], unit_files=[], changes=[])
    try:
        plan = dd.plan_daemon_json(text, path, {}, remove=dd.LEASE_KEYS)
    except dd.BridgeConfigError as exc:
        module.fail_json(msg=to_native(exc))
    finish(module, path, plan, {})


def main():
    module = AnsibleModule(
        argument_spec=dict(
            state=dict(type='str', choices=['present', 'absent'], default='present'),
            path=dict(type='path', default=dd.DEFAULT_PATH),
            bip=dict(type='str'),
            mtu=dict(type='int'),
            ip_masq=dict(type='bool'),
            iptables=dict(type='bool'),
            allow_direct_routing=dict(type='bool'),
            ipv6=dict(type='bool'),
            fixed_cidr_v6=dict(type='str'),
            engine_version=dict(type='str'),
            subnet_file=dict(type='path'),
            unit_conflicts=dict(type='str', choices=['fail', 'remove'], default='fail'),
            unit_paths=dict(type='list', elements='path', default=list(du.DEFAULT_UNIT_PATHS)),
            dropin_dir=dict(type='path', default=du.DEFAULT_DROPIN_DIR),
            backup=dict(type='bool', default=False),
        ),
        required_if=[('state', 'present', ('bip', 'mtu', 'ip_masq', 'iptables', 'allow_direct_routing', 'ipv6', 'fixed_cidr_v6', 'subnet_file'), True)],
        supports_check_mode=True,
    )
    path = module.params['path']
    if module.params['state'] == 'absent':
        remove_bridge_settings(module, path)
    settings = resolve_settings(module)

    text = read_file(module, path, 'Docker daemon configuration')
    try:
        plan = dd.plan_daemon_json(text, path, settings)
    except dd.BridgeConfigError as exc:
        module.fail_json(msg=to_native(exc))
    if plan['errors']:
        module.fail_json(msg='%s: %s' % (path, ' '.join(plan['errors'])), config=plan['after'])

    try:
        units = find_unit_files(module.params['unit_paths'], module.params['dropin_dir'])
        analysis = du.analyze_units(units, plan['after'], read_text)
    except (IOError, OSError, UnicodeDecodeError, dd.BridgeConfigError, UnitError) as exc:
        module.fail_json(msg='cannot read the docker.service unit: %s' % to_native(exc))
    conflicts = analysis['conflicts']
    unit_changes = {}
    if conflicts:
        lines = [du.describe_conflict(c) for c in conflicts]
        if module.params['unit_conflicts'] == 'fail':
            module.fail_json(
                msg='docker.service sets flags that conflict with %s, nothing was changed: %s' % (path, ' | '.join(lines)),
                conflicts=conflicts,
                config=plan['after'],
            )
        unit_changes, remaining = du.plan_unit_fixes(units, plan['after'], module.params['dropin_dir'], read_text, daemon_json=path)
        if remaining:
            module.fail_json(
                msg='cannot remove these conflicting flags, nothing was changed: %s' % ' | '.join(du.describe_conflict(c) for c in remaining),
                conflicts=conflicts,
                config=plan['after'],
            )

    finish(module, path, plan, settings, units, unit_changes, conflicts)


if __name__ == '__main__':
    main()
