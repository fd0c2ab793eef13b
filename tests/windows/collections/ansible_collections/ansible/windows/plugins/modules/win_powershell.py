# -*- coding: utf-8 -*-
# TEST DOUBLE of ansible.windows.win_powershell (ansible.windows 3.7.0 at a1e2a842, plugins/modules/win_powershell.ps1).
#
# It runs ONLY the scripts it models, recognised by the SHA-256 of their text (MODELS): a script that changes
# is refused until its model here is reviewed against the new text. What it keeps of the real module:
# - check mode: a script without [CmdletBinding(SupportsShouldProcess)] (the regex of :686) is not run:
#   changed=true, msg "skipped, running in check mode", output [] (:690-693). One that declares it runs
#   with -WhatIf (:941), so $PSCmdlet.ShouldProcess() is false.
# - a terminating error (EAP Stop, throw) sets failed=true and NO msg (:950-959); the record is in error[].
# - the script's own $ErrorActionPreference applies (:776-783). Windows PowerShell 5.1 runs in-process:
#   a native command whose stream 2 is redirected turns its first stderr line into a terminating
#   NativeCommandError while that preference is Stop (PowerShell/PowerShell#3996; only 7.2 changed it,
#   PSNotApplyErrorActionToStderr). native_stderr_terminates() reads that off the script text.
# - output objects are serialised to `depth` (:1017, default 2); deeper members become their type name.
# - Constrained Language Mode (registry "language_mode"), as under WDAC: .NET method calls and
#   New-Object of non-core types fail with a terminating error.
from __future__ import annotations

DOCUMENTATION = r"""
module: win_powershell
short_description: TEST DOUBLE of ansible.windows.win_powershell
description: Runs the PowerShell scripts of aiohub.claude_desktop it models, against the fake registry (tests only).
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

import hashlib
import re

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.fake_fs import Volume
from ansible_collections.ansible.windows.plugins.module_utils.fake_registry import Registry

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


SHOULD_PROCESS = re.compile(r"\[CmdletBinding\((?:[\w=\$]+,\s*)?SupportsShouldProcess(?:=\$true)?(?:,\s*[\w=\$]+)?\)\]")
CLM_ERROR = "Cannot invoke method. Method invocation is supported only on core types in this language mode."


class Terminating(Exception):
    """A terminating error inside the script (what lands in error[])."""


def native_stderr_terminates(script, command="reg.exe"):
    """True when a call of ``command`` with stream 2 redirected runs while $ErrorActionPreference is Stop.

    The preference in effect is the last assignment before the call inside the innermost function that
    holds it, else the script-level one (preference variables are scoped to functions)."""
    lines = script.splitlines()
    for i, line in enumerate(lines):
        if "& " + command not in line or not re.search(r"2>", line):
            continue
        depth, start = 0, 0
        for j in range(i, -1, -1):  # the innermost enclosing function
            depth += lines[j].count("}") - lines[j].count("{") if j != i else 0
            if depth < 0 and re.match(r"\s*function\s", lines[j]):
                start = j
                break
        scope = lines[start:i + 1] if start else [ln for ln in lines[:i + 1] if not ln.startswith((" ", "\t"))] + [line]
        prefs = [m.group(1) for ln in scope for m in [re.search(r"\$ErrorActionPreference\s*=\s*'(\w+)'", ln)] if m]
        if start and not prefs:
            prefs = [m.group(1) for ln in lines[:start] for m in [re.search(r"^\$ErrorActionPreference\s*=\s*'(\w+)'", ln)] if m]
        if prefs and prefs[-1].lower() == "stop":
            return True
    return False


def _properties(values):
    out = {}
    for name, entry in values.items():
        kind, data = entry["type"], entry["data"]
        out[name] = {"type": kind, "raw_value": int(data) if kind == "REG_DWORD" else data if kind in ("REG_SZ", "REG_EXPAND_SZ") else None}
    return out


def _depth(value, depth):
    """ConvertTo-Json-like truncation: an object at nesting level ``depth`` or deeper (an output item is
    level 0) is returned as its type name instead of its members."""
    if isinstance(value, dict):
        return {k: _depth(v, depth - 1) for k, v in value.items()} if depth > 0 else "System.Collections.Hashtable"
    if isinstance(value, list):
        return [_depth(v, depth) for v in value]
    return value


def _translate(reg, user):
    """NTAccount.Translate: DOMAIN\\user, a UPN or a local name -> SID; a domain name fails off the domain network."""
    accounts = {k.lower(): v for k, v in reg.data["users"].items()}
    offline = reg.data.get("domain_unreachable")
    name = user.lower()
    sid = accounts.get(name)
    if sid is None and "\\" not in name and "@" not in name:
        sid = next((s for a, s in accounts.items() if a.split("\\")[-1] == name), None)
    domain_account = "@" in name or ("\\" in name and name.split("\\")[0] not in ("", ".", reg.data.get("computer", "win-double").lower()))
    if sid is None or (offline and domain_account and not sid.startswith("S-1-12-1-")):
        raise Terminating('Exception calling "Translate" with "1" argument(s): "Some or all identity references could not be translated."')
    return sid


def _read_key(reg, values_source, key, r):
    values, subs = values_source
    if values is not None:
        r.update(exists=True, properties=_properties(values), sub_keys=subs)


def _loaded_key(reg, root, key):
    return reg.key("HKU\\%s\\%s" % (root, key)), reg.subkeys("HKU\\%s\\%s" % (root, key))


def _hive_key(hive, key):
    return hive.get(key), sorted({k[len(key) + 1:].split("\\")[0] for k in hive if k.startswith(key + "\\")})


def _reg_exe(reg, verb, mount, hive=None):
    """reg.exe load|unload HKU\\<mount> [file]: (exit code, stderr text)."""
    mounts = reg.data.setdefault("mounts", {})
    if verb == "load":
        reg.data.setdefault("hive_loads", []).append(hive)
        problem = reg.hive_problem(hive) if reg.hive_file(hive) is not None else "ERROR: The system cannot find the file specified."
        if problem:
            return 1, problem
        mounts[mount.lower()] = hive
        return 0, ""
    if mount.lower() in [s.lower() for s in reg.data.get("unload_fails") or []]:
        return 1, "ERROR: Access is denied."
    mounts.pop(mount.lower(), None)
    return 0, ""


def user_hives(module, reg, params, version):
    """The aiohub.claude_desktop user policy hives script, v1 (1b99750) or v2, statement by statement."""
    clm = reg.data.get("language_mode", "FullLanguage") != "FullLanguage"
    if clm and version == 2:
        raise Terminating("Windows PowerShell runs in %s mode here (WDAC or AppLocker): user profiles and hives cannot be read. Deploy "
                          "machine policy (HKLM), or allow FullLanguage for the deploying account." % reg.data["language_mode"])
    stops_on_stderr = native_stderr_terminates(module.params["script"])
    key = params["Key"].lower()
    user = params.get("User") or ""
    load = params.get("Load", True) not in (False, "false", "False", 0)
    what_if = module.check_mode  # -WhatIf:$CheckMode (win_powershell.ps1:941)
    profiles = reg.profiles()
    if version == 2 and re.match(r"^S-1-[0-9]+(-[0-9]+)+$", user):
        targets = [(user, user.upper(), None)]
    elif user:
        if clm:
            raise Terminating(CLM_ERROR)
        try:
            targets = [(user, _translate(reg, user), None)]
        except Terminating as exc:
            if version == 1:
                raise
            targets = [(user, None, "the account %s cannot be translated to a SID (Some or all identity references could not be "
                                    "translated.); off the domain network a domain account cannot be looked up: give its SID instead" % user)]
    else:
        pattern = r"^S-1-5-21-" if version == 1 else r"^S-1-(5-21|12-1)-[0-9-]+$"  # v1: -like 'S-1-5-21-*' takes .bak keys too
        targets = [("", s, None) for s in sorted(profiles) if re.match(pattern, s, re.I)]
    output = []
    with Volume() as vol:
        for account, sid, error in targets:
            r = {"sid": sid, "profile": None, "hive": None, "hive_exists": False, "error": error, "loaded": False,
                 "exists": False, "properties": {}, "sub_keys": []}
            if version == 2:
                r.update(user=account, profile_exists=False, skipped=None)
            if sid is None:
                output.append(r)
                continue
            if clm:
                raise Terminating(CLM_ERROR)
            info = profiles.get(sid.upper(), {})
            r["loaded"] = reg.key("HKU\\" + sid) is not None
            r["profile"] = info.get("profile")
            if r["profile"]:
                r["hive"] = info["hive"]
                r["hive_exists"] = reg.hive_file(r["hive"]) is not None
                if version == 2:
                    try:
                        r["profile_exists"] = vol.visible(r["profile"])
                    except ValueError:  # a drive letter that is gone
                        r["profile_exists"] = False
            if r["loaded"]:
                _read_key(reg, _loaded_key(reg, sid, key), key, r)
            elif r["hive_exists"]:
                if version == 2 and not load:
                    r["skipped"] = "not logged on: the hive was not loaded"
                    output.append(r)
                    continue
                if version == 2 and what_if:
                    r["skipped"] = "not logged on: no hive is loaded in check mode"
                    output.append(r)
                    continue
                mount = "AIOHub_" + sid
                stale = reg.mount(mount) is not None and version == 2
                if not stale:
                    code, text = _reg_exe(reg, "load", mount, r["hive"])
                    if code and stops_on_stderr:
                        raise Terminating(text)  # v1: "$null = & reg.exe load ... 2>&1" under Stop
                    if code:
                        r["error"] = ("reg load of %s failed (%d): %s" % (r["hive"], code, text) if version == 2
                                      else "reg load %s failed (%d)" % (r["hive"], code))
                        mount = None
                if mount:
                    _read_key(reg, _hive_key(reg.hive_file(reg.mount(mount)), key), key, r)
                    code, text = _reg_exe(reg, "unload", mount)
                    if code and stops_on_stderr:
                        raise Terminating(text)
                    if code:
                        r["error"] = ("reg unload of HKU\\%s failed (%d): %s; it stays loaded until the next run or a restart"
                                      % (mount, code, text))
            output.append(r)
    return output


DOTNET_KINDS = {"REG_SZ": "String", "REG_EXPAND_SZ": "ExpandString", "REG_DWORD": "DWord", "REG_QWORD": "QWord",
                "REG_MULTI_SZ": "MultiString", "REG_BINARY": "Binary", "REG_NONE": "None"}


def default_kind(module, reg, params, version):
    """plugins/action/registry_policy.py DEFAULT_KIND_SCRIPT: the RegistryValueKind name of HKLM\\<Key>'s set (Default)
    (GetValueKind($null), as win_regedit.ps1:309 reads it), nothing when the key or its (Default) is not there.
    [Microsoft.Win32.Registry] method calls are blocked in Constrained Language Mode (a terminating error)."""
    if reg.data.get("language_mode", "FullLanguage") != "FullLanguage":
        raise Terminating(CLM_ERROR)
    values = reg.key("HKLM\\" + params["Key"])
    if values is None or "" not in values:
        return []
    return [DOTNET_KINDS.get(values[""]["type"], values[""]["type"])]


def installed_app(module, reg, params, version):
    return _installed_app(reg, params)


def processes(module, reg, params, version):
    return [dict(p) for p in reg.data.get("processes") or []]


# SHA-256 of each script text -> (model, version). v1 is the script of 1b99750, kept to show what it did.
MODELS = {
    "9c64874ec511682ab639dbd7406395da6641f8595068cb04d3e9399ab0886c79": (user_hives, 1),
    "fdfbd9f8fcb4908ad8d2b674ad69e0c9afaf713278cf239cb00d83084f6cc948": (user_hives, 2),
    "b63bf55bca01769a06e9f3db09613b52932d92d4c692f3c5cf82ca38d7a207e5": (processes, 1),
    # plugins/action/registry_policy.py DEFAULT_KIND_SCRIPT
    "74a1f38df2153b9f0868187715c4cd03b319c5d4ecad73b59bc5e5d9194e7052": (default_kind, 1),
    # plugins/action/config_facts.py APP_SCRIPT (issue 24)
    "f30c70a57438998f3589166c87a0637641601b8eced933b102e1ad93d9ab44b9": (installed_app, 1),
}


def main():
    module = AnsibleModule(argument_spec=dict(script=dict(type="str", required=True), parameters=dict(type="dict", default={}),
                                              depth=dict(type="int", default=2)),
                           supports_check_mode=True)
    script, params = module.params["script"], module.params["parameters"]
    digest = hashlib.sha256(script.encode("utf-8")).hexdigest()
    if module.check_mode and not SHOULD_PROCESS.search(script):
        module.exit_json(changed=True, output=[], error=[], msg="skipped, running in check mode")
    if digest not in MODELS:
        module.fail_json(msg="the test double does not model this script (sha256 %s); review its model in "
                             "tests/windows/.../win_powershell.py against the new text" % digest)
    model, version = MODELS[digest]
    with Registry() as reg:
        reg.record("win_powershell", {"User": params.get("User"), "check_mode": module.check_mode})
        try:
            output = model(module, reg, params, version)
        except Terminating as exc:
            reg.save()
            record = {"output": "%s\nAt line:1 char:1" % exc, "exception": {"message": str(exc), "type": "System.Management.Automation.RuntimeException"},
                      "fully_qualified_error_id": "NativeCommandError" if str(exc).startswith("ERROR:") else "RuntimeException",
                      "category_info": {"category": "NotSpecified"}}
            module.exit_json(changed=False, failed=True, output=[], error=[record], warning=[], verbose=[], debug=[], information=[])
        reg.save()
    module.exit_json(changed=False, output=[_depth(item, module.params["depth"]) for item in output], error=[])


if __name__ == "__main__":
    main()
