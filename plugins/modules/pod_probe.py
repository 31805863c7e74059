#!/usr/bin/python
# Copyright: (c) 2026, podnet.flannel maintainers
# GNU General Public License v3.0+ (https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pod_probe
short_description: Send HTTP probes from pods and from the node, and read the pods' own addresses
version_added: 0.1.0
description:
  - Runs on a node. Every probe is one HTTP GET of a URL, sent either from a pod (by running
    C(timeout <timeout> wget -qO- <url>) in one of its app containers through the Docker API,
    so the request leaves the pod's network namespace) or from the node itself (Python's C(urllib), no proxy).
  - Returns the raw outcome of each probe (exit code, output, error text, elapsed time) without
    judging it; M(podnet.flannel.netcheck_report) turns the outcomes into verdicts.
  - Reads the IPv4 address and the global IPv6 address of C(eth0) of the containers in O(self_ip_containers)
    with C(ip -o addr show eth0), run in the container.
  - A URL may name an IPv6 address in brackets (C(http://[fd00:10:244:48::2]:8080/cgi-bin/ip)), for the
    IPv6 pairs of a dual-stack cluster.
  - A probe that fails (no answer, refused, container missing or stopped) is not a module failure;
    its result says why. The module fails only on bad options or when the Docker daemon does not answer.
author:
  - podnet.flannel maintainers (@podnet)
options:
  probes:
    description:
      - The probes to send; up to O(parallel) at a time. RV(results) keeps this order.
    type: list
    elements: dict
    default: []
    suboptions:
      id:
        description:
          - A label returned with the result, to match results to probes (M(podnet.flannel.netcheck_report)
            uses C(<kind>:<source>-><destination>)).
        type: str
      src_kind:
        description:
          - V(pod) sends the request from the network namespace of O(probes[].container).
          - V(node) sends it from the node's own network stack.
        type: str
        choices: [pod, node]
        required: true
      src:
        description:
          - Name of the source (pod or node), returned with the result.
        type: str
        required: true
      container:
        description:
          - The app container the request is sent from. Required with O(probes[].src_kind=pod).
          - It needs C(timeout) and C(wget) on its C(PATH) (busybox applets).
        type: str
      url:
        description:
          - The C(http://) URL to get.
        type: str
        required: true
  timeout:
    description:
      - Seconds each probe may take; a probe that takes longer is stopped and reported as timed out.
      - Requests to the Docker daemon time out after O(timeout) + 30 seconds.
    type: int
    default: 3
  retries:
    description:
      - How many more times to try a probe that failed or got an empty answer, so that one request
        lost on a loaded machine does not fail the check. A failure that persists is still
        reported; an answer (even a wrong address, such as NAT) is never retried.
    type: int
    default: 1
  parallel:
    description:
      - How many probes are in flight at once. Probes that get no answer each wait for
        O(timeout) (and again for each retry), so a broken network is reported in about
        (failing probes / O(parallel)) x O(timeout) x (O(retries) + 1) seconds instead of the sum.
      - V(1) sends them one after the other.
    type: int
    default: 8
  self_ip_containers:
    description:
      - Containers whose C(eth0) addresses to read into RV(self_ips) (IPv4) and RV(self_ips6) (IPv6).
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - podnet.flannel.attributes
  - podnet.flannel.docker
attributes:
  check_mode:
    support: full
    details:
      - The probes run in check mode too. They change nothing (an HTTP GET and an exec of C(wget) or C(ip)
        in a running container), so there is nothing to predict.
  diff_mode:
    support: none
notes:
  - Each probe is bounded by O(timeout) and their number by O(probes), so a run takes at most about
    (number of probes / O(parallel) + containers) x O(timeout) x (O(retries) + 1) seconds.
  - In a pod, C(timeout) ends C(wget) with C(SIGTERM) when time is up; busybox then exits with 143
    (coreutils C(timeout) with 124). Node probes report a timeout as exit code 124.
  - Node probes report their outcome the way C(wget) does, so both kinds read the same way. That is
    exit code 0 and the body on an answer, else 1 with the reason in RV(results[].stderr).
requirements:
  - Docker SDK for Python (C(docker)) >= 5.0.3 on the node (Debian package C(python3-docker)), for pod probes
    and O(self_ip_containers).
seealso:
  - module: podnet.flannel.netcheck_report
  - module: podnet.flannel.pod_info
"""

EXAMPLES = r"""
- name: Ask the echo servers which address they saw
  podnet.flannel.pod_probe:
    probes:
      - id: "pod-pod:demo-node1->demo-node2"
        src_kind: pod
        src: demo-node1
        container: demo-node1-echo
        url: http://10.244.35.2:8080/cgi-bin/ip
      - id: "node-pod:node1->demo-node2"
        src_kind: node
        src: node1
        url: http://10.244.35.2:8080/cgi-bin/ip
      - id: "hostport:node1->demo-node2"
        src_kind: node
        src: node1
        url: http://192.168.77.12:18081/cgi-bin/ip
    self_ip_containers: [demo-node1-echo]
    timeout: 3
  register: probe

- name: Show what the receivers saw
  ansible.builtin.debug:
    msg: "{{ item.probe.id }}: rc={{ item.rc }} seen={{ item.stdout }} {{ item.stderr }}"
  loop: "{{ probe.results }}"
"""

RETURN = r"""
results:
  description: One item per probe, in the order of O(probes).
  returned: always
  type: list
  elements: dict
  contains:
    probe:
      description: The probe as given (O(probes[].id), O(probes[].src_kind), O(probes[].src), O(probes[].container), O(probes[].url)).
      type: dict
      sample: {"id": "pod-pod:demo-node1->demo-node2", "src_kind": "pod", "src": "demo-node1",
               "container": "demo-node1-echo", "url": "http://10.244.35.2:8080/cgi-bin/ip"}
    rc:
      description:
        - Exit code of C(timeout wget) (pod probes); 0, 1 or 124 (timeout) for node probes.
        - V(null) when the probe could not be started (see RV(results[].error)).
      type: int
      sample: 0
    stdout:
      description: The body of the answer, stripped; the echo servers answer with the address they saw.
      type: str
      sample: 10.244.72.2
    stderr:
      description: "Error output, stripped, such as C(wget: can't connect to remote host (10.244.35.2): Connection refused)."
      type: str
      sample: ""
    elapsed:
      description: Seconds the probe took, all attempts together.
      type: float
      sample: 0.041
    attempts:
      description: How many times the probe ran (more than 1 when a failed or empty answer was retried, see O(retries)).
      type: int
      sample: 1
    timeout:
      description: The O(timeout) the probe ran with.
      type: int
      sample: 3
    error:
      description: Why the probe could not run at all (container missing or not running, exec refused), else V(null).
      type: str
      sample: "container demo-node1-echo: No such container: demo-node1-echo"
self_ips:
  description:
    - The IPv4 address of C(eth0) of each container of O(self_ip_containers); V(null) when it could not be read.
  returned: always
  type: dict
  sample: {"demo-node1-echo": "10.244.72.2"}
self_ips6:
  description:
    - The global IPv6 address of C(eth0) of each container of O(self_ip_containers) (link-local addresses
      are left out); V(null) when it has none (an IPv4-only pod) or it could not be read.
  returned: always
  type: dict
  sample: {"demo-node1-echo": "fd00:10:244:48::2"}
self_ip_errors:
  description: Why the IPv4 address of a container could not be read, for those containers only.
  returned: always
  type: dict
  sample: {"demo-node3-echo": "container demo-node3-echo is not running"}
"""

import socket
import time
from concurrent.futures import ThreadPoolExecutor
import urllib.error
import urllib.request

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_native, to_text

from ansible_collections.podnet.flannel.plugins.module_utils import docker_pod as dp
from ansible_collections.podnet.flannel.plugins.module_utils.netcheck_addr import parse_ip_addr, parse_ip_addr6

MAX_BODY = 4096
TIMEOUT_RC = 124


def _text(data):
    if data is None:
        return ''
    return to_text(data, errors='surrogate_or_replace').strip()


class Docker:
    """A lazily opened Docker client: node-only runs never need the daemon."""

    def __init__(self, module):
        self.module = module
        self.client = None
        self.containers = {}

    def connect(self):
        if self.client is None:
            self.client = dp.connect(self.module, timeout=self.module.params['timeout'] + 30)
        return self.client

    def container(self, name):
        """(container, None) or (None, why it cannot run commands)."""
        if name not in self.containers:
            try:
                container = self.connect().containers.get(name)
                status = container.attrs.get('State', {})
                if not status.get('Running') or status.get('Restarting'):
                    self.containers[name] = (None, 'container %s is not running (%s)' % (name, status.get('Status') or 'unknown'))
                else:
                    self.containers[name] = (container, None)
            except dp.NotFound:
                self.containers[name] = (None, 'container %s does not exist' % name)
            except (dp.DockerException, OSError) as exc:
                self.containers[name] = (None, 'container %s: %s' % (name, dp.describe_error(exc)))
        return self.containers[name]

    def run(self, name, command):
        """(rc, stdout, stderr, error) of ``command`` run in container ``name``."""
        container, why = self.container(name)
        if container is None:
            return None, '', '', why
        try:
            rc, output = container.exec_run(command, stdout=True, stderr=True, demux=True)
        except (dp.DockerException, OSError) as exc:
            return None, '', '', 'exec in %s failed: %s' % (name, dp.describe_error(exc))
        out, err = output if isinstance(output, tuple) else (output, None)
        return rc, _text(out), _text(err), None


def pod_probe(docker, probe, timeout):
    command = ['timeout', str(timeout), 'wget', '-qO-', probe['url']]
    rc, out, err, error = docker.run(probe['container'], command)
    if rc in (126, 127) and not error:
        error = 'cannot run %s in %s (exit code %d): %s' % (' '.join(command[:3]), probe['container'], rc, err or out)
    return {'rc': rc, 'stdout': out, 'stderr': err, 'error': error}


def _reason(exc):
    """wget-like text for a urllib error."""
    reason = getattr(exc, 'reason', exc)
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return TIMEOUT_RC, 'download timed out'
    if isinstance(reason, ConnectionRefusedError):
        return 1, "can't connect to remote host: Connection refused"
    if isinstance(reason, OSError) and reason.strerror:
        return 1, "can't connect to remote host: %s" % reason.strerror
    return 1, to_native(reason)


def node_probe(probe, timeout):
    """GET the URL from the node, without proxy; read at most MAX_BODY bytes, within ``timeout`` seconds."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    try:
        with opener.open(probe['url'], timeout=timeout) as response:
            chunks = []
            size = 0
            while size < MAX_BODY:
                if time.monotonic() > deadline:
                    return {'rc': TIMEOUT_RC, 'stdout': '', 'stderr': 'download timed out', 'error': None}
                chunk = response.read(min(1024, MAX_BODY - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            return {'rc': 0, 'stdout': _text(b''.join(chunks)), 'stderr': '', 'error': None}
    except urllib.error.HTTPError as exc:
        return {'rc': 1, 'stdout': '', 'stderr': 'server returned error: HTTP %s %s' % (exc.code, exc.reason), 'error': None}
    except (urllib.error.URLError, OSError) as exc:
        rc, text = _reason(exc)
        return {'rc': rc, 'stdout': '', 'stderr': text, 'error': None}
    except ValueError as exc:  # a URL urllib cannot use
        return {'rc': None, 'stdout': '', 'stderr': '', 'error': 'bad URL %r: %s' % (probe['url'], to_native(exc))}


def send_probe(docker, probe, timeout, retries):
    """The outcome of one probe, tried up to ``retries`` more times until it gets an answer."""
    started = time.monotonic()
    for attempt in range(1, retries + 2):
        if probe['src_kind'] == 'pod':
            outcome = pod_probe(docker, probe, timeout)
        else:
            outcome = node_probe(probe, timeout)
        if outcome.get('rc') == 0 and (outcome.get('stdout') or '').strip():
            break
    outcome['attempts'] = attempt
    outcome['elapsed'] = round(time.monotonic() - started, 3)
    outcome['timeout'] = timeout
    outcome['probe'] = dict((k, v) for k, v in probe.items() if v is not None)
    return outcome


def send_all(docker, probes, timeout, retries, parallel, sender=send_probe):
    """Every probe's outcome, in the order of ``probes``, with up to ``parallel`` in flight.

    Threads, not processes: each probe waits on the network or on the Docker daemon. The Docker
    SDK's connection pool (10 connections) is above the default of 8 in flight. The pod probes'
    containers are looked up before the threads start, so the threads only read that cache.
    """
    for probe in probes:
        if probe['src_kind'] == 'pod':
            docker.container(probe['container'])
    with ThreadPoolExecutor(max_workers=max(1, int(parallel))) as pool:
        return list(pool.map(lambda probe: sender(docker, probe, timeout, retries), probes))


def read_self_ip(docker, name):
    """(ipv4, ipv6, None) or (ipv4 or None, ipv6 or None, why the IPv4 address is missing)."""
    rc, out, err, error = docker.run(name, ['ip', '-o', 'addr', 'show', 'eth0'])
    if error:
        return None, None, error
    if rc != 0:
        return None, None, 'ip -o addr show eth0 in %s failed (exit code %s): %s' % (name, rc, err or out)
    address, address6 = parse_ip_addr(out), parse_ip_addr6(out)
    if not address:
        return None, address6, 'no IPv4 address on eth0 of %s (ip said: %s)' % (name, out or err or 'nothing')
    return address, address6, None


def check_probes(module, probes):
    for index, probe in enumerate(probes):
        where = 'probes[%d] (%s)' % (index, probe.get('id') or probe.get('src'))
        if probe['src_kind'] == 'pod' and not probe.get('container'):
            module.fail_json(msg='%s: container is required for a pod probe (the app container to run wget in)' % where, probe=probe)
        if not probe['url'].startswith('http://'):
            module.fail_json(msg='%s: url must be an http:// URL, got %r' % (where, probe['url']), probe=probe)


def main():
    probe_spec = dict(
        id=dict(type='str'),
        src_kind=dict(type='str', required=True, choices=['pod', 'node']),
        src=dict(type='str', required=True),
        container=dict(type='str'),
        url=dict(type='str', required=True),
    )
    module = AnsibleModule(
        argument_spec=dict(
            probes=dict(type='list', elements='dict', default=[], options=probe_spec),
            timeout=dict(type='int', default=3),
            retries=dict(type='int', default=1),
            parallel=dict(type='int', default=8),
            self_ip_containers=dict(type='list', elements='str', default=[]),
            **dp.docker_connection_spec(),
        ),
        supports_check_mode=True,
    )
    timeout = module.params['timeout']
    if timeout < 1:
        module.fail_json(msg='timeout must be at least 1 second, got %d' % timeout)
    if module.params['parallel'] < 1:
        module.fail_json(msg='parallel must be at least 1, got %d' % module.params['parallel'])
    probes = module.params['probes']
    check_probes(module, probes)
    docker = Docker(module)

    results = send_all(docker, probes, timeout, max(0, module.params['retries']), module.params['parallel'])

    self_ips = {}
    self_ips6 = {}
    errors = {}
    for name in module.params['self_ip_containers']:
        self_ips[name], self_ips6[name], why = read_self_ip(docker, name)
        if why:
            errors[name] = why
    module.exit_json(changed=False, results=results, self_ips=self_ips, self_ips6=self_ips6, self_ip_errors=errors)


if __name__ == '__main__':
    main()
