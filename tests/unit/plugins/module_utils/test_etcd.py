# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for module_utils/etcd.py: no network, the HTTP function is replaced."""

from __future__ import annotations

import base64
import json
import random
import socket
import ssl
import urllib.error

import pytest

from ansible_collections.podnet.flannel.plugins.module_utils import etcd as etcd_utils
from ansible_collections.podnet.flannel.plugins.module_utils.etcd import (
    EtcdClient,
    EtcdError,
    b64,
    describe_transport_error,
    json_equal,
    parse_error_body,
    parse_health,
    parse_kv,
    parse_member,
    parse_status,
    prefix_range_end,
    range_body,
    tls_file_problems,
    unb64,
)

A = 'http://10.0.0.1:2379'
B = 'http://10.0.0.2:2379'
C = 'http://10.0.0.3:2379'


# -- base64 ------------------------------------------------------------------------------------


def test_b64_rfc4648_vectors():
    # RFC 4648 section 10 test vectors
    assert b64('f') == 'Zg=='
    assert b64('foo') == 'Zm9v'
    assert b64(b'foobar') == 'Zm9vYmFy'
    assert unb64('Zm9vYmE=') == 'fooba'


def test_b64_roundtrip_non_ascii():
    text = '/podnet/ключ/ü'
    encoded = b64(text)
    assert base64.b64decode(encoded) == text.encode('utf-8')
    assert unb64(encoded) == text


def test_unb64_absent_field_is_empty():
    assert unb64(None) == ''
    assert unb64('') == ''


# -- prefix range_end ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    'prefix, end',
    [
        (b'/a/', b'/a0'),  # '/' (0x2f) + 1 is '0'
        (b'a', b'b'),
        (b'a\xfe', b'a\xff'),
        (b'a\xff', b'b'),  # carry: trailing 0xff dropped, previous byte incremented
        (b'a\xff\xff', b'b'),
        (b'\x01\xff', b'\x02'),
        (b'\xff', b'\x00'),  # nothing left to increment: "to the end of the keyspace"
        (b'\xff\xff\xff', b'\x00'),
        (b'', b'\x00'),
    ],
)
def test_prefix_range_end(prefix, end):
    assert prefix_range_end(prefix) == end


def test_prefix_range_end_accepts_text():
    assert prefix_range_end('/coreos.com/network/subnets/') == b'/coreos.com/network/subnets0'


def test_prefix_range_end_selects_exactly_the_prefixed_keys():
    rnd = random.Random(4242)
    alphabet = [0x00, 0x01, 0x2F, 0x61, 0xFE, 0xFF]
    for dummy in range(400):
        prefix = bytes(rnd.choice(alphabet) for dummy in range(rnd.randint(1, 4)))
        end = prefix_range_end(prefix)
        for dummy2 in range(30):
            key = bytes(rnd.choice(alphabet) for dummy in range(rnd.randint(0, 6)))
            in_range = key >= prefix and (end == b'\x00' or key < end)
            assert in_range == key.startswith(prefix), (prefix, end, key)


def test_range_body_prefix_and_empty_prefix():
    body = range_body('/a/', prefix=True)
    assert base64.b64decode(body['key']) == b'/a/'
    assert base64.b64decode(body['range_end']) == b'/a0'
    everything = range_body('', prefix=True)
    assert base64.b64decode(everything['key']) == b'\x00'
    assert base64.b64decode(everything['range_end']) == b'\x00'
    single = range_body('/a')
    assert 'range_end' not in single


# -- response parsing ----------------------------------------------------------------------------


def test_parse_kv_int64_strings_and_absent_fields():
    kv = parse_kv({'key': 'Zm9v', 'create_revision': '9007199254740993', 'mod_revision': '12', 'version': '3', 'value': 'YmFy', 'lease': '7587870591442530000'})
    assert kv == {'key': 'foo', 'value': 'bar', 'create_revision': 9007199254740993, 'mod_revision': 12, 'version': 3, 'lease': 7587870591442530000}
    bare = parse_kv({'key': 'Zm9v', 'create_revision': '5', 'mod_revision': '5', 'version': '1'})
    assert bare['value'] == '' and bare['lease'] == 0


def test_parse_member_defaults():
    member = parse_member({'ID': '13668033151171901709', 'peerURLs': ['http://10.0.0.4:2380']})
    assert member == {'id': 13668033151171901709, 'name': '', 'peer_urls': ['http://10.0.0.4:2380'], 'client_urls': [], 'is_learner': False}
    learner = parse_member({'ID': '5', 'name': 'n5', 'peerURLs': [], 'clientURLs': ['http://x:2379'], 'isLearner': True})
    assert learner['is_learner'] is True and learner['client_urls'] == ['http://x:2379']


def test_parse_status_etcd_34_answer():
    # As etcd 3.4.23 answers POST /v3/maintenance/status
    raw = {
        'header': {'cluster_id': '324952591200643719', 'member_id': '3319814642761637952', 'revision': '2', 'raft_term': '2'},
        'version': '3.4.23',
        'dbSize': '24576',
        'leader': '3319814642761637952',
        'raftIndex': '5',
        'raftTerm': '2',
        'raftAppliedIndex': '5',
        'dbSizeInUse': '16384',
    }
    status = parse_status(raw)
    assert status['version'] == '3.4.23'
    assert status['db_size'] == 24576
    assert status['leader'] == status['member_id'] == 3319814642761637952
    assert status['raft_term'] == 2 and status['raft_index'] == 5
    assert status['errors'] == []
    no_leader = parse_status({'header': {}, 'version': '3.4.23', 'errors': ['NOSPACE']})
    assert no_leader['leader'] == 0 and no_leader['errors'] == ['NOSPACE']


def test_parse_health():
    assert parse_health(200, b'{"health":"true"}') == (True, '')
    healthy, reason = parse_health(503, b'{"health":"false","reason":"RAFT NO LEADER"}')
    assert not healthy and 'NO LEADER' in reason
    healthy, reason = parse_health(503, b'{"health":"false"}')
    assert not healthy and reason
    healthy, reason = parse_health(404, b'404 page not found')
    assert not healthy and '404' in reason


# -- error mapping -------------------------------------------------------------------------------


def test_parse_error_body_etcd_error_is_definitive():
    failure = parse_error_body(404, b'{"error":"etcdserver: member not found","message":"etcdserver: member not found","code":5}')
    assert failure.code == 5
    assert failure.definitive
    assert 'member not found' in failure.reason and '404' in failure.reason


def test_parse_error_body_unavailable_is_not_definitive():
    failure = parse_error_body(503, b'{"code":14,"message":"etcdserver: no leader"}')
    assert not failure.definitive
    assert 'no leader' in failure.reason


def test_parse_error_body_non_etcd_answer():
    failure = parse_error_body(404, b'404 page not found\n')
    assert failure.code is None and not failure.definitive
    assert failure.reason == 'HTTP 404: 404 page not found'


def test_parse_error_body_common_name_guard_gets_a_hint():
    # etcd 3.4 embed/serve.go: client-cert-auth + auth enabled + client certificate with a CN
    failure = parse_error_body(400, b'CommonName of client sending a request against gateway will be ignored and not used as expected\n')
    assert 'without CommonName' in failure.reason


@pytest.mark.parametrize(
    'exc, expected',
    [
        (urllib.error.URLError(ConnectionRefusedError(111, 'Connection refused')), 'connection refused'),
        (urllib.error.URLError(socket.timeout('timed out')), 'timed out after 5s'),
        (TimeoutError('The read operation timed out'), 'timed out after 5s'),
        (urllib.error.URLError(socket.gaierror(-2, 'Name or service not known')), 'name resolution failed'),
        (urllib.error.URLError(ssl.SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed')), 'TLS error'),
        (ssl.SSLError(1, '[SSL: WRONG_VERSION_NUMBER] wrong version number'), 'plain http'),
        (urllib.error.URLError(ssl.SSLError(1, '[SSL: SSLV3_ALERT_BAD_CERTIFICATE] sslv3 alert bad certificate')), 'client_cert'),
        (urllib.error.URLError(OSError(113, 'No route to host')), 'No route to host'),
    ],
)
def test_describe_transport_error(exc, expected):
    assert expected in describe_transport_error(exc, timeout=5)


# -- client over a scripted HTTP layer ---------------------------------------------------------


class Script:
    """Replaces etcd_utils.http_request: per-endpoint queue of answers (tuple or exception)."""

    def __init__(self, answers):
        self.answers = {ep: list(items) for ep, items in answers.items()}
        self.calls = []

    def __call__(self, method, url, body=None, headers=None, timeout=5, tls=None):
        endpoint = url.split('/v3/')[0].split('/health')[0]
        self.calls.append({'method': method, 'url': url, 'body': body, 'headers': headers or {}})
        answer = self.answers[endpoint].pop(0)
        if isinstance(answer, BaseException):
            raise answer
        status, payload = answer
        return status, payload if isinstance(payload, bytes) else json.dumps(payload).encode()


@pytest.fixture
def script(monkeypatch):
    def install(answers):
        fake = Script(answers)
        monkeypatch.setattr(etcd_utils, 'http_request', fake)
        return fake

    return install


RANGE_FOO = {'header': {'revision': '7'}, 'kvs': [{'key': 'Zm9v', 'value': 'YmFy', 'create_revision': '3', 'mod_revision': '7', 'version': '2'}], 'count': '1'}


def test_failover_to_next_endpoint(script):
    fake = script({A: [urllib.error.URLError(ConnectionRefusedError(111, 'refused'))], B: [(200, RANGE_FOO)]})
    kv = EtcdClient([A, B]).get('foo')
    assert kv['value'] == 'bar' and kv['mod_revision'] == 7
    assert [c['url'] for c in fake.calls] == [A + '/v3/kv/range', B + '/v3/kv/range']


def test_unreachable_endpoint_is_tried_last_by_later_calls(script):
    # A timed-out member (a partition) costs one timeout per client, not one per request.
    fake = script({A: [urllib.error.URLError(socket.timeout('timed out'))], B: [(200, RANGE_FOO), (200, RANGE_FOO)]})
    client = EtcdClient([A, B, C])
    client.get('foo')
    client.get('foo')
    assert [c['url'] for c in fake.calls] == [A + '/v3/kv/range', B + '/v3/kv/range', B + '/v3/kv/range']
    assert client.endpoints == [B, C, A]


def test_http_failure_keeps_the_order(script):
    # An endpoint that answers (even with an error) is reachable: its place is kept.
    fake = script({A: [(503, {'error': 'etcdserver: no leader', 'message': 'etcdserver: no leader', 'code': 14}), (200, RANGE_FOO)], B: [(200, RANGE_FOO)]})
    client = EtcdClient([A, B])
    client.get('foo')
    client.get('foo')
    assert [c['url'] for c in fake.calls] == [A + '/v3/kv/range', B + '/v3/kv/range', A + '/v3/kv/range']
    assert client.endpoints == [A, B]


def test_all_endpoints_fail_names_each(script):
    script(
        {
            A: [urllib.error.URLError(ConnectionRefusedError(111, 'refused'))],
            B: [urllib.error.URLError(socket.timeout('timed out'))],
            C: [(503, {'error': 'etcdserver: no leader', 'message': 'etcdserver: no leader', 'code': 14})],
        }
    )
    with pytest.raises(EtcdError) as err:
        EtcdClient([A, B, C], timeout=3).get('foo')
    errors = err.value.endpoint_errors()
    assert set(errors) == {A, B, C}
    assert errors[A] == 'connection refused'
    assert errors[B] == 'timed out after 3s'
    assert '503' in errors[C] and 'no leader' in errors[C]
    text = str(err.value)
    for endpoint in (A, B, C):
        assert endpoint in text


def test_definitive_error_does_not_fail_over(script):
    fake = script({A: [(404, {'error': 'etcdserver: member not found', 'code': 5, 'message': 'etcdserver: member not found'})], B: []})
    with pytest.raises(EtcdError) as err:
        EtcdClient([A, B]).member_remove(42)
    assert err.value.code == 5
    assert 'member not found' in str(err.value)
    assert len(fake.calls) == 1
    assert fake.calls[0]['body'] == {'ID': '42'}


def test_non_json_4xx_fails_over(script):
    script({A: [(404, b'404 page not found')], B: [(200, RANGE_FOO)]})
    assert EtcdClient([A, B]).get('foo')['key'] == 'foo'


def test_get_missing_key_is_none(script):
    script({A: [(200, {'header': {'revision': '7'}})]})
    assert EtcdClient([A]).get('nope') is None


def test_put_bodies(script):
    fake = script({A: [(200, {'header': {'revision': '8'}})] * 3})
    client = EtcdClient([A])
    assert client.put('k', 'v') == 8
    client.put('k', 'v', lease=7587870591442530000)
    client.put('k', 'v', ignore_lease=True)
    plain, leased, keep = (c['body'] for c in fake.calls)
    assert plain == {'key': b64('k'), 'value': b64('v')}
    assert leased['lease'] == '7587870591442530000'  # int64 sent as a string
    assert keep.get('ignore_lease') is True and 'lease' not in keep


def test_put_if_mod_revision_txn(script):
    fake = script({A: [(200, {'header': {'revision': '9'}, 'succeeded': True}), (200, {'header': {'revision': '9'}})]})
    client = EtcdClient([A])
    assert client.put_if_mod_revision('k', 'v', 0) == (True, 9)
    assert client.put_if_mod_revision('k', 'v', 5) == (False, 9)  # "succeeded" absent means false
    body = fake.calls[0]['body']
    assert body['compare'] == [{'key': b64('k'), 'target': 'MOD', 'result': 'EQUAL', 'mod_revision': '0'}]
    assert body['success'] == [{'request_put': {'key': b64('k'), 'value': b64('v')}}]


def test_delete_counts(script):
    fake = script({A: [(200, {'header': {'revision': '10'}, 'deleted': '3'}), (200, {'header': {'revision': '10'}})]})
    client = EtcdClient([A])
    assert client.delete_prefix('/p/') == 3
    assert client.delete('/x') == 0
    assert base64.b64decode(fake.calls[0]['body']['range_end']) == b'/p0'


def test_member_add_parses_member_and_members(script):
    fake = script(
        {
            A: [
                (
                    200,
                    {
                        'header': {},
                        'member': {'ID': '18446744073709551615', 'peerURLs': ['http://n4:2380']},
                        'members': [
                            {'ID': '1', 'name': 'n1', 'peerURLs': ['http://n1:2380'], 'clientURLs': ['http://n1:2379']},
                            {'ID': '18446744073709551615', 'peerURLs': ['http://n4:2380']},
                        ],
                    },
                )
            ]
        }
    )
    added = EtcdClient([A]).member_add(['http://n4:2380'], is_learner=True)
    assert fake.calls[0]['body'] == {'peerURLs': ['http://n4:2380'], 'isLearner': True}
    assert added['member']['id'] == 2**64 - 1
    assert [m['name'] for m in added['members']] == ['n1', '']


def test_lease_grant_and_revoke(script):
    fake = script({A: [(200, {'header': {}, 'ID': '7587870591442530000', 'TTL': '60'}), (200, {'header': {}})]})
    client = EtcdClient([A])
    assert client.lease_grant(60) == 7587870591442530000
    client.lease_revoke(7587870591442530000)
    assert fake.calls[0]['body'] == {'TTL': 60}
    assert fake.calls[1]['body'] == {'ID': '7587870591442530000'}


def test_status_asks_only_that_endpoint(script):
    fake = script({A: [], B: [urllib.error.URLError(ConnectionRefusedError(111, 'refused'))]})
    with pytest.raises(EtcdError) as err:
        EtcdClient([A, B]).status(B)
    assert [c['url'] for c in fake.calls] == [B + '/v3/maintenance/status']
    assert err.value.endpoint_errors() == {B: 'connection refused'}


def test_health_never_raises(script):
    script({A: [urllib.error.URLError(ConnectionRefusedError(111, 'refused'))], B: [(200, b'{"health":"true"}')]})
    client = EtcdClient([A, B])
    assert client.health(A) == (False, 'connection refused')
    assert client.health(B) == (True, '')


def test_auth_token_sent_raw_and_refreshed(script):
    fake = script(
        {
            A: [
                (200, {'header': {}, 'token': 'tok1.22'}),
                (200, RANGE_FOO),
                (401, {'error': 'etcdserver: invalid auth token', 'code': 16, 'message': 'etcdserver: invalid auth token'}),
                (200, {'header': {}, 'token': 'tok2.23'}),
                (200, RANGE_FOO),
            ]
        }
    )
    client = EtcdClient([A], username='flannel', password='s3cret')
    client.get('foo')
    client.get('foo')
    urls = [c['url'].replace(A, '') for c in fake.calls]
    assert urls == ['/v3/auth/authenticate', '/v3/kv/range', '/v3/kv/range', '/v3/auth/authenticate', '/v3/kv/range']
    assert fake.calls[0]['body'] == {'name': 'flannel', 'password': 's3cret'}
    assert fake.calls[1]['headers']['Authorization'] == 'tok1.22'
    assert fake.calls[4]['headers']['Authorization'] == 'tok2.23'


def test_wrong_password_is_reported(script):
    script(
        {
            A: [
                (
                    400,
                    {
                        'error': 'etcdserver: authentication failed, invalid user ID or password',
                        'code': 3,
                        'message': 'etcdserver: authentication failed, invalid user ID or password',
                    },
                )
            ]
        }
    )
    with pytest.raises(EtcdError) as err:
        EtcdClient([A], username='flannel', password='bad').get('foo')
    assert 'authentication' in str(err.value) and 'invalid user ID or password' in str(err.value)


@pytest.mark.parametrize('endpoints', [['127.0.0.1:2379'], ['ftp://x'], [], ['http://']])
def test_invalid_endpoints(endpoints):
    with pytest.raises(EtcdError):
        EtcdClient(endpoints)


def test_endpoint_trailing_slash_dropped(script):
    fake = script({A: [(200, RANGE_FOO)]})
    EtcdClient([A + '/']).get('foo')
    assert fake.calls[0]['url'] == A + '/v3/kv/range'


# -- JSON comparison -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    'a, b, equal',
    [
        ({'a': 1, 'b': [1, 2]}, {'b': [1, 2], 'a': 1}, True),
        ({'a': 1}, {'a': 1.0}, True),
        ({'a': True}, {'a': 1}, False),
        ({'a': False}, {'a': 0}, False),
        ({'a': None}, {'a': 0}, False),
        ([1, 2], [2, 1], False),
        ({'a': '1'}, {'a': 1}, False),
        ({'a': {'b': []}}, {'a': {'b': []}}, True),
        ({'a': 1}, {'a': 1, 'b': None}, False),
    ],
)
def test_json_equal(a, b, equal):
    left, right = a, b
    assert json_equal(left, right) is equal
    assert json_equal(right, left) is equal  # symmetric


# -- argument spec -------------------------------------------------------------------------------


def test_argument_spec():
    spec = etcd_utils.etcd_argument_spec()
    assert spec['password'].get('no_log') is True
    assert spec['endpoints']['default'] == ['http://127.0.0.1:2379']
    assert spec['validate_certs']['default'] is True
    # a fresh list each call: modules may not share a mutable default
    assert spec['endpoints']['default'] is not etcd_utils.etcd_argument_spec()['endpoints']['default']


# -- TLS files ---------------------------------------------------------------------------------


def test_tls_file_problems_names_each_missing_option(tmp_path):
    ca = tmp_path / 'ca.crt'
    ca.write_text('pem')
    params = {'ca_cert': str(ca), 'client_cert': str(tmp_path / 'nope.crt'), 'client_key': str(tmp_path)}
    problems = tls_file_problems(params)
    assert problems == [
        'client_cert: %s does not exist' % (tmp_path / 'nope.crt'),
        'client_key: %s is not a file' % tmp_path,
    ]


def test_tls_file_problems_none_for_unset_or_present_files(tmp_path):
    for name in ('ca.crt', 'client.crt', 'client.key'):
        (tmp_path / name).write_text('pem')
    assert tls_file_problems({'ca_cert': None, 'client_cert': None, 'client_key': None}) == []
    assert (
        tls_file_problems({'ca_cert': str(tmp_path / 'ca.crt'), 'client_cert': str(tmp_path / 'client.crt'), 'client_key': str(tmp_path / 'client.key')}) == []
    )


def test_tls_file_problems_unreadable(tmp_path, monkeypatch):
    key = tmp_path / 'client.key'
    key.write_text('pem')
    monkeypatch.setattr(etcd_utils.os, 'access', lambda path, mode: False)
    assert tls_file_problems({'client_key': str(key)}) == ['client_key: %s is not readable by this user' % key]
