"""pytest-testinfra tests of the lab nodes' state, run by molecule's verify step.

Hosts come from the lab inventory through testinfra's Ansible backend, over the same SSH
connection the playbooks use. Run by hand with:
    .venv/bin/pytest tests/integration --hosts='ansible://nodes' \
        --ansible-inventory=inventories/lab --ssh-identity-file=.lab/ssh/id_ed25519
"""

import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("ANSIBLE_CONFIG", os.path.join(ROOT, "ansible.cfg"))


@pytest.fixture(scope="session")
def inventory_source(request):
    return request.config.getoption("ansible_inventory") or os.path.join(ROOT, "inventories", "lab")


@pytest.fixture(scope="session")
def inventory_groups(inventory_source):
    """{group: [host, ...]} and {host: ansible_host} of the inventory under test, read once."""
    from ansible.inventory.manager import InventoryManager
    from ansible.parsing.dataloader import DataLoader

    inv = InventoryManager(loader=DataLoader(), sources=[inventory_source])
    groups = inv.get_groups_dict()
    addresses = {name: inv.get_host(name).vars.get("ansible_host") for name in groups.get("all", [])}
    return groups, addresses


@pytest.fixture(scope="session")
def inventory_hosts(inventory_groups):
    """{hostname: ansible_host} of group `nodes` in the inventory under test."""
    groups, addresses = inventory_groups
    return {name: addresses[name] for name in groups["nodes"]}


@pytest.fixture(scope="session")
def etcd_members(inventory_groups):
    """Host names of group `etcd`."""
    return inventory_groups[0].get("etcd", [])


@pytest.fixture(scope="session")
def node_host(request, inventory_source):
    """A testinfra host for any node by name, over the same connection as the `host` fixture."""
    import testinfra

    def get(name):
        return testinfra.get_host(f"ansible://{name}", ansible_inventory=inventory_source, ssh_identity_file=request.config.getoption("ssh_identity_file"))

    return get


def subnet_env(host):
    """flanneld's lease file on `host` as a dict (FLANNEL_NETWORK, FLANNEL_SUBNET, ...)."""
    text = host.file("/run/flannel/subnet.env").content_string
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
