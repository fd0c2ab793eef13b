#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: config_read
short_description: Read the Claude Desktop configuration sources on a macOS or Linux machine (drift audit, target side)
version_added: 0.2.0
author: AIOHub (@aiohub)
description:
  - The target-side half of M(aiohub.claude_desktop.config_facts); use that module, which compares
    what this returns with the desired config.
  - Reads the managed plists (machine and every per-user one) or the Linux managed file with its owner,
    mode and symlink status (and its directory's), and each user's local config in both generations
    (C(claude_desktop_config.json) C(enterpriseConfig) and the applied C(configLibrary) entry). Paths come
    from the collection's placement table.
  - Values of secret keys are replaced by an HMAC-SHA256 under O(salt); they never leave the machine.
  - Lists running Claude Desktop processes with their start times (restart notice).
options:
  os:
    description: C(macos) or C(linux); V(auto) decides from the running system (Darwin is macOS).
    type: str
    default: auto
    choices: [auto, macos, linux]
  users:
    description: Accounts whose local config is read.
    type: list
    elements: str
    default: []
  homes:
    description: Home directories of O(users) that are not in the default place.
    type: dict
    default: {}
  secret_keys:
    description: Keys whose values are replaced by their HMAC.
    type: list
    elements: str
    default: []
  salt:
    description: HMAC key for secret values (chosen per run by the controller; never logged).
    type: str
    required: true
  profile_path:
    description: Where a staged C(.mobileconfig) would be (macOS).
    type: str
  process_names:
    description: Executable names of the desktop app.
    type: list
    elements: str
    default: [Claude, claude-desktop, claude.exe, Claude.exe]
  app_bundles:
    description:
      - macOS. Where Claude Desktop may be installed; the first bundle with a C(Contents/Info.plist) gives
        RV(app) (its C(CFBundleShortVersionString)).
    type: list
    elements: str
    default: [/Applications/Claude.app]
  app_packages:
    description:
      - Linux. Package names asked of C(dpkg-query), then C(rpm); the first one installed gives RV(app). The spec
        documents no Linux package name or install path; C(claude-desktop) is the name of the app's directories.
    type: list
    elements: str
    default: [claude-desktop]
attributes:
  check_mode:
    support: full
    description: Only reads.
  diff_mode:
    support: none
    description: Nothing to diff.
  platform:
    support: full
    platforms: posix
    description: macOS and Linux targets with Python 3.8+.
"""

EXAMPLES = r"""
- name: Read what is on the machine (normally through aiohub.claude_desktop.config_facts)
  aiohub.claude_desktop.config_read:
    os: linux
    users: [alice]
    salt: "{{ lookup('ansible.builtin.password', '/dev/null length=32') }}"
"""

RETURN = r"""
os:
  description: The OS the sources were read for (macos or linux).
  returned: always
  type: str
sources:
  description: Each source with path, kind, exists, symlink, owner, mode, mtime and values (secrets as digests).
  returned: always
  type: list
  elements: dict
processes:
  description: Running Claude Desktop processes (pid, name, user, started as epoch seconds).
  returned: always
  type: list
  elements: dict
app:
  description:
    - Whether Claude Desktop is installed and its version (installed, version, source C(bundle), C(dpkg-query) or C(rpm),
      path or package; checked when it is not installed).
  returned: always
  type: dict
  sample: {"installed": true, "version": "1.46388.4", "source": "bundle", "path": "/Applications/Claude.app/Contents/Info.plist"}
now:
  description: The machine's clock (epoch seconds).
  returned: always
  type: float
"""

import platform
import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.aiohub.claude_desktop.plugins.module_utils import audit
from ansible_collections.aiohub.claude_desktop.plugins.module_utils.placement import PlacementError, resolve_os


def main():
    module = AnsibleModule(
        argument_spec=dict(
            os=dict(type="str", default="auto", choices=["auto", "macos", "linux"]),
            users=dict(type="list", elements="str", default=[]),
            homes=dict(type="dict", default={}),
            secret_keys=dict(type="list", elements="str", default=[], no_log=False),
            salt=dict(type="str", required=True, no_log=True),
            profile_path=dict(type="str"),
            process_names=dict(type="list", elements="str", default=list(audit.APP_PROCESS_NAMES)),
            app_bundles=dict(type="list", elements="str", default=list(audit.MAC_APP_BUNDLES)),
            app_packages=dict(type="list", elements="str", default=list(audit.LINUX_APP_PACKAGES)),
        ),
        supports_check_mode=True,
    )
    p = module.params
    # auto: what this host reports, by the one OS rule (Darwin is macOS; any other POSIX system is read as Linux)
    os_name = p["os"] if p["os"] != "auto" else ("macos" if resolve_os(system=platform.system()) == "macos" else "linux")
    try:
        sources = audit.read_host(os_name, p["users"], p["homes"], p["secret_keys"], p["salt"], p["profile_path"])
    except PlacementError as exc:
        module.fail_json(msg=str(exc))
    app = audit.read_app(os_name, module.run_command, p["app_bundles"], p["app_packages"])
    module.exit_json(changed=False, os=os_name, sources=sources, processes=audit.app_processes(module.run_command, p["process_names"]),
                     app=app, now=time.time())


if __name__ == "__main__":
    main()
