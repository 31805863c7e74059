# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write to etcd every ``interval`` seconds until a stop file appears; log every attempt as JSON.

Used by tests/integration/rotate/ca.yml while the CA is rotated: each attempt puts one key
through etcd's JSON gateway, trying the endpoints in order (as the collection's modules do), with
a TLS context built again from the files on disk (so new CA bundles and client certificates are
picked up the moment the roles install them). An attempt that fails on every endpoint means the
cluster could not take a write at that moment.

usage: etcd_write_loop.py ENDPOINTS(comma separated) PKI_DIR|- OUT_JSON STOP_FILE [INTERVAL]
"""

import base64
import json
import os
import ssl
import sys
import time
import urllib.request


def tls_context(pki_dir):
    """A client context from PKI_DIR/{ca,client}.crt, client.key; a pair caught mid-update is retried."""
    error = None
    for _attempt in range(5):
        try:
            context = ssl.create_default_context(cafile=os.path.join(pki_dir, 'ca.crt'))
            context.load_cert_chain(os.path.join(pki_dir, 'client.crt'), os.path.join(pki_dir, 'client.key'))
            return context
        except (OSError, ssl.SSLError) as exc:
            error = exc
            time.sleep(0.2)
    raise error


def put(endpoint, context, counter):
    body = json.dumps(
        {
            'key': base64.b64encode(b'/podnet-test/rotate/write-loop').decode(),
            'value': base64.b64encode(str(counter).encode()).decode(),
        }
    ).encode()
    request = urllib.request.Request(endpoint + '/v3/kv/put', data=body, headers={'Content-Type': 'application/json'}, method='POST')
    with urllib.request.urlopen(request, context=context, timeout=2) as response:
        return json.loads(response.read() or b'{}')


def main(argv):
    endpoints = [e.rstrip('/') for e in argv[1].split(',') if e]
    pki_dir, out_path, stop_path = argv[2], argv[3], argv[4]
    interval = float(argv[5]) if len(argv) > 5 else 0.25
    log = []
    counter = 0
    while not os.path.exists(stop_path):
        counter += 1
        started = time.time()
        ok, errors = False, []
        try:
            context = tls_context(pki_dir) if pki_dir != '-' else None
        except (OSError, ssl.SSLError) as exc:
            context, errors = None, ['client files: %s' % exc]
        if context is not None or pki_dir == '-':
            for endpoint in endpoints:
                try:
                    put(endpoint, context, counter)
                    ok = True
                    break
                except Exception as exc:  # pylint: disable=broad-except
                    errors.append('%s: %s' % (endpoint, exc))
        log.append({'t': round(started, 3), 'ok': ok, 'errors': [] if ok else errors})
        time.sleep(interval)
    with open(out_path, 'w') as handle:
        json.dump(log, handle)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
