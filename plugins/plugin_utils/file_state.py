# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""What should be on a host against what one podnet.flannel.path_info call saw there.

Controller-side, pure logic shared by the ``files`` action plugin (which writes only what
differs) and the ``files_to_change`` filter. An item is a dict with ``path`` (or ``dest``) and
one of ``content`` (text), ``src`` (a file on the controller) or ``state: directory``, and
optionally ``mode``, ``owner`` and ``group``. A host entry has the shape path_info (and
ansible.builtin.find with ``get_checksum``) returns: ``path``, ``isdir``, ``isreg``,
``checksum`` (SHA-1), ``mode``, ``pw_name``, ``gr_name``.
"""

from __future__ import annotations

import hashlib
from typing import Any, Dict, List, Optional

from ansible.module_utils.common.text.converters import to_bytes

# The keys an item may carry (the files action's documented suboptions).
ITEM_KEYS = ('path', 'dest', 'state', 'content', 'src', 'template', 'mode', 'owner', 'group')
SOURCES = ('content', 'src', 'template')
STATES = ('file', 'directory')


def sha1_text(text: Any) -> str:
    """SHA-1 of ``text`` as UTF-8, as ansible.builtin.copy compares files."""
    return hashlib.sha1(to_bytes(text, errors='surrogate_or_strict')).hexdigest()


def sha1_file(path: str) -> str:
    """SHA-1 of a controller file; raises OSError."""
    digest = hashlib.sha1()
    with open(path, 'rb') as handle:
        for chunk in iter(lambda: handle.read(1048576), b''):
            digest.update(chunk)
    return digest.hexdigest()


def mode_bits(value: Any) -> Optional[int]:
    """'0644', '644', 0o644 or 420 -> 420; None stays None. Raises ValueError on anything else."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError('not a mode: %r' % (value,))
    if isinstance(value, int):
        return value
    return int(str(value), 8)


def item_path(item: Dict[str, Any]) -> Optional[str]:
    """An item's path on the host (``path``, or ``dest`` as the copy module names it)."""
    return item.get('path', item.get('dest'))


def item_errors(items: Any, name: str = 'files') -> List[str]:
    """Why ``items`` cannot be written, one message per problem naming ``name`` and the entry."""
    if not isinstance(items, list):
        return ['%s: expects a list of dicts, got %s' % (name, type(items).__name__)]
    errors = []
    seen = set()
    for index, item in enumerate(items):
        where = '%s[%d]' % (name, index)
        if not isinstance(item, dict):
            errors.append('%s: expects a dict with path and one of content, src, template or state=directory, got %r' % (where, item))
            continue
        unknown = sorted(set(item) - set(ITEM_KEYS))
        if unknown:
            errors.append('%s: unknown keys %s (known: %s)' % (where, ', '.join(unknown), ', '.join(ITEM_KEYS)))
        path = item_path(item)
        if not isinstance(path, str) or not path.startswith('/'):
            errors.append('%s: path must be an absolute path on the host, got %r' % (where, path))
        elif path in seen:
            errors.append('%s: %s is listed twice' % (where, path))
        else:
            seen.add(path)
        state = item.get('state', 'file')
        sources = [key for key in SOURCES if key in item]
        if state not in STATES:
            errors.append('%s: state must be one of %s, got %r' % (where, ', '.join(STATES), state))
        elif state == 'directory' and sources:
            errors.append('%s: a directory takes no %s' % (where, ', '.join(sources)))
        elif state == 'file' and len(sources) != 1:
            errors.append('%s: give exactly one of %s (got %s)' % (where, ', '.join(SOURCES), ', '.join(sources) or 'none'))
        try:
            mode_bits(item.get('mode'))
        except ValueError:
            errors.append('%s: mode must be octal such as "0644", got %r' % (where, item.get('mode')))
    return errors


def differs(item: Dict[str, Any], have: Optional[Dict[str, Any]], checksum: Optional[str] = None) -> bool:
    """True when the host's entry ``have`` (None: absent) does not match ``item``.

    ``checksum`` is the SHA-1 the file must have; without it the item's ``content`` or ``src``
    gives it. A ``src`` that cannot be read differs (its copy then fails and names it).
    """
    if have is None:
        return True
    if item.get('state') == 'directory':
        if not have.get('isdir'):
            return True
    else:
        if not have.get('isreg', True) or 'checksum' not in have:
            return True
        if checksum is None:
            if 'content' in item:
                checksum = sha1_text(item['content'])
            else:
                try:
                    checksum = sha1_file(item['src'])
                except (OSError, TypeError, KeyError):
                    return True
        if checksum != have['checksum']:
            return True
    if item.get('mode') is not None and mode_bits(item['mode']) != mode_bits(have.get('mode')):
        return True
    if item.get('owner') is not None and str(item['owner']) != str(have.get('pw_name')):
        return True
    if item.get('group') is not None and str(item['group']) != str(have.get('gr_name')):
        return True
    return False


def by_path(found: List[Dict[str, Any]]) -> Dict[str, Dict[str, Any]]:
    """path_info's (or find's) ``files`` keyed by path."""
    return dict((entry.get('path'), entry) for entry in found if isinstance(entry, dict))
