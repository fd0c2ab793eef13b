# -*- coding: utf-8 -*-
# TEST DOUBLE of ansible.windows.win_acl: records access rules in the fake file system's .acl.json.
from __future__ import annotations

DOCUMENTATION = r"""
module: win_acl
short_description: TEST DOUBLE of ansible.windows.win_acl
description: Records an access rule for a path of the fake Windows file system (tests only).
author: aiohub.claude_desktop tests (@aiohub)
options:
  path: {type: str, required: true, description: Path.}
  user: {type: str, required: true, description: User or group.}
  rights: {type: str, required: true, description: Rights.}
  type: {type: str, required: true, choices: [allow, deny], description: Allow or deny.}
  state: {type: str, default: present, choices: [absent, present], description: State.}
  inherit: {type: str, description: Inheritance flags.}
  propagation: {type: str, default: None, choices: [InheritOnly, None, NoPropagateInherit], description: Propagation.}
"""

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.fake_fs import load_acls, local, save_acls


def main():
    module = AnsibleModule(argument_spec=dict(
        path=dict(type="str", required=True), user=dict(type="str", required=True), rights=dict(type="str", required=True),
        type=dict(type="str", required=True, choices=["allow", "deny"]), state=dict(type="str", default="present", choices=["absent", "present"]),
        inherit=dict(type="str"), propagation=dict(type="str", default="None", choices=["InheritOnly", "None", "NoPropagateInherit"])),
        supports_check_mode=True)
    p = module.params
    if not os.path.exists(local(p["path"])):
        module.fail_json(msg="%s file or directory does not exist on the host" % p["path"])
    acls = load_acls()
    entry = acls.setdefault(p["path"].lower(), {"inherit": True, "aces": []})
    ace = [p["user"], p["rights"], p["type"]]
    changed = (ace not in entry["aces"]) if p["state"] == "present" else (ace in entry["aces"])
    if changed and not module.check_mode:
        if p["state"] == "present":
            entry["aces"].append(ace)
        else:
            entry["aces"].remove(ace)
        save_acls(acls)
    module.exit_json(changed=changed)


if __name__ == "__main__":
    main()
