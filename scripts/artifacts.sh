#!/usr/bin/env bash
# Build (or take from the cache) what the lab needs beyond packages, and link it under
# .lab/artifacts where the lab inventory's local-artifact variables point:
#   .lab/artifacts/node-image-<platform>  the node image of each lab platform in LAB_PLATFORMS
#                               (default: LAB_PLATFORM, else trixie), podnet-lab-node:<platform>-<hash>
# and warms the controller's flanneld cache (~/.cache/podnet-flannel/flanneld): the flannel
# role's own build method (lab/flanneld/prewarm.yml), so the first converge finds it there.
#   .lab/artifacts/pause.tar    the pause image (docker save tarball)
#   .lab/artifacts/busybox.tar  the demo app image busybox:1.36 (docker save tarball)
#   .lab/artifacts/etcd-v<V>-linux-<arch>.tar.gz  etcd release tarballs built from the upstream
#                               Go modules (lab/etcd/build.sh), one per version the etcd upgrade
#                               test goes through (lab_upgrade_etcd_versions, lab/upgrade-versions.yml)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$root/.lab/artifacts"
# The node images (debootstrap: mostly downloads and dpkg) and flanneld (go build: CPU) are
# built side by side; each job logs to its own file and prints its artifact on its last line.
flanneld() {  # the role's build on localhost, with the lab inventory's flanneld settings
  ANSIBLE_CONFIG=$root/ansible.cfg PATH=$root/.venv/bin:$PATH ANSIBLE_FORCE_COLOR=0 \
    ansible-playbook -i "$root/${LAB_INVENTORY:-inventories/lab}" "$root/lab/flanneld/prewarm.yml" || return 1
  echo "cache ${XDG_CACHE_HOME:-$HOME/.cache}/podnet-flannel/flanneld"
}
etcd_versions=$(sed -n 's/^lab_upgrade_etcd_versions: *\[\(.*\)\]/\1/p' "$root/lab/upgrade-versions.yml" | tr -d '",')
etcd() {  # one build after the other (each is CPU-bound), the last line lists the tarballs
  local v t out=()
  for v in $etcd_versions; do t=$("$root/lab/etcd/build.sh" "$v" | tail -n 1) || return 1; out+=("$t"); done
  echo "${out[*]}"
}
jobs_dir=$(mktemp -d)
trap 'rm -rf "$jobs_dir"' EXIT
job() {  # job NAME COMMAND...: run in the background, output in $jobs_dir/NAME.{out,err,rc,s}
  local name=$1; shift
  ( t=$(date +%s); rc=0; "$@" >"$jobs_dir/$name.out" 2>"$jobs_dir/$name.err" || rc=$?
    echo "$rc" >"$jobs_dir/$name.rc"; echo $(( $(date +%s) - t )) >"$jobs_dir/$name.s" ) &
}
platforms=${LAB_PLATFORMS:-${LAB_PLATFORM:-trixie}}
for platform in $platforms; do job "image-$platform" "$root/lab/image/build.sh" "$platform"; done
job flanneld flanneld
job etcd etcd
wait
failed=0
for name in $(for p in $platforms; do echo "image-$p"; done) flanneld etcd; do
  cat "$jobs_dir/$name.err" >&2
  if [ "$(cat "$jobs_dir/$name.rc")" != 0 ]; then
    tail -n 40 "$jobs_dir/$name.out" >&2; echo "artifacts: $name failed" >&2; failed=1; continue
  fi
  artifact=$(tail -n 1 "$jobs_dir/$name.out")
  case $name in
    image-*) echo "$artifact" > "$root/.lab/artifacts/node-$name"; what="node image";;
    flanneld) what=flanneld;;
    etcd) what="etcd tarballs"
      for t in $artifact; do ln -sfn "$t" "$root/.lab/artifacts/$(basename "$t")"; done;;
  esac
  echo "artifacts: $what $artifact ($(cat "$jobs_dir/$name.s") s)"
done
[ "$failed" = 0 ] || exit 1
t=$(date +%s); pause=$("$root/lab/pause/build.sh" | tail -n 1)
ln -sfn "$pause" "$root/.lab/artifacts/pause.tar"; echo "artifacts: pause image $pause ($(( $(date +%s) - t )) s)"
t=$(date +%s); busybox=$("$root/lab/busybox/build.sh" | tail -n 1)
ln -sfn "$busybox" "$root/.lab/artifacts/busybox.tar"; echo "artifacts: busybox image $busybox ($(( $(date +%s) - t )) s)"
