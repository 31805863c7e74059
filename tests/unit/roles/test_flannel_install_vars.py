# Copyright: (c) 2026, podnet.flannel maintainers
# SPDX-License-Identifier: GPL-3.0-or-later
"""The flannel role's install method values (roles/flannel/vars/main.yml), rendered by Ansible's templar.

Covers the pure logic the role computes in Jinja for flannel_install_method: the one
architecture map, when the build uses cgo, the build cache key (what makes a new entry, what
does not), which controller file is copied, the sha256 a release is checked against, the
release-tag pattern, and the Go version read from `go env`.
"""

from __future__ import annotations

import json
import re

import pytest
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from role_vars import role_variables

GO_ENV = {
    'GOVERSION': 'go1.26.8',
    'GOSUMDB': 'sum.golang.org',
    'GONOSUMDB': '',
    'GOPRIVATE': '',
    'GOPROXY': 'https://proxy.golang.org,direct',
    'GOTOOLCHAIN': 'local',
    'CC': 'gcc',
}


def render(name, architecture='x86_64', go_env=None, **overrides):
    """Value of role variable ``name`` on a node of the given architecture."""
    variables = role_variables('flannel')
    variables.update(
        {
            'inventory_hostname': 'node1',
            'ansible_host': '192.0.2.11',
            'groups': {'etcd': ['node1'], 'nodes': ['node1']},
            'hostvars': {'node1': {'ansible_host': '192.0.2.11'}},
            'ansible_facts': {'architecture': architecture},
            'flannel_build_cache_dir': '/home/u/.cache/podnet-flannel/flanneld',
            '__flannel_go': {'rc': 0, 'stdout': json.dumps(GO_ENV if go_env is None else go_env)},
        }
    )
    variables.update(overrides)
    templar = Templar(loader=DataLoader(), variables=variables)
    return templar.template(variables[name])


@pytest.mark.parametrize(
    'architecture, goarch',
    [
        ('x86_64', 'amd64'),
        ('aarch64', 'arm64'),
        ('arm64', 'arm64'),
        ('armv7l', 'arm'),
        ('ppc64le', 'ppc64le'),
        ('s390x', 's390x'),
        ('riscv64', 'riscv64'),
    ],
)
def test_one_arch_map_for_build_and_release(architecture, goarch):
    assert render('__flannel_arch', architecture) == goarch
    assert render('__flannel_goarch', architecture) == goarch
    assert render('flannel_release_url', architecture).endswith('/v0.28.10/flanneld-' + goarch)
    assert '-linux-%s-' % goarch in render('__flannel_build_key', architecture)
    assert render_etcd_arch(architecture) == goarch


def render_etcd_arch(architecture):
    """The etcd role's GOARCH of a host: the same map as flannel's (filter podnet.flannel.goarch)."""
    variables = role_variables('etcd')
    variables['ansible_facts'] = {'architecture': architecture}
    return Templar(loader=DataLoader(), variables=variables).template(variables['__etcd_arch'])


def test_default_method_is_build():
    assert render('flannel_install_method') == 'build'
    assert render('__flannel_install_methods') == ['build', 'release', 'file']


@pytest.mark.parametrize(
    'architecture, omit, cgo',
    [
        ('x86_64', [], True),
        ('x86_64', ['tencentvpc'], True),
        ('x86_64', ['udp'], False),
        ('aarch64', [], False),
        ('s390x', [], False),
    ],
)
def test_cgo_only_for_the_amd64_udp_backend(architecture, omit, cgo):
    assert render('__flannel_build_cgo', architecture, flannel_build_omit_backends=omit) is cgo
    ldflags = render('__flannel_build_ldflags', architecture, flannel_build_omit_backends=omit)
    assert ldflags.startswith('-s -w -X github.com/flannel-io/flannel/pkg/version.Version=v0.28.10')
    assert ldflags.endswith('-extldflags -static') is cgo


def test_cache_key_shape_and_path():
    key = render('__flannel_build_key')
    assert re.match(r'^v0\.28\.10-linux-amd64-[0-9a-f]{12}$', key), key
    assert render('__flannel_build_binary') == '/home/u/.cache/podnet-flannel/flanneld/%s/flanneld' % key
    assert render('__flannel_build_key') == key


@pytest.mark.parametrize(
    'change',
    [
        {'flannel_version': 'v0.28.9'},
        {'flannel_build_omit_backends': ['tencentvpc']},
        {'go_env': dict(GO_ENV, GOVERSION='go1.26.9')},
        {'architecture': 'aarch64'},
    ],
)
def test_every_input_of_the_recipe_is_a_new_cache_entry(change):
    assert render('__flannel_build_key', **change) != render('__flannel_build_key')


def test_the_order_of_omitted_backends_is_one_recipe():
    assert render('__flannel_build_key', flannel_build_omit_backends=['udp', 'tencentvpc']) == render(
        '__flannel_build_key', flannel_build_omit_backends=['tencentvpc', 'udp']
    )


def test_where_the_cache_lives_is_not_the_recipe():
    # Another cache directory holds the same entry name (a moved cache stays valid).
    assert render('__flannel_build_key', flannel_build_cache_dir='/srv/cache') == render('__flannel_build_key')


def test_proxy_settings_are_not_the_recipe():
    # GOPROXY only says where the module comes from; the checksum database pins what it is.
    assert render('__flannel_build_key', flannel_build_env={'GOPROXY': 'https://proxy.corp.example'}) == render('__flannel_build_key')


def test_the_role_fixes_goflags():
    env = render('__flannel_build_environment', flannel_build_env={'GOFLAGS': '-mod=mod', 'GOPROXY': 'https://p.example'})
    assert env['GOFLAGS'] == '-mod=readonly'
    assert env['GOPROXY'] == 'https://p.example'
    assert env['GOWORK'] == 'off'


@pytest.mark.parametrize(
    'method, expected',
    [
        ('build', '/home/u/.cache/podnet-flannel/flanneld/{key}/flanneld'),
        ('file', '/srv/flanneld'),
        ('release', ''),
    ],
)
def test_the_file_copied_from_the_controller(method, expected):
    kw = {'flannel_install_method': method, 'flannel_binary_src': '/srv/flanneld' if method == 'file' else ''}
    assert render('__flannel_binary_local', **kw) == expected.format(key=render('__flannel_build_key'))
    assert render('__flannel_binary_copied', **kw) is (method != 'release')


def test_release_checksum_from_the_table_or_explicit():
    # The former layout, version then architecture: still read (with a deprecation warning, see
    # tests/unit/plugins/filter/test_release_checksum.py).
    table = {'v0.28.10': {'amd64': 'sha256:' + 'a' * 64, 'arm64': 'sha256:' + 'b' * 64}}
    assert render('__flannel_expected_checksum') == ''
    assert render('__flannel_expected_checksum', flannel_release_checksums=table) == 'sha256:' + 'a' * 64
    assert render('__flannel_expected_checksum', 'aarch64', flannel_release_checksums=table) == 'sha256:' + 'b' * 64
    assert render('__flannel_expected_checksum', 's390x', flannel_release_checksums=table) == ''
    assert render('__flannel_expected_checksum', flannel_release_checksums=table, flannel_checksum='sha256:' + 'c' * 64) == 'sha256:' + 'c' * 64


def test_release_checksum_table_by_architecture_then_version():
    table = {'amd64': {'v0.28.10': 'sha256:' + 'a' * 64}, 'arm64': {'v0.28.10': 'sha256:' + 'b' * 64}}
    assert render('__flannel_expected_checksum', flannel_release_checksums=table) == 'sha256:' + 'a' * 64
    assert render('__flannel_expected_checksum', 'aarch64', flannel_release_checksums=table) == 'sha256:' + 'b' * 64
    assert render('__flannel_expected_checksum', 's390x', flannel_release_checksums=table) == ''
    assert render('__flannel_expected_checksum', flannel_release_checksums=table, flannel_version='v0.27.4') == ''


@pytest.mark.parametrize(
    'version, ok',
    [
        ('v0.28.10', True),
        ('v1.0.0', True),
        ('v0.29.0-rc.1', True),
        ('0.28.10', False),
        ('v0.28', False),
        ('v0.28.10/../x', False),
        ('latest', False),
        ('v01.2.3', False),
        ('', False),
    ],
)
def test_release_tag_pattern(version, ok):
    assert bool(re.match(render('__flannel_version_pattern'), version)) is ok


@pytest.mark.parametrize(
    'goversion, parsed',
    [
        ('go1.26.8', '1.26.8'),
        ('go1.21', '1.21'),
        ('go1.22rc1', '1.22'),
        ('devel go1.27-abcdef Tue', '1.27'),
        ('', '0'),
    ],
)
def test_go_version_from_go_env(goversion, parsed):
    assert render('__flannel_go_version', go_env=dict(GO_ENV, GOVERSION=goversion)) == parsed


def test_go_that_did_not_run_gives_no_env():
    assert render('__flannel_go_env', __flannel_go={'rc': 2, 'msg': '[Errno 2] No such file'}) == {}
    assert render('__flannel_go_version', __flannel_go={'rc': 2, 'msg': 'x'}) == '0'
