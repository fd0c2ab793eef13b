# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import (
    ActionFailure, ClaudeDesktopAction, failure_text, validate_or_fail)
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._argspecs import CONFIG, SCOPE, STATE, options
from ansible_collections.aiohub.claude_desktop.plugins.module_utils.placement import REGISTRY_KEY, registry_path
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import encode_managed_value, managed_values
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import MASK, is_secret_key, mask_config, scrub, secret_values

ARGS = options(
    CONFIG, STATE, SCOPE, config={"required": False},
    user={"type": "str"},
    clean_user_policy={"type": "bool", "default": False},
    record_path={"type": "str", "default": "HKLM:\\SOFTWARE\\AIOHub\\ClaudeDesktop"},
    record_name={"type": "str", "default": "OwnedPolicyValues"},
)
MACHINE_KEY = registry_path("machine")
# spec §1.3: the app reads the 64-bit view; stray values in the 32-bit view are reported, never used.
WOW64_KEY = "HKLM:\\SOFTWARE\\WOW6432Node\\Policies\\Claude"
# win_regedit loads a hive file here (ansible.windows documents HKLM:\ANSIBLE as the mount point).
LOADED_HIVE_KEY = "HKLM:\\ANSIBLE\\" + REGISTRY_KEY
# Value types that make a policy key "present" for the app (spec §1.3). The app reads REG_SZ and
# REG_DWORD; REG_EXPAND_SZ counts as present but is never read; anything else is invisible to it.
PRESENT_TYPES = ("REG_SZ", "REG_EXPAND_SZ", "REG_DWORD")
REGEDIT = "ansible.windows.win_regedit"
REGSTAT = "ansible.windows.win_reg_stat"
POWERSHELL = "ansible.windows.win_powershell"

# Every user's policy key (or one account's) with the profile folder ProfileList names for the SID,
# read from the loaded hive (HKU\<SID>) or, for a user who is not logged on, from the NTUSER.DAT in
# that folder, loaded under HKU\AIOHub_<SID> and unloaded again. One object per user; a failure is that
# user's ``error`` and the others go on (the script never stops the host). Rules it keeps:
# - Windows PowerShell 5.1 (what win_powershell runs in-process) turns the first stderr line of a native
#   command whose stream 2 is redirected into a terminating NativeCommandError while
#   $ErrorActionPreference is Stop (changed only in PowerShell 7.2, PSNotApplyErrorActionToStderr):
#   reg.exe runs in Invoke-Reg, whose own preference is Continue, and its exit code decides.
# - SupportsShouldProcess: win_powershell runs the script in check mode (win_powershell.ps1:686-693) with
#   -WhatIf (941); ShouldProcess is then false and no hive is loaded. Load=$false (the audit, user config)
#   never loads one.
# - User may be DOMAIN\user, a UPN, a local name or a SID (the SID needs no domain controller).
# - ProfileList keys of local/domain (S-1-5-21-) and Entra ID (S-1-12-1-) users; "<SID>.bak" keys are not users.
# - Constrained Language Mode (WDAC) blocks the .NET calls used here: the script says so and stops.
# Implicit concatenation only keeps lines within 160 columns: the text (and its SHA-256, which the test double checks) is one script.
USER_HIVES_SCRIPT = (
    r"""# aiohub.claude_desktop: user policy hives v2
[CmdletBinding(SupportsShouldProcess)]
param([string]$User = '', [string]$Key, [bool]$Load = $true)
$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false
if ($ExecutionContext.SessionState.LanguageMode -ne 'FullLanguage') {
    throw "Windows PowerShell runs in $($ExecutionContext.SessionState.LanguageMode) mode here (WDAC or AppLocker): """
    r"""user profiles and hives cannot be read. Deploy machine policy (HKLM), or allow FullLanguage for the deploying account."
}
$list = 'SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList'
$kinds = @{ String = 'REG_SZ'; ExpandString = 'REG_EXPAND_SZ'; DWord = 'REG_DWORD'; QWord = 'REG_QWORD'
            MultiString = 'REG_MULTI_SZ'; Binary = 'REG_BINARY'; None = 'REG_NONE' }
function Invoke-Reg {
    $ErrorActionPreference = 'Continue'
    $text = & reg.exe @args 2>&1 | ForEach-Object { "$_" }
    [pscustomobject]@{ code = $LASTEXITCODE; text = (($text | Where-Object { $_ }) -join ' ').Trim() }
}
function Read-Key([string]$Root, $R) {
    $k = [Microsoft.Win32.Registry]::Users.OpenSubKey("$Root\$Key")
    if (-not $k) { return }
    try {
        $R.exists = $true
        $R.sub_keys = @($k.GetSubKeyNames())
        foreach ($n in $k.GetValueNames()) {
            try { $kind = $k.GetValueKind($n).ToString() } catch { $kind = 'String' }
            $v = $null
            if ($kind -in 'String', 'ExpandString') { $v = [string]$k.GetValue($n, $null, 'DoNotExpandEnvironmentNames') }
            elseif ($kind -eq 'DWord') { $v = [UInt32]('0x{0:x}' -f $k.GetValue($n)) }
            $R.properties[$n] = @{ type = $kinds[$kind]; raw_value = $v }
        }
    } finally { $k.Dispose() }
}
if ($User -match '^S-1-[0-9]+(-[0-9]+)+$') {
    $targets = @(@{ user = $User; sid = $User.ToUpper(); error = $null })
} elseif ($User) {
    try {
        $sid = (New-Object System.Security.Principal.NTAccount($User)).Translate([System.Security.Principal.SecurityIdentifier]).Value
        $targets = @(@{ user = $User; sid = $sid; error = $null })
    } catch {
        $targets = @(@{ user = $User; sid = $null; error = "the account $User cannot be translated to a SID """
    r"""($($_.Exception.InnerException.Message)); off the domain network a domain account cannot be looked up: give its SID instead" })
    }
} else {
    $targets = @(Get-ChildItem -LiteralPath "HKLM:\$list" | ForEach-Object { $_.PSChildName } |
        Where-Object { $_ -match '^S-1-(5-21|12-1)-[0-9-]+$' } | ForEach-Object { @{ user = ''; sid = $_; error = $null } })
}
foreach ($t in $targets) {
    $r = @{ user = $t.user; sid = $t.sid; profile = $null; profile_exists = $false; hive = $null; hive_exists = $false; loaded = $false
            exists = $false; properties = @{}; sub_keys = @(); error = $t.error; skipped = $null }
    if ($t.sid) {
        try {
            $sid = $t.sid
            $r.loaded = [bool](Test-Path -LiteralPath "Registry::HKEY_USERS\$sid")
            $p = [Microsoft.Win32.Registry]::LocalMachine.OpenSubKey("$list\$sid")
            if ($p) { $r.profile = [string]$p.GetValue('ProfileImagePath'); $p.Dispose() }
            if ($r.profile) {
                $r.profile_exists = [bool](Test-Path -LiteralPath $r.profile -PathType Container)
                $r.hive = [IO.Path]::Combine($r.profile, 'NTUSER.DAT')
                $r.hive_exists = [bool](Test-Path -LiteralPath $r.hive -PathType Leaf)
            }
            if ($r.loaded) { Read-Key $sid $r }
            elseif (-not $r.hive_exists) { }
            elseif (-not $Load) { $r.skipped = 'not logged on: the hive was not loaded' }
            elseif (-not $PSCmdlet.ShouldProcess($r.hive, 'load the user hive to read it')) { $r.skipped = 'not logged on: no hive is loaded in check mode' }
            else {
                $mount = "AIOHub_$sid"
                if (-not (Test-Path -LiteralPath "Registry::HKEY_USERS\$mount")) {
                    $res = Invoke-Reg load "HKU\$mount" $r.hive
                    if ($res.code -ne 0) { $r.error = "reg load of $($r.hive) failed ($($res.code)): $($res.text)"; $mount = $null }
                }
                if ($mount) {
                    try { Read-Key $mount $r }
                    finally {
                        [GC]::Collect(); [GC]::WaitForPendingFinalizers()
                        $res = Invoke-Reg unload "HKU\$mount"
                        if ($res.code -ne 0) { $r.error = "reg unload of HKU\$mount failed """
    r"""($($res.code)): $($res.text); it stays loaded until the next run or a restart" }
                    }
                }
            }
        } catch { $r.error = "$($_.Exception.Message)" }
    }
    [pscustomobject]$r
}
""")

# The registry type of a key's set (Default) value. win_reg_stat never asks it: a set (Default) is typed REG_SZ
# whatever it holds (win_reg_stat.ps1:32-35), and its data is what RegistryKey.GetValue returns (24), because the
# unsigned conversions of 47-55 follow the REG_SZ type: a string for REG_SZ/REG_EXPAND_SZ, an Int32 for REG_DWORD,
# an Int64 for REG_QWORD, a list for REG_MULTI_SZ/REG_BINARY. An integer outside the Int32 range is therefore a
# QWORD, but one inside it is a REG_DWORD (present for the app, spec §1.3) or a REG_QWORD (invisible, same section).
# Only then is this script run. It asks the kind as win_regedit does for the (Default): GetValueKind($null),
# win_regedit.ps1:309, with the name "" turned into $null at 371-373. It declares ShouldProcess, so it also runs in
# check mode (win_powershell.ps1:686-693). It reads only and writes nothing.
DEFAULT_KIND_SCRIPT = r"""# aiohub.claude_desktop: registry type of a policy key's (Default) value v1
[CmdletBinding(SupportsShouldProcess)]
param([string]$Key)
$ErrorActionPreference = 'Stop'
$Ansible.Changed = $false
$k = [Microsoft.Win32.Registry]::LocalMachine.OpenSubKey($Key)
if ($k) {
    try { if ($null -ne $k.GetValue($null)) { $k.GetValueKind($null).ToString() } } finally { $k.Dispose() }
}
"""
DOTNET_KINDS = {"String": "REG_SZ", "ExpandString": "REG_EXPAND_SZ", "DWord": "REG_DWORD", "QWord": "REG_QWORD",
                "MultiString": "REG_MULTI_SZ", "Binary": "REG_BINARY", "None": "REG_NONE"}
INT32 = (-2 ** 31, 2 ** 31 - 1)


def default_kind_unknown(properties):
    """True when win_reg_stat's report of a set (Default) does not tell whether the app reads it: an integer in the
    Int32 range, still typed REG_SZ (a REG_DWORD or a REG_QWORD; see DEFAULT_KIND_SCRIPT)."""
    entry = (properties or {}).get("") or {}
    raw = entry.get("raw_value")
    return (entry.get("type") == "REG_SZ" and isinstance(raw, int) and not isinstance(raw, bool)
            and INT32[0] <= raw <= INT32[1] and not entry.get("kind_error"))


def resolve_default_kind(run_powershell, path, properties):
    """The win_reg_stat properties of ``path`` with the (Default)'s real type when win_reg_stat leaves it open.

    ``run_powershell(args)`` runs win_powershell and returns its result. An HKLM key only (the machine policy key,
    the one whose presence decides, spec §1.3); when the type cannot be read (Constrained Language Mode, an error),
    the entry keeps REG_SZ and carries ``kind_error``: presence() then counts it, as a REG_DWORD would count."""
    if not default_kind_unknown(properties):
        return properties
    out = dict(properties)
    prefix = "HKLM:\\"
    if not path.upper().startswith(prefix):
        out[""] = dict(out[""], kind_error="only an HKLM key's (Default) type is read")
        return out
    res = run_powershell({"script": DEFAULT_KIND_SCRIPT, "parameters": {"Key": path[len(prefix):]}})
    kinds = [o for o in res.get("output") or [] if isinstance(o, str)]
    if res.get("failed") or not kinds:
        out[""] = dict(out[""], kind_error=failure_text(res) if res.get("failed") else "the value is gone")
    else:
        out[""] = dict(out[""], type=DOTNET_KINDS.get(kinds[0], "Unknown - %s" % kinds[0]))
    return out


class ActionModule(ClaudeDesktopAction):
    """Write Claude Desktop policy as REG_SZ values with stock ansible.windows modules, secrets masked."""

    ARGUMENT_SPEC = ARGS
    LAYERED_CONFIG = True

    def execute(self, params, result):
        warnings = []
        if params["state"] == "present":
            validated = validate_or_fail(params, self.host, registry=True, target_os="windows")  # a Windows host (issue 22: its path rules)
            warnings.extend(validated.masked_warnings())
            desired = managed_values(validated.config)
        else:
            desired = {}
        records = self._read_key(params["record_path"])[0]
        self._cleaned = False

        if params["scope"] == "user":
            if not params["user"]:
                raise ActionFailure("scope=user needs user (the account whose policy to write, e.g. CORP\\alice)")
            found = self._user_hives(params["user"])
            hive_info = found[0] if found else {"sid": None, "error": "no such account"}
            if not hive_info.get("sid"):
                raise ActionFailure("%s: %s" % (params["user"], hive_info.get("error")))
            sid = hive_info["sid"]
            record_name = "%s-%s" % (params["record_name"], sid)
            target, path, current, sub_keys = user_target(hive_info, params["user"])
            if params["state"] == "present":
                present = presence(self._machine_key()[0])
                if present:
                    raise ActionFailure(
                        "HKLM\\%s already holds policy: %s. Since Claude Desktop 1.19367.0 the app then ignores user policy "
                        "entirely, so this user-scope deployment would have no effect. Deploy everything to one hive: keep "
                        "scope machine, or first clear the machine key (scope machine, state absent; remove what other tools "
                        "wrote there)." % (REGISTRY_KEY, "; ".join(present)))
        else:
            record_name, path = params["record_name"], MACHINE_KEY
            target = {"path": path}
            current, sub_keys = self._machine_key()
        owned = set(_record(records, record_name))

        plan = plan_changes(desired, current, owned, warnings)
        if sub_keys:
            warnings.append("%s has sub-key(s) %s: the app never reads values in sub-keys (they are neither applied nor "
                            "counted as policy present); they were left as is" % (path, ", ".join(sorted(sub_keys))))
        changed_values = []
        if self._task.check_mode and target.get("hive"):
            # win_regedit loads the hive file on every call, check mode included (win_regedit.ps1:480-511):
            # in check mode nothing is loaded, and the values the user's hive holds were not read
            changed_values = sorted(plan["set"]) + sorted(plan["remove"])
            warnings.append("%s is not logged on: check mode reads and loads no hive, so every value is reported as to be written"
                            % params["user"])
            plan = {"set": [], "remove": []}
        for name in plan["set"]:
            if self._regedit(dict(target, name=name, data=desired[name], type="string")):
                changed_values.append(name)
        for name in plan["remove"]:
            if self._regedit(dict(target, name=name, state="absent")):
                changed_values.append(name)
        record_changed = sorted(owned) != sorted(desired)
        if record_changed:
            self._write_record(params["record_path"], record_name, sorted(desired))

        after_values = apply_plan(current, desired, plan)
        if params["scope"] == "machine":
            strays = self._read_key(WOW64_KEY)[0]
            if strays:
                warnings.append("%s holds values (%s): SOFTWARE\\Policies is shared between the 32- and 64-bit views, so these were "
                                "written there directly (some ADMX ingestion paths do, spec §1.3) and the app may not read them; they were "
                                "left as is. Check with: reg query "
                                "HKLM\\SOFTWARE\\Policies\\Claude" % (WOW64_KEY, ", ".join(sorted(n or "(Default)" for n in strays))))
            left = presence(after_values)
            result["machine_policy_present"] = left
            if params["state"] == "absent" and left:
                warnings.append("HKLM\\%s is still \"present\" for the app after removal (%s): values this collection does not "
                                "own were left, and while they are there the app ignores every user's policy"
                                % (REGISTRY_KEY, "; ".join(left)))
            result["user_policy"] = self._user_leftovers(params, records, desired, bool(left), warnings, changed_values)

        secrets = secret_values(dict((n, _decoded(n, d)) for n, d in desired.items()))
        secrets = sorted(set(secrets) | set(secret_values(dict((n, _decoded(n, _raw(current, n))) for n in current))),
                         key=len, reverse=True)
        before = [shown(n, _raw(current, n), secrets) for n in sorted(current) if n in desired or n in plan["remove"]]
        after = [shown(n, d, secrets) for n, d in sorted(desired.items())]
        result.update(changed=bool(changed_values) or record_changed or self._cleaned, changed_values=sorted(changed_values),
                      owned=sorted(desired), path=path, warnings=scrub(warnings, secrets))
        if changed_values and self._task.diff:
            result["diff"] = {"before_header": path + " (secrets masked)", "after_header": path + " (secrets masked)",
                              "before": "".join(line + "\n" for line in before), "after": "".join(line + "\n" for line in after)}

    # ------------------------------------------------------------------ user hives
    def _user_hives(self, user=""):
        res = self._run_module(POWERSHELL, {"script": USER_HIVES_SCRIPT, "parameters": {"User": user, "Key": REGISTRY_KEY},
                                            "depth": 5},
                               "read the policy key of %s" % (user or "every user's hive"))
        return [o for o in res.get("output") or [] if isinstance(o, dict) and o.get("sid")]

    def _user_leftovers(self, params, records, desired, machine_present, warnings, changed_values):
        """Machine scope: report per-user policy (spec §1.3: one hive), and clean the collection's own on request."""
        report = []
        for info in self._user_hives():
            sid, values = info["sid"], info.get("properties") or {}
            recorded = set(_record(records, "%s-%s" % (params["record_name"], sid)))
            if info.get("error"):
                warnings.append("cannot read the hive of %s (%s): %s" % (sid, info.get("hive"), info["error"]))
            if info.get("skipped") and recorded:
                warnings.append("the hive of %s (%s) was not read: %s" % (sid, info.get("hive"), info["skipped"]))
            if not values and not recorded:
                continue
            ours = sorted(n for n in recorded if n in values)
            foreign = sorted(n for n in values if n not in recorded)
            entry = {"sid": sid, "profile": info.get("profile"), "loaded": bool(info.get("loaded")), "values": sorted(values),
                     "owned": ours, "removed": []}
            remaining = sorted(values)
            if params["clean_user_policy"] and recorded:
                try:
                    target = user_target(info, sid)[0]
                except ActionFailure as exc:
                    warnings.append("cannot clean the collection's user policy: %s" % exc)
                    target = None
                if target is not None:
                    for name in ours:
                        if self._regedit(dict(target, name=name, state="absent")):
                            entry["removed"].append(name)
                            changed_values.append("%s:%s" % (sid, name))
                    self._write_record(params["record_path"], "%s-%s" % (params["record_name"], sid), [])
                    self._cleaned = True
                    remaining = foreign
            if remaining:
                where = "the hive of %s (%s)" % (sid, info.get("profile") or "no profile folder")
                if params["state"] == "present" or machine_present:
                    msg = "user policy left in %s: %s; the app ignores it while machine policy is present" % (where, ", ".join(remaining))
                else:
                    msg = ("user policy in %s: %s; with HKLM\\%s empty, the app now reads it"
                           % (where, ", ".join(remaining), REGISTRY_KEY))
                if ours and remaining != foreign:
                    msg += " (%s written by this collection: set clean_user_policy to remove them)" % ", ".join(ours)
                warnings.append(msg)
            report.append(entry)
        return report

    # ------------------------------------------------------------------ registry helpers
    def _read_key(self, path):
        res = self._run_module(REGSTAT, {"path": path}, "read %s" % path)
        if not res.get("exists"):
            return {}, []
        return res.get("properties") or {}, res.get("sub_keys") or []

    def _machine_key(self):
        """HKLM's policy key (win_reg_stat), with the real type of a (Default) win_reg_stat cannot type."""
        props, sub_keys = self._read_key(MACHINE_KEY)
        return resolve_default_kind(self._powershell, MACHINE_KEY, props), sub_keys

    def _powershell(self, args):
        return self._execute_module(module_name=POWERSHELL, module_args=args, task_vars=self.task_vars)

    def _write_record(self, record_path, record_name, names):
        args = {"path": record_path, "name": record_name}
        if names:
            args.update(data=json.dumps(sorted(names)), type="string")
        else:
            args.update(state="absent")
        self._regedit(args)

    def _regedit(self, args):
        return bool(self._run_module(REGEDIT, args, "write registry value %s under %s" % (args["name"], args["path"])).get("changed"))


def _record(records, name):
    raw = (records.get(name) or {}).get("raw_value")
    try:
        names = json.loads(raw) if isinstance(raw, str) and raw else []
    except ValueError:
        names = []
    return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []


def _raw(values, name):
    return (values.get(name) or {}).get("raw_value")


def user_target(info, account):
    """(win_regedit target args, printable path, current values, sub-keys) for one user's hive."""
    sid = info["sid"]
    if info.get("loaded"):
        path = "HKU:\\%s\\%s" % (sid, REGISTRY_KEY)
        target = {"path": path}
    else:
        if not info.get("profile"):
            raise ActionFailure("%s (%s) has no profile on this host (no ProfileList entry): the user's hive exists only after "
                                "a first logon; write machine policy instead, or run again after the user has logged on"
                                % (account, sid))
        if not info.get("hive_exists"):
            raise ActionFailure("the hive of %s (%s) is not at %s (ProfileList ProfileImagePath); it cannot be loaded"
                                % (account, sid, info.get("hive")))
        if info.get("error"):
            raise ActionFailure("cannot read the hive of %s at %s: %s" % (account, info.get("hive"), info["error"]))
        path = LOADED_HIVE_KEY
        target = {"path": path, "hive": info["hive"]}
    return target, path, info.get("properties") or {}, info.get("sub_keys") or []


def presence(properties):
    """What makes a policy key "present" for the app (spec §1.3), one description per value; [] if nothing.

    Any REG_SZ, REG_EXPAND_SZ or REG_DWORD value directly under the key counts, an empty string
    included, and the unnamed (Default) value whenever it is set; REG_QWORD, REG_MULTI_SZ and
    REG_BINARY are invisible to the app, the (Default) included. win_reg_stat reports a set (Default)
    as REG_SZ whatever its type (win_reg_stat.ps1:32-35), with its data as stored: a list for
    REG_MULTI_SZ or REG_BINARY, an integer outside the Int32 range only for a REG_QWORD, and an integer
    inside it for a REG_DWORD or a REG_QWORD. resolve_default_kind() puts in the real type; left
    unresolved (``kind_error``), such a (Default) counts, as the REG_DWORD it may be would. The user
    hives script types every value, the (Default) included (GetValueKind).
    """
    found = []
    for name, info in sorted((properties or {}).items()):
        info = info or {}
        kind, raw = info.get("type"), info.get("raw_value")
        if kind not in PRESENT_TYPES:
            continue
        if name == "" and kind == "REG_SZ" and (isinstance(raw, list) or (isinstance(raw, int) and not INT32[0] <= raw <= INT32[1])):
            continue  # a REG_MULTI_SZ/REG_BINARY, or a REG_QWORD, as win_reg_stat reports a (Default)
        label = "(Default)" if name == "" else name
        if kind == "REG_EXPAND_SZ":
            what = "REG_EXPAND_SZ, never read by the app but counted as present"
        elif kind == "REG_DWORD" or isinstance(raw, int):
            what = "REG_DWORD"
            if kind != "REG_DWORD":
                what = "a number, REG_DWORD or REG_QWORD: its type could not be read (%s), so it is counted as a REG_DWORD" % (
                    info.get("kind_error") or "win_reg_stat reports every (Default) as REG_SZ")
        elif raw in (None, ""):
            what = "an empty string"
        else:
            what = "set" if name == "" else kind
        found.append("%s (%s)" % (label, what))
    return found


def apply_plan(current, desired, plan):
    """The key's values after the plan ran (win_reg_stat shape)."""
    after = {n: v for n, v in current.items() if n not in plan["remove"]}
    for name in plan["set"]:
        for old in [n for n in after if n.lower() == name.lower()]:
            del after[old]
        after[name] = {"type": "REG_SZ", "raw_value": desired[name]}
    return after


def _decoded(name, data):
    """A registry string as the value it encodes (JSON for arrays and objects), for structural masking."""
    if isinstance(data, str) and data[:1] in ("[", "{"):
        try:
            return json.loads(data)
        except ValueError:
            return data
    return data


def shown(name, data, secrets):
    """``name = value`` for the diff with every secret masked, nested ones included (before and after side)."""
    if is_secret_key(name):
        return "%s = %s" % (name, MASK)
    value = _decoded(name, data)
    if isinstance(value, (list, dict)):
        text = encode_managed_value(mask_config({name: value})[name])
    else:
        text = "" if data is None else str(data)
    return "%s = %s" % (name, scrub(text, secrets))


def plan_changes(desired, current, owned, warnings):
    """Which values to write and which owned values to delete; warnings for what is left alone.

    Only values named in the ownership record are ever deleted: a value another tool wrote, even
    a documented key, stays where it is and is reported.
    """
    # registry value names are case-insensitive (the app, RegQueryValueEx and win_regedit match them so)
    stored = {n.lower(): n for n in current}
    wanted = {n.lower() for n in desired}

    def now(name):
        return current.get(stored.get(name.lower(), name)) or {}

    to_set = [name for name, data in desired.items() if now(name).get("type") != "REG_SZ" or now(name).get("raw_value") != data]
    to_remove = sorted(stored[name.lower()] for name in owned if name and name.lower() not in wanted and name.lower() in stored)
    for name, info in sorted(current.items()):
        kind = (info or {}).get("type")
        if name == "":
            warnings.append("the key's (Default) value is set: the app counts it as policy present; it was left as is")
        elif name.lower() in wanted or name in to_remove:
            continue
        elif kind not in ("REG_SZ", "REG_DWORD"):
            warnings.append("%s is a %s value, which the app cannot read; it was left as is" % (name, kind))
        else:
            warnings.append("%s is set under the policy key but not by this collection; it was left as is" % name)
    return {"set": to_set, "remove": to_remove}
