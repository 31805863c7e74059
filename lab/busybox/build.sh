#!/usr/bin/env bash
# Build the lab's demo app image (`busybox:1.36` stand-in) as a `docker save` tarball: Debian's
# static busybox with a symlink per applet, so `sh`, `httpd`, `wget`, `ip`... are on PATH.
# The demo pods and the verify check's echo servers run it. Cached by recipe.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${PODNET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/podnet-flannel}
tag=${PODNET_BUSYBOX_TAG:-busybox:1.36}
busybox=/bin/busybox
key=$( (cat "$here/build.sh"; echo "$tag"; sha256sum "$busybox") | sha256sum | cut -c1-12)
out=$cache/busybox-$key.tar
if [ -s "$out" ]; then echo "busybox image: cached" >&2; echo "$out"; exit 0; fi
{ ldd "$busybox" 2>&1 || true; } | grep -q "not a dynamic executable" \
  || { echo "busybox image: $busybox is not the static busybox (apt-get install busybox-static)" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root/bin" "$work/root/tmp" "$work/root/www" "$cache"
install -m 0755 "$busybox" "$work/root/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$work/root/bin/$applet"
done
tar -C "$work/root" --owner=0 --group=0 -cf "$work/rootfs.tar" .
docker import -c 'ENV PATH=/bin' -c 'CMD ["sh"]' -c 'LABEL podnet.lab.artifact=busybox' \
  "$work/rootfs.tar" "$tag" >/dev/null
docker save -o "$out.tmp" "$tag" && mv "$out.tmp" "$out"
echo "$out"
