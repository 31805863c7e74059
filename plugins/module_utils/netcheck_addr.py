# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Addresses for the network model check (playbooks/verify.yml): IPv4 and IPv6 addresses in the
shapes the topology, the nodes and the echo servers give them, read into one bare form. Standard
library only; the nodes' podnet.flannel.pod_probe uses it (parse_ip_addr, parse_ip_addr6), and so do
the topology (netcheck_topology), the plan (netcheck_plan) and the verdicts (netcheck_verdict).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Optional

FAMILIES = (4, 6)


def is_ipv4(text: Any) -> bool:
    try:
        ipaddress.IPv4Address(str(text))
    except ValueError:
        return False
    return True


def bare_ip(text: Any) -> Optional[str]:
    """``10.244.72.1/24`` -> ``10.244.72.1``; None for anything that is not an IPv4 address."""
    if not text:
        return None
    value = str(text).strip().split('/', 1)[0]
    return value if is_ipv4(value) else None


def bare_ip6(text: Any) -> Optional[str]:
    """``fd00:10:244:48::1/64`` -> ``fd00:10:244:48::1`` (compressed, lower case); None for anything
    that is not an IPv6 address (IPv4-mapped addresses included: they are IPv4)."""
    if not text:
        return None
    value = str(text).strip().split('/', 1)[0].split('%', 1)[0]
    if value.startswith('[') and value.endswith(']'):
        value = value[1:-1]
    try:
        address = ipaddress.IPv6Address(value)
    except ValueError:
        return None
    return None if address.ipv4_mapped else address.compressed


def bare_family_ip(text: Any, family: int) -> Optional[str]:
    """bare_ip (family 4) or bare_ip6 (family 6) of ``text``."""
    return bare_ip6(text) if family == 6 else bare_ip(text)


_BRACKETED = re.compile(r'^\[([^\]]+)\](?::\d+)?$')


def seen_address(text: Any, family: int = 4) -> Optional[str]:
    """The address an echo server answered with, or None.

    busybox httpd listens on a dual-stack socket, so its CGI sees IPv4 peers as IPv4-mapped IPv6
    addresses, in brackets: ``[::ffff:10.244.72.2]`` is ``10.244.72.2``.

    ``family`` 4 (IPv4 pairs): only an IPv4 address counts, any other answer is None. ``family`` 6
    (IPv6 pairs): an IPv6 address, bracketed or not, with a port after the brackets or a zone
    (``[fe80::1%eth0]``) dropped, compressed (``fd00:10:244:48::2``); an IPv4 or IPv4-mapped answer
    is returned as IPv4 (a receiver that saw an IPv4 peer on an IPv6 pair: NAT64 or a proxy).
    """
    if family == 6:
        value = (text or '').strip()
        match = _BRACKETED.match(value)
        if match:
            value = match.group(1)
        value = value.split('%', 1)[0]
        if is_ipv4(value):
            return value
        try:
            address = ipaddress.IPv6Address(value)
        except ValueError:
            return None
        return str(address.ipv4_mapped) if address.ipv4_mapped else address.compressed
    value = (text or '').strip()
    if value.startswith('[') and value.endswith(']'):
        value = value[1:-1]
    if is_ipv4(value):
        return value
    try:
        mapped = ipaddress.IPv6Address(value.split('%', 1)[0]).ipv4_mapped
    except ValueError:
        return None
    return str(mapped) if mapped else None


def parse_ip_addr(text: Optional[str]) -> Optional[str]:
    """The first IPv4 address in ``ip -4 -o addr show <dev>`` output (iproute2 or busybox), or None."""
    for line in (text or '').splitlines():
        match = re.search(r'\binet\s+(\d{1,3}(?:\.\d{1,3}){3})(?:/\d+)?', line)
        if match and is_ipv4(match.group(1)):
            return match.group(1)
    return None


def parse_ip_addr6(text: Optional[str]) -> Optional[str]:
    """The first global IPv6 address in ``ip -o addr show <dev>`` output (iproute2 or busybox), or None.

    Link-local (``fe80::/10``, ``scope link``) and host addresses are skipped, and so are addresses
    whose duplicate address detection failed (``dadfailed``).
    """
    for line in (text or '').splitlines():
        match = re.search(r'\binet6\s+([0-9A-Fa-f:.]+)(?:/\d+)?(.*)', line)
        if not match:
            continue
        rest = match.group(2)
        if re.search(r'\bscope\s+(link|host)\b', rest) or 'dadfailed' in rest:
            continue
        address = bare_ip6(match.group(1))
        if address and not ipaddress.IPv6Address(address).is_link_local:
            return address
    return None


def family_label(family: int) -> str:
    return 'IPv6' if family == 6 else 'IPv4'
