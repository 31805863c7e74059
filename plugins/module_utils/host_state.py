# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""A host's service and package state: systemd units (``systemctl show``), Debian packages
(``dpkg-query``) and commands on the PATH, each read with one command for all names.

The parsers take the commands' output, so they are unit-tested without a host; ``read_*`` run
the commands through ``AnsibleModule.run_command`` (no shell). Standard library only.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

# What the roles read of a unit (the shape ansible.builtin.systemd_service returns in `status`).
UNIT_PROPERTIES = ('LoadState', 'ActiveState', 'UnitFileState')
# dpkg-query's output: one line per package found, fields separated by tabs.
DPKG_FORMAT = '${Package}\\t${db:Status-Abbrev}\\t${Version}\\n'
_VERSION = re.compile(r'[0-9]+\.[0-9]+\.[0-9]+')


def parse_systemctl_show(text: str, units: List[str]) -> Dict[str, Dict[str, str]]:
    """`systemctl show -p ... <units>` as {unit: {property: value}}.

    systemctl prints one block of ``Key=value`` lines per unit, in the order asked, blocks
    separated by an empty line; a unit it knows nothing of still gets a block
    (``LoadState=not-found``). A unit without a block (systemctl failed) maps to {}.
    """
    blocks: List[Dict[str, str]] = []
    current: Dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            if current:
                blocks.append(current)
                current = {}
            continue
        key, sep, value = line.partition('=')
        if sep and re.match(r'^[A-Za-z]+$', key):
            current[key] = value
    if current:
        blocks.append(current)
    return {unit: (blocks[index] if index < len(blocks) else {}) for index, unit in enumerate(units)}


def parse_dpkg_query(text: str, packages: List[str]) -> Dict[str, Dict[str, Any]]:
    """`dpkg-query -W -f=DPKG_FORMAT <packages>` as {package: {installed, status, version}}.

    `installed` is dpkg's "ii" (wanted install, installed); a package dpkg does not know is not
    printed at all and comes back as status '' and not installed.
    """
    found: Dict[str, Dict[str, Any]] = {}
    for line in text.splitlines():
        fields = line.split('\t')
        if len(fields) < 3 or not fields[0]:
            continue
        status = fields[1].strip()
        found[fields[0]] = {'installed': status.startswith('ii'), 'status': status, 'version': fields[2].strip()}
    return {name: found.get(name, {'installed': False, 'status': '', 'version': ''}) for name in packages}


def parse_version_output(text: str) -> Dict[str, Any]:
    """A command's `--version` output: {found, output, version}.

    `found` is true when the output holds a digit (an answer, not an error message on stdout);
    `version` is its first MAJOR.MINOR.PATCH ('' when there is none).
    """
    output = (text or '').strip()
    match = _VERSION.search(output)
    return {'found': bool(re.search(r'[0-9]', output)), 'output': output, 'version': match.group(0) if match else ''}


def read_units(module: Any, units: List[str]) -> Dict[str, Dict[str, str]]:
    """The state of `units` (UNIT_PROPERTIES), one `systemctl show` for all; {} per unit without systemd."""
    if not units:
        return {}
    systemctl = module.get_bin_path('systemctl')
    if not systemctl:
        return {unit: {} for unit in units}
    argv = [systemctl, 'show']
    for prop in UNIT_PROPERTIES:
        argv += ['-p', prop]
    dummy, out, dummy2 = module.run_command(argv + list(units))
    return parse_systemctl_show(out, units)


def read_packages(module: Any, packages: List[str]) -> Dict[str, Dict[str, Any]]:
    """The dpkg state of `packages`, one `dpkg-query` for all (exit code 1 only says one is unknown)."""
    if not packages:
        return {}
    dpkg_query = module.get_bin_path('dpkg-query')
    if not dpkg_query:
        return parse_dpkg_query('', packages)
    dummy, out, dummy2 = module.run_command([dpkg_query, '-W', '-f=' + DPKG_FORMAT] + list(packages))
    return parse_dpkg_query(out, packages)


def read_commands(module: Any, commands: List[str]) -> Dict[str, str]:
    """The path of each command found on the PATH (and the sbin directories), '' when none."""
    return {name: module.get_bin_path(name) or '' for name in commands}


def read_versions(module: Any, commands: List[str]) -> Dict[str, Dict[str, Any]]:
    """`<command> --version` of each command (parse_version_output); not found when absent."""
    versions = {}
    for name in commands:
        path = module.get_bin_path(name)
        out = module.run_command([path, '--version'])[1] if path else ''
        versions[name] = parse_version_output(out)
    return versions
