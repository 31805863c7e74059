# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Environment files (``NAME=value`` lines): flanneld's subnet.env and systemd's EnvironmentFile=.

One reader for both: ``assignments`` yields the lines; flannel.parse_subnet_env is strict about
them (a line that is not ``NAME=value`` is an error), ``parse_env_file`` reads them as systemd does
(such a line is skipped).
"""

from __future__ import annotations

import re
from typing import Dict, Iterator, Optional, Tuple

_NAME = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$')


def assignments(text: Optional[str], comments: str = '#') -> Iterator[Tuple[int, str, str, Optional[str]]]:
    """``(line number, raw line, name, value)`` for each line that is not empty or a comment.

    A leading ``export`` is dropped, spaces around the name and the value are stripped and one pair
    of matching quotes around the value is removed. ``value`` is None on a line without ``=``.
    ``comments``: the characters that start a comment line.
    """
    for lineno, raw in enumerate((text or '').splitlines(), 1):
        line = raw.strip()
        if not line or line[0] in comments:
            continue
        if line.startswith('export '):
            line = line[len('export ') :].strip()
        name, sep, value = line.partition('=')
        if not sep:
            yield lineno, raw, name.strip(), None
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in '"\'':
            value = value[1:-1]
        yield lineno, raw, name.strip(), value


def parse_env_file(text: Optional[str]) -> Dict[str, str]:
    """Variables of an EnvironmentFile (``NAME=value`` lines, ``#``/``;`` comments, optional quotes).

    Lines that are not an assignment of a valid name are skipped, as systemd does.
    """
    env = {}
    for dummy, dummy_raw, name, value in assignments(text, comments='#;'):
        if value is not None and _NAME.match(name):
            env[name] = value
    return env
