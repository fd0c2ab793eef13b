# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Windows policy in the registry, on the controller side: where the key is, what counts as "present" for the app
(spec §1.3), the plan of values to write and delete, what a diff shows, and the small read-only PowerShell scripts
(user hives, a (Default) value's type) that the registry_policy, config_file and config_facts actions send through
ansible.windows.win_powershell. The actions only call these."""

from __future__ import annotations

import json

from ansible_collections.aiohub.claude_desktop.plugins.module_utils.placement import REGISTRY_KEY, registry_path
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import ActionFailure, failure_text
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import encode_managed_value
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import MASK, is_secret_key, mask_config, scrub

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


def owned_record(records, name):
    raw = (records.get(name) or {}).get("raw_value")
    try:
        names = json.loads(raw) if isinstance(raw, str) and raw else []
    except ValueError:
        names = []
    return [n for n in names if isinstance(n, str)] if isinstance(names, list) else []


def raw_value(values, name):
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


def decoded_value(name, data):
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
    value = decoded_value(name, data)
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
