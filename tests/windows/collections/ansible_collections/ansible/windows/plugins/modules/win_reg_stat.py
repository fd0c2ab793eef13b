# -*- coding: utf-8 -*-
# TEST DOUBLE of ansible.windows.win_reg_stat: reads the JSON registry of fake_registry.py.
from __future__ import annotations

DOCUMENTATION = r"""
module: win_reg_stat
short_description: TEST DOUBLE of ansible.windows.win_reg_stat
description: Reads a JSON file standing in for the registry (tests only).
author: aiohub.claude_desktop tests (@aiohub)
options:
  path:
    type: str
    required: true
    aliases: [key]
    description: Key path.
  name:
    type: str
    aliases: [entry, value]
    description: Value name.
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.fake_registry import Registry, canonical


def main():
    module = AnsibleModule(argument_spec=dict(path=dict(type="str", required=True, aliases=["key"]),
                                              name=dict(type="str", aliases=["entry", "value"])),
                           supports_check_mode=True)
    with Registry() as reg:
        key = reg.key(module.params["path"])
        below = canonical(module.params["path"]) + "\\"
        sub_keys = sorted({k[len(below):].split("\\")[0] for k in reg.data["keys"] if k.lower().startswith(below)})
        reg.record("win_reg_stat", module.params)
        reg.save()
    name = module.params["name"]
    if key is None:
        module.exit_json(changed=False, exists=False)
    if name is None:
        props = {n: {"type": v["type"], "raw_value": v["data"], "value": v["data"]} for n, v in key.items()}
        module.exit_json(changed=False, exists=True, properties=props, sub_keys=sub_keys)
    if name not in key:
        module.exit_json(changed=False, exists=False)
    module.exit_json(changed=False, exists=True, type=key[name]["type"], raw_value=key[name]["data"], value=key[name]["data"])


if __name__ == "__main__":
    main()
