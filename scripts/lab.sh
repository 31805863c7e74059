#!/usr/bin/env bash
# The local lab: `up` sets up this machine (scripts/bootstrap.sh), then molecule creates the
# nodes of the lab inventory (or reuses them), converges playbooks/site.yml and runs the
# network-model check (playbooks/verify.yml);
# the nodes stay up for you to explore. `down` removes everything the lab made. `check` runs the
# check again; `break KIND [NODE] [PEER]` breaks the running lab in a known way (lab/break.yml:
# flanneld, masquerade, masquerade6, partition) and shows the check red; `repair` undoes it (lab/repair.yml)
# and shows the check green.
# LAB_INVENTORY=inventories/lab6 picks the six-node inventory (network podnet-lab2), inventories/lab2
# a 3-node lab on that second network; LAB_PLATFORM the nodes' platform:
# trixie (Debian 13, docker.io 26.1; the default), bookworm (Debian 12, docker.io 20.10) or
# trixie-docker28 (Debian 13 with Docker 28 pre-installed), see lab/image/platforms/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH=$root/.venv/bin:$PATH MOLECULE_COMMAND_BORDERS=false
inventory=${LAB_INVENTORY:-inventories/lab}
# The lab's Docker network (lab_network_name of the inventory: the last of its group_vars/all
# files that sets it, as Ansible loads them): everything the lab made is labelled with it, so a
# second lab on another network is left alone.
network=$(sed -n 's/^lab_network_name: *//p' "$inventory"/group_vars/all/*.yml | tail -n 1)
export LAB_PLATFORM=${LAB_PLATFORM:-trixie}
# Where the check writes its report (verify_report_dir of the lab inventory: the lab's state;
# a lab on another network than podnet-lab keeps its state in .lab/<network>/).
reports=$root/.lab/reports
[ "$network" = podnet-lab ] || reports=$root/.lab/$network/reports
case "${1:-up}" in
  up)
    scripts/bootstrap.sh
    t=$(date +%s)
    # Molecule remembers "created" per scenario; the nodes themselves are the truth (another
    # scenario may have removed them), so forget that state: create reuses running nodes.
    molecule reset >/dev/null 2>&1 || true
    # Nodes of another platform are removed first (their Docker volumes hold another engine's state).
    other=$(docker ps -aq --filter "label=podnet.lab.network=$network" | xargs -r docker inspect \
      --format '{{ index .Config.Labels "podnet.lab.platform" }}' | grep -vx "$LAB_PLATFORM" || true)
    if [ -n "$other" ]; then
      echo "lab: removing the nodes of platform $(echo "$other" | sort -u | paste -sd' ' -) for $LAB_PLATFORM"
      molecule destroy
    fi
    molecule create
    molecule converge
    # The network-model check only (matrix, JSON and map); the destructive suites of the
    # scenario's verify (fault injection, CA rotation, reset) are for `make test`.
    ansible-playbook -i "$inventory" playbooks/verify.yml
    echo
    echo "lab: up in $(( $(date +%s) - t )) s; nodes of $inventory on $LAB_PLATFORM:"
    docker ps --filter "label=podnet.lab.network=$network" --format '  {{.Names}}\t{{.Status}}'
    echo "lab: network map:     $reports/network-map.html (also .svg, and .json for machines)"
    echo "lab: check again:     make lab-check  (.venv/bin/ansible-playbook -i $inventory playbooks/verify.yml)"
    echo "lab: break, repair:   make lab-break KIND=flanneld|masquerade|masquerade6|partition [NODE=node3] [PEER=node1]; make lab-repair"
    echo "lab: run a playbook:  .venv/bin/ansible-playbook -i $inventory playbooks/site.yml"
    echo "lab: shell on a node: ssh -i .lab/ssh/id_ed25519 -o StrictHostKeyChecking=no root@<ansible_host>"
    echo "lab: remove it:       make lab-down"
    ;;
  down)
    # Only the Python environment and the engine the nodes run on: nothing is built to remove them.
    scripts/venv.sh
    if ! command -v dockerd >/dev/null; then echo "lab: nothing to remove (no Docker engine on this machine)"; exit 0; fi
    scripts/dockerd.sh >/dev/null
    molecule destroy
    f=label=podnet.lab.network=$network
    left=$(docker ps -aq --filter "$f"; docker volume ls -q --filter "$f"; docker network ls -q --filter "$f")
    if [ -n "$left" ]; then echo "lab: left behind: $left" >&2; exit 1; fi
    echo "lab: removed (no containers, volumes or networks left)"
    ;;
  check)
    ansible-playbook -i "$inventory" playbooks/verify.yml
    echo "lab: network map:     $reports/network-map.html"
    ;;
  break)
    kind=${2:-}
    args=(-e "lab_break_kind=$kind")
    [ -n "${3:-}" ] && args+=(-e "lab_break_node=$3")
    [ -n "${4:-}" ] && args+=(-e "lab_break_peer=$4")
    ansible-playbook -i "$inventory" lab/break.yml "${args[@]}"
    # The check shows what broke (red) without failing the command.
    ansible-playbook -i "$inventory" playbooks/verify.yml -e verify_fail_on_error=false
    echo "lab: network map:     $reports/network-map.html (red where it broke); undo: make lab-repair"
    ;;
  repair)
    ansible-playbook -i "$inventory" lab/repair.yml
    ansible-playbook -i "$inventory" playbooks/verify.yml
    echo "lab: network map:     $reports/network-map.html (green again)"
    ;;
  status)
    docker ps -a --filter "label=podnet.lab.network=$network" --format '{{.Names}}\t{{.Status}}'
    ;;
  *) echo "usage: $0 up|down|status|check|break KIND [NODE] [PEER]|repair" >&2; exit 2 ;;
esac
