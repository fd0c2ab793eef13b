# -*- coding: utf-8 -*-
# TEST DOUBLE of ansible.windows.slurp over the fake NTFS volume of fake_fs.py (ansible.windows 3.7.0).
# slurp.ps1:16-28: Test-Path -PathType Leaf (false when the attributes cannot be read, so an invisible file
# is "not found"), then [IO.File]::ReadAllBytes, which needs read-data access: a file the connection account
# has no ACE for fails with .NET's "Access to the path '...' is denied."
from __future__ import annotations

DOCUMENTATION = r"""
module: slurp
short_description: TEST DOUBLE of ansible.windows.slurp
description: Reads a file of the fake Windows file system (tests only).
author: aiohub.claude_desktop tests (@aiohub)
options:
  src: {type: str, required: true, aliases: [path], description: Path.}
"""

import base64
import os

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.fake_fs import AccessDenied, Volume


def main():
    module = AnsibleModule(argument_spec=dict(src=dict(type="str", required=True, aliases=["path"])), supports_check_mode=True)
    src = module.params["src"]
    with Volume() as vol:
        if not vol.visible(src):
            module.fail_json(msg="Path %s is not found" % src)
        if os.path.isdir(vol.local(src)):
            module.fail_json(msg="Path %s is a directory" % src)
        try:
            data = vol.read(src)
        except AccessDenied as exc:
            module.fail_json(msg='Exception calling "ReadAllBytes" with "1" argument(s): "%s"' % exc)
    module.exit_json(changed=False, content=base64.b64encode(data).decode(), encoding="base64", source=src)


if __name__ == "__main__":
    main()
