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
def inventory_hosts(inventory_source):
    """{hostname: ansible_host} of group `nodes` in the inventory under test."""
    from ansible.inventory.manager import InventoryManager
    from ansible.parsing.dataloader import DataLoader

    inv = InventoryManager(loader=DataLoader(), sources=[inventory_source])
    return {name: inv.get_host(name).vars.get("ansible_host") for name in inv.get_groups_dict()["nodes"]}


@pytest.fixture(scope="session")
def etcd_members(inventory_source):
    """Host names of group `etcd`."""
    from ansible.inventory.manager import InventoryManager
    from ansible.parsing.dataloader import DataLoader

    inv = InventoryManager(loader=DataLoader(), sources=[inventory_source])
    return inv.get_groups_dict().get("etcd", [])
