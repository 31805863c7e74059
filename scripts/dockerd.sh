#!/usr/bin/env bash
# Make sure a Docker engine answers on this machine; start one when none is running.
# The lab's nodes run on this engine. Idempotent: an engine that already answers is used as is.
set -euo pipefail
log=${PODNET_DOCKERD_LOG:-/var/log/podnet-dockerd.log}
if docker info >/dev/null 2>&1; then
  echo "dockerd: already running ($(docker version --format '{{.Server.Version}}'))"
  exit 0
fi
command -v dockerd >/dev/null || { echo "dockerd: not installed (run scripts/bootstrap.sh)" >&2; exit 1; }
echo "dockerd: starting (log: $log)"
# containerd is started by dockerd itself when none runs; setsid detaches it from this shell.
setsid dockerd --data-root "${PODNET_DOCKER_ROOT:-/var/lib/docker}" >>"$log" 2>&1 < /dev/null &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    echo "dockerd: up ($(docker version --format '{{.Server.Version}}'))"
    exit 0
  fi
  sleep 0.5
done
echo "dockerd: did not answer within 30 s; last log lines:" >&2
tail -n 20 "$log" >&2
exit 1
