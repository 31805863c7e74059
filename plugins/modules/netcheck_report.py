#!/usr/bin/python
# Copyright: (c) 2026, podnet.flannel maintainers
# GNU General Public License v3.0+ (https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: netcheck_report
short_description: Judge pod network probes against the Kubernetes network model and write a report and a map
version_added: 0.1.0
description:
  - Runs on the controller, as an action plugin. Nothing is sent to the nodes, and C(delegate_to) V(localhost)
    changes nothing. From the O(topology) of the nodes and their pods
    it plans every probe, classifies the raw outcomes M(podnet.flannel.pod_probe) collected on the nodes
    and checks the three rules of the Kubernetes network model.
  - Rule 1, every pod reaches every pod (on other nodes and on its own node, itself included) and the
    receiver sees the sender pod's IP. Rule 2, every node reaches every pod and every pod every node,
    and the receiver sees the sender's own address (a pod sees one of the sending node's addresses, a
    node sees the sending pod's IP). Rule 3, each pod's C(eth0) address is the address Docker reports
    for it and the address the other pods saw.
  - Host ports, not a rule of the model. A pod that publishes its echo port (O(pod_port), TCP) on its node, as
    Kubernetes' C(hostPort) does (C(host_ports) of M(podnet.flannel.pod_info)), is also probed at
    C(<its node's address>:<host port>) from every other node and every pod on another node (pairs of kind
    V(hostport); callers on its own node are not planned). The echo server must answer and see the
    caller as it is, as on the other pairs (a node's own address, a pod's own IP, since the nodes' addresses
    are exempt from flanneld's masquerading, and the host port's DNAT keeps the source). Any other
    source, such as a docker0 gateway or the caller's node for a pod, is V(nat).
    These pairs count in the totals and fail the check like the others, and are reported as the
    C(host ports) entry after the three rules. The direct pod-to-pod pairs to the pod IP stay as they are.
  - Dual stack. When a pod has an IPv6 address (C(ip6)) or a node an IPv6 subnet or address (C(subnet6),
    C(address6)), rules 1, 2 and 3 are checked over IPv6 too, on pairs of their own. These have C(family=6)
    and ids C(<kind>/6:<source>-><destination>) (such as C(pod-pod/6:demo-node1->demo-node2)); the IPv4 pairs
    keep their ids (C(pod-pod:demo-node1->demo-node2)) and get C(family=4). An IPv6 pair goes to the pod's
    IPv6 address or the node's C(address6), and the receiver must see the sender's own IPv6 address (a pod's
    C(ip6), one of a node's C(node_addresses6)). Host port pairs stay IPv4 only. On an IPv4-only cluster the
    report is what it was before dual stack, without any C(family) key.
  - Each pair gets a verdict. V(ok) means the receiver answered with an expected address. V(nat) means it
    answered with another address. V(timeout) means no answer in time, including exit codes 124 and
    143 of C(timeout). V(refused) means C(Connection refused). V(unreachable) means C(No route to host)
    or C(Network is unreachable). V(error) covers anything else, including a probe that did not run.
  - Writes a JSON report (O(json_path)), an SVG network map (O(svg_path)) and an HTML page with the map
    and the matrix (O(html_path)), and returns the matrix as text lines for the playbook output.
  - With O(plan_only=true) it only returns the probes each node has to run (RV(plan)), in the form
    O(podnet.flannel.pod_probe#module:probes) takes.
author:
  - podnet.flannel maintainers (@podnet)
options:
  topology:
    description:
      - The nodes, by node name. Each node is a dict with C(address) (underlay IPv4 address, where the
        node's host-network echo server listens on O(node_port)), C(node_addresses) (every IPv4 address
        of the node, such as C(ansible_facts.all_ipv4_addresses)), C(subnet) (the flannel lease),
        C(docker0) (address of docker0), C(backend) (flannel backend type, such as V(vxlan) or V(host-gw))
        and C(pods).
      - Each pod is a dict with C(name), C(ip) (the pod IP Docker reports), C(echo_container) (the app
        container the probes run in) and optionally C(self_ip) (the address on its eth0). Pods as
        M(podnet.flannel.pod_info) returns them are accepted too. For those, C(pod_ip) is the IP, and
        the container of the app named C(echo) (else the first app) is the echo container.
      - Dual stack only, each node may have C(address6) (its IPv6 address, where its echo server listens on
        O(node_port) for the IPv6 pairs; flannel's C(flannel_public_ipv6)), C(node_addresses6) (every IPv6
        address of the node, such as C(ansible_facts.all_ipv6_addresses)), C(subnet6) (the lease's IPv6 subnet)
        and C(docker0_6) (the IPv6 address of docker0); each pod C(ip6) (or C(pod_ipv6), as
        M(podnet.flannel.pod_info) returns it) and optionally C(self_ip6).
      - A pod may carry C(host_ports), as M(podnet.flannel.pod_info) returns them (C(container_port),
        C(host_port), C(protocol), C(host_ip)). The TCP one of O(pod_port) is probed at the node's C(address)
        (at C(host_ip) when it is bound to one IPv4 address; not at all when bound to loopback or IPv6).
      - Every pod runs an HTTP server on O(pod_port) that answers O(url_path) with the source address it saw.
    type: dict
    required: true
  results:
    description:
      - The RV(podnet.flannel.pod_probe#module:results) of every node, in one list. Items may carry extra
        keys (such as C(node)).
      - Results are matched to pairs by C(probe.id), else by source and URL. A planned pair without a
        result fails with verdict V(error).
    type: list
    elements: dict
    default: []
  self_ips:
    description:
      - The address each pod container has on eth0, by node name then container name, as
        RV(podnet.flannel.pod_probe#module:self_ips) returns it on each node. A flat mapping of container
        name to address is accepted too.
      - A C(self_ip) in O(topology) wins.
    type: dict
    default: {}
  self_ips6:
    description:
      - The IPv6 address each pod container has on eth0, in the shape of O(self_ips), as
        RV(podnet.flannel.pod_probe#module:self_ips6) returns it on each node. For rule 3 over IPv6.
      - A C(self_ip6) in O(topology) wins.
    type: dict
    default: {}
  json_path:
    description:
      - Where to write the JSON report on the controller. Parent directories are created.
      - Not written when not set.
    type: path
  svg_path:
    description:
      - Where to write the SVG network map on the controller. Parent directories are created.
    type: path
  html_path:
    description:
      - Where to write the HTML page (map and matrix) on the controller. Parent directories are created.
    type: path
  fail_on_error:
    description:
      - Fail when a pair or a rule failed or the topology has a problem (such as a node without pods).
        The files are written first, and the result still carries RV(matrix) and RV(failed_pairs).
    type: bool
    default: true
  pod_port:
    description:
      - Port of the pods' echo server.
    type: int
    default: 8080
  node_port:
    description:
      - Port of the nodes' host-network echo server.
    type: int
    default: 18080
  url_path:
    description:
      - Path the echo servers answer with the source address they saw.
    type: str
    default: /cgi-bin/ip
  plan_only:
    description:
      - Only return the probes to run (RV(plan)), without judging O(results) or writing anything.
    type: bool
    default: false
extends_documentation_fragment:
  - podnet.flannel.attributes
attributes:
  check_mode:
    support: full
    details:
      - In check mode no file is written; the result says C(changed) when a file would be (re)written.
  diff_mode:
    support: none
notes:
  - The report holds the time it was made and the probes' elapsed times, so the files differ on each run
    and C(changed) is usually V(true) when a path is set.
  - Node-to-node traffic is not part of the model and is not probed (C(-) in the matrix).
seealso:
  - module: podnet.flannel.pod_probe
  - module: podnet.flannel.pod_info
"""

EXAMPLES = r"""
- name: Plan the probes
  podnet.flannel.netcheck_report:
    topology: "{{ verify_topology }}"
    plan_only: true
  delegate_to: localhost
  run_once: true
  register: verify_plan

- name: Probe from every node
  podnet.flannel.pod_probe:
    probes: "{{ verify_plan.plan[inventory_hostname] }}"
  register: verify_probe

- name: Judge the probes and write the map
  podnet.flannel.netcheck_report:
    topology: "{{ verify_topology }}"
    results: "{{ ansible_play_hosts | map('extract', hostvars, ['verify_probe', 'results']) | flatten }}"
    self_ips: "{{ dict(ansible_play_hosts | zip(ansible_play_hosts | map('extract', hostvars, ['verify_probe', 'self_ips']))) }}"
    json_path: /tmp/reports/network-map.json
    svg_path: /tmp/reports/network-map.svg
    html_path: /tmp/reports/network-map.html
    fail_on_error: false
  delegate_to: localhost
  run_once: true
  register: verify_report

- name: Show the matrix
  ansible.builtin.debug:
    msg: "{{ verify_report.matrix }}"
  run_once: true
"""

RETURN = r"""
plan:
  description:
    - The probes each node runs, by node name, for O(podnet.flannel.pod_probe#module:probes). Pairs that
      cannot be probed (a pod without IP, a node without address) are left out; the report marks them V(error).
  returned: always
  type: dict
  sample: {"node1": [{"id": "pod-pod:demo-node1->demo-node2", "src_kind": "pod", "src": "demo-node1",
                      "container": "demo-node1-echo", "url": "http://10.244.35.2:8080/cgi-bin/ip"}]}
matrix:
  description:
    - The matrix as text lines. Rows are sources (pods, then nodes) and columns are destinations.
      A cell is C(ok), C(NAT), C(T/O) (timeout), C(REF) (refused), C(UNR) (unreachable), C(ERR)
      or C(-) (not probed).
    - On a dual-stack cluster the IPv4 matrix and then the IPv6 matrix, each after a line naming the family
      (C(IPv4 pairs:), C(IPv6 pairs:)); the result line then ends with the counts per family.
    - When hostport pairs are planned, a matrix of them follows, after a line naming each probed pod's
      C(<node address>:<host port>). Its rows are the same sources and its columns the pods probed at a host port.
    - Then a legend, the rules (and the C(host ports) entry), the problems and failures, and the result.
  returned: unless O(plan_only=true)
  type: list
  elements: str
  sample:
    - "source \\ destination  demo-node1  demo-node2  node1  node2"
    - "demo-node1            ok          NAT         ok     ok"
report:
  description: The JSON report, as written to O(json_path).
  returned: unless O(plan_only=true)
  type: dict
  contains:
    generated:
      description: When the report was made (UTC, ISO 8601).
      type: str
      sample: "2026-03-01T10:00:00+00:00"
    settings:
      description: O(pod_port), O(node_port) and O(url_path).
      type: dict
    families:
      description: The address families checked, V([4, 6]). Only on a dual-stack cluster.
      type: list
      elements: int
      sample: [4, 6]
    topology:
      description: The normalized topology, by node (address, node_addresses, subnet, docker0, backend, pods).
      type: dict
    pairs:
      description:
        - Every pair, with C(id), C(kind) (V(pod-pod), V(node-pod), V(pod-node), V(hostport)), C(src), C(src_kind),
          C(src_node), C(dst), C(dst_kind), C(dst_node), C(url), C(expected) (the acceptable seen
          addresses), C(seen), C(verdict), C(reason), C(rc) and C(elapsed).
        - On a dual-stack cluster also C(family), V(4) or V(6).
      type: list
      elements: dict
    rules:
      description:
        - Rules 1, 2 and 3, then, on a dual-stack cluster, rules 1, 2 and 3 over IPv6 (C(family=6); the IPv4
          ones then carry C(family=4)), then, when hostport pairs are planned, an entry with C(rule=host ports)
          with the same keys as rules 1 and 2.
        - Each with C(rule), C(title), C(passed), C(ok), C(failed) (pair ids, or pod
          names for rule 3) and C(reason). Rules 1 and 2 also carry C(pairs), their number of pairs.
          Rule 3 carries C(pods), with C(pod), C(node), C(self_ip), C(docker_ip), C(seen) (receiver to
          address), C(passed) and C(reason) for each pod.
      type: list
      elements: dict
    problems:
      description: What in the topology keeps the check from being complete (a node without pods or address...).
      type: list
      elements: str
    summary:
      description:
        - Counts, C(pairs), C(ok), C(failed) and C(verdicts) (per verdict).
        - On a dual-stack cluster also C(families), the counts per family (C(pairs), C(ok), C(failed)) by family,
          V("4") and V("6").
      type: dict
    passed:
      description: Whether every rule passed and the topology has no problem.
      type: bool
failed_pairs:
  description:
    - The pairs whose verdict is not V(ok), with C(id), C(kind), C(src), C(dst), C(verdict), C(seen), C(expected) and C(reason).
    - On a dual-stack cluster also C(family).
  returned: unless O(plan_only=true)
  type: list
  elements: dict
  sample: [{"id": "pod-pod:demo-node1->demo-node2", "kind": "pod-pod", "src": "demo-node1", "dst": "demo-node2",
            "verdict": "nat", "seen": "10.244.72.0", "expected": ["10.244.72.2"],
            "reason": "NAT: seen as 10.244.72.0 instead of 10.244.72.2"}]
problems:
  description: RV(report.problems).
  returned: unless O(plan_only=true)
  type: list
  elements: str
passed:
  description: RV(report.passed).
  returned: unless O(plan_only=true)
  type: bool
files:
  description: The files written (or, in check mode, that would be written), by kind (V(json), V(svg), V(html)).
  returned: unless O(plan_only=true)
  type: dict
  sample: {"json": "/tmp/reports/network-map.json", "svg": "/tmp/reports/network-map.svg"}
"""
