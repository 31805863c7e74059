# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""The node's kernel network state, read from /proc and /sys, and devices' addresses from
`ip -j addr` (iproute2's JSON: no text output to parse).

Routes of the main table (/proc/net/route, /proc/net/ipv6_route), the network devices
(/sys/class/net) and their addresses; removing a device (`ip link delete`). Pure parsers take
the files' or the command's text, so they are unit-tested without a node.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import struct
from typing import Any

PROC_ROUTE = '/proc/net/route'
PROC_IPV6_ROUTE = '/proc/net/ipv6_route'
SYS_CLASS_NET = '/sys/class/net'
RTF_UP = 0x0001
RTF_REJECT = 0x0200


def parse_proc_route(text: str) -> list[dict]:
    """IPv4 routes of /proc/net/route as [{'dest': 'a.b.c.d/len', 'dev', 'gateway', 'reject'}].

    Addresses in that file are little-endian hex; unreachable routes carry RTF_REJECT.
    """
    routes = []
    for line in text.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 8:
            continue
        dev, dest_hex, gw_hex, flags_hex, mask_hex = fields[0], fields[1], fields[2], fields[3], fields[7]
        try:
            dest = socket.inet_ntoa(struct.pack('<I', int(dest_hex, 16)))
            mask = socket.inet_ntoa(struct.pack('<I', int(mask_hex, 16)))
            gateway = socket.inet_ntoa(struct.pack('<I', int(gw_hex, 16)))
            flags = int(flags_hex, 16)
        except ValueError:
            continue
        if not flags & RTF_UP:
            continue
        network = ipaddress.ip_network('%s/%s' % (dest, mask), strict=False)
        routes.append({'dest': str(network), 'dev': dev, 'gateway': gateway, 'reject': bool(flags & RTF_REJECT)})
    return routes


def parse_proc_ipv6_route(text: str) -> list[dict]:
    """IPv6 routes of /proc/net/ipv6_route, in the shape of parse_proc_route."""
    routes = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 10:
            continue
        try:
            dest = ipaddress.IPv6Address(bytes.fromhex(fields[0]))
            prefixlen = int(fields[1], 16)
            gateway = ipaddress.IPv6Address(bytes.fromhex(fields[4]))
            flags = int(fields[8], 16)
        except ValueError:
            continue
        if not flags & RTF_UP:
            continue
        network = ipaddress.ip_network('%s/%d' % (dest, prefixlen), strict=False)
        routes.append({'dest': str(network), 'dev': fields[9], 'gateway': str(gateway), 'reject': bool(flags & RTF_REJECT)})
    return routes


def read_routes() -> list[dict]:
    """Both families' routes of the main table; a family the node lacks gives none."""
    routes = []
    for path, parser in ((PROC_ROUTE, parse_proc_route), (PROC_IPV6_ROUTE, parse_proc_ipv6_route)):
        try:
            with open(path, 'r', encoding='ascii') as handle:
                routes.extend(parser(handle.read()))
        except OSError:
            continue
    return routes


def missing_routes(subnets: list[str], routes: list[dict]) -> list[str]:
    """The subnets with no usable route of exactly that prefix (an unreachable route does not count)."""
    have = set(route['dest'] for route in routes if not route['reject'])
    return [subnet for subnet in subnets if str(ipaddress.ip_network(subnet, strict=False)) not in have]


def list_devices() -> list[str]:
    """Names of the node's network devices, sorted."""
    try:
        return sorted(os.listdir(SYS_CLASS_NET))
    except OSError:
        return []


def lookup_route(address: str, routes: list[dict]) -> dict | None:
    """The route the kernel's main table picks for `address` (longest prefix), or None."""
    ip = ipaddress.ip_address(address)
    best = None
    for route in routes:
        network = ipaddress.ip_network(route['dest'])
        if network.version == ip.version and ip in network:
            if best is None or network.prefixlen > ipaddress.ip_network(best['dest']).prefixlen:
                best = route
    return best


def on_link(route: dict | None) -> bool:
    """A route straight onto a link (no gateway, not unreachable): the address is a neighbour."""
    return bool(route) and not route['reject'] and route['gateway'] in ('0.0.0.0', '::')


# Devices whose networks are not the node's own: the container bridge, overlay and veth devices.
NOT_NODE_DEVICES = ('lo', 'docker', 'flannel', 'veth', 'cni', 'br-', 'kube', 'cali', 'vxlan', 'wg')


def connected_networks(routes: list[dict]) -> list[dict]:
    """The networks the node is directly on ({'network', 'dev'}), container and overlay devices left out."""
    seen = []
    for route in routes:
        if not on_link(route) or route['dev'].startswith(NOT_NODE_DEVICES):
            continue
        network = ipaddress.ip_network(route['dest'])
        if network.prefixlen == 0 or network.is_link_local or network.is_multicast:
            continue
        item = {'network': str(network), 'dev': route['dev']}
        if item not in seen:
            seen.append(item)
    return seen


def parse_ip_addr_json(text: str) -> dict[str, dict]:
    """`ip -j addr show` as {device: {'ipv4': ['a.b.c.d/len', ...], 'ipv6': ['x::y/len', ...]}}.

    Addresses keep the kernel's order (the first IPv4 address is the one `ip -4 -o addr` prints
    first); IPv6 lists only addresses of global scope (no link-local ones).
    """
    devices: dict[str, dict] = {}
    for link in json.loads(text or '[]'):
        if not isinstance(link, dict) or not link.get('ifname'):
            continue
        entry = devices.setdefault(link['ifname'], {'ipv4': [], 'ipv6': []})
        for addr in link.get('addr_info') or []:
            if 'local' not in addr or 'prefixlen' not in addr:
                continue
            cidr = '%s/%s' % (addr['local'], addr['prefixlen'])
            if addr.get('family') == 'inet':
                entry['ipv4'].append(cidr)
            elif addr.get('family') == 'inet6' and addr.get('scope') == 'global':
                entry['ipv6'].append(cidr)
    return devices


def device_exists(name: str) -> bool:
    """The node has a network device of that name (/sys/class/net/<name>)."""
    return bool(name) and '/' not in name and os.path.lexists(os.path.join(SYS_CLASS_NET, name))


def read_addresses(module: Any, names: list[str]) -> dict[str, dict]:
    """{device: {'exists', 'ipv4', 'ipv6'}} for `names`, from one `ip -j addr show`; fails the module when ip does."""
    ip = module.get_bin_path('ip', required=True)
    rc, out, err = module.run_command([ip, '-j', 'addr', 'show'])
    if rc != 0:
        module.fail_json(msg='ip -j addr show failed: %s' % (err.strip() or out.strip()), rc=rc)
    try:
        found = parse_ip_addr_json(out)
    except ValueError as exc:
        module.fail_json(msg='ip -j addr show: unreadable output: %s' % exc)
    return {name: dict(exists=name in found, **found.get(name, {'ipv4': [], 'ipv6': []})) for name in names}


def delete_links(module: Any, names: list[str]) -> list[str]:
    """Remove the devices of `names` that exist (`ip link delete`), in order; the names removed.

    In check mode nothing is removed (the names that would be are returned). A device gone
    between the look and the delete is not an error.
    """
    present = [name for name in names if device_exists(name)]
    if module.check_mode or not present:
        return present
    ip = module.get_bin_path('ip', required=True)
    removed = []
    for name in present:
        rc, out, err = module.run_command([ip, 'link', 'delete', 'dev', name])
        if rc == 0:
            removed.append(name)
        elif 'Cannot find device' not in err and device_exists(name):
            module.fail_json(msg='name: cannot remove %s: %s' % (name, err.strip() or out.strip()), rc=rc, removed=removed)
    return removed
