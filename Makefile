# podnet.flannel: the two commands of the README, and a few more.
.PHONY: lab test lab-down lab-status help

help:
	@echo "make lab       set up this machine, create the lab and converge playbooks/site.yml on it"
	@echo "make test      run every test (unit, sanity, lint, galaxy build/install, molecule)"
	@echo "make lab-down  remove the lab (containers, volumes, network)"

lab:
	scripts/lab.sh up

test:
	scripts/test.sh

lab-down:
	scripts/lab.sh down

lab-status:
	scripts/lab.sh status
