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

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.fake_registry import TYPES, Registry


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="str", required=True, aliases=["key"]),
            name=dict(type="str", aliases=["entry", "value"]),
            data=dict(type="raw"),
            type=dict(type="str", default="string", choices=list(TYPES), aliases=["datatype"]),
            state=dict(type="str", default="present", choices=["absent", "present"]),
            delete_key=dict(type="bool", default=True),
            hive=dict(type="path"),
        ),
        supports_check_mode=True,
    )
    p = module.params
    path = p["path"]
    if p["hive"]:
        if not path.upper().startswith("HKLM:\\ANSIBLE"):
            module.fail_json(msg="path must be under HKLM:\\ANSIBLE when hive is set")
        # a loaded hive is stored under its file name, as the real module loads it into HKLM:\ANSIBLE
        path = "HKU:\\hive-" + p["hive"].replace("\\", "/").split("/")[-2] + path[len("HKLM:\\ANSIBLE"):]
    name = p["name"] if p["name"] is not None else ""
    result = dict(changed=False, data_changed=False, data_type_changed=False)
    with Registry() as reg:
        reg.record("win_regedit", dict(p, data="<%d chars>" % len(str(p["data"])) if p["data"] is not None else None))
        key = reg.key(path, create=p["state"] == "present")
        before = dict(key[name]) if key is not None and name in key else None
        if p["state"] == "present":
            after = {"type": TYPES[p["type"]], "data": "" if p["data"] is None else str(p["data"])}
            if before != after:
                result.update(changed=True, data_changed=before is None or before["data"] != after["data"],
                              data_type_changed=before is not None and before["type"] != after["type"])
                if not module.check_mode:
                    key[name] = after
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
