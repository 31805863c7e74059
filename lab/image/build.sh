#!/usr/bin/env bash
# Build the lab node image (a systemd-booting Debian bookworm) from a debootstrapped rootfs.
# The tag carries a hash of this recipe (this script, packages.txt, files/), so the image is
# rebuilt only when the recipe changes. Prints the image reference on its last line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${PODNET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/podnet-flannel}
mirror=${PODNET_DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=bookworm
recipe_hash=$(cd "$here" && find build.sh packages.txt files -type f -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-12)
image=${PODNET_NODE_IMAGE_REPO:-podnet-lab-node}:$recipe_hash

if docker image inspect "$image" >/dev/null 2>&1; then
  echo "node image: cached" >&2
  echo "$image"; exit 0
fi
mkdir -p "$cache/debs"
tarball=$cache/node-rootfs-$recipe_hash.tar
if [ ! -s "$tarball" ]; then
  rootfs=$(mktemp -d "$cache/rootfs.XXXXXX")
  trap 'rm -rf "$rootfs"' EXIT
  include=$(grep -v '^#' "$here/packages.txt" | grep . | paste -sd, -)
  echo "node image: debootstrap $suite ($include)" >&2
  debootstrap --variant=minbase --cache-dir="$cache/debs" --include="$include" \
    "$suite" "$rootfs" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { tail -n 30 "$cache/debootstrap.log" >&2; exit 1; }
  # Per-node identity: an empty machine-id makes systemd generate a fresh one on each node's
  # first boot (nodes sharing one id get identical MACs on vxlan devices: see LAB-NOTES).
  : > "$rootfs/etc/machine-id"
  rm -f "$rootfs/var/lib/dbus/machine-id" "$rootfs"/etc/ssh/ssh_host_*
  install -m 0644 "$here"/files/*.service "$rootfs/etc/systemd/system/"
  chroot "$rootfs" systemctl enable podnet-firstboot.service podnet-lab-procsys.service ssh.service >/dev/null 2>&1
  # Units that have no job in a container.
  chroot "$rootfs" systemctl mask getty@tty1.service serial-getty@.service \
    console-getty.service systemd-udevd.service systemd-modules-load.service \
    sys-kernel-config.mount sys-kernel-debug.mount >/dev/null 2>&1
  mkdir -p "$rootfs/root/.ssh" && chmod 0700 "$rootfs/root/.ssh"
  printf 'PermitRootLogin prohibit-password\nPasswordAuthentication no\nUseDNS no\n' \
    > "$rootfs/etc/ssh/sshd_config.d/podnet-lab.conf"
  echo "deb $mirror $suite main" > "$rootfs/etc/apt/sources.list"
  # No package lists or caches: a fresh node updates them on first use, like a new server.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin
  tar -C "$rootfs" --numeric-owner -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
fi
echo "node image: importing $tarball" >&2
docker import \
  -c 'CMD ["/lib/systemd/systemd"]' -c 'ENV container=docker' \
  -c "LABEL podnet.lab.recipe=$recipe_hash" \
  "$tarball" "$image" >/dev/null
echo "$image"
