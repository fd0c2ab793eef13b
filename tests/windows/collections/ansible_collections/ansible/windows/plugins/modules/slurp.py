# -*- coding: utf-8 -*-
# TEST DOUBLE of ansible.windows.slurp over the fake file system of fake_fs.py.
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

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.fake_fs import local


def main():
    module = AnsibleModule(argument_spec=dict(src=dict(type="str", required=True, aliases=["path"])), supports_check_mode=True)
    try:
        with open(local(module.params["src"]), "rb") as f:
            data = f.read()
    except FileNotFoundError:
        module.fail_json(msg="Path %s is not found" % module.params["src"])
    module.exit_json(changed=False, content=base64.b64encode(data).decode(), encoding="base64", source=module.params["src"])


if __name__ == "__main__":
    main()
