# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""The controller's etcd PKI (a directory of files, docs/etcd-tls.md), checked in one pass.

The etcd role makes the PKI with community.crypto, one module call per key, signing request
and certificate. On a re-run every one of those calls finds nothing to do, and together they
were the largest part of the idempotent re-run. `check_pki` answers the question those calls
answer ("does anything need issuing?") in one process, so the role can skip them when nothing
does. It reads; it never writes. What it compares is what community.crypto's own idempotence
compares for these files: the key pair matches, the certificate is signed by the signing CA,
subject CN, subject alternative names, key usage and extended key usage are the requested
ones, and the file modes. Like community.crypto (ignore_timestamps), it does not count an
expired certificate as one to issue again; it lists it under `expired`.

Parsing uses the `cryptography` library, which community.crypto needs on the controller too.
"""

from __future__ import annotations

import datetime
import os
import re
import stat
from typing import Any, Dict, List, Optional, Tuple

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    HAS_CRYPTOGRAPHY = True
    CRYPTOGRAPHY_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - the module reports it
    HAS_CRYPTOGRAPHY = False
    CRYPTOGRAPHY_IMPORT_ERROR = exc

CA_FILE = re.compile(r'^ca-([0-9]+)\.crt$')

# Names as community.crypto's openssl_csr takes them, mapped to cryptography's.
KEY_USAGE_NAMES = {
    'digitalSignature': 'digital_signature',
    'keyEncipherment': 'key_encipherment',
    'keyCertSign': 'key_cert_sign',
    'cRLSign': 'crl_sign',
    'contentCommitment': 'content_commitment',
    'dataEncipherment': 'data_encipherment',
    'keyAgreement': 'key_agreement',
}


def _eku_names():
    return {
        'serverAuth': ExtendedKeyUsageOID.SERVER_AUTH,
        'clientAuth': ExtendedKeyUsageOID.CLIENT_AUTH,
    }


def list_cas(ca_dir: str) -> List[Tuple[int, str]]:
    """The CA certificates of `ca_dir` as [(serial, path)], lowest serial first."""
    if not os.path.isdir(ca_dir):
        return []
    found = []
    for name in os.listdir(ca_dir):
        match = CA_FILE.match(name)
        if match:
            found.append((int(match.group(1)), os.path.join(ca_dir, name)))
    return sorted(found)


def bundle_content(ca_dir: str) -> bytes:
    """What ansible.builtin.assemble makes of every *.crt in `ca_dir` (sorted by name)."""
    parts = []
    for name in sorted(os.listdir(ca_dir)) if os.path.isdir(ca_dir) else []:
        if name.endswith('.crt'):
            with open(os.path.join(ca_dir, name), 'rb') as handle:
                data = handle.read()
            # assemble adds a newline between fragments when one does not end with one.
            if parts and not parts[-1].endswith(b'\n'):
                parts.append(b'\n')
            parts.append(data)
    return b''.join(parts)


def parse_san(entry: str) -> Tuple[str, str]:
    """'IP:127.0.0.1' / 'DNS:node1' -> a comparable ('IP'|'DNS', text) pair."""
    kind, dummy, value = entry.partition(':')
    kind = kind.strip().upper()
    if kind not in ('IP', 'DNS') or not value:
        raise ValueError("subject_alt_names: '%s' is not 'IP:<address>' or 'DNS:<name>'" % entry)
    return kind, value.strip().lower()


def _extension(cert, kind):
    """The value of the certificate's extension of class `kind`, or None when it has none."""
    try:
        return cert.extensions.get_extension_for_class(kind).value
    except x509.ExtensionNotFound:
        return None


def _cert_sans(cert):
    ext = _extension(cert, x509.SubjectAlternativeName)
    if ext is None:
        return set()
    out = set(('DNS', name.lower()) for name in ext.get_values_for_type(x509.DNSName))
    out.update(('IP', str(ip).lower()) for ip in ext.get_values_for_type(x509.IPAddress))
    return out


def _cert_key_usage(cert):
    ext = _extension(cert, x509.KeyUsage)
    out = set()
    for name, attr in KEY_USAGE_NAMES.items() if ext is not None else ():
        try:
            if getattr(ext, attr):
                out.add(name)
        except ValueError:  # encipher_only / decipher_only style accessors
            pass
    return out


def _cert_eku(cert):
    ext = _extension(cert, x509.ExtendedKeyUsage)
    names = dict((oid, name) for name, oid in _eku_names().items())
    return set(names.get(oid, oid.dotted_string) for oid in ext) if ext is not None else set()


def _common_name(cert):
    attrs = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return attrs[0].value if attrs else None


def _public_bytes(key):
    if hasattr(key, 'public_key'):  # a private key
        key = key.public_key()
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def signed_by(cert: Any, ca_cert: Any) -> bool:
    """True when `cert` names `ca_cert` as issuer and its signature verifies with the CA key."""
    if cert.issuer != ca_cert.subject:
        return False
    public = ca_cert.public_key()
    try:
        if isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(cert.signature, cert.tbs_certificate_bytes, ec.ECDSA(cert.signature_hash_algorithm))
        elif isinstance(public, rsa.RSAPublicKey):
            public.verify(cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(), cert.signature_hash_algorithm)
        else:
            public.verify(cert.signature, cert.tbs_certificate_bytes)
    except Exception:  # cryptography raises InvalidSignature, or TypeError for odd key types
        return False
    return True


def _not_after(cert):
    value = getattr(cert, 'not_valid_after_utc', None)
    if value is None:  # cryptography < 42
        value = cert.not_valid_after.replace(tzinfo=datetime.timezone.utc)
    return value


def _expiry(path, now):
    """The end of validity of the certificate at `path` when it is past, else None."""
    try:
        end = _not_after(_load_cert(path))
    except (ValueError, OSError):
        return None
    return end.isoformat() if end <= now else None


def _load_cert(path):
    with open(path, 'rb') as handle:
        return x509.load_pem_x509_certificate(handle.read())


def _load_key(path):
    with open(path, 'rb') as handle:
        return serialization.load_pem_private_key(handle.read(), password=None)


def _mode_problem(path, wanted):
    if wanted is None:
        return None
    have = stat.S_IMODE(os.stat(path).st_mode)
    if have != int(wanted, 8):
        return 'mode %04o, wanted %s' % (have, wanted)
    return None


def check_certificate(spec: Dict[str, Any], ca_cert: Any, now: Optional[datetime.datetime]) -> List[str]:
    """Reasons why the certificate of `spec` needs issuing again ([] when it is up to date).

    spec: dict(path, key, common_name, subject_alt_names, key_usage, extended_key_usage,
    cert_mode, key_mode). ca_cert: the signing CA (a cryptography certificate) or None.
    """
    reasons = []
    for what in ('key', 'path'):
        if not os.path.exists(spec[what]):
            return ['%s missing' % spec[what]]
    try:
        cert = _load_cert(spec['path'])
    except (ValueError, OSError) as exc:
        return ['%s: not a PEM certificate (%s)' % (spec['path'], exc)]
    try:
        key = _load_key(spec['key'])
    except (ValueError, TypeError, OSError) as exc:
        return ['%s: not an unencrypted PEM private key (%s)' % (spec['key'], exc)]
    if _public_bytes(key) != _public_bytes(cert.public_key()):
        reasons.append('%s does not match the key %s' % (spec['path'], spec['key']))
    if ca_cert is None or not signed_by(cert, ca_cert):
        reasons.append('%s is not signed by the signing CA' % spec['path'])
    if spec.get('common_name') is not None and _common_name(cert) != spec['common_name']:
        reasons.append('%s has CN %r, wanted %r' % (spec['path'], _common_name(cert), spec['common_name']))
    if spec.get('subject_alt_names') is not None:
        wanted = set(parse_san(entry) for entry in spec['subject_alt_names'])
        have = _cert_sans(cert)
        if wanted != have:
            reasons.append(
                '%s has other subject alternative names (missing: %s; extra: %s)'
                % (spec['path'], sorted(':'.join(p) for p in wanted - have), sorted(':'.join(p) for p in have - wanted))
            )
    if spec.get('key_usage') is not None and set(spec['key_usage']) != _cert_key_usage(cert):
        reasons.append('%s has key usage %s, wanted %s' % (spec['path'], sorted(_cert_key_usage(cert)), sorted(spec['key_usage'])))
    if spec.get('extended_key_usage') is not None and set(spec['extended_key_usage']) != _cert_eku(cert):
        reasons.append('%s has extended key usage %s, wanted %s' % (spec['path'], sorted(_cert_eku(cert)), sorted(spec['extended_key_usage'])))
    for what, mode_key in (('path', 'cert_mode'), ('key', 'key_mode')):
        problem = _mode_problem(spec[what], spec.get(mode_key))
        if problem:
            reasons.append('%s: %s' % (spec[what], problem))
    return reasons


def check_pki(ca_dir: str, bundle: str, certificates: List[Dict[str, Any]], rotate: bool = False, now: Optional[datetime.datetime] = None) -> Dict[str, Any]:
    """One pass over the PKI: what exists, what needs issuing, whether the bundle is current.

    Returns a dict:
      ca_serial    number of the newest CA (0 when there is none)
      cas          paths of every CA certificate (ca-<n>.crt), oldest first
      trusted      paths of every *.crt of `ca_dir` (what the bundle is made of), in name order
      missing      files of `certificates` (and the signing CA's) that do not exist
      stale        [{'path', 'reasons'}] for certificates that exist but need issuing again
      expired      [{'path', 'not_after'}] for certificates past their end (not renewed: see above)
      bundle_current  `bundle` holds exactly the CA certificates (assemble's layout)
      up_to_date   nothing to issue, nothing missing, bundle current, not rotating
    """
    now = now or datetime.datetime.now(datetime.timezone.utc)
    cas = list_cas(ca_dir)
    trusted = [os.path.join(ca_dir, name) for name in sorted(os.listdir(ca_dir)) if name.endswith('.crt')] if os.path.isdir(ca_dir) else []
    result = dict(ca_serial=cas[-1][0] if cas else 0, cas=[item[1] for item in cas], trusted=trusted, missing=[], stale=[], expired=[])
    ca_cert = None
    if not cas:
        result['missing'].append(os.path.join(ca_dir, 'ca-1.crt'))
    else:
        ca_path = cas[-1][1]
        ca_key_path = ca_path[: -len('.crt')] + '.key'
        try:
            ca_cert = _load_cert(ca_path)
            if not os.path.exists(ca_key_path):
                result['missing'].append(ca_key_path)
            elif _public_bytes(_load_key(ca_key_path)) != _public_bytes(ca_cert.public_key()):
                result['stale'].append(dict(path=ca_path, reasons=['%s does not match %s' % (ca_path, ca_key_path)]))
        except (ValueError, TypeError, OSError) as exc:
            result['stale'].append(dict(path=ca_path, reasons=['%s: unreadable (%s)' % (ca_path, exc)]))
            ca_cert = None
    for spec in certificates:
        reasons = check_certificate(spec, ca_cert, now)
        if not reasons or not reasons[0].endswith(' missing'):
            expiry = _expiry(spec['path'], now)
            if expiry:
                result['expired'].append(dict(path=spec['path'], not_after=expiry))
        if reasons and reasons[0].endswith(' missing'):
            result['missing'].extend(p for p in (spec['path'], spec['key']) if not os.path.exists(p))
        elif reasons:
            result['stale'].append(dict(path=spec['path'], reasons=reasons))
    try:
        with open(bundle, 'rb') as handle:
            current = handle.read()
    except OSError:
        current = None
    result['bundle_current'] = bool(cas) and current == bundle_content(ca_dir)
    result['up_to_date'] = not rotate and not result['missing'] and not result['stale'] and result['bundle_current']
    return result


def _fingerprint(cert):
    """SHA-256 fingerprint of a certificate, as `openssl x509 -fingerprint -sha256` prints it."""
    from cryptography.hazmat.primitives import hashes

    digest = cert.fingerprint(hashes.SHA256()).hex().upper()
    return ':'.join(digest[i : i + 2] for i in range(0, len(digest), 2))


def _describe(cert):
    return dict(fingerprint=_fingerprint(cert), subject=_common_name(cert) or cert.subject.rfc4514_string())


def pem_certificates(data):
    """Every certificate of a PEM bundle (bytes), in order."""
    return x509.load_pem_x509_certificates(data) if b'-----BEGIN CERTIFICATE-----' in data else []


def compare_held(ca_dir, held):
    """Do the hosts trust the controller's PKI?

    `held` maps each host to the CA bundle it holds (bytes), or None when it holds none (a new
    member). A host whose bundle shares no certificate with the CAs of `ca_dir` trusts another
    PKI: the controller would issue certificates that host and its peers refuse.

    Returns a dict:
      controller  [{'fingerprint', 'subject'}] of the CAs of `ca_dir` (every *.crt)
      held        {host: [{'fingerprint', 'subject'}]} of each host's bundle (hosts with one)
      foreign     hosts whose bundle shares no CA with the controller's, sorted
    """
    controller = []
    for name in sorted(os.listdir(ca_dir)) if os.path.isdir(ca_dir) else []:
        if name.endswith('.crt'):
            with open(os.path.join(ca_dir, name), 'rb') as handle:
                controller.extend(_describe(cert) for cert in pem_certificates(handle.read()))
    mine = set(item['fingerprint'] for item in controller)
    result = dict(controller=controller, held={}, foreign=[])
    for host in sorted(held):
        if held[host] is None:
            continue
        certs = [_describe(cert) for cert in pem_certificates(held[host])]
        result['held'][host] = certs
        if not mine.intersection(item['fingerprint'] for item in certs):
            result['foreign'].append(host)
    return result
