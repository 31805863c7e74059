#!/usr/bin/env bash
# Run every test of the project: unit, sanity, lint, collection build + install, and the
# molecule lab scenario (create, converge, idempotence, verify, destroy).
# Usage: scripts/test.sh [stage ...]   stages: unit sanity lint galaxy molecule (default: all)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
export PATH=$root/.venv/bin:$PATH
export MOLECULE_COMMAND_BORDERS=false ANSIBLE_FORCE_COLOR=0 PY_COLORS=0 NO_COLOR=1

# The node images of every platform the molecule scenarios use (lab/image/platforms/).
# The default scenario runs on LAB_PLATFORM when set (the lab's choice); tests use trixie.
unset LAB_PLATFORM
export LAB_PLATFORMS=${LAB_PLATFORMS:-trixie bookworm trixie-docker28}

stage_unit() { pytest -p no:cacheprovider tests/unit -q; }
stage_sanity() { "$root/scripts/sanity.sh"; }
stage_lint() { ansible-lint --nocolor && yamllint -s . && ruff check . && ruff format --check . ; }
stage_galaxy() {
  # Build the tarball, install it into an empty collections path (outside this checkout, so
  # its ansible.cfg does not apply) and use it from there: the playbooks resolve, the roles'
  # argument specs (every entry point) load, and nothing of the lab is in it. A whole user's
  # run from the tarball is the bookworm scenario (molecule/bookworm/converge.yml).
  local out dest rc
  out=$(mktemp -d); dest=$(mktemp -d)
  ansible-galaxy collection build --force --output-path "$out" . &&
  (cd "$dest" && export ANSIBLE_COLLECTIONS_PATH=$dest &&
   ansible-galaxy collection install --no-deps -p "$dest" "$out"/podnet-flannel-*.tar.gz &&
   test -f "$dest/ansible_collections/podnet/flannel/MANIFEST.json" &&
   ansible-galaxy collection list podnet.flannel &&
   for p in site verify reset; do ansible-playbook --syntax-check -i localhost, "podnet.flannel.$p" || exit 1; done &&
   ansible-doc -t role podnet.flannel.flannel -e prepare >/dev/null &&
   ! ls -d "$dest"/ansible_collections/podnet/flannel/{lab,scripts,.lab} 2>/dev/null)
  rc=$?; rm -rf "$out" "$dest"; return $rc
}
# The molecule scenarios in two lanes side by side, each lab on its own Docker network:
#   lane default: the default scenario (every suite, the longest) on inventories/lab;
#   lane other:   bookworm and docker28 (inventories/lab2), one after the other on the second
#                 lab network (podnet-lab2, 192.168.78.0/24), then the scenarios named in
#                 MOLECULE_EXTRA (such as MOLECULE_EXTRA=scale: six nodes, etcd scale out and
#                 member replacement, inventories/lab6), which make test leaves out for CI's
#                 50-minute budget (the machine's 2 cores are busy with one lane already; the
#                 second one mostly overlaps the waits).
# Each lane's lines carry its name; a lane stops at its first failing scenario.
# MOLECULE_LANES=1 runs the same scenarios one after the other instead.
scenario() {  # scenario NAME [INVENTORY]: molecule test of one scenario, timed, into $lanes_dir
  local t rc
  t=$(date +%s)
  LAB_INVENTORY=${2:-inventories/lab} molecule test -s "$1"; rc=$?
  echo "$1 $rc $(( $(date +%s) - t ))" >> "$lanes_dir/times"
  return $rc
}
lane_default() { scenario default; }
lane_other() {
  local s
  scenario bookworm inventories/lab2 && scenario docker28 inventories/lab2 || return 1
  for s in ${MOLECULE_EXTRA:-}; do scenario "$s" || return 1; done
}
stage_molecule() {
  local a rc=0 name code secs
  lanes_dir=$(mktemp -d)
  # The lab's SSH key, made once before the lanes (lab/create.yml makes it with the same module
  # and settings, so both lanes then find it; two creates at once would race for the file).
  mkdir -p .lab/ssh && chmod 700 .lab/ssh
  ansible localhost -c local -m community.crypto.openssh_keypair \
    -a "path=$root/.lab/ssh/id_ed25519 type=ed25519 comment=podnet-lab" >/dev/null || return 1
  if [ "${MOLECULE_LANES:-2}" = 1 ]; then
    lane_default && lane_other || rc=1
  else
    ( lane_default 2>&1 | sed -u 's/^/[default] /'; exit "${PIPESTATUS[0]}" ) & a=$!
    ( lane_other 2>&1 | sed -u 's/^/[other] /'; exit "${PIPESTATUS[0]}" ) || rc=1
    wait "$a" || rc=1
  fi
  echo "molecule scenarios (name, result, seconds):"
  while read -r name code secs; do
    echo "  $name $([ "$code" = 0 ] && echo ok || echo FAILED) $secs s"
  done < "$lanes_dir/times"
  rm -rf "$lanes_dir"
  return $rc
}

stages=("$@"); [ ${#stages[@]} -eq 0 ] && stages=(unit sanity lint galaxy molecule)
# unit, lint and galaxy need only the Python environment; sanity (shellcheck, rsync) and
# molecule (Docker, the node images, flanneld) need the machine set up as well.
setup=scripts/venv.sh
for s in "${stages[@]}"; do case $s in sanity|molecule) setup=scripts/bootstrap.sh;; esac; done
"$root/$setup" || { echo "$setup failed"; echo "stages: 0 passed, 1 failed"; exit 1; }
passed=0 failed=0 failed_names=()
for s in "${stages[@]}"; do
  echo "=== stage: $s"
  t=$(date +%s)
  if "stage_$s"; then passed=$((passed + 1)); r=ok; else failed=$((failed + 1)); failed_names+=("$s"); r=FAILED; fi
  echo "=== stage: $s $r in $(( $(date +%s) - t )) s"
done
[ $failed -gt 0 ] && echo "failed stages: ${failed_names[*]}"
echo "stages: $passed passed, $failed failed"
[ $failed -eq 0 ]
