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

import re

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.fake_registry import Registry


def property_value(reg, name, entry):
    """type/value/raw_value exactly as the real module reports them (win_reg_stat.ps1 Get-PropertyValue).

    A set (Default) is always reported as REG_SZ (the real module cannot ask its kind), with its data
    as stored: an integer for a REG_DWORD, a list for REG_MULTI_SZ. REG_DWORD data is an integer;
    REG_EXPAND_SZ's value is expanded, its raw_value not; binary data is a list of "0xNN" strings.
    """
    kind, data = entry["type"], entry["data"]
    if kind == "REG_DWORD":
        data = int(data)
    if kind in ("REG_BINARY", "REG_NONE"):
        raw = ["0x%02x" % b for b in (data or [])]
        return {"type": kind if name else "REG_SZ", "value": list(data or []), "raw_value": raw}
    value = reg.expand(data) if kind == "REG_EXPAND_SZ" else data
    return {"type": kind if name else "REG_SZ", "value": value, "raw_value": data}


def main():
    module = AnsibleModule(argument_spec=dict(path=dict(type="str", required=True, aliases=["key"]),
                                              name=dict(type="str", aliases=["entry", "value"])),
                           supports_check_mode=True)
    if not re.match(r"^HK(CC|CR|CU|LM|U):\\", module.params["path"]):
        module.fail_json(msg="path: %s is not a valid registry path, see module documentation for examples." % module.params["path"])
    with Registry() as reg:
        key = reg.key(module.params["path"])
        reg.record("win_reg_stat", module.params)
        reg.save()
        name = module.params["name"]
        if key is None:
            module.exit_json(changed=False, exists=False)
        if name is None:
            props = {n: property_value(reg, n, v) for n, v in key.items()}
            module.exit_json(changed=False, exists=True, properties=props, sub_keys=reg.subkeys(module.params["path"]))
        if name not in key:
            module.exit_json(changed=False, exists=False)
        module.exit_json(changed=False, exists=True, **property_value(reg, name, key[name]))


if __name__ == "__main__":
    main()
