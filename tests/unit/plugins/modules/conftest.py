# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for the etcd module tests: an in-memory etcd behind the module_utils HTTP function.

FakeEtcd answers the way etcd 3.4's JSON gateway does (base64 keys and values, 64-bit integers as
strings, zero fields left out, errors as {"error", "code", "message"} with the mapped HTTP status),
and records every request so tests can assert what was (not) sent.
"""

from __future__ import annotations

import base64
import json
import urllib.error

import pytest

from ansible.module_utils.testing import patch_module_args
from ansible_collections.podnet.flannel.plugins.module_utils import etcd as etcd_utils


def _enc(data):
    return base64.b64encode(data).decode('ascii')


def _dec(text):
    return base64.b64decode(text or '')


def _error(http_status, code, message):
    return http_status, {'error': message, 'message': message, 'code': code}


class FakeEtcd:
    CLUSTER_ID = 0x1234

    def __init__(self):
        self.store = {}  # key bytes -> {'value', 'create', 'mod', 'version', 'lease'}
        self.rev = 1
        self.leases = set()
        self.members = []  # {'ID', 'name', 'peerURLs', 'clientURLs', 'isLearner'}
        self.calls = []  # (method, endpoint, path, body)
        self.down = {}  # endpoint -> exception to raise
        self.unhealthy = {}  # endpoint -> reason
        self.leader = 0
        self.before_txn = None  # callable run once before the next txn (simulates another writer)
        self._next_id = 1000

    # -- test helpers -------------------------------------------------------------------------

    def seed(self, key, value, lease=0):
        self._put(key.encode(), value.encode(), lease)

    def value(self, key):
        item = self.store.get(key.encode())
        return None if item is None else item['value'].decode()

    def paths(self, path=None):
        return [c for c in self.calls if path is None or c[2] == path]

    def take_down(self, endpoint):
        """Requests to ``endpoint`` fail as a closed port does."""
        self.down[endpoint] = urllib.error.URLError(ConnectionRefusedError(111, 'Connection refused'))

    def add_member(self, name, peer, client=None, learner=False):
        self._next_id += 1
        member = {'ID': self._next_id, 'name': name, 'peerURLs': [peer], 'clientURLs': [client] if client else [], 'isLearner': learner}
        self.members.append(member)
        return member

    # -- HTTP entry point (replaces etcd_utils.http_request) -----------------------------------

    def __call__(self, method, url, body=None, headers=None, timeout=5, tls=None):
        scheme, rest = url.split('://', 1)
        hostport, path = rest.split('/', 1)
        endpoint = '%s://%s' % (scheme, hostport)
        path = '/' + path
        self.calls.append((method, endpoint, path, body))
        if endpoint in self.down:
            raise self.down[endpoint]
        handler = getattr(self, 'h_' + path.strip('/').replace('/', '_'))
        status, payload = handler(endpoint, body or {})
        return status, json.dumps(payload).encode()

    def _header(self, endpoint):
        member = self._member_for(endpoint)
        return {'cluster_id': str(self.CLUSTER_ID), 'member_id': str(member['ID']) if member else '1', 'revision': str(self.rev), 'raft_term': '2'}

    def _member_for(self, endpoint):
        for member in self.members:
            if endpoint in member['clientURLs']:
                return member
        return None

    # -- kv -----------------------------------------------------------------------------------

    def _select(self, body):
        key = _dec(body.get('key'))
        end = _dec(body.get('range_end')) if body.get('range_end') else None
        if end is None:
            return [key] if key in self.store else []
        return sorted(k for k in self.store if k >= key and (end == b'\x00' or k < end))

    def _kv(self, key):
        item = self.store[key]
        kv = {'key': _enc(key), 'create_revision': str(item['create']), 'mod_revision': str(item['mod']), 'version': str(item['version'])}
        if item['value']:
            kv['value'] = _enc(item['value'])
        if item['lease']:
            kv['lease'] = str(item['lease'])
        return kv

    def _put(self, key, value, lease):
        self.rev += 1
        item = self.store.get(key)
        if item is None:
            item = {'create': self.rev, 'version': 0}
            self.store[key] = item
        item.update(value=value, mod=self.rev, version=item['version'] + 1, lease=lease)

    def _check_put(self, body):
        key = _dec(body.get('key'))
        if not key:
            return _error(400, 3, 'etcdserver: key is not provided')
        if body.get('ignore_lease'):
            if key not in self.store:
                return _error(400, 3, 'etcdserver: key not found')
            return None
        lease = int(body.get('lease', 0))
        if lease and lease not in self.leases:
            return _error(404, 5, 'etcdserver: requested lease not found')
        return None

    def _apply_put(self, body):
        key = _dec(body['key'])
        lease = self.store[key]['lease'] if body.get('ignore_lease') else int(body.get('lease', 0))
        self._put(key, _dec(body.get('value')), lease)

    def h_v3_kv_range(self, endpoint, body):
        keys = self._select(body)
        out = {'header': self._header(endpoint)}
        if keys:
            out['kvs'] = [self._kv(k) for k in keys]
            out['count'] = str(len(keys))
        return 200, out

    def h_v3_kv_put(self, endpoint, body):
        error = self._check_put(body)
        if error:
            return error
        self._apply_put(body)
        return 200, {'header': self._header(endpoint)}

    def h_v3_kv_txn(self, endpoint, body):
        if self.before_txn:
            hook, self.before_txn = self.before_txn, None
            hook(self)
        succeeded = True
        for cmp in body.get('compare', []):
            assert cmp['target'] == 'MOD' and cmp['result'] == 'EQUAL', cmp
            item = self.store.get(_dec(cmp['key']))
            if (item['mod'] if item else 0) != int(cmp.get('mod_revision', 0)):
                succeeded = False
        ops = body.get('success' if succeeded else 'failure') or []
        for op in ops:
            error = self._check_put(op['request_put'])
            if error:
                return error
        for op in ops:
            self._apply_put(op['request_put'])
        out = {'header': self._header(endpoint)}
        if succeeded:
            out['succeeded'] = True
            out['responses'] = [{'response_put': {'header': {'revision': str(self.rev)}}} for dummy in ops]
        return 200, out

    def h_v3_kv_deleterange(self, endpoint, body):
        keys = self._select(body)
        if keys:
            self.rev += 1
        for key in keys:
            del self.store[key]
        out = {'header': self._header(endpoint)}
        if keys:
            out['deleted'] = str(len(keys))
        return 200, out

    # -- cluster ------------------------------------------------------------------------------

    def _members_json(self):
        out = []
        for m in self.members:
            item = {'ID': str(m['ID']), 'peerURLs': list(m['peerURLs'])}
            if m['name']:
                item['name'] = m['name']
            if m['clientURLs']:
                item['clientURLs'] = list(m['clientURLs'])
            if m['isLearner']:
                item['isLearner'] = True
            out.append(item)
        return out

    def h_v3_cluster_member_list(self, endpoint, body):
        header = self._header(endpoint)
        del header['revision']
        return 200, {'header': header, 'members': self._members_json()}

    def h_v3_cluster_member_add(self, endpoint, body):
        for m in self.members:
            if set(m['peerURLs']) & set(body['peerURLs']):
                return _error(412, 9, 'etcdserver: Peer URLs already exists')
        self._next_id += 1
        new = {'ID': self._next_id, 'name': '', 'peerURLs': list(body['peerURLs']), 'clientURLs': [], 'isLearner': bool(body.get('isLearner'))}
        self.members.append(new)
        member = {'ID': str(new['ID']), 'peerURLs': new['peerURLs']}
        if new['isLearner']:
            member['isLearner'] = True
        return 200, {'header': self._header(endpoint), 'member': member, 'members': self._members_json()}

    def h_v3_cluster_member_remove(self, endpoint, body):
        before = len(self.members)
        self.members = [m for m in self.members if m['ID'] != int(body['ID'])]
        if len(self.members) == before:
            return _error(404, 5, 'etcdserver: member not found')
        return 200, {'header': self._header(endpoint), 'members': self._members_json()}

    def h_v3_maintenance_status(self, endpoint, body):
        out = {
            'header': self._header(endpoint),
            'version': '3.4.23',
            'dbSize': '24576',
            'raftIndex': '9',
            'raftTerm': '2',
            'raftAppliedIndex': '9',
            'dbSizeInUse': '16384',
        }
        if self.leader:
            out['leader'] = str(self.leader)
        return 200, out

    def h_health(self, endpoint, body):
        if endpoint in self.unhealthy:
            return 503, {'health': 'false', 'reason': self.unhealthy[endpoint]}
        return 200, {'health': 'true'}


@pytest.fixture
def fake_etcd(monkeypatch):
    fake = FakeEtcd()
    monkeypatch.setattr(etcd_utils, 'http_request', fake)
    return fake


@pytest.fixture
def run_module(capsys):
    """Run a module's main() with args; (failed?, result dict)."""

    def run(module, args, check_mode=False, diff=False):
        args = dict(args)
        args['_ansible_check_mode'] = check_mode
        args['_ansible_diff'] = diff
        with patch_module_args(args):
            with pytest.raises(SystemExit):
                module.main()
        result = json.loads(capsys.readouterr().out)
        return result

    return run
