"""Shared by the role-variable tests: a role's defaults and vars as Ansible would template them."""

import os

import yaml
from ansible.template import trust_as_template

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


def load(path):
    """A YAML file of the repository, parsed."""
    with open(os.path.join(ROOT, path)) as handle:
        return yaml.safe_load(handle)


def trusted(value):
    """`value` with every string marked as a template (as Ansible marks a role's variable files)."""
    if isinstance(value, str):
        return trust_as_template(value)
    if isinstance(value, dict):
        return {k: trusted(v) for k, v in value.items()}
    if isinstance(value, list):
        return [trusted(v) for v in value]
    return value


def role_variables(role):
    """The role's defaults with its vars over them, every string a trusted template."""
    variables = trusted(load('roles/%s/defaults/main.yml' % role))
    variables.update(trusted(load('roles/%s/vars/main.yml' % role)))
    return variables
