# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for tests/secrets/check_log.py, the -vvv log secret scan."""

from __future__ import annotations

import importlib.util
import os

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC = importlib.util.spec_from_file_location('check_log', os.path.join(HERE, '..', '..', 'secrets', 'check_log.py'))
check_log = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(check_log)


@pytest.fixture
def key_file(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption())
    path = tmp_path / 'pki' / 'server.key'
    path.parent.mkdir()
    path.write_bytes(pem)
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return path, pem.decode(), public, key


def test_clean_log_with_the_public_key_passes(key_file):
    path, _pem, public, _key = key_file
    log = 'ok: [node1] => {"public_key": %r}\n' % public
    assert check_log.find_leaks(log, [str(path)], []) == []


def test_private_pem_line_is_found_without_markers(key_file):
    path, pem, _public, _key = key_file
    first_line = [line for line in pem.splitlines() if not line.startswith('-----')][0]
    leaks = check_log.find_leaks('content: "%s"' % first_line, [str(path)], [])
    assert leaks == ['%s PEM line 1' % path]


def test_whole_key_and_marker_are_found(key_file):
    path, pem, _public, _key = key_file
    leaks = check_log.find_leaks(pem, [str(path)], [])
    assert 'a PEM private key marker' in leaks
    assert any(leak.startswith('%s PEM line' % path) for leak in leaks)


def test_private_value_in_hex_is_found(key_file):
    path, _pem, _public, key = key_file
    leaks = check_log.find_leaks('d=%x' % key.private_numbers().private_value, [str(path)], [])
    assert leaks == ['%s private value (hex)' % path]


def test_secret_text_and_main_exit_codes(key_file, tmp_path, capsys):
    path, _pem, _public, _key = key_file
    log = tmp_path / 'run.log'
    log.write_text('password: hunter2-podnet\n')
    assert check_log.main([str(log), '--pki', str(path.parent), '--secret', 'hunter2-podnet']) == 1
    assert 'a --secret text' in capsys.readouterr().out
    log.write_text('password: ********\n')
    assert check_log.main([str(log), '--pki', str(path.parent), '--secret', 'hunter2-podnet']) == 0
