# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Docker SDK helpers for pods: an infra (pause) container holding the network namespace and app
containers that join it (``network_mode='container:<infra id>'``).

Thin over the Docker SDK for Python (``docker``), using only calls that behave the same in SDK 5.0.3
(Debian bookworm's python3-docker) and 7.x. Runs on the node: netns inodes are read from ``/proc``.

Pod containers carry these labels:

- ``podnet.pod=<pod name>``
- ``podnet.pod.role=infra|app``
- ``podnet.pod.container=<app name>`` (apps)
- ``podnet.pod.spec-hash=<sha256 of the normalized spec>``
- ``podnet.pod.spec=<the normalized spec as JSON, environment values replaced by their hash>``
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import traceback
from typing import Any, Dict, List, Optional, Tuple

from ansible.module_utils.basic import missing_required_lib
from ansible.module_utils.common.text.converters import to_native
from ansible.module_utils.compat.version import LooseVersion

from ansible_collections.podnet.flannel.plugins.module_utils.canonical_json import canonical_json

try:
    import docker
    from docker.errors import DockerException, APIError, NotFound, ImageNotFound

    HAS_DOCKER = True
    DOCKER_IMPORT_ERROR = None
except ImportError:
    HAS_DOCKER = False
    DOCKER_IMPORT_ERROR = traceback.format_exc()

    class DockerException(Exception):  # type: ignore[no-redef]
        pass

    class APIError(DockerException):  # type: ignore[no-redef]
        pass

    class NotFound(APIError):  # type: ignore[no-redef]
        pass

    class ImageNotFound(NotFound):  # type: ignore[no-redef]
        pass


MIN_DOCKER_SDK = '5.0.3'
DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock'
DEFAULT_INFRA_IMAGE = 'registry.k8s.io/pause:3.10'

LABEL_POD = 'podnet.pod'
LABEL_ROLE = 'podnet.pod.role'
LABEL_APP = 'podnet.pod.container'
LABEL_HASH = 'podnet.pod.spec-hash'
LABEL_SPEC = 'podnet.pod.spec'
ROLE_INFRA = 'infra'
ROLE_APP = 'app'

RESTART_POLICIES = ('no', 'always', 'on-failure', 'unless-stopped')
PROTOCOLS = ('tcp', 'udp')


def docker_connection_spec() -> dict:
    """Where the daemon is (doc fragment podnet.flannel.docker)."""
    return dict(
        docker_host=dict(type='str', default=DEFAULT_DOCKER_HOST),
        api_version=dict(type='str', default='auto'),
    )


def docker_argument_spec() -> dict:
    """Connection options with the request timeout (doc fragments podnet.flannel.docker and podnet.flannel.docker.request_timeout)."""
    spec = docker_connection_spec()
    spec.update(timeout=dict(type='int', default=60))
    return spec


def check_sdk(module: Any) -> None:
    """fail_json when the Docker SDK is missing or older than MIN_DOCKER_SDK."""
    if not HAS_DOCKER:
        module.fail_json(
            msg=missing_required_lib(
                'docker (Docker SDK for Python) >= %s' % MIN_DOCKER_SDK, reason='to talk to the Docker daemon (Debian: apt-get install python3-docker)'
            ),
            exception=DOCKER_IMPORT_ERROR,
        )
    version = getattr(docker, '__version__', '0')
    if LooseVersion(version) < LooseVersion(MIN_DOCKER_SDK):
        module.fail_json(msg='the Docker SDK for Python (docker) on this node is %s; %s or later is required' % (version, MIN_DOCKER_SDK))


def connect(module: Any, timeout: Optional[int] = None) -> Any:
    """A docker.DockerClient for the module's connection options; fail_json when the daemon does not answer.

    ``timeout``: seconds per request to the daemon (default: the module's ``timeout`` option).
    """
    check_sdk(module)
    params = module.params
    try:
        client = docker.DockerClient(
            base_url=params['docker_host'], version=params['api_version'] or 'auto', timeout=params['timeout'] if timeout is None else timeout
        )
        client.api.ping()
    except (DockerException, OSError, ValueError) as exc:  # requests' errors are OSErrors
        module.fail_json(msg='cannot reach the Docker daemon at %s: %s (is dockerd running?)' % (params['docker_host'], describe_error(exc)))
    return client


# --------------------------------------------------------------------------- names and hashes


def infra_container_name(pod: str) -> str:
    return '%s-infra' % pod


def app_container_name(pod: str, app: str) -> str:
    return '%s-%s' % (pod, app)


def spec_hash(data: Any) -> str:
    """sha256 (hex) of the canonical JSON of ``data``: equal specs give equal hashes, whatever the key order."""
    return hashlib.sha256(canonical_json(data, ensure_ascii=True).encode('utf-8')).hexdigest()


def split_image_ref(ref: str) -> Tuple[str, str]:
    """``registry:5000/a/b:tag`` -> (``registry:5000/a/b``, ``tag``); no tag -> latest; ``@sha256:...`` digests kept."""
    if '@' in ref:
        repo, digest = ref.split('@', 1)
        return repo, digest
    last = ref.rsplit('/', 1)[-1]
    if ':' in last:
        repo, tag = ref.rsplit(':', 1)
        return repo, tag
    return ref, 'latest'


# --------------------------------------------------------------------------- inspection


def netns_inode(pid: Optional[int], proc: str = '/proc') -> Optional[int]:
    """Inode of ``/proc/<pid>/ns/net`` (identifies the network namespace), or None when unknown."""
    if not pid:
        return None
    try:
        return os.stat(os.path.join(proc, str(int(pid)), 'ns', 'net')).st_ino
    except (OSError, ValueError):
        return None


def host_port_key(binding: Dict[str, Any]) -> Tuple[Any, ...]:
    """Sort key of a host port binding ({container_port, host_port, protocol, host_ip})."""
    return (binding['host_port'], binding['protocol'], binding.get('host_ip') or '', binding['container_port'])


def published_ports(host_config: Optional[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The host ports of a container, from its ``HostConfig.PortBindings``, sorted.

    ``{"8080/tcp": [{"HostIp": "", "HostPort": "18081"}]}`` ->
    ``[{"container_port": 8080, "host_port": 18081, "protocol": "tcp", "host_ip": None}]``; a binding
    without host port (Docker picks one) or that cannot be read is left out.
    """
    out = []
    for key, bindings in ((host_config or {}).get('PortBindings') or {}).items():
        port, dummy, protocol = str(key).partition('/')
        for binding in bindings or []:
            try:
                container_port, host_port = int(port), int((binding or {}).get('HostPort') or 0)
            except (TypeError, ValueError):
                continue
            if host_port:
                out.append(
                    {'container_port': container_port, 'host_port': host_port, 'protocol': protocol or 'tcp', 'host_ip': (binding or {}).get('HostIp') or None}
                )
    return sorted(out, key=host_port_key)


def container_facts(attrs: Dict[str, Any], proc: str = '/proc') -> Dict[str, Any]:
    """The parts of ``docker inspect`` the pod modules use, as a plain dict."""
    config = attrs.get('Config') or {}
    labels = config.get('Labels') or {}
    state = attrs.get('State') or {}
    host_config = attrs.get('HostConfig') or {}
    settings = attrs.get('NetworkSettings') or {}
    networks = {}
    networks6 = {}
    for net_name, net in (settings.get('Networks') or {}).items():
        networks[net_name] = (net or {}).get('IPAddress') or None
        networks6[net_name] = (net or {}).get('GlobalIPv6Address') or None
    spec = None
    if labels.get(LABEL_SPEC):
        try:
            spec = json.loads(labels[LABEL_SPEC])
        except ValueError:
            spec = None
    # Docker keeps Running true while a crash-looping container waits to be restarted.
    running = bool(state.get('Running')) and not state.get('Restarting')
    pid = state.get('Pid') or 0
    return {
        'id': attrs.get('Id'),
        'name': (attrs.get('Name') or '').lstrip('/'),
        'pod': labels.get(LABEL_POD),
        'role': labels.get(LABEL_ROLE),
        'app': labels.get(LABEL_APP),
        'spec_hash': labels.get(LABEL_HASH),
        'spec': spec,
        'status': state.get('Status'),
        'running': running,
        'exit_code': state.get('ExitCode'),
        'pid': pid,
        'image': config.get('Image'),
        'image_id': attrs.get('Image'),
        'network_mode': host_config.get('NetworkMode'),
        'networks': networks,
        'ip_address': settings.get('IPAddress') or None,
        'networks6': networks6,
        'ipv6_address': settings.get('GlobalIPv6Address') or None,
        'host_ports': published_ports(host_config),
        'netns_inode': netns_inode(pid, proc) if running else None,
    }


def pod_ip(infra: Optional[Dict[str, Any]], network: str = 'bridge') -> Optional[str]:
    """The pod's IP: the infra container's address on ``network``, else its legacy IPAddress, else any."""
    if not infra:
        return None
    networks = infra.get('networks') or {}
    if networks.get(network):
        return networks[network]
    if infra.get('ip_address'):
        return infra['ip_address']
    for name in sorted(networks):
        if networks[name]:
            return networks[name]
    return None


def pod_ipv6(infra: Optional[Dict[str, Any]], network: str = 'bridge') -> Optional[str]:
    """The pod's global IPv6 address (a dual-stack docker0), as pod_ip picks the IPv4 one; None without."""
    if not infra:
        return None
    networks = infra.get('networks6') or {}
    if networks.get(network):
        return networks[network]
    if infra.get('ipv6_address'):
        return infra['ipv6_address']
    for name in sorted(networks):
        if networks[name]:
            return networks[name]
    return None


def list_pod_containers(client: Any, pod: Optional[str] = None) -> List[Dict[str, Any]]:
    """container_facts of every container labelled as part of ``pod`` (of any pod when None), sorted by name."""
    label = '%s=%s' % (LABEL_POD, pod) if pod else LABEL_POD
    facts = []
    for summary in client.api.containers(all=True, filters={'label': label}):
        try:
            attrs = client.api.inspect_container(summary['Id'])
        except NotFound:
            continue  # removed meanwhile
        facts.append(container_facts(attrs))
    return sorted(facts, key=lambda f: (f['pod'] or '', f['role'] != ROLE_INFRA, f['name']))


def container_names(client: Any) -> Dict[str, str]:
    """{name: id} of all containers (any state)."""
    names = {}
    for summary in client.api.containers(all=True):
        for name in summary.get('Names') or []:
            names[name.lstrip('/')] = summary['Id']
    return names


def local_image_id(client: Any, ref: str) -> Optional[str]:
    """ID of the local image ``ref``, or None when it is not present."""
    try:
        return client.api.inspect_image(ref).get('Id')
    except ImageNotFound:
        return None
    except NotFound:
        return None


def load_image_archive(client: Any, path: str) -> List[str]:
    """Load a ``docker save`` tarball; returns the tags (or IDs) of the loaded images."""
    with open(path, 'rb') as handle:
        images = client.images.load(handle)
    loaded = []
    for image in images:
        loaded.extend(image.tags or [image.id])
    return loaded


def pull_image(client: Any, ref: str) -> None:
    """Pull ``ref``; raises DockerException with the daemon's message when the pull fails."""
    repo, tag = split_image_ref(ref)
    error = None
    for chunk in client.api.pull(repo, tag=tag, stream=True, decode=True):
        if isinstance(chunk, dict) and chunk.get('error'):
            error = chunk.get('error')
    if error:
        raise DockerException(error)


# --------------------------------------------------------------------------- changes


def _host_config(client, network_mode, restart_policy, **extra):
    policy = {'Name': restart_policy}
    if restart_policy == 'on-failure':
        policy['MaximumRetryCount'] = 0
    return client.api.create_host_config(network_mode=network_mode, restart_policy=policy, **extra)


def port_arguments(host_ports: Optional[List[Dict[str, Any]]]) -> Tuple[Optional[List[Any]], Optional[Dict[str, Any]]]:
    """(``ports``, ``port_bindings``) for create_container and create_host_config from host port bindings.

    ``ports`` lists the container ports to expose, as (port, protocol); ``port_bindings`` maps
    ``<port>/<protocol>`` to its [(host IP, host port)] ("" for every address). Both None without host ports.
    """
    if not host_ports:
        return None, None
    ports = []
    bindings = {}
    for binding in sorted(host_ports, key=host_port_key):
        key = '%d/%s' % (binding['container_port'], binding['protocol'])
        if key not in bindings:
            ports.append((binding['container_port'], binding['protocol']))
        bindings.setdefault(key, []).append((binding.get('host_ip') or '', binding['host_port']))
    return ports, bindings


def create_infra(
    client: Any,
    name: str,
    image: str,
    network: str,
    restart_policy: str,
    labels: Dict[str, str],
    hostname: str,
    host_ports: Optional[List[Dict[str, Any]]] = None,
) -> str:
    """Create (not start) the infra container, publishing ``host_ports`` on the node; returns its ID.

    The infra container owns the pod's network namespace, so the pod's host ports are published on it.
    """
    ports, bindings = port_arguments(host_ports)
    extra = {'port_bindings': bindings} if bindings else {}
    kwargs = {'ports': ports} if ports else {}
    result = client.api.create_container(
        image, name=name, hostname=hostname, labels=labels, host_config=_host_config(client, network, restart_policy, **extra), **kwargs
    )
    return result['Id']


def create_app(client: Any, name: str, spec: Dict[str, Any], infra_id: str, restart_policy: str, labels: Dict[str, str]) -> str:
    """Create (not start) an app container in the infra container's network namespace; returns its ID.

    ``spec``: a normalized app spec (image, command, entrypoint, env).
    """
    result = client.api.create_container(
        spec['image'],
        name=name,
        command=spec.get('command'),
        entrypoint=spec.get('entrypoint'),
        environment=spec.get('env') or None,
        labels=labels,
        host_config=_host_config(client, 'container:%s' % infra_id, restart_policy),
    )
    return result['Id']


def start_container(client: Any, container_id: str) -> None:
    client.api.start(container_id)


def restart_container(client: Any, container_id: str, stop_timeout: int) -> None:
    client.api.restart(container_id, timeout=stop_timeout)


def remove_container(client: Any, container_id: str, stop_timeout: Optional[int] = None) -> None:
    """Stop (with ``stop_timeout`` seconds of grace, when given) and remove a container; gone already is fine."""
    try:
        if stop_timeout is not None:
            client.api.stop(container_id, timeout=stop_timeout)
        client.api.remove_container(container_id, force=True)
    except NotFound:
        pass


def describe_error(exc: BaseException) -> str:
    """The useful part of a Docker SDK error."""
    explanation = getattr(exc, 'explanation', None)
    if explanation:
        return to_native(explanation)
    return re.sub(r'\s+', ' ', to_native(exc)).strip()
