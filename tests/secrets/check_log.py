# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Look for secrets in the output of an Ansible run (e.g. ``ansible-playbook -vvv ... > run.log``).

usage: check_log.py LOG [--pki DIR]... [--secret TEXT]...

Fails (exit 1, naming what leaked and where) when the log holds
  * a PEM private key marker (``PRIVATE KEY-----``);
  * material of any private key (``*.key``) under a --pki directory: each PEM body line that
    carries private bytes, the whole base64 body on one line, the private value in hex or decimal
    (the public key, which modules report on purpose, is not a secret and not searched for);
  * any --secret text (a password given to the run).
"""

from __future__ import annotations

import argparse
import base64
import os
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa


def private_needles(path):
    """(label, text) pairs that would only appear in a log if the key at ``path`` leaked."""
    with open(path, 'rb') as handle:
        pem = handle.read()
    key = serialization.load_pem_private_key(pem, password=None)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        value = key.private_numbers().private_value
    elif isinstance(key, rsa.RSAPrivateKey):
        value = key.private_numbers().d
    else:
        value = None
    needles = []
    body = [line for line in pem.decode().splitlines() if line and not line.startswith('-----')]
    public_b64 = base64.b64encode(key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)).decode()
    for number, line in enumerate(body, 1):
        # Lines that only hold public key bytes also show up in the modules' public_key returns.
        if len(line) >= 16 and line not in public_b64 and not _public_tail(line, key):
            needles.append(('%s PEM line %d' % (path, number), line))
    needles.append(('%s PEM body' % path, ''.join(body)))
    if value is not None:
        needles.append(('%s private value (hex)' % path, '%x' % value))
        needles.append(('%s private value (decimal)' % path, str(value)))
    return needles


def _public_tail(line, key):
    """True when ``line`` decodes to bytes that are part of the public key (EC keys' last lines)."""
    try:
        raw = base64.b64decode(line + '=' * (-len(line) % 4))
    except ValueError:
        return False
    point = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return len(raw) >= 8 and raw[-8:] in point


def find_leaks(log_text, key_paths, secrets):
    leaks = []
    if 'PRIVATE KEY-----' in log_text:
        leaks.append('a PEM private key marker')
    for path in key_paths:
        for label, needle in private_needles(path):
            if needle and needle in log_text:
                leaks.append(label)
    for secret in secrets:
        if secret and secret in log_text:
            leaks.append('a --secret text (%d characters)' % len(secret))
    return leaks


def key_files(directories):
    for directory in directories:
        for root, _dirs, files in os.walk(directory):
            for name in sorted(files):
                if name.endswith('.key'):
                    yield os.path.join(root, name)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('log')
    parser.add_argument('--pki', action='append', default=[])
    parser.add_argument('--secret', action='append', default=[])
    args = parser.parse_args(argv)
    with open(args.log, encoding='utf-8', errors='replace') as handle:
        text = handle.read()
    keys = list(key_files(args.pki))
    leaks = find_leaks(text, keys, args.secret)
    if leaks:
        print('SECRETS IN %s: %s' % (args.log, '; '.join(leaks)))
        return 1
    print('no secrets in %s (%d lines; %d private keys, %d secret texts searched)' % (args.log, text.count('\n'), len(keys), len(args.secret)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
