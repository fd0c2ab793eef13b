# -*- coding: utf-8 -*-
# TEST DOUBLE of ansible.windows.win_powershell for the one script this collection runs on Windows:
# aiohub.claude_desktop's "user policy hives" script (plugins/action/registry_policy.py). It answers
# from the JSON registry: accounts from "users", profile folders from ProfileList\<SID>
# ProfileImagePath, the policy key from HKU\<SID> when the user is logged on, else from the hive file.
from __future__ import annotations

DOCUMENTATION = r"""
module: win_powershell
short_description: TEST DOUBLE of ansible.windows.win_powershell
description: Answers the user policy hives script of aiohub.claude_desktop from the JSON registry (tests only).
author: aiohub.claude_desktop tests (@aiohub)
options:
  script:
    type: str
    required: true
    description: Script text.
  parameters:
    type: dict
    description: Script parameters.
  depth:
    type: int
    default: 2
    description: Serialisation depth of the output.
"""

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.fake_registry import Registry

MARKER = "# aiohub.claude_desktop: user policy hives"
APP_MARKER = "# aiohub.claude_desktop: installed app"
UNINSTALL = ("HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall",
             "HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall")


def _installed_app(reg, params):
    """The installed-app script (plugins/action/config_facts.py APP_SCRIPT): MSIX packages from the JSON
    registry's "appx" list ({name, version, family}; Get-AppxPackage -AllUsers), then the uninstall entries
    whose DisplayName is one of DisplayNames under HKLM, WOW6432Node and every loaded HKU\\<SID> hive."""
    out = []
    for pkg in reg.data.get("appx") or []:
        if pkg.get("name") in (params.get("Names") or []):
            out.append({"source": "msix", "name": pkg["name"], "version": pkg.get("version", ""), "family": pkg.get("family", "")})
    roots = list(UNINSTALL) + ["HKU\\%s\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall" % sid
                               for sid in sorted({k.split("\\")[1] for k in reg.data["keys"] if k.startswith("hku\\")})]
    for root in roots:
        for sub in reg.subkeys(root):
            values = reg.key(root + "\\" + sub) or {}
            name = (values.get("DisplayName") or {}).get("data")
            if name and name in (params.get("DisplayNames") or []):
                out.append({"source": "uninstall", "name": name, "version": str((values.get("DisplayVersion") or {}).get("data") or ""),
                            "key": root + "\\" + sub})
    return out


def _properties(values):
    out = {}
    for name, entry in values.items():
        kind, data = entry["type"], entry["data"]
        out[name] = {"type": kind, "raw_value": int(data) if kind == "REG_DWORD" else data if kind in ("REG_SZ", "REG_EXPAND_SZ") else None}
    return out


def _depth(value, depth):
    """ConvertTo-Json-like truncation (the module's depth option): an object at nesting level ``depth``
    or deeper (an output item is level 0) is returned as its type name instead of its members."""
    if isinstance(value, dict):
        return {k: _depth(v, depth - 1) for k, v in value.items()} if depth > 0 else "System.Collections.Hashtable"
    if isinstance(value, list):
        return [_depth(v, depth) for v in value]
    return value


def main():
    module = AnsibleModule(argument_spec=dict(script=dict(type="str", required=True), parameters=dict(type="dict", default={}),
                                              depth=dict(type="int", default=2)),
                           supports_check_mode=True)
    script, params = module.params["script"], module.params["parameters"]
    if module.check_mode and "SupportsShouldProcess" not in script:
        # the real module skips a script in check mode unless it declares SupportsShouldProcess
        module.exit_json(changed=False, output=[], error=[], msg="skipped, running in check mode")
    if script.startswith(APP_MARKER):
        with Registry() as reg:
            module.exit_json(changed=False, output=[_depth(i, module.params["depth"]) for i in _installed_app(reg, params)], error=[])
    if not script.startswith(MARKER):
        module.fail_json(msg="the test double only answers the aiohub.claude_desktop user policy hives script")
    key = params["Key"].lower()
    with Registry() as reg:
        reg.record("win_powershell", {"User": params.get("User")})
        reg.save()
        profiles = reg.profiles()
        if params.get("User"):
            sid = reg.data["users"].get(params["User"])
            if not sid:
                module.fail_json(msg='Exception calling "Translate" with "1" argument(s): "Some or all identity references could '
                                     'not be translated."')
            sids = [sid]
        else:
            sids = sorted(s for s in profiles if s.startswith("S-1-5-21-"))
        output = []
        for sid in sids:
            info = profiles.get(sid.upper(), {})
            r = {"sid": sid, "profile": info.get("profile"), "hive": info.get("hive"), "hive_exists": False, "error": None,
                 "loaded": reg.key("HKU\\" + sid) is not None, "exists": False, "properties": {}, "sub_keys": []}
            r["hive_exists"] = bool(r["hive"]) and reg.hive_file(r["hive"]) is not None
            if r["loaded"]:
                values = reg.key("HKU\\%s\\%s" % (sid, key))
                subs = reg.subkeys("HKU\\%s\\%s" % (sid, key))
            elif r["hive_exists"]:
                hive = reg.hive_file(r["hive"])
                values = hive.get(key)
                subs = sorted({k[len(key) + 1:].split("\\")[0] for k in hive if k.startswith(key + "\\")})
            else:
                values, subs = None, []
            if values is not None:
                r.update(exists=True, properties=_properties(values), sub_keys=subs)
            output.append(r)
    module.exit_json(changed=False, output=[_depth(item, module.params["depth"]) for item in output], error=[])


if __name__ == "__main__":
    main()
