# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""The spec of a pod (podnet.flannel.pod): checking and normalizing the ``containers`` option and
building the desired state (container names, labels and spec hashes of the infra and app containers).

Pure logic; a bad spec raises PodSpecError with a message naming the app and the key.
"""

from __future__ import annotations

import ipaddress
import re
import shlex
from typing import Any, Dict, List, Tuple, Union

from ansible_collections.podnet.flannel.plugins.module_utils import docker_pod as dp
from ansible_collections.podnet.flannel.plugins.module_utils.canonical_json import canonical_json

ALLOWED_KEYS = ('name', 'image', 'command', 'entrypoint', 'env', 'ports', 'labels')
PORT_KEYS = ('container_port', 'host_port', 'protocol', 'host_ip')
RESERVED_APP_NAMES = ('infra',)
_DNS_LABEL = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'


class PodSpecError(ValueError):
    """An invalid pod spec; the message names the app and the key."""


def validate_name(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise PodSpecError('%s: a name is required' % what)
    if len(value) > 63 or not re.match(_DNS_LABEL, value):
        raise PodSpecError(
            '%s: %r is not a DNS label (lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)' % (what, value)
        )
    return value


def _scalar_text(value, what):
    if isinstance(value, bool):
        raise PodSpecError('%s: %r is a boolean; quote it ("true"/"false") to say which text the container gets' % (what, value))
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value
    raise PodSpecError('%s: %r is not a string' % (what, value))


def normalize_labels(labels: Any, what: str) -> Dict[str, str]:
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


def port_text(port: int, protocol: str = 'tcp') -> Union[int, str]:
    """How a container port is written in the normalized spec and in messages: 8080 (tcp), '53/udp'."""
    return port if protocol == 'tcp' else '%d/%s' % (port, protocol)


def _normalize_port(entry, what):
    """One ``ports`` item -> (container port as port_text gives it, host port binding or None)."""
    if not isinstance(entry, dict):
        return port_text(_port_number(entry, what)), None
    unknown = sorted(str(k) for k in entry if k not in PORT_KEYS)
    if unknown:
        raise PodSpecError(
            '%s: unknown key%s %s; allowed keys are %s' % (what, 's' if len(unknown) > 1 else '', ', '.join(repr(k) for k in unknown), ', '.join(PORT_KEYS))
        )
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
            raise PodSpecError('%s.host_ip: %r is not an IPv4 or IPv6 address (leave it out to publish on every address)' % (what, host_ip))
    binding = {'container_port': container_port, 'host_port': host_port, 'protocol': protocol, 'host_ip': host_ip}
    return port_text(container_port, protocol), binding


def normalize_ports(ports: Any, what: str) -> Tuple[List[Union[int, str]], List[Dict[str, Any]]]:
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


def normalize_app(raw: Any, index: int) -> Dict[str, Any]:
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
        raise PodSpecError(
            '%s: unknown key%s %s; allowed keys are %s' % (label, 's' if len(unknown) > 1 else '', ', '.join(repr(k) for k in unknown), ', '.join(ALLOWED_KEYS))
        )
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


def normalize_containers(containers: Any) -> List[Dict[str, Any]]:
    """Validate and normalize the ``containers`` option; raises PodSpecError with the app and key."""
    if not containers:
        raise PodSpecError('containers: a pod needs at least one app container')
    if not isinstance(containers, list):
        raise PodSpecError('containers: must be a list of dicts')
    apps = [normalize_app(raw, i) for i, raw in enumerate(containers)]
    seen = {}
    for i, app in enumerate(apps):
        if app['name'] in seen:
            raise PodSpecError(
                'containers[%d]: app name %r is used twice (containers[%d] and containers[%d]); app names are unique within a pod'
                % (i, app['name'], seen[app['name']], i)
            )
        seen[app['name']] = i
    owners = {}
    for app in apps:
        for port in app['ports']:
            if port in owners:
                raise PodSpecError(
                    'port %s is used by app %r and app %r: the apps of a pod share one network namespace, '
                    'so only one of them can listen on a port' % (port, owners[port], app['name'])
                )
            owners[port] = app['name']
    check_host_ports(apps)
    return apps


def check_host_ports(apps: List[Dict[str, Any]]) -> None:
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
                        % (
                            index,
                            app['name'],
                            binding['host_port'],
                            binding['protocol'],
                            ' on %s' % (binding['host_ip'] or other['host_ip']) if binding['host_ip'] or other['host_ip'] else '',
                            port_text(other['container_port'], other['protocol']),
                            other_app,
                            port_text(binding['container_port'], binding['protocol']),
                            app['name'],
                        )
                    )
            seen.append((app['name'], binding))


def _masked_spec(app):
    """The spec stored in the podnet.pod.spec label: environment values replaced by a short hash."""
    spec = dict((k, v) for k, v in app.items() if k != 'name')
    spec['env'] = dict((k, 'sha256:%s' % dp.spec_hash(v)[:12]) for k, v in app['env'].items())
    return spec


def desired_pod(name: str, apps: List[Dict[str, Any]], infra_image: str, network: str, restart_policy: str, labels: Dict[str, str]) -> Dict[str, Any]:
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
        'labels': dict(
            labels,
            **{dp.LABEL_POD: name, dp.LABEL_ROLE: dp.ROLE_INFRA, dp.LABEL_HASH: infra_hash, dp.LABEL_SPEC: canonical_json(infra_spec, ensure_ascii=True)},
        ),
    }
    desired_apps = []
    for app in apps:
        app = dict((k, v) for k, v in app.items() if k != 'host_ports')
        app_hash = dp.spec_hash({'v': 1, 'pod': name, 'role': dp.ROLE_APP, 'spec': app, 'restart_policy': restart_policy, 'pod_labels': labels})
        spec_label = _masked_spec(app)
        app_labels = dict(labels)
        app_labels.update(app['labels'])
        app_labels.update(
            {
                dp.LABEL_POD: name,
                dp.LABEL_ROLE: dp.ROLE_APP,
                dp.LABEL_APP: app['name'],
                dp.LABEL_HASH: app_hash,
                dp.LABEL_SPEC: canonical_json(spec_label, ensure_ascii=True),
            }
        )
        desired_apps.append(
            {
                'name': app['name'],
                'container_name': dp.app_container_name(name, app['name']),
                'image': app['image'],
                'spec': app,
                'spec_label': spec_label,
                'hash': app_hash,
                'labels': app_labels,
            }
        )
    return {'name': name, 'network': network, 'restart_policy': restart_policy, 'infra': infra, 'apps': desired_apps, 'host_ports': host_ports}
