# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Atomic file writes, shared by the modules on the nodes and the action plugins on the controller.

A file is written to a temporary file in its own directory and moved over the target, so a reader
never sees half a file. On a node the move is the module's ``atomic_move`` (which keeps the
target's owner, mode and SELinux context); on the controller ``os.replace``.
"""

from __future__ import annotations

import os
import stat
import tempfile
from typing import Callable, Optional


def read_bytes(path: str) -> Optional[bytes]:
    """The content of ``path``, or None when it does not exist (or a parent is not a directory).

    Other errors (permissions, a directory at ``path``) raise OSError.
    """
    try:
        with open(path, 'rb') as handle:
            return handle.read()
    except (FileNotFoundError, NotADirectoryError):
        return None


def write_atomic(
    path: str, data: bytes, mode: Optional[int] = None, move: Optional[Callable[[str, str], object]] = None, prefix: Optional[str] = None, dir_mode: int = 0o755
) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory, then ``move`` it there.

    Missing parent directories are created with ``dir_mode``. ``mode`` is given to a file that does
    not exist yet; an existing file keeps its mode. ``move(tmp, path)`` defaults to ``os.replace``.
    Raises OSError; the temporary file is removed when the write fails before the move.
    """
    directory = os.path.dirname(path) or '.'
    if not os.path.isdir(directory):
        os.makedirs(directory, dir_mode, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=prefix or '.%s.' % os.path.basename(path))
    try:
        with os.fdopen(fd, 'wb') as handle:
            handle.write(data)
        try:
            os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
        except FileNotFoundError:
            if mode is not None:
                os.chmod(tmp, mode)
    except BaseException:
        os.unlink(tmp)
        raise
    (move or os.replace)(tmp, path)


def read_text(path: str) -> Optional[str]:
    """A file's text (UTF-8), or None when it does not exist (a link to /dev/null reads as empty)."""
    try:
        with open(path, 'r', encoding='utf-8') as handle:
            return handle.read()
    except FileNotFoundError:
        return None
