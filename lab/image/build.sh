#!/usr/bin/env bash
# Build the lab node image of one platform (a systemd-booting Debian) from a debootstrapped
# rootfs. Usage: lab/image/build.sh [PLATFORM]   (platforms/<PLATFORM>.conf; default trixie)
# The tag is <platform>-<hash of this recipe> (this script, packages.txt, files/ and the
# platform's file), so each platform's image is rebuilt only when its recipe changes. Prints
# the image reference on its last line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${PODNET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/podnet-flannel}
mirror=${PODNET_DEBIAN_MIRROR:-http://deb.debian.org/debian}
platform=${1:-trixie}
conf=$here/platforms/$platform.conf
if [ ! -f "$conf" ]; then
  echo "node image: unknown platform '$platform'; known: $(find "$here/platforms" -name '*.conf' -printf '%f\n' | sed 's|\.conf$||' | sort | paste -sd' ' -)" >&2
  exit 2
fi
suite='' extra_source='' pin_release='' pin_packages='' preinstall='' iptables_backend=''
# shellcheck source=/dev/null
. "$conf"
recipe_hash=$(cd "$here" && find build.sh packages.txt files "platforms/$platform.conf" -type f -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-12)
image=${PODNET_NODE_IMAGE_REPO:-podnet-lab-node}:$platform-$recipe_hash

if docker image inspect "$image" >/dev/null 2>&1; then
  echo "node image: cached" >&2
  echo "$image"; exit 0
fi
# One package cache per platform: platforms are built side by side (scripts/artifacts.sh).
debs=$cache/debs-$platform
mkdir -p "$debs"
tarball=$cache/node-rootfs-$platform-$recipe_hash.tar
if [ ! -s "$tarball" ]; then
  rootfs=$(mktemp -d "$cache/rootfs.XXXXXX")
  trap 'rm -rf "$rootfs"' EXIT
  include=$(grep -v '^#' "$here/packages.txt" | grep . | paste -sd, -)
  echo "node image: debootstrap $suite ($include)" >&2
  debootstrap --variant=minbase --cache-dir="$debs" --include="$include" \
    "$suite" "$rootfs" "$mirror" >"$cache/debootstrap-$platform.log" 2>&1 \
    || { tail -n 30 "$cache/debootstrap-$platform.log" >&2; exit 1; }
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
  if [ -n "$iptables_backend" ]; then
    for tool in iptables ip6tables; do
      chroot "$rootfs" update-alternatives --quiet --set "$tool" "/usr/sbin/$tool-$iptables_backend"
    done
  fi
  if [ -n "$extra_source" ]; then
    echo "${extra_source//MIRROR/$mirror}" > "$rootfs/etc/apt/sources.list.d/$pin_release.list"
    # Nothing comes from that source but the pinned packages (priority 990); everything else
    # stays on $suite (-1: never installed from $pin_release).
    printf 'Package: *\nPin: release n=%s\nPin-Priority: -1\n\nPackage: %s\nPin: release n=%s\nPin-Priority: 990\n' \
      "$pin_release" "$pin_packages" "$pin_release" > "$rootfs/etc/apt/preferences.d/podnet-lab-$pin_release"
  fi
  if [ -n "$preinstall" ]; then
    echo "node image: preinstalling $preinstall" >&2
    # Services are not started in the chroot (policy-rc.d), only enabled for the node's boot.
    printf '#!/bin/sh\nexit 101\n' > "$rootfs/usr/sbin/policy-rc.d"; chmod 0755 "$rootfs/usr/sbin/policy-rc.d"
    mount --bind /proc "$rootfs/proc"
    # shellcheck disable=SC2086
    if ! { chroot "$rootfs" apt-get update -qq && DEBIAN_FRONTEND=noninteractive chroot "$rootfs" \
           apt-get install -y -qq --no-install-recommends $preinstall; } >"$cache/preinstall-$platform.log" 2>&1; then
      umount "$rootfs/proc"; tail -n 30 "$cache/preinstall-$platform.log" >&2; exit 1
    fi
    umount "$rootfs/proc"
    rm -f "$rootfs/usr/sbin/policy-rc.d"
  fi
  # No package lists or caches: a fresh node updates them on first use, like a new server.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/cache/apt/*.bin
  tar -C "$rootfs" --numeric-owner -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
fi
echo "node image: importing $tarball" >&2
docker import \
  -c 'CMD ["/lib/systemd/systemd"]' -c 'ENV container=docker' \
  -c "LABEL podnet.lab.recipe=$recipe_hash" -c "LABEL podnet.lab.platform=$platform" \
  "$tarball" "$image" >/dev/null
echo "$image"
