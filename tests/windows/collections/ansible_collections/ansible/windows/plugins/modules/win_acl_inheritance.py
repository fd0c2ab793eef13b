# -*- coding: utf-8 -*-
# TEST DOUBLE of ansible.windows.win_acl_inheritance over the fake NTFS volume (ansible.windows 3.7.0).
# - win_acl_inheritance.ps1:139-141: the path must exist ("<path> does not exist"), check mode included.
# - state=absent: SetAccessRuleProtection($true, $reorganize) (171): with reorganize=false EVERY inherited ACE is
#   dropped (Administrators included); with reorganize=true they are copied as explicit ACEs first.
# - state=present: SetAccessRuleProtection($false, $false) (156); with reorganize=false explicit ACEs stay.
# - Set-AclEx needs WRITE_DAC (the owner holds it).
from __future__ import annotations

DOCUMENTATION = r"""
module: win_acl_inheritance
short_description: TEST DOUBLE of ansible.windows.win_acl_inheritance
description: Changes ACL inheritance of a path of the fake Windows file system (tests only).
author: aiohub.claude_desktop tests (@aiohub)
options:
  path: {type: str, required: true, description: Path.}
  state: {type: str, default: absent, choices: [absent, present], description: State.}
  reorganize: {type: bool, default: false, description: Copy inherited rules when removing.}
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.fake_fs import AccessDenied, Volume


def main():
    module = AnsibleModule(argument_spec=dict(path=dict(type="str", required=True),
                                              state=dict(type="str", default="absent", choices=["absent", "present"]),
                                              reorganize=dict(type="bool", default=False)), supports_check_mode=True)
    p = module.params
    with Volume() as vol:
        if not vol.visible(p["path"]):
            module.fail_json(msg="%s does not exist" % p["path"])
        entry = vol.entry(p["path"]) or {"aces": [], "protected": False}
        want_protected = p["state"] == "absent"
        changed = bool(entry.get("protected")) != want_protected
        try:
            if changed:
                vol.check(p["path"], "write_dac")
        except AccessDenied as exc:
            module.fail_json(msg="Failed to %s inheritance of '%s': %s" % ("disable" if want_protected else "enable", p["path"], exc))
        if changed and not module.check_mode:
            aces = list(entry.get("aces") or [])
            if want_protected and p["reorganize"]:
                aces += [{k: v for k, v in a.items() if k != "inherited"} for a in vol.acl(p["path"]) if a["inherited"]]
            vol.set_entry(p["path"], protected=want_protected, aces=aces)
            vol.save()
    module.exit_json(changed=changed)


if __name__ == "__main__":
    main()
