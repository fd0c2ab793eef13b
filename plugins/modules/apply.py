# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: apply
short_description: Write or remove every Claude Desktop file of a macOS or Linux host in one remote execution
version_added: 0.2.0
author: AIOHub (@aiohub)
description:
  - This module is implemented as an action plugin. It validates the config and renders every
    artifact on the controller (pydantic stays there), builds the host's whole plan (managed
    settings file, each user's C(configLibrary) entry and C(_meta.json), the C(enterpriseConfig)
    key of C(claude_desktop_config.json), owners, modes, the directory levels that may be created)
    and runs M(aiohub.claude_desktop.apply_plan) on the target once (with pipelining, one SSH
    execution). The target needs only Python 3.8+ (standard library).
  - Paths, owners and modes come from the placement table (C(plugins/module_utils/placement.py)).
    The OS is O(os) when set (C(claude_desktop_os)), else the one the host reports; Windows hosts
    take the M(aiohub.claude_desktop.registry_policy) module and the C(windows_policy) role.
  - Only the documented directory levels below an existing root are created (below a home, never
    C(/Users), C(/home) or the home itself; a missing home fails for that user), with explicit
    modes. Every level is opened with C(O_NOFOLLOW) from the root and the file written through that
    directory descriptor (temp file, fsync, rename), so a symlink swap cannot redirect a write;
    symlinks where a regular file is required are refused.
  - User JSON files are merged keeping every foreign key and the file's indentation style; a
    malformed file stays byte-identical and the task fails naming line and column.
  - The first time a file or key is taken over, what was there (file bytes, owner, mode, extended
    attributes and ACLs, prior key values, the prior applied C(configLibrary) entry) is recorded on the
    host, one record per file, written and fsynced before the file changes, then what was written
    (see C(docs/security.md)). O(state=absent) removes or restores only what is provably the
    collection's (its recorded digest, or each key's recorded value); anything else is left and
    listed in RV(left) and the rollout summary. Removal twice, or on a host never deployed to, changes nothing.
  - One run per host at a time (an exclusive lock on the state directory, O(lock_timeout)).
  - Diffs are masked structurally (secret fields of the model, MCP C(args), C(env) and headers, and
    every credential-looking value, the user's own included, whatever its length).
extends_documentation_fragment:
  - aiohub.claude_desktop.config
  - aiohub.claude_desktop.config.attributes
  - aiohub.claude_desktop.state
attributes:
  check_mode:
    support: full
    details: Reports what would change; writes nothing on the host.
  diff_mode:
    support: full
    details: Before and after of each file, masked.
options:
  config:
    required: false
    description: The C(enterpriseConfig) keys. Required with O(state=present).
  state:
    description: Whether the configuration should be present or removed (prior state restored).
  os:
    description:
      - C(macos) or C(linux); empty means the host decides (it reports Darwin or Linux).
      - Set it for hosts that are not what they report (e.g. a test fleet of Linux "Macs").
    type: str
  managed:
    description: Write (or remove) the managed settings file (Linux C(managed-settings.json), macOS plist).
    type: bool
    default: false
  managed_user:
    description: macOS only. Write the per-user managed plist of this account instead of the machine one.
    type: str
    default: ""
  stage_profile:
    description: macOS only. Also place the C(.mobileconfig) at O(profile_path) (mode 0600).
    type: bool
    default: false
  profile_path:
    description: Where the staged profile goes (under C(/Library)).
    type: str
    default: /Library/Application Support/AIOHub/claude-desktop.mobileconfig
  users:
    description:
      - Accounts whose local user configuration is written (or removed).
      - Account names; an entry that is not a string is refused, not converted.
    type: list
    elements: raw
    default: []
  homes:
    description: Home directory per user, when not C(/Users/<user>) (macOS) or C(/home/<user>) (Linux).
    type: dict
    default: {}
  formats:
    description: User configuration generations to write (spec §1.5).
    type: list
    elements: str
    default: [config_library, user_json]
    choices: [config_library, user_json]
  identifier:
    description: Profile identifier; also names the C(configLibrary) entry (a stable UUID derived from it).
    type: str
    default: org.aiohub.claude-desktop
  entry_name:
    description: Display name of the C(configLibrary) entry.
    type: str
    default: Managed by IT
  organization:
    description: Profile organization (staged profile).
    type: str
    default: ""
  backup_count:
    description: Backups kept per file (mode at most 0600, owner kept); 0 keeps none. Removal purges them.
    type: int
    default: 1
  home_roots:
    description:
      - Directories a home must lie below (C(user_config_home_roots)); empty means C(/Users) (macOS) or C(/home) (Linux).
      - A home (from the host's account database, or O(homes)) must also be owned by its user and not be another
        account's home or a system directory; otherwise that user fails and nothing is created for them.
    type: list
    elements: str
    default: []
  lock_timeout:
    description:
      - Seconds to wait for another run on the same host (C(claude_desktop_lock_timeout)). A run holds an exclusive
        C(flock) on the state directory from start to end; after the wait this host fails naming the other run.
    type: int
    default: 120
seealso:
  - module: aiohub.claude_desktop.render
  - module: aiohub.claude_desktop.registry_policy
notes:
  - Bound the task with C(timeout) (the roles use C(claude_desktop_task_timeout), default 120 s).
"""

EXAMPLES = r"""
- name: Managed settings and alice's local config in one round trip
  aiohub.claude_desktop.apply:
    config: "{{ claude_desktop_effective_config }}"
    managed: true
    users: [alice]
  timeout: 120

- name: Put back what was there
  aiohub.claude_desktop.apply:
    state: absent
    managed: true
    users: [alice]
"""

RETURN = r"""
os:
  description: The OS the plan was applied for.
  returned: always
  type: str
  sample: linux
files:
  description: Each file or directory touched, with C(changed) and what was done.
  returned: always
  type: list
  elements: dict
  sample: [{"path": "/etc/claude-desktop/managed-settings.json", "changed": true, "action": "create"}]
left:
  description: What removal left in place because it could not prove the collection wrote it, with the reason.
  returned: always
  type: list
  elements: str
  sample: ["/etc/claude-desktop/managed-settings.json: no record that the collection wrote it: left as it is"]
"""
