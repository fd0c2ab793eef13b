# -*- coding: utf-8 -*-
# TEST DOUBLE of ansible.windows.win_stat over the fake file system of fake_fs.py.
from __future__ import annotations

DOCUMENTATION = r"""
module: win_stat
short_description: TEST DOUBLE of ansible.windows.win_stat
description: Stats a path of the fake Windows file system (tests only).
author: aiohub.claude_desktop tests (@aiohub)
options:
  path: {type: str, required: true, aliases: [dest, name], description: Path.}
  get_checksum: {type: bool, default: true, description: Ignored.}
"""

import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.fake_fs import local


def main():
    module = AnsibleModule(argument_spec=dict(path=dict(type="str", required=True, aliases=["dest", "name"]),
                                              get_checksum=dict(type="bool", default=True)), supports_check_mode=True)
    target = local(module.params["path"])
    if not os.path.lexists(target):
        module.exit_json(changed=False, stat={"exists": False})
    module.exit_json(changed=False, stat={"exists": True, "isdir": os.path.isdir(target), "islnk": os.path.islink(target),
                                          "isreg": os.path.isfile(target) and not os.path.islink(target), "path": module.params["path"],
                                          "size": os.path.getsize(target)})


if __name__ == "__main__":
    main()
