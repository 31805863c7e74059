# podnet.flannel: the two commands of the README, and a few more.
.PHONY: lab test lab-down lab-status lab-check lab-break lab-repair bench bench-quick help

help:
	@echo "make lab       set up this machine, create the lab and converge playbooks/site.yml on it"
	@echo "make test      run every test (unit, sanity, lint, galaxy build/install, molecule)"
	@echo "make lab-down  remove the lab (containers, volumes, network)"
	@echo "make lab-check the network-model check on the running lab (matrix, map in .lab/reports/)"
	@echo "make lab-break KIND=flanneld|masquerade|masquerade6|partition [NODE=node3] [PEER=node1]"
	@echo "               break the running lab in a known way, then show the check (red)"
	@echo "make lab-repair undo every break, then show the check (green)"
	@echo "make bench     benchmarks: converge 3/6 nodes, pod network vs underlay, memory (re-creates the lab)"
	@echo "make bench-quick  data plane and memory on the running lab (1 s runs)"

lab:
	scripts/lab.sh up

test:
	scripts/test.sh

lab-down:
	scripts/lab.sh down

lab-status:
	scripts/lab.sh status

lab-check:
	scripts/lab.sh check

lab-break:
	scripts/lab.sh break "$(KIND)" "$(NODE)" "$(PEER)"

lab-repair:
	scripts/lab.sh repair

bench:
	scripts/bootstrap.sh
	.venv/bin/python benchmarks/run.py

bench-quick:
	.venv/bin/python benchmarks/run.py --quick
