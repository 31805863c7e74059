#!/usr/bin/env bash
# ansible-test sanity on a copy of the collection laid out as ansible_collections/podnet/flannel.
# Runs in its own virtualenv (.lab/venv-sanity) with ansible-test's pinned sanity requirements
# (--requirements), kept apart from .venv so they cannot clash with ansible-lint's.
# No ignore file: every finding fails the run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
core=$(grep -E '^ansible-core==' "$root/requirements.txt")
venv=$root/.lab/venv-sanity
if [ "$(cat "$venv/.core" 2>/dev/null)" != "$core" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "$core"
  echo "$core" > "$venv/.core"
fi
# ansible-test's sanity venvs bootstrap pip from a download site that is not reachable here.
pipver=$("$venv/bin/python" -c 'import ansible_test._internal.python_requirements as r; print(r.PIP_VERSION)' 2>/dev/null || echo 24.2)
mkdir -p ~/.ansible/test/cache
install -m 0644 "$root/scripts/get_pip_offline.py" ~/.ansible/test/cache/"get_pip_${pipver//./_}.py"
# ansible-test skips every file under a hidden directory, so the copy lives outside .lab.
base=${PODNET_SANITY_DIR:-${TMPDIR:-/tmp}/podnet-flannel-sanity}
dest=$base/ansible_collections/podnet/flannel
mkdir -p "$dest"
rsync -a --delete --exclude .venv --exclude .lab --exclude .git --exclude __pycache__ \
  --exclude .pytest_cache --exclude '*.tar.gz' --exclude tests/output "$root/" "$dest/"
cd "$dest"
PATH=$venv/bin:$PATH exec ansible-test sanity --local --python 3.11 --requirements "$@"
