#!/usr/bin/python
# Copyright: (c) 2026, podnet.flannel maintainers
# GNU General Public License v3.0+ (https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: etcd_key
short_description: Set or delete keys in etcd (v3 API)
version_added: 0.1.0
description:
  - Sets a key to a value, or deletes a key or every key under a prefix, in an etcd 3.4+ cluster,
    through etcd's v3 JSON gateway. M(podnet.flannel.etcd_key_info) reads keys.
  - With O(value_type=json) the value is compared as JSON, so a key whose stored JSON differs only in
    spacing or key order is left alone; changed values are written as compact JSON with sorted keys.
  - Writes are conditional on the key not having changed since it was read (an etcd transaction);
    when another writer gets in between, the module reads the key again and decides again.
author:
  - podnet.flannel maintainers (@podnet)
options:
  key:
    description:
      - The key, or with O(prefix=true) the prefix of the keys.
      - Must not be empty.
    type: str
    required: true
  prefix:
    description:
      - Treat O(key) as a prefix and delete every key that starts with it.
      - Only for O(state=absent).
    type: bool
    default: false
  state:
    description:
      - V(present) sets O(key) to O(value).
      - V(absent) deletes O(key) (or every key under the prefix).
    type: str
    choices: [present, absent]
    default: present
  value:
    description:
      - The value for O(state=present).
      - With O(value_type=string), a string (numbers are turned into their decimal text).
      - With O(value_type=json), either a string holding JSON or any data (dictionary, list, ...) to
        store as JSON.
    type: raw
  value_type:
    description:
      - How values are compared and returned.
      - V(string) compares the exact text.
      - V(json) parses both the stored and the wanted value and compares the data, and returns the
        parsed data as RV(json). A stored value that is not valid JSON counts as different.
    type: str
    choices: [string, json]
    default: string
  lease:
    description:
      - ID of an existing lease (decimal) to attach O(key) to, for O(state=present).
      - V(0) detaches the key from any lease.
      - When not set, a key that already exists keeps its lease and a new key gets none.
    type: int
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
      - The diff shows the value before and after (JSON pretty-printed with O(value_type=json)).
seealso:
  - module: podnet.flannel.etcd_key_info
  - module: podnet.flannel.etcd_cluster_info
  - name: etcd v3 gRPC gateway
    description: How etcd serves its v3 API as JSON over HTTP.
    link: https://etcd.io/docs/v3.4/dev-guide/api_grpc_gateway/
"""

EXAMPLES = r"""
- name: Store flannel's network configuration (compared as JSON, so re-runs are idempotent)
  podnet.flannel.etcd_key:
    endpoints: "{{ groups['etcd'] | map('extract', hostvars, 'ansible_host') | podnet.flannel.etcd_urls }}"
    key: /coreos.com/network/config
    value_type: json
    value:
      Network: 10.244.0.0/16
      SubnetLen: 24
      Backend:
        Type: vxlan
  run_once: true

- name: Set a plain string that disappears with a lease
  podnet.flannel.etcd_key:
    key: /podnet/motd
    value: hello
    lease: "{{ lease_id }}"

- name: Forget every subnet lease (TLS with client certificates)
  podnet.flannel.etcd_key:
    endpoints:
      - https://192.0.2.11:2379
      - https://192.0.2.12:2379
    ca_cert: /etc/etcd/pki/ca.crt
    client_cert: /etc/etcd/pki/client.crt
    client_key: /etc/etcd/pki/client.key
    key: /coreos.com/network/subnets/
    prefix: true
    state: absent
"""

RETURN = r"""
key:
  description: The key or prefix acted on.
  returned: always
  type: str
  sample: /coreos.com/network/config
revision:
  description:
    - etcd store revision after the write, or at the time of the read when nothing was written.
  returned: always
  type: int
  sample: 42
exists:
  description: Whether the key exists after the task (in check mode, would exist).
  returned: when O(prefix=false)
  type: bool
  sample: true
value:
  description: The value of the key as text after the task (in check mode, as it would be).
  returned: when O(state=present)
  type: str
  sample: '{"Backend":{"Type":"vxlan"},"Network":"10.244.0.0/16","SubnetLen":24}'
json:
  description: The value parsed as JSON.
  returned: when O(state=present) and O(value_type=json)
  type: raw
  sample: {"Backend": {"Type": "vxlan"}, "Network": "10.244.0.0/16", "SubnetLen": 24}
lease:
  description: ID of the lease the key is attached to, V(0) for none.
  returned: when O(state=present)
  type: int
  sample: 0
deleted:
  description: Number of keys deleted (in check mode, that would be deleted).
  returned: when O(state=absent)
  type: int
  sample: 1
"""

import json

from ansible.module_utils.common.text.converters import to_native
from ansible_collections.podnet.flannel.plugins.module_utils.canonical_json import canonical_json
from ansible_collections.podnet.flannel.plugins.module_utils.etcd import (
    etcd_module,
    json_equal,
    parse_json,
    run_etcd,
)

MAX_WRITE_ATTEMPTS = 5


def desired_value(value, value_type):
    """(text to write, data) for the ``value`` option; raises ValueError with a message."""
    if value is None:
        raise ValueError('value is required with state=present')
    if value_type == 'json':
        if isinstance(value, str):
            ok, data = parse_json(value)
            if not ok:
                raise ValueError('value is not valid JSON (value_type=json): %s' % value[:200])
        else:
            data = value
        try:
            return canonical_json(data), data
        except (TypeError, ValueError) as exc:
            raise ValueError('value cannot be written as JSON: %s' % to_native(exc))
    if isinstance(value, str):
        return value, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value), None
    raise ValueError('value must be a string with value_type=string, got %s; quote it or use value_type=json' % type(value).__name__)


def value_matches(current_text, want_text, want_data, value_type):
    """Whether the stored text already holds the wanted value."""
    if value_type == 'json':
        ok, data = parse_json(current_text)
        return ok and json_equal(data, want_data)
    return current_text == want_text


def plan_present(current, want_text, want_data, value_type, lease):
    """What state=present has to do about ``current`` (a kv dict or None).

    None when nothing is to change, else the arguments of the conditional put as a dict.
    """
    if current is None:
        return {'value': want_text, 'lease': lease or None, 'ignore_lease': False, 'mod_revision': 0}
    same_value = value_matches(current['value'], want_text, want_data, value_type)
    same_lease = lease is None or current['lease'] == lease
    if same_value and same_lease:
        return None
    return {
        # A lease-only change keeps the stored text byte for byte.
        'value': current['value'] if same_value else want_text,
        'lease': lease,
        # No lease option: an existing key keeps the lease it has.
        'ignore_lease': lease is None,
        'mod_revision': current['mod_revision'],
    }


def display(text, value_type):
    """Value text for diffs: JSON pretty-printed, always ending in a newline."""
    if text is None:
        return ''
    if value_type == 'json':
        ok, data = parse_json(text)
        if ok:
            text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
    return text if text.endswith('\n') else text + '\n'


def diff_header(key, lease):
    return '%s (lease %d)' % (key, lease) if lease else key


def run_present(module, client, key, value_type):
    try:
        want_text, want_data = desired_value(module.params['value'], value_type)
    except ValueError as exc:
        module.fail_json(msg=to_native(exc), key=key)
    lease = module.params['lease']
    if lease is not None and lease < 0:
        module.fail_json(msg='lease must be a lease ID (0 for none), got %d' % lease, key=key)

    for dummy in range(MAX_WRITE_ATTEMPTS):
        kvs, revision = client.range(key)
        current = kvs[0] if kvs else None
        plan = plan_present(current, want_text, want_data, value_type, lease)
        result = {'changed': plan is not None, 'key': key, 'revision': revision, 'exists': True}
        if plan is None:
            final_text, final_lease = current['value'], current['lease']
        else:
            final_text = plan['value']
            final_lease = current['lease'] if plan['ignore_lease'] else (plan['lease'] or 0)
            if module._diff:
                result['diff'] = {
                    'before': display(current['value'] if current else None, value_type),
                    'after': display(final_text, value_type),
                    'before_header': diff_header(key, current['lease']) if current else key,
                    'after_header': diff_header(key, final_lease),
                }
            if not module.check_mode:
                ok, revision = client.put_if_mod_revision(key, plan['value'], plan['mod_revision'], lease=plan['lease'], ignore_lease=plan['ignore_lease'])
                if not ok:
                    continue  # another writer changed the key since it was read: decide again
                result['revision'] = revision
        result['value'] = final_text
        result['lease'] = final_lease
        if value_type == 'json':
            result['json'] = parse_json(final_text)[1]
        return result
    module.fail_json(
        msg='key %s kept changing under this task (%d attempts); giving up' % (key, MAX_WRITE_ATTEMPTS), key=key, endpoints=module.params['endpoints']
    )
    return None


def run_absent(module, client, key, prefix, value_type):
    kvs, revision = client.range(key, prefix=prefix)
    result = {'changed': bool(kvs), 'key': key, 'revision': revision, 'deleted': len(kvs)}
    if not prefix:
        result['exists'] = False
    if not kvs:
        return result
    if module._diff:
        if prefix:
            before = ''.join('%s: %s\n' % (kv['key'], kv['value']) for kv in sorted(kvs, key=lambda kv: kv['key']))
        else:
            before = display(kvs[0]['value'], value_type)
        result['diff'] = {'before': before, 'after': '', 'before_header': key, 'after_header': key}
    if not module.check_mode:
        result['deleted'], result['revision'] = client.delete_range(key, prefix=prefix)
        result['changed'] = result['deleted'] > 0
    return result


def main():
    module = etcd_module(
        dict(
            key={'type': 'str', 'required': True, 'no_log': False},
            prefix={'type': 'bool', 'default': False},
            state={'type': 'str', 'default': 'present', 'choices': ['present', 'absent']},
            value={'type': 'raw'},
            value_type={'type': 'str', 'default': 'string', 'choices': ['string', 'json']},
            lease={'type': 'int'},
        ),
        required_if=[('state', 'present', ('value',))],
    )
    key = module.params['key']
    prefix = module.params['prefix']
    state = module.params['state']
    value_type = module.params['value_type']

    if prefix and state == 'present':
        module.fail_json(msg='prefix=true only works with state=absent; set each key with its own task', key=key)
    if not key:
        module.fail_json(msg='key must not be empty', key=key)

    def work(client):
        if state == 'present':
            return run_present(module, client, key, value_type)
        return run_absent(module, client, key, prefix, value_type)

    run_etcd(module, work, msg='etcd_key %s (state=%s)' % (key, state), key=key)


if __name__ == '__main__':
    main()
