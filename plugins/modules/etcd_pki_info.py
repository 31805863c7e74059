#!/usr/bin/python
# Copyright: (c) 2026, podnet.flannel maintainers
# GNU General Public License v3.0+ (https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: etcd_pki_info
short_description: Check the etcd PKI on the controller in one pass (what needs issuing)
version_added: 0.2.0
description:
  - Reads the PKI directory that the P(podnet.flannel.etcd#role) role keeps on the controller
    (layout in C(docs/etcd-tls.md)), that is the CAs C(ca/ca-<n>.crt) and C(ca/ca-<n>.key), the
    trust bundle, and the certificates and keys of O(certificates).
  - Says which files are missing and which certificates need issuing again, and why (the key
    does not match, not signed by the newest CA, another common name, other subject
    alternative names, key usage or extended key usage, or wrong file mode).
  - Like M(community.crypto.x509_certificate), it does not count an expired certificate as one
    to issue again; it lists it in RV(expired).
  - The role runs it first and skips its community.crypto tasks (one call per key, signing
    request and certificate) when RV(up_to_date) is V(true). It never writes.
  - Run it where the PKI is, normally the controller (C(delegate_to=localhost)).
author:
  - podnet.flannel maintainers (@podnet)
requirements:
  - cryptography (Python library, on the host where the module runs)
options:
  ca_dir:
    description:
      - Directory of the CAs, C(ca-<n>.crt) and C(ca-<n>.key). The highest C(<n>) is the signing CA.
    type: path
    required: true
  bundle:
    description:
      - The trust bundle, expected to hold every C(*.crt) of O(ca_dir) in name order, as
        M(ansible.builtin.assemble) writes it.
    type: path
    required: true
  certificates:
    description:
      - The certificates the PKI must hold, signed by the signing CA.
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description: The certificate (PEM).
        type: path
        required: true
      key:
        description: Its private key (PEM, unencrypted).
        type: path
        required: true
      common_name:
        description: The subject's common name; not compared when omitted.
        type: str
      subject_alt_names:
        description: The subject alternative names, as C(IP:<address>) or C(DNS:<name>); compared as a set.
        type: list
        elements: str
      key_usage:
        description: Key usage names as M(community.crypto.openssl_csr) takes them (C(digitalSignature), ...).
        type: list
        elements: str
      extended_key_usage:
        description: Extended key usage names (C(serverAuth), C(clientAuth)).
        type: list
        elements: str
      cert_mode:
        description: The certificate file's mode; not compared when omitted.
        type: str
      key_mode:
        description: The key file's mode; not compared when omitted.
        type: str
  rotate:
    description:
      - A CA rotation is asked for; RV(up_to_date) is then V(false) whatever the files hold.
    type: bool
    default: false
  held_bundles:
    description:
      - The CA bundle each host holds now, host name to the bundle's content in base64 (what
        M(ansible.builtin.slurp) returns), or V(null) for a host that holds none yet.
      - Compared with the CAs of O(ca_dir) in RV(held); a host whose bundle shares no CA with
        them trusts another PKI, and certificates issued from this one would be refused by it
        and its peers. The role refuses to go on then (see C(docs/etcd-tls.md)).
    type: dict
    default: {}
extends_documentation_fragment:
  - podnet.flannel.attributes
  - podnet.flannel.attributes.INFO_MODULE
seealso:
  - module: community.crypto.x509_certificate
  - name: The etcd role's PKI layout
    description: docs/etcd-tls.md in the collection.
    link: https://github.com/podnet/flannel/blob/main/docs/etcd-tls.md
"""

EXAMPLES = r"""
- name: Check the PKI of the etcd cluster
  podnet.flannel.etcd_pki_info:
    ca_dir: ~/.podnet-flannel/pki/podnet-etcd/ca
    bundle: ~/.podnet-flannel/pki/podnet-etcd/ca-bundle.crt
    certificates:
      - path: ~/.podnet-flannel/pki/podnet-etcd/clients/flanneld.crt
        key: ~/.podnet-flannel/pki/podnet-etcd/clients/flanneld.key
        common_name: flanneld
        extended_key_usage: [clientAuth]
        key_mode: "0600"
  delegate_to: localhost
  run_once: true
  register: pki

- name: Say what needs issuing
  ansible.builtin.debug:
    msg: "{{ pki.stale | map(attribute='reasons') | flatten + pki.missing }}"
  when: not pki.up_to_date
"""

RETURN = r"""
up_to_date:
  description: Nothing missing, nothing to issue again, the bundle current, and O(rotate=false).
  returned: always
  type: bool
  sample: true
ca_serial:
  description: Number of the newest CA (the signing one); V(0) when there is none.
  returned: always
  type: int
  sample: 2
cas:
  description: Every CA certificate of O(ca_dir), oldest first.
  returned: always
  type: list
  elements: str
  sample: [/root/.podnet-flannel/pki/podnet-etcd/ca/ca-1.crt]
trusted:
  description: Every C(*.crt) of O(ca_dir) in name order, what the bundle is made of (also CAs not named C(ca-<n>.crt)).
  returned: always
  type: list
  elements: str
  sample: [/root/.podnet-flannel/pki/podnet-etcd/ca/ca-1.crt]
missing:
  description: Files that do not exist (certificates, keys, the signing CA's).
  returned: always
  type: list
  elements: str
  sample: [/root/.podnet-flannel/pki/podnet-etcd/members/node1/server.crt]
stale:
  description: Certificates that exist but need issuing again, each with its reasons.
  returned: always
  type: list
  elements: dict
  sample: [{path: /root/.podnet-flannel/pki/podnet-etcd/clients/modules.crt, reasons: [".../modules.crt is not signed by the signing CA"]}]
expired:
  description: Certificates past their end of validity (not renewed by the role; see C(docs/etcd-tls.md)).
  returned: always
  type: list
  elements: dict
  sample: [{path: /root/.podnet-flannel/pki/podnet-etcd/clients/modules.crt, not_after: "2029-11-30T09:00:00+00:00"}]
held:
  description:
    - What the hosts of O(held_bundles) trust, compared with the controller's CAs (SHA-256
      fingerprints as C(openssl x509 -fingerprint -sha256) prints them).
  returned: always
  type: dict
  contains:
    controller:
      description: Every CA certificate of O(ca_dir) (all C(*.crt)), with its fingerprint and subject.
      type: list
      elements: dict
      sample: [{fingerprint: "3A:...:F0", subject: "podnet-flannel etcd CA 1 (podnet-etcd)"}]
    held:
      description: For each host that holds a bundle, its CA certificates.
      type: dict
      sample: {node1: [{fingerprint: "9B:...:11", subject: "podnet-flannel etcd CA 1 (podnet-etcd)"}]}
    foreign:
      description: The hosts whose bundle shares no CA with the controller's (another PKI).
      type: list
      elements: str
      sample: [node1, node2, node3]
bundle_current:
  description: O(bundle) holds exactly the CA certificates of O(ca_dir).
  returned: always
  type: bool
  sample: true
"""

import base64
import binascii

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible_collections.podnet.flannel.plugins.module_utils import pki


def main():
    module = AnsibleModule(
        argument_spec=dict(
            ca_dir=dict(type='path', required=True),
            bundle=dict(type='path', required=True),
            certificates=dict(
                type='list',
                elements='dict',
                default=[],
                options=dict(
                    path=dict(type='path', required=True),
                    key=dict(type='path', required=True, no_log=False),
                    common_name=dict(type='str'),
                    subject_alt_names=dict(type='list', elements='str'),
                    key_usage=dict(type='list', elements='str'),
                    extended_key_usage=dict(type='list', elements='str'),
                    cert_mode=dict(type='str'),
                    key_mode=dict(type='str', no_log=False),
                ),
            ),
            rotate=dict(type='bool', default=False),
            held_bundles=dict(type='dict', default={}),
        ),
        supports_check_mode=True,
    )
    if not pki.HAS_CRYPTOGRAPHY:
        module.fail_json(msg=missing_required_lib('cryptography'), exception=str(pki.CRYPTOGRAPHY_IMPORT_ERROR))
    params = module.params
    for index, spec in enumerate(params['certificates']):
        for entry in spec.get('subject_alt_names') or []:
            try:
                pki.parse_san(entry)
            except ValueError as exc:
                module.fail_json(msg='certificates[%d].%s' % (index, exc), certificate=spec['path'])
        for mode_key in ('cert_mode', 'key_mode'):
            if spec.get(mode_key) is not None and not all(c in '01234567' for c in spec[mode_key]):
                module.fail_json(
                    msg="certificates[%d].%s: '%s' is not an octal mode such as '0600'" % (index, mode_key, spec[mode_key]), certificate=spec['path']
                )
    try:
        result = pki.check_pki(params['ca_dir'], params['bundle'], params['certificates'], rotate=params['rotate'])
        held = {}
        for host, content in params['held_bundles'].items():
            held[host] = None if content in (None, '') else base64.b64decode(content)
        result['held'] = pki.compare_held(params['ca_dir'], held)
    except (binascii.Error, TypeError) as exc:
        module.fail_json(msg='held_bundles: a value is not base64 (as ansible.builtin.slurp returns it): %s' % exc)
    except (OSError, ValueError) as exc:
        module.fail_json(msg='ca_dir: cannot read the PKI under %s: %s' % (params['ca_dir'], exc))
    module.exit_json(changed=False, **result)


if __name__ == '__main__':
    main()
