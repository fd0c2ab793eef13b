# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: config_facts
short_description: Drift audit - compare what a machine holds for Claude Desktop with the desired config
version_added: 0.2.0
author: AIOHub (@aiohub)
description:
  - Reads every source the app reads on the target (paths from the collection's placement table) and
    compares it with O(config). macOS and Linux through M(aiohub.claude_desktop.config_read)
    (standard-library Python), Windows through M(ansible.windows.win_reg_stat).
  - Findings, each with a class, severity, source, key, message and fix - C(missing_source),
    C(missing_key), C(value_drift) (secret values compared by HMAC, never shown), C(unreadable_value),
    C(foreign_key) (a value under the policy that the inventory does not set), C(per_user_override)
    (macOS per-user plist winning key by key), C(native_type), C(refused_file) (Linux file that is a
    symlink, not root-owned or group/world-writable, or in such a directory), C(mode_drift),
    C(shadowed_local) (a managed source owns the device, so the local config is ignored),
    C(split_hives) (HKLM present, HKCU ignored), C(expand_sz), C(invisible_type), C(sub_key),
    C(unreadable_source).
  - Restart notice - running Claude Desktop processes that started before the configuration last
    changed, with the quit-and-relaunch instruction for the OS (spec section 1.7).
  - C(state) in the result is C(in_line), C(drifted) (an error finding) or C(needs_restart).
  - This module is implemented as an action plugin.
extends_documentation_fragment:
  - aiohub.claude_desktop.config
  - aiohub.claude_desktop.config.attributes
  - aiohub.claude_desktop.scope
options:
  os:
    description:
      - The target's OS. V(auto) - a PowerShell connection is Windows; otherwise the host says (Darwin is macOS, else Linux).
    type: str
    default: auto
    choices: [auto, macos, linux, windows]
  mode:
    description: What was deployed - managed settings, the local user config, or both (C(claude_desktop_mode)).
    type: str
    default: managed
    choices: [managed, user, both]
  scope:
    description: Managed scope deployed - C(machine) (macOS machine plist, HKLM) or C(user) (per-user plist, HKCU).
  managed_user:
    description: macOS account of the per-user plist when O(scope=user).
    type: str
    default: ""
  users:
    description: Accounts whose local config is read (C(claude_desktop_users)).
    type: list
    elements: str
    default: []
  homes:
    description: Home directories not in the default place.
    type: dict
    default: {}
  formats:
    description: Local config generations deployed.
    type: list
    elements: str
    default: [config_library, user_json]
  profile_path:
    description: Where a staged C(.mobileconfig) is expected (macOS).
    type: str
  app_version:
    description:
      - Read whether Claude Desktop is installed and its version - macOS C(/Applications/Claude.app/Contents/Info.plist)
        C(CFBundleShortVersionString); Windows the MSIX package (C(Get-AppxPackage)) or the uninstall entry, through
        C(ansible.windows.win_powershell); Linux the package manager (C(dpkg-query), C(rpm); package C(claude-desktop)).
      - An installed build older than O(min_app_version) is an error in RV(app_findings) (version gates were evaluated
        against a build the machine does not run); not installed is its own warning.
    type: bool
    default: true
attributes:
  check_mode:
    support: full
    details: Only reads.
  diff_mode:
    support: none
"""

EXAMPLES = r"""
- name: Audit each machine against its layered config
  aiohub.claude_desktop.config_facts:
    config: "{{ claude_desktop_effective_config }}"
    os: "{{ claude_desktop_target_os }}"
    mode: "{{ claude_desktop_mode | default('managed') }}"
    users: "{{ claude_desktop_users | default([]) }}"
  register: audit
"""

RETURN = r"""
state:
  description: in_line, drifted or needs_restart.
  returned: always
  type: str
findings:
  description: Each finding - class, severity (error or warning), source, key, message, fix. No secret values.
  returned: always
  type: list
  elements: dict
sources:
  description: Each source read - kind, path, exists, owner, mode, mtime, number of keys.
  returned: always
  type: list
  elements: dict
restart:
  description: needs_restart, the app processes, those started before config_changed, and the instruction.
  returned: always
  type: dict
app:
  description: Whether Claude Desktop is installed (true, false, or null when unreadable), its version and where it was read.
  returned: when app_version is true
  type: dict
  sample: {"installed": true, "version": "1.46388.4", "source": "bundle", "path": "/Applications/Claude.app/Contents/Info.plist"}
app_findings:
  description: app_outdated (error), app_not_installed and app_unknown (warnings); listed per team by the verify report.
  returned: when app_version is true
  type: list
  elements: dict
firewall_hosts:
  description: The HTTPS hosts the perimeter must allow for this config (spec section 6), each with label, reason and spec row.
  returned: always
  type: list
  elements: dict
"""
