#!/usr/bin/python
# Copyright: (c) 2026, podnet.flannel maintainers
# GNU General Public License v3.0+ (https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pod
short_description: Run a pod on Docker, an infra (pause) container whose network namespace app containers share
version_added: 0.1.0
description:
  - Creates the infra container C(<name>-infra) from O(infra_image) on O(network) (by default Docker's
    C(bridge), that is C(docker0) on the node's flannel subnet), and one container C(<name>-<app>) per
    entry of O(containers), started with C(network_mode=container:<infra id>). All apps of a pod share
    one network namespace, one IP address (RV(pod_ip)) and reach each other on C(127.0.0.1).
  - Every pod container is labelled C(podnet.pod=<name>), C(podnet.pod.role=infra|app),
    C(podnet.pod.container=<app>) and C(podnet.pod.spec-hash=<sha256 of its normalized spec>).
    A run with the same spec changes nothing. A changed app spec recreates that app only. When the
    infra container is recreated (its image or settings changed, or it was removed or is dead), every
    app is recreated too, since its network namespace died with the infra. A stopped infra is started
    and the apps are restarted to join its new network namespace; a stopped app is started.
  - Everything is checked before anything is created or removed. That is the spec (unknown keys, duplicate
    app names, two apps on one port, a host port published twice), container names taken by containers of no pod, and the images
    (loaded from O(pause_image_archive) or pulled according to O(pull)). When creating or starting a
    container fails, the containers this run created are removed and the module fails.
author:
  - podnet.flannel maintainers (@podnet)
options:
  name:
    description:
      - Name of the pod, a DNS label (lowercase letters, digits and C(-), at most 63 characters).
      - Also the hostname of the pod's containers.
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the pod; V(absent) removes all its containers.
      - V(restarted) makes the pod present, then restarts the infra container and every app (always changed).
    type: str
    choices: [present, absent, restarted]
    default: present
  infra_image:
    description:
      - Image of the infra container, a process that only holds the network namespace.
    type: str
    default: registry.k8s.io/pause:3.10
  pause_image_archive:
    description:
      - Path on the node to a C(docker save) tarball of O(infra_image), loaded when that image is not
        present (for nodes without registry access). The load must provide O(infra_image).
    type: path
  pull:
    description:
      - V(missing) pulls an image that is not present locally when a container needs it, and fails
        with the daemon's message (and the apps that need the image) when the pull fails.
      - V(never) fails when an image is missing.
    type: str
    choices: [never, missing]
    default: missing
  containers:
    description:
      - The app containers, in the order they are started. Required with O(state=present) and
        O(state=restarted), at least one.
      - Keys other than the ones below are rejected, naming the app and the allowed keys.
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - Name of the app, a DNS label, unique within the pod. The container is named C(<pod>-<name>).
          - V(infra) is reserved.
        type: str
        required: true
      image:
        description:
          - Image of the app.
        type: str
        required: true
      command:
        description:
          - Command (arguments to the entrypoint), a list or a string split like a shell would.
          - The image's default when not set.
        type: raw
      entrypoint:
        description:
          - Entrypoint, a list. The image's default when not set.
        type: list
        elements: str
      env:
        description:
          - Environment variables. Numbers are turned into strings; quote booleans.
        type: dict
      ports:
        description:
          - Ports the app listens on. An item is a port number (informational, a TCP port that is not
            published) or a dict with the keys below; other keys are rejected.
          - Since the apps of a pod share one network namespace, two apps listing the same port and
            protocol is an error.
          - A port with O(containers[].ports[].host_port) is published on the node, as Kubernetes'
            C(hostPort) is. It is published on the infra container, which owns the pod's network
            namespace, so adding, changing or removing one recreates the infra container and with it
            every app of the pod. The pod stays reachable at RV(pod_ip) on the container port too.
          - Two ports of a pod cannot be published on the same host port and protocol on overlapping
            addresses (the same O(containers[].ports[].host_ip), or one of them on every address).
        type: list
        elements: raw
        suboptions:
          container_port:
            description:
              - The port the app listens on, 1..65535.
            type: int
            required: true
          host_port:
            description:
              - The port of the node that forwards to O(containers[].ports[].container_port), 1..65535.
              - Not published when not set (informational, as a plain number is).
            type: int
          protocol:
            description:
              - The protocol of the port (case does not matter).
            type: str
            choices: [tcp, udp]
            default: tcp
          host_ip:
            description:
              - The node address (IPv4 or IPv6) the host port is published on. Every address of the node when not set.
              - Only with O(containers[].ports[].host_port).
            type: str
      labels:
        description:
          - Labels of the app container, added to O(labels). Keys starting with C(podnet.pod) are reserved.
        type: dict
  network:
    description:
      - Docker network of the infra container (its C(network_mode)).
    type: str
    default: bridge
  labels:
    description:
      - Labels put on every container of the pod. Keys starting with C(podnet.pod) are reserved.
    type: dict
  restart_policy:
    description:
      - Restart policy of the pod's containers. V(unless-stopped) brings pods back after a restart of
        dockerd or of the node.
    type: str
    choices: ['no', always, on-failure, unless-stopped]
    default: unless-stopped
  stop_timeout:
    description:
      - Seconds a container gets to stop on C(SIGTERM) before it is killed, when it is removed or restarted.
    type: int
    default: 10
extends_documentation_fragment:
  - podnet.flannel.docker
  - podnet.flannel.docker.request_timeout
  - podnet.flannel.attributes
attributes:
  check_mode:
    support: full
    details:
      - Images are neither loaded nor pulled; the actions that would be taken are listed in RV(actions).
  diff_mode:
    support: full
notes:
  - The module runs on the node whose Docker daemon it manages; RV(netns_inode) is read from C(/proc).
  - When a container is recreated, the old one is removed first (container names are unique); should
    creating the new one fail, the old one is not restored.
seealso:
  - module: podnet.flannel.pod_info
  - module: podnet.flannel.docker_bridge
"""

EXAMPLES = r"""
- name: A pod with a web server and a sidecar that polls it on localhost
  podnet.flannel.pod:
    name: web
    pause_image_archive: /var/cache/podnet/pause.tar
    pull: never
    containers:
      - name: httpd
        image: busybox:1.36
        command: httpd -f -p 8080
        ports: [8080]
      - name: poller
        image: busybox:1.36
        command: ["sh", "-c", "while sleep 5; do wget -qO- http://127.0.0.1:8080/ >/dev/null; done"]
        env:
          INTERVAL: 5
  register: web

- name: A pod whose web server is also published on port 18081 of the node (as Kubernetes' hostPort)
  podnet.flannel.pod:
    name: web-public
    containers:
      - name: httpd
        image: busybox:1.36
        command: httpd -f -p 8080
        ports:
          - container_port: 8080
            host_port: 18081
          - {container_port: 5353, host_port: 15353, protocol: udp, host_ip: 192.168.77.11}
  register: web_public

- name: Show the pod's address
  ansible.builtin.debug:
    msg: "{{ web.pod_ip }} ({{ web.actions | join(', ') or 'unchanged' }})"

- name: Remove the pod
  podnet.flannel.pod:
    name: web
    state: absent
"""

RETURN = r"""
pod_ip:
  description: The pod's IP address (the infra container's address on O(network)); V(null) when absent or not running.
  returned: always
  type: str
  sample: 10.244.72.2
infra:
  description: The infra container; V(null) with O(state=absent).
  returned: always
  type: dict
  contains:
    id:
      description: Container ID; V(null) in check mode when it would be created.
      type: str
    name:
      description: Container name.
      type: str
      sample: web-infra
    image:
      description: Image.
      type: str
      sample: registry.k8s.io/pause:3.10
containers:
  description: The app containers, in spec order; empty with O(state=absent).
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: App name.
      type: str
      sample: httpd
    id:
      description: Container ID; V(null) in check mode when it would be created.
      type: str
    image:
      description: Image.
      type: str
netns_inode:
  description: Inode of the pod's network namespace (C(/proc/<infra pid>/ns/net)); V(null) when unknown.
  returned: always
  type: int
  sample: 4026532610
host_ports:
  description:
    - The ports published on the node, read from the infra container (its C(HostConfig.PortBindings)); in
      check mode, the ones the spec publishes. Empty when the pod publishes none or with O(state=absent).
  returned: always
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
      sample: null
actions:
  description: What was done (or would be, in check mode), in order.
  returned: always
  type: list
  elements: str
  sample: ["created infra", "created app httpd", "recreated app poller (spec changed)"]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.podnet.flannel.plugins.module_utils.pod_runner import POD_REQUIRED_IF, pod_argument_spec, run_pod


def main():
    module = AnsibleModule(argument_spec=pod_argument_spec(), supports_check_mode=True, required_if=POD_REQUIRED_IF)
    run_pod(module)


if __name__ == '__main__':
    main()
