# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Running a pod's plan (podnet.flannel.pod) against the Docker daemon: images, container names, the
changes in order with a rollback of what this run created, and the module's result.
"""

from __future__ import annotations

import os
from typing import Any, Dict, List

from ansible.module_utils.common.text.converters import to_native

from ansible_collections.podnet.flannel.plugins.module_utils import docker_pod as dp
from ansible_collections.podnet.flannel.plugins.module_utils.pod_plan import (
    desired_summary,
    describe_step,
    existing_summary,
    images_needed,
    plan_actions,
    plan_pod,
)
from ansible_collections.podnet.flannel.plugins.module_utils.pod_spec import (
    PodSpecError,
    desired_pod,
    normalize_containers,
    normalize_labels,
    validate_name,
)


class PodRunner:
    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.params = module.params
        self.actions = []
        self.created = []

    def fail(self, msg: str, **kwargs: Any) -> None:
        self.module.fail_json(msg=msg, actions=self.actions, **kwargs)

    def ensure_images(self, needed: Dict[str, List[str]]) -> None:
        """Load / pull the missing images the plan needs; fail naming image and apps. Before any container change."""
        archive = self.params['pause_image_archive']
        infra_image = self.params['infra_image']
        for image in needed:
            who = ', '.join(needed[image])
            if dp.local_image_id(self.client, image):
                continue
            if image == infra_image and archive:
                if self.module.check_mode:
                    self.actions.append('loaded image %s from %s' % (image, archive))
                    continue
                try:
                    loaded = dp.load_image_archive(self.client, archive)
                except (dp.DockerException, OSError) as exc:
                    self.fail('image %s (needed by %s) is not present and loading %s failed: %s' % (image, who, archive, dp.describe_error(exc)))
                if not dp.local_image_id(self.client, image):
                    self.fail(
                        '%s does not provide image %s (needed by %s): the images it loaded are tagged %s; set infra_image to one of these tags'
                        % (archive, image, who, ', '.join(loaded) or 'no image')
                    )
                self.actions.append('loaded image %s from %s' % (image, archive))
                continue
            if self.params['pull'] == 'never':
                self.fail(
                    'image %s (needed by %s) is not present on this node and pull=never; load it first (docker load)%s'
                    % (image, who, ', or set pause_image_archive' if image == infra_image else '')
                )
            if self.module.check_mode:
                self.actions.append('pulled image %s' % image)
                continue
            try:
                dp.pull_image(self.client, image)
            except (dp.DockerException, OSError) as exc:
                self.fail(
                    'image %s (needed by %s) is not present on this node and pulling it failed: %s. '
                    'Load it on the node (docker load)%s, or fix the image name'
                    % (image, who, dp.describe_error(exc), ' or set pause_image_archive' if image == infra_image else '')
                )
            if not dp.local_image_id(self.client, image):
                self.fail('image %s (needed by %s) is still not present after the pull' % (image, who))
            self.actions.append('pulled image %s' % image)

    def check_names(self, desired: Dict[str, Any], plan: Dict[str, Any]) -> None:
        """Container names the plan creates must be free or held by a container it removes."""
        released = set()
        for step in plan['remove'] + [plan['infra']] + plan['apps']:
            if step['current'] is not None and step['action'] in ('remove', 'recreate'):
                released.add(step['current']['id'])
        if plan['infra']['action'] == 'recreate':
            released.update(s['current']['id'] for s in plan['apps'] if s['current'] is not None)
        wanted = []
        if plan['infra']['action'] in ('create', 'recreate'):
            wanted.append(desired['infra']['name'])
        for app, step in zip(desired['apps'], plan['apps']):
            if step['action'] in ('create', 'recreate'):
                wanted.append(app['container_name'])
        if not wanted:
            return
        taken = dp.container_names(self.client)
        for name in wanted:
            holder = taken.get(name)
            if holder and holder not in released:
                self.fail(
                    'container name %s is taken by container %s, which is not a container of pod %s this run replaces; '
                    'remove or rename it' % (name, holder[:12], self.params['name'])
                )

    def _remove(self, facts, text):
        dp.remove_container(self.client, facts['id'], self.params['stop_timeout'] if facts.get('running') else None)
        self.actions.append(text)

    def _create_infra(self, desired):
        infra = desired['infra']
        container_id = dp.create_infra(
            self.client, infra['name'], infra['image'], desired['network'], desired['restart_policy'], infra['labels'], desired['name'], desired['host_ports']
        )
        self.created.append((infra['name'], container_id))
        dp.start_container(self.client, container_id)
        return container_id

    def _create_app(self, desired, app, infra_id):
        container_id = dp.create_app(self.client, app['container_name'], app['spec'], infra_id, desired['restart_policy'], app['labels'])
        self.created.append((app['container_name'], container_id))
        dp.start_container(self.client, container_id)
        return container_id

    def execute(self, desired: Dict[str, Any], plan: Dict[str, Any]) -> None:
        infra_step = plan['infra']
        step_text = None
        try:
            for step in plan['remove']:
                step_text = describe_step(step, step['name'])
                self._remove(step['current'], step_text)
            infra_id = infra_step['current']['id'] if infra_step['current'] else None
            if infra_step['action'] in ('create', 'recreate'):
                step_text = describe_step(infra_step, 'infra')
                for step in plan['apps']:
                    if step['current'] is not None:
                        dp.remove_container(self.client, step['current']['id'], self.params['stop_timeout'] if step['current'].get('running') else None)
                if infra_step['current'] is not None:
                    dp.remove_container(self.client, infra_id, self.params['stop_timeout'] if infra_step['current'].get('running') else None)
                infra_id = self._create_infra(desired)
                self.actions.append(step_text)
            elif infra_step['action'] == 'start':
                step_text = describe_step(infra_step, 'infra')
                dp.start_container(self.client, infra_id)
                self.actions.append(step_text)
            elif infra_step['action'] == 'restart':
                step_text = describe_step(infra_step, 'infra')
                dp.restart_container(self.client, infra_id, self.params['stop_timeout'])
                self.actions.append(step_text)
            for app, step in zip(desired['apps'], plan['apps']):
                if step['action'] == 'keep':
                    continue
                step_text = describe_step(step, 'app %s' % app['name'])
                if step['action'] == 'create':
                    self._create_app(desired, app, infra_id)
                elif step['action'] == 'recreate':
                    if infra_step['action'] not in ('create', 'recreate'):
                        dp.remove_container(self.client, step['current']['id'], self.params['stop_timeout'] if step['current'].get('running') else None)
                    self._create_app(desired, app, infra_id)
                elif step['action'] == 'start':
                    dp.start_container(self.client, step['current']['id'])
                elif step['action'] == 'restart':
                    dp.restart_container(self.client, step['current']['id'], self.params['stop_timeout'])
                self.actions.append(step_text)
        except (dp.DockerException, OSError) as exc:
            rolled_back = []
            for name, container_id in reversed(self.created):
                try:
                    dp.remove_container(self.client, container_id)
                    rolled_back.append(name)
                except (dp.DockerException, OSError):
                    pass
            msg = 'pod %s: %s failed: %s' % (self.params['name'], step_text or 'a change', dp.describe_error(exc))
            if rolled_back:
                msg += '; removed the containers this run had created: %s' % ', '.join(rolled_back)
            self.fail(msg, rolled_back=rolled_back)

    def remove_pod(self, existing: List[Dict[str, Any]]) -> None:
        apps = [f for f in existing if f.get('role') != dp.ROLE_INFRA]
        infras = [f for f in existing if f.get('role') == dp.ROLE_INFRA]
        if self.module.check_mode:
            self.actions.extend('removed %s' % f['name'] for f in apps + infras)
            return
        try:
            for facts in apps + infras:
                self._remove(facts, 'removed %s' % facts['name'])
        except (dp.DockerException, OSError) as exc:
            self.fail('pod %s: removing its containers failed: %s' % (self.params['name'], dp.describe_error(exc)))


def result_from_containers(desired: Dict[str, Any], existing: List[Dict[str, Any]]) -> Dict[str, Any]:
    infra = None
    apps = {}
    for facts in existing:
        if facts.get('role') == dp.ROLE_INFRA and infra is None:
            infra = facts
        elif facts.get('role') == dp.ROLE_APP and facts.get('app'):
            apps.setdefault(facts['app'], facts)
    return {
        'pod_ip': dp.pod_ip(infra, desired['network']) if infra and infra.get('running') else None,
        'infra': {'id': infra['id'], 'name': infra['name'], 'image': infra['image']} if infra else None,
        'containers': [{'name': name, 'id': apps[name]['id'], 'image': apps[name]['image']} for name in sorted(apps)],
        'netns_inode': infra.get('netns_inode') if infra else None,
        'host_ports': list(infra.get('host_ports') or []) if infra else [],
    }


def check_mode_result(desired: Dict[str, Any], plan: Dict[str, Any]) -> Dict[str, Any]:
    infra_step = plan['infra']
    keep_infra = infra_step['action'] not in ('create', 'recreate')
    cur = infra_step['current']
    containers = []
    for app, step in zip(desired['apps'], plan['apps']):
        keep = step['action'] not in ('create', 'recreate')
        containers.append({'name': app['name'], 'id': step['current']['id'] if keep else None, 'image': app['image']})
    return {
        'pod_ip': dp.pod_ip(cur, desired['network']) if keep_infra and cur.get('running') else None,
        'infra': {'id': cur['id'] if keep_infra else None, 'name': desired['infra']['name'], 'image': desired['infra']['image']},
        'containers': containers,
        'netns_inode': cur.get('netns_inode') if infra_step['action'] == 'keep' else None,
        'host_ports': list(desired['host_ports']),
    }


POD_REQUIRED_IF = [('state', 'present', ('containers',)), ('state', 'restarted', ('containers',))]


def pod_argument_spec() -> dict:
    """The options of podnet.flannel.pod (DOCUMENTATION in plugins/modules/pod.py)."""
    argument_spec = dp.docker_argument_spec()
    argument_spec.update(
        name=dict(type='str', required=True),
        state=dict(type='str', choices=['present', 'absent', 'restarted'], default='present'),
        infra_image=dict(type='str', default=dp.DEFAULT_INFRA_IMAGE),
        pause_image_archive=dict(type='path'),
        pull=dict(type='str', choices=['never', 'missing'], default='missing'),
        containers=dict(type='list', elements='dict'),
        network=dict(type='str', default='bridge'),
        labels=dict(type='dict'),
        restart_policy=dict(type='str', choices=list(dp.RESTART_POLICIES), default='unless-stopped'),
        stop_timeout=dict(type='int', default=10),
    )
    return argument_spec


def run_pod(module) -> None:
    """Check the spec, plan against the pod's containers, apply (unless check mode); exit_json / fail_json."""
    params = module.params
    state = params['state']
    desired = None
    try:
        validate_name(params['name'], 'name')
        if state != 'absent':
            apps = normalize_containers(params['containers'])
            labels = normalize_labels(params['labels'], 'labels')
            if not params['infra_image'] or not params['infra_image'].strip():
                raise PodSpecError('infra_image: an image is required')
            desired = desired_pod(params['name'], apps, params['infra_image'].strip(), params['network'], params['restart_policy'], labels)
    except PodSpecError as exc:
        module.fail_json(msg='pod %s: %s' % (params['name'], to_native(exc)))
    if params['pause_image_archive'] and state != 'absent':
        if not os.path.isfile(params['pause_image_archive']):
            module.fail_json(msg='pause_image_archive %s does not exist on this node' % params['pause_image_archive'])

    client = dp.connect(module)
    runner = PodRunner(module, client)
    try:
        existing = dp.list_pod_containers(client, params['name'])
    except (dp.DockerException, OSError) as exc:
        module.fail_json(msg='cannot list the containers of pod %s: %s' % (params['name'], dp.describe_error(exc)))

    if state == 'absent':
        runner.remove_pod(existing)
        result = dict(changed=bool(existing), actions=runner.actions, pod_ip=None, infra=None, containers=[], netns_inode=None, host_ports=[])
        if module._diff:
            result['diff'] = {'before': existing_summary(params['name'], existing), 'after': {}}
        module.exit_json(**result)

    try:
        image_ids = {}
        for image in set([desired['infra']['image']] + [a['image'] for a in desired['apps']]):
            image_ids[image] = dp.local_image_id(client, image)
        plan = plan_pod(desired, existing, image_ids, restart=(state == 'restarted'))
        runner.check_names(desired, plan)
        runner.ensure_images(images_needed(desired, plan))
    except (dp.DockerException, OSError) as exc:
        runner.fail('pod %s: checking images and names failed: %s' % (params['name'], dp.describe_error(exc)))

    if module.check_mode:
        runner.actions.extend(plan_actions(plan))
        result = check_mode_result(desired, plan)
    else:
        if plan['changed']:
            runner.execute(desired, plan)
        try:
            final = dp.list_pod_containers(client, params['name'])
        except (dp.DockerException, OSError) as exc:
            runner.fail('pod %s: reading its containers back failed: %s' % (params['name'], dp.describe_error(exc)))
        result = result_from_containers(desired, final)
        for facts in final:
            if not facts.get('running'):
                module.warn(
                    'container %s of pod %s is %s (exit code %s); see docker logs %s'
                    % (facts['name'], params['name'], facts.get('status'), facts.get('exit_code'), facts['name'])
                )
        order = dict((a['name'], i) for i, a in enumerate(desired['apps']))
        result['containers'].sort(key=lambda c: order.get(c['name'], len(order)))
    result.update(changed=plan['changed'] or any(a.startswith(('loaded', 'pulled')) for a in runner.actions), actions=runner.actions)
    if module._diff:
        result['diff'] = {'before': existing_summary(params['name'], existing), 'after': desired_summary(desired)}
    module.exit_json(**result)
