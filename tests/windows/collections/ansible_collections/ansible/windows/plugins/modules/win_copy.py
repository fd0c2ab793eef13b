# -*- coding: utf-8 -*-
# TEST DOUBLE of the ansible.windows.win_copy MODULE (ansible.windows 3.7.0, plugins/modules/win_copy.ps1) over the
# fake NTFS volume of fake_fs.py, driven by the real action plugin (../action/win_copy.py):
# - _copy_mode=query (win_copy.ps1:269-322): for each file, Test-Path (false when the attributes cannot be read)
#   then, with force, Get-FileChecksum (SHA1; reading a file without read access throws); an unseen or different
#   file is returned in `files`. The destination folder's existence is not checked here.
# - _copy_mode=single (win_copy.ps1:427-462): the parent folder must exist ("Destination directory '...' does not
#   exist"); with backup, Backup-File copies dest to "<dest>.<pid>.<yyyyMMdd-HHmmss>.bak" (Ansible.ModuleUtils.Backup
#   :21-23); then Copy-Item -LiteralPath src -Destination dest -Force (459): IN PLACE over the existing file, not a
#   rename, so a reader can see a partly written file and a failure can leave one.
from __future__ import annotations

DOCUMENTATION = r"""
module: win_copy
short_description: TEST DOUBLE of ansible.windows.win_copy
description: The query and single modes of win_copy over the fake Windows file system (tests only).
author: aiohub.claude_desktop tests (@aiohub)
options:
  dest: {type: str, required: true, description: Destination.}
  src: {type: str, description: Source (transferred file).}
  backup: {type: bool, default: false, description: Keep a backup.}
  force: {type: bool, default: true, description: Replace.}
"""

import hashlib
import os
import time

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.fake_fs import AccessDenied, Volume, norm, parent


def main():
    module = AnsibleModule(argument_spec=dict(
        dest=dict(type="str", required=True), src=dict(type="str"), backup=dict(type="bool", default=False),
        force=dict(type="bool", default=True), content=dict(type="str", no_log=True), remote_src=dict(type="bool", default=False),
        decrypt=dict(type="bool", default=True), local_follow=dict(type="bool", default=True),
        _copy_mode=dict(type="str", default="single", choices=["query", "single", "explode", "remote"]),
        _original_basename=dict(type="str"), files=dict(type="list", elements="dict", default=[]),
        directories=dict(type="list", elements="dict", default=[]), symlinks=dict(type="list", elements="dict", default=[])),
        supports_check_mode=True)
    p = module.params
    result = dict(changed=False, dest=p["dest"])
    with Volume() as vol:
        if p["_copy_mode"] == "query":
            changed = []
            for f in p["files"]:
                filepath = norm(p["dest"] + "\\" + f["dest"])
                if not vol.visible(filepath):
                    changed.append(f)
                elif os.path.isdir(vol.local(filepath)):
                    module.fail_json(msg="cannot copy file to dest '%s': object at path is already a directory" % filepath)
                elif p["force"]:
                    try:
                        data = vol.read(filepath)
                    except AccessDenied as exc:
                        module.fail_json(msg='Exception calling "Open" with "3" argument(s): "%s"' % exc)
                    if hashlib.sha1(data).hexdigest() != f.get("checksum"):
                        changed.append(f)
            module.exit_json(changed=False, files=changed, directories=[], symlinks=[])
        if p["_copy_mode"] != "single":
            module.fail_json(msg="the test double models win_copy's query and single modes only")
        dest = norm(p["dest"])
        if not os.path.isfile(p["src"] or ""):
            module.fail_json(msg="Cannot copy src file: '%s' as it does not exist" % p["src"])
        up = parent(dest)
        if not (vol.visible(up) and os.path.isdir(vol.local(up))):
            module.fail_json(msg="Destination directory '%s' does not exist" % up)
        try:
            if p["backup"] and vol.visible(dest):
                backup = "%s.%d.%s.bak" % (dest, os.getpid(), time.strftime("%Y%m%d-%H%M%S"))
                vol.write(backup, vol.read(dest))
                result["backup_file"] = backup
            with open(p["src"], "rb") as f:
                vol.write(dest, f.read())
        except AccessDenied as exc:
            vol.save()
            module.fail_json(msg="Failed to copy file: %s" % exc)
        vol.save()
    result["changed"] = True
    module.exit_json(**result)


if __name__ == "__main__":
    main()
