# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # Base attributes: every module sets check_mode and diff_mode support itself (or uses INFO_MODULE).
    DOCUMENTATION = r"""
options: {}
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying target.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
"""

    # Use together with DOCUMENTATION for modules that only read.
    INFO_MODULE = r"""
options: {}
attributes:
  check_mode:
    support: full
    details:
      - This action does not modify state.
  diff_mode:
    support: N/A
    details:
      - This action does not modify state.
"""

    # Modules in the C(etcd) action group of meta/runtime.yml.
    ACTIONGROUP_ETCD = r"""
options: {}
attributes:
  action_group:
    description: Use C(group/podnet.flannel.etcd) in C(module_defaults) to set defaults for this module, such as O(endpoints).
    support: full
    membership:
      - podnet.flannel.etcd
"""
