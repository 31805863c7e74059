#!/usr/bin/env bash
# The Python environment of the project: .venv with the pinned requirements.txt, and the
# collections path through which Ansible finds this checkout as podnet.flannel. Enough for the
# unit, lint and galaxy stages and for `make lab-down`; scripts/bootstrap.sh runs it too.
# Idempotent: the venv is rebuilt only when requirements.txt changes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
req_hash=$(sha256sum requirements.txt | cut -c1-16)
if [ "$(cat .venv/.req-hash 2>/dev/null)" != "$req_hash" ]; then
  echo "venv: creating .venv from requirements.txt"
  python3 -m venv .venv
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -r requirements.txt
  echo "$req_hash" > .venv/.req-hash
fi
# Ansible finds this collection (podnet.flannel) through a symlink under .lab/collections.
mkdir -p .lab/collections/ansible_collections/podnet
ln -sfn "$root" .lab/collections/ansible_collections/podnet/flannel
