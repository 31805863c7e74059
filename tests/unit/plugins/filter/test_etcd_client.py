# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for etcd_client and etcd_urls: the etcd modules' client settings, defined once."""

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.podnet.flannel.plugins.filter.etcd_client import etcd_client, etcd_urls


def test_client_options_point_into_the_directory():
    assert etcd_client('/etc/podnet-flannel/pki/') == {
        'ca_cert': '/etc/podnet-flannel/pki/ca.crt',
        'client_cert': '/etc/podnet-flannel/pki/client.crt',
        'client_key': '/etc/podnet-flannel/pki/client.key',
    }


@pytest.mark.parametrize('tls', [False, 'false', 'no'])
def test_no_client_options_without_tls(tls):
    assert etcd_client('/etc/podnet-flannel/pki', tls) == {}


def test_client_needs_a_directory():
    with pytest.raises(AnsibleFilterError, match='client certificate directory'):
        etcd_client('')


def test_urls_follow_tls_and_port():
    assert etcd_urls(['192.0.2.11', 'etcd2']) == ['https://192.0.2.11:2379', 'https://etcd2:2379']
    assert etcd_urls(['192.0.2.11'], 'False', '12379') == ['http://192.0.2.11:12379']


def test_one_address_is_a_list_of_one():
    assert etcd_urls('192.0.2.11', True) == ['https://192.0.2.11:2379']


def test_urls_need_addresses():
    with pytest.raises(AnsibleFilterError, match='list of addresses'):
        etcd_urls({'a': 1})
