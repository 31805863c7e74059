#!/usr/bin/env bash
# Build (or take from the cache) what the lab needs beyond packages, and link it under
# .lab/artifacts where the lab inventory's local-artifact variables point:
#   .lab/artifacts/node-image-<platform>  the node image of each lab platform in LAB_PLATFORMS
#                               (default: LAB_PLATFORM, else trixie), podnet-lab-node:<platform>-<hash>
#   .lab/artifacts/flanneld     flanneld built from the upstream Go module
#   .lab/artifacts/pause.tar    the pause image (docker save tarball)
#   .lab/artifacts/busybox.tar  the demo app image busybox:1.36 (docker save tarball)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$root/.lab/artifacts"
for platform in ${LAB_PLATFORMS:-${LAB_PLATFORM:-trixie}}; do
  t=$(date +%s); image=$("$root/lab/image/build.sh" "$platform" | tail -n 1)
  echo "$image" > "$root/.lab/artifacts/node-image-$platform"
  echo "artifacts: node image $image ($(( $(date +%s) - t )) s)"
done
t=$(date +%s); flanneld=$("$root/lab/flanneld/build.sh" | tail -n 1)
ln -sfn "$flanneld" "$root/.lab/artifacts/flanneld"; echo "artifacts: flanneld $flanneld ($(( $(date +%s) - t )) s)"
t=$(date +%s); pause=$("$root/lab/pause/build.sh" | tail -n 1)
ln -sfn "$pause" "$root/.lab/artifacts/pause.tar"; echo "artifacts: pause image $pause ($(( $(date +%s) - t )) s)"
t=$(date +%s); busybox=$("$root/lab/busybox/build.sh" | tail -n 1)
ln -sfn "$busybox" "$root/.lab/artifacts/busybox.tar"; echo "artifacts: busybox image $busybox ($(( $(date +%s) - t )) s)"
