# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""One canonical JSON text: equal data give equal text, whatever the key order."""

from __future__ import annotations

import json
from typing import Any


def canonical_json(data: Any, ensure_ascii: bool = False) -> str:
    """Compact JSON with sorted keys.

    ``ensure_ascii``: escape non-ASCII characters (the pod labels and spec hashes use it, so that a
    label value is plain ASCII and the hashes of existing pods stay as they are); etcd values keep
    them as they are.
    """
    return json.dumps(data, sort_keys=True, separators=(',', ':'), ensure_ascii=ensure_ascii)
