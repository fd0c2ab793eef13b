# -*- coding: utf-8 -*-
# TEST DOUBLE of ansible.windows.win_file over the fake file system of fake_fs.py.
from __future__ import annotations

DOCUMENTATION = r"""
module: win_file
short_description: TEST DOUBLE of ansible.windows.win_file
description: Creates or removes paths of the fake Windows file system (tests only).
author: aiohub.claude_desktop tests (@aiohub)
options:
  path: {type: str, required: true, aliases: [dest, name], description: Path.}
  state: {type: str, choices: [absent, directory, file, touch], description: State.}
"""

import os
import shutil

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.fake_fs import local


def main():
    module = AnsibleModule(argument_spec=dict(path=dict(type="str", required=True, aliases=["dest", "name"]),
                                              state=dict(type="str", choices=["absent", "directory", "file", "touch"])),
                           supports_check_mode=True)
    target = local(module.params["path"])
    state = module.params["state"]
    changed = False
    if state == "directory" and not os.path.isdir(target):
        changed = True
        if not module.check_mode:
            os.makedirs(target)
    elif state == "absent" and os.path.lexists(target):
        changed = True
        if not module.check_mode:
            shutil.rmtree(target) if os.path.isdir(target) else os.unlink(target)
    module.exit_json(changed=changed)


if __name__ == "__main__":
    main()
