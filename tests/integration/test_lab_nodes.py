"""Lab nodes boot systemd, are reachable at their inventory address and are distinct machines."""

import pytest


def test_systemd_is_running(host):
    state = host.run("systemctl is-system-running")
    failed = host.run("systemctl --failed --no-legend --plain").stdout.strip()
    assert state.stdout.strip() == "running", f"{host.backend.get_hostname()}: {state.stdout} failed units: {failed}"
    assert failed == ""


def test_sshd_serves(host):
    assert host.service("ssh").is_running


def test_address_is_the_inventory_address(host, inventory_hosts):
    name = host.backend.get_hostname()
    addresses = host.interface.default().addresses
    assert inventory_hosts[name] in addresses


def test_var_lib_docker_is_its_own_volume(host):
    # Nested Docker needs /var/lib/docker off the node's overlay root.
    root_fs = host.mount_point("/").filesystem
    assert host.mount_point("/var/lib/docker").exists
    assert host.mount_point("/var/lib/docker").filesystem != "overlay" or root_fs != "overlay"


def test_proc_sys_net_is_writable(host):
    assert host.run("test -w /proc/sys/net/ipv4/ip_forward").rc == 0


@pytest.fixture(scope="module")
def machine_ids(inventory_hosts, node_host):
    return {name: node_host(name).file("/etc/machine-id").content_string.strip() for name in inventory_hosts}


def test_every_node_has_its_own_machine_id(machine_ids):
    # Nodes sharing a machine-id get identical MACs on vxlan devices (vxlan drops frames carrying its own source MAC).
    assert all(len(v) == 32 for v in machine_ids.values()), machine_ids
    assert len(set(machine_ids.values())) == len(machine_ids), machine_ids
