#!/usr/bin/env bash
# Build the real upstream flanneld from its Go module (github.com/flannel-io/flannel), cached
# by version + recipe. Prints the binary's path on its last line.
#
# Why not plain `go install github.com/flannel-io/flannel@vX`: main.go blank-imports every
# backend, and the Tencent Cloud VPC backend's SDK module (tencentcloud-sdk-go/.../vpc) is not
# served by the Go module proxy reachable here (403). So the build takes the module as
# downloaded from the proxy, drops that one cloud backend's import line and builds the rest
# unchanged: vxlan, host-gw, wireguard, udp, ipip, ipsec, alloc and the other cloud backends.
set -euo pipefail
version=${FLANNEL_VERSION:-v0.28.10}
here=$(cd "$(dirname "$0")" && pwd)
cache=${PODNET_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/podnet-flannel}
key=$( (cat "$here/build.sh"; go env GOVERSION GOARCH) | sha256sum | cut -c1-12)
out=$cache/flanneld-$version-$key
if [ -x "$out" ]; then echo "flanneld: cached" >&2; echo "$out"; exit 0; fi
mkdir -p "$cache"
src=$(go mod download -json "github.com/flannel-io/flannel@$version" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
work=$(mktemp -d)
trap 'chmod -R u+w "$work"; rm -rf "$work"' EXIT
cp -r "$src/." "$work/" && chmod -R u+w "$work"
sed -i '/"github.com\/flannel-io\/flannel\/pkg\/backend\/tencentvpc"/d' "$work/main.go"
echo "flanneld: building $version (cgo, for the udp backend)" >&2
(cd "$work" && CGO_ENABLED=1 go build -trimpath \
   -ldflags "-s -w -X github.com/flannel-io/flannel/pkg/version.Version=$version" \
   -o "$out.tmp" .)
mv "$out.tmp" "$out"
"$out" --version >&2
echo "$out"
