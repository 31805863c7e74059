# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Flannel data formats, shared by the modules (on the nodes) and the action plugin (on the controller).

Standard library only: this file is shipped to the managed nodes.

- ``subnet.env`` (written by flanneld, ``/run/flannel/subnet.env``): parse and serialize.
- Lease keys (``<prefix>/subnets/10.244.72.0-24``, dual stack ``10.244.72.0-24&fd00:10:244:48::-64``): to and from CIDRs.
- Lease values (JSON ``{"PublicIP": ..., "BackendType": ..., "BackendData": {...}}``): parse.
- Network config (``<prefix>/config``): build from module options, normalize, canonicalize for comparison
  (flannel's own defaults applied, for comparison only), compare, list risky changes.
"""

from __future__ import annotations

import copy
import ipaddress
import json
import re
from typing import Any, Dict, List, Optional, Set, Tuple

from ansible_collections.podnet.flannel.plugins.module_utils.envfile import assignments


DEFAULT_PREFIX = '/coreos.com/network'
DEFAULT_SUBNET_FILE = '/run/flannel/subnet.env'
DEFAULT_BACKEND_TYPE = 'vxlan'

# Top-level keys of flannel's network config (pkg/subnet/config.go), in the order we write them.
CONFIG_KEYS = (
    'Network',
    'SubnetLen',
    'SubnetMin',
    'SubnetMax',
    'EnableIPv4',
    'EnableIPv6',
    'IPv6Network',
    'IPv6SubnetLen',
    'IPv6SubnetMin',
    'IPv6SubnetMax',
    'EnableNFTables',
    'Backend',
)

# Backend keys each backend type reads (pkg/backend/*), 'Type' first.
BACKEND_KEYS = {
    'vxlan': ('Type', 'VNI', 'Port', 'GBP', 'Learning', 'DirectRouting', 'MTU'),
    'host-gw': ('Type',),
    'wireguard': ('Type', 'ListenPort', 'ListenPortV6', 'MTU', 'PSK', 'PersistentKeepaliveInterval', 'Mode'),
    'udp': ('Type', 'Port'),
    'ipip': ('Type', 'DirectRouting'),
    'ipsec': ('Type', 'UDPEncap', 'ESPProposal', 'PSK'),
}
BACKEND_TYPES = tuple(BACKEND_KEYS)
WIREGUARD_MODES = ('separate', 'auto', 'ipv4', 'ipv6')

# Defaults flannel applies when a backend key is absent. MTU is left out on purpose: flannel derives
# it from the external interface, so "absent" and any number are different settings.
BACKEND_DEFAULTS = {
    'vxlan': {'VNI': 1, 'Port': 0, 'GBP': False, 'Learning': False, 'DirectRouting': False},
    'host-gw': {},
    'wireguard': {'ListenPort': 51820, 'ListenPortV6': 51821, 'PersistentKeepaliveInterval': 0, 'Mode': 'separate'},
    'udp': {'Port': 8285},
    'ipip': {'DirectRouting': False},
    'ipsec': {'UDPEncap': False, 'ESPProposal': 'aes128gcm16-sha256-prfsha256-ecp256'},
}

# Every node must run with the same config: flanneld reads it once, at its start, and a node on
# another Backend.VNI, Port, Type (or another Network) than its peers cannot reach them. So any
# change while leases live is one the running nodes cannot follow by themselves, except the lease
# range: SubnetMin/SubnetMax (and the IPv6 ones) only steer leases not yet taken, and are safe as
# long as every live lease stays inside the new range.
RANGE_FIELDS = {'SubnetMin': ('SubnetMax', 4), 'SubnetMax': ('SubnetMin', 4), 'IPv6SubnetMin': ('IPv6SubnetMax', 6), 'IPv6SubnetMax': ('IPv6SubnetMin', 6)}

SECRET_BACKEND_KEYS = ('PSK',)
MASK = '********'

# Module option (snake_case) -> flannel config key.
OPTION_KEYS = (
    ('network', 'Network'),
    ('subnet_len', 'SubnetLen'),
    ('subnet_min', 'SubnetMin'),
    ('subnet_max', 'SubnetMax'),
    ('enable_ipv4', 'EnableIPv4'),
    ('enable_ipv6', 'EnableIPv6'),
    ('ipv6_network', 'IPv6Network'),
    ('ipv6_subnet_len', 'IPv6SubnetLen'),
    ('ipv6_subnet_min', 'IPv6SubnetMin'),
    ('ipv6_subnet_max', 'IPv6SubnetMax'),
)
BACKEND_OPTION_KEYS = (
    ('type', 'Type'),
    ('vni', 'VNI'),
    ('port', 'Port'),
    ('gbp', 'GBP'),
    ('learning', 'Learning'),
    ('direct_routing', 'DirectRouting'),
    ('mtu', 'MTU'),
    ('listen_port', 'ListenPort'),
    ('listen_port_v6', 'ListenPortV6'),
    ('psk', 'PSK'),
    ('persistent_keepalive_interval', 'PersistentKeepaliveInterval'),
    ('mode', 'Mode'),
)

_ENV_KEYS = (
    ('FLANNEL_NETWORK', 'network'),
    ('FLANNEL_SUBNET', 'subnet'),
    ('FLANNEL_IPV6_NETWORK', 'ipv6_network'),
    ('FLANNEL_IPV6_SUBNET', 'ipv6_subnet'),
    ('FLANNEL_MTU', 'mtu'),
    ('FLANNEL_IPMASQ', 'ipmasq'),
)

_LEASE_KEY_RE = re.compile(r'^(\d+\.\d+\.\d+\.\d+)-(\d+)(?:&([0-9a-fA-F:.]+)-(\d+))?$')


# --------------------------------------------------------------------------- subnet.env


def _parse_bool(value):
    text = str(value).strip().lower()
    if text in ('true', '1', 'yes', 'on'):
        return True
    if text in ('false', '0', 'no', 'off', ''):
        return False
    raise ValueError('not a boolean: %r' % (value,))


def parse_subnet_env(text: Optional[str]) -> Dict[str, Any]:
    """Parse the text of flanneld's subnet.env.

    Returns a dict with ``network``, ``subnet`` (strings), ``mtu`` (int), ``ipmasq`` (bool) and,
    when present, ``ipv6_network`` and ``ipv6_subnet``. Keys absent from the file are absent from the
    result; unknown ``FLANNEL_*`` variables are kept under ``extra``. Raises ValueError on a line that
    is not ``NAME=value`` or on a non-numeric MTU.
    """
    known = dict(_ENV_KEYS)
    result = {}
    extra = {}
    for lineno, raw, name, value in assignments(text):
        if value is None or not name:
            raise ValueError('line %d is not NAME=value: %r' % (lineno, raw))
        if name not in known:
            extra[name] = value
            continue
        field = known[name]
        if field == 'mtu':
            try:
                result[field] = int(value)
            except ValueError:
                raise ValueError('line %d: FLANNEL_MTU is not a number: %r' % (lineno, value))
        elif field == 'ipmasq':
            try:
                result[field] = _parse_bool(value)
            except ValueError:
                raise ValueError('line %d: FLANNEL_IPMASQ is not true/false: %r' % (lineno, value))
        else:
            result[field] = value
    if extra:
        result['extra'] = extra
    return result


def serialize_subnet_env(env: Dict[str, Any]) -> str:
    """Render a dict as returned by parse_subnet_env back to subnet.env text, in flanneld's order."""
    lines = []
    for name, field in _ENV_KEYS:
        if env.get(field) is None:
            continue
        value = env[field]
        if isinstance(value, bool):
            value = 'true' if value else 'false'
        lines.append('%s=%s' % (name, value))
    for name in sorted(env.get('extra') or {}):
        lines.append('%s=%s' % (name, env['extra'][name]))
    return '\n'.join(lines) + '\n' if lines else ''


def subnet_env_network(address_cidr: str) -> str:
    """``10.244.72.1/24`` (FLANNEL_SUBNET: first usable address) -> ``10.244.72.0/24``."""
    return str(ipaddress.ip_interface('%s' % address_cidr).network)


# --------------------------------------------------------------------------- lease keys


def parse_lease_key(key: str) -> Tuple[Optional[str], Optional[str]]:
    """Lease key (a full etcd key or its last component) -> (ipv4_cidr, ipv6_cidr).

    ``10.244.72.0-24`` -> ('10.244.72.0/24', None); ``10.244.72.0-24&fd00::-64`` -> ('10.244.72.0/24', 'fd00::/64');
    IPv6-only leases carry an empty IPv4 part ``0.0.0.0-0`` -> (None, 'fd00::/64').
    Raises ValueError when the key is not a flannel subnet key.
    """
    name = key.rstrip('/').rsplit('/', 1)[-1]
    match = _LEASE_KEY_RE.match(name)
    if not match:
        raise ValueError('not a flannel subnet key: %r' % (key,))
    v4_ip, v4_len, v6_ip, v6_len = match.groups()
    try:
        v4 = ipaddress.IPv4Network('%s/%s' % (v4_ip, v4_len))
        v6 = ipaddress.IPv6Network('%s/%s' % (v6_ip, v6_len)) if v6_ip else None
    except ValueError as exc:
        raise ValueError('not a flannel subnet key: %r (%s)' % (key, exc))
    v4_text = None if (v4.prefixlen == 0 and int(v4.network_address) == 0) else str(v4)
    if v4_text is None and v6 is None:
        raise ValueError('flannel subnet key %r holds no subnet' % (key,))
    return v4_text, (str(v6) if v6 is not None else None)


def lease_key_to_cidr(key: str) -> Optional[str]:
    """The lease's IPv4 CIDR, or its IPv6 CIDR for an IPv6-only lease."""
    v4, v6 = parse_lease_key(key)
    return v4 if v4 is not None else v6


def cidr_to_lease_key(cidr: str, ipv6_cidr: Optional[str] = None) -> str:
    """``10.244.72.0/24`` -> ``10.244.72.0-24``; with ipv6_cidr -> ``10.244.72.0-24&fd00::-64``.

    ``cidr`` may be None (IPv6-only lease, then ipv6_cidr is required) or an IPv6 CIDR on its own.
    """
    v4 = v6 = None
    if cidr is not None:
        net = ipaddress.ip_network('%s' % cidr)
        if net.version == 6:
            if ipv6_cidr is not None:
                raise ValueError('two IPv6 subnets given: %s and %s' % (cidr, ipv6_cidr))
            v6 = net
        else:
            v4 = net
    if ipv6_cidr is not None:
        v6 = ipaddress.IPv6Network('%s' % ipv6_cidr)
    if v4 is None and v6 is None:
        raise ValueError('no subnet given')
    key = '%s-%d' % (v4.network_address, v4.prefixlen) if v4 is not None else '0.0.0.0-0'
    if v6 is not None:
        key += '&%s-%d' % (v6.network_address, v6.prefixlen)
    return key


def lease_key(prefix: str, cidr: str, ipv6_cidr: Optional[str] = None) -> str:
    return '%s/subnets/%s' % (prefix.rstrip('/'), cidr_to_lease_key(cidr, ipv6_cidr))


def config_key(prefix: str) -> str:
    return '%s/config' % prefix.rstrip('/')


def subnets_prefix(prefix: str) -> str:
    return '%s/subnets/' % prefix.rstrip('/')


# --------------------------------------------------------------------------- lease values


def _as_dict(value):
    if isinstance(value, dict):
        return value
    if isinstance(value, str) and value.strip():
        try:
            loaded = json.loads(value)
        except ValueError:
            return {}
        return loaded if isinstance(loaded, dict) else {}
    return {}


def parse_lease(value: Any) -> Dict[str, Any]:
    """Parse a lease's JSON value (text or already-decoded dict) into snake_case fields.

    Returns ``public_ip``, ``public_ipv6``, ``backend_type``, ``vtep_mac``, ``vni`` (vxlan),
    ``vtep_mac_v6``, ``public_key`` and ``port`` (wireguard) when present, plus ``backend_data``
    (the raw dict). Raises ValueError when the value is not a JSON object.
    """
    if isinstance(value, (bytes, bytearray)):
        value = value.decode('utf-8')
    if isinstance(value, str):
        try:
            data = json.loads(value)
        except ValueError as exc:
            raise ValueError('lease value is not JSON: %s' % exc)
    else:
        data = value
    if not isinstance(data, dict):
        raise ValueError('lease value is not a JSON object')
    backend_data = _as_dict(data.get('BackendData'))
    backend_v6 = _as_dict(data.get('BackendV6Data'))
    result = {
        'public_ip': data.get('PublicIP') or None,
        'public_ipv6': data.get('PublicIPv6') or None,
        'backend_type': data.get('BackendType') or None,
        'vtep_mac': backend_data.get('VtepMAC'),
        'vni': backend_data.get('VNI'),
        'backend_data': backend_data or None,
    }
    if backend_v6:
        result['vtep_mac_v6'] = backend_v6.get('VtepMAC')
        result['backend_v6_data'] = backend_v6
    if 'PublicKey' in backend_data or 'PublicKey' in backend_v6:
        result['public_key'] = backend_data.get('PublicKey', backend_v6.get('PublicKey'))
        result['port'] = backend_data.get('Port', backend_v6.get('Port'))
    return result


# --------------------------------------------------------------------------- network config


def _lookup_key(name, allowed):
    """Map a key to its canonical spelling (flannel decodes JSON keys case-insensitively)."""
    lowered = name.lower() if isinstance(name, str) else name
    for candidate in allowed:
        if candidate.lower() == lowered:
            return candidate
    return None


def build_config(params: Dict[str, Any]) -> Dict[str, Any]:
    """Build flannel's config dict from flannel_network's module options (snake_case).

    ``params['config']``, when given, is used as-is (copied). Otherwise only the options that are set
    are written, and ``Backend.Type`` is always written (default vxlan), because a config without a
    Backend makes flannel fall back to the udp backend.
    """
    if params.get('config') is not None:
        return copy.deepcopy(params['config'])
    config = {}
    for option, key in OPTION_KEYS:
        if params.get(option) is not None:
            config[key] = params[option]
    backend = {}
    for option, key in BACKEND_OPTION_KEYS:
        value = (params.get('backend') or {}).get(option)
        if value is not None:
            backend[key] = value
    backend.setdefault('Type', DEFAULT_BACKEND_TYPE)
    config['Backend'] = backend
    return config


def _int_like(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.match(r'^\s*-?\d+\s*$', value):
        return int(value)
    return value


def _bool_like(value):
    if isinstance(value, str):
        try:
            return _parse_bool(value)
        except ValueError:
            return value
    return value


_INT_KEYS = ('SubnetLen', 'IPv6SubnetLen', 'VNI', 'Port', 'MTU', 'ListenPort', 'ListenPortV6', 'PersistentKeepaliveInterval')
_BOOL_KEYS = ('EnableIPv4', 'EnableIPv6', 'EnableNFTables', 'GBP', 'Learning', 'DirectRouting', 'UDPEncap')


def _normal_address(value):
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return value


def normalize_config(config: Any) -> Any:
    """Spell a flannel config the way this collection writes it, without changing its meaning.

    Keys get flannel's canonical spelling and order, numbers and booleans their JSON types, addresses
    their canonical text (an address with host bits keeps them: that is for validation to reject),
    ``Backend.Type`` is lowercase and always present (vxlan when missing). Unknown keys are kept.
    Does not add defaults other than Backend.Type.
    """
    if not isinstance(config, dict):
        return config
    out = {}
    unknown = {}
    for name, value in config.items():
        key = _lookup_key(name, CONFIG_KEYS)
        if key is None:
            unknown[name] = value
            continue
        out[key] = value
    for key in list(out):
        if key in _INT_KEYS:
            out[key] = _int_like(out[key])
        elif key in _BOOL_KEYS:
            out[key] = _bool_like(out[key])
        elif key in ('Network', 'IPv6Network') and isinstance(out[key], str):
            out[key] = _normal_cidr_text(out[key])
        elif key in ('SubnetMin', 'SubnetMax', 'IPv6SubnetMin', 'IPv6SubnetMax') and isinstance(out[key], str):
            out[key] = _normal_address(out[key].strip())
    backend = out.get('Backend')
    if backend is None:
        backend = {}
    if isinstance(backend, dict):
        btype = None
        for name, value in backend.items():
            if isinstance(name, str) and name.lower() == 'type':
                btype = value
        btype = btype.strip().lower() if isinstance(btype, str) and btype.strip() else DEFAULT_BACKEND_TYPE
        allowed = BACKEND_KEYS.get(btype, ('Type',))
        new_backend = {'Type': btype}
        for name, value in backend.items():
            key = _lookup_key(name, allowed) or _lookup_key(name, _all_backend_keys()) or name
            if key == 'Type':
                continue
            if key in _INT_KEYS:
                value = _int_like(value)
            elif key in _BOOL_KEYS:
                value = _bool_like(value)
            elif key == 'Mode' and isinstance(value, str):
                value = value.strip().lower()
            new_backend[key] = value
        out['Backend'] = new_backend
    ordered = {}
    for key in CONFIG_KEYS:
        if key in out:
            ordered[key] = out[key]
    ordered.update(unknown)
    if isinstance(ordered.get('Backend'), dict):
        ordered['Backend'] = _order_backend(ordered['Backend'])
    return ordered


def _normal_cidr_text(text):
    text = text.strip()
    try:
        iface = ipaddress.ip_interface('%s' % text)
    except ValueError:
        return text
    if '/' not in text:
        return text
    return '%s/%d' % (iface.ip, iface.network.prefixlen)


def _all_backend_keys():
    keys = []
    for names in BACKEND_KEYS.values():
        for name in names:
            if name not in keys:
                keys.append(name)
    return keys


def _order_backend(backend):
    btype = backend.get('Type')
    order = list(BACKEND_KEYS.get(btype, ('Type',)))
    ordered = {}
    for key in order:
        if key in backend:
            ordered[key] = backend[key]
    for key in sorted(k for k in backend if k not in ordered):
        ordered[key] = backend[key]
    return ordered


def _default_subnet_len(prefixlen, family):
    if family == 4:
        return 24 if prefixlen <= 22 else prefixlen + 2
    return 64 if prefixlen <= 62 else prefixlen + 2


def _apply_family_defaults(cfg, family):
    net_key, len_key, min_key, max_key = (
        ('Network', 'SubnetLen', 'SubnetMin', 'SubnetMax') if family == 4 else ('IPv6Network', 'IPv6SubnetLen', 'IPv6SubnetMin', 'IPv6SubnetMax')
    )
    try:
        net = ipaddress.ip_network('%s' % cfg.get(net_key), strict=False)
    except ValueError:
        return
    if net.version != family:
        return
    cfg[net_key] = str(net)
    sublen = cfg.get(len_key)
    if not sublen:
        sublen = _default_subnet_len(net.prefixlen, family)
        cfg[len_key] = sublen
    if not isinstance(sublen, int) or isinstance(sublen, bool) or not net.prefixlen < sublen <= net.max_prefixlen:
        return
    size = 1 << (net.max_prefixlen - sublen)
    if not cfg.get(min_key):
        cfg[min_key] = str(net.network_address + size)
    if not cfg.get(max_key):
        cfg[max_key] = str(ipaddress.ip_address(int(net.network_address) + net.num_addresses - size))


def canonicalize_config(config: Any) -> Any:
    """The config as flanneld would see it, for comparison only (never written).

    On top of normalize_config: EnableIPv4 defaults to true, EnableIPv6 and EnableNFTables to false;
    for each enabled family SubnetLen, SubnetMin and SubnetMax get flannel's defaults; a missing
    Backend means udp (flannel's fallback), and each backend's option defaults are filled in.
    Settings of a disabled family are dropped (flannel ignores them).
    """
    if config is None:
        return None
    if not isinstance(config, dict):
        return config
    raw_backend = None
    for name, value in config.items():
        if isinstance(name, str) and name.lower() == 'backend':
            raw_backend = value
    cfg = normalize_config(config)
    if raw_backend is None:
        cfg['Backend'] = {'Type': 'udp'}
    cfg.setdefault('EnableIPv4', True)
    cfg.setdefault('EnableIPv6', False)
    cfg.setdefault('EnableNFTables', False)
    if cfg['EnableIPv4'] is True:
        _apply_family_defaults(cfg, 4)
    else:
        for key in ('Network', 'SubnetLen', 'SubnetMin', 'SubnetMax'):
            cfg.pop(key, None)
    if cfg['EnableIPv6'] is True:
        _apply_family_defaults(cfg, 6)
    else:
        for key in ('IPv6Network', 'IPv6SubnetLen', 'IPv6SubnetMin', 'IPv6SubnetMax'):
            cfg.pop(key, None)
    backend = cfg.get('Backend')
    if isinstance(backend, dict):
        for key, value in BACKEND_DEFAULTS.get(backend.get('Type'), {}).items():
            backend.setdefault(key, value)
    return cfg


def configs_equal(a: Any, b: Any) -> bool:
    """True when flanneld would behave the same with either config."""
    return canonicalize_config(a) == canonicalize_config(b)


def _field(cfg, path):
    value = cfg
    for part in path.split('.'):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _flatten(cfg):
    """{'Network': ..., 'Backend.Type': ..., 'Backend.VNI': ...} of a canonical config, in its order."""
    out = {}
    for key, value in cfg.items():
        if key == 'Backend' and isinstance(value, dict):
            for bkey, bvalue in value.items():
                out['Backend.' + bkey] = bvalue
        else:
            out[key] = value
    return out


def changed_fields(old: Any, new: Any) -> List[str]:
    """Every field (Backend ones as Backend.<key>) whose canonical value differs, in config order."""
    a = _flatten(canonicalize_config(old))
    b = _flatten(canonicalize_config(new))
    names = list(b) + [name for name in a if name not in b]
    return [name for name in names if a.get(name) != b.get(name)]


def _outside_range(cfg, family, leases):
    """The lease subnets of `family` outside cfg's [SubnetMin, SubnetMax] (or the IPv6 pair)."""
    low_key, high_key = ('SubnetMin', 'SubnetMax') if family == 4 else ('IPv6SubnetMin', 'IPv6SubnetMax')
    try:
        low = ipaddress.ip_address(cfg[low_key]) if cfg.get(low_key) else None
        high = ipaddress.ip_address(cfg[high_key]) if cfg.get(high_key) else None
    except ValueError:
        return list(leases)
    outside = []
    for subnet in leases:
        net = ipaddress.ip_network(subnet, strict=False)
        if net.version != family:
            continue
        if (low is not None and net.network_address < low) or (high is not None and net.network_address > high):
            outside.append(subnet)
    return outside


def risky_changes(old: Any, new: Any, leases: Optional[List[str]] = None) -> List[str]:
    """The changed fields the nodes holding `leases` (subnet CIDRs) cannot follow by themselves.

    Every changed field counts, except a lease range field (SubnetMin/SubnetMax and the IPv6
    pair) that keeps every lease of `leases` inside the new range (with `leases` None, the range
    fields count as safe). No stored config (old is None) means nothing is at risk.
    """
    if old is None or new is None:
        return []
    a = canonicalize_config(old)
    b = canonicalize_config(new)
    if not isinstance(a, dict) or not isinstance(b, dict):
        return ['Network']
    changed = changed_fields(old, new)
    risky = []
    for name in changed:
        # Another backend type has other keys: its type is the change to name.
        if name.startswith('Backend.') and name != 'Backend.Type' and 'Backend.Type' in changed:
            continue
        # A family switched on or off brings (or drops) flannel's defaults for its subnets.
        if name in ('IPv6SubnetLen', 'IPv6SubnetMin', 'IPv6SubnetMax') and 'EnableIPv6' in changed:
            continue
        if name in ('SubnetLen', 'SubnetMin', 'SubnetMax') and 'EnableIPv4' in changed:
            continue
        if name in RANGE_FIELDS:
            family = RANGE_FIELDS[name][1]
            # A new network or subnet length moves flannel's default range with it: that is the change.
            derived_from = ('Network', 'SubnetLen') if family == 4 else ('IPv6Network', 'IPv6SubnetLen', 'EnableIPv6')
            if any(field in changed for field in derived_from):
                continue
            if not leases or not _outside_range(b, family, leases):
                continue
        risky.append(name)
    return risky


def leases_outside_range(config: Any, leases: List[str]) -> List[str]:
    """The subnets of `leases` outside the lease range of `config` (both families)."""
    cfg = canonicalize_config(config)
    if not isinstance(cfg, dict):
        return []
    return _outside_range(cfg, 4, leases) + _outside_range(cfg, 6, leases)


def dump_config(config: Any) -> str:
    """Compact JSON as written to etcd (keys in normalize_config's order)."""
    return json.dumps(config, separators=(',', ':'))


def pretty_config(config: Any) -> str:
    """Indented JSON for diffs; '' for no config."""
    if config is None:
        return ''
    return json.dumps(config, indent=2) + '\n'


def mask_secrets(config: Any, marker: str = MASK) -> Any:
    """A copy of the config with secret backend values (PSK) replaced by marker."""
    if not isinstance(config, dict):
        return config
    out = copy.deepcopy(config)
    for name, backend in out.items():
        if isinstance(name, str) and name.lower() == 'backend' and isinstance(backend, dict):
            for key in list(backend):
                if isinstance(key, str) and key.upper() in SECRET_BACKEND_KEYS:
                    backend[key] = marker
    return out


def secret_values(config: Any) -> List[str]:
    """The secret strings in a config (to add to a module's no_log values)."""
    values = []
    if isinstance(config, dict):
        for name, backend in config.items():
            if isinstance(name, str) and name.lower() == 'backend' and isinstance(backend, dict):
                for key, value in backend.items():
                    if isinstance(key, str) and key.upper() in SECRET_BACKEND_KEYS and isinstance(value, str) and value:
                        values.append(value)
    return values


# The devices flanneld makes, per backend (upstream pkg/backend/*): vxlan flannel.<VNI> and
# flannel-v6.<VNI>, wireguard flannel-wg and flannel-wg-v6, udp flannel0, ipip flannel.ipip.
FLANNEL_DEVICE = re.compile(r'^(flannel\.[0-9]+|flannel-v6\.[0-9]+|flannel-wg|flannel-wg-v6|flannel0|flannel\.ipip)$')


def backend_devices(config: Any) -> Set[str]:
    """The device names flanneld makes for `config` (a canonical or raw config)."""
    cfg = canonicalize_config(config)
    if not isinstance(cfg, dict) or not isinstance(cfg.get('Backend'), dict):
        return set()
    backend = cfg['Backend']
    kind = backend.get('Type')
    if kind == 'vxlan':
        names = set()
        if cfg.get('EnableIPv4', True):
            names.add('flannel.%s' % backend.get('VNI', 1))
        if cfg.get('EnableIPv6'):
            names.add('flannel-v6.%s' % backend.get('VNI', 1))
        return names
    return {'wireguard': {'flannel-wg', 'flannel-wg-v6'}, 'udp': {'flannel0'}, 'ipip': {'flannel.ipip'}}.get(kind, set())


def stale_devices(config: Any, devices: List[str]) -> List[str]:
    """flanneld devices among `devices` that `config` does not use: left by an earlier config."""
    wanted = backend_devices(config)
    return sorted(name for name in devices if FLANNEL_DEVICE.match(name) and name not in wanted)
