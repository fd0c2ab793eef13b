# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: adopt
short_description: Adopt or lint an existing Claude Desktop profile, .reg, managed file or local config
version_added: 1.1.0
author: AIOHub (@aiohub)
description:
  - Reads O(src) the way the app reads it and gives back its C(enterpriseConfig) - a C(.mobileconfig)
    (signed or not; the direct C(com.anthropic.claudefordesktop) payload or the legacy ManagedClient form),
    a managed plist (XML or binary), a C(.reg) (UTF-16 or UTF-8, HKEY_LOCAL_MACHINE or HKEY_CURRENT_USER),
    a Linux C(managed-settings.json), a C(claude_desktop_config.json) (its C(enterpriseConfig)) or a
    C(configLibrary) directory (the applied entry).
  - Managed values are decoded as the app reads them (JSON strings, C("true"), decimal strings), with the
    same decoder the drift audit uses, then validated with the collection's model. RV(report) lists the
    validator's findings, unknown keys, dotted sub-keys and native arrays the app ignores, values the app
    cannot read (C(REG_EXPAND_SZ), C(REG_MULTI_SZ), sub-keys) and leftover placeholders (C(REPLACE_*),
    C(<your-key>), C(sk-your-api-key), C(example.com) hosts).
  - With O(dest), writes YAML files for a C(group_vars/all) directory whose C(claude_desktop_config) equals the
    source's config - every secret value in its own file of mode 0600 (vault-encrypted with O(vault_id)),
    referenced from C(claude_desktop.yml) as a variable. Without O(dest) it only lints.
  - A signed profile's signature is not verified; its content is read as C(openssl smime -verify -noverify) prints it.
  - This module is implemented as an action plugin and will always be executed on the controller.
options:
  src:
    description: The file or C(configLibrary) directory to read (on the controller).
    type: path
    required: true
  dest:
    description: Directory to write the group_vars files into (created). Omit to lint only.
    type: path
  vault_id:
    description:
      - Encrypt each secret file with the vault secret of this id, given to the run with C(--vault-id <id>@<source>).
    type: str
  force:
    description: Replace files in O(dest) that hold something else (otherwise the task fails and writes nothing).
    type: bool
    default: false
  min_app_version:
    description: The fleet's oldest Claude Desktop build, for version findings.
    type: str
  allow_unknown_keys:
    description: As for M(aiohub.claude_desktop.validate).
    type: raw
    default: false
  os:
    description: The target OS whose rules apply; default from the format (profile and plist macos, .reg windows, managed-settings.json linux).
    type: str
    choices: [macos, windows, linux]
extends_documentation_fragment:
  - aiohub.claude_desktop.config.attributes
attributes:
  check_mode:
    support: full
    details: Reports what would be written.
  diff_mode:
    support: none
    details: Secrets are never shown; the files are listed.
  platform:
    platforms: all
    support: full
    details: Runs on the controller.
seealso:
  - module: aiohub.claude_desktop.validate
  - module: aiohub.claude_desktop.render
"""

EXAMPLES = r"""
- name: Adopt the profile exported from the app's setup window
  aiohub.claude_desktop.adopt:
    src: ~/Downloads/Claude.mobileconfig
    dest: inventory/group_vars/all
    vault_id: prod

- name: Lint a .reg before uploading it
  aiohub.claude_desktop.adopt:
    src: claude-desktop.reg
  register: lint
  failed_when: not lint.valid
"""

RETURN = r"""
format:
  description: What the source was read as (mobileconfig, plist, reg, linux_json, user_json, config_library).
  returned: success
  type: str
valid:
  description: No validator problem, no unreadable value and no placeholder.
  returned: success
  type: bool
config:
  description: The adopted config, secrets masked.
  returned: success
  type: dict
report:
  description: A headline, then one line per finding (ERROR/WARNING), as playbooks/validate.yml prints them.
  returned: success
  type: list
  elements: str
problems:
  description: The validator's problems (key, rule, fix), secrets masked.
  returned: success
  type: list
  elements: dict
unknown_keys:
  description: Keys the app does not know.
  returned: success
  type: list
  elements: str
placeholders:
  description: Leftover placeholders (key path and what was found; no values).
  returned: success
  type: list
  elements: dict
findings:
  description: What reading and decoding found (severity, message).
  returned: success
  type: list
  elements: dict
options:
  description: Inventory variables the source implies (identifier, organization, scope, signed).
  returned: success
  type: dict
firewall_hosts:
  description: The hosts the perimeter must allow for this config (spec section 6), with reasons.
  returned: success
  type: list
  elements: dict
files:
  description: With dest, the files written (path, mode, secret, encrypted, changed).
  returned: when dest is given
  type: list
  elements: dict
"""
