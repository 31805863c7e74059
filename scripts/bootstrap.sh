#!/usr/bin/env bash
# Install everything the lab and the tests need on a fresh Debian bookworm machine, then
# build the cached artifacts. Idempotent: a second run only checks.
#   - Debian packages: docker.io (the host engine for lab nodes), debootstrap, gcc, ...
#   - .venv with requirements.txt (scripts/venv.sh)
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

scripts/venv.sh
scripts/dockerd.sh
scripts/artifacts.sh
echo "bootstrap: done in $(( $(date +%s) - t0 )) s"
