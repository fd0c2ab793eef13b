# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: config_file
short_description: Write or remove one Claude Desktop configuration file on a macOS, Linux or Windows target
version_added: 0.1.0
author: AIOHub (@aiohub)
description:
  - Validates the config and renders the file on the controller, then writes it with the stock
    M(ansible.builtin.copy) action (atomic rename, optional backup) and reads existing files with
    M(ansible.builtin.slurp). Targets need only Python; no pydantic.
  - O(format=plist) writes the managed-preferences plist, O(format=linux_json) the Linux
    C(managed-settings.json), O(format=mobileconfig) a profile file.
  - O(format=user_json) merges C(enterpriseConfig) into an existing C(claude_desktop_config.json),
    keeping every other key; O(format=config_library) adds or updates this collection's entry in a
    C(configLibrary) directory, keeping other entries. A malformed existing file is left untouched
    and the task fails saying where it does not parse.
  - O(state=absent) removes exactly what this module wrote (the file, the C(enterpriseConfig) key,
    or this collection's configLibrary entry). Files left empty by the removal are deleted.
  - Parent directories that are symlinks are refused; missing ones are created with O(owner) and
    O(directory_mode).
  - On Windows (M(ansible.windows.win_stat), M(ansible.windows.slurp), M(ansible.windows.win_copy),
    M(ansible.windows.win_file)) the file's directory gets an ACL limited to O(owner) and SYSTEM
    (M(ansible.windows.win_acl), inheritance removed with M(ansible.windows.win_acl_inheritance))
    instead of POSIX owner and mode.
  - This module is implemented as an action plugin; it runs on the controller and calls stock
    modules on the target.
extends_documentation_fragment:
  - aiohub.claude_desktop.config
  - aiohub.claude_desktop.config.attributes
attributes:
  check_mode:
    support: full
    details: Reports what would change; writes nothing.
  diff_mode:
    support: full
    details: Shows before and after with secret values masked.
options:
  config:
    required: false
    description:
      - The C(enterpriseConfig) keys. Required with O(state=present).
  format:
    description: The file to manage.
    type: str
    required: true
    choices: [plist, linux_json, mobileconfig, user_json, config_library]
  path:
    description: Target path of the file; for O(format=config_library) the C(configLibrary) directory.
    type: str
    required: true
  state:
    description: Whether the configuration should be present or removed.
    type: str
    default: present
    choices: [present, absent]
  owner:
    description: Owner of the file and of directories created.
    type: str
    default: root
  group:
    description: Group of the file and of directories created.
    type: str
  mode:
    description: File mode; defaults to C(0600) for user files and C(0644) for managed files.
    type: str
  directory_mode:
    description: Mode of directories created (and of the file's own directory).
    type: str
    default: "0755"
  create_parents:
    description: How many missing directory levels above the file may be created.
    type: int
    default: 1
  backup:
    description: Keep a timestamped copy of a file before replacing it.
    type: bool
    default: false
  identifier:
    description: Profile identifier; also names the configLibrary entry (a stable UUID derived from it).
    type: str
    default: org.aiohub.claude-desktop
  config_name:
    description: Display name of the configLibrary entry.
    type: str
    default: Managed by IT
  scope:
    description: Profile scope for O(format=mobileconfig).
    type: str
    default: machine
    choices: [machine, user]
  organization:
    description: Profile organization for O(format=mobileconfig).
    type: str
    default: ""
  display_name:
    description: Profile display name for O(format=mobileconfig).
    type: str
    default: Claude Desktop (third-party inference)
  shadowed_by:
    description: Managed-source paths; a warning is returned when one exists (the app then ignores local files).
    type: list
    elements: str
    default: []
  platform:
    description: Target family; V(auto) picks V(windows) for PowerShell connections.
    type: str
    default: auto
    choices: [auto, posix, windows]
seealso:
  - module: aiohub.claude_desktop.render
"""

EXAMPLES = r"""
- name: Linux managed settings
  aiohub.claude_desktop.config_file:
    config: "{{ claude_desktop_effective_config }}"
    format: linux_json
    path: /etc/claude-desktop/managed-settings.json
    owner: root
    group: root
    mode: "0644"

- name: Merge into alice's local config, keeping her other keys
  aiohub.claude_desktop.config_file:
    config: "{{ claude_desktop_effective_config }}"
    format: user_json
    path: /Users/alice/Library/Application Support/Claude-3p/claude_desktop_config.json
    owner: alice
    directory_mode: "0700"
    create_parents: 3
    backup: true
"""

RETURN = r"""
files:
  description: Files and directories touched.
  returned: always
  type: list
  elements: dict
  sample: [{"path": "/etc/claude-desktop/managed-settings.json", "changed": true}]
"""
