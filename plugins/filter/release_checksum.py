# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""release_checksum: the pinned sha256 of a release asset, read from a table keyed by architecture
then version (kubespray's layout, such as its etcd_binary_checksums). The etcd and flannel roles
both read their tables with it (etcd_release_checksums, flannel_release_checksums).

The layout version then architecture (what flannel_release_checksums used to be) is still read,
with a deprecation warning that names the variable and shows the table rewritten."""

from __future__ import annotations

import json
import re
from typing import Any, Dict, Optional

from ansible.errors import AnsibleFilterError
from ansible.utils.display import Display

display = Display()

# A top-level key that is a version, not an architecture: v0.28.10, v1, 3.6.14, 3.6 (GOARCH names
# such as amd64, arm64, 386 or ppc64le never look like this).
_VERSION_KEY = re.compile(r'^(v\d|\d+(\.\d+)+$)')


def _is_version(key: Any) -> bool:
    return bool(_VERSION_KEY.match(str(key)))


def _get(mapping: Dict[Any, Any], key: str) -> Any:
    """mapping[key], also when YAML read the key as another type (3.6 as a float); None when missing."""
    if key in mapping:
        return mapping[key]
    for candidate, value in mapping.items():
        if str(candidate) == key:
            return value
    return None


def _check_entries(table: Dict[Any, Any], variable_name: str, outer: str, inner: str) -> None:
    for key, entry in table.items():
        if not isinstance(entry, dict):
            raise AnsibleFilterError(
                '%s: the entry of %s %s must be a mapping of %s to "sha256:<hex>", got %s %r' % (variable_name, outer, key, inner, type(entry).__name__, entry)
            )


def rewritten(table: Dict[Any, Any]) -> Dict[str, Dict[str, Any]]:
    """A table keyed version -> architecture, keyed architecture -> version."""
    out: Dict[str, Dict[str, Any]] = {}
    for version, per_arch in table.items():
        for arch, checksum in per_arch.items():
            out.setdefault(str(arch), {})[str(version)] = checksum
    return out


def release_checksum(table: Any, version: Any, arch: Any, variable_name: str = 'the checksum table') -> str:
    """The checksum of ``version`` on ``arch`` in ``table`` (architecture -> version -> "sha256:<hex>"),
    or '' when the table has none. A table keyed version -> architecture is read too, with a
    deprecation warning."""
    name = str(variable_name)
    if not isinstance(table, dict):
        raise AnsibleFilterError('%s: expected a mapping of architecture to {version: "sha256:<hex>"}, got %s %r' % (name, type(table).__name__, table))
    version, arch = str(version), str(arch)
    keys = list(table)
    old = bool(keys) and all(_is_version(key) for key in keys)
    if not old and any(_is_version(key) for key in keys):
        raise AnsibleFilterError(
            '%s: top-level keys must all be architectures (amd64, arm64, ...), with the versions under them; '
            'found versions among them: %s' % (name, ', '.join(sorted(str(key) for key in keys if _is_version(key))))
        )
    if old:
        _check_entries(table, name, 'version', 'architecture')
        display.deprecated(
            '%s is keyed by version then architecture; key it by architecture then version instead, as '
            'etcd_release_checksums and kubespray do. Rewritten: %s: %s' % (name, name, json.dumps(rewritten(table), sort_keys=True)),
            version='1.0.0',  # the layout version -> architecture is no longer read from 1.0.0 on
            collection_name='podnet.flannel',
        )
        per_version: Optional[Dict[Any, Any]] = _get(table, version)
        checksum = _get(per_version, arch) if per_version else None
    else:
        _check_entries(table, name, 'architecture', 'version')
        per_arch: Optional[Dict[Any, Any]] = _get(table, arch)
        checksum = _get(per_arch, version) if per_arch else None
    if checksum is None:
        return ''
    if not isinstance(checksum, str):
        raise AnsibleFilterError(
            '%s: the checksum of %s on %s must be a string "sha256:<hex>", got %s %r' % (name, version, arch, type(checksum).__name__, checksum)
        )
    return checksum


class FilterModule:
    def filters(self):
        return {'release_checksum': release_checksum}
