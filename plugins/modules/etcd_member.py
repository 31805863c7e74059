#!/usr/bin/python
# Copyright: (c) 2026, podnet.flannel maintainers
# GNU General Public License v3.0+ (https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: etcd_member
short_description: Add or remove etcd cluster members
version_added: 0.1.0
description:
  - Adds a member to a running etcd 3.4+ cluster (the C(etcdctl member add) step that has to come
    before the new etcd starts with C(--initial-cluster-state existing)), or removes one.
  - A member is identified by its peer URLs; etcd only learns a member's name when it starts.
author:
  - podnet.flannel maintainers (@podnet)
options:
  name:
    description:
      - Name of the member, as the new etcd will be started with (C(--name)).
      - Required with O(state=present), where it is used in RV(initial_cluster); a different member
        already running under this name is an error.
      - With O(state=absent), the member to remove when O(peer_urls) is not given. A member that was
        added but never started has no name yet and can only be removed by O(peer_urls).
    type: str
  peer_urls:
    description:
      - Peer URLs of the member (C(--initial-advertise-peer-urls)), such as V(http://192.0.2.14:2380).
      - Required with O(state=present). A member with exactly these peer URLs counts as present; one
        that shares only some of them is an error.
      - With O(state=absent), the member that has any of these peer URLs is removed.
    type: list
    elements: str
  state:
    description:
      - V(present) adds the member unless it is there already.
      - V(absent) removes it. The last member of a cluster is never removed.
    type: str
    choices: [present, absent]
    default: present
  is_learner:
    description:
      - Add the member as a non-voting learner. An existing member is not promoted or demoted; a
        mismatch only gives a warning.
    type: bool
    default: false
extends_documentation_fragment:
  - podnet.flannel.etcd
  - podnet.flannel.attributes
  - podnet.flannel.attributes.ACTIONGROUP_ETCD
attributes:
  check_mode:
    support: full
    details:
      - In check mode a new member has no ID yet (RV(member.id) is V(null)), RV(initial_cluster) is still computed.
  diff_mode:
    support: full
    details:
      - The diff shows the member list before and after, one member per line.
seealso:
  - module: podnet.flannel.etcd_cluster_info
  - name: etcd runtime reconfiguration
    description: Adding and removing members of a running cluster.
    link: https://etcd.io/docs/v3.4/op-guide/runtime-configuration/
"""

EXAMPLES = r"""
- name: Announce etcd4 to the running cluster
  podnet.flannel.etcd_member:
    endpoints:
      - http://192.0.2.11:2379
      - http://192.0.2.12:2379
      - http://192.0.2.13:2379
    name: etcd4
    peer_urls:
      - http://192.0.2.14:2380
  register: added
  delegate_to: "{{ groups['etcd'][0] }}"

- name: Start etcd4 joining the existing cluster
  ansible.builtin.template:
    src: etcd.env.j2
    dest: /etc/default/etcd
  vars:
    etcd_initial_cluster: "{{ added.initial_cluster }}"
    etcd_initial_cluster_state: existing

- name: Remove a decommissioned member
  podnet.flannel.etcd_member:
    endpoints: [http://192.0.2.11:2379]
    name: etcd3
    state: absent
"""

RETURN = r"""
member:
  description:
    - The member added or found (O(state=present)), or removed (O(state=absent)); V(null) when
      O(state=absent) found nothing to remove.
  returned: always
  type: dict
  contains:
    id:
      description: Member ID; V(null) for a member that check mode would add.
      type: int
      sample: 10501334649042878790
    id_hex:
      description: Member ID in hexadecimal, as C(etcdctl member list) shows it.
      type: str
      sample: 91bc3c398fb3c146
    name:
      description: Name etcd knows the member by; empty until a newly added member starts.
      type: str
      sample: ''
    peer_urls:
      description: Peer URLs.
      type: list
      elements: str
      sample: [http://192.0.2.14:2380]
    client_urls:
      description: Client URLs; empty until the member starts.
      type: list
      elements: str
      sample: []
    is_learner:
      description: Whether the member is a learner.
      type: bool
      sample: false
members:
  description: All members after the task (in check mode, as they would be), in the format of RV(member).
  returned: always
  type: list
  elements: dict
  sample: []
initial_cluster:
  description:
    - C(name=peer_url) pairs of all members, this one included under O(name), sorted, comma-separated.
    - The value for C(--initial-cluster) of the new member started with C(--initial-cluster-state existing).
  returned: when O(state=present)
  type: str
  sample: etcd1=http://192.0.2.11:2380,etcd2=http://192.0.2.12:2380,etcd4=http://192.0.2.14:2380
"""

from ansible_collections.podnet.flannel.plugins.module_utils.etcd import (
    etcd_module,
    run_etcd,
)


def norm_url(url):
    return url.strip().rstrip('/')


def url_set(urls):
    return {norm_url(u) for u in urls or []}


def with_hex(member):
    info = dict(member)
    info['id_hex'] = '%x' % member['id'] if member.get('id') is not None else None
    return info


def initial_cluster(members, name, peer_urls):
    """``name=url,...`` over all members, sorted; the one with ``peer_urls`` is called ``name``.

    Sorted so that a template using it does not change when etcd lists members in another order.
    """
    own = url_set(peer_urls)
    pairs = []
    for member in members:
        member_name = name if url_set(member['peer_urls']) == own else member['name']
        pairs.extend((member_name, url) for url in member['peer_urls'])
    return ','.join('%s=%s' % pair for pair in sorted(pairs))


def describe(member):
    if member['name']:
        return '%s (%x)' % (member['name'], member['id'])
    return '%x (not started)' % member['id']


def members_text(members):
    lines = []
    for m in sorted(members, key=lambda m: sorted(m['peer_urls'])):
        lines.append(
            '%s %s%s %s\n'
            % (
                '%x' % m['id'] if m.get('id') is not None else '(new)',
                m['name'] or '(not started)',
                ' (learner)' if m['is_learner'] else '',
                ','.join(m['peer_urls']),
            )
        )
    return ''.join(lines)


def find_present(members, name, peer_urls):
    """(member with exactly these peer URLs or None, error message or None)."""
    want = url_set(peer_urls)
    for member in members:
        have = url_set(member['peer_urls'])
        if have == want:
            if member['name'] and member['name'] != name:
                return None, ('peer URLs %s belong to member %s, not %s' % (', '.join(sorted(want)), describe(member), name))
            return member, None
        if have & want:
            return None, (
                'peer URL(s) %s already used by member %s with peer URLs %s; remove it first'
                % (', '.join(sorted(have & want)), describe(member), ', '.join(member['peer_urls']))
            )
    for member in members:
        if name and member['name'] == name:
            return None, ('a member named %s already exists with peer URLs %s' % (describe(member), ', '.join(member['peer_urls'])))
    return None, None


def find_absent(members, name, peer_urls):
    """(members matching by peer URL, or by name when no peer URLs are given)."""
    if peer_urls:
        want = url_set(peer_urls)
        return [m for m in members if url_set(m['peer_urls']) & want]
    return [m for m in members if m['name'] == name]


def run_present(module, client, name, peer_urls, is_learner):
    members = client.member_list()
    member, error = find_present(members, name, peer_urls)
    if error:
        module.fail_json(msg=error, name=name, peer_urls=peer_urls, members=[with_hex(m) for m in members])
    result = {'changed': member is None}
    before = members
    if member is not None:
        if member['is_learner'] != is_learner:
            module.warn('member %s is %sa learner; etcd_member does not promote or demote members' % (name, '' if member['is_learner'] else 'not '))
    elif module.check_mode:
        member = {'id': None, 'name': '', 'peer_urls': list(peer_urls), 'client_urls': [], 'is_learner': is_learner}
        members = members + [member]
    else:
        added = client.member_add(peer_urls, is_learner=is_learner)
        member, members = added['member'], added['members']
    if result['changed'] and module._diff:
        result['diff'] = {'before': members_text(before), 'after': members_text(members)}
    result['member'] = with_hex(member)
    result['members'] = [with_hex(m) for m in members]
    result['initial_cluster'] = initial_cluster(members, name, peer_urls)
    return result


def run_absent(module, client, name, peer_urls):
    members = client.member_list()
    matches = find_absent(members, name, peer_urls)
    if not matches:
        return {'changed': False, 'member': None, 'members': [with_hex(m) for m in members]}
    if len(matches) > 1:
        module.fail_json(msg='%d members match: %s' % (len(matches), members_text(matches).strip().replace('\n', '; ')), name=name, peer_urls=peer_urls)
    member = matches[0]
    if len(members) == 1:
        module.fail_json(msg='refusing to remove %s: it is the last member of the cluster' % describe(member), name=name, peer_urls=peer_urls)
    after = [m for m in members if m['id'] != member['id']]
    if not module.check_mode:
        after = client.member_remove(member['id'])
    result = {'changed': True, 'member': with_hex(member), 'members': [with_hex(m) for m in after]}
    if module._diff:
        result['diff'] = {'before': members_text(members), 'after': members_text(after)}
    return result


def main():
    module = etcd_module(
        dict(
            name={'type': 'str'},
            peer_urls={'type': 'list', 'elements': 'str'},
            state={'type': 'str', 'default': 'present', 'choices': ['present', 'absent']},
            is_learner={'type': 'bool', 'default': False},
        ),
        required_if=[
            ('state', 'present', ('name', 'peer_urls')),
            ('state', 'absent', ('name', 'peer_urls'), True),
        ],
    )
    name = module.params['name']
    peer_urls = [norm_url(u) for u in module.params['peer_urls'] or [] if u.strip()]
    state = module.params['state']
    if module.params['peer_urls'] is not None and not peer_urls:
        module.fail_json(msg='peer_urls must not be empty')
    bad = [u for u in peer_urls if not u.startswith(('http://', 'https://'))]
    if bad:
        module.fail_json(msg='peer_urls must be http:// or https:// URLs: %s' % ', '.join(bad))

    def work(client):
        if state == 'present':
            return run_present(module, client, name, peer_urls, module.params['is_learner'])
        return run_absent(module, client, name, peer_urls)

    run_etcd(module, work, msg='etcd_member %s (state=%s)' % (name or ','.join(peer_urls), state), name=name, peer_urls=peer_urls)


if __name__ == '__main__':
    main()
