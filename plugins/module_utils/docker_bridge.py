# Copyright: (c) 2026, podnet.flannel maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Docker's bridge settings: daemon.json and the flags of dockerd's systemd unit.

Standard library only: this file is shipped to the managed nodes.

- daemon.json: load (errors name the file), merge ``bip``, ``mtu``, ``ip-masq`` and ``iptables``
  without touching other keys (their order is kept, new keys are appended), dump with indent 2.
- Validation: ``bip`` is a host address with a prefix (``10.244.72.1/24``, not the network address),
  ``mtu`` is 68..65535, and settings dockerd refuses together (``bip`` with ``bridge``, a
  ``fixed-cidr`` outside ``bip``).
- systemd units: dockerd refuses to start when a directive is set both as a command line flag and
  in daemon.json. The effective ``ExecStart=`` of the unit and its drop-ins (an empty ``ExecStart=``
  clears the ones before it; ``$VAR``/``${VAR}`` come from ``Environment=``/``EnvironmentFile=``) is
  searched for ``--bip``, ``--mtu``, ``--ip-masq``, ``--iptables``, ``--bridge``/``-b`` and
  ``--fixed-cidr``; the conflicts can be removed from editable drop-ins or overridden by a drop-in
  that resets ``ExecStart=``.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re


DEFAULT_PATH = '/etc/docker/daemon.json'
DEFAULT_UNIT_PATHS = ('/etc/systemd/system/docker.service', '/lib/systemd/system/docker.service')
DEFAULT_DROPIN_DIR = '/etc/systemd/system/docker.service.d'
OVERRIDE_DROPIN = 'podnet-execstart.conf'

# Module option -> daemon.json key, in the order new keys are appended.
SETTING_KEYS = (
    ('bip', 'bip'),
    ('mtu', 'mtu'),
    ('ip_masq', 'ip-masq'),
    ('iptables', 'iptables'),
    ('allow_direct_routing', 'allow-direct-routing'),
)

# daemon.json keys that only some engines know, with the first Docker version that accepts
# each: dockerd refuses to start on a key it does not know.
KEY_MIN_VERSION = {
    'allow-direct-routing': (28, 2, 0),
}

# dockerd flag -> daemon.json key. Boolean flags take no separate value word (``--ip-masq=false``).
FLAG_KEYS = {
    '--bip': 'bip',
    '--mtu': 'mtu',
    '--ip-masq': 'ip-masq',
    '--iptables': 'iptables',
    '--bridge': 'bridge',
    '-b': 'bridge',
    '--fixed-cidr': 'fixed-cidr',
}
BOOL_FLAGS = ('--ip-masq', '--iptables')

MTU_MIN = 68
MTU_MAX = 65535

_VAR_WORD = re.compile(r'^\$([A-Za-z_][A-Za-z0-9_]*)$')
_VAR_BRACED = re.compile(r'\$\{([A-Za-z_][A-Za-z0-9_]*)\}')


class BridgeConfigError(ValueError):
    """A setting, file or unit that cannot be used; the message says what and how to fix it."""


# --------------------------------------------------------------------------- daemon.json

def load_daemon_json(text, path=DEFAULT_PATH):
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
        raise BridgeConfigError('%s does not hold a JSON object but a %s; dockerd expects {"key": value, ...}'
                                % (path, type(config).__name__))
    return config


def dump_daemon_json(config):
    """daemon.json text: indent 2, keys in the dict's order, trailing newline."""
    return json.dumps(config, indent=2, ensure_ascii=False) + '\n'


def validate_bip(bip):
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
            raise BridgeConfigError('bip: %s is the network address of %s; use the first host address %s/%d'
                                    % (text, net, net.network_address + 1, net.prefixlen))
        if iface.ip == net.broadcast_address:
            raise BridgeConfigError('bip: %s is the broadcast address of %s; use the first host address %s/%d'
                                    % (text, net, net.network_address + 1, net.prefixlen))
    return str(iface)


def validate_mtu(mtu):
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


def settings_from_subnet_env(env, path='subnet.env'):
    """Module options (bip, mtu, ip_masq) from a parsed flannel subnet.env.

    ``FLANNEL_SUBNET`` is already the first host address with the prefix (docker0's bip);
    flanneld masquerading (``FLANNEL_IPMASQ=true``) means docker must not masquerade again.
    Keys absent from the file are absent from the result.
    """
    result = {}
    if env.get('subnet'):
        result['bip'] = env['subnet']
    if env.get('mtu') is not None:
        result['mtu'] = env['mtu']
    if env.get('ipmasq') is not None:
        result['ip_masq'] = not env['ipmasq']
    if 'bip' not in result:
        raise BridgeConfigError('%s has no FLANNEL_SUBNET: flanneld has not leased an IPv4 subnet for this node yet' % path)
    return result


def parse_engine_version(text):
    """(major, minor, patch) from ``dockerd --version`` output or a bare version; None when absent.

    ``Docker version 28.5.2+dfsg1, build 4b3b3a4`` and ``26.1.5+dfsg1`` give (28, 5, 2) and
    (26, 1, 5); text without a dotted version gives None.
    """
    match = re.search(r'(\d+)\.(\d+)(?:\.(\d+))?', text or '')
    if not match:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)


def check_engine_keys(settings, version):
    """Messages for keys of ``settings`` that the engine ``version`` (a tuple) does not accept."""
    errors = []
    for key, needed in KEY_MIN_VERSION.items():
        if key in settings and version is not None and version < needed:
            errors.append('%s needs Docker %s or later, this engine is %s (dockerd does not start with a key it does not know)'
                          % (key, '.'.join(map(str, needed)), '.'.join(map(str, version))))
    return errors


def desired_settings(bip=None, mtu=None, ip_masq=None, iptables=None, allow_direct_routing=None):
    """Validated daemon.json settings, for the options that are set (order of SETTING_KEYS)."""
    values = {'bip': bip, 'mtu': mtu, 'ip_masq': ip_masq, 'iptables': iptables, 'allow_direct_routing': allow_direct_routing}
    settings = {}
    for option, key in SETTING_KEYS:
        value = values[option]
        if value is None:
            continue
        if option == 'bip':
            value = validate_bip(value)
        elif option == 'mtu':
            value = validate_mtu(value)
        elif not isinstance(value, bool):
            raise BridgeConfigError('%s: %r is not a boolean' % (option, value))
        settings[key] = value
    return settings


def _same(a, b):
    # JSON true == 1 in Python; dockerd does not accept one for the other.
    return type(a) is type(b) and a == b


def merge_settings(config, settings):
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
LEASE_KEYS = ('bip', 'mtu', 'ip-masq')


def remove_settings(config, keys=LEASE_KEYS):
    """Remove ``keys`` from a copy of ``config``, keeping every other key and their order.

    Returns (new_config, changes) like merge_settings, with after None for a removed key.
    """
    new = dict(config)
    changes = []
    for key in keys:
        if key in new:
            changes.append((key, new.pop(key), None))
    return new, changes


def check_daemon_config(config):
    """Settings dockerd refuses together with a ``bip``; list of messages (empty when fine)."""
    errors = []
    bip = config.get('bip')
    if not bip:
        return errors
    if config.get('bridge'):
        errors.append('daemon.json sets both "bridge" (%r) and "bip"; dockerd refuses these mutually exclusive options.'
                      ' Remove "bridge" so that dockerd manages docker0 with bip' % (config['bridge'],))
    fixed = config.get('fixed-cidr')
    if fixed:
        try:
            inside = ipaddress.ip_network(fixed, strict=False).subnet_of(ipaddress.ip_interface(bip).network)
        except (TypeError, ValueError):
            inside = False
        if not inside:
            errors.append('daemon.json "fixed-cidr" (%r) is not inside bip %s; dockerd does not start.'
                          ' Remove "fixed-cidr" or set it to a subnet of %s' % (fixed, bip, ipaddress.ip_interface(bip).network))
    return errors


def plan_daemon_json(text, path, settings, remove=None):
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


# --------------------------------------------------------------------------- systemd units

def parse_unit(text):
    """Directives of a unit file: list of dicts with section, key, value and the 0-based first and
    last physical line (a directive continued with a trailing backslash spans several lines)."""
    lines = (text or '').splitlines()
    directives = []
    section = None
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if not stripped or stripped[0] in '#;':
            i += 1
            continue
        if stripped.startswith('[') and stripped.endswith(']'):
            section = stripped[1:-1].strip()
            i += 1
            continue
        first = i
        logical = stripped
        while logical.endswith('\\') and i + 1 < len(lines):
            i += 1
            following = lines[i].strip()
            if following[:1] in ('#', ';'):
                continue
            logical = logical[:-1] + ' ' + following
        if logical.endswith('\\'):
            logical = logical[:-1]
        key, sep, value = logical.partition('=')
        if sep:
            directives.append({'section': section, 'key': key.strip(), 'value': value.strip(), 'first': first, 'last': i})
        i += 1
    return directives


def split_command(text):
    """Split a command line the way systemd does (quotes, backslash escapes).

    Returns a list of dicts ``raw`` (the text as written), ``value`` (unquoted) and ``quoted``.
    Raises BridgeConfigError on an unterminated quote.
    """
    tokens = []
    i = 0
    n = len(text)
    while i < n:
        while i < n and text[i] in ' \t':
            i += 1
        if i >= n:
            break
        start = i
        value = []
        quoted = False
        while i < n and text[i] not in ' \t':
            char = text[i]
            if char in '"\'':
                quoted = True
                i += 1
                while i < n and text[i] != char:
                    if text[i] == '\\' and i + 1 < n:
                        i += 1
                    value.append(text[i])
                    i += 1
                if i >= n:
                    raise BridgeConfigError('unterminated quote in %r' % (text,))
                i += 1
            elif char == '\\' and i + 1 < n:
                value.append(text[i + 1])
                i += 2
            else:
                value.append(char)
                i += 1
        tokens.append({'raw': text[start:i], 'value': ''.join(value), 'quoted': quoted})
    return tokens


def parse_env_file(text):
    """Variables of an EnvironmentFile (``NAME=value`` lines, ``#``/``;`` comments, optional quotes)."""
    env = {}
    for raw in (text or '').splitlines():
        line = raw.strip()
        if not line or line[0] in '#;':
            continue
        if line.startswith('export '):
            line = line[len('export '):].strip()
        name, sep, value = line.partition('=')
        name = name.strip()
        if not sep or not re.match(r'^[A-Za-z_][A-Za-z0-9_]*$', name):
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in '"\'':
            value = value[1:-1]
        env[name] = value
    return env


def unit_environment(units, read_file=None):
    """Variables ExecStart= sees: ``Environment=`` of all files in order, then the
    ``EnvironmentFile=`` files (which override, as in systemd). An empty directive resets its list.

    ``read_file(path)`` returns a file's text or None when it does not exist.
    Returns {name: (value, source path)}.
    """
    assignments = []
    env_files = []
    for unit in units:
        for item in parse_unit(unit['text']):
            if item['section'] != 'Service':
                continue
            if item['key'] == 'Environment':
                if not item['value']:
                    assignments = []
                    continue
                for token in split_command(item['value']):
                    name, sep, value = token['value'].partition('=')
                    if sep:
                        assignments.append((name, value, unit['path']))
            elif item['key'] == 'EnvironmentFile':
                if not item['value']:
                    env_files = []
                    continue
                env_files.append(item['value'].lstrip('-').strip())
    env = {}
    for name, value, source in assignments:
        env[name] = (value, source)
    if read_file is not None:
        for path in env_files:
            text = read_file(path)
            if text is None:
                continue
            for name, value in parse_env_file(text).items():
                env[name] = (value, path)
    return env


def command_words(value, env):
    """Words of an ExecStart value after variable expansion.

    Each word is a dict ``value``, ``token`` (index into split_command's tokens) and ``variable``
    (name of the variable the word came from, or None).
    """
    words = []
    for index, token in enumerate(split_command(value)):
        match = None if token['quoted'] else _VAR_WORD.match(token['raw'])
        if match:
            name = match.group(1)
            for part in env.get(name, ('', None))[0].split():
                words.append({'value': part, 'token': index, 'variable': name})
            continue
        braced = _VAR_BRACED.findall(token['value'])
        if braced:
            text = _VAR_BRACED.sub(lambda m: env.get(m.group(1), ('', None))[0], token['value'])
            words.append({'value': text, 'token': index, 'variable': braced[0]})
            continue
        words.append({'value': token['value'], 'token': index, 'variable': None})
    if words:
        words[0]['value'] = words[0]['value'].lstrip('@-:+!')
    return words


def find_flags(words):
    """dockerd flags of FLAG_KEYS among ``words`` (the first word, the binary, is skipped).

    Returns a list of dicts ``flag`` (as in FLAG_KEYS), ``key`` (daemon.json key), ``words``
    (indices of the words the flag occupies: one, or two for ``--bip 10.1.0.1/24``), ``text``.
    """
    found = []
    i = 1
    while i < len(words):
        word = words[i]['value']
        if word == '--':
            break
        flag = None
        width = 1
        if word.startswith('--'):
            name, sep, dummy = word.partition('=')
            if name in FLAG_KEYS:
                flag = name
                if not sep and name not in BOOL_FLAGS:
                    width = 2
        elif word.startswith('-b'):
            flag = '-b'
            if word == '-b':
                width = 2
        if flag is None:
            i += 1
            continue
        indices = list(range(i, min(i + width, len(words))))
        found.append({'flag': flag, 'key': FLAG_KEYS[flag], 'words': indices, 'text': ' '.join(words[j]['value'] for j in indices)})
        i += width
    return found


def flag_conflict_reason(flag, key, config):
    """Why a flag conflicts with ``config`` (the resulting daemon.json), or None when it does not."""
    if key == 'bridge':
        if 'bip' in config:
            return '%s and daemon.json "bip" are mutually exclusive: dockerd refuses to start' % flag
        if 'bridge' in config:
            return 'bridge is set both as flag %s and in daemon.json: dockerd refuses to start' % flag
        return None
    if key == 'fixed-cidr':
        if 'fixed-cidr' in config:
            return 'fixed-cidr is set both as flag %s and in daemon.json: dockerd refuses to start' % flag
        if 'bip' in config:
            return '%s must lie inside daemon.json "bip" %s; a flag left from another subnet stops dockerd' % (flag, config['bip'])
        return None
    if key in config:
        return '%s is set both as flag %s and in daemon.json: dockerd refuses to start' % (key, flag)
    return None


def exec_start_entries(units):
    """The effective ExecStart= directives: list of dicts path, editable, first, last, value.

    Files are taken in the order given (the unit, then its drop-ins in systemd order); an empty
    ``ExecStart=`` clears the directives before it.
    """
    entries = []
    for unit in units:
        for item in parse_unit(unit['text']):
            if item['section'] != 'Service' or item['key'] != 'ExecStart':
                continue
            if not item['value']:
                entries = []
                continue
            entries.append({'path': unit['path'], 'editable': bool(unit.get('editable')),
                            'first': item['first'], 'last': item['last'], 'value': item['value']})
    return entries


def analyze_units(units, config, read_file=None):
    """Conflicts between the effective ExecStart= lines and ``config`` (the resulting daemon.json).

    ``units``: the unit file then its drop-ins in systemd order, each a dict path, text, editable
    (editable: a drop-in this module may rewrite). ``read_file``: see unit_environment.

    Returns {'entries': [...], 'conflicts': [...]}; each conflict is a dict ``path`` (the file that
    sets the flag: the unit file, or the environment file for a flag coming from a variable),
    ``unit_path``, ``line`` (1-based), ``flag``, ``text``, ``key``, ``reason``, ``editable``
    (the flag can be removed from an editable drop-in), ``variable``.
    """
    env = unit_environment(units, read_file)
    entries = exec_start_entries(units)
    conflicts = []
    for entry in entries:
        words = command_words(entry['value'], env)
        entry['words'] = words
        entry['flags'] = []
        for found in find_flags(words):
            reason = flag_conflict_reason(found['flag'], found['key'], config)
            if reason is None:
                continue
            variable = None
            for j in found['words']:
                variable = variable or words[j]['variable']
            source = env.get(variable, (None, None))[1] if variable else None
            found['variable'] = variable
            entry['flags'].append(found)
            conflicts.append({
                'path': source or entry['path'],
                'unit_path': entry['path'],
                'line': entry['first'] + 1,
                'flag': found['flag'],
                'text': found['text'],
                'key': found['key'],
                'reason': reason,
                'editable': entry['editable'] and variable is None,
                'variable': variable,
            })
    return {'entries': entries, 'conflicts': conflicts}


def clean_exec_start(entry):
    """The ExecStart value of an analyzed entry without its conflicting flags (tokens as written)."""
    tokens = split_command(entry['value'])
    drop = set()
    for found in entry['flags']:
        if found.get('variable'):
            continue
        for j in found['words']:
            drop.add(entry['words'][j]['token'])
    return ' '.join(token['raw'] for index, token in enumerate(tokens) if index not in drop)


def _replace_lines(text, replacements):
    """Replace line ranges: replacements is a list of (first, last, new_line)."""
    lines = text.splitlines()
    for first, last, new_line in sorted(replacements, reverse=True):
        lines[first:last + 1] = [new_line]
    return '\n'.join(lines) + '\n'


def override_text(entries, sources, daemon_json=DEFAULT_PATH):
    """A drop-in that replaces ExecStart= with the cleaned ``entries``."""
    lines = [
        '# Written by podnet.flannel.docker_bridge: the ExecStart= of %s' % ', '.join(sources),
        '# without the flags that conflict with %s (dockerd refuses a setting given both ways).' % daemon_json,
        '# Remove this file (then systemctl daemon-reload) to return to the packaged command line.',
        '[Service]',
        'ExecStart=',
    ]
    for entry in entries:
        lines.append('ExecStart=%s' % clean_exec_start(entry))
    return '\n'.join(lines) + '\n'


def _insert_dropin(units, path, text):
    """Put a drop-in into the systemd order (main unit first, drop-ins sorted by file name)."""
    name = os.path.basename(path)
    rest = [u for u in units[1:] if os.path.basename(u['path']) != name]
    rest.append({'path': path, 'text': text, 'editable': True})
    rest.sort(key=lambda u: os.path.basename(u['path']))
    return units[:1] + rest


def plan_unit_fixes(units, config, dropin_dir, read_file=None, override_name=OVERRIDE_DROPIN, daemon_json=DEFAULT_PATH):
    """Remove the conflicting flags from the units.

    1. Flags in editable drop-ins are removed from their ExecStart= lines.
    2. Flags left in other files (the packaged unit under /lib, read-only drop-ins) are overridden by
       the drop-in ``dropin_dir/override_name``: ``ExecStart=`` reset, then the effective lines
       without the flags.
    Flags that come from a variable (``$DOCKER_OPTS`` of an EnvironmentFile) cannot be removed this
    way and stay in the returned conflicts.

    Returns (changes, remaining): changes {path: new text} for the files to write, remaining the
    conflicts still there after the changes.
    """
    analysis = analyze_units(units, config, read_file)
    if not analysis['conflicts']:
        return {}, []
    changes = {}
    per_file = {}
    for entry in analysis['entries']:
        if entry['editable'] and any(not f.get('variable') for f in entry['flags']):
            per_file.setdefault(entry['path'], []).append((entry['first'], entry['last'], 'ExecStart=%s' % clean_exec_start(entry)))
    current = [dict(u) for u in units]
    for unit in current:
        if unit['path'] in per_file:
            unit['text'] = _replace_lines(unit['text'], per_file[unit['path']])
            changes[unit['path']] = unit['text']
    analysis = analyze_units(current, config, read_file)
    fixable = [c for c in analysis['conflicts'] if not c['variable']]
    if fixable:
        path = os.path.join(dropin_dir, override_name)
        sources = []
        for entry in analysis['entries']:
            if entry['path'] not in sources:
                sources.append(entry['path'])
        text = override_text(analysis['entries'], sources, daemon_json)
        current = _insert_dropin(current, path, text)
        changes[path] = text
        analysis = analyze_units(current, config, read_file)
    return changes, analysis['conflicts']


def describe_conflict(conflict):
    """One line for an error message: file, flag, why, and the fix."""
    where = '%s (ExecStart= at line %d)' % (conflict['unit_path'], conflict['line'])
    if conflict['variable']:
        where = '$%s set in %s, used by ExecStart= of %s line %d' % (conflict['variable'], conflict['path'], conflict['unit_path'], conflict['line'])
        fix = 'remove %s from %s in %s' % (conflict['text'], conflict['variable'], conflict['path'])
    elif conflict['editable']:
        fix = 'remove %s from that drop-in, or run with unit_conflicts=remove' % conflict['text']
    else:
        fix = 'run with unit_conflicts=remove to override ExecStart= in a drop-in without %s' % conflict['text']
    return '%s in %s: %s; %s' % (conflict['text'], where, conflict['reason'], fix)


# --------------------------------------------------------------------------- file system

def find_unit_files(unit_paths, dropin_dir):
    """The unit file and its drop-ins in systemd order, as a list of dicts path, text, editable.

    The unit file is the first of ``unit_paths`` that exists (``/etc/systemd/system/docker.service``
    masks ``/lib/systemd/system/docker.service``). Drop-ins are the ``*.conf`` files of
    ``dropin_dir`` and of ``<dir of each unit path>/<unit name>.d``, sorted by file name; a file name
    in an earlier directory masks the same name in later ones. Only drop-ins of ``dropin_dir`` are
    editable. Returns [] when no unit file exists.
    """
    unit_paths = list(unit_paths)
    if not unit_paths:
        return []
    main = None
    for path in unit_paths:
        if os.path.isfile(path):
            main = path
            break
    if main is None:
        return []
    unit_name = os.path.basename(unit_paths[0])
    dirs = []
    for directory in [dropin_dir] + [os.path.join(os.path.dirname(p), unit_name + '.d') for p in unit_paths]:
        directory = os.path.normpath(directory)
        if directory not in dirs:
            dirs.append(directory)
    editable_dir = os.path.normpath(dropin_dir)
    dropins = {}
    for directory in dirs:
        if not os.path.isdir(directory):
            continue
        for name in sorted(os.listdir(directory)):
            if name.endswith('.conf') and name not in dropins:
                dropins[name] = os.path.join(directory, name)
    units = [{'path': main, 'text': read_text(main) or '', 'editable': False}]
    for name in sorted(dropins):
        path = dropins[name]
        units.append({'path': path, 'text': read_text(path) or '', 'editable': os.path.dirname(path) == editable_dir})
    return units


def read_text(path):
    """A file's text, or None when it does not exist (a link to /dev/null reads as empty)."""
    try:
        with open(path, 'r', encoding='utf-8') as handle:
            return handle.read()
    except FileNotFoundError:
        return None
