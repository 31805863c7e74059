#!/usr/bin/python
# Copyright: (c) 2026, podnet.flannel maintainers
# GNU General Public License v3.0+ (https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: etcd_key_info
short_description: Read a key, or every key under a prefix, from etcd (v3 API)
version_added: 0.1.0
description:
  - Reads one key or all keys under a prefix from an etcd 3.4+ cluster through etcd's v3 JSON
    gateway, with their revisions and leases.
  - A key that does not exist is not an error (RV(exists) is V(false)).
author:
  - podnet.flannel maintainers (@podnet)
options:
  key:
    description:
      - The key, or with O(prefix=true) the prefix of the keys.
      - Empty only together with O(prefix=true), to read every key.
    type: str
    required: true
  prefix:
    description:
      - Treat O(key) as a prefix and read every key that starts with it, into RV(kvs).
    type: bool
    default: false
  value_type:
    description:
      - V(json) also returns each value parsed as JSON (RV(json), and C(json) in each of RV(kvs)); a
        value that is not valid JSON fails the task.
    type: str
    choices: [string, json]
    default: string
extends_documentation_fragment:
  - podnet.flannel.etcd
  - podnet.flannel.attributes
  - podnet.flannel.attributes.INFO_MODULE
  - podnet.flannel.attributes.ACTIONGROUP_ETCD
seealso:
  - module: podnet.flannel.etcd_key
"""

EXAMPLES = r"""
- name: Read flannel's configuration
  podnet.flannel.etcd_key_info:
    endpoints: [http://192.0.2.11:2379]
    key: /coreos.com/network/config
    value_type: json
  register: netconf

- name: Show the network
  ansible.builtin.debug:
    msg: "{{ netconf.json.Network if netconf.exists else 'not configured' }}"

- name: List the subnet leases flanneld took
  podnet.flannel.etcd_key_info:
    endpoints: [http://192.0.2.11:2379]
    key: /coreos.com/network/subnets/
    prefix: true
    value_type: json
  register: subnets

- name: Show the public IP of each subnet
  ansible.builtin.debug:
    msg: "{{ subnets.kvs | items2dict(key_name='key', value_name='json') }}"
"""

RETURN = r"""
key:
  description: The key or prefix read.
  returned: always
  type: str
  sample: /coreos.com/network/config
revision:
  description: etcd store revision at the time of the read.
  returned: always
  type: int
  sample: 42
exists:
  description: Whether the key exists.
  returned: when O(prefix=false)
  type: bool
  sample: true
value:
  description: The value as text; V(null) when the key does not exist.
  returned: when O(prefix=false)
  type: str
  sample: '{"Backend":{"Type":"vxlan"},"Network":"10.244.0.0/16","SubnetLen":24}'
json:
  description: The value parsed as JSON; V(null) when the key does not exist.
  returned: when O(prefix=false) and O(value_type=json)
  type: raw
  sample: {"Backend": {"Type": "vxlan"}, "Network": "10.244.0.0/16", "SubnetLen": 24}
lease:
  description: ID of the lease the key is attached to, V(0) for none.
  returned: when O(prefix=false) and the key exists
  type: int
  sample: 0
create_revision:
  description: Revision at which the key was created.
  returned: when O(prefix=false) and the key exists
  type: int
  sample: 12
mod_revision:
  description: Revision of the last change of the key.
  returned: when O(prefix=false) and the key exists
  type: int
  sample: 40
version:
  description: Number of changes of the key since it was created.
  returned: when O(prefix=false) and the key exists
  type: int
  sample: 3
kvs:
  description: The keys under the prefix, sorted by key.
  returned: when O(prefix=true)
  type: list
  elements: dict
  contains:
    key:
      description: The key.
      type: str
      sample: /coreos.com/network/subnets/10.244.3.0-24
    value:
      description: The value as text.
      type: str
      sample: '{"PublicIP":"192.0.2.12","BackendType":"vxlan"}'
    json:
      description: The value parsed as JSON.
      type: raw
      returned: when O(value_type=json)
    create_revision:
      description: Revision at which the key was created.
      type: int
      sample: 12
    mod_revision:
      description: Revision of the last change of the key.
      type: int
      sample: 40
    version:
      description: Number of changes of the key since it was created.
      type: int
      sample: 1
    lease:
      description: Lease ID the key is attached to, V(0) for none.
      type: int
      sample: 7587870591442530000
count:
  description: Number of keys under the prefix.
  returned: when O(prefix=true)
  type: int
  sample: 3
"""

from ansible_collections.podnet.flannel.plugins.module_utils.etcd import (
    etcd_module,
    parse_json,
    run_etcd,
)


def decode(module, kv, value_type):
    """The value of kv parsed as JSON; fail_json when it is not JSON."""
    if value_type != 'json':
        return None
    ok, data = parse_json(kv['value'])
    if not ok:
        module.fail_json(msg='value of key %s is not valid JSON' % kv['key'], key=kv['key'], value=kv['value'], endpoints=module.params['endpoints'])
    return data


def read(module, client, key, prefix, value_type):
    kvs, revision = client.range(key, prefix=prefix)
    result = {'changed': False, 'key': key, 'revision': revision}
    if prefix:
        kvs = sorted(kvs, key=lambda kv: kv['key'])
        if value_type == 'json':
            for kv in kvs:
                kv['json'] = decode(module, kv, value_type)
        result.update(kvs=kvs, count=len(kvs))
        return result
    current = kvs[0] if kvs else None
    result['exists'] = current is not None
    result['value'] = current['value'] if current else None
    if value_type == 'json':
        result['json'] = decode(module, current, value_type) if current else None
    if current:
        for field in ('lease', 'create_revision', 'mod_revision', 'version'):
            result[field] = current[field]
    return result


def main():
    module = etcd_module(
        dict(
            key={'type': 'str', 'required': True, 'no_log': False},
            prefix={'type': 'bool', 'default': False},
            value_type={'type': 'str', 'default': 'string', 'choices': ['string', 'json']},
        )
    )
    key = module.params['key']
    prefix = module.params['prefix']
    if not key and not prefix:
        module.fail_json(msg='key must not be empty (use prefix=true with an empty key to read every key)')
    run_etcd(module, lambda client: read(module, client, key, prefix, module.params['value_type']), msg='etcd_key_info %s' % key, key=key)


if __name__ == '__main__':
    main()
