# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""go_sumdb_skipped: the Go settings that would let a module download skip Go's checksum database.

The flannel role builds flanneld from its upstream Go module (flannel_install_method: build) and
promises that the module is checked against the checksum database (sum.golang.org, or the
GOSUMDB the user names). `go mod download` does that unless GOSUMDB=off, or the module path
matches a pattern of GONOSUMDB (which defaults to GOPRIVATE). This filter reads `go env -json`
and names each such setting, so the role refuses the build before anything changes.
The matching follows Go's module.MatchPrefixPatterns: comma-separated glob patterns, each
matched (path.Match) against as many leading path elements of the module path as it has.
"""

from __future__ import annotations

import fnmatch

from ansible.errors import AnsibleFilterError


def _element_match(pattern, name):
    # path.Match's negated class is [^...]; fnmatch's is [!...]. '*' never spans a '/' here:
    # both sides are single path elements.
    return fnmatch.fnmatchcase(name, pattern.replace('[^', '[!'))


def match_prefix_patterns(globs, target):
    """True when a comma-separated glob of `globs` matches a prefix of path elements of `target`."""
    for glob in (globs or '').split(','):
        glob = glob.strip().rstrip('/')
        if not glob:
            continue
        pattern = glob.split('/')
        elements = target.split('/')
        if len(elements) < len(pattern):
            continue
        if all(_element_match(p, e) for p, e in zip(pattern, elements)):
            return True
    return False


def go_sumdb_skipped(go_env, module):
    """Settings of `go_env` (a `go env -json` dict) under which `module` is not checked against the checksum database.

    Returns a list of 'NAME=value' strings; empty when the download is verified.
    """
    if not isinstance(go_env, dict):
        raise AnsibleFilterError('go_sumdb_skipped: expects the dict of `go env -json`, got %r' % (go_env,))
    if not isinstance(module, str) or not module:
        raise AnsibleFilterError('go_sumdb_skipped: expects a module path, got %r' % (module,))
    reasons = []
    sumdb = str(go_env.get('GOSUMDB') or '').strip()
    if sumdb == 'off':
        reasons.append('GOSUMDB=off')
    # GONOSUMDB defaults to GOPRIVATE (an empty GONOSUMDB means "not set" to the go command).
    nosumdb = str(go_env.get('GONOSUMDB') or '')
    name = 'GONOSUMDB'
    if not nosumdb.strip():
        nosumdb, name = str(go_env.get('GOPRIVATE') or ''), 'GOPRIVATE'
    if match_prefix_patterns(nosumdb, module):
        reasons.append('%s=%s' % (name, nosumdb))
    return reasons


class FilterModule:
    def filters(self):
        return {'go_sumdb_skipped': go_sumdb_skipped}
