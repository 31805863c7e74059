# SPDX-License-Identifier: GPL-3.0-or-later
"""etcd_upgrade_problems: why moving a live etcd cluster to a version is not a safe rolling step.

etcd upgrades one minor version at a time, member by member, and does not go back a minor
version by a restart (only through its downgrade API); before 3.6 every 3.5 member must run
3.5.26 or later (etcd's upgrade guide: the patch releases up to 3.5.26 fix upgrade blockers), and
3.6 has no v2 API (ETCD_ENABLE_V2 must go). The etcd role refuses, before anything changes, a
target version for which this filter returns anything.
"""

from __future__ import annotations

import re

from ansible.errors import AnsibleFilterError

# etcd's upgrade guide (upgrades/upgrade_3_6): every 3.5 member on this release or later first.
MIN_35_BEFORE_36 = (3, 5, 26)

_VERSION = re.compile(r'^v?(\d+)\.(\d+)\.(\d+)')


def _parse(version):
    match = _VERSION.match(str(version or '').strip())
    return tuple(int(part) for part in match.groups()) if match else None


def _show(version):
    return '.'.join(str(part) for part in version)


def etcd_upgrade_problems(members, target, extra_env=None):
    """Problems (strings) of moving `members` ([{'name': ..., 'version': ...}], the live ones) to `target`."""
    if not isinstance(members, list):
        raise AnsibleFilterError('etcd_upgrade_problems: expects a list of {name, version}, got %s' % type(members).__name__)
    wanted = _parse(target)
    if wanted is None:
        raise AnsibleFilterError("etcd_upgrade_problems: '%s' is not a version (X.Y.Z)" % target)
    running = []
    for member in members:
        if not isinstance(member, dict):
            raise AnsibleFilterError('etcd_upgrade_problems: each member must be a dict, got %s' % type(member).__name__)
        version = _parse(member.get('version'))
        if version is not None:  # a member that does not answer has no version to judge
            running.append((member.get('member_name') or member.get('name') or member.get('endpoint') or '?', version))
    problems = []
    if not running:
        return problems
    lowest = min(version for _name, version in running)
    highest = max(version for _name, version in running)
    want_minor = wanted[:2]

    def named(select):
        return ', '.join('%s (%s)' % (name, _show(version)) for name, version in running if select(version))

    if want_minor < highest[:2]:
        problems.append(
            '%s is an older minor version than members run: %s; etcd does not go back a minor version by a '
            'restart (only with its downgrade API, "etcdctl downgrade"), so the role will not' % (_show(wanted), named(lambda v: v[:2] > want_minor))
        )
    if (wanted[0] == lowest[0] and wanted[1] > lowest[1] + 1) or wanted[0] > lowest[0]:
        problems.append(
            '%s skips a minor version: %s; etcd upgrades one minor version at a time, so upgrade those to the '
            'newest %d.%d release first' % (_show(wanted), named(lambda v: v[:2] == lowest[:2]), lowest[0], lowest[1] + 1)
        )
    elif want_minor == (3, 6) and any(v[:2] == (3, 5) and v < MIN_35_BEFORE_36 for _n, v in running):
        problems.append(
            '%s needs every 3.5 member on %s or later first (etcd\'s upgrade guide); these are not: %s; upgrade '
            'them to the newest 3.5 release first' % (_show(wanted), _show(MIN_35_BEFORE_36), named(lambda v: v[:2] == (3, 5) and v < MIN_35_BEFORE_36))
        )
    enable_v2 = str((extra_env or {}).get('ETCD_ENABLE_V2', '')).strip().lower()
    if wanted >= (3, 6, 0) and enable_v2 in ('true', '1', 'yes', 'on'):
        problems.append(
            '%s has no v2 API: remove ETCD_ENABLE_V2 from etcd_extra_env (and check the v2 store holds no data '
            'of your own, "etcdutl check v2store") before the upgrade' % _show(wanted)
        )
    return problems


class FilterModule:
    def filters(self):
        return {'etcd_upgrade_problems': etcd_upgrade_problems}
