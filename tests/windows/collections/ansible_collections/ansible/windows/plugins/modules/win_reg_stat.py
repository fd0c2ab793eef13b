# -*- coding: utf-8 -*-
# TEST DOUBLE of ansible.windows.win_reg_stat: reads the JSON registry of fake_registry.py (ansible.windows 3.7.0).
# HKCU: is the CONNECTION account's hive (win_reg_stat.ps1:84 [Registry]::CurrentUser), HKU\\<its SID> here.
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
from ansible_collections.ansible.windows.plugins.module_utils.fake_registry import Registry, value_name


KNOWN = ("REG_SZ", "REG_EXPAND_SZ", "REG_DWORD", "REG_QWORD", "REG_MULTI_SZ", "REG_BINARY", "REG_NONE")


def _signed(value, bits):
    value = int(value) & ((1 << bits) - 1)
    return value - (1 << bits) if value >> (bits - 1) else value


def property_value(reg, name, entry):
    """type/value/raw_value exactly as the real module reports them (win_reg_stat.ps1:23-75 Get-PropertyValue).

    - (Default) (name ""): 32-35 never asks GetValueKind, so the type is always REG_SZ and the data is what
      RegistryKey.GetValue returns for the stored kind: Int32 (signed) for a DWORD, Int64 (signed) for a
      QWORD, string[] for MULTI_SZ, byte[] (a list of ints) for BINARY/NONE, the unexpanded string for EXPAND_SZ.
    - named BINARY/NONE (40-46): value is the byte list, raw_value a list of "0xNN" strings.
    - named DWORD/QWORD (47-54): unsigned ([UInt32]/[UInt64] of the hex form).
    - EXPAND_SZ: value expanded, raw_value not (24-26). Another kind: "Unknown - <kind>" (65).
    """
    kind, data = entry["type"], entry["data"]
    if name == "":
        if kind == "REG_DWORD":
            data = _signed(data, 32)
        elif kind == "REG_QWORD":
            data = _signed(data, 64)
        elif kind in ("REG_BINARY", "REG_NONE"):
            data = list(data or [])
        return {"type": "REG_SZ", "value": data, "raw_value": data}
    if kind in ("REG_BINARY", "REG_NONE"):
        raw = ["0x%02x" % b for b in (data or [])]
        return {"type": kind, "value": list(data or []), "raw_value": raw}
    if kind in ("REG_DWORD", "REG_QWORD"):
        data = int(data) & ((1 << (32 if kind == "REG_DWORD" else 64)) - 1)
    value = reg.expand(data) if kind == "REG_EXPAND_SZ" else data
    return {"type": kind if kind in KNOWN else "Unknown - %s" % kind, "value": value, "raw_value": data}


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
        stored = value_name(key, name)  # value names are case-insensitive (RegistryKey.GetValue)
        if stored is None:
            module.exit_json(changed=False, exists=False)
        module.exit_json(changed=False, exists=True, **property_value(reg, stored, key[stored]))


if __name__ == "__main__":
    main()
