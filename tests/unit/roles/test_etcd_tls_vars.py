# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""The etcd role's derived TLS values (roles/etcd/vars/main.yml), rendered by Ansible's own templar.

Covers the pure logic the role computes in Jinja: URL schemes, the module defaults, the
subject alternative names of a member's certificates and the number of the signing CA.
"""

from __future__ import annotations


import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from role_vars import role_variables


def render(name, **overrides):
    """Value of role variable ``name`` for host node1 of a three-member group etcd."""
    variables = role_variables('etcd')
    hosts = {'node1': '192.0.2.11', 'node2': '192.0.2.12', 'node3': '192.0.2.13'}
    variables.update(
        {
            'inventory_hostname': 'node1',
            'ansible_host': '192.0.2.11',
            'groups': {'etcd': list(hosts)},
            'hostvars': {h: {'ansible_host': a} for h, a in hosts.items()},
            'ansible_facts': {'hostname': 'n1', 'fqdn': 'n1.example.com', 'architecture': 'x86_64'},
        }
    )
    variables.update(overrides)
    templar = Templar(loader=DataLoader(), variables=variables)
    return templar.template(variables[name])


def test_tls_makes_every_url_https():
    assert render('__etcd_peer_url') == 'https://192.0.2.11:2380'
    assert render('__etcd_loopback_client_url') == 'https://127.0.0.1:2379'
    info = render('__etcd_member_info')
    assert [m['peer_url'] for m in info] == ['https://192.0.2.1%d:2380' % i for i in (1, 2, 3)]
    assert render('__etcd_client_urls_all') == ['https://192.0.2.1%d:2379' % i for i in (1, 2, 3)]


def test_plain_mode_keeps_http_and_no_module_certificates():
    assert render('__etcd_client_url', etcd_tls=False) == 'http://192.0.2.11:2379'
    assert render('__etcd_loopback_client_url', etcd_tls=False) == 'http://127.0.0.1:2379'
    assert render('__etcd_module_defaults', etcd_tls=False) == {}


def test_module_defaults_point_at_the_client_directory():
    assert render('__etcd_module_defaults') == {
        'ca_cert': '/etc/podnet-flannel/pki/ca.crt',
        'client_cert': '/etc/podnet-flannel/pki/client.crt',
        'client_key': '/etc/podnet-flannel/pki/client.key',
    }


def test_member_sans_hold_address_names_and_loopback():
    sans = render('__etcd_pki_member_sans')
    assert sans == ['IP:192.0.2.11', 'DNS:node1', 'DNS:n1', 'DNS:n1.example.com', 'DNS:localhost', 'IP:127.0.0.1']


@pytest.mark.parametrize(
    'address, expected',
    [
        ('etcd1.example.com', 'DNS:etcd1.example.com'),
        ('2001:db8::11', 'IP:2001:db8::11'),
    ],
)
def test_member_sans_type_of_the_address(address, expected):
    assert render('__etcd_pki_member_sans', etcd_address=address)[0] == expected


@pytest.mark.parametrize(
    'files, rotate, expected',
    [
        ([], False, 1),
        ([], True, 1),
        (['ca-1.crt'], False, 1),
        (['ca-1.crt'], True, 2),
        (['ca-2.crt', 'ca-10.crt', 'ca-9.crt'], False, 10),
        (['ca-2.crt', 'ca-10.crt', 'ca-9.crt'], True, 11),
        (['ca-1.crt', 'my-ca.crt', 'ca-x.crt'], False, 1),
    ],
)
def test_signing_ca_is_the_newest_or_a_new_one(files, rotate, expected):
    cas = {'files': [{'path': '/pki/ca/' + name} for name in files]}
    assert int(render('__etcd_pki_next_ca_serial', etcd_pki_cas=cas, etcd_pki_rotate_ca=rotate)) == expected
