# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: config_file
short_description: Write or remove a Claude Desktop user configuration on a Windows target
version_added: 0.1.0
author: AIOHub (@aiohub)
description:
  - Validates the config on the controller, then writes the user's local configuration on a Windows
    host with stock modules (M(ansible.windows.win_stat), M(ansible.windows.slurp),
    M(ansible.windows.win_copy), M(ansible.windows.win_file)). macOS and Linux hosts take
    M(aiohub.claude_desktop.apply) (one remote execution, replacement records).
  - O(format=user_json) merges C(enterpriseConfig) into an existing C(claude_desktop_config.json),
    keeping every other key; O(format=config_library) adds or updates this collection's entry in a
    C(configLibrary) directory, keeping other entries. A malformed existing file is left untouched
    and the task fails saying where it does not parse.
  - O(state=absent) removes exactly what this module wrote (the C(enterpriseConfig) key or this
    collection's configLibrary entry). Files left empty by the removal are deleted.
  - The user's SID and profile folder come from the registry's ProfileList (O(owner) may be C(DOMAIN\\user),
    a UPN, a local name or a SID); a home is never guessed and never created, and a user who never
    logged on is skipped with a warning. Every copy the app reads is kept in step
    (C(%LOCALAPPDATA%\\Claude-3p), and where the app created them the roaming folder and the MSIX
    C(LocalCache) copies of both package families). Junctions and symlinks on the way are refused.
  - What it writes (the C(configLibrary) folder, the C(claude_desktop_config.json) it merges into, its
    one backup) gets an ACL limited to O(owner), SYSTEM and Administrators (M(ansible.windows.win_acl),
    inheritance removed with M(ansible.windows.win_acl_inheritance)) once the content is in place.
    Writes are C(win_copy)'s in-place C(Copy-Item), not atomic. Diffs are masked structurally.
  - This module is implemented as an action plugin; it runs on the controller and calls stock
    modules on the target.
extends_documentation_fragment:
  - aiohub.claude_desktop.config
  - aiohub.claude_desktop.config.attributes
  - aiohub.claude_desktop.state
attributes:
  check_mode:
    support: full
    details: Reports what would change; writes nothing.
  diff_mode:
    support: full
    details: Shows before and after with secret values masked.
  platform:
    platforms: [windows]
options:
  config:
    required: false
    description:
      - The C(enterpriseConfig) keys. Required with O(state=present).
  format:
    description: The file to manage.
    type: str
    required: true
    choices: [user_json, config_library]
  path:
    description:
      - Target path of the file; for O(format=config_library) the C(configLibrary) directory.
      - Default, and what the role does, every path the placement table gives under the user's home.
    type: str
  home:
    description: The user's profile folder when it is not the one ProfileList records (C(user_config_homes)).
    type: str
  state:
    description: Whether the configuration should be present or removed.
  owner:
    description: The user whose configuration this is (C(DOMAIN\\user), UPN, local name or SID); home and ACL.
    type: str
    required: true
  create_parents:
    description: How many missing directory levels above the file may be created.
    type: int
    default: 1
  backup:
    description: Keep one copy (C(<file>.aiohub.bak), restricted like the file) of the previous content; O(state=absent) removes it.
    type: bool
    default: false
  identifier:
    description: Names the configLibrary entry (a stable UUID derived from it).
    type: str
    default: org.aiohub.claude-desktop
  config_name:
    description: Display name of the configLibrary entry.
    type: str
    default: Managed by IT
  shadowed_by:
    description:
      - Registry policy keys (C(HKLM:\SOFTWARE\Policies\Claude)); a warning is returned when one holds values
        other than the app-behaviour keys (the app then ignores the local configuration).
      - The user's own C(HKU\<SID>) key is checked too when the user is logged on (C(HKCU:) would be the
        connecting account's hive).
    type: list
    elements: str
    default: []
seealso:
  - module: aiohub.claude_desktop.apply
"""

EXAMPLES = r"""
- name: Merge into carol's local config on Windows, keeping her other keys
  aiohub.claude_desktop.config_file:
    config: "{{ claude_desktop_effective_config }}"
    format: user_json
    owner: CORP\carol
    backup: true
"""

RETURN = r"""
files:
  description: Files and directories touched.
  returned: always
  type: list
  elements: dict
  sample: [{"path": "C:\\Users\\carol.CORP\\AppData\\Local\\Claude-3p\\claude_desktop_config.json", "changed": true}]
sid:
  description: The account's SID.
  returned: always
  type: str
home:
  description: The profile folder written under (none when the user was skipped).
  returned: always
  type: str
"""
