#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: apply_plan
short_description: Target side of aiohub.claude_desktop.apply (a host's whole plan in one run)
version_added: 0.2.0
author: AIOHub (@aiohub)
description:
  - Runs on a macOS or Linux target with the plan the M(aiohub.claude_desktop.apply) action built
    on the controller. Use M(aiohub.claude_desktop.apply); this module is not meant to be called
    directly. Standard-library Python 3.8+ only.
  - See C(plugins/module_utils/apply_engine.py) for the plan format and C(docs/security.md) for
    what is kept on the host.
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: [posix]
options:
  plan:
    description: OS variants of the host's items, without secrets (paths, owners, modes, directory levels).
    type: dict
    required: true
  payload:
    description: File contents and secret values, base64-encoded; never logged.
    type: dict
    required: true
"""

EXAMPLES = r"""
# Called by the aiohub.claude_desktop.apply action plugin.
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
"""

import os
import signal

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.aiohub.claude_desktop.plugins.module_utils.apply_engine import FAULTS, KILL_ENV, Engine, decide_os


def main():
    # a connection that drops mid-run must not stop a write half-way: finish the run (every write
    # is atomic either way) and let the next run report
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    module = AnsibleModule(
        argument_spec={
            "plan": {"type": "dict", "required": True},
            "payload": {"type": "dict", "required": True, "no_log": True},
        },
        supports_check_mode=True,
    )
    plan, payload = module.params["plan"], module.params["payload"]
    try:
        os_name = decide_os(plan.get("os"), plan["variants"])
    except ValueError as exc:
        module.fail_json(msg=str(exc))
    kill_at = os.environ.get(KILL_ENV, "")
    if kill_at.isdigit():  # test fleets only: SIGKILL at the Nth write/rename/fsync (tests/fleet)
        FAULTS["kill_at"] = int(kill_at)
    engine = Engine(plan["variants"][os_name], payload.get("blobs", {}), state=plan.get("state", "present"),
                    lock_timeout=int(plan.get("lock_timeout", 120)), run_label=str(plan.get("run_label", "")),
                    check_mode=module.check_mode, diff=module._diff, backup_count=int(plan.get("backup_count", 1)),
                    masking={"secret_keys": plan.get("secret_keys", []), "secret_paths": plan.get("secret_paths", {}),
                             "secret_values": payload.get("secret_values", [])},
                    app_behaviour_keys=plan.get("app_behaviour_keys"))
    result = engine.run()
    for warning in result.pop("warnings"):
        module.warn(warning)
    failures = result.pop("failures")
    diff = result.pop("diff")
    if module._diff and diff:
        result["diff"] = diff
    result["os"] = os_name
    if failures:
        module.fail_json(msg="; ".join(failures), **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
