#!/usr/bin/python
# Copyright: (c) 2026, podnet.flannel maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

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

import ipaddress
import os
import re
import shlex

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_native

from ansible_collections.podnet.flannel.plugins.module_utils import docker_pod as dp


ALLOWED_KEYS = ('name', 'image', 'command', 'entrypoint', 'env', 'ports', 'labels')
PORT_KEYS = ('container_port', 'host_port', 'protocol', 'host_ip')
RESERVED_APP_NAMES = ('infra',)
_DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'


class PodSpecError(ValueError):
    """An invalid pod spec; the message names the app and the key."""


# --------------------------------------------------------------------------- spec

def validate_name(value, what):
    if not isinstance(value, str) or not value:
        raise PodSpecError('%s: a name is required' % what)
    if len(value) > 63 or not re.match(_DNS_LABEL, value):
        raise PodSpecError('%s: %r is not a DNS label (lowercase letters, digits and "-", starting and ending with a letter or digit, '
                           'at most 63 characters)' % (what, value))
    return value


def _scalar_text(value, what):
    if isinstance(value, bool):
        raise PodSpecError('%s: %r is a boolean; quote it ("true"/"false") to say which text the container gets' % (what, value))
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value
    raise PodSpecError('%s: %r is not a string' % (what, value))


def normalize_labels(labels, what):
    if labels is None:
        return {}
    if not isinstance(labels, dict):
        raise PodSpecError('%s: must be a dict of label: value' % what)
    result = {}
    for key, value in labels.items():
        key = str(key)
        if key.startswith(dp.LABEL_POD):
            raise PodSpecError('%s: label %r is reserved (keys starting with %r are set by the module)' % (what, key, dp.LABEL_POD))
        result[key] = _scalar_text(value, '%s.%s' % (what, key))
    return result


def _normalize_command(value, what):
    if value is None:
        return None
    if isinstance(value, str):
        try:
            words = shlex.split(value)
        except ValueError as exc:
            raise PodSpecError('%s: %r cannot be split into words: %s' % (what, value, exc))
    elif isinstance(value, list):
        words = [_scalar_text(v, '%s[%d]' % (what, i)) for i, v in enumerate(value)]
    else:
        raise PodSpecError('%s: must be a list of words or a string' % what)
    return words or None


def _port_number(value, what):
    """A port number (1..65535) from an int or a string of digits; PodSpecError naming ``what``."""
    try:
        if isinstance(value, bool):
            raise ValueError()
        number = int(value)
    except (TypeError, ValueError):
        raise PodSpecError('%s: %r is not a port number' % (what, value))
    if not 1 <= number <= 65535:
        raise PodSpecError('%s: %d is out of range 1..65535' % (what, number))
    return number


def port_text(port, protocol='tcp'):
    """How a container port is written in the normalized spec and in messages: 8080 (tcp), '53/udp'."""
    return port if protocol == 'tcp' else '%d/%s' % (port, protocol)


def _normalize_port(entry, what):
    """One ``ports`` item -> (container port as port_text gives it, host port binding or None)."""
    if not isinstance(entry, dict):
        return port_text(_port_number(entry, what)), None
    unknown = sorted(str(k) for k in entry if k not in PORT_KEYS)
    if unknown:
        raise PodSpecError('%s: unknown key%s %s; allowed keys are %s'
                           % (what, 's' if len(unknown) > 1 else '', ', '.join(repr(k) for k in unknown), ', '.join(PORT_KEYS)))
    if entry.get('container_port') is None:
        raise PodSpecError('%s.container_port: a port number is required (the port the app listens on)' % what)
    container_port = _port_number(entry['container_port'], '%s.container_port' % what)
    protocol = entry.get('protocol')
    protocol = 'tcp' if protocol is None else protocol
    if not isinstance(protocol, str) or protocol.lower() not in dp.PROTOCOLS:
        raise PodSpecError('%s.protocol: %r is not one of %s' % (what, protocol, ', '.join(dp.PROTOCOLS)))
    protocol = protocol.lower()
    host_ip = entry.get('host_ip')
    if entry.get('host_port') is None:
        if host_ip is not None:
            raise PodSpecError('%s.host_ip: only applies to a published port; set host_port too, or drop host_ip' % what)
        return port_text(container_port, protocol), None
    host_port = _port_number(entry['host_port'], '%s.host_port' % what)
    if host_ip is not None:
        try:
            host_ip = str(ipaddress.ip_address(str(host_ip).strip()))
        except ValueError:
            raise PodSpecError('%s.host_ip: %r is not an IPv4 or IPv6 address (leave it out to publish on every address)'
                               % (what, host_ip))
    binding = {'container_port': container_port, 'host_port': host_port, 'protocol': protocol, 'host_ip': host_ip}
    return port_text(container_port, protocol), binding


def normalize_ports(ports, what):
    """The ``ports`` of an app -> (container ports sorted, tcp as ints and others as 'N/udp'; host port bindings).

    A port without ``host_port`` is informational, as a plain number is; plain numbers keep the
    spec (and its hash) of pods written before host ports existed.
    """
    if ports is None:
        return [], []
    if not isinstance(ports, list):
        raise PodSpecError('%s: must be a list of port numbers or of dicts with container_port' % what)
    container_ports = []
    bindings = []
    for index, entry in enumerate(ports):
        where = '%s[%d]' % (what, index) if isinstance(entry, dict) else what
        port, binding = _normalize_port(entry, where)
        if port in container_ports:
            raise PodSpecError('%s: port %s is listed twice' % (where, port))
        container_ports.append(port)
        if binding:
            bindings.append(binding)
    container_ports.sort(key=lambda p: (isinstance(p, str), int(str(p).split('/', 1)[0])))
    return container_ports, sorted(bindings, key=dp.host_port_key)


def normalize_app(raw, index):
    """One entry of ``containers`` -> normalized dict (all ALLOWED_KEYS, canonical types).

    ``host_ports`` (the bindings of the app's ports that have a ``host_port``) is added; it belongs to
    the infra spec (desired_pod), not to the app's.
    """
    label = 'containers[%d]' % index
    if not isinstance(raw, dict):
        raise PodSpecError('%s: must be a dict with keys %s' % (label, ', '.join(ALLOWED_KEYS)))
    if isinstance(raw.get('name'), str) and raw.get('name'):
        label = '%s (app %r)' % (label, raw['name'])
    unknown = sorted(str(k) for k in raw if k not in ALLOWED_KEYS)
    if unknown:
        raise PodSpecError('%s: unknown key%s %s; allowed keys are %s'
                           % (label, 's' if len(unknown) > 1 else '', ', '.join(repr(k) for k in unknown), ', '.join(ALLOWED_KEYS)))
    name = validate_name(raw.get('name'), '%s.name' % label)
    if name in RESERVED_APP_NAMES:
        raise PodSpecError('%s.name: %r is reserved for the infra container; choose another name' % (label, name))
    image = raw.get('image')
    if not isinstance(image, str) or not image.strip():
        raise PodSpecError('%s.image: an image is required' % label)
    entrypoint = raw.get('entrypoint')
    if entrypoint is not None and not isinstance(entrypoint, list):
        raise PodSpecError('%s.entrypoint: must be a list, such as ["/bin/busybox"]' % label)
    env = raw.get('env')
    if env is not None and not isinstance(env, dict):
        raise PodSpecError('%s.env: must be a dict of NAME: value' % label)
    env_out = {}
    for key, value in (env or {}).items():
        key = str(key)
        if not key or '=' in key:
            raise PodSpecError('%s.env: %r is not a variable name' % (label, key))
        if value is None:
            raise PodSpecError('%s.env.%s: has no value' % (label, key))
        env_out[key] = _scalar_text(value, '%s.env.%s' % (label, key))
    ports, host_ports = normalize_ports(raw.get('ports'), '%s.ports' % label)
    return {
        'name': name,
        'image': image.strip(),
        'command': _normalize_command(raw.get('command'), '%s.command' % label),
        'entrypoint': _normalize_command(entrypoint, '%s.entrypoint' % label),
        'env': env_out,
        'ports': ports,
        'labels': normalize_labels(raw.get('labels'), '%s.labels' % label),
        'host_ports': host_ports,
    }


def normalize_containers(containers):
    """Validate and normalize the ``containers`` option; raises PodSpecError with the app and key."""
    if not containers:
        raise PodSpecError('containers: a pod needs at least one app container')
    if not isinstance(containers, list):
        raise PodSpecError('containers: must be a list of dicts')
    apps = [normalize_app(raw, i) for i, raw in enumerate(containers)]
    seen = {}
    for i, app in enumerate(apps):
        if app['name'] in seen:
            raise PodSpecError('containers[%d]: app name %r is used twice (containers[%d] and containers[%d]); app names are unique within a pod'
                               % (i, app['name'], seen[app['name']], i))
        seen[app['name']] = i
    owners = {}
    for app in apps:
        for port in app['ports']:
            if port in owners:
                raise PodSpecError('port %s is used by app %r and app %r: the apps of a pod share one network namespace, '
                                   'so only one of them can listen on a port' % (port, owners[port], app['name']))
            owners[port] = app['name']
    check_host_ports(apps)
    return apps


def check_host_ports(apps):
    """Refuse two ports of a pod published on one host port and protocol on overlapping addresses (equal, or
    one of them every address): the node can bind only one of them."""
    seen = []
    for index, app in enumerate(apps):
        for binding in app['host_ports']:
            for other_app, other in seen:
                if (other['host_port'], other['protocol']) != (binding['host_port'], binding['protocol']):
                    continue
                if other['host_ip'] is None or binding['host_ip'] is None or other['host_ip'] == binding['host_ip']:
                    raise PodSpecError(
                        "containers[%d] (app %r).ports: host_port %d/%s%s is published twice (port %s of app %r and port %s of app %r); "
                        "give each published port its own host_port"
                        % (index, app['name'], binding['host_port'], binding['protocol'],
                           ' on %s' % (binding['host_ip'] or other['host_ip']) if binding['host_ip'] or other['host_ip'] else '',
                           port_text(other['container_port'], other['protocol']), other_app,
                           port_text(binding['container_port'], binding['protocol']), app['name']))
            seen.append((app['name'], binding))


def _masked_spec(app):
    """The spec stored in the podnet.pod.spec label: environment values replaced by a short hash."""
    spec = dict((k, v) for k, v in app.items() if k != 'name')
    spec['env'] = dict((k, 'sha256:%s' % dp.spec_hash(v)[:12]) for k, v in app['env'].items())
    return spec


def desired_pod(name, apps, infra_image, network, restart_policy, labels):
    """The full desired state: infra and app specs with their container names, labels and hashes.

    The apps' host ports are published on the infra container, which owns the network namespace: they
    are the infra spec's ``ports``, a key left out when the pod publishes none, so that the infra hash
    of a pod without host ports is the one it had before host ports existed.
    """
    host_ports = sorted((b for app in apps for b in app.get('host_ports') or []), key=dp.host_port_key)
    infra_spec = {'image': infra_image, 'network': network, 'restart_policy': restart_policy, 'labels': labels, 'hostname': name}
    if host_ports:
        infra_spec['ports'] = host_ports
    infra_hash = dp.spec_hash({'v': 1, 'pod': name, 'role': dp.ROLE_INFRA, 'spec': infra_spec})
    infra = {
        'name': dp.infra_container_name(name),
        'image': infra_image,
        'spec': infra_spec,
        'hash': infra_hash,
        'labels': dict(labels, **{dp.LABEL_POD: name, dp.LABEL_ROLE: dp.ROLE_INFRA, dp.LABEL_HASH: infra_hash,
                                  dp.LABEL_SPEC: dp.canonical_json(infra_spec)}),
    }
    desired_apps = []
    for app in apps:
        app = dict((k, v) for k, v in app.items() if k != 'host_ports')
        app_hash = dp.spec_hash({'v': 1, 'pod': name, 'role': dp.ROLE_APP, 'spec': app, 'restart_policy': restart_policy, 'pod_labels': labels})
        spec_label = _masked_spec(app)
        app_labels = dict(labels)
        app_labels.update(app['labels'])
        app_labels.update({dp.LABEL_POD: name, dp.LABEL_ROLE: dp.ROLE_APP, dp.LABEL_APP: app['name'], dp.LABEL_HASH: app_hash,
                           dp.LABEL_SPEC: dp.canonical_json(spec_label)})
        desired_apps.append({
            'name': app['name'],
            'container_name': dp.app_container_name(name, app['name']),
            'image': app['image'],
            'spec': app,
            'spec_label': spec_label,
            'hash': app_hash,
            'labels': app_labels,
        })
    return {'name': name, 'network': network, 'restart_policy': restart_policy, 'infra': infra, 'apps': desired_apps,
            'host_ports': host_ports}


# --------------------------------------------------------------------------- planning

def _usable(facts):
    return facts.get('status') not in ('dead', 'removing')


def _stopped(facts):
    """Created or exited: needs a start (a restarting container is left to Docker's restart policy)."""
    return facts.get('status') in ('created', 'exited')


def _pick(candidates, want_hash):
    """The existing container to keep among candidates: matching hash first, then running, then any."""
    ranked = sorted(candidates, key=lambda f: (f.get('spec_hash') != want_hash, not f.get('running'), not _usable(f), f.get('name') or ''))
    return ranked[0], ranked[1:]


def plan_pod(desired, existing, image_ids=None, restart=False):
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
            remove.extend({'name': f['name'], 'action': 'remove', 'reason': 'app %s is not in the spec' % name, 'current': f}
                          for f in apps_by_name[name])
    remove.extend({'name': f['name'], 'action': 'remove', 'reason': 'pod container without role', 'current': f} for f in others)
    changed = bool(remove) or infra['action'] != 'keep' or any(s['action'] != 'keep' for s in app_steps)
    return {'infra': infra, 'apps': app_steps, 'remove': remove, 'changed': changed}


def images_needed(desired, plan):
    """{image: [who needs it]} for the containers the plan creates."""
    needed = {}
    if plan['infra']['action'] in ('create', 'recreate'):
        needed.setdefault(desired['infra']['image'], []).append('infra')
    for app, step in zip(desired['apps'], plan['apps']):
        if step['action'] in ('create', 'recreate'):
            needed.setdefault(app['image'], []).append('app %s' % app['name'])
    return needed


def describe_step(step, what):
    """'recreated app web (spec changed)' for a step on ``what`` ('infra', 'app web', a container name)."""
    verb = {'create': 'created', 'recreate': 'recreated', 'start': 'started', 'restart': 'restarted', 'remove': 'removed'}[step['action']]
    text = '%s %s' % (verb, what)
    if step.get('reason'):
        text += ' (%s)' % step['reason']
    return text


def plan_actions(plan):
    """The plan as the list of actions it performs, in execution order."""
    actions = [describe_step(s, s['name']) for s in plan['remove']]
    if plan['infra']['action'] != 'keep':
        actions.append(describe_step(plan['infra'], 'infra'))
    actions.extend(describe_step(s, 'app %s' % s['name']) for s in plan['apps'] if s['action'] != 'keep')
    return actions


def pod_summary(name, infra, apps):
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


def existing_summary(name, existing):
    infra = None
    apps = {}
    for facts in existing:
        spec = facts.get('spec') or {'image': facts.get('image')}
        if facts.get('role') == dp.ROLE_INFRA:
            infra = (spec, facts.get('status'))
        elif facts.get('app'):
            apps[facts['app']] = (spec, facts.get('status'))
    return pod_summary(name, infra, apps)


def desired_summary(desired):
    apps = dict((a['name'], (a['spec_label'], 'running')) for a in desired['apps'])
    return pod_summary(desired['name'], (desired['infra']['spec'], 'running'), apps)


# --------------------------------------------------------------------------- running it

class PodRunner:
    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.params = module.params
        self.actions = []
        self.created = []

    def fail(self, msg, **kwargs):
        self.module.fail_json(msg=msg, actions=self.actions, **kwargs)

    def ensure_images(self, needed):
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
                    self.fail('image %s (needed by %s) is not present and loading %s failed: %s'
                              % (image, who, archive, dp.describe_error(exc)))
                if not dp.local_image_id(self.client, image):
                    self.fail('%s does not provide image %s (needed by %s): the images it loaded are tagged %s; set infra_image to one of these tags'
                              % (archive, image, who, ', '.join(loaded) or 'no image'))
                self.actions.append('loaded image %s from %s' % (image, archive))
                continue
            if self.params['pull'] == 'never':
                self.fail('image %s (needed by %s) is not present on this node and pull=never; load it first (docker load)%s'
                          % (image, who, ', or set pause_image_archive' if image == infra_image else ''))
            if self.module.check_mode:
                self.actions.append('pulled image %s' % image)
                continue
            try:
                dp.pull_image(self.client, image)
            except (dp.DockerException, OSError) as exc:
                self.fail('image %s (needed by %s) is not present on this node and pulling it failed: %s. '
                          'Load it on the node (docker load)%s, or fix the image name'
                          % (image, who, dp.describe_error(exc), ' or set pause_image_archive' if image == infra_image else ''))
            if not dp.local_image_id(self.client, image):
                self.fail('image %s (needed by %s) is still not present after the pull' % (image, who))
            self.actions.append('pulled image %s' % image)

    def check_names(self, desired, plan):
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
                self.fail('container name %s is taken by container %s, which is not a container of pod %s this run replaces; '
                          'remove or rename it' % (name, holder[:12], self.params['name']))

    def _remove(self, facts, text):
        dp.remove_container(self.client, facts['id'], self.params['stop_timeout'] if facts.get('running') else None)
        self.actions.append(text)

    def _create_infra(self, desired):
        infra = desired['infra']
        container_id = dp.create_infra(self.client, infra['name'], infra['image'], desired['network'],
                                       desired['restart_policy'], infra['labels'], desired['name'], desired['host_ports'])
        self.created.append((infra['name'], container_id))
        dp.start_container(self.client, container_id)
        return container_id

    def _create_app(self, desired, app, infra_id):
        container_id = dp.create_app(self.client, app['container_name'], app['spec'], infra_id, desired['restart_policy'], app['labels'])
        self.created.append((app['container_name'], container_id))
        dp.start_container(self.client, container_id)
        return container_id

    def execute(self, desired, plan):
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

    def remove_pod(self, existing):
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


def result_from_containers(desired, existing):
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


def check_mode_result(desired, plan):
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


def main():
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
    module = AnsibleModule(
        argument_spec=argument_spec,
        supports_check_mode=True,
        required_if=[('state', 'present', ('containers',)), ('state', 'restarted', ('containers',))],
    )
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
        result = dict(changed=bool(existing), actions=runner.actions, pod_ip=None, infra=None, containers=[], netns_inode=None,
                      host_ports=[])
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
                module.warn('container %s of pod %s is %s (exit code %s); see docker logs %s'
                            % (facts['name'], params['name'], facts.get('status'), facts.get('exit_code'), facts['name']))
        order = dict((a['name'], i) for i, a in enumerate(desired['apps']))
        result['containers'].sort(key=lambda c: order.get(c['name'], len(order)))
    result.update(changed=plan['changed'] or any(a.startswith(('loaded', 'pulled')) for a in runner.actions), actions=runner.actions)
    if module._diff:
        result['diff'] = {'before': existing_summary(params['name'], existing), 'after': desired_summary(desired)}
    module.exit_json(**result)


if __name__ == '__main__':
    main()
