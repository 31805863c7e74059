# SPDX-License-Identifier: GPL-3.0-or-later
"""The flannel and verify roles' etcd client settings (filters etcd_client, etcd_urls), rendered by Ansible's templar."""

from __future__ import annotations

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from role_vars import role_variables

HOSTS = {'node1': '192.0.2.11', 'node2': '192.0.2.12', 'node3': '192.0.2.13'}
PKI = {
    'ca_cert': '/etc/podnet-flannel/pki/ca.crt',
    'client_cert': '/etc/podnet-flannel/pki/client.crt',
    'client_key': '/etc/podnet-flannel/pki/client.key',
}


def render(role, name, **overrides):
    """Value of role variable ``name`` for host node2 of a three-member group etcd."""
    variables = role_variables(role)
    variables.update(
        {
            'inventory_hostname': 'node2',
            'ansible_host': HOSTS['node2'],
            'groups': {'etcd': list(HOSTS), 'nodes': list(HOSTS)},
            'hostvars': {h: {'ansible_host': a} for h, a in HOSTS.items()},
        }
    )
    variables.update(overrides)
    return Templar(loader=DataLoader(), variables=variables).template(variables[name])


@pytest.mark.parametrize(
    'role, defaults, tls', [('flannel', '__flannel_module_defaults', 'flannel_etcd_tls'), ('verify', '__verify_etcd_auth', 'verify_etcd_tls')]
)
def test_client_certificate_options(role, defaults, tls):
    assert render(role, defaults) == PKI
    assert render(role, defaults, **{tls: False}) == {}


def test_flannel_endpoints_are_every_member():
    assert render('flannel', 'flannel_etcd_endpoints') == ['https://192.0.2.1%d:2379' % i for i in (1, 2, 3)]
    assert render('flannel', 'flannel_etcd_endpoints', flannel_etcd_tls=False)[0] == 'http://192.0.2.11:2379'


def test_verify_endpoints_put_this_member_first():
    assert render('verify', 'verify_etcd_endpoints') == ['https://192.0.2.12:2379', 'https://192.0.2.11:2379', 'https://192.0.2.13:2379']
