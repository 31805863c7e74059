"""Unit tests import the collection as ansible_collections.podnet.flannel.

scripts/bootstrap.sh links this checkout at .lab/collections/ansible_collections/podnet/flannel;
that directory goes first on sys.path so imports resolve to the working tree.
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS = os.path.join(ROOT, ".lab", "collections")
if COLLECTIONS not in sys.path:
    sys.path.insert(0, COLLECTIONS)
# Ansible's collection loader, so that templates rendered by the tests (role variables) find the
# collection's own filters by their FQCN, as a playbook run does.
from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder  # noqa: E402

_AnsibleCollectionFinder(paths=[COLLECTIONS])._install()
# Shared test data (netcheck_cases.py) is imported by its module name.
HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(1, HERE)
