#!/usr/bin/python
# Copyright: (c) 2026, podnet.flannel maintainers
# GNU General Public License v3.0+ (https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pod_info
short_description: Show the pods on a node and whether their containers share the infra's network namespace
version_added: 0.1.0
description:
  - Lists the pods made by M(podnet.flannel.pod) (containers labelled C(podnet.pod)) on the node's
    Docker daemon, with the pod IP, the state of every container and the inode of its network
    namespace (C(/proc/<pid>/ns/net)).
  - A pod is healthy when its infra container and all its apps run and every app is in the infra
    container's network namespace.
author:
  - podnet.flannel maintainers (@podnet)
options:
  name:
    description:
      - Name of the pod to show. All pods when not set.
      - A pod that does not exist gives an empty RV(pods).
    type: str
  network:
    description:
      - Docker network whose address of the infra container is the pod IP.
    type: str
    default: bridge
extends_documentation_fragment:
  - podnet.flannel.docker
  - podnet.flannel.docker.request_timeout
  - podnet.flannel.attributes
  - podnet.flannel.attributes.INFO_MODULE
seealso:
  - module: podnet.flannel.pod
"""

EXAMPLES = r"""
- name: Read the pod
  podnet.flannel.pod_info:
    name: web
  register: info

- name: All members of the pod share one network namespace
  ansible.builtin.assert:
    that:
      - info.pods | length == 1
      - info.pods[0].healthy
    fail_msg: "{{ info.pods }}"
"""

RETURN = r"""
pods:
  description: The pods, sorted by name.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: Pod name.
      type: str
      sample: web
    pod_ip:
      description: Address of the infra container on O(network); V(null) when it does not run.
      type: str
      sample: 10.244.72.2
    pod_ipv6:
      description:
        - Global IPv6 address of the infra container on O(network) (docker0 with C(fixed-cidr-v6), a dual-stack
          pod network); V(null) when it has none or does not run.
      type: str
      sample: fd00:10:244:48::2
    netns_inode:
      description: Inode of the infra container's network namespace; V(null) when it does not run or cannot be read.
      type: int
      sample: 4026532610
    host_ports:
      description:
        - The ports the pod publishes on the node (M(podnet.flannel.pod)'s O(podnet.flannel.pod#module:containers[].ports[].host_port)),
          read from the infra container's C(HostConfig.PortBindings); empty when none or when the infra container is missing.
      type: list
      elements: dict
      contains:
        container_port:
          description: The port in the pod.
          type: int
          sample: 8080
        host_port:
          description: The port on the node.
          type: int
          sample: 18081
        protocol:
          description: V(tcp) or V(udp).
          type: str
          sample: tcp
        host_ip:
          description: The node address it is published on; V(null) for every address.
          type: str
    healthy:
      description: Whether the infra and every app run and every app shares the infra's network namespace.
      type: bool
    infra:
      description: The infra container; V(null) when missing.
      type: dict
      contains:
        id:
          description: Container ID.
          type: str
        name:
          description: Container name.
          type: str
          sample: web-infra
        status:
          description: Docker status (C(running), C(exited), ...).
          type: str
          sample: running
        image:
          description: Image.
          type: str
    containers:
      description: The app containers, sorted by app name.
      type: list
      elements: dict
      contains:
        name:
          description: App name.
          type: str
          sample: httpd
        container_name:
          description: Container name.
          type: str
          sample: web-httpd
        id:
          description: Container ID.
          type: str
        status:
          description: Docker status.
          type: str
        image:
          description: Image.
          type: str
        netns_inode:
          description: Inode of the app's network namespace; V(null) when it does not run or cannot be read.
          type: int
        shares_netns:
          description:
            - Whether the app runs in the infra container's network namespace (equal inodes; when an
              inode cannot be read, both running with the app's C(network_mode) naming the infra container).
          type: bool
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.podnet.flannel.plugins.module_utils import docker_pod as dp


def shares_netns(app, infra):
    """Whether ``app`` runs in ``infra``'s network namespace (container_facts dicts)."""
    if not infra or not app.get('running') or not infra.get('running'):
        return False
    if app.get('netns_inode') and infra.get('netns_inode'):
        return app['netns_inode'] == infra['netns_inode']
    return app.get('network_mode') == 'container:%s' % infra.get('id')


def summarize_pods(facts, network='bridge'):
    """Group container_facts dicts by pod into the RV(pods) structure."""
    by_pod = {}
    for item in facts:
        if item.get('pod'):
            by_pod.setdefault(item['pod'], []).append(item)
    pods = []
    for name in sorted(by_pod):
        members = by_pod[name]
        infras = [m for m in members if m.get('role') == dp.ROLE_INFRA]
        infras.sort(key=lambda m: not m.get('running'))
        infra = infras[0] if infras else None
        apps = sorted((m for m in members if m.get('role') != dp.ROLE_INFRA), key=lambda m: (m.get('app') or '', m['name']))
        containers = []
        for app in apps:
            containers.append(
                {
                    'name': app.get('app') or app['name'],
                    'container_name': app['name'],
                    'id': app['id'],
                    'status': app.get('status'),
                    'image': app.get('image'),
                    'netns_inode': app.get('netns_inode'),
                    'shares_netns': shares_netns(app, infra),
                }
            )
        healthy = infra is not None and bool(infra.get('running')) and len(infras) == 1 and bool(containers) and all(c['shares_netns'] for c in containers)
        pods.append(
            {
                'name': name,
                'pod_ip': dp.pod_ip(infra, network) if infra and infra.get('running') else None,
                'pod_ipv6': dp.pod_ipv6(infra, network) if infra and infra.get('running') else None,
                'netns_inode': infra.get('netns_inode') if infra else None,
                'host_ports': list(infra.get('host_ports') or []) if infra else [],
                'healthy': healthy,
                'infra': {'id': infra['id'], 'name': infra['name'], 'status': infra.get('status'), 'image': infra.get('image')} if infra else None,
                'containers': containers,
            }
        )
    return pods


def main():
    argument_spec = dp.docker_argument_spec()
    argument_spec.update(
        name=dict(type='str'),
        network=dict(type='str', default='bridge'),
    )
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    client = dp.connect(module)
    try:
        facts = dp.list_pod_containers(client, module.params['name'])
    except (dp.DockerException, OSError) as exc:
        module.fail_json(msg='cannot list the pod containers: %s' % dp.describe_error(exc))
    module.exit_json(changed=False, pods=summarize_pods(facts, module.params['network']))


if __name__ == '__main__':
    main()
