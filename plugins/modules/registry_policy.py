# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: registry_policy
short_description: Write Claude Desktop registry policy (REG_SZ values) on a Windows host
version_added: 0.1.0
author: AIOHub (@aiohub)
description:
  - Validates the config on the controller, reads the policy key with M(ansible.windows.win_reg_stat)
    and writes each value that differs as C(REG_SZ) with M(ansible.windows.win_regedit), so Windows
    targets run only stock modules. Values this collection wrote earlier and that left the config
    are deleted; the list of owned values is kept outside the policy key (O(record_path)), because
    the app reads everything under the policy key.
  - Never touches the key's C((Default)) value or values the collection does not own; warns about
    those the app would misread (REG_EXPAND_SZ, REG_MULTI_SZ, ...).
  - Secrets never appear in the result or the diff.
  - This module is implemented as an action plugin; it runs on the controller and calls stock
    modules on the target.
extends_documentation_fragment:
  - aiohub.claude_desktop.config
  - aiohub.claude_desktop.config.attributes
attributes:
  check_mode:
    support: full
    details: Reports the values that would change; writes nothing.
  diff_mode:
    support: full
    details: The diff lists C(name = value) lines with secrets masked.
options:
  config:
    required: false
    description: The C(enterpriseConfig). Required with O(state=present).
  path:
    description:
      - The policy key, C(HKLM:\SOFTWARE\Policies\Claude) or C(HKU:\<SID>\SOFTWARE\Policies\Claude).
      - With O(hive), a path under C(HKLM:\ANSIBLE) (where M(ansible.windows.win_regedit) loads the hive).
    type: str
    default: HKLM:\SOFTWARE\Policies\Claude
  hive:
    description: A user's C(NTUSER.DAT) to load when the user is not logged on.
    type: str
  record_path:
    description: Key holding the ownership record (never under the policy key).
    type: str
    default: HKLM:\SOFTWARE\AIOHub\ClaudeDesktop
  record_name:
    description: Value name of the ownership record (a JSON list of value names).
    type: str
    default: OwnedPolicyValues
  state:
    description: C(absent) deletes every owned value.
    type: str
    default: present
    choices: [present, absent]
"""

EXAMPLES = r"""
- name: Machine policy
  aiohub.claude_desktop.registry_policy:
    config: "{{ claude_desktop_effective_config }}"

- name: Remove what the collection wrote
  aiohub.claude_desktop.registry_policy:
    state: absent
"""

RETURN = r"""
changed_values:
  description: Names of the values written or deleted.
  returned: success
  type: list
  elements: str
owned:
  description: The ownership record after the run.
  returned: success
  type: list
  elements: str
path:
  description: The policy key.
  returned: success
  type: str
"""
