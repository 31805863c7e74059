# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""The plan of a pod (podnet.flannel.pod): what to keep, create, recreate, start, restart or remove,
from the desired state (pod_spec.desired_pod) and the pod's existing containers, and the summaries
the module returns as its diff.

Pure logic over container_facts dicts (module_utils.docker_pod).
"""

from __future__ import annotations
from typing import Any, Dict, List, Optional

from ansible_collections.podnet.flannel.plugins.module_utils import docker_pod as dp


def _usable(facts):
    return facts.get('status') not in ('dead', 'removing')


def _stopped(facts):
    """Created or exited: needs a start (a restarting container is left to Docker's restart policy)."""
    return facts.get('status') in ('created', 'exited')


def _pick(candidates, want_hash):
    """The existing container to keep among candidates: matching hash first, then running, then any."""
    ranked = sorted(candidates, key=lambda f: (f.get('spec_hash') != want_hash, not f.get('running'), not _usable(f), f.get('name') or ''))
    return ranked[0], ranked[1:]


def plan_pod(
    desired: Dict[str, Any], existing: List[Dict[str, Any]], image_ids: Optional[Dict[str, Optional[str]]] = None, restart: bool = False
) -> Dict[str, Any]:
    """Decide what to do, from the desired state and the pod's existing containers (container_facts dicts).

    ``image_ids``: {image reference: local image ID} (None/absent when not present locally); a container
    whose image ID differs from the local image of its reference is recreated (the tag moved).
    ``restart``: state=restarted, restart what is kept.

    Returns {'infra': step, 'apps': [step...] in spec order, 'remove': [step...], 'changed': bool}; a
    step is {'name', 'action', 'reason', 'current'} with action keep, create, recreate, start,
    restart or remove.
    """
    image_ids = image_ids or {}
    infras = [f for f in existing if f.get('role') == dp.ROLE_INFRA]
    apps_by_name = {}
    others = []
    for facts in existing:
        if facts.get('role') == dp.ROLE_APP and facts.get('app'):
            apps_by_name.setdefault(facts['app'], []).append(facts)
        elif facts.get('role') != dp.ROLE_INFRA:
            others.append(facts)
    remove = []

    want = desired['infra']
    current = None
    if infras:
        current, extra = _pick(infras, want['hash'])
        remove.extend({'name': f['name'], 'action': 'remove', 'reason': 'second infra container', 'current': f} for f in extra)
    if current is None:
        infra = {'name': 'infra', 'action': 'create', 'reason': None, 'current': None}
    elif current.get('spec_hash') != want['hash']:
        infra = {'name': 'infra', 'action': 'recreate', 'reason': 'spec changed', 'current': current}
    elif image_ids.get(want['image']) and current.get('image_id') != image_ids[want['image']]:
        infra = {'name': 'infra', 'action': 'recreate', 'reason': 'image %s changed' % want['image'], 'current': current}
    elif not _usable(current):
        infra = {'name': 'infra', 'action': 'recreate', 'reason': 'container is %s' % current.get('status'), 'current': current}
    elif _stopped(current):
        infra = {'name': 'infra', 'action': 'start', 'reason': 'was %s' % current.get('status'), 'current': current}
    elif restart:
        infra = {'name': 'infra', 'action': 'restart', 'reason': 'state=restarted', 'current': current}
    else:
        infra = {'name': 'infra', 'action': 'keep', 'reason': None, 'current': current}
    new_infra = infra['action'] in ('create', 'recreate')
    new_netns = new_infra or infra['action'] in ('start', 'restart')
    infra_id = None if new_infra else current.get('id')
    infra_inode = None if new_netns else current.get('netns_inode')

    app_steps = []
    wanted = set()
    for app in desired['apps']:
        wanted.add(app['name'])
        candidates = apps_by_name.get(app['name'], [])
        cur = None
        if candidates:
            cur, extra = _pick(candidates, app['hash'])
            remove.extend({'name': f['name'], 'action': 'remove', 'reason': 'second container of app %s' % app['name'], 'current': f} for f in extra)
        step = {'name': app['name'], 'action': 'keep', 'reason': None, 'current': cur}
        if cur is None:
            step['action'] = 'create'
        elif new_infra:
            step.update(action='recreate', reason='infra recreated')
        elif cur.get('spec_hash') != app['hash']:
            step.update(action='recreate', reason='spec changed')
        elif image_ids.get(app['image']) and cur.get('image_id') != image_ids[app['image']]:
            step.update(action='recreate', reason='image %s changed' % app['image'])
        elif not _usable(cur):
            step.update(action='recreate', reason='container is %s' % cur.get('status'))
        elif cur.get('network_mode') != 'container:%s' % infra_id:
            step.update(action='recreate', reason='not in the infra network namespace')
        elif new_netns:
            step.update(action='start' if _stopped(cur) else 'restart', reason='joins the infra network namespace again')
        elif _stopped(cur):
            step.update(action='start', reason='was %s' % cur.get('status'))
        elif infra_inode and cur.get('netns_inode') and cur['netns_inode'] != infra_inode:
            step.update(action='restart', reason='network namespace differs from the infra one')
        elif restart:
            step.update(action='restart', reason='state=restarted')
        app_steps.append(step)
    for name in sorted(apps_by_name):
        if name not in wanted:
            remove.extend({'name': f['name'], 'action': 'remove', 'reason': 'app %s is not in the spec' % name, 'current': f} for f in apps_by_name[name])
    remove.extend({'name': f['name'], 'action': 'remove', 'reason': 'pod container without role', 'current': f} for f in others)
    changed = bool(remove) or infra['action'] != 'keep' or any(s['action'] != 'keep' for s in app_steps)
    return {'infra': infra, 'apps': app_steps, 'remove': remove, 'changed': changed}


def images_needed(desired: Dict[str, Any], plan: Dict[str, Any]) -> Dict[str, List[str]]:
    """{image: [who needs it]} for the containers the plan creates."""
    needed = {}
    if plan['infra']['action'] in ('create', 'recreate'):
        needed.setdefault(desired['infra']['image'], []).append('infra')
    for app, step in zip(desired['apps'], plan['apps']):
        if step['action'] in ('create', 'recreate'):
            needed.setdefault(app['image'], []).append('app %s' % app['name'])
    return needed


def describe_step(step: Dict[str, Any], what: str) -> str:
    """'recreated app web (spec changed)' for a step on ``what`` ('infra', 'app web', a container name)."""
    verb = {'create': 'created', 'recreate': 'recreated', 'start': 'started', 'restart': 'restarted', 'remove': 'removed'}[step['action']]
    text = '%s %s' % (verb, what)
    if step.get('reason'):
        text += ' (%s)' % step['reason']
    return text


def plan_actions(plan: Dict[str, Any]) -> List[str]:
    """The plan as the list of actions it performs, in execution order."""
    actions = [describe_step(s, s['name']) for s in plan['remove']]
    if plan['infra']['action'] != 'keep':
        actions.append(describe_step(plan['infra'], 'infra'))
    actions.extend(describe_step(s, 'app %s' % s['name']) for s in plan['apps'] if s['action'] != 'keep')
    return actions


def pod_summary(name: str, infra: Any, apps: Any) -> Dict[str, Any]:
    """Diff view of a pod: {'name', 'infra': {...}, 'containers': {app: {...}}}; infra/apps are (spec, status) pairs."""
    if infra is None and not apps:
        return {}
    summary = {'name': name, 'infra': None, 'containers': {}}
    if infra is not None:
        spec, status = infra
        summary['infra'] = dict(spec or {}, status=status)
    for app_name, (spec, status) in apps.items():
        summary['containers'][app_name] = dict(spec or {}, status=status)
    return summary


def existing_summary(name: str, existing: List[Dict[str, Any]]) -> Dict[str, Any]:
    infra = None
    apps = {}
    for facts in existing:
        spec = facts.get('spec') or {'image': facts.get('image')}
        if facts.get('role') == dp.ROLE_INFRA:
            infra = (spec, facts.get('status'))
        elif facts.get('app'):
            apps[facts['app']] = (spec, facts.get('status'))
    return pod_summary(name, infra, apps)


def desired_summary(desired: Dict[str, Any]) -> Dict[str, Any]:
    apps = dict((a['name'], (a['spec_label'], 'running')) for a in desired['apps'])
    return pod_summary(desired['name'], (desired['infra']['spec'], 'running'), apps)
