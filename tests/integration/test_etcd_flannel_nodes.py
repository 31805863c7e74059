"""Node state after the converge: etcd members, flanneld, the lease, the flannel device, routes."""

import ipaddress
import os

import pytest

from conftest import subnet_env

# The backend the converge configured (molecule's verify passes the scenario's flannel_backend).
BACKEND = os.environ.get("PODNET_FLANNEL_BACKEND", "vxlan")


@pytest.fixture(scope="module")
def all_subnet_envs(inventory_hosts, node_host):
    return {name: subnet_env(node_host(name)) for name in inventory_hosts}


def test_etcd_member_serves_on_its_address(host, inventory_hosts, etcd_members):
    name = host.backend.get_hostname()
    if name not in etcd_members:
        pytest.skip(f"{name} is not an etcd member")
    assert host.service("etcd").is_running
    assert host.service("etcd").is_enabled
    assert host.socket(f"tcp://{inventory_hosts[name]}:2379").is_listening
    assert host.socket("tcp://127.0.0.1:2379").is_listening
    data = host.file("/var/lib/etcd/podnet")
    assert data.user == "etcd" and data.mode == 0o700


def test_flanneld_runs_and_leased_a_subnet(host):
    assert host.service("flanneld").is_running
    assert host.service("flanneld").is_enabled
    env = subnet_env(host)
    network = ipaddress.ip_network(env["FLANNEL_NETWORK"])
    subnet = ipaddress.ip_interface(env["FLANNEL_SUBNET"])
    assert subnet.network.subnet_of(network)
    # flanneld writes the first usable address of its lease.
    assert subnet.ip == subnet.network.network_address + 1


def test_leases_are_distinct(all_subnet_envs):
    subnets = [env["FLANNEL_SUBNET"] for env in all_subnet_envs.values()]
    assert len(set(subnets)) == len(subnets), all_subnet_envs


def test_backend_device_and_mtu(host):
    env = subnet_env(host)
    underlay = int(host.file("/sys/class/net/eth0/mtu").content_string)
    if BACKEND == "vxlan":
        # VXLAN adds 50 bytes of headers: the device and the lease MTU leave room for them.
        device = int(host.file("/sys/class/net/flannel.1/mtu").content_string)
        assert device == underlay - 50
        assert int(env["FLANNEL_MTU"]) == underlay - 50
        assert "vxlan id 1" in host.check_output("ip -d link show flannel.1")
    elif BACKEND == "host-gw":
        # Plain routing, no encapsulation: no flannel device, the full underlay MTU.
        assert not host.interface("flannel.1").exists
        assert int(env["FLANNEL_MTU"]) == underlay
    else:
        pytest.fail(f"no expectation for backend {BACKEND}")


def test_routes_to_every_other_nodes_subnet(host, all_subnet_envs, inventory_hosts):
    name = host.backend.get_hostname()
    routes = host.check_output("ip -4 route show").splitlines()
    for other, env in all_subnet_envs.items():
        if other == name:
            continue
        other_subnet = str(ipaddress.ip_interface(env["FLANNEL_SUBNET"]).network)
        route = [line for line in routes if line.startswith(other_subnet + " ")]
        assert route, f"{name} has no route to {other}'s {other_subnet}: {routes}"
        if BACKEND == "vxlan":
            assert "dev flannel.1" in route[0], route
        elif BACKEND == "host-gw":
            assert f"via {inventory_hosts[other]} dev eth0" in route[0], route
