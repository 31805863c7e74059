"""docker0 on the lease, and the demo pod: IP from the lease, one shared network namespace."""

import ipaddress
import json

from conftest import subnet_env


def test_docker_runs_after_flanneld(host):
    assert host.service("docker").is_running
    assert host.service("docker").is_enabled
    after = host.check_output("systemctl show -p After --value docker.service")
    assert "flanneld.service" in after.split()


def test_docker0_holds_the_lease_and_its_mtu(host):
    env = subnet_env(host)
    addresses = host.check_output("ip -4 -o addr show dev docker0").split()
    assert addresses[3] == env["FLANNEL_SUBNET"]
    daemon = json.loads(host.file("/etc/docker/daemon.json").content_string)
    assert daemon["bip"] == env["FLANNEL_SUBNET"]
    assert daemon["mtu"] == int(env["FLANNEL_MTU"])
    # flanneld masquerades traffic leaving the pod network; docker must not NAT pod traffic.
    assert daemon["ip-masq"] is (env["FLANNEL_IPMASQ"] != "true")


def engine_version(host):
    """(major, minor, patch) of the node's dockerd, from its own `dockerd --version`."""
    text = host.check_output("dockerd --version")
    major, minor, patch = text.split()[2].rstrip(",").split("+")[0].split(".")[:3]
    return int(major), int(minor), int(patch)


def test_docker_cli_is_there(host):
    # People who follow the pod model by hand run `docker run --net=container:...` on the node.
    assert host.run("docker --version").rc == 0


def test_daemon_json_has_only_keys_the_engine_knows(host):
    daemon = json.loads(host.file("/etc/docker/daemon.json").content_string)
    if engine_version(host) >= (28, 2, 0):
        # Docker 28 drops pod traffic routed from other nodes unless this is set.
        assert daemon.get("allow-direct-routing") is True
        assert "DROP" not in host.check_output("iptables -t raw -S PREROUTING")
    else:
        assert "allow-direct-routing" not in daemon


def demo(host):
    name = host.backend.get_hostname()
    return f"demo-{name}"


def inspect(host, container):
    return json.loads(host.check_output(f"docker inspect {container}"))[0]


def test_demo_pod_ip_comes_from_the_lease(host):
    env = subnet_env(host)
    infra = inspect(host, f"{demo(host)}-infra")
    pod_ip = ipaddress.ip_address(infra["NetworkSettings"]["Networks"]["bridge"]["IPAddress"])
    assert pod_ip in ipaddress.ip_interface(env["FLANNEL_SUBNET"]).network


def test_apps_share_the_infra_network_namespace(host):
    pod = demo(host)
    inodes = {}
    for member in ("infra", "echo", "client"):
        pid = inspect(host, f"{pod}-{member}")["State"]["Pid"]
        assert pid > 0, f"{pod}-{member} is not running"
        inodes[member] = host.check_output(f"stat -L -c %i /proc/{pid}/ns/net")
    assert len(set(inodes.values())) == 1, inodes
    infra_id = inspect(host, f"{pod}-infra")["Id"]
    for app in ("echo", "client"):
        assert inspect(host, f"{pod}-{app}")["HostConfig"]["NetworkMode"] == f"container:{infra_id}"


def test_apps_reach_each_other_on_localhost(host):
    pod = demo(host)
    out = host.check_output(f"docker exec {pod}-client timeout 5 wget -qO- http://127.0.0.1:8080/cgi-bin/ip")
    assert "127.0.0.1" in out
