# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""systemd unit files as systemd reads them: sections and directives (continuation lines, comments),
command lines (quotes, escapes), the environment ``ExecStart=`` sees (``Environment=`` and
``EnvironmentFile=``), the effective ``ExecStart=`` lines of a unit and its drop-ins, and finding
the drop-ins of a unit on disk.

Standard library only: this file is shipped to the managed nodes.
"""

from __future__ import annotations

import os
import re
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

from ansible_collections.podnet.flannel.plugins.module_utils.envfile import parse_env_file
from ansible_collections.podnet.flannel.plugins.module_utils.files import read_text

_VAR_WORD = re.compile(r'^\$([A-Za-z_][A-Za-z0-9_]*)$')
_VAR_BRACED = re.compile(r'\$\{([A-Za-z_][A-Za-z0-9_]*)\}')


class UnitError(ValueError):
    """A unit file that cannot be read as systemd reads it; the message says where."""


def parse_unit(text: Optional[str]) -> List[Dict[str, Any]]:
    """Directives of a unit file: list of dicts with section, key, value and the 0-based first and
    last physical line (a directive continued with a trailing backslash spans several lines)."""
    lines = (text or '').splitlines()
    directives = []
    section = None
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if not stripped or stripped[0] in '#;':
            i += 1
            continue
        if stripped.startswith('[') and stripped.endswith(']'):
            section = stripped[1:-1].strip()
            i += 1
            continue
        first = i
        logical = stripped
        while logical.endswith('\\') and i + 1 < len(lines):
            i += 1
            following = lines[i].strip()
            if following[:1] in ('#', ';'):
                continue
            logical = logical[:-1] + ' ' + following
        if logical.endswith('\\'):
            logical = logical[:-1]
        key, sep, value = logical.partition('=')
        if sep:
            directives.append({'section': section, 'key': key.strip(), 'value': value.strip(), 'first': first, 'last': i})
        i += 1
    return directives


def split_command(text: str) -> List[Dict[str, Any]]:
    """Split a command line the way systemd does (quotes, backslash escapes).

    Returns a list of dicts ``raw`` (the text as written), ``value`` (unquoted) and ``quoted``.
    Raises UnitError on an unterminated quote.
    """
    tokens = []
    i = 0
    n = len(text)
    while i < n:
        while i < n and text[i] in ' \t':
            i += 1
        if i >= n:
            break
        start = i
        value = []
        quoted = False
        while i < n and text[i] not in ' \t':
            char = text[i]
            if char in '"\'':
                quoted = True
                i += 1
                while i < n and text[i] != char:
                    if text[i] == '\\' and i + 1 < n:
                        i += 1
                    value.append(text[i])
                    i += 1
                if i >= n:
                    raise UnitError('unterminated quote in %r' % (text,))
                i += 1
            elif char == '\\' and i + 1 < n:
                value.append(text[i + 1])
                i += 2
            else:
                value.append(char)
                i += 1
        tokens.append({'raw': text[start:i], 'value': ''.join(value), 'quoted': quoted})
    return tokens


def unit_environment(units: List[Dict[str, Any]], read_file: Optional[Callable[[str], Optional[str]]] = None) -> Dict[str, Tuple[str, Optional[str]]]:
    """Variables ExecStart= sees: ``Environment=`` of all files in order, then the
    ``EnvironmentFile=`` files (which override, as in systemd). An empty directive resets its list.

    ``read_file(path)`` returns a file's text or None when it does not exist.
    Returns {name: (value, source path)}.
    """
    assignments = []
    env_files = []
    for unit in units:
        for item in parse_unit(unit['text']):
            if item['section'] != 'Service':
                continue
            if item['key'] == 'Environment':
                if not item['value']:
                    assignments = []
                    continue
                for token in split_command(item['value']):
                    name, sep, value = token['value'].partition('=')
                    if sep:
                        assignments.append((name, value, unit['path']))
            elif item['key'] == 'EnvironmentFile':
                if not item['value']:
                    env_files = []
                    continue
                env_files.append(item['value'].lstrip('-').strip())
    env = {}
    for name, value, source in assignments:
        env[name] = (value, source)
    if read_file is not None:
        for path in env_files:
            text = read_file(path)
            if text is None:
                continue
            for name, value in parse_env_file(text).items():
                env[name] = (value, path)
    return env


def command_words(value: str, env: Dict[str, Tuple[str, Optional[str]]]) -> List[Dict[str, Any]]:
    """Words of an ExecStart value after variable expansion.

    Each word is a dict ``value``, ``token`` (index into split_command's tokens) and ``variable``
    (name of the variable the word came from, or None).
    """
    words = []
    for index, token in enumerate(split_command(value)):
        match = None if token['quoted'] else _VAR_WORD.match(token['raw'])
        if match:
            name = match.group(1)
            for part in env.get(name, ('', None))[0].split():
                words.append({'value': part, 'token': index, 'variable': name})
            continue
        braced = _VAR_BRACED.findall(token['value'])
        if braced:
            text = _VAR_BRACED.sub(lambda m: env.get(m.group(1), ('', None))[0], token['value'])
            words.append({'value': text, 'token': index, 'variable': braced[0]})
            continue
        words.append({'value': token['value'], 'token': index, 'variable': None})
    if words:
        words[0]['value'] = words[0]['value'].lstrip('@-:+!')
    return words


def exec_start_entries(units: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The effective ExecStart= directives: list of dicts path, editable, first, last, value.

    Files are taken in the order given (the unit, then its drop-ins in systemd order); an empty
    ``ExecStart=`` clears the directives before it.
    """
    entries = []
    for unit in units:
        for item in parse_unit(unit['text']):
            if item['section'] != 'Service' or item['key'] != 'ExecStart':
                continue
            if not item['value']:
                entries = []
                continue
            entries.append({'path': unit['path'], 'editable': bool(unit.get('editable')), 'first': item['first'], 'last': item['last'], 'value': item['value']})
    return entries


def replace_lines(text: str, replacements: List[Tuple[int, int, str]]) -> str:
    """Replace line ranges: replacements is a list of (first, last, new_line)."""
    lines = text.splitlines()
    for first, last, new_line in sorted(replacements, reverse=True):
        lines[first : last + 1] = [new_line]
    return '\n'.join(lines) + '\n'


def insert_dropin(units: List[Dict[str, Any]], path: str, text: str) -> List[Dict[str, Any]]:
    """Put a drop-in into the systemd order (main unit first, drop-ins sorted by file name)."""
    name = os.path.basename(path)
    rest = [u for u in units[1:] if os.path.basename(u['path']) != name]
    rest.append({'path': path, 'text': text, 'editable': True})
    rest.sort(key=lambda u: os.path.basename(u['path']))
    return units[:1] + rest


def find_unit_files(unit_paths: Iterable[str], dropin_dir: str) -> List[Dict[str, Any]]:
    """The unit file and its drop-ins in systemd order, as a list of dicts path, text, editable.

    The unit file is the first of ``unit_paths`` that exists (``/etc/systemd/system/docker.service``
    masks ``/lib/systemd/system/docker.service``). Drop-ins are the ``*.conf`` files of
    ``dropin_dir`` and of ``<dir of each unit path>/<unit name>.d``, sorted by file name; a file name
    in an earlier directory masks the same name in later ones. Only drop-ins of ``dropin_dir`` are
    editable. Returns [] when no unit file exists.
    """
    unit_paths = list(unit_paths)
    if not unit_paths:
        return []
    main = None
    for path in unit_paths:
        if os.path.isfile(path):
            main = path
            break
    if main is None:
        return []
    unit_name = os.path.basename(unit_paths[0])
    dirs = []
    for directory in [dropin_dir] + [os.path.join(os.path.dirname(p), unit_name + '.d') for p in unit_paths]:
        directory = os.path.normpath(directory)
        if directory not in dirs:
            dirs.append(directory)
    editable_dir = os.path.normpath(dropin_dir)
    dropins = {}
    for directory in dirs:
        if not os.path.isdir(directory):
            continue
        for name in sorted(os.listdir(directory)):
            if name.endswith('.conf') and name not in dropins:
                dropins[name] = os.path.join(directory, name)
    units = [{'path': main, 'text': read_text(main) or '', 'editable': False}]
    for name in sorted(dropins):
        path = dropins[name]
        units.append({'path': path, 'text': read_text(path) or '', 'editable': os.path.dirname(path) == editable_dir})
    return units
