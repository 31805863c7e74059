#!/usr/bin/python
# Copyright: (c) 2026, podnet.flannel maintainers
# GNU General Public License v3.0+ (https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: flannel_network
short_description: Manage flannel's network configuration in etcd
version_added: 0.1.0
description:
  - Writes flannel's network configuration (the JSON object at C(<prefix>/config)) to etcd through the
    v3 API, which flannel 0.18 and later read. Can also remove it.
  - The whole configuration is validated B(on the controller), by the action plugin of the same name,
    before anything is sent to a node or written to etcd. Every error names the flannel field, what
    is wrong and how to fix it. The checks are CIDR syntax and network addresses, O(subnet_len) range,
    O(subnet_min)/O(subnet_max) alignment and range, enough subnets for every node of the inventory,
    no overlap with the nodes' own networks nor with Docker's default bridge C(172.17.0.0/16), backend
    type and option ranges, and unknown keys.
    See C(docs/flannel_network.md) in the collection for the full list with example messages.
  - The stored configuration is compared semantically with the wanted one (flannel's own defaults
    applied to both, key order and spelling ignored), and written only when they differ, as compact JSON.
  - C(Backend.Type) is always written (V(vxlan) unless set otherwise), because flannel falls back to
    the udp backend when the configuration has no C(Backend).
  - flanneld reads the configuration once, at its start, and every node must run with the same one.
    So any change (every field, every C(Backend) field included, C(VNI), C(Port), C(GBP), ...) is
    refused while subnet leases exist under C(<prefix>/subnets/), naming the fields and the leases,
    unless O(force=true). The exception is the lease range (C(SubnetMin), C(SubnetMax) and the IPv6
    pair), which steers only leases not yet taken; it is written as long as every live lease stays
    inside the new range.
  - Writing the change is half of it; flanneld must then restart on every node (the
    P(podnet.flannel.flannel#role) role does that one node at a time).
author:
  - podnet.flannel maintainers (@podnet)
options:
  prefix:
    description:
      - The etcd prefix flanneld is started with (its C(--etcd-prefix)).
    type: str
    default: /coreos.com/network
  state:
    description:
      - V(present) writes the configuration.
      - V(absent) deletes only the C(<prefix>/config) key (leases are left alone). It is refused while
        leases exist, unless O(force=true).
    type: str
    choices: [present, absent]
    default: present
  network:
    description:
      - C(Network), the IPv4 pod network as a CIDR whose host bits are zero, such as V(10.244.0.0/16).
      - Required with O(state=present) unless O(config) or O(ipv6_network) is given.
    type: str
  subnet_len:
    description:
      - C(SubnetLen), the prefix length of the subnet each node leases.
      - Between the prefix length of O(network) plus 2 and V(30). flannel's default is V(24)
        (or the network prefix length plus 2 for networks smaller than a /22).
    type: int
  subnet_min:
    description:
      - C(SubnetMin), the first subnet flannel may lease (an address on a O(subnet_len) boundary inside O(network)).
      - flannel's default is the second subnet of the network (it never leases the first one).
    type: str
  subnet_max:
    description:
      - C(SubnetMax), the last subnet flannel may lease (an address on a O(subnet_len) boundary inside
        O(network), not below O(subnet_min)). flannel's default is the last subnet of the network.
    type: str
  enable_ipv4:
    description:
      - C(EnableIPv4). flannel's default is V(true).
    type: bool
  enable_ipv6:
    description:
      - C(EnableIPv6), dual stack or (with O(enable_ipv4=false)) IPv6 only. flannel's default is V(false).
    type: bool
  ipv6_network:
    description:
      - C(IPv6Network), the IPv6 pod network as a CIDR, such as V(fd00:10:244::/56). Needs O(enable_ipv6=true).
    type: str
  ipv6_subnet_len:
    description:
      - C(IPv6SubnetLen), the prefix length of each node's IPv6 subnet; flannel's default is V(64).
    type: int
  ipv6_subnet_min:
    description:
      - C(IPv6SubnetMin), the first IPv6 subnet flannel may lease.
    type: str
  ipv6_subnet_max:
    description:
      - C(IPv6SubnetMax), the last IPv6 subnet flannel may lease.
    type: str
  backend:
    description:
      - C(Backend), how packets travel between nodes.
      - Options that do not belong to the chosen O(backend.type) are rejected.
    type: dict
    suboptions:
      type:
        description:
          - C(Type), the backend.
          - V(vxlan) (the default) encapsulates in VXLAN; V(host-gw) routes directly and needs every node
            on one layer-2 network; V(wireguard) encrypts; V(udp), V(ipip) and V(ipsec) are flannel's
            other backends.
        type: str
        choices: [vxlan, host-gw, wireguard, udp, ipip, ipsec]
        default: vxlan
      vni:
        description:
          - vxlan C(VNI), V(0) to V(16777215); flannel's default is V(1) (device C(flannel.1)).
        type: int
      port:
        description:
          - vxlan C(Port), the UDP port of VXLAN, V(0) to V(65535). flannel's default V(0) lets the kernel
            choose (8472 on Linux).
          - udp C(Port), V(1) to V(65535), flannel's default V(8285).
        type: int
      gbp:
        description:
          - vxlan C(GBP), VXLAN Group Based Policy. flannel's default is V(false).
        type: bool
      learning:
        description:
          - vxlan C(Learning), let the kernel learn remote MAC addresses. flannel's default is V(false).
        type: bool
      direct_routing:
        description:
          - vxlan and ipip C(DirectRouting), route directly (host-gw style) to nodes on the same subnet.
            flannel's default is V(false).
        type: bool
      mtu:
        description:
          - vxlan and wireguard C(MTU) of the flannel device, V(68) to V(65535). Unset, flannel derives it
            from the external interface.
        type: int
      listen_port:
        description:
          - wireguard C(ListenPort), V(1) to V(65535); flannel's default is V(51820).
        type: int
      listen_port_v6:
        description:
          - wireguard C(ListenPortV6), V(1) to V(65535); flannel's default is V(51821).
        type: int
      psk:
        description:
          - wireguard C(PSK), a pre-shared key (base64, as made by C(wg genpsk)); ipsec C(PSK), at least 96 characters.
          - A secret, kept out of logs, diffs and returned values. Anyone who can read C(<prefix>/config)
            in etcd can read it; protect etcd with TLS and authentication.
        type: str
      persistent_keepalive_interval:
        description:
          - wireguard C(PersistentKeepaliveInterval) in seconds; flannel's default V(0) turns keepalives off.
        type: int
      mode:
        description:
          - wireguard C(Mode); flannel's default is V(separate).
        type: str
        choices: [separate, auto, ipv4, ipv6]
  config:
    description:
      - The whole flannel configuration as a dictionary with flannel's own keys (C(Network),
        C(SubnetLen), C(Backend), ...), instead of the individual options.
      - Validated the same way. Keys are matched without regard to case, as flannel does, and written
        in flannel's spelling. A missing C(Backend.Type) is written as V(vxlan).
      - A C(Backend.PSK) given here is masked in the module's output, but the task's arguments may still
        be logged; prefer O(backend.psk).
    type: dict
  names:
    description:
      - How the error messages name this module's options, option name to the caller's name, for
        example C(force) to C(flannel_force) from the P(podnet.flannel.flannel#role) role, so that a
        message names the variable the user set.
    type: dict
    default: {}
  force:
    description:
      - Write (or delete) even though subnet leases exist and the change is one the running nodes
        cannot follow by themselves (see RV(risky_changes)).
      - Nodes keep running with the old configuration until flanneld restarts on them; a new
        C(Network) or C(SubnetLen) also gives them a new subnet and docker0 address. Plan for that.
    type: bool
    default: false
  nodes_group:
    description:
      - Action plugin only (the module ignores it).
      - Inventory group of the hosts that run flanneld. Its size is the number of subnets the
        configuration must provide, and its hosts' addresses (C(ansible_host) and the gathered fact
        C(ansible_default_ipv4)) are the node networks the pod network must not overlap.
    type: str
    default: nodes
  node_count:
    description:
      - Action plugin only (the module ignores it).
      - Number of nodes that need a subnet, instead of the size of O(nodes_group).
    type: int
  node_networks:
    description:
      - Action plugin only (the module ignores it).
      - The networks the nodes use, which the pod network must not overlap, instead of those
        found in the inventory (C(ansible_host) and the gathered C(ansible_default_ipv4)). An empty
        list turns that check off.
      - Each item is a CIDR, or a dictionary with C(network) (a CIDR) and C(host) (named in the
        message). The P(podnet.flannel.flannel#role) role passes every network each node is
        directly on (M(podnet.flannel.route_info)), so the check does not depend on gathered facts.
    type: list
    elements: raw
extends_documentation_fragment:
  - podnet.flannel.etcd
  - podnet.flannel.attributes
  - podnet.flannel.attributes.ACTIONGROUP_ETCD
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details:
      - The diff shows the stored and the wanted configuration as indented JSON, with C(PSK) masked.
notes:
  - The action plugin runs on the controller and needs the C(netaddr) Python library there.
  - Run it once per cluster (C(run_once=true)), not on every node.
  - flannel reads the configuration when flanneld starts; restart flanneld on every node after a change.
seealso:
  - module: podnet.flannel.flannel_lease_info
  - module: podnet.flannel.etcd_key
  - name: flannel configuration
    description: flannel's documentation of the network configuration and backends.
    link: https://github.com/flannel-io/flannel/blob/master/Documentation/configuration.md
"""

EXAMPLES = r"""
- name: Pod network 10.244.0.0/16, a /24 per node, vxlan
  podnet.flannel.flannel_network:
    endpoints: "{{ groups['etcd'] | map('extract', hostvars, 'ansible_host') | map('regex_replace', '^(.*)$', 'http://\\1:2379') | list }}"
    network: 10.244.0.0/16
    subnet_len: 24
    backend:
      type: vxlan
      vni: 1
  run_once: true

- name: WireGuard between the nodes, with a pre-shared key from the vault
  podnet.flannel.flannel_network:
    network: 10.244.0.0/16
    backend:
      type: wireguard
      psk: "{{ vault_flannel_psk }}"
      persistent_keepalive_interval: 25
  run_once: true

- name: The same from a raw flannel configuration, validated against 40 nodes
  podnet.flannel.flannel_network:
    config:
      Network: 10.50.0.0/16
      SubnetLen: 24
      SubnetMin: 10.50.10.0
      SubnetMax: 10.50.99.0
      Backend:
        Type: host-gw
    node_count: 40
  run_once: true

- name: Dual stack
  podnet.flannel.flannel_network:
    network: 10.244.0.0/16
    enable_ipv6: true
    ipv6_network: fd00:10:244::/56
  run_once: true

- name: Move to a new network although nodes hold leases (flanneld must be restarted everywhere)
  podnet.flannel.flannel_network:
    network: 10.245.0.0/16
    force: true
  run_once: true

- name: Remove the configuration
  podnet.flannel.flannel_network:
    state: absent
  run_once: true
"""

RETURN = r"""
config:
  description:
    - The configuration stored at C(<prefix>/config) after the task (what would be stored, in check mode),
      C(PSK) masked. V(null) when there is none.
  returned: always
  type: dict
  sample: {"Network": "10.244.0.0/16", "SubnetLen": 24, "Backend": {"Type": "vxlan", "VNI": 1}}
previous:
  description:
    - The configuration stored before the task, C(PSK) masked. V(null) when there was none.
    - A stored value that is not a JSON object is returned as V(null) with a warning.
  returned: always
  type: dict
  sample: {"Network": "10.244.0.0/16", "Backend": {"Type": "udp"}}
key:
  description: The etcd key of the configuration.
  returned: always
  type: str
  sample: /coreos.com/network/config
leases:
  description: Number of subnet leases under C(<prefix>/subnets/).
  returned: always
  type: int
  sample: 3
risky_changes:
  description:
    - The fields (C(Backend) ones as C(Backend.<key>)) that differ between the stored and the
      wanted configuration and that running nodes cannot follow by themselves, that is every changed field
      except a lease range change that keeps every live lease inside the range. A new
      C(Backend.Type) is named alone (the other backend's keys go with it), and so is a new network
      (not the default range that moves with it).
  returned: always
  type: list
  elements: str
  sample: ["Backend.VNI"]
revision:
  description:
    - The mod revision of C(<prefix>/config) after the task (the etcd revision of the delete for
      O(state=absent)); V(null) when the key does not exist and nothing was deleted, or in check mode
      when the key would change.
  returned: always
  type: int
  sample: 42
"""

import json

from ansible.module_utils.common.text.converters import to_native

from ansible_collections.podnet.flannel.plugins.module_utils.etcd import (
    EtcdError,
    client_from_module,
    etcd_argument_spec,
    etcd_module,
    fail_from_error,
)
from ansible_collections.podnet.flannel.plugins.module_utils.flannel import (
    DEFAULT_PREFIX,
    OPTION_KEYS,
    build_config,
    config_key,
    configs_equal,
    dump_config,
    mask_secrets,
    normalize_config,
    parse_lease,
    parse_lease_key,
    pretty_config,
    risky_changes,
    secret_values,
    subnets_prefix,
)

WRITE_ATTEMPTS = 3


def argument_spec():
    spec = etcd_argument_spec()
    spec.update(
        prefix={'type': 'str', 'default': DEFAULT_PREFIX},
        state={'type': 'str', 'default': 'present', 'choices': ['present', 'absent']},
        network={'type': 'str'},
        subnet_len={'type': 'int'},
        subnet_min={'type': 'str'},
        subnet_max={'type': 'str'},
        enable_ipv4={'type': 'bool'},
        enable_ipv6={'type': 'bool'},
        ipv6_network={'type': 'str'},
        ipv6_subnet_len={'type': 'int'},
        ipv6_subnet_min={'type': 'str'},
        ipv6_subnet_max={'type': 'str'},
        backend={
            'type': 'dict',
            'options': {
                'type': {'type': 'str', 'default': 'vxlan', 'choices': ['vxlan', 'host-gw', 'wireguard', 'udp', 'ipip', 'ipsec']},
                'vni': {'type': 'int'},
                'port': {'type': 'int'},
                'gbp': {'type': 'bool'},
                'learning': {'type': 'bool'},
                'direct_routing': {'type': 'bool'},
                'mtu': {'type': 'int'},
                'listen_port': {'type': 'int'},
                'listen_port_v6': {'type': 'int'},
                'psk': {'type': 'str', 'no_log': True},
                'persistent_keepalive_interval': {'type': 'int'},
                'mode': {'type': 'str', 'choices': ['separate', 'auto', 'ipv4', 'ipv6']},
            },
        },
        config={'type': 'dict'},
        force={'type': 'bool', 'default': False},
        names={'type': 'dict', 'default': {}},
        nodes_group={'type': 'str', 'default': 'nodes'},
        node_count={'type': 'int'},
        node_networks={'type': 'list', 'elements': 'raw'},
    )
    return spec


CONFIG_EXCLUSIVE = [option for option, _key in OPTION_KEYS] + ['backend']


def _parse_stored(module, kv):
    """(config dict or None, raw text or None) of the stored config key."""
    if kv is None:
        return None, None
    text = kv.get('value')
    try:
        data = json.loads(text)
    except (TypeError, ValueError):
        data = None
    if not isinstance(data, dict):
        module.warn(
            'The value stored at the flannel config key is not a JSON object; flanneld cannot use it. '
            'Stored text: %r' % (text[:200] if isinstance(text, str) else text,)
        )
        return None, text
    return data, text


def _read_stored(module, client, key, subnets):
    """Read the stored config and the leases; register stored secrets with no_log.

    Returns (kv, leases, previous, previous_text); leases as [(subnet CIDR, public IP)]."""
    try:
        kv = client.get(key)
        leases = []
        for lease_kv in client.get_prefix(subnets):
            try:
                subnet, ipv6_subnet = parse_lease_key(lease_kv['key'])
            except ValueError:
                continue
            try:
                public_ip = parse_lease(lease_kv['value']).get('public_ip')
            except ValueError:
                public_ip = None
            leases.append((subnet or ipv6_subnet, public_ip))
    except EtcdError as exc:
        fail_from_error(module, exc, msg='Reading the flannel config %s' % key, key=key)
    previous, previous_text = _parse_stored(module, kv)
    for secret in secret_values(previous):
        module.no_log_values.add(secret)
    return kv, leases, previous, previous_text


def _diff(previous, after):
    before = mask_secrets(previous)
    after_masked = mask_secrets(after)
    if isinstance(previous, dict) and isinstance(after, dict):
        old_secrets = secret_values(previous)
        new_secrets = secret_values(after)
        if old_secrets != new_secrets and isinstance(after_masked.get('Backend'), dict) and 'PSK' in after_masked['Backend']:
            after_masked['Backend']['PSK'] = '******** (changed)'
    return {'before': pretty_config(before), 'after': pretty_config(after_masked)}


def _name(module, option):
    """How the messages name a module option: the caller's name for it (names), else the option."""
    return module.params['names'].get(option) or option


def _lease_list(leases):
    return ', '.join('%s (%s)' % (subnet, ip or 'no public IP') for subnet, ip in leases)


# Turning IPv6 on (or off) under live leases: flanneld at its restart finds its lease without
# (or with) an IPv6 subnet "not compatible with current config", deletes it and allocates a new
# lease, IPv4 subnet included, picked at random among the free ones (upstream
# pkg/subnet/etcd/local_manager.go, tryAcquireLease and isIPv6SubnetConfigCompat).
IPV6_SWITCH_NOTE = (
    ' EnableIPv6 changes: flanneld drops every lease whose IPv6 part does not match the new config and '
    'leases a new one, so each node restarted gets a new IPv4 subnet as well (and docker0 a new bip): '
    'running pods lose their addresses and must be re-created (docs/dual-stack.md).'
)


def _risk_message(module, fields, leases, subnets):
    count = len(leases)
    note = IPV6_SWITCH_NOTE if 'EnableIPv6' in fields else ''
    return (
        'Refusing to change %s while %d flannel subnet lease%s live under %s: %s. flanneld reads the network '
        'config once, at its start, and every node must run with the same one (a node on another backend, VNI, '
        'port or network cannot reach the others), so the running nodes cannot follow this change by themselves. '
        'Nothing was written. The safe path: set %s: true, and the change is rolled to every node, one at a '
        'time (each restarted node is cut off from the ones not yet restarted until the last one is done; a new '
        'network or subnet length also gives every node a new subnet and docker0 address, and its pods must be '
        're-created); or stop flanneld on those nodes first (or let the leases expire).%s'
        % (', '.join(fields), count, '' if count == 1 else 's', subnets, _lease_list(leases), _name(module, 'force'), note)
    )


def run_present(module, client, key, subnets, desired):
    result = {'changed': False, 'key': key}
    for _attempt in range(WRITE_ATTEMPTS):
        kv, leases, previous, previous_text = _read_stored(module, client, key, subnets)
        risky = risky_changes(previous, desired, [subnet for subnet, _ip in leases])
        result.update(previous=mask_secrets(previous), leases=len(leases), risky_changes=risky)
        if previous is not None and configs_equal(previous, desired):
            result.update(config=mask_secrets(previous), revision=kv['mod_revision'])
            return result
        if risky and leases and not module.params['force']:
            module.fail_json(msg=_risk_message(module, risky, leases, subnets), config=mask_secrets(desired), **result)
        if risky and leases:
            module.warn(
                '%s: true: %s changed while %d lease(s) live; flanneld must restart on every node with the '
                'new config.' % (_name(module, 'force'), ', '.join(risky), len(leases))
            )
        result.update(changed=True, config=mask_secrets(desired))
        if module._diff:
            result['diff'] = _diff(previous, desired)
            if previous is None and previous_text is not None:
                result['diff']['before'] = previous_text + '\n'
        if module.check_mode:
            result['revision'] = None
            return result
        try:
            succeeded, revision = client.put_if_mod_revision(key, dump_config(desired), kv['mod_revision'] if kv else 0)
        except EtcdError as exc:
            fail_from_error(module, exc, msg='Writing the flannel config %s' % key, key=key)
        if succeeded:
            result['revision'] = revision
            return result
        result['changed'] = False
    module.fail_json(
        msg='The flannel config %s kept changing while this task tried to write it (%d attempts); another writer is active, try again' % (key, WRITE_ATTEMPTS),
        **result,
    )
    return result


def run_absent(module, client, key, subnets):
    result = {'changed': False, 'key': key, 'config': None, 'risky_changes': []}
    kv, leases, previous, previous_text = _read_stored(module, client, key, subnets)
    result.update(previous=mask_secrets(previous), leases=len(leases), revision=None)
    if kv is None:
        return result
    if leases and not module.params['force']:
        module.fail_json(
            msg='Refusing to delete %s while %d flannel subnet lease(s) live under %s (%s): flanneld on '
            'those nodes needs the config to renew its lease and would fail at its next restart. '
            'Stop flanneld on the nodes first, or set %s: true.' % (key, len(leases), subnets, _lease_list(leases), _name(module, 'force')),
            **result,
        )
    result['changed'] = True
    if module._diff:
        result['diff'] = {'before': pretty_config(mask_secrets(previous)) if previous is not None else (previous_text or '') + '\n', 'after': ''}
    if module.check_mode:
        return result
    try:
        _deleted, revision = client.delete_range(key)
    except EtcdError as exc:
        fail_from_error(module, exc, msg='Deleting the flannel config %s' % key, key=key)
    result['revision'] = revision
    return result


def main():
    module = etcd_module(
        argument_spec(),
        mutually_exclusive=[['config', option] for option in CONFIG_EXCLUSIVE],
        required_if=[('state', 'present', ('network', 'ipv6_network', 'config'), True)],
    )
    prefix = module.params['prefix']
    if not prefix or not prefix.startswith('/') or prefix.rstrip('/') == '':
        module.fail_json(msg='prefix: %r is not an etcd key prefix; use an absolute path such as /coreos.com/network' % (prefix,))
    key = config_key(prefix)
    subnets = subnets_prefix(prefix)

    desired = None
    if module.params['state'] == 'present':
        desired = normalize_config(build_config(module.params))
        if not isinstance(desired, dict) or not isinstance(desired.get('Backend'), dict):
            module.fail_json(msg='config: flannel\'s configuration must be a dictionary with a Backend dictionary')
        for secret in secret_values(desired):
            module.no_log_values.add(secret)

    client = client_from_module(module)
    try:
        if desired is not None:
            result = run_present(module, client, key, subnets, desired)
        else:
            result = run_absent(module, client, key, subnets)
    except (TypeError, ValueError) as exc:
        module.fail_json(msg='Unexpected data while managing %s: %s' % (key, to_native(exc)), key=key)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
