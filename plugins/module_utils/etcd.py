# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""A small client for etcd's v3 API through its JSON gRPC gateway.

etcd (3.4 and later) serves every v3 RPC as ``POST <endpoint>/v3/<service>/<method>`` with a JSON
body on its client URLs, next to the native gRPC protocol.  This module talks to that gateway with
:mod:`ansible.module_utils.urls` only, on purpose:

* the ``etcd3`` Python library needs generated protobuf code that does not import with current
  ``protobuf`` releases, and it pulls ``grpcio`` onto every node;
* ``requests`` is not on minimal Debian nodes either, while ``ansible.module_utils.urls`` ships
  with every module and already handles TLS, client certificates and CA bundles.

Gateway conventions that the helpers below take care of:

* keys and values travel base64-encoded (``b64``/``unb64``);
* 64-bit integers (revisions, member and lease IDs, sizes) come back as JSON *strings*;
* fields holding a zero value (``0``, ``false``, empty list) are left out of responses;
* errors come back with an HTTP status mapped from the gRPC code and a body such as
  ``{"error": "etcdserver: member not found", "code": 5, "message": "..."}``;
* with authentication on, ``/v3/auth/authenticate`` returns a token that is sent back as the raw
  value of the ``Authorization`` header (no ``Bearer`` prefix).

Every request is tried on the configured endpoints in order until one answers.  Errors that the
cluster would give on any member (a missing member, an invalid argument, a permission problem) stop
at once; transport failures and "unavailable" style errors move on to the next endpoint.  When no
endpoint answers, :class:`EtcdError` names each endpoint with the reason it failed.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import socket
import ssl
import urllib.error
from typing import Any, Callable, Dict, List, Optional, Tuple, Union

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_bytes, to_native, to_text
from ansible.module_utils.urls import ConnectionError as UrlsConnectionError
from ansible.module_utils.urls import SSLValidationError, open_url


DEFAULT_ENDPOINTS = ['http://127.0.0.1:2379']

# gRPC status codes (https://grpc.github.io/grpc/core/md_doc_statuscodes.html) that etcd returns for
# requests that would fail the same way on every member.  Anything else (UNAVAILABLE "no leader",
# DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, INTERNAL, ...) makes the client try the next endpoint.
GRPC_CODE_NAMES = {
    0: 'OK',
    1: 'CANCELLED',
    2: 'UNKNOWN',
    3: 'INVALID_ARGUMENT',
    4: 'DEADLINE_EXCEEDED',
    5: 'NOT_FOUND',
    6: 'ALREADY_EXISTS',
    7: 'PERMISSION_DENIED',
    8: 'RESOURCE_EXHAUSTED',
    9: 'FAILED_PRECONDITION',
    10: 'ABORTED',
    11: 'OUT_OF_RANGE',
    12: 'UNIMPLEMENTED',
    13: 'INTERNAL',
    14: 'UNAVAILABLE',
    15: 'DATA_LOSS',
    16: 'UNAUTHENTICATED',
}
DEFINITIVE_GRPC_CODES = frozenset((3, 5, 6, 7, 9, 11, 16))
GRPC_UNAUTHENTICATED = 16


class EtcdError(Exception):
    """An etcd request failed.

    ``failures`` lists ``(endpoint, reason)`` for every endpoint that was tried; ``code`` is the
    gRPC status code when etcd itself answered with an error, ``None`` otherwise.
    """

    def __init__(self, message, failures=None, code=None, http_status=None):
        self.message = message
        self.failures = list(failures or [])
        self.code = code
        self.http_status = http_status
        super().__init__(self.__str__())

    def __str__(self):
        failures = self.failures
        if self.code is not None:
            # etcd itself refused: the message already names that endpoint, list the ones before.
            failures = failures[:-1]
        if not failures:
            return self.message
        details = '; '.join('%s: %s' % (endpoint, reason) for endpoint, reason in failures)
        if self.code is not None:
            return '%s (after %s)' % (self.message, details)
        return '%s (%s)' % (self.message, details)

    def endpoint_errors(self) -> Dict[str, str]:
        """Per-endpoint reasons as a dict, for fail_json()."""
        return dict(self.failures)


class EtcdHTTPFailure(Exception):
    """One endpoint answered with an HTTP error; ``reason`` is ready for EtcdError.failures."""

    def __init__(self, reason, http_status, code=None, etcd_message=None):
        self.reason = reason
        self.http_status = http_status
        self.code = code
        self.etcd_message = etcd_message
        super().__init__(reason)

    @property
    def definitive(self) -> bool:
        """True when every other member would give the same answer (no point failing over)."""
        return self.code in DEFINITIVE_GRPC_CODES


# --------------------------------------------------------------------------------------------------
# Pure helpers: encoding, request bodies, response parsing, error mapping (no network).
# --------------------------------------------------------------------------------------------------


def b64(value: Union[str, bytes]) -> str:
    """Base64 of a text or bytes value (text is UTF-8 encoded first), as a str."""
    return to_native(base64.b64encode(to_bytes(value, errors='surrogate_or_strict')))


def unb64_bytes(value: Optional[str]) -> bytes:
    """Decode a base64 string from the gateway; a missing field is b''."""
    if not value:
        return b''
    return base64.b64decode(value)


def unb64(value: Optional[str]) -> str:
    """Decode a base64 string from the gateway to text (invalid UTF-8 is replaced, not raised)."""
    return to_text(unb64_bytes(value), errors='surrogate_then_replace')


def to_int(value: Any) -> int:
    """An int64/uint64 field of a gateway response: JSON string, number, or absent (zero)."""
    if value is None or value == '':
        return 0
    return int(value)


def prefix_range_end(prefix: bytes) -> bytes:
    """The range_end that selects every key starting with ``prefix`` (bytes).

    As etcd's clientv3 does: drop trailing 0xff bytes, add one to the last remaining byte.  With
    nothing left (empty prefix or only 0xff bytes) the answer is b'\\x00', which etcd reads as
    "every key from ``key`` on".
    """
    end = bytearray(to_bytes(prefix, errors='surrogate_or_strict'))
    while end:
        if end[-1] < 0xFF:
            end[-1] += 1
            return bytes(end)
        end.pop()
    return b'\x00'


def range_body(key: Union[str, bytes], prefix: bool = False, keys_only: bool = False, count_only: bool = False) -> Dict[str, Any]:
    """Body for /v3/kv/range (and the ``request_range`` of a txn)."""
    key = to_bytes(key, errors='surrogate_or_strict')
    if prefix:
        if not key:
            # etcd's convention for "all keys": key and range_end both "\0".
            body = {'key': b64(b'\x00'), 'range_end': b64(b'\x00')}
        else:
            body = {'key': b64(key), 'range_end': b64(prefix_range_end(key))}
    else:
        body = {'key': b64(key)}
    if keys_only:
        body['keys_only'] = True
    if count_only:
        body['count_only'] = True
    return body


def put_body(
    key: Union[str, bytes], value: Union[str, bytes], lease: Optional[int] = None, ignore_lease: bool = False, prev_kv: bool = False
) -> Dict[str, Any]:
    """Body for /v3/kv/put (and the ``request_put`` of a txn).

    ``lease=None`` with ``ignore_lease=True`` keeps whatever lease the key already has (etcd
    refuses ``ignore_lease`` for a key that does not exist).  ``lease=0`` detaches the key.
    """
    body = {'key': b64(key), 'value': b64(value)}
    if ignore_lease:
        body['ignore_lease'] = True
    elif lease:
        body['lease'] = str(int(lease))
    if prev_kv:
        body['prev_kv'] = True
    return body


def delete_body(key: Union[str, bytes], prefix: bool = False, prev_kv: bool = False) -> Dict[str, Any]:
    """Body for /v3/kv/deleterange."""
    body = range_body(key, prefix=prefix)
    if prev_kv:
        body['prev_kv'] = True
    return body


def compare_mod_revision(key: Union[str, bytes], mod_revision: int) -> Dict[str, Any]:
    """A txn compare: the key's mod_revision equals ``mod_revision`` (0: the key does not exist)."""
    return {'key': b64(key), 'target': 'MOD', 'result': 'EQUAL', 'mod_revision': str(int(mod_revision))}


def txn_body(compare: List[Dict[str, Any]], success: List[Dict[str, Any]], failure: Optional[List[Dict[str, Any]]] = None) -> Dict[str, Any]:
    """Body for /v3/kv/txn; ``success``/``failure`` are lists of {'request_put': ...} etc."""
    body = {'compare': list(compare), 'success': list(success)}
    if failure:
        body['failure'] = list(failure)
    return body


def member_add_body(peer_urls: List[str], is_learner: bool = False) -> Dict[str, Any]:
    body = {'peerURLs': list(peer_urls)}
    if is_learner:
        body['isLearner'] = True
    return body


def member_remove_body(member_id: int) -> Dict[str, Any]:
    return {'ID': str(int(member_id))}


def lease_grant_body(ttl: int, lease_id: int = 0) -> Dict[str, Any]:
    body = {'TTL': int(ttl)}
    if lease_id:
        body['ID'] = str(int(lease_id))
    return body


def lease_revoke_body(lease_id: int) -> Dict[str, Any]:
    return {'ID': str(int(lease_id))}


def authenticate_body(username: str, password: str) -> Dict[str, str]:
    return {'name': username, 'password': password}


def parse_header(header: Optional[Dict[str, Any]]) -> Dict[str, int]:
    header = header or {}
    return {
        'cluster_id': to_int(header.get('cluster_id')),
        'member_id': to_int(header.get('member_id')),
        'revision': to_int(header.get('revision')),
        'raft_term': to_int(header.get('raft_term')),
    }


def parse_kv(kv: Dict[str, Any]) -> Dict[str, Any]:
    """A KeyValue of a range response as a plain dict with ints and text."""
    return {
        'key': unb64(kv.get('key')),
        'value': unb64(kv.get('value')),
        'create_revision': to_int(kv.get('create_revision')),
        'mod_revision': to_int(kv.get('mod_revision')),
        'version': to_int(kv.get('version')),
        'lease': to_int(kv.get('lease')),
    }


def parse_range(response: Dict[str, Any]) -> List[Dict[str, Any]]:
    """kvs of a range response (possibly none)."""
    return [parse_kv(kv) for kv in response.get('kvs') or []]


def _pick(data, *names):
    """First present field among the proto name and its lowerCamel/snake variants."""
    for name in names:
        if name in data:
            return data[name]
    return None


def parse_member(member: Dict[str, Any]) -> Dict[str, Any]:
    return {
        'id': to_int(_pick(member, 'ID', 'id')),
        'name': member.get('name') or '',
        'peer_urls': list(_pick(member, 'peerURLs', 'peer_urls', 'peerUrls') or []),
        'client_urls': list(_pick(member, 'clientURLs', 'client_urls', 'clientUrls') or []),
        'is_learner': bool(_pick(member, 'isLearner', 'is_learner')),
    }


def parse_members(response: Dict[str, Any]) -> List[Dict[str, Any]]:
    return [parse_member(m) for m in response.get('members') or []]


def parse_status(response: Dict[str, Any]) -> Dict[str, Any]:
    header = parse_header(response.get('header'))
    return {
        'version': response.get('version') or '',
        'db_size': to_int(_pick(response, 'dbSize', 'db_size')),
        'db_size_in_use': to_int(_pick(response, 'dbSizeInUse', 'db_size_in_use')),
        'leader': to_int(response.get('leader')),
        'raft_term': to_int(_pick(response, 'raftTerm', 'raft_term')),
        'raft_index': to_int(_pick(response, 'raftIndex', 'raft_index')),
        'is_learner': bool(_pick(response, 'isLearner', 'is_learner')),
        'member_id': header['member_id'],
        'cluster_id': header['cluster_id'],
        'revision': header['revision'],
        'errors': list(response.get('errors') or []),
    }


def parse_health(status: int, body: Any) -> Tuple[bool, str]:
    """(healthy, reason) from GET /health: {"health": "true"} or {"health": "false", "reason": ...}."""
    try:
        data = json.loads(to_text(body, errors='surrogate_then_replace'))
    except ValueError:
        data = None
    if not isinstance(data, dict) or 'health' not in data:
        snippet = to_text(body, errors='surrogate_then_replace').strip()[:200]
        return False, 'HTTP %s from /health: %s' % (status, snippet or 'empty body')
    healthy = str(data.get('health')).lower() == 'true'
    if healthy and status == 200:
        return True, ''
    return False, data.get('reason') or 'etcd reports itself unhealthy (HTTP %s)' % status


def parse_error_body(http_status: int, body: Any) -> EtcdHTTPFailure:
    """Map an HTTP error response to EtcdHTTPFailure (gRPC code and etcd's message when present)."""
    text = to_text(body or b'', errors='surrogate_then_replace').strip()
    try:
        data = json.loads(text) if text else None
    except ValueError:
        data = None
    if isinstance(data, dict) and ('code' in data or 'error' in data or 'message' in data):
        message = data.get('message') or data.get('error') or ''
        code = data.get('code')
        try:
            code = int(code) if code is not None else None
        except (TypeError, ValueError):
            code = None
        reason = 'HTTP %s' % http_status
        if code is not None:
            reason += ' (%s)' % GRPC_CODE_NAMES.get(code, 'code %s' % code)
        if message:
            reason += ': %s' % message
        return EtcdHTTPFailure(reason, http_status, code=code, etcd_message=message)
    # Not etcd's gateway speaking (wrong port or scheme, a proxy, ...): not definitive.
    reason = 'HTTP %s' % http_status
    if text:
        reason += ': %s' % ' '.join(text.split())[:200]
    if 'CommonName of client' in text:
        # etcd's guard in embed/serve.go: client-cert-auth + authentication + a certificate with a CN.
        reason += ' (with etcd authentication on, the gateway only accepts client certificates without CommonName)'
    return EtcdHTTPFailure(reason, http_status)


def describe_transport_error(exc: BaseException, timeout: Optional[float] = None) -> str:
    """A short reason for a failure below HTTP (refused, timeout, TLS, DNS, ...)."""
    reason = exc
    # urllib wraps the socket-level error in URLError.reason.
    while isinstance(reason, urllib.error.URLError) and not isinstance(reason, urllib.error.HTTPError):
        inner = reason.reason
        if isinstance(inner, BaseException):
            reason = inner
        else:
            return 'connection failed: %s' % to_native(inner)
    if isinstance(reason, (ssl.SSLError, ssl.CertificateError, SSLValidationError)):
        detail = to_native(getattr(reason, 'verify_message', None) or getattr(reason, 'reason', None) or reason)
        if 'EOF' in detail or 'WRONG_VERSION_NUMBER' in detail:
            detail += ' (is this a plain http:// endpoint?)'
        elif 'BAD_CERTIFICATE' in detail or 'CERTIFICATE_REQUIRED' in detail:
            detail += ' (the server wants a client certificate it trusts: client_cert, client_key)'
        return 'TLS error: %s' % detail
    if isinstance(reason, ConnectionRefusedError):
        return 'connection refused'
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return 'timed out after %ss' % timeout if timeout is not None else 'timed out'
    if isinstance(reason, socket.gaierror):
        return 'name resolution failed: %s' % (reason.strerror or to_native(reason))
    if isinstance(reason, ConnectionResetError):
        return 'connection reset by peer (TLS endpoint spoken to over plain HTTP?)'
    if isinstance(reason, http.client.RemoteDisconnected):
        return 'connection closed without a response (plain HTTP to a TLS endpoint?)'
    if isinstance(reason, FileNotFoundError):
        return 'file not found: %s' % (reason.filename or to_native(reason))
    if isinstance(reason, OSError) and reason.strerror:
        return 'connection failed: %s' % reason.strerror
    if isinstance(reason, UrlsConnectionError):
        return 'connection failed: %s' % to_native(reason)
    return '%s: %s' % (type(reason).__name__, to_native(reason))


def json_equal(a: Any, b: Any) -> bool:
    """Compare decoded JSON data the way JSON sees it.

    Unlike Python's ``==``, ``true`` is not ``1`` and ``false`` is not ``0``; numbers compare by
    value (``1`` equals ``1.0``), objects regardless of key order, arrays in order.
    """
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b))
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    return False


def parse_json(text: Any) -> Tuple[bool, Any]:
    """``(True, data)`` for valid JSON text, ``(False, None)`` otherwise."""
    try:
        return True, json.loads(text)
    except (TypeError, ValueError):
        return False, None


def normalize_endpoint(endpoint: str) -> str:
    """Validate one endpoint URL; drop a trailing slash."""
    endpoint = to_text(endpoint).strip()
    if not endpoint.startswith(('http://', 'https://')) or len(endpoint.split('://', 1)[1].strip('/')) == 0:
        raise EtcdError('invalid etcd endpoint %r: expected a URL such as http://192.0.2.10:2379' % endpoint)
    return endpoint.rstrip('/')


TLS_FILE_OPTIONS = ('ca_cert', 'client_cert', 'client_key')


def tls_file_problems(params: Dict[str, Any]) -> List[str]:
    """One message per TLS file option (ca_cert, client_cert, client_key) that cannot be used.

    Checked before any request, so a wrong path is reported by option name and path instead of as
    a TLS failure on every endpoint (Python's ssl errors do not name the file).
    """
    problems = []
    for option in TLS_FILE_OPTIONS:
        path = params.get(option)
        if not path:
            continue
        if not os.path.exists(path):
            problems.append('%s: %s does not exist' % (option, path))
        elif not os.path.isfile(path):
            problems.append('%s: %s is not a file' % (option, path))
        elif not os.access(path, os.R_OK):
            problems.append('%s: %s is not readable by this user' % (option, path))
    return problems


# --------------------------------------------------------------------------------------------------
# HTTP: the one function that talks to the network.  Unit tests replace it.
# --------------------------------------------------------------------------------------------------


def http_request(
    method: str, url: str, body: Optional[bytes] = None, headers: Optional[Dict[str, str]] = None, timeout: float = 5, tls: Optional[Dict[str, Any]] = None
) -> Tuple[int, bytes]:
    """Send one HTTP request; return ``(status, body_bytes)`` for every HTTP answer.

    Errors below HTTP (refused, timeout, TLS, ...) are raised as they come from urllib; the
    caller turns them into reasons with :func:`describe_transport_error`.
    """
    tls = tls or {}
    data = None if body is None else to_bytes(json.dumps(body))
    all_headers = {'Content-Type': 'application/json'} if data is not None else {}
    all_headers.update(headers or {})
    try:
        response = open_url(
            url,
            data=data,
            headers=all_headers,
            method=method,
            timeout=timeout,
            validate_certs=tls.get('validate_certs', True),
            ca_path=tls.get('ca_cert'),
            client_cert=tls.get('client_cert'),
            client_key=tls.get('client_key'),
            use_proxy=False,
            follow_redirects='none',
            http_agent='podnet.flannel-etcd',
            use_netrc=False,
        )
        return response.getcode(), response.read()
    except urllib.error.HTTPError as exc:
        try:
            content = exc.read()
        except Exception:  # pylint: disable=broad-except
            content = b''
        return exc.code, content


# --------------------------------------------------------------------------------------------------
# Client
# --------------------------------------------------------------------------------------------------


class EtcdClient:
    """etcd v3 over the JSON gateway, with failover across ``endpoints``."""

    def __init__(self, endpoints, timeout=5, ca_cert=None, client_cert=None, client_key=None, validate_certs=True, username=None, password=None):
        if isinstance(endpoints, (str, bytes)):
            endpoints = [endpoints]
        self.endpoints = [normalize_endpoint(e) for e in endpoints or []]
        if not self.endpoints:
            raise EtcdError('no etcd endpoint given')
        if client_key and not client_cert:
            raise EtcdError('client_key needs client_cert')
        if password is not None and not username:
            raise EtcdError('password needs username')
        if username and password is None:
            raise EtcdError('username needs password')
        self.timeout = timeout
        self.tls = {'ca_cert': ca_cert, 'client_cert': client_cert, 'client_key': client_key, 'validate_certs': validate_certs}
        self.username = username
        self.password = password
        self._tokens = {}

    # -- transport -----------------------------------------------------------------------------

    def _request(self, endpoint, method, path, body=None, headers=None):
        """One request to one endpoint: parsed JSON dict, or EtcdHTTPFailure / transport exception."""
        status, content = http_request(method, endpoint + path, body=body, headers=headers, timeout=self.timeout, tls=self.tls)
        if status >= 400 or status < 200:
            raise parse_error_body(status, content)
        text = to_text(content or b'', errors='surrogate_then_replace').strip()
        if not text:
            return {}
        try:
            data = json.loads(text)
        except ValueError:
            raise EtcdHTTPFailure('HTTP %s but the answer is not JSON: %s' % (status, text[:200]), status)
        if not isinstance(data, dict):
            raise EtcdHTTPFailure('HTTP %s but the answer is not a JSON object' % status, status)
        return data

    def _token(self, endpoint, refresh=False):
        if not self.username:
            return None
        if refresh or endpoint not in self._tokens:
            try:
                data = self._request(endpoint, 'POST', '/v3/auth/authenticate', authenticate_body(self.username, self.password))
            except EtcdHTTPFailure as exc:
                exc.reason = 'authentication as %r failed: %s' % (self.username, exc.reason)
                raise
            token = data.get('token')
            if not token:
                raise EtcdHTTPFailure('authentication returned no token', 200)
            self._tokens[endpoint] = token
        return self._tokens[endpoint]

    def _call_one(self, endpoint, path, body):
        """POST to one endpoint with auth (re-authenticating once on an expired token)."""
        for attempt in (0, 1):
            token = self._token(endpoint, refresh=attempt > 0)
            headers = {'Authorization': token} if token else None
            try:
                return self._request(endpoint, 'POST', path, body, headers)
            except EtcdHTTPFailure as exc:
                if token and exc.code == GRPC_UNAUTHENTICATED and attempt == 0:
                    continue
                raise
        raise AssertionError('unreachable')  # pragma: no cover

    def _failure_reason(self, exc):
        if isinstance(exc, EtcdHTTPFailure):
            return exc.reason
        return describe_transport_error(exc, self.timeout)

    def call(self, path: str, body: Optional[Dict[str, Any]] = None, endpoints: Optional[List[str]] = None) -> Dict[str, Any]:
        """POST ``body`` to ``path`` on the first endpoint that answers; the parsed JSON dict.

        Endpoints that did not answer (below HTTP: refused, timed out, TLS) go to the end of the
        client's list for its later calls, so one module run waits out a dead or partitioned
        member once, not once per request.
        """
        failures = []
        unreachable = []
        for endpoint in endpoints or self.endpoints:
            try:
                answer = self._call_one(endpoint, path, {} if body is None else body)
            except EtcdHTTPFailure as exc:
                failures.append((endpoint, exc.reason))
                if exc.definitive:
                    raise EtcdError('etcd at %s refused %s: %s' % (endpoint, path, exc.reason), failures, code=exc.code, http_status=exc.http_status)
            except EtcdError:
                raise
            except Exception as exc:  # pylint: disable=broad-except
                failures.append((endpoint, describe_transport_error(exc, self.timeout)))
                unreachable.append(endpoint)
            else:
                if unreachable and endpoints is None:
                    self.endpoints = [e for e in self.endpoints if e not in unreachable] + unreachable
                return answer
        if len(failures) == 1:
            message = 'etcd endpoint failed for %s' % path
        else:
            message = 'all %d etcd endpoints failed for %s' % (len(failures), path)
        raise EtcdError(message, failures)

    # -- keys ----------------------------------------------------------------------------------

    def range(self, key: Union[str, bytes], prefix: bool = False) -> Tuple[List[Dict[str, Any]], int]:
        """(kvs, header revision) of a key or a prefix."""
        data = self.call('/v3/kv/range', range_body(key, prefix=prefix))
        return parse_range(data), parse_header(data.get('header'))['revision']

    def get(self, key: Union[str, bytes]) -> Optional[Dict[str, Any]]:
        kvs = self.range(key)[0]
        return kvs[0] if kvs else None

    def get_prefix(self, prefix: Union[str, bytes]) -> List[Dict[str, Any]]:
        return self.range(prefix, prefix=True)[0]

    def put(self, key: Union[str, bytes], value: Union[str, bytes], lease: Optional[int] = None, ignore_lease: bool = False) -> int:
        data = self.call('/v3/kv/put', put_body(key, value, lease=lease, ignore_lease=ignore_lease))
        return parse_header(data.get('header'))['revision']

    def put_if_mod_revision(
        self, key: Union[str, bytes], value: Union[str, bytes], mod_revision: int, lease: Optional[int] = None, ignore_lease: bool = False
    ) -> Tuple[bool, int]:
        """Put only if the key's mod_revision is still ``mod_revision`` (0: key absent).

        Returns ``(succeeded, revision)``.
        """
        body = txn_body([compare_mod_revision(key, mod_revision)], [{'request_put': put_body(key, value, lease=lease, ignore_lease=ignore_lease)}])
        data = self.call('/v3/kv/txn', body)
        return bool(data.get('succeeded')), parse_header(data.get('header'))['revision']

    def delete_range(self, key: Union[str, bytes], prefix: bool = False) -> Tuple[int, int]:
        """(number deleted, header revision) for a key or a prefix."""
        data = self.call('/v3/kv/deleterange', delete_body(key, prefix=prefix))
        return to_int(data.get('deleted')), parse_header(data.get('header'))['revision']

    def delete(self, key: Union[str, bytes]) -> int:
        return self.delete_range(key)[0]

    def delete_prefix(self, prefix: Union[str, bytes]) -> int:
        return self.delete_range(prefix, prefix=True)[0]

    def revision(self) -> int:
        data = self.call('/v3/maintenance/status', {})
        return parse_header(data.get('header'))['revision']

    # -- leases --------------------------------------------------------------------------------

    def lease_grant(self, ttl: int) -> int:
        """Grant a lease of ``ttl`` seconds; its ID (int)."""
        data = self.call('/v3/lease/grant', lease_grant_body(ttl))
        if data.get('error'):
            raise EtcdError('lease grant failed: %s' % data['error'])
        return to_int(data.get('ID'))

    def lease_revoke(self, lease_id: int) -> None:
        self.call('/v3/lease/revoke', lease_revoke_body(lease_id))

    # -- membership ----------------------------------------------------------------------------

    def member_list(self, endpoints: Optional[List[str]] = None) -> List[Dict[str, Any]]:
        """Members of the cluster; ``endpoints`` overrides the order of endpoints to try."""
        return parse_members(self.call('/v3/cluster/member/list', {}, endpoints=endpoints))

    def member_add(self, peer_urls: List[str], is_learner: bool = False) -> Dict[str, Any]:
        data = self.call('/v3/cluster/member/add', member_add_body(peer_urls, is_learner))
        return {'member': parse_member(data.get('member') or {}), 'members': parse_members(data)}

    def member_remove(self, member_id: int) -> List[Dict[str, Any]]:
        """Remove a member; the remaining members."""
        return parse_members(self.call('/v3/cluster/member/remove', member_remove_body(member_id)))

    # -- per-endpoint health -------------------------------------------------------------------

    def status(self, endpoint: str) -> Dict[str, Any]:
        """/v3/maintenance/status of that one endpoint (no failover)."""
        endpoint = normalize_endpoint(endpoint)
        return parse_status(self.call('/v3/maintenance/status', {}, endpoints=[endpoint]))

    def health(self, endpoint: str) -> Tuple[bool, str]:
        """(healthy, reason) from GET /health of that one endpoint; never raises for etcd errors."""
        endpoint = normalize_endpoint(endpoint)
        try:
            status, content = http_request('GET', endpoint + '/health', timeout=self.timeout, tls=self.tls)
        except Exception as exc:  # pylint: disable=broad-except
            return False, describe_transport_error(exc, self.timeout)
        return parse_health(status, content)


# --------------------------------------------------------------------------------------------------
# Module glue
# --------------------------------------------------------------------------------------------------


def etcd_argument_spec() -> Dict[str, Any]:
    """The connection options every etcd module takes (see doc fragment podnet.flannel.etcd)."""
    return {
        'endpoints': {'type': 'list', 'elements': 'str', 'default': list(DEFAULT_ENDPOINTS)},
        'timeout': {'type': 'int', 'default': 5},
        'ca_cert': {'type': 'path'},
        'client_cert': {'type': 'path'},
        'client_key': {'type': 'path'},
        'validate_certs': {'type': 'bool', 'default': True},
        'username': {'type': 'str'},
        'password': {'type': 'str', 'no_log': True},
    }


ETCD_REQUIRED_TOGETHER = [['username', 'password']]
ETCD_REQUIRED_BY = {'client_key': 'client_cert'}


def client_from_module(module: Any) -> EtcdClient:
    """An EtcdClient from the module's connection options; fail_json on invalid options."""
    params = module.params
    problems = tls_file_problems(params)
    if problems:
        module.fail_json(msg='%s; give the path of a PEM file on the host the module runs on.' % '; '.join(problems), endpoints=params['endpoints'])
    try:
        return EtcdClient(
            params['endpoints'],
            timeout=params['timeout'],
            ca_cert=params['ca_cert'],
            client_cert=params['client_cert'],
            client_key=params['client_key'],
            validate_certs=params['validate_certs'],
            username=params['username'],
            password=params['password'],
        )
    except EtcdError as exc:
        module.fail_json(msg=to_native(exc), endpoints=params['endpoints'])
    return None  # not reached: fail_json exits


def fail_from_error(module: Any, exc: EtcdError, msg: Optional[str] = None, **context: Any) -> None:
    """fail_json() for an EtcdError with the endpoints and per-endpoint reasons as context."""
    text = to_native(exc)
    module.fail_json(
        msg='%s: %s' % (msg, text) if msg else text,
        endpoints=module.params.get('endpoints'),
        endpoint_errors=exc.endpoint_errors(),
        etcd_code=GRPC_CODE_NAMES.get(exc.code) if exc.code is not None else None,
        **context,
    )


def etcd_module(argument_spec: Optional[Dict[str, Any]] = None, **kwargs: Any) -> AnsibleModule:
    """The AnsibleModule of an etcd module: the connection options plus ``argument_spec``, check mode,
    and the connection options' required_together / required_by; ``kwargs`` go to AnsibleModule."""
    spec = etcd_argument_spec()
    spec.update(argument_spec or {})
    return AnsibleModule(argument_spec=spec, supports_check_mode=True, required_together=ETCD_REQUIRED_TOGETHER, required_by=ETCD_REQUIRED_BY, **kwargs)


def run_etcd(module: Any, work: Callable[[EtcdClient], Dict[str, Any]], msg: str, **context: Any) -> None:
    """The rest of an etcd module's main: a client from the module's options, ``work(client)``, exit_json
    with its result. An EtcdError fails with ``msg`` and ``context`` (fail_from_error)."""
    client = client_from_module(module)
    try:
        result = work(client)
    except EtcdError as exc:
        fail_from_error(module, exc, msg=msg, **context)
    module.exit_json(**result)
