# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""pod_spec_errors: every problem of a whole list of pods, on the controller, before any pod is made.

The pod module checks one pod when it runs; a loop over a list then creates the valid pods that
come before an invalid one. The pods role asks this filter first, with the pod module's own spec
checks (module_utils/pod_spec.py), so that a list with a bad item changes nothing.
"""

from __future__ import annotations

from typing import Any, Dict, List

from ansible.errors import AnsibleFilterError

from ansible_collections.podnet.flannel.plugins.module_utils.docker_pod import RESTART_POLICIES
from ansible_collections.podnet.flannel.plugins.module_utils.pod_spec import (
    PodSpecError,
    check_host_ports,
    normalize_containers,
    normalize_labels,
    validate_name,
)

POD_KEYS = ('name', 'state', 'infra_image', 'containers', 'labels', 'restart_policy')


def _pod_errors(pod: Any, index: int) -> List[str]:
    where = 'pods_list[%d]' % index
    if not isinstance(pod, dict):
        return ['%s: a pod is a dictionary with name and containers, not %r' % (where, pod)]
    if isinstance(pod.get('name'), str):
        where += ' (pod %s)' % pod['name']
    errors = []
    unknown = sorted(str(key) for key in pod if key not in POD_KEYS)
    if unknown:
        errors.append('%s: unknown key %s; allowed keys are %s' % (where, ', '.join(repr(k) for k in unknown), ', '.join(POD_KEYS)))
    state = pod.get('state', 'present')
    if state not in ('present', 'absent'):
        errors.append('%s: state %r is not present or absent' % (where, state))
    if pod.get('restart_policy') is not None and pod['restart_policy'] not in RESTART_POLICIES:
        errors.append('%s: restart_policy %r is not one of %s' % (where, pod['restart_policy'], ', '.join(RESTART_POLICIES)))
    checks = [lambda: validate_name(pod.get('name'), 'name')]
    if state == 'present':
        checks += [lambda: normalize_containers(pod.get('containers')), lambda: normalize_labels(pod.get('labels'), 'labels')]
    for check in checks:
        try:
            check()
        except PodSpecError as exc:
            errors.append('%s: %s' % (where, exc))
    return errors


def pod_spec_errors(pods: Any) -> List[str]:
    """Every problem of `pods` (a pods_list), each naming the item; [] when all of it is valid."""
    if pods is None:
        return []
    if not isinstance(pods, list):
        raise AnsibleFilterError('pod_spec_errors: pods_list must be a list of pods, got %r' % (pods,))
    errors = []
    names: Dict[str, int] = {}
    published = []
    for index, pod in enumerate(pods):
        problems = _pod_errors(pod, index)
        errors.extend(problems)
        if not isinstance(pod, dict) or not isinstance(pod.get('name'), str):
            continue
        if pod['name'] in names:
            errors.append(
                'pods_list[%d] (pod %s): the name is also the name of pods_list[%d]; give each pod its own name' % (index, pod['name'], names[pod['name']])
            )
        names.setdefault(pod['name'], index)
        if not problems and pod.get('state', 'present') == 'present':
            published.extend(dict(app, name='%s/%s' % (pod['name'], app['name'])) for app in normalize_containers(pod['containers']))
    # Two pods of one node cannot publish one host port either.
    if not errors:
        try:
            check_host_ports(published)
        except PodSpecError as exc:
            errors.append('pods_list: %s' % str(exc).split(': ', 1)[-1])
    return errors


class FilterModule:
    def filters(self) -> Dict[str, Any]:
        return {'pod_spec_errors': pod_spec_errors}
