#!/usr/bin/env bash
# Build the lab's pause image as a `docker save` tarball, from lab/pause/pause.c compiled
# statically. Tagged as the upstream image the pod module uses by default, so loading the
# tarball on a node (pause_image_archive) stands in for pulling it. Cached by recipe.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${PODNET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/podnet-flannel}
tag=${PODNET_PAUSE_TAG:-registry.k8s.io/pause:3.10}
key=$( (cat "$here/build.sh" "$here/pause.c"; echo "$tag") | sha256sum | cut -c1-12)
out=$cache/pause-$key.tar
if [ -s "$out" ]; then echo "pause image: cached" >&2; echo "$out"; exit 0; fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root" "$cache"
gcc -static -Os -s -o "$work/root/pause" "$here/pause.c"
tar -C "$work/root" --owner=0 --group=0 -cf "$work/rootfs.tar" pause
docker import -c 'ENTRYPOINT ["/pause"]' -c 'LABEL podnet.lab.artifact=pause' \
  "$work/rootfs.tar" "$tag" >/dev/null
docker save -o "$out.tmp" "$tag" && mv "$out.tmp" "$out"
echo "$out"
