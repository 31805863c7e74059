# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action plugin for podnet.flannel.flannel_network: validate on the controller, then run the module.

The flannel config is built from the task's options exactly as the module builds it
(``module_utils.flannel.build_config``) and checked by ``plugin_utils.flannel_validate.validate``
against the inventory: how many nodes need a subnet (``node_count`` or the size of ``nodes_group``) and
which networks the nodes use (``node_networks`` or each node's ``ansible_host`` and gathered
``ansible_default_ipv4``). On a problem the task fails with a message naming the field, and the module
never runs, so nothing is written. Otherwise the module runs with the task's options (a raw ``config``
is replaced by its normalized form).
"""

from __future__ import annotations

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_native, to_text
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.podnet.flannel.plugins.module_utils.flannel import (
    BACKEND_OPTION_KEYS,
    OPTION_KEYS,
    build_config,
)
from ansible_collections.podnet.flannel.plugins.plugin_utils.flannel_validate import (
    HAS_NETADDR,
    FlannelConfigError,
    validate,
)

display = Display()

DEFAULT_NODES_GROUP = 'nodes'

# flannel field named by a validation error -> the module option that sets it.
OPTION_FOR_FIELD = dict((key, option) for option, key in OPTION_KEYS)
OPTION_FOR_FIELD.update(('Backend.%s' % key, 'backend.%s' % option) for option, key in BACKEND_OPTION_KEYS)
OPTION_FOR_FIELD['Backend'] = 'backend'

try:
    import netaddr
except ImportError:
    netaddr = None


def _host_network(value):
    """'192.0.2.11' -> '192.0.2.11/32'; a hostname (or garbage) -> None."""
    if netaddr is None or not value:
        return None
    text = to_text(value).strip()
    try:
        if netaddr.valid_ipv4(text, flags=netaddr.INET_PTON):
            return '%s/32' % text
        if netaddr.valid_ipv6(text):
            return '%s/128' % netaddr.IPAddress(text)
    except (TypeError, ValueError):
        return None
    return None


def _fact_network(facts):
    """ansible_default_ipv4 {'network': ..., 'netmask': ...} -> CIDR text, or None."""
    if not isinstance(facts, dict) or netaddr is None:
        return None
    network, netmask = facts.get('network'), facts.get('netmask')
    if not network or not netmask:
        return None
    try:
        return str(netaddr.IPNetwork('%s/%s' % (network, netmask)).cidr)
    except (netaddr.AddrFormatError, ValueError, TypeError):
        return None


def inventory_node_networks(hosts, hostvars):
    """[(label, cidr)] from each host's ansible_host and gathered default IPv4 network."""
    found = []
    for host in hosts:
        hv = hostvars.get(host) if hasattr(hostvars, 'get') else None
        if hv is None:
            continue
        cidr = _host_network(hv.get('ansible_host'))
        if cidr:
            found.append(('%s ansible_host' % host, cidr))
        facts = hv.get('ansible_default_ipv4')
        if facts is None:
            facts = (hv.get('ansible_facts') or {}).get('default_ipv4')
        cidr = _fact_network(facts)
        if cidr:
            found.append(('%s default IPv4 network' % host, cidr))
    return found


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def _node_inputs(self, args, task_vars):
        """(node_count, node_networks, warnings) for the validation; raises FlannelConfigError."""
        warnings = []
        group = args.get('nodes_group')
        explicit_group = group is not None
        group = group or DEFAULT_NODES_GROUP
        groups = task_vars.get('groups') or {}
        hosts = groups.get(group)
        if hosts is None and explicit_group and (args.get('node_count') is None or args.get('node_networks') is None):
            raise FlannelConfigError(
                'nodes_group',
                'inventory group %r does not exist; set nodes_group to the group of the hosts that run flanneld, or give node_count and node_networks' % group,
            )
        if hosts is None:
            hosts = []
            if args.get('node_count') is None:
                warnings.append('Inventory group %r not found: the flannel config was not checked for capacity; set nodes_group or node_count.' % group)
        node_count = args.get('node_count')
        if node_count is None and hosts:
            node_count = len(hosts)
        elif node_count is not None:
            try:
                node_count = int(node_count)
            except (TypeError, ValueError):
                raise FlannelConfigError('node_count', '%r is not an integer' % (node_count,))
        if args.get('node_networks') is not None:
            networks = args['node_networks']
            if isinstance(networks, str):
                networks = [item.strip() for item in networks.split(',') if item.strip()]
            if not isinstance(networks, (list, tuple)):
                raise FlannelConfigError('node_networks', 'must be a list of CIDRs such as [192.168.1.0/24]')
        else:
            networks = inventory_node_networks(hosts, task_vars.get('hostvars') or {})
        return node_count, networks, warnings

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        del tmp  # tmp no longer has any effect

        args = dict(self._task.args)
        state = args.get('state') or 'present'
        if state == 'present':
            if not HAS_NETADDR:
                result.update(
                    failed=True, msg='The flannel_network action needs the Python library netaddr on the controller to validate the config: pip install netaddr'
                )
                return result
            if args.get('config') is not None and not isinstance(args['config'], dict):
                result.update(failed=True, msg='config: must be a dictionary (flannel\'s JSON object), not %s' % type(args['config']).__name__)
                return result
            if args.get('backend') is not None and not isinstance(args['backend'], dict):
                result.update(failed=True, msg='backend: must be a dictionary such as {type: vxlan}, not %s' % type(args['backend']).__name__)
                return result
            try:
                node_count, node_networks, warnings = self._node_inputs(args, task_vars)
                config = build_config(self._module_like_params(args))
                normalized = validate(config, node_count=node_count, node_networks=node_networks)
            except FlannelConfigError as exc:
                result.update(failed=True, msg=to_native(exc), field=exc.field, validated_on='controller')
                if args.get('config') is None and exc.field in OPTION_FOR_FIELD:
                    result['option'] = OPTION_FOR_FIELD[exc.field]
                    # Through a role, name the variable the user set first (names: option -> variable).
                    names = args.get('names') or {}
                    top, _dot, rest = result['option'].partition('.')
                    if isinstance(names, dict) and names.get(top):
                        result['variable'] = names[top] + ('.' + rest if rest else '')
                        result['msg'] = '%s: %s' % (result['variable'], result['msg'])
                return result
            except AnsibleError as exc:
                result.update(failed=True, msg='Could not read the inventory to validate the flannel config: %s' % to_native(exc))
                return result
            if warnings:
                result.setdefault('warnings', []).extend(warnings)
            if args.get('config') is not None:
                args['config'] = normalized
            display.vvv(
                'flannel_network: config validated for %s node(s): %s'
                % (node_count if node_count is not None else 'an unknown number of', ', '.join(sorted(normalized)))
            )

        module_result = self._execute_module(module_name='podnet.flannel.flannel_network', module_args=args, task_vars=task_vars)
        warnings = result.pop('warnings', [])
        result.update(module_result)
        if warnings:
            result['warnings'] = warnings + list(result.get('warnings') or [])
        return result

    @staticmethod
    def _module_like_params(args):
        """Task args shaped like module.params for build_config (backend.type defaults to vxlan)."""
        params = dict(args)
        backend = params.get('backend')
        if isinstance(backend, dict):
            backend = dict(backend)
            if backend.get('type') is None:
                backend['type'] = 'vxlan'
            params['backend'] = backend
        return params
