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
    the app reads everything under the policy key. Only values in that record are ever deleted.
  - Refuses characters a registry string cannot carry (NUL, line breaks, U+2028, U+2029).
  - >-
    O(scope=user): the account's SID and profile folder come from one M(ansible.windows.win_powershell)
    script (C(ProfileList\<SID>) C(ProfileImagePath)); a user who is not logged on has the policy key
    read from, and written to, the C(NTUSER.DAT) in that folder (loaded at C(HKLM:\ANSIBLE) by
    M(ansible.windows.win_regedit)). Refused while C(HKLM\SOFTWARE\Policies\Claude) is present for the
    app (any C(REG_SZ), C(REG_EXPAND_SZ) or C(REG_DWORD) value, an empty one included, or a set
    C((Default)) value); the message names those values.
  - O(scope=machine) reads every user's policy key (loaded hives and C(NTUSER.DAT) files) and warns
    about per-user policy, which the app ignores while machine policy is present;
    O(clean_user_policy) removes the values this collection wrote there. After O(state=absent) it
    warns when values it does not own still make the machine key present.
  - Never touches the key's C((Default)) value or values the collection does not own; warns about
    those, about values the app misreads (REG_EXPAND_SZ, REG_MULTI_SZ, ...) and about sub-keys,
    which the app never reads.
  - Secrets never appear in the result or the diff, nested ones (headers, env, client secrets) and
    those of values already in the registry included.
  - This module is implemented as an action plugin; it runs on the controller and calls stock
    modules on the target.
extends_documentation_fragment:
  - aiohub.claude_desktop.config
  - aiohub.claude_desktop.config.attributes
  - aiohub.claude_desktop.state
  - aiohub.claude_desktop.scope
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
  scope:
    description: C(machine) writes C(HKLM\SOFTWARE\Policies\Claude); C(user) writes that key in O(user)'s hive.
  user:
    description: The account for O(scope=user), for example C(CORP\alice).
    type: str
  clean_user_policy:
    description:
      - With O(scope=machine), remove from every user's hive the values this collection wrote there
        (its per-SID ownership records), and those records. Other per-user values are only reported.
    type: bool
    default: false
  record_path:
    description: Key holding the ownership records (never under the policy key).
    type: str
    default: HKLM:\SOFTWARE\AIOHub\ClaudeDesktop
  record_name:
    description: Value name of the ownership record (a JSON list of value names); C(-<SID>) is appended for O(scope=user).
    type: str
    default: OwnedPolicyValues
  state:
    description: C(absent) deletes every owned value.
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
  description: The policy key written (C(HKLM:\ANSIBLE\...) when a user's hive file was loaded).
  returned: success
  type: str
machine_policy_present:
  description: What makes C(HKLM\SOFTWARE\Policies\Claude) present for the app after the run (O(scope=machine)).
  returned: success
  type: list
  elements: str
user_policy:
  description: Per-user policy found in users' hives (O(scope=machine)), with the values this collection owns and removed.
  returned: success
  type: list
  elements: dict
"""
