#!/usr/bin/python
# Copyright: (c) 2026, podnet.flannel maintainers
# GNU General Public License v3.0+ (https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: etcd_cluster_info
short_description: Report etcd cluster membership and the health of each endpoint
version_added: 0.1.0
description:
  - Lists the members of an etcd 3.4+ cluster and checks every endpoint in O(endpoints) on its own
    (C(/v3/maintenance/status) and C(/health)) and reports its version, database size, leader, raft
    term and alarms.
  - Endpoints that are down are reported in RV(endpoints) with the reason; the module only fails
    when none of them answers, and then names each endpoint with its error.
  - Use RV(healthy) in an C(assert) or an C(until) loop to wait for a cluster to form.
author:
  - podnet.flannel maintainers (@podnet)
options: {}
extends_documentation_fragment:
  - podnet.flannel.etcd
  - podnet.flannel.attributes
  - podnet.flannel.attributes.INFO_MODULE
  - podnet.flannel.attributes.ACTIONGROUP_ETCD
seealso:
  - module: podnet.flannel.etcd_member
  - module: podnet.flannel.etcd_key
"""

EXAMPLES = r"""
- name: Wait until every etcd member is healthy
  podnet.flannel.etcd_cluster_info:
    endpoints:
      - http://192.0.2.11:2379
      - http://192.0.2.12:2379
      - http://192.0.2.13:2379
  register: etcd
  until: etcd.healthy
  retries: 30
  delay: 2

- name: Show the leader and the unhealthy endpoints
  ansible.builtin.debug:
    msg:
      leader: "{{ etcd.leader.name | default('none') }}"
      down: "{{ etcd.endpoints | rejectattr('healthy') | map(attribute='endpoint') | list }}"

- name: Expect three voting members
  ansible.builtin.assert:
    that:
      - etcd.members | rejectattr('is_learner') | list | length == 3

# etcd with TLS and client-certificate auth (the podnet.flannel.etcd role's default): the CA
# bundle and the client certificate the roles put on every host, for every etcd module at once.
- name: Read the cluster over TLS
  module_defaults:
    group/podnet.flannel.etcd:
      ca_cert: /etc/podnet-flannel/pki/ca.crt
      client_cert: /etc/podnet-flannel/pki/client.crt
      client_key: /etc/podnet-flannel/pki/client.key
  block:
    - name: Read the members and their health
      podnet.flannel.etcd_cluster_info:
        endpoints:
          - https://192.0.2.11:2379
          - https://192.0.2.12:2379
          - https://192.0.2.13:2379
      register: etcd_tls
"""

RETURN = r"""
healthy:
  description: Whether every endpoint in O(endpoints) is healthy (answers, has a leader, no alarm).
  returned: always
  type: bool
  sample: true
members:
  description: The cluster members, as the first answering endpoint lists them.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Member ID.
      type: int
      sample: 3319814642761637952
    id_hex:
      description: Member ID in hexadecimal, as C(etcdctl member list) shows it.
      type: str
      sample: 2e12cb6ab0e8d940
    name:
      description: Member name; empty for a member that was added but has not started yet.
      type: str
      sample: etcd1
    peer_urls:
      description: Peer URLs.
      type: list
      elements: str
      sample: [http://192.0.2.11:2380]
    client_urls:
      description: Client URLs; empty for a member that has not started yet.
      type: list
      elements: str
      sample: [http://192.0.2.11:2379]
    is_learner:
      description: Whether the member is a non-voting learner.
      type: bool
      sample: false
endpoints:
  description: One entry per endpoint in O(endpoints), in the same order.
  returned: always
  type: list
  elements: dict
  contains:
    endpoint:
      description: The endpoint URL.
      type: str
      sample: http://192.0.2.11:2379
    healthy:
      description: Whether the endpoint answered, reports itself healthy, knows a leader and has no alarm.
      type: bool
      sample: true
    error:
      description: Why the endpoint is not healthy; V(null) when it is.
      type: str
      sample: connection refused
    version:
      description: etcd server version; V(null) when the endpoint did not answer.
      type: str
      sample: 3.4.23
    db_size:
      description: Backend database size in bytes; V(null) when the endpoint did not answer.
      type: int
      sample: 24576
    leader:
      description: ID of the leader as this endpoint sees it, V(0) without leader; V(null) when the endpoint did not answer.
      type: int
      sample: 3319814642761637952
    raft_term:
      description: Raft term; V(null) when the endpoint did not answer.
      type: int
      sample: 2
    raft_index:
      description: Raft index; V(null) when the endpoint did not answer.
      type: int
      sample: 12
    member_id:
      description: ID of the member behind the endpoint; V(null) when the endpoint did not answer.
      type: int
      sample: 3319814642761637952
    member_name:
      description: Name of that member; V(null) when unknown.
      type: str
      sample: etcd1
    alarms:
      description: Alarms or errors the member reports (such as C(NOSPACE)).
      type: list
      elements: str
      sample: []
leader:
  description: The leader; V(null) when no endpoint knows one.
  returned: always
  type: dict
  contains:
    id:
      description: Member ID of the leader.
      type: int
      sample: 3319814642761637952
    id_hex:
      description: Member ID in hexadecimal.
      type: str
      sample: 2e12cb6ab0e8d940
    name:
      description: Member name of the leader.
      type: str
      sample: etcd1
version:
  description: etcd server version of the leader (of the first answering endpoint without leader).
  returned: always
  type: str
  sample: 3.4.23
db_size:
  description: Database size in bytes of the leader (of the first answering endpoint without leader).
  returned: always
  type: int
  sample: 24576
cluster_id:
  description: Cluster ID in hexadecimal.
  returned: always
  type: str
  sample: 48271ea13c9d287
"""

from ansible_collections.podnet.flannel.plugins.module_utils.etcd import (
    EtcdError,
    etcd_module,
    run_etcd,
)


def member_info(member):
    info = dict(member)
    info['id_hex'] = '%x' % member['id']
    return info


def endpoint_info(client, endpoint):
    """Status and health of one endpoint, never raising."""
    info = {
        'endpoint': endpoint,
        'healthy': False,
        'error': None,
        'version': None,
        'db_size': None,
        'leader': None,
        'raft_term': None,
        'raft_index': None,
        'member_id': None,
        'member_name': None,
        'alarms': [],
        'cluster_id': None,
    }
    try:
        status = client.status(endpoint)
    except EtcdError as exc:
        info['error'] = '; '.join(reason for dummy, reason in exc.failures) or exc.message
        return info
    for field in ('version', 'db_size', 'leader', 'raft_term', 'raft_index', 'member_id', 'cluster_id'):
        info[field] = status[field]
    info['alarms'] = status['errors']
    healthy, reason = client.health(endpoint)
    if not healthy:
        info['error'] = reason
    elif status['errors']:
        info['error'] = 'alarms: %s' % ', '.join(status['errors'])
    elif not status['leader']:
        info['error'] = 'no leader'
    else:
        info['healthy'] = True
    return info


def summarize(endpoint_infos, members):
    """Cluster-wide result from per-endpoint infos and the member list."""
    names = {m['id']: m['name'] for m in members}
    for info in endpoint_infos:
        if info['member_id'] is not None:
            info['member_name'] = names.get(info['member_id'])
    answered = [i for i in endpoint_infos if i['member_id'] is not None]
    leader_id = next((i['leader'] for i in answered if i['leader']), 0)
    reference = next((i for i in answered if leader_id and i['member_id'] == leader_id), None)
    if reference is None and answered:
        reference = answered[0]
    result = {
        'changed': False,
        'healthy': all(i['healthy'] for i in endpoint_infos),
        'members': [member_info(m) for m in members],
        'endpoints': [{k: v for k, v in i.items() if k != 'cluster_id'} for i in endpoint_infos],
        'leader': None,
        'version': reference['version'] if reference else None,
        'db_size': reference['db_size'] if reference else None,
        'cluster_id': '%x' % reference['cluster_id'] if reference else None,
    }
    if leader_id:
        result['leader'] = {'id': leader_id, 'id_hex': '%x' % leader_id, 'name': names.get(leader_id, '')}
    return result


def cluster_info(module, client):
    infos = [endpoint_info(client, endpoint) for endpoint in client.endpoints]
    if not any(i['member_id'] is not None for i in infos):
        module.fail_json(
            msg='no etcd endpoint answered: %s' % '; '.join('%s: %s' % (i['endpoint'], i['error']) for i in infos),
            endpoints=client.endpoints,
            endpoint_errors={i['endpoint']: i['error'] for i in infos},
        )
    # Ask the endpoints that answered first.
    ordered = [i['endpoint'] for i in infos if i['member_id'] is not None]
    ordered += [e for e in client.endpoints if e not in ordered]
    return summarize(infos, client.member_list(endpoints=ordered))


def main():
    module = etcd_module()
    run_etcd(module, lambda client: cluster_info(module, client), msg='listing etcd members failed')


if __name__ == '__main__':
    main()
