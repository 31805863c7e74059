#!/usr/bin/python
# Copyright: (c) 2026, podnet.flannel maintainers
# GNU General Public License v3.0+ (https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: route_info
short_description: How a node reaches some addresses, which networks it is on, what its devices hold
version_added: 0.3.0
description:
  - Reads the node's main routing table (C(/proc/net/route), C(/proc/net/ipv6_route); no
    C(ip route) output to parse) and says, for each address of O(destinations), which route the
    kernel picks and whether the address is on a directly connected link (a neighbour, no
    gateway), as the host-gw backend needs every other node to be.
  - Lists the networks the node is directly on (RV(connected)), leaving out container, bridge
    and overlay devices (C(docker*), C(flannel*), C(veth*), C(cni*), C(br-*), ...), so that a
    pod network can be checked against every network of the nodes without gathered facts.
  - With O(devices), reads the addresses of those network devices (one C(ip -j addr show), no
    text output to parse), as the docker role checks C(docker0) against the node's lease.
author:
  - podnet.flannel maintainers (@podnet)
options:
  destinations:
    description:
      - IPv4 or IPv6 addresses to look up.
    type: list
    elements: str
    default: []
  devices:
    description:
      - Network devices whose addresses to read (RV(devices)).
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - podnet.flannel.attributes
  - podnet.flannel.attributes.INFO_MODULE
seealso:
  - module: podnet.flannel.flannel_lease_info
  - module: podnet.flannel.link
"""

EXAMPLES = r"""
- name: Check every other node is a neighbour (host-gw)
  podnet.flannel.route_info:
    destinations: [192.0.2.12, 192.0.2.13]
  register: routes

- name: Fail on a node reached through a router
  ansible.builtin.assert:
    that: routes.destinations | dict2items | rejectattr('value.on_link') | list == []

- name: Read docker0's addresses
  podnet.flannel.route_info:
    devices: [docker0]
  register: links

- name: Check docker0 holds the lease
  ansible.builtin.assert:
    that: links.devices.docker0.ipv4[:1] == ['10.244.5.1/24']
"""

RETURN = r"""
destinations:
  description: For each address of O(destinations), the route the kernel picks for it.
  returned: always
  type: dict
  sample:
    192.0.2.12: {on_link: true, route: 192.0.2.0/24, dev: eth0, gateway: 0.0.0.0}
    198.51.100.7: {on_link: false, route: 0.0.0.0/0, dev: eth0, gateway: 192.0.2.1}
  contains:
    on_link:
      description: The address is on a directly connected link (no gateway, not unreachable).
      type: bool
    route:
      description: The destination of the route picked (V(null) when there is none).
      type: str
    dev:
      description: Its device.
      type: str
    gateway:
      description: Its gateway (C(0.0.0.0) or C(::) for none).
      type: str
connected:
  description: The networks the node is directly on, with their device (container and overlay devices left out).
  returned: always
  type: list
  elements: dict
  sample: [{network: 192.0.2.0/24, dev: eth0}]
devices:
  description: For each device of O(devices), whether it exists and its addresses, in the kernel's order.
  returned: always
  type: dict
  sample:
    docker0: {exists: true, ipv4: [10.244.5.1/24], ipv6: [fd00:10:244:5::1/80]}
  contains:
    exists:
      description: The node has the device.
      type: bool
    ipv4:
      description: Its IPv4 addresses with their prefix length (the first is the primary one).
      type: list
      elements: str
    ipv6:
      description: Its IPv6 addresses of global scope with their prefix length (no link-local ones).
      type: list
      elements: str
"""

import ipaddress

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.podnet.flannel.plugins.module_utils import linux_net


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            'destinations': {'type': 'list', 'elements': 'str', 'default': []},
            'devices': {'type': 'list', 'elements': 'str', 'default': []},
        },
        supports_check_mode=True,
    )
    routes = linux_net.read_routes()
    found = {}
    for address in module.params['destinations']:
        try:
            ipaddress.ip_address(address)
        except ValueError:
            module.fail_json(msg='destinations: %r is not an IP address' % (address,))
        route = linux_net.lookup_route(address, routes)
        found[address] = {
            'on_link': linux_net.on_link(route),
            'route': route['dest'] if route else None,
            'dev': route['dev'] if route else None,
            'gateway': route['gateway'] if route else None,
        }
    devices = linux_net.read_addresses(module, module.params['devices']) if module.params['devices'] else {}
    module.exit_json(changed=False, destinations=found, connected=linux_net.connected_networks(routes), devices=devices)


if __name__ == '__main__':
    main()
