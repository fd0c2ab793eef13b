# -*- coding: utf-8 -*-
# TEST DOUBLE of ansible.windows.win_stat over the fake NTFS volume of fake_fs.py (ansible.windows 3.7.0).
# - win_stat.ps1:43 calls Get-AnsibleItem -ErrorAction SilentlyContinue; FileUtil.psm1:45-53 returns $null on
#   ANY exception, so a path the connection account may not read the attributes of reads as exists:false.
# - win_stat.ps1:188-200: a symbolic link gives islnk:true, a junction isjunction:true with islnk:false and
#   isdir:true; both give lnk_target; the last component is not followed.
# - win_stat.ps1 returns the owner's account name (owner).
from __future__ import annotations

DOCUMENTATION = r"""
module: win_stat
short_description: TEST DOUBLE of ansible.windows.win_stat
description: Stats a path of the fake Windows file system (tests only).
author: aiohub.claude_desktop tests (@aiohub)
options:
  path: {type: str, required: true, aliases: [dest, name], description: Path.}
  get_checksum: {type: bool, default: true, description: Ignored.}
  follow: {type: bool, default: false, description: Ignored.}
"""

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.fake_fs import Volume, account_name


def main():
    module = AnsibleModule(argument_spec=dict(path=dict(type="str", required=True, aliases=["dest", "name"]),
                                              get_checksum=dict(type="bool", default=True), follow=dict(type="bool", default=False)),
                           supports_check_mode=True)
    path = module.params["path"]
    with Volume() as vol:
        if not vol.visible(path):
            module.exit_json(changed=False, stat={"exists": False})
        link = vol.link(path)
        target = vol.local(path)
        isdir = os.path.isdir(target)
        stat = {"exists": True, "path": path, "isdir": isdir, "isreg": not isdir and link is None, "islnk": False,
                "isjunction": False, "owner": account_name(vol.owner(path)), "size": 0 if isdir else os.path.getsize(target),
                "lastwritetime": os.path.getmtime(target)}
        if link is not None:
            stat["islnk" if link["type"] == "symlink" else "isjunction"] = True
            stat.update(lnk_target=link["target"], lnk_source=link["target"])
    module.exit_json(changed=False, stat=stat)


if __name__ == "__main__":
    main()
