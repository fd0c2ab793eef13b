# -*- coding: utf-8 -*-
# TEST DOUBLE of ansible.windows.win_file over the fake NTFS volume of fake_fs.py (ansible.windows 3.7.0).
# - state=directory: win_file.ps1:238 New-Item -Path $path -ItemType Directory creates EVERY missing parent,
#   each needing add-subdirectory on the level above; -WhatIf in check mode creates nothing.
# - state=absent: Remove-Item -Force (-Recurse for a directory) (win_file.ps1:136, 148); each object needs DELETE
#   or DELETE_CHILD on its folder. A path that cannot be seen (Test-AnsiblePath false) is "already absent".
# - Failures are "Access to the path '...' is denied." as .NET reports them.
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

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.fake_fs import AccessDenied, Volume


def main():
    module = AnsibleModule(argument_spec=dict(path=dict(type="str", required=True, aliases=["dest", "name"]),
                                              state=dict(type="str", choices=["absent", "directory", "file", "touch"])),
                           supports_check_mode=True)
    path, state = module.params["path"], module.params["state"]
    changed = False
    with Volume() as vol:
        try:
            if state == "directory":
                if vol.visible(path) and not os.path.isdir(vol.local(path)):
                    module.fail_json(msg="path %s is not a directory" % path)
                if not vol.visible(path):
                    changed = True
                    if not module.check_mode:
                        vol.mkdir(path)
            elif state == "absent" and vol.visible(path):
                changed = True
                if not module.check_mode:
                    vol.remove(path)
        except AccessDenied as exc:
            vol.save()
            module.fail_json(msg="Failed to %s '%s': %s" % ("create directory" if state == "directory" else "remove", path, exc))
        vol.save()
    module.exit_json(changed=changed)


if __name__ == "__main__":
    main()
