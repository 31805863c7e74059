# SPDX-License-Identifier: GPL-3.0-or-later
"""etcd_client and etcd_urls: how a client of the collection's etcd modules reaches etcd.

One definition for the roles, the tests and the benchmarks: the connection options
(``module_defaults`` for ``group/podnet.flannel.etcd``) made from the directory that holds the CA
bundle and the client certificate, and the client URLs of a list of member addresses.
"""

from __future__ import annotations

from typing import Any, Dict, List

from ansible.errors import AnsibleFilterError
from ansible.module_utils.parsing.convert_bool import boolean

# The files of a client directory (the etcd role fills it on the members, the flannel role on
# every node): the CA bundle, the modules' client certificate and key.
CLIENT_FILES = {'ca_cert': 'ca.crt', 'client_cert': 'client.crt', 'client_key': 'client.key'}
CLIENT_PORT = 2379


def etcd_client(client_dir: str, tls: Any = True) -> Dict[str, str]:
    """The TLS options of the etcd modules for the client directory `client_dir`; {} without TLS."""
    if not boolean(tls, strict=False):
        return {}
    if not isinstance(client_dir, str) or not client_dir:
        raise AnsibleFilterError('etcd_client: expects the client certificate directory, got %r' % (client_dir,))
    return {option: '%s/%s' % (client_dir.rstrip('/'), name) for option, name in CLIENT_FILES.items()}


def etcd_urls(addresses: Any, tls: Any = True, port: Any = CLIENT_PORT) -> List[str]:
    """Client URLs (https with TLS, else http) of `addresses`, a list of host addresses or one address."""
    if isinstance(addresses, str):
        addresses = [addresses]
    if not isinstance(addresses, (list, tuple)):
        raise AnsibleFilterError('etcd_urls: expects a list of addresses, got %r' % (addresses,))
    scheme = 'https' if boolean(tls, strict=False) else 'http'
    return ['%s://%s:%s' % (scheme, address, int(port)) for address in addresses]


class FilterModule:
    def filters(self):
        return {'etcd_client': etcd_client, 'etcd_urls': etcd_urls}
