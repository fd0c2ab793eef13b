# -*- coding: utf-8 -*-
# TEST DOUBLE of ansible.windows.win_copy (content mode only) over the fake file system of fake_fs.py.
# The real collection's action plugin turns content into a transferred file; this double has no
# action plugin, so callers pass content straight to the module.
from __future__ import annotations

DOCUMENTATION = r"""
module: win_copy
short_description: TEST DOUBLE of ansible.windows.win_copy
description: Writes content to the fake Windows file system (tests only).
author: aiohub.claude_desktop tests (@aiohub)
options:
  content: {type: str, required: true, description: Content.}
  dest: {type: str, required: true, description: Destination.}
  backup: {type: bool, default: false, description: Keep a backup.}
  force: {type: bool, default: true, description: Replace.}
"""

import os
import shutil
import time

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.fake_fs import local


def main():
    module = AnsibleModule(argument_spec=dict(content=dict(type="str", required=True, no_log=True), dest=dict(type="str", required=True),
                                              backup=dict(type="bool", default=False), force=dict(type="bool", default=True)),
                           supports_check_mode=True)
    target = local(module.params["dest"])
    data = module.params["content"].encode("utf-8")
    if not os.path.isdir(os.path.dirname(target)):
        module.fail_json(msg="Cannot copy src file as dest directory does not exist")
    try:
        with open(target, "rb") as f:
            before = f.read()
    except FileNotFoundError:
        before = None
    result = dict(changed=before != data, dest=module.params["dest"])
    if result["changed"] and not module.check_mode:
        if before is not None and module.params["backup"]:
            backup = "%s.%d.bak" % (target, time.time_ns())
            shutil.copy2(target, backup)
            result["backup_file"] = module.params["dest"] + os.path.basename(backup)[len(os.path.basename(target)):]
        tmp = target + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
