# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Docker's daemon.json for the bridge: the settings of docker0 from flannel's lease.

Standard library only: this file is shipped to the managed nodes.

- load (errors name the file), merge ``bip``, ``mtu``, ``ip-masq``, ``iptables``,
  ``allow-direct-routing`` and, in dual stack, ``ipv6`` and ``fixed-cidr-v6`` without touching other keys (their order is kept, new keys are
  appended), dump with indent 2;
- validation: ``bip`` is a host address with a prefix (``10.244.72.1/24``, not the network
  address), ``mtu`` is 68..65535, keys the engine's version does not know, and settings dockerd
  refuses together (``bip`` with ``bridge``, a ``fixed-cidr`` outside ``bip``).

The flags of dockerd's systemd unit that would conflict with these keys: docker_unit.py.
"""

from __future__ import annotations

import ipaddress
import json
import re
from typing import Any, Dict, Iterable, List, Optional, Tuple

DEFAULT_PATH = '/etc/docker/daemon.json'
# Module option -> daemon.json key, in the order new keys are appended.
SETTING_KEYS = (
    ('bip', 'bip'),
    ('mtu', 'mtu'),
    ('ip_masq', 'ip-masq'),
    ('iptables', 'iptables'),
    ('allow_direct_routing', 'allow-direct-routing'),
    ('ipv6', 'ipv6'),
    ('fixed_cidr_v6', 'fixed-cidr-v6'),
)
# daemon.json keys that only some engines know, with the first Docker version that accepts
# each: dockerd refuses to start on a key it does not know.
KEY_MIN_VERSION = {
    'allow-direct-routing': (28, 2, 0),
}
MTU_MIN = 68
MTU_MAX = 65535


class BridgeConfigError(ValueError):
    """A setting, file or unit that cannot be used; the message says what and how to fix it."""


def load_daemon_json(text: Optional[str], path: str = DEFAULT_PATH) -> Dict[str, Any]:
    """Parse daemon.json text into a dict that keeps the file's key order.

    An empty (or whitespace-only) file is an empty config, as dockerd treats it.
    Raises BridgeConfigError naming ``path`` when the text is not a JSON object.
    """
    if text is None or not text.strip():
        return {}
    try:
        config = json.loads(text)
    except ValueError as exc:
        raise BridgeConfigError('%s is not valid JSON: %s; fix or remove the file, dockerd does not start with it either' % (path, exc))
    if not isinstance(config, dict):
        raise BridgeConfigError('%s does not hold a JSON object but a %s; dockerd expects {"key": value, ...}' % (path, type(config).__name__))
    return config


def dump_daemon_json(config: Dict[str, Any]) -> str:
    """daemon.json text: indent 2, keys in the dict's order, trailing newline."""
    return json.dumps(config, indent=2, ensure_ascii=False) + '\n'


def validate_bip(bip: str) -> str:
    """Check ``bip`` (docker0's address with prefix) and return its canonical text.

    Raises BridgeConfigError for a missing prefix, an IPv6 address, or the network or broadcast
    address of the subnet (dockerd gives docker0 exactly this address).
    """
    text = str(bip).strip()
    if '/' not in text:
        raise BridgeConfigError('bip: %r has no prefix length; give the bridge address with its prefix, such as 10.244.72.1/24' % (bip,))
    try:
        iface = ipaddress.ip_interface(text)
    except ValueError as exc:
        raise BridgeConfigError('bip: %r is not an address with prefix (%s); use the form 10.244.72.1/24' % (bip, exc))
    if iface.version != 4:
        raise BridgeConfigError('bip: %r is an IPv6 address; docker0 takes an IPv4 bip (IPv6 goes to fixed-cidr-v6)' % (bip,))
    net = iface.network
    if net.prefixlen < 31:
        if iface.ip == net.network_address:
            raise BridgeConfigError(
                'bip: %s is the network address of %s; use the first host address %s/%d' % (text, net, net.network_address + 1, net.prefixlen)
            )
        if iface.ip == net.broadcast_address:
            raise BridgeConfigError(
                'bip: %s is the broadcast address of %s; use the first host address %s/%d' % (text, net, net.network_address + 1, net.prefixlen)
            )
    return str(iface)


def validate_mtu(mtu: Any) -> int:
    """Check the MTU range and return it as int."""
    if isinstance(mtu, bool):
        raise BridgeConfigError('mtu: %r is not a number' % (mtu,))
    try:
        value = int(mtu)
    except (TypeError, ValueError):
        raise BridgeConfigError('mtu: %r is not a number' % (mtu,))
    if not MTU_MIN <= value <= MTU_MAX:
        raise BridgeConfigError('mtu: %d is out of range %d..%d (flannel vxlan uses 1450 on a 1500 network)' % (value, MTU_MIN, MTU_MAX))
    return value


def validate_fixed_cidr_v6(value: str) -> str:
    """Check ``fixed-cidr-v6`` (the node's IPv6 pod subnet, a network such as fd00:10:244:5::/64)."""
    text = str(value).strip()
    try:
        net = ipaddress.ip_network(text)
    except ValueError as exc:
        hint = ''
        try:
            iface = ipaddress.ip_interface(text)
            hint = '; use the subnet %s' % iface.network
        except ValueError:
            pass
        raise BridgeConfigError('fixed_cidr_v6: %r is not an IPv6 network (%s)%s' % (value, exc, hint or ', such as fd00:10:244:5::/64'))
    if net.version != 6:
        raise BridgeConfigError('fixed_cidr_v6: %r is an IPv4 network; it takes the IPv6 subnet of the lease, such as fd00:10:244:5::/64' % (value,))
    if net.prefixlen > 126:
        raise BridgeConfigError('fixed_cidr_v6: %s leaves no room for docker0 and containers; use a /126 or larger subnet' % net)
    return str(net)


def settings_from_subnet_env(env: Dict[str, Any], path: str = 'subnet.env') -> Dict[str, Any]:
    """Module options (bip, mtu, ip_masq; ipv6, fixed_cidr_v6 in dual stack) from a parsed flannel subnet.env.

    ``FLANNEL_SUBNET`` is already the first host address with the prefix (docker0's bip);
    flanneld masquerading (``FLANNEL_IPMASQ=true``) means docker must not masquerade again.
    ``FLANNEL_IPV6_SUBNET`` is the IPv6 subnet's first address (``fd00:10:244:5::1/64``); Docker
    wants the subnet itself (``fixed-cidr-v6: fd00:10:244:5::/64``) and gives docker0 its first
    address, the one flannel wrote. Keys absent from the file are absent from the result.
    """
    result = {}
    if env.get('subnet'):
        result['bip'] = env['subnet']
    if env.get('mtu') is not None:
        result['mtu'] = env['mtu']
    if env.get('ipmasq') is not None:
        result['ip_masq'] = not env['ipmasq']
    if env.get('ipv6_subnet'):
        try:
            result['fixed_cidr_v6'] = str(ipaddress.IPv6Interface(env['ipv6_subnet'].strip()).network)
        except ValueError:
            raise BridgeConfigError('%s: FLANNEL_IPV6_SUBNET %r is not an IPv6 address with prefix' % (path, env['ipv6_subnet']))
        result['ipv6'] = True
    if 'bip' not in result:
        raise BridgeConfigError('%s has no FLANNEL_SUBNET: flanneld has not leased an IPv4 subnet for this node yet' % path)
    return result


def parse_engine_version(text: Optional[str]) -> Optional[Tuple[int, int, int]]:
    """(major, minor, patch) from ``dockerd --version`` output or a bare version; None when absent.

    ``Docker version 28.5.2+dfsg1, build 4b3b3a4`` and ``26.1.5+dfsg1`` give (28, 5, 2) and
    (26, 1, 5); text without a dotted version gives None.
    """
    match = re.search(r'(\d+)\.(\d+)(?:\.(\d+))?', text or '')
    if not match:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)


def check_engine_keys(settings: Dict[str, Any], version: Optional[Tuple[int, int, int]]) -> List[str]:
    """Messages for keys of ``settings`` that the engine ``version`` (a tuple) does not accept."""
    errors = []
    for key, needed in KEY_MIN_VERSION.items():
        if key in settings and version is not None and version < needed:
            errors.append(
                '%s needs Docker %s or later, this engine is %s (dockerd does not start with a key it does not know)'
                % (key, '.'.join(map(str, needed)), '.'.join(map(str, version)))
            )
    return errors


def desired_settings(
    bip: Optional[str] = None,
    mtu: Optional[int] = None,
    ip_masq: Optional[bool] = None,
    iptables: Optional[bool] = None,
    allow_direct_routing: Optional[bool] = None,
    ipv6: Optional[bool] = None,
    fixed_cidr_v6: Optional[str] = None,
) -> Dict[str, Any]:
    """Validated daemon.json settings, for the options that are set (order of SETTING_KEYS)."""
    values = {
        'bip': bip,
        'mtu': mtu,
        'ip_masq': ip_masq,
        'iptables': iptables,
        'allow_direct_routing': allow_direct_routing,
        'ipv6': ipv6,
        'fixed_cidr_v6': fixed_cidr_v6,
    }
    if fixed_cidr_v6 is not None and ipv6 is False:
        raise BridgeConfigError('fixed_cidr_v6 is set but ipv6 is false: dockerd would ignore it; set ipv6: true or drop fixed_cidr_v6')
    settings = {}
    for option, key in SETTING_KEYS:
        value = values[option]
        if value is None:
            continue
        if option == 'bip':
            value = validate_bip(value)
        elif option == 'mtu':
            value = validate_mtu(value)
        elif option == 'fixed_cidr_v6':
            value = validate_fixed_cidr_v6(value)
        elif not isinstance(value, bool):
            raise BridgeConfigError('%s: %r is not a boolean' % (option, value))
        settings[key] = value
    return settings


def _same(a, b):
    # JSON true == 1 in Python; dockerd does not accept one for the other.
    return type(a) is type(b) and a == b


def merge_settings(config: Dict[str, Any], settings: Dict[str, Any]) -> Dict[str, Any]:
    """Merge ``settings`` into a copy of ``config``.

    Other keys and their order are kept; existing keys are updated in place; new keys are appended.
    Returns (new_config, changes) with changes a list of (key, before, after); before is None for a
    key that was absent.
    """
    new = dict(config)
    changes = []
    for key, value in settings.items():
        if key in new and _same(new[key], value):
            continue
        changes.append((key, config.get(key), value))
        new[key] = value
    return new, changes


# The keys state=absent removes: those the module derives from a flannel lease.
LEASE_KEYS = ('bip', 'mtu', 'ip-masq', 'ipv6', 'fixed-cidr-v6')


def remove_settings(config: Dict[str, Any], keys: Iterable[str] = LEASE_KEYS) -> Dict[str, Any]:
    """Remove ``keys`` from a copy of ``config``, keeping every other key and their order.

    Returns (new_config, changes) like merge_settings, with after None for a removed key.
    """
    new = dict(config)
    changes = []
    for key in keys:
        if key in new:
            changes.append((key, new.pop(key), None))
    return new, changes


def check_daemon_config(config: Dict[str, Any]) -> List[str]:
    """Settings dockerd refuses together with a ``bip``; list of messages (empty when fine)."""
    errors = []
    if config.get('fixed-cidr-v6') and config.get('ipv6') is not True:
        errors.append(
            'daemon.json sets "fixed-cidr-v6" (%r) without "ipv6": true; dockerd ignores it. Set "ipv6": true or remove it' % (config['fixed-cidr-v6'],)
        )
    bip = config.get('bip')
    if not bip:
        return errors
    if config.get('bridge'):
        errors.append(
            'daemon.json sets both "bridge" (%r) and "bip"; dockerd refuses these mutually exclusive options.'
            ' Remove "bridge" so that dockerd manages docker0 with bip' % (config['bridge'],)
        )
    fixed = config.get('fixed-cidr')
    if fixed:
        try:
            inside = ipaddress.ip_network(fixed, strict=False).subnet_of(ipaddress.ip_interface(bip).network)
        except (TypeError, ValueError):
            inside = False
        if not inside:
            errors.append(
                'daemon.json "fixed-cidr" (%r) is not inside bip %s; dockerd does not start.'
                ' Remove "fixed-cidr" or set it to a subnet of %s' % (fixed, bip, ipaddress.ip_interface(bip).network)
            )
    return errors


def plan_daemon_json(text: Optional[str], path: str, settings: Dict[str, Any], remove: Optional[Iterable[str]] = None) -> Dict[str, Any]:
    """Everything the module needs to decide about daemon.json.

    Returns a dict with ``before`` / ``after`` (dicts), ``before_text`` / ``after_text``,
    ``changes`` (see merge_settings), ``changed`` and ``errors`` (check_daemon_config on the result).
    ``after_text`` is the original text when nothing changes, so a file is never reformatted alone.
    With ``remove`` (a list of keys) those keys are removed instead of ``settings`` merged.
    """
    before = load_daemon_json(text, path)
    if remove is not None:
        after, changes = remove_settings(before, remove)
    else:
        after, changes = merge_settings(before, settings)
    before_text = text if text is not None else ''
    after_text = dump_daemon_json(after) if changes else before_text
    return {
        'before': before,
        'after': after,
        'before_text': before_text,
        'after_text': after_text,
        'changes': changes,
        'changed': bool(changes),
        'errors': check_daemon_config(after),
    }
