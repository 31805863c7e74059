#!/usr/bin/env bash
# Install everything the lab and the tests need on a fresh Debian bookworm machine, then
# build the cached artifacts. Idempotent: a second run only checks.
#   - Debian packages: docker.io (the host engine for lab nodes), debootstrap, gcc, ...
#   - .venv with requirements.txt
#   - a running dockerd (scripts/dockerd.sh)
#   - artifacts (scripts/artifacts.sh): node image, flanneld, pause image tarball
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
t0=$(date +%s)

need_pkgs=(docker.io iptables debootstrap busybox-static gcc libc6-dev openssh-client rsync git shellcheck)
missing=()
for p in "${need_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v go >/dev/null || { echo "bootstrap: Go is required to build flanneld" >&2; exit 1; }

req_hash=$(sha256sum requirements.txt | cut -c1-16)
if [ "$(cat .venv/.req-hash 2>/dev/null)" != "$req_hash" ]; then
  echo "bootstrap: creating .venv from requirements.txt"
  python3 -m venv .venv
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -r requirements.txt
  echo "$req_hash" > .venv/.req-hash
fi

# Ansible finds this collection (podnet.flannel) through a symlink under .lab/collections.
mkdir -p .lab/collections/ansible_collections/podnet
ln -sfn "$root" .lab/collections/ansible_collections/podnet/flannel

scripts/dockerd.sh
scripts/artifacts.sh
echo "bootstrap: done in $(( $(date +%s) - t0 )) s"
