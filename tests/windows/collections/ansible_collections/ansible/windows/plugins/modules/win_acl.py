# -*- coding: utf-8 -*-
# TEST DOUBLE of ansible.windows.win_acl over the fake NTFS volume of fake_fs.py (ansible.windows 3.7.0).
# - win_acl.ps1:132-134: the path must exist, check mode included ("... file or directory does not exist on the host").
# - win_acl.ps1:136-140: the user must resolve to a SID ("... is not a valid user or group on the host machine or domain").
# - win_acl.ps1:142-147: inherit is None on a file, ContainerInherit|ObjectInherit on a directory when not given.
# - win_acl.ps1:251/277: Get-Acl then Set-ACL -LiteralPath: needs READ_CONTROL and WRITE_DAC (the owner holds
#   both). Set-Acl opens the path without FILE_FLAG_OPEN_REPARSE_POINT, so on a junction it changes the
#   TARGET's DACL (follow defaults to false, win_acl.ps1:113, but only affects the path's own resolution).
# - An ACE equal to an explicit one (user, rights, type, inheritance) is "no change".
from __future__ import annotations

DOCUMENTATION = r"""
module: win_acl
short_description: TEST DOUBLE of ansible.windows.win_acl
description: Adds or removes an access rule on a path of the fake Windows file system (tests only).
author: aiohub.claude_desktop tests (@aiohub)
options:
  path: {type: str, required: true, description: Path.}
  user: {type: str, required: true, description: User or group.}
  rights: {type: str, required: true, description: Rights.}
  type: {type: str, required: true, choices: [allow, deny], description: Allow or deny.}
  state: {type: str, default: present, choices: [absent, present], description: State.}
  inherit: {type: str, description: Inheritance flags.}
  propagation: {type: str, default: None, choices: [InheritOnly, None, NoPropagateInherit], description: Propagation.}
  follow: {type: bool, default: false, description: Ignored.}
"""

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.fake_fs import AccessDenied, Volume, resolve_account


def main():
    module = AnsibleModule(argument_spec=dict(
        path=dict(type="str", required=True), user=dict(type="str", required=True), rights=dict(type="str", required=True),
        type=dict(type="str", required=True, choices=["allow", "deny"]), state=dict(type="str", default="present", choices=["absent", "present"]),
        inherit=dict(type="str"), propagation=dict(type="str", default="None", choices=["InheritOnly", "None", "NoPropagateInherit"]),
        follow=dict(type="bool", default=False)),
        supports_check_mode=True)
    p = module.params
    with Volume() as vol:
        if not vol.visible(p["path"]):
            module.fail_json(msg="%s file or directory does not exist on the host" % p["path"])
        sid = resolve_account(p["user"])
        if not sid:
            module.fail_json(msg="%s is not a valid user or group on the host machine or domain" % p["user"])
        inherit = not os.path.isdir(vol.local(p["path"])) and "None" or (p["inherit"] or "ContainerInherit, ObjectInherit")
        ace = {"sid": sid, "rights": p["rights"], "type": p["type"], "inherit": inherit != "None"}
        try:
            vol.check(p["path"], "read_control")
            entry = vol.entry(p["path"]) or {"aces": []}
            present = ace in entry.get("aces", [])
            changed = present != (p["state"] == "present")
            if changed:
                vol.check(p["path"], "write_dac")
            if changed and not module.check_mode:
                aces = [a for a in entry.get("aces", []) if a != ace] + ([ace] if p["state"] == "present" else [])
                vol.set_entry(p["path"], aces=aces)
                vol.save()
        except AccessDenied as exc:
            module.fail_json(msg="an exception occurred when adding the specified rule - %s" % exc)
    module.exit_json(changed=changed)


if __name__ == "__main__":
    main()
