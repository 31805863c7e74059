"""Unit tests for module_utils/linux_net.py: the kernel's route tables as /proc shows them."""

from __future__ import annotations

from ansible_collections.podnet.flannel.plugins.module_utils import linux_net

# /proc/net/route of a vxlan node: default route, the lab network, two other nodes' subnets via
# flannel.1, its own docker0 subnet, and the lab's covering unreachable route (flags 0x0201).
PROC_ROUTE = """Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth0\t00000000\t014DA8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
eth0\t004DA8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
flannel.1\t0005F40A\t0005F40A\t0003\t0\t0\t0\t00FFFFFF\t0\t0\t0
flannel.1\t0009F40A\t0009F40A\t0003\t0\t0\t0\t00FFFFFF\t0\t0\t0
docker0\t000AF40A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
lo\t0000F40A\t00000000\t0201\t0\t0\t4294967295\t0000FFFF\t0\t0\t0
"""

PROC_IPV6_ROUTE = (
    "fd000010024400050000000000000000 40 00000000000000000000000000000000 00 "
    "fd000010024400050000000000000000 00000000 00000001 00000000 00000003 flannel-v6.1\n"
    "fe800000000000000000000000000000 40 00000000000000000000000000000000 00 "
    "00000000000000000000000000000000 00000100 00000001 00000000 00000001 eth0\n"
)


def test_parse_proc_route():
    routes = linux_net.parse_proc_route(PROC_ROUTE)
    assert [r['dest'] for r in routes] == ['0.0.0.0/0', '192.168.77.0/24', '10.244.5.0/24', '10.244.9.0/24', '10.244.10.0/24', '10.244.0.0/16']
    assert routes[0]['gateway'] == '192.168.77.1'
    assert routes[2]['dev'] == 'flannel.1'
    assert routes[-1]['reject'] is True
    assert not any(r['reject'] for r in routes[:-1])


def test_parse_proc_ipv6_route():
    routes = linux_net.parse_proc_ipv6_route(PROC_IPV6_ROUTE)
    assert routes[0] == {'dest': 'fd00:10:244:5::/64', 'dev': 'flannel-v6.1', 'gateway': 'fd00:10:244:5::', 'reject': False}
    assert routes[1]['dest'] == 'fe80::/64'


def test_missing_routes_ignores_unreachable_cover():
    routes = linux_net.parse_proc_route(PROC_ROUTE)
    # 10.244.7.0/24 is covered only by the unreachable /16: missing.
    assert linux_net.missing_routes(['10.244.5.0/24', '10.244.7.0/24', '10.244.9.0/24'], routes) == ['10.244.7.0/24']
    assert linux_net.missing_routes([], routes) == []


def test_lookup_route_longest_prefix_and_on_link():
    routes = linux_net.parse_proc_route(PROC_ROUTE)
    assert linux_net.lookup_route('192.168.77.12', routes)['dest'] == '192.168.77.0/24'
    assert linux_net.on_link(linux_net.lookup_route('192.168.77.12', routes))
    # Another network goes through the default gateway: not a neighbour.
    assert linux_net.lookup_route('192.168.99.5', routes)['dest'] == '0.0.0.0/0'
    assert not linux_net.on_link(linux_net.lookup_route('192.168.99.5', routes))
    # A pod address without its own route hits the unreachable cover.
    assert not linux_net.on_link(linux_net.lookup_route('10.244.7.3', routes))
    assert linux_net.lookup_route('fd00::1', routes) is None
    assert not linux_net.on_link(None)


def test_connected_networks_leave_out_container_devices():
    routes = linux_net.parse_proc_route(PROC_ROUTE)
    assert linux_net.connected_networks(routes) == [{'network': '192.168.77.0/24', 'dev': 'eth0'}]


# `ip -j addr show` of a dual-stack node: docker0 with the lease (IPv4 and IPv6, plus its
# link-local IPv6 address), a flannel.1 without addresses listed.
IP_ADDR_JSON = """[
 {"ifindex": 1, "ifname": "lo", "addr_info": [{"family": "inet", "local": "127.0.0.1", "prefixlen": 8, "scope": "host"}]},
 {"ifindex": 5, "ifname": "docker0", "addr_info": [
   {"family": "inet", "local": "10.244.5.1", "prefixlen": 24, "scope": "global"},
   {"family": "inet", "local": "172.17.0.1", "prefixlen": 16, "scope": "global"},
   {"family": "inet6", "local": "fd00:10:244:5::1", "prefixlen": 80, "scope": "global"},
   {"family": "inet6", "local": "fe80::42:acff:fe11:2", "prefixlen": 64, "scope": "link"}]},
 {"ifindex": 6, "ifname": "flannel.1", "addr_info": []},
 {"ifindex": 7, "ifname": "veth0"}
]"""


def test_parse_ip_addr_json():
    devices = linux_net.parse_ip_addr_json(IP_ADDR_JSON)
    assert devices['docker0'] == {'ipv4': ['10.244.5.1/24', '172.17.0.1/16'], 'ipv6': ['fd00:10:244:5::1/80']}
    assert devices['flannel.1'] == {'ipv4': [], 'ipv6': []}
    assert devices['veth0'] == {'ipv4': [], 'ipv6': []}
    assert linux_net.parse_ip_addr_json('') == {}


class FakeModule:
    """The parts of AnsibleModule linux_net uses; `ip` answers from `links` and `addr_json`."""

    def __init__(self, links=(), check_mode=False, addr_json=IP_ADDR_JSON):
        self.links = set(links)
        self.check_mode = check_mode
        self.addr_json = addr_json
        self.calls = []

    def get_bin_path(self, name, required=False):
        return '/usr/sbin/' + name

    def run_command(self, argv):
        self.calls.append(argv)
        if argv[1:3] == ['link', 'delete']:
            if argv[-1] not in self.links:
                return 1, '', 'Cannot find device "%s"\n' % argv[-1]
            self.links.discard(argv[-1])
            return 0, '', ''
        return 0, self.addr_json, ''

    def fail_json(self, **kwargs):
        raise AssertionError(kwargs)


def test_read_addresses_one_call_for_all_devices():
    module = FakeModule()
    found = linux_net.read_addresses(module, ['docker0', 'flannel.2'])
    assert found['docker0']['exists'] is True and found['docker0']['ipv4'][0] == '10.244.5.1/24'
    assert found['flannel.2'] == {'exists': False, 'ipv4': [], 'ipv6': []}
    assert module.calls == [['/usr/sbin/ip', '-j', 'addr', 'show']]


def test_delete_links_removes_only_what_exists(monkeypatch):
    module = FakeModule(links=['flannel.1'])
    monkeypatch.setattr(linux_net, 'device_exists', lambda name: name in module.links)
    assert linux_net.delete_links(module, ['flannel.1', 'flannel-v6.1']) == ['flannel.1']
    assert module.calls == [['/usr/sbin/ip', 'link', 'delete', 'dev', 'flannel.1']]
    assert linux_net.delete_links(module, ['flannel.1']) == []


def test_delete_links_in_check_mode_runs_nothing(monkeypatch):
    module = FakeModule(links=['docker0'], check_mode=True)
    monkeypatch.setattr(linux_net, 'device_exists', lambda name: name in module.links)
    assert linux_net.delete_links(module, ['docker0']) == ['docker0']
    assert module.calls == [] and module.links == {'docker0'}


def test_delete_links_tolerates_a_device_gone_meanwhile(monkeypatch):
    module = FakeModule(links=[])
    monkeypatch.setattr(linux_net, 'device_exists', lambda name: not module.calls)
    assert linux_net.delete_links(module, ['docker0']) == []
