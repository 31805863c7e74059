# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Controller-side validation of a flannel network config (used by the flannel_network action plugin).

``validate(config, node_count=None, node_networks=(), docker_bridge='172.17.0.0/16')`` checks the whole
config before anything is written to etcd and returns it normalized (see
``module_utils.flannel.normalize_config``). The first problem found raises ``FlannelConfigError``, whose
text names the field, what is wrong and how to fix it, e.g.
``Network: '10.244.0.0/33' is not a valid IPv4 CIDR; use e.g. 10.244.0.0/16``.
"""

from __future__ import annotations

import base64
import binascii
import difflib
from typing import Any, Dict, Optional

try:
    import netaddr

    HAS_NETADDR = True
except ImportError:  # pragma: no cover - reported by validate()
    netaddr = None
    HAS_NETADDR = False

from ansible_collections.podnet.flannel.plugins.module_utils.flannel import (
    BACKEND_KEYS,
    BACKEND_TYPES,
    CONFIG_KEYS,
    DEFAULT_BACKEND_TYPE,
    WIREGUARD_MODES,
    normalize_config,
)


DOCKER_DEFAULT_BRIDGE = '172.17.0.0/16'

# IPv4: each subnet needs room for the bridge and the tunnel address -> at most /30; IPv6: /126.
MAX_SUBNET_LEN = {4: 30, 6: 126}
# Network must hold at least four subnets (flannel never leases the first one).
MIN_SPLIT = 2

_INT_RANGES = {
    'VNI': (0, 16777215),
    'Port': (0, 65535),
    'MTU': (68, 65535),
    'ListenPort': (1, 65535),
    'ListenPortV6': (1, 65535),
    'PersistentKeepaliveInterval': (0, 65535),
}
_BITS = {4: 32, 6: 128}
_BOOL_BACKEND_KEYS = ('GBP', 'Learning', 'DirectRouting', 'UDPEncap')
IPSEC_MIN_PSK_LENGTH = 96

_FAMILY = {
    4: {
        'net': 'Network',
        'len': 'SubnetLen',
        'min': 'SubnetMin',
        'max': 'SubnetMax',
        'name': 'IPv4',
        'example': '10.244.0.0/16',
        'example_address': '10.244.1.0',
        'default_len': 24,
        'smallest': 28,
    },
    6: {
        'net': 'IPv6Network',
        'len': 'IPv6SubnetLen',
        'min': 'IPv6SubnetMin',
        'max': 'IPv6SubnetMax',
        'name': 'IPv6',
        'example': 'fd00:10:244::/56',
        'example_address': 'fd00:10:244:1::',
        'default_len': 64,
        'smallest': 124,
    },
}


class FlannelConfigError(ValueError):
    """A config problem: ``field`` is the flannel config key (e.g. ``Backend.VNI``), ``message`` the reason and fix."""

    def __init__(self, field, message):
        super().__init__('%s: %s' % (field, message))
        self.field = field
        self.message = message

    def __str__(self):
        return '%s: %s' % (self.field, self.message)


def _require_netaddr():
    if not HAS_NETADDR:
        raise FlannelConfigError(
            'controller', 'the Python library netaddr is required on the controller to validate the flannel config; install it with pip install netaddr'
        )


def _plural(count, word):
    return '%d %s%s' % (count, word, '' if count == 1 else 's')


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_cidr(field, value, family):
    fam = _FAMILY[family]
    bad = '%r is not a valid %s CIDR; use e.g. %s' % (value, fam['name'], fam['example'])
    if not isinstance(value, str) or '/' not in value:
        raise FlannelConfigError(field, bad)
    text = value.strip()
    addr, _sep, plen = text.partition('/')
    if not plen.isdigit():
        raise FlannelConfigError(field, bad)
    try:
        net = netaddr.IPNetwork(text, version=family)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        raise FlannelConfigError(field, bad)
    if net.version != family or int(plen) != net.prefixlen or not _strict_address(addr, family):
        raise FlannelConfigError(field, bad)
    if net.ip != net.network:
        raise FlannelConfigError(field, '%r has host bits set: it is not a network address; use %s/%d' % (value, net.network, net.prefixlen))
    return net


def _strict_address(text, family):
    try:
        if family == 4:
            return netaddr.valid_ipv4(text, flags=netaddr.INET_PTON)
        return netaddr.valid_ipv6(text)
    except (TypeError, ValueError):
        return False


def _parse_address(field, value, family):
    fam = _FAMILY[family]
    if not isinstance(value, str) or not _strict_address(value.strip(), family):
        raise FlannelConfigError(
            field, '%r is not a valid %s address; give the first address of a subnet, e.g. %s' % (value, fam['name'], fam['example_address'])
        )
    return netaddr.IPAddress(value.strip(), version=family)


def _check_int(field, value):
    if not _is_int(value):
        raise FlannelConfigError(field, '%r is not an integer' % (value,))
    return value


def _check_bool(field, value):
    if not isinstance(value, bool):
        raise FlannelConfigError(field, '%r is not a boolean; use true or false' % (value,))
    return value


def _check_family(cfg, family):
    """Check one address family; returns (network, subnet_len, first, last, capacity)."""
    fam = _FAMILY[family]
    net_key, len_key, min_key, max_key = fam['net'], fam['len'], fam['min'], fam['max']
    if net_key not in cfg:
        other = 'EnableIPv4: false' if family == 4 else 'EnableIPv6: false'
        raise FlannelConfigError(net_key, 'is required when %s is enabled; set it (e.g. %s) or set %s' % (fam['name'], fam['example'], other))
    net = _parse_cidr(net_key, cfg[net_key], family)
    max_len = MAX_SUBNET_LEN[family]
    lowest = net.prefixlen + MIN_SPLIT
    if lowest > max_len:
        raise FlannelConfigError(
            net_key,
            '%s is too small: flannel needs room for at least four subnets of at most /%d; '
            'use a /%d or larger network, e.g. %s' % (net, max_len, fam['smallest'], fam['example']),
        )
    if cfg.get(len_key) in (None, 0):
        sublen = fam['default_len'] if net.prefixlen <= fam['default_len'] - MIN_SPLIT else net.prefixlen + MIN_SPLIT
    else:
        sublen = _check_int(len_key, cfg[len_key])
        if not lowest <= sublen <= max_len:
            raise FlannelConfigError(
                len_key,
                '%s is out of range for %s %s: allowed range is %d..%d (at least the network '
                'prefix length + %d so the network holds four or more subnets, at most %d)' % (sublen, net_key, net, lowest, max_len, MIN_SPLIT, max_len),
            )
    size = 1 << (_BITS[family] - sublen)
    first_default = int(net.network) + size
    last_default = int(net.network) + net.size - size
    bounds = {}
    for key, default in ((min_key, first_default), (max_key, last_default)):
        if cfg.get(key) in (None, ''):
            bounds[key] = default
            continue
        addr = _parse_address(key, cfg[key], family)
        if addr not in net:
            raise FlannelConfigError(
                key, '%s is outside %s %s; pick an address inside it, e.g. %s' % (addr, net_key, net, netaddr.IPAddress(default, version=family))
            )
        if int(addr) % size:
            aligned = netaddr.IPAddress(int(addr) - int(addr) % size, version=family)
            raise FlannelConfigError(key, '%s is not on a /%d boundary (%s is %d); use %s' % (addr, sublen, len_key, sublen, aligned))
        bounds[key] = int(addr)
    if bounds[min_key] > bounds[max_key]:
        raise FlannelConfigError(
            min_key,
            '%s is greater than %s %s; %s must not exceed %s'
            % (netaddr.IPAddress(bounds[min_key], version=family), max_key, netaddr.IPAddress(bounds[max_key], version=family), min_key, max_key),
        )
    capacity = (bounds[max_key] - bounds[min_key]) // size + 1
    return net, sublen, bounds[min_key], bounds[max_key], capacity


def _check_capacity(cfg, family, info, node_count):
    fam = _FAMILY[family]
    net, sublen, first, last, capacity = info
    if node_count is None or capacity >= node_count:
        return
    first_ip = netaddr.IPAddress(first, version=family)
    last_ip = netaddr.IPAddress(last, version=family)
    explicit = cfg.get(fam['min']) not in (None, '') or cfg.get(fam['max']) not in (None, '')
    if explicit:
        field = '%s/%s' % (fam['min'], fam['max'])
        where = '%s..%s' % (first_ip, last_ip)
        fix = 'widen %s..%s, raise %s (smaller subnets) or use a larger %s' % (fam['min'], fam['max'], fam['len'], fam['net'])
    else:
        field = fam['net']
        where = '%s' % net
        fix = 'flannel never leases the first subnet; use a larger %s or raise %s (smaller subnets)' % (fam['net'], fam['len'])
    raise FlannelConfigError(
        field, '%s holds %s of /%d but %s need one each; %s' % (where, _plural(capacity, 'usable subnet'), sublen, _plural(node_count, 'node'), fix)
    )


def _node_network_list(node_networks):
    """Accept CIDR strings, (label, cidr) pairs or dicts with 'network' (and 'host'); yield (label, IPNetwork)."""
    for item in node_networks or ():
        label, value = None, item
        if isinstance(item, dict):
            label, value = item.get('host') or item.get('name'), item.get('network')
        elif isinstance(item, (list, tuple)) and len(item) == 2:
            label, value = item
        try:
            net = netaddr.IPNetwork(str(value).strip())
        except (netaddr.AddrFormatError, ValueError, TypeError):
            raise FlannelConfigError('node_networks', '%r is not a CIDR; list the nodes\' networks as e.g. 192.168.1.0/24' % (value,))
        yield label, net


def _check_overlaps(family, net, node_networks, docker_bridge):
    field = _FAMILY[family]['net']
    for label, other in _node_network_list(node_networks):
        if other.version != family:
            continue
        if other.first <= net.last and net.first <= other.last:
            whose = ' (%s)' % label if label else ''
            raise FlannelConfigError(
                field,
                '%s overlaps the node network %s%s: pod traffic would be routed away from the '
                'nodes; pick a range the nodes do not use' % (net, other.cidr, whose),
            )
    if docker_bridge and family == 4:
        bridge = netaddr.IPNetwork(docker_bridge)
        if bridge.first <= net.last and net.first <= bridge.last:
            raise FlannelConfigError(
                field,
                "%s overlaps Docker's default bridge network %s (docker0 before flannel "
                'configures it); pick a range outside it, e.g. 10.244.0.0/16' % (net, bridge.cidr),
            )


def _check_keys(field, given, allowed, what):
    """Map keys to canonical spelling; reject unknown keys and case-duplicates."""
    out = {}
    for name in given:
        if not isinstance(name, str):
            raise FlannelConfigError(field, 'key %r is not a string' % (name,))
        match = [key for key in allowed if key.lower() == name.lower()]
        if not match:
            prefix = '%s.' % field if field != 'config' else ''
            close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
            hint = ' (did you mean %s?)' % close[0] if close else ''
            raise FlannelConfigError('%s%s' % (prefix, name), 'unknown %s%s; allowed keys: %s' % (what, hint, ', '.join(allowed)))
        if match[0] in out:
            raise FlannelConfigError(field, 'keys %r and %r are the same key for flannel (it ignores case); keep one' % (out[match[0]], name))
        out[match[0]] = name
    return out


def _check_backend(backend):
    if backend is None:
        return
    if not isinstance(backend, dict):
        raise FlannelConfigError('Backend', 'must be a dict such as {"Type": "vxlan"}, not %s' % type(backend).__name__)
    type_key = [name for name in backend if isinstance(name, str) and name.lower() == 'type']
    btype = backend[type_key[0]] if type_key else DEFAULT_BACKEND_TYPE
    if not isinstance(btype, str) or btype.strip().lower() not in BACKEND_TYPES:
        raise FlannelConfigError('Backend.Type', '%r is not a backend type flannel knows; use one of %s' % (btype, ', '.join(BACKEND_TYPES)))
    btype = btype.strip().lower()
    allowed = BACKEND_KEYS[btype]
    _check_keys('Backend', backend, allowed, 'option of the %s backend' % btype)
    spelled = normalize_config({'Backend': backend})['Backend']
    for key, value in spelled.items():
        field = 'Backend.%s' % key
        if key in _INT_RANGES:
            low, high = _INT_RANGES[key]
            _check_int(field, value)
            if not low <= value <= high:
                raise FlannelConfigError(field, '%d is out of range; allowed range is %d..%d' % (value, low, high))
        elif key in _BOOL_BACKEND_KEYS:
            _check_bool(field, value)
        elif key == 'Mode':
            if value not in WIREGUARD_MODES:
                raise FlannelConfigError(field, '%r is not a wireguard mode; use one of %s' % (value, ', '.join(WIREGUARD_MODES)))
        elif key == 'ESPProposal':
            if not isinstance(value, str) or not value.strip():
                raise FlannelConfigError(field, 'must be a non-empty string such as aes128gcm16-sha256-prfsha256-ecp256')
        elif key == 'PSK':
            _check_psk(btype, value)


def _check_psk(btype, value):
    # Never echo the value: it is a secret.
    if not isinstance(value, str) or not value:
        raise FlannelConfigError('Backend.PSK', 'must be a non-empty string')
    if btype == 'wireguard':
        try:
            raw = base64.b64decode(value.strip(), validate=True)
        except (binascii.Error, ValueError):
            raw = b''
        if len(raw) != 32:
            raise FlannelConfigError('Backend.PSK', 'is not a WireGuard key (32 bytes, base64); generate one with wg genpsk')
    elif btype == 'ipsec' and len(value) < IPSEC_MIN_PSK_LENGTH:
        raise FlannelConfigError(
            'Backend.PSK', 'is too short for the ipsec backend: it needs at least %d characters (e.g. from openssl rand -hex 48)' % IPSEC_MIN_PSK_LENGTH
        )


def validate(config: Any, node_count: Optional[int] = None, node_networks: Any = (), docker_bridge: Optional[str] = DOCKER_DEFAULT_BRIDGE) -> Dict[str, Any]:
    """Validate a flannel network config; return it normalized or raise FlannelConfigError.

    ``node_count``: how many nodes need a subnet (None skips the capacity check).
    ``node_networks``: the nodes' own networks (CIDR strings, (label, cidr) pairs or dicts with
    ``network`` and ``host``); the pod network must overlap none of them.
    ``docker_bridge``: Docker's default bridge network (None or '' skips that check).
    """
    _require_netaddr()
    if not isinstance(config, dict):
        raise FlannelConfigError('config', 'must be a dict (flannel\'s JSON object), not %s' % type(config).__name__)
    if not config:
        raise FlannelConfigError('config', 'is empty; give at least Network, e.g. {"Network": "10.244.0.0/16"}')
    if node_count is not None and (not _is_int(node_count) or node_count < 0):
        raise FlannelConfigError('node_count', '%r is not a non-negative integer' % (node_count,))
    _check_keys('config', config, CONFIG_KEYS, 'top-level key')
    cfg = normalize_config(config)
    for key in ('EnableIPv4', 'EnableIPv6', 'EnableNFTables'):
        if key in cfg:
            _check_bool(key, cfg[key])
    enable4 = cfg.get('EnableIPv4', True)
    enable6 = cfg.get('EnableIPv6', False)
    if not enable4 and not enable6:
        raise FlannelConfigError('EnableIPv4', 'IPv4 and IPv6 are both disabled; enable at least one of EnableIPv4, EnableIPv6')
    if not enable6 and cfg.get('IPv6Network') not in (None, ''):
        raise FlannelConfigError(
            'EnableIPv6', 'IPv6Network is set but EnableIPv6 is false, so flannel would ignore it; set EnableIPv6: true or remove IPv6Network'
        )
    if 'Backend' not in cfg or cfg['Backend'] is None:
        cfg['Backend'] = {'Type': DEFAULT_BACKEND_TYPE}
    raw_backend = [value for name, value in config.items() if isinstance(name, str) and name.lower() == 'backend']
    _check_backend(raw_backend[0] if raw_backend and raw_backend[0] is not None else None)
    for family, enabled in ((4, enable4), (6, enable6)):
        if not enabled:
            continue
        info = _check_family(cfg, family)
        _check_overlaps(family, info[0], node_networks, docker_bridge)
        _check_capacity(cfg, family, info, node_count)
        # Normalized spelling: network address text as netaddr renders it.
        cfg[_FAMILY[family]['net']] = str(info[0].cidr)
    return normalize_config(cfg)


def capacity(config: Dict[str, Any]) -> int:
    """How many subnets flannel can lease for a (valid) config: the smaller of the enabled families."""
    _require_netaddr()
    cfg = normalize_config(config)
    counts = []
    if cfg.get('EnableIPv4', True):
        counts.append(_check_family(cfg, 4)[4])
    if cfg.get('EnableIPv6', False):
        counts.append(_check_family(cfg, 6)[4])
    return min(counts) if counts else 0
