# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Unit tests for module_utils/pki.py: the one-pass check of the controller's etcd PKI.

Real certificates, made here with the cryptography library in a temporary directory, in the
layout the etcd role keeps (ca/ca-<n>.crt|key, the bundle, member and client certificates).
Each test spoils one thing and expects exactly that reason.
"""

from __future__ import annotations

import datetime
import ipaddress
import os

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ansible_collections.podnet.flannel.plugins.module_utils import pki

NOW = datetime.datetime(2026, 11, 30, tzinfo=datetime.timezone.utc)
SANS = ['IP:192.168.77.11', 'DNS:node1', 'DNS:localhost', 'IP:127.0.0.1']


def _write_key(path, key):
    with open(path, 'wb') as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    os.chmod(path, 0o600)


def _write_cert(path, cert):
    with open(path, 'wb') as handle:
        handle.write(cert.public_bytes(serialization.Encoding.PEM))
    os.chmod(path, 0o644)


def make_ca(ca_dir, serial):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'test CA %d' % serial)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - datetime.timedelta(days=1))
        .not_valid_after(NOW + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    _write_key(os.path.join(ca_dir, 'ca-%d.key' % serial), key)
    _write_cert(os.path.join(ca_dir, 'ca-%d.crt' % serial), cert)
    return cert, key


def make_cert(path, key_path, ca, cn, sans, eku, days=1095, key=None):
    ca_cert, ca_key = ca
    key = key or ec.generate_private_key(ec.SECP256R1())
    alt = []
    for entry in sans:
        kind, value = entry.split(':', 1)
        alt.append(x509.IPAddress(ipaddress.ip_address(value)) if kind == 'IP' else x509.DNSName(value))
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)]))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - datetime.timedelta(days=2))
        .not_valid_after(NOW + datetime.timedelta(days=days))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_encipherment=True,
                content_commitment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=False,
        )
        .add_extension(
            x509.ExtendedKeyUsage([{'serverAuth': ExtendedKeyUsageOID.SERVER_AUTH, 'clientAuth': ExtendedKeyUsageOID.CLIENT_AUTH}[e] for e in eku]),
            critical=False,
        )
    )
    if alt:
        builder = builder.add_extension(x509.SubjectAlternativeName(alt), critical=False)
    _write_key(key_path, key)
    _write_cert(path, builder.sign(ca_key, hashes.SHA256()))
    return key


def spec(path, key, cn, sans, eku):
    return dict(
        path=path,
        key=key,
        common_name=cn,
        subject_alt_names=sans,
        key_usage=['digitalSignature', 'keyEncipherment'],
        extended_key_usage=eku,
        cert_mode='0644',
        key_mode='0600',
    )


@pytest.fixture
def tree(tmp_path):
    """A complete, current PKI: one CA, the bundle, a member's server certificate, a client's."""
    ca_dir = tmp_path / 'ca'
    ca_dir.mkdir()
    ca = make_ca(str(ca_dir), 1)
    server = spec(str(tmp_path / 'server.crt'), str(tmp_path / 'server.key'), 'node1', SANS, ['serverAuth', 'clientAuth'])
    client = spec(str(tmp_path / 'flanneld.crt'), str(tmp_path / 'flanneld.key'), 'flanneld', None, ['clientAuth'])
    make_cert(server['path'], server['key'], ca, 'node1', SANS, ['serverAuth', 'clientAuth'])
    make_cert(client['path'], client['key'], ca, 'flanneld', [], ['clientAuth'])
    bundle = tmp_path / 'ca-bundle.crt'
    bundle.write_bytes(pki.bundle_content(str(ca_dir)))
    return dict(root=tmp_path, ca_dir=str(ca_dir), ca=ca, bundle=str(bundle), server=server, client=client)


def run(tree, rotate=False, now=NOW):
    return pki.check_pki(tree['ca_dir'], tree['bundle'], [tree['server'], tree['client']], rotate=rotate, now=now)


def all_reasons(result):
    return [reason for item in result['stale'] for reason in item['reasons']]


def test_current_pki_is_up_to_date(tree):
    result = run(tree)
    assert result['missing'] == [] and result['stale'] == []
    assert result['bundle_current'] is True
    assert result['ca_serial'] == 1
    assert result['up_to_date'] is True


def test_rotation_is_never_up_to_date(tree):
    result = run(tree, rotate=True)
    assert result['stale'] == [] and result['up_to_date'] is False


def test_empty_pki_lists_the_first_ca_and_every_file_missing(tmp_path):
    certs = [spec(str(tmp_path / 'm.crt'), str(tmp_path / 'm.key'), 'm', None, ['clientAuth'])]
    result = pki.check_pki(str(tmp_path / 'ca'), str(tmp_path / 'bundle'), certs, now=NOW)
    assert result['ca_serial'] == 0 and result['cas'] == []
    assert sorted(result['missing']) == sorted([str(tmp_path / 'ca' / 'ca-1.crt'), str(tmp_path / 'm.crt'), str(tmp_path / 'm.key')])
    assert result['bundle_current'] is False and result['up_to_date'] is False


def test_missing_key_is_missing_not_stale(tree):
    os.remove(tree['client']['key'])
    result = run(tree)
    assert result['missing'] == [tree['client']['key']]
    assert result['stale'] == [] and result['up_to_date'] is False


def test_new_ca_makes_every_certificate_stale_and_the_bundle_old(tree):
    make_ca(tree['ca_dir'], 2)
    result = run(tree)
    assert result['ca_serial'] == 2
    assert [os.path.basename(p) for p in result['cas']] == ['ca-1.crt', 'ca-2.crt']
    assert sorted(item['path'] for item in result['stale']) == sorted([tree['server']['path'], tree['client']['path']])
    assert all('not signed by the signing CA' in r for r in all_reasons(result))
    assert result['bundle_current'] is False


def test_ca_serials_sort_as_numbers(tree):
    for serial in (2, 10):
        make_ca(tree['ca_dir'], serial)
    assert [item[0] for item in pki.list_cas(tree['ca_dir'])] == [1, 2, 10]


def test_same_subject_other_ca_key_is_not_signed_by_it(tree):
    # A CA made again with the same name but a new key: the issuer name matches, the signature does not.
    os.remove(os.path.join(tree['ca_dir'], 'ca-1.crt'))
    os.remove(os.path.join(tree['ca_dir'], 'ca-1.key'))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(tree['ca'][0].subject)
        .issuer_name(tree['ca'][0].subject)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(NOW - datetime.timedelta(days=1))
        .not_valid_after(NOW + datetime.timedelta(days=10))
        .sign(key, hashes.SHA256())
    )
    _write_key(os.path.join(tree['ca_dir'], 'ca-1.key'), key)
    _write_cert(os.path.join(tree['ca_dir'], 'ca-1.crt'), cert)
    with open(tree['bundle'], 'wb') as handle:
        handle.write(pki.bundle_content(tree['ca_dir']))
    result = run(tree)
    assert len(result['stale']) == 2 and all('not signed by the signing CA' in r for r in all_reasons(result))


def test_changed_address_makes_the_member_certificate_stale(tree):
    tree['server']['subject_alt_names'] = ['IP:192.168.77.21', 'DNS:node1', 'DNS:localhost', 'IP:127.0.0.1']
    result = run(tree)
    assert [item['path'] for item in result['stale']] == [tree['server']['path']]
    reason = result['stale'][0]['reasons'][0]
    assert "missing: ['IP:192.168.77.21']" in reason and "extra: ['IP:192.168.77.11']" in reason


def test_san_order_and_case_do_not_matter(tree):
    tree['server']['subject_alt_names'] = ['IP:127.0.0.1', 'dns:LOCALHOST', 'DNS:node1', 'IP:192.168.77.11']
    assert run(tree)['up_to_date'] is True


def test_key_that_does_not_match(tree):
    other = ec.generate_private_key(ec.SECP256R1())
    _write_key(tree['client']['key'], other)
    result = run(tree)
    assert result['stale'] == [dict(path=tree['client']['path'], reasons=['%s does not match the key %s' % (tree['client']['path'], tree['client']['key'])])]


def test_other_common_name_and_eku(tree):
    tree['client']['common_name'] = 'podnet-flannel'
    tree['client']['extended_key_usage'] = ['clientAuth', 'serverAuth']
    reasons = all_reasons(run(tree))
    assert len(reasons) == 2
    assert "has CN 'flanneld', wanted 'podnet-flannel'" in reasons[0]
    assert "extended key usage ['clientAuth'], wanted ['clientAuth', 'serverAuth']" in reasons[1]


def test_key_mode_too_open(tree):
    os.chmod(tree['server']['key'], 0o644)
    assert all_reasons(run(tree)) == ['%s: mode 0644, wanted 0600' % tree['server']['key']]


def test_expired_certificate_is_listed_not_reissued(tree):
    # community.crypto ignores timestamps when it decides what to issue; so does the check.
    later = NOW + datetime.timedelta(days=1096)
    result = run(tree, now=later)
    assert result['stale'] == [] and result['up_to_date'] is True
    assert sorted(item['path'] for item in result['expired']) == sorted([tree['server']['path'], tree['client']['path']])
    assert run(tree)['expired'] == []


def test_bundle_must_hold_every_ca(tree):
    with open(tree['bundle'], 'ab') as handle:
        handle.write(b'\n')
    result = run(tree)
    assert result['bundle_current'] is False and result['stale'] == [] and result['up_to_date'] is False


def test_bundle_content_matches_assemble_newline_rule(tmp_path):
    (tmp_path / 'ca-1.crt').write_bytes(b'A')
    (tmp_path / 'ca-2.crt').write_bytes(b'B\n')
    (tmp_path / 'ca-2.key').write_bytes(b'secret')
    (tmp_path / 'ca-3.crt').write_bytes(b'C')
    assert pki.bundle_content(str(tmp_path)) == b'A\nB\nC'


def test_ca_key_that_does_not_match_its_certificate(tree):
    _write_key(os.path.join(tree['ca_dir'], 'ca-1.key'), ec.generate_private_key(ec.SECP256R1()))
    result = run(tree)
    assert [item['path'] for item in result['stale']] == [os.path.join(tree['ca_dir'], 'ca-1.crt')]


@pytest.mark.parametrize('entry', ['node1', 'URI:x', 'IP:'])
def test_bad_san_is_refused_by_name(entry):
    with pytest.raises(ValueError, match='subject_alt_names'):
        pki.parse_san(entry)


# ----------------------------------------------------------------------------- what the members trust


def test_compare_held(tmp_path):
    """A member whose bundle shares no CA with the controller's trusts another PKI."""
    import datetime
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    def make_ca(name):
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        now = datetime.datetime.now(datetime.timezone.utc)
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(1)
            .not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        return cert.public_bytes(serialization.Encoding.PEM)

    ours, theirs, older = make_ca('ours'), make_ca('theirs'), make_ca('older')
    ca_dir = tmp_path / 'ca'
    ca_dir.mkdir()
    (ca_dir / 'ca-1.crt').write_bytes(older)
    (ca_dir / 'ca-2.crt').write_bytes(ours)
    result = pki.compare_held(str(ca_dir), {'node1': older + ours, 'node2': ours, 'node3': theirs, 'node4': None})
    assert [item['subject'] for item in result['controller']] == ['older', 'ours']
    assert result['foreign'] == ['node3']
    assert sorted(result['held']) == ['node1', 'node2', 'node3']
    assert result['held']['node3'][0]['subject'] == 'theirs'
    assert len(result['held']['node3'][0]['fingerprint'].split(':')) == 32
    # An empty controller directory: every member that holds a bundle is foreign.
    assert pki.compare_held(str(tmp_path / 'none'), {'node1': ours, 'node2': None})['foreign'] == ['node1']
