# -*- coding: utf-8 -*-
# TEST DOUBLE of ansible.windows.win_powershell for the one script the windows_policy role runs:
# resolving a user name to a SID. It answers from the "users" map of the JSON registry.
from __future__ import annotations

DOCUMENTATION = r"""
module: win_powershell
short_description: TEST DOUBLE of ansible.windows.win_powershell
description: Answers the SID lookup of the windows_policy role from the JSON registry (tests only).
author: aiohub.claude_desktop tests (@aiohub)
options:
  script:
    type: str
    required: true
    description: Script text.
  parameters:
    type: dict
    description: Script parameters.
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.fake_registry import Registry


def main():
    module = AnsibleModule(argument_spec=dict(script=dict(type="str", required=True), parameters=dict(type="dict", default={})),
                           supports_check_mode=True)
    if "SecurityIdentifier" not in module.params["script"]:
        module.fail_json(msg="the test double only answers the SID lookup script")
    user = module.params["parameters"].get("User")
    with Registry() as reg:
        sid = reg.data["users"].get(user)
    if not sid:
        module.fail_json(msg='Exception calling "Translate": Some or all identity references could not be translated.')
    module.exit_json(changed=False, output=[sid], error=[])


if __name__ == "__main__":
    main()
