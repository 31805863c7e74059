#!/usr/bin/python
# Copyright: (c) 2026, podnet.flannel maintainers
# GNU General Public License v3.0+ (https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: flannel_lease_info
short_description: Show flannel's subnet leases and this node's subnet.env
version_added: 0.1.0
description:
  - Lists the subnet leases flanneld holds in etcd under C(<prefix>/subnets/), with each lease's public
    IP, backend data and remaining time to live.
  - Reads the node's C(subnet.env), the file flanneld writes with the network, the node's subnet, the
    MTU and whether it masquerades, and picks this node's lease out of the list.
  - Says which other leases the node has no route for (RV(missing_routes)), and which flanneld
    devices an earlier network config left on the node (RV(stale_devices)), what the
    P(podnet.flannel.flannel#role) role waits for and removes after a restart.
author:
  - podnet.flannel maintainers (@podnet)
options:
  prefix:
    description:
      - The etcd prefix flanneld is started with (its C(--etcd-prefix)).
    type: str
    default: /coreos.com/network
  etcd_optional:
    description:
      - V(true) answers with this node's RV(subnet_env) alone when etcd cannot be read (down, or no
        quorum), with RV(leases) empty, RV(local) V(null) and the error in RV(etcd_error), instead of
        failing. The data plane does not depend on etcd; the check proves it with what the nodes know.
    type: bool
    default: false
  subnet_file:
    description:
      - Path of the file flanneld writes (its C(--subnet-file)).
      - A missing file is not an error; RV(subnet_env) is then empty and RV(local) is V(null).
    type: path
    default: /run/flannel/subnet.env
extends_documentation_fragment:
  - podnet.flannel.etcd
  - podnet.flannel.attributes
  - podnet.flannel.attributes.INFO_MODULE
  - podnet.flannel.attributes.ACTIONGROUP_ETCD
notes:
  - The remaining time to live of each lease comes from etcd's C(/v3/lease/timetolive); when that
    request is refused (for example for lack of permission), RV(leases[].ttl) is V(null) and a warning
    says why.
seealso:
  - module: podnet.flannel.flannel_network
"""

EXAMPLES = r"""
- name: Find this node's flannel subnet
  podnet.flannel.flannel_lease_info:
    endpoints: ["http://192.0.2.11:2379", "http://192.0.2.12:2379"]
  register: flannel

- name: docker0 must sit on the leased subnet
  ansible.builtin.assert:
    that:
      - flannel.local is not none
      - flannel.subnet_env.subnet | ansible.utils.ipaddr('network/prefix') == flannel.local.subnet
    fail_msg: "flanneld has no lease for this node ({{ flannel.subnet_env }})"

- name: Show every lease
  ansible.builtin.debug:
    msg: "{{ item.subnet }} -> {{ item.public_ip }} ({{ item.backend_type }}, {{ item.ttl }}s left)"
  loop: "{{ flannel.leases }}"
  run_once: true
"""

RETURN = r"""
subnet_env:
  description:
    - The parsed C(subnet.env); empty when the file does not exist.
    - C(subnet) is the first address of the node's subnet with the subnet's prefix length, as flanneld writes it.
  returned: always
  type: dict
  sample: {"network": "10.244.0.0/16", "subnet": "10.244.72.1/24", "mtu": 1450, "ipmasq": true}
  contains:
    network:
      description: C(FLANNEL_NETWORK).
      type: str
      returned: when in the file
    subnet:
      description: C(FLANNEL_SUBNET).
      type: str
      returned: when in the file
    mtu:
      description: C(FLANNEL_MTU).
      type: int
      returned: when in the file
    ipmasq:
      description: C(FLANNEL_IPMASQ).
      type: bool
      returned: when in the file
    ipv6_network:
      description: C(FLANNEL_IPV6_NETWORK).
      type: str
      returned: when in the file
    ipv6_subnet:
      description: C(FLANNEL_IPV6_SUBNET).
      type: str
      returned: when in the file
    extra:
      description: Other variables found in the file.
      type: dict
      returned: when there are any
leases:
  description: The subnet leases, sorted by subnet.
  returned: always
  type: list
  elements: dict
  contains:
    key:
      description: The etcd key of the lease.
      type: str
      sample: /coreos.com/network/subnets/10.244.72.0-24
    subnet:
      description: The leased IPv4 subnet; V(null) for an IPv6-only lease.
      type: str
      sample: 10.244.72.0/24
    ipv6_subnet:
      description: The leased IPv6 subnet, if any.
      type: str
      sample: fd00:10:244:48::/64
    public_ip:
      description: The node's public (external interface) IPv4 address.
      type: str
      sample: 192.0.2.11
    public_ipv6:
      description: The node's public IPv6 address, if any.
      type: str
    backend_type:
      description: The backend the node runs.
      type: str
      sample: vxlan
    vtep_mac:
      description: MAC address of the node's VXLAN device (vxlan backend).
      type: str
      sample: 0e:1f:2a:3b:4c:5d
    vni:
      description: VXLAN network identifier (vxlan backend).
      type: int
      sample: 1
    backend_data:
      description: The lease's raw C(BackendData).
      type: dict
    lease_id:
      description: ID of the etcd lease the key is attached to; V(null) for a key without lease (a reservation).
      type: int
      sample: 7587885394521012345
    ttl:
      description: Seconds until the lease expires; V(null) when unknown or the key has no lease.
      type: int
      sample: 86123
    error:
      description: Why the lease value could not be parsed, when it could not.
      type: str
      returned: on a malformed lease
missing_routes:
  description:
    - The subnets of the other nodes' leases for which this node's main routing table has no
      route of exactly that prefix (an unreachable route does not count), read from
      C(/proc/net/route) and C(/proc/net/ipv6_route). Empty when flanneld has set up the node.
    - V(null) when this node holds no lease (RV(local) is V(null)).
  returned: always
  type: list
  elements: str
  sample: ["10.244.9.0/24"]
etcd_error:
  description: Why etcd could not be read, with O(etcd_optional=true); V(null) when it was read.
  returned: always
  type: str
  sample: "etcdserver: request timed out"
stale_devices:
  description:
    - flanneld devices on this node that the stored network config does not use, left by an
      earlier config (an old VNI's C(flannel.<VNI>), another backend's C(flannel-wg),
      C(flannel0), C(flannel.ipip)). Empty without a stored config.
  returned: always
  type: list
  elements: str
  sample: ["flannel.1"]
local:
  description:
    - The lease of this node, the one whose subnet holds C(FLANNEL_SUBNET) (or C(FLANNEL_IPV6_SUBNET)) of RV(subnet_env).
    - V(null) when there is no subnet.env or no lease matches it (for example after the lease expired).
  returned: always
  type: dict
  sample: {"subnet": "10.244.72.0/24", "public_ip": "192.0.2.11", "backend_type": "vxlan", "vni": 1}
"""

import ipaddress
import json

from ansible.module_utils.common.text.converters import to_native

from ansible_collections.podnet.flannel.plugins.module_utils.etcd import (
    EtcdError,
    etcd_module,
    run_etcd,
    to_int,
)
from ansible_collections.podnet.flannel.plugins.module_utils import linux_net
from ansible_collections.podnet.flannel.plugins.module_utils.flannel import (
    DEFAULT_PREFIX,
    DEFAULT_SUBNET_FILE,
    config_key,
    parse_lease,
    parse_lease_key,
    parse_subnet_env,
    stale_devices,
    subnet_env_network,
    subnets_prefix,
)


def read_subnet_env(module, path):
    try:
        with open(path, 'r', encoding='utf-8') as handle:
            text = handle.read()
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        module.fail_json(msg='Cannot read %s: %s' % (path, to_native(exc)), subnet_file=path)
    try:
        return parse_subnet_env(text)
    except ValueError as exc:
        module.fail_json(msg='%s is not a flannel subnet.env: %s' % (path, to_native(exc)), subnet_file=path)
    return {}


def lease_ttl(client, lease_id, cache, problems):
    """Remaining TTL of an etcd lease in seconds (None if unknown or expired)."""
    if not lease_id:
        return None
    if lease_id not in cache:
        try:
            data = client.call('/v3/lease/timetolive', {'ID': str(lease_id)})
            ttl = to_int(data.get('TTL'))
            cache[lease_id] = ttl if ttl >= 0 else None
        except EtcdError as exc:
            problems.append(to_native(exc))
            cache[lease_id] = None
    return cache[lease_id]


def collect_leases(module, client, prefix):
    kvs = client.get_prefix(subnets_prefix(prefix))
    leases = []
    ttl_cache = {}
    ttl_problems = []
    for kv in kvs:
        try:
            subnet, ipv6_subnet = parse_lease_key(kv['key'])
        except ValueError:
            module.warn('Skipping %s: not a flannel subnet key' % kv['key'])
            continue
        entry = {'key': kv['key'], 'subnet': subnet, 'ipv6_subnet': ipv6_subnet}
        try:
            entry.update(parse_lease(kv['value']))
        except ValueError as exc:
            entry.update(public_ip=None, public_ipv6=None, backend_type=None, vtep_mac=None, vni=None, backend_data=None, error=to_native(exc))
        entry['lease_id'] = kv.get('lease') or None
        entry['ttl'] = lease_ttl(client, entry['lease_id'], ttl_cache, ttl_problems)
        leases.append(entry)
    if ttl_problems:
        module.warn('Could not read the remaining TTL of some leases: %s' % ttl_problems[0])
    leases.sort(key=_sort_key)
    return leases


def _sort_key(entry):
    for field in ('subnet', 'ipv6_subnet'):
        if entry.get(field):
            net = ipaddress.ip_network(entry[field])
            return (net.version, int(net.network_address), net.prefixlen)
    return (99, 0, 0)


def find_local(subnet_env, leases):
    for env_field, lease_field in (('subnet', 'subnet'), ('ipv6_subnet', 'ipv6_subnet')):
        if not subnet_env.get(env_field):
            continue
        try:
            network = subnet_env_network(subnet_env[env_field])
        except ValueError:
            continue
        for lease in leases:
            if lease.get(lease_field) == network:
                return lease
    return None


def main():
    module = etcd_module(
        dict(
            prefix={'type': 'str', 'default': DEFAULT_PREFIX},
            subnet_file={'type': 'path', 'default': DEFAULT_SUBNET_FILE},
            etcd_optional={'type': 'bool', 'default': False},
        )
    )
    prefix = module.params['prefix']
    if not prefix or not prefix.startswith('/') or prefix.rstrip('/') == '':
        module.fail_json(msg='prefix: %r is not an etcd key prefix; use an absolute path such as /coreos.com/network' % (prefix,))
    subnet_env = read_subnet_env(module, module.params['subnet_file'])

    def work(client):
        try:
            leases = collect_leases(module, client, prefix)
        except EtcdError as exc:
            if not module.params['etcd_optional']:
                raise
            # etcd down or without quorum: what the node itself knows (its subnet.env) is the answer.
            return dict(changed=False, subnet_env=subnet_env, leases=[], local=None, missing_routes=None, stale_devices=[], etcd_error=to_native(exc))
        local = find_local(subnet_env, leases)
        missing = None
        if local is not None:
            others = [subnet for lease in leases if lease is not local for subnet in (lease.get('subnet'), lease.get('ipv6_subnet')) if subnet]
            missing = linux_net.missing_routes(others, linux_net.read_routes())
        config = read_config(client, prefix)
        stale = stale_devices(config, linux_net.list_devices()) if config is not None else []
        return dict(changed=False, subnet_env=subnet_env, leases=leases, local=local, missing_routes=missing, stale_devices=stale, etcd_error=None)

    run_etcd(module, work, msg='Reading the flannel leases under %s' % subnets_prefix(prefix), prefix=prefix)


def read_config(client, prefix):
    """The stored network config (a dict), or None when there is none or it is not JSON."""
    kv = client.get(config_key(prefix))
    if not kv:
        return None
    try:
        value = json.loads(kv['value'])
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


if __name__ == '__main__':
    main()
