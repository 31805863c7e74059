# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # Connection options shared by the etcd modules (module_utils etcd_argument_spec()).
    DOCUMENTATION = r"""
options:
  endpoints:
    description:
      - etcd client URLs, such as V(http://192.0.2.11:2379) or V(https://etcd1.example.com:2379).
      - Each request goes to the first endpoint that answers; the others are tried in order when an
        endpoint is unreachable, times out, fails TLS or reports itself unavailable.
      - When no endpoint answers, the error names every endpoint with the reason it failed.
    type: list
    elements: str
    default: ['http://127.0.0.1:2379']
  timeout:
    description:
      - Timeout in seconds for each HTTP request to one endpoint.
    type: int
    default: 5
  ca_cert:
    description:
      - PEM file with the CA certificate(s) that signed the etcd server certificates, for V(https://) endpoints.
      - Without it the system trust store is used.
    type: path
  client_cert:
    description:
      - PEM client certificate, for etcd started with C(--client-cert-auth) (the default of the
        podnet.flannel.etcd role, which installs one at C(/etc/podnet-flannel/pki/client.crt)).
      - A path that does not exist or cannot be read fails the module before any request.
    type: path
  client_key:
    description:
      - PEM private key of O(client_cert), when the certificate file does not contain it.
    type: path
  validate_certs:
    description:
      - Verify the server certificate of V(https://) endpoints.
      - Only set to V(false) in throw-away labs.
    type: bool
    default: true
  username:
    description:
      - etcd user, when etcd authentication is enabled.
      - The module authenticates on each endpoint it uses and sends the token with each request.
    type: str
  password:
    description:
      - Password of O(username).
    type: str
notes:
  - The modules speak etcd's v3 JSON gateway (C(/v3/...)) with Ansible's own HTTP code and need
    neither the C(etcd3) nor the C(requests) Python library. etcd 3.4 or later is required.
  - HTTP(S) proxy environment variables are ignored, etcd endpoints are always contacted directly.
  - When etcd runs with C(--client-cert-auth) B(and) authentication is enabled, its JSON gateway
    refuses client certificates that carry a CommonName (HTTP 400 "CommonName of client sending a
    request against gateway will be ignored"); use a client certificate without CN together with
    O(username) and O(password).
requirements:
  - etcd 3.4 or later, reachable from the host the module runs on.
"""
