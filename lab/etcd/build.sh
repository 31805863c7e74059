#!/usr/bin/env bash
# Build an etcd release tarball from the upstream Go modules, for the lab's etcd upgrade test
# (tests/integration/rollout/etcd_upgrade.yml): no GitHub download is reachable here, so the
# lab makes the tarball the role's `archive` method installs (etcd_archive_src), in the layout
# of the official release: etcd-v<V>-linux-<goarch>/{etcd,etcdctl}.
#   lab/etcd/build.sh 3.5.35      prints the tarball's path on its last line
# The server and etcdctl modules (go.etcd.io/etcd/server/v3, go.etcd.io/etcd/etcdctl/v3) carry
# replace directives for their monorepo, so they cannot be built in place; a small main module
# requires both at the version and holds their two main.go files, copied from the modules. The
# downloads are checked against Go's checksum database (GOSUMDB stays on). Cached in
# ~/.cache/podnet-flannel/etcd/build/<V>-linux-<goarch>-<recipe hash>/, keyed on the version,
# this script and the Go version; a hit costs one `go env`.
set -euo pipefail
version=${1:?usage: lab/etcd/build.sh VERSION (e.g. 3.5.35, no leading v)}
version=${version#v}
go=${GO:-go}
goarch=$($go env GOARCH)
gover=$($go env GOVERSION)
recipe=$( { cat "$0"; echo "$version $goarch $gover"; } | sha256sum | cut -c1-12)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/podnet-flannel/etcd/build/$version-linux-$goarch-$recipe
name=etcd-v$version-linux-$goarch
if [ -f "$cache/$name.tar.gz" ]; then echo "$cache/$name.tar.gz"; exit 0; fi
mkdir -p "$cache"
work=$(mktemp -d "$cache/work.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod GOTOOLCHAIN=local CGO_ENABLED=0 GOOS=linux GOARCH=$goarch
cd "$work"
$go mod init podnet.lab/etcd-build >/dev/null 2>&1
$go mod edit "-require=go.etcd.io/etcd/server/v3@v$version" "-require=go.etcd.io/etcd/etcdctl/v3@v$version"
for m in server etcdctl; do
  dir=$($go mod download -json "go.etcd.io/etcd/$m/v3@v$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [ -n "$dir" ] || { echo "etcd build: go.etcd.io/etcd/$m/v3@v$version is not available from the module proxy" >&2; exit 1; }
  bin=$([ "$m" = server ] && echo etcd || echo etcdctl)
  mkdir -p "cmd/$bin"; cp "$dir/main.go" "cmd/$bin/main.go"; chmod u+w "cmd/$bin/main.go"
done
$go mod tidy
mkdir -p "out/$name"
for bin in etcd etcdctl; do
  $go build -trimpath -ldflags "-s -w" -o "out/$name/$bin" "./cmd/$bin"
done
# The binary must say the version it was asked for (the server's own version constant).
got=$("out/$name/etcd" --version | sed -n 's/^etcd Version: //p')
[ "$got" = "$version" ] || { echo "etcd build: built etcd reports version '$got', expected $version" >&2; exit 1; }
cp go.mod go.sum "out/$name/"
tar -C out -czf "$name.tar.gz.tmp" "$name"
mv "$name.tar.gz.tmp" "$cache/$name.tar.gz"
echo "$cache/$name.tar.gz"
