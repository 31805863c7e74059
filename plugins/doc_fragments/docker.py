# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # Where the Docker daemon is, for every module that talks to it (module_utils
    # docker_pod.docker_connection_spec()).
    DOCUMENTATION = r"""
options:
  docker_host:
    description:
      - The Docker daemon to talk to on the managed node, such as V(unix:///var/run/docker.sock) or
        V(tcp://127.0.0.1:2375).
      - The modules read C(/proc/<pid>/ns/net) of the containers or run commands in them, so the daemon
        must run on the node the module runs on.
    type: str
    default: unix:///var/run/docker.sock
  api_version:
    description:
      - Docker Engine API version to use, such as V(1.41) (Docker 20.10), or V(auto) to use the
        version the daemon announces.
    type: str
    default: auto
"""

    # The request timeout and the SDK requirement of the pod modules (module_utils
    # docker_pod.docker_argument_spec(), with DOCUMENTATION).
    REQUEST_TIMEOUT = r"""
options:
  timeout:
    description:
      - Timeout in seconds for each request to the Docker daemon.
    type: int
    default: 60
requirements:
  - Docker SDK for Python (C(docker)) >= 5.0.3 on the managed node (Debian package C(python3-docker))
"""
