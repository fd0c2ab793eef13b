# -*- coding: utf-8 -*-
# TEST DOUBLE of ansible.windows.win_acl_inheritance: records inheritance in .acl.json.
from __future__ import annotations

DOCUMENTATION = r"""
module: win_acl_inheritance
short_description: TEST DOUBLE of ansible.windows.win_acl_inheritance
description: Records ACL inheritance for a path of the fake Windows file system (tests only).
author: aiohub.claude_desktop tests (@aiohub)
options:
  path: {type: str, required: true, description: Path.}
  state: {type: str, default: absent, choices: [absent, present], description: State.}
  reorganize: {type: bool, default: false, description: Copy inherited rules when removing.}
"""

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.fake_fs import load_acls, local, save_acls


def main():
    module = AnsibleModule(argument_spec=dict(path=dict(type="str", required=True),
                                              state=dict(type="str", default="absent", choices=["absent", "present"]),
                                              reorganize=dict(type="bool", default=False)), supports_check_mode=True)
    p = module.params
    if not os.path.exists(local(p["path"])):
        module.fail_json(msg="%s file or directory does not exist on the host" % p["path"])
    acls = load_acls()
    entry = acls.setdefault(p["path"].lower(), {"inherit": True, "aces": []})
    want = p["state"] == "present"
    changed = entry["inherit"] != want
    if changed and not module.check_mode:
        entry["inherit"] = want
        save_acls(acls)
    module.exit_json(changed=changed)


if __name__ == "__main__":
    main()
