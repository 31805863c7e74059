# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""dockerd's command line in its systemd unit, against daemon.json.

dockerd refuses to start when a directive is set both as a command line flag and in daemon.json.
The effective ``ExecStart=`` of the unit and its drop-ins (an empty ``ExecStart=`` clears the ones
before it; ``$VAR``/``${VAR}`` come from ``Environment=``/``EnvironmentFile=``) is searched for
``--bip``, ``--mtu``, ``--ip-masq``, ``--iptables``, ``--bridge``/``-b``, ``--fixed-cidr``, ``--ipv6`` and ``--fixed-cidr-v6``; the
conflicts can be removed from editable drop-ins or overridden by a drop-in that resets
``ExecStart=``.

Standard library only: this file is shipped to the managed nodes.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Dict, List, Optional, Tuple

from ansible_collections.podnet.flannel.plugins.module_utils.docker_daemon import DEFAULT_PATH
from ansible_collections.podnet.flannel.plugins.module_utils.systemd_unit import (
    command_words,
    exec_start_entries,
    insert_dropin,
    replace_lines,
    split_command,
    unit_environment,
)

DEFAULT_UNIT_PATHS = ('/etc/systemd/system/docker.service', '/lib/systemd/system/docker.service')
DEFAULT_DROPIN_DIR = '/etc/systemd/system/docker.service.d'
OVERRIDE_DROPIN = 'podnet-execstart.conf'
# dockerd flag -> daemon.json key. Boolean flags take no separate value word (``--ip-masq=false``).
FLAG_KEYS = {
    '--bip': 'bip',
    '--mtu': 'mtu',
    '--ip-masq': 'ip-masq',
    '--iptables': 'iptables',
    '--bridge': 'bridge',
    '-b': 'bridge',
    '--fixed-cidr': 'fixed-cidr',
    '--ipv6': 'ipv6',
    '--fixed-cidr-v6': 'fixed-cidr-v6',
}
BOOL_FLAGS = ('--ip-masq', '--iptables', '--ipv6')


def find_flags(words: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """dockerd flags of FLAG_KEYS among ``words`` (the first word, the binary, is skipped).

    Returns a list of dicts ``flag`` (as in FLAG_KEYS), ``key`` (daemon.json key), ``words``
    (indices of the words the flag occupies: one, or two for ``--bip 10.1.0.1/24``), ``text``.
    """
    found = []
    i = 1
    while i < len(words):
        word = words[i]['value']
        if word == '--':
            break
        flag = None
        width = 1
        if word.startswith('--'):
            name, sep, dummy = word.partition('=')
            if name in FLAG_KEYS:
                flag = name
                if not sep and name not in BOOL_FLAGS:
                    width = 2
        elif word.startswith('-b'):
            flag = '-b'
            if word == '-b':
                width = 2
        if flag is None:
            i += 1
            continue
        indices = list(range(i, min(i + width, len(words))))
        found.append({'flag': flag, 'key': FLAG_KEYS[flag], 'words': indices, 'text': ' '.join(words[j]['value'] for j in indices)})
        i += width
    return found


def flag_conflict_reason(flag: str, key: str, config: Dict[str, Any]) -> Optional[str]:
    """Why a flag conflicts with ``config`` (the resulting daemon.json), or None when it does not."""
    if key == 'bridge':
        if 'bip' in config:
            return '%s and daemon.json "bip" are mutually exclusive: dockerd refuses to start' % flag
        if 'bridge' in config:
            return 'bridge is set both as flag %s and in daemon.json: dockerd refuses to start' % flag
        return None
    if key == 'fixed-cidr':
        if 'fixed-cidr' in config:
            return 'fixed-cidr is set both as flag %s and in daemon.json: dockerd refuses to start' % flag
        if 'bip' in config:
            return '%s must lie inside daemon.json "bip" %s; a flag left from another subnet stops dockerd' % (flag, config['bip'])
        return None
    if key in config:
        return '%s is set both as flag %s and in daemon.json: dockerd refuses to start' % (key, flag)
    return None


def analyze_units(
    units: List[Dict[str, Any]], config: Dict[str, Any], read_file: Optional[Callable[[str], Optional[str]]] = None
) -> Dict[str, List[Dict[str, Any]]]:
    """Conflicts between the effective ExecStart= lines and ``config`` (the resulting daemon.json).

    ``units``: the unit file then its drop-ins in systemd order, each a dict path, text, editable
    (editable: a drop-in this module may rewrite). ``read_file``: see unit_environment.

    Returns {'entries': [...], 'conflicts': [...]}; each conflict is a dict ``path`` (the file that
    sets the flag: the unit file, or the environment file for a flag coming from a variable),
    ``unit_path``, ``line`` (1-based), ``flag``, ``text``, ``key``, ``reason``, ``editable``
    (the flag can be removed from an editable drop-in), ``variable``.
    """
    env = unit_environment(units, read_file)
    entries = exec_start_entries(units)
    conflicts = []
    for entry in entries:
        words = command_words(entry['value'], env)
        entry['words'] = words
        entry['flags'] = []
        for found in find_flags(words):
            reason = flag_conflict_reason(found['flag'], found['key'], config)
            if reason is None:
                continue
            variable = None
            for j in found['words']:
                variable = variable or words[j]['variable']
            source = env.get(variable, (None, None))[1] if variable else None
            found['variable'] = variable
            entry['flags'].append(found)
            conflicts.append(
                {
                    'path': source or entry['path'],
                    'unit_path': entry['path'],
                    'line': entry['first'] + 1,
                    'flag': found['flag'],
                    'text': found['text'],
                    'key': found['key'],
                    'reason': reason,
                    'editable': entry['editable'] and variable is None,
                    'variable': variable,
                }
            )
    return {'entries': entries, 'conflicts': conflicts}


def clean_exec_start(entry: Dict[str, Any]) -> str:
    """The ExecStart value of an analyzed entry without its conflicting flags (tokens as written)."""
    tokens = split_command(entry['value'])
    drop = set()
    for found in entry['flags']:
        if found.get('variable'):
            continue
        for j in found['words']:
            drop.add(entry['words'][j]['token'])
    return ' '.join(token['raw'] for index, token in enumerate(tokens) if index not in drop)


def override_text(entries: List[Dict[str, Any]], sources: List[str], daemon_json: str = DEFAULT_PATH) -> str:
    """A drop-in that replaces ExecStart= with the cleaned ``entries``."""
    lines = [
        '# Written by podnet.flannel.docker_bridge: the ExecStart= of %s' % ', '.join(sources),
        '# without the flags that conflict with %s (dockerd refuses a setting given both ways).' % daemon_json,
        '# Remove this file (then systemctl daemon-reload) to return to the packaged command line.',
        '[Service]',
        'ExecStart=',
    ]
    for entry in entries:
        lines.append('ExecStart=%s' % clean_exec_start(entry))
    return '\n'.join(lines) + '\n'


def plan_unit_fixes(
    units: List[Dict[str, Any]],
    config: Dict[str, Any],
    dropin_dir: str,
    read_file: Optional[Callable[[str], Optional[str]]] = None,
    override_name: str = OVERRIDE_DROPIN,
    daemon_json: str = DEFAULT_PATH,
) -> Tuple[Dict[str, str], List[Dict[str, Any]]]:
    """Remove the conflicting flags from the units.

    1. Flags in editable drop-ins are removed from their ExecStart= lines.
    2. Flags left in other files (the packaged unit under /lib, read-only drop-ins) are overridden by
       the drop-in ``dropin_dir/override_name``: ``ExecStart=`` reset, then the effective lines
       without the flags.
    Flags that come from a variable (``$DOCKER_OPTS`` of an EnvironmentFile) cannot be removed this
    way and stay in the returned conflicts.

    Returns (changes, remaining): changes {path: new text} for the files to write, remaining the
    conflicts still there after the changes.
    """
    analysis = analyze_units(units, config, read_file)
    if not analysis['conflicts']:
        return {}, []
    changes = {}
    per_file = {}
    for entry in analysis['entries']:
        if entry['editable'] and any(not f.get('variable') for f in entry['flags']):
            per_file.setdefault(entry['path'], []).append((entry['first'], entry['last'], 'ExecStart=%s' % clean_exec_start(entry)))
    current = [dict(u) for u in units]
    for unit in current:
        if unit['path'] in per_file:
            unit['text'] = replace_lines(unit['text'], per_file[unit['path']])
            changes[unit['path']] = unit['text']
    analysis = analyze_units(current, config, read_file)
    fixable = [c for c in analysis['conflicts'] if not c['variable']]
    if fixable:
        path = os.path.join(dropin_dir, override_name)
        sources = []
        for entry in analysis['entries']:
            if entry['path'] not in sources:
                sources.append(entry['path'])
        text = override_text(analysis['entries'], sources, daemon_json)
        current = insert_dropin(current, path, text)
        changes[path] = text
        analysis = analyze_units(current, config, read_file)
    return changes, analysis['conflicts']


def describe_conflict(conflict: Dict[str, Any]) -> str:
    """One line for an error message: file, flag, why, and the fix."""
    where = '%s (ExecStart= at line %d)' % (conflict['unit_path'], conflict['line'])
    if conflict['variable']:
        where = '$%s set in %s, used by ExecStart= of %s line %d' % (conflict['variable'], conflict['path'], conflict['unit_path'], conflict['line'])
        fix = 'remove %s from %s in %s' % (conflict['text'], conflict['variable'], conflict['path'])
    elif conflict['editable']:
        fix = 'remove %s from that drop-in, or run with unit_conflicts=remove' % conflict['text']
    else:
        fix = 'run with unit_conflicts=remove to override ExecStart= in a drop-in without %s' % conflict['text']
    return '%s in %s: %s; %s' % (conflict['text'], where, conflict['reason'], fix)
