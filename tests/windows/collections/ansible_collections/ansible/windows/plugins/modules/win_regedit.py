# -*- coding: utf-8 -*-
# TEST DOUBLE of ansible.windows.win_regedit: writes the JSON registry of fake_registry.py.
# Same options as the real module; honours check mode; returns data_changed/data_type_changed and diff.
from __future__ import annotations

DOCUMENTATION = r"""
module: win_regedit
short_description: TEST DOUBLE of ansible.windows.win_regedit
description: Writes a JSON file standing in for the registry (tests only).
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
    description: Value name; empty means the (Default) value.
  data:
    type: raw
    description: Value data.
  type:
    type: str
    default: string
    choices: [none, binary, dword, expandstring, multistring, string, qword]
    aliases: [datatype]
    description: Value type.
  state:
    type: str
    default: present
    choices: [absent, present]
    description: Present or absent.
  delete_key:
    type: bool
    default: true
    description: Delete the key when state is absent and name is not set.
  hive:
    type: path
    description: Hive file to load at HKLM:\\ANSIBLE.
"""

import re

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.fake_registry import TYPES, Registry, value_name


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="str", required=True, aliases=["key"]),
            name=dict(type="str", aliases=["entry", "value"]),
            data=dict(type="raw"),
            type=dict(type="str", default="string", choices=list(TYPES), aliases=["datatype"]),
            state=dict(type="str", default="present", choices=["absent", "present"]),
            delete_key=dict(type="bool", default=True),
            hive=dict(type="str"),
        ),
        supports_check_mode=True,
    )
    p = module.params
    path = p["path"]
    if not re.match(r"^HK(CC|CR|CU|LM|U):\\", path):
        module.fail_json(msg="path: %s is not a valid powershell path, see module documentation for examples." % path)
    name = p["name"] if p["name"] is not None else ""
    result = dict(changed=False, data_changed=False, data_type_changed=False)
    with Registry() as reg:
        reg.record("win_regedit", dict(p, data="<%d chars>" % len(str(p["data"])) if p["data"] is not None else None))
        if p["hive"]:
            # the real module: Test-Path on the hive file, then RegLoadKey to HKLM:\ANSIBLE (fails while
            # the file is in use, i.e. the user is logged on and Windows holds the hive open)
            hive = reg.hive_file(p["hive"])
            # win_regedit.ps1:480-511 loads the hive on EVERY call (check mode included) and unloads it in
            # Dispose; a stale HKLM\ANSIBLE is unloaded first with a warning
            reg.data.setdefault("hive_loads", []).append(p["hive"])
            if reg.key("HKLM\\ANSIBLE") is not None:
                del reg.data["keys"]["hklm\\ansible"]
                result["warnings"] = ["A hive is already loaded at HKLM:\\ANSIBLE, unloading it before continuing"]
            if hive is None:
                reg.save()
                module.fail_json(msg="hive at path '%s' is not valid or accessible, cannot load hive" % p["hive"])
            if reg.hive_in_use(p["hive"]):
                reg.save()
                module.fail_json(msg="failed to load registry hive from '%s' to HKLM:\\ANSIBLE: The process cannot access the file "
                                     "because it is being used by another process" % p["hive"])
            rel = path.replace("/", "\\").lower().partition(":\\")[2]
            if not (rel + "\\").startswith("ansible\\"):
                module.fail_json(msg="the test double writes a loaded hive only under HKLM:\\ANSIBLE")
            rel = rel[len("ansible"):].strip("\\")
            key = hive.get(rel)
            if key is None and p["state"] == "present":
                key = hive[rel] = {}
        else:
            key = reg.key(path, create=p["state"] == "present")
        # value names are case-insensitive; SetValue keeps the stored spelling (win_regedit.ps1:171 compares
        # the data with -cne, the name through RegistryKey.GetValue)
        name = (value_name(key, name) if key is not None else None) or name
        before = dict(key[name]) if key is not None and name in key else None
        if p["state"] == "present":
            kind = TYPES[p["type"]]
            data = int(p["data"] or 0) if kind in ("REG_DWORD", "REG_QWORD") else ("" if p["data"] is None else str(p["data"]))
            after = {"type": kind, "data": data}
            if before != after:
                result.update(changed=True, data_changed=before is None or before["data"] != after["data"],
                              data_type_changed=before is not None and before["type"] != after["type"])
                if not module.check_mode:
                    key[name] = after
        elif p["name"] is None and p["delete_key"]:
            if p["hive"]:
                doomed = [k for k in hive if k == rel or k.startswith(rel + "\\")] if key is not None else []
                result["changed"] = bool(doomed)
                for k in doomed if not module.check_mode else []:
                    del hive[k]
            else:
                base = reg.canonical(path)
                doomed = [k for k in reg.data["keys"] if k == base or k.startswith(base + "\\")]
                result["changed"] = bool(doomed)
                for k in doomed if not module.check_mode else []:
                    del reg.data["keys"][k]
        elif key is not None and name in key:
            result["changed"] = True
            if not module.check_mode:
                del key[name]
        if module._diff:
            result["diff"] = {"before": "%s\n" % before if before else "", "after": "%s\n" % key.get(name) if key and name in key else ""}
        if not module.check_mode:
            reg.save()
        else:
            reg.data["calls"].pop()
            reg.record("win_regedit(check)", dict(path=p["path"], name=name))
            reg.save()
    module.exit_json(**result)


if __name__ == "__main__":
    main()
