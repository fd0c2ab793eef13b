"""The rebuilt double enforces what Windows enforces (issue 20). One test per behaviour, each citing the
real ansible.windows 3.7.0 module (a1e2a842) it models; run module by module, as Ansible runs them."""

from __future__ import annotations

import re
import subprocess

from conftest import PROFILE_LIST
from test_double import module

SID = "S-1-5-21-1-2-3-1001"
ENTRA = "S-1-12-1-111-222-333-444"
LOCAL = "C:\\Users\\alice\\AppData\\Local\\Claude-3p"
ADMINS, SYSTEM = "S-1-5-32-544", "S-1-5-18"


def _old_script():
    text = subprocess.run(["git", "show", "1b99750:plugins/action/registry_policy.py"], capture_output=True, text=True, check=True).stdout
    return re.search(r'USER_HIVES_SCRIPT = r"""(.*?)"""', text, re.S).group(1)


def _new_script():
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._registry import USER_HIVES_SCRIPT

    return USER_HIVES_SCRIPT


def _alice(windows, **extra):
    windows.seed(users={"WIN-DOUBLE\\alice": SID}, profiles={SID: "C:\\Users\\alice"}, **extra)
    windows.file(LOCAL).mkdir(parents=True)
    (windows.file(LOCAL) / "claude_desktop_config.json").write_text("{}")
    return LOCAL + "\\claude_desktop_config.json"


def test_inheritance_removal_without_reorganize_locks_the_admin_out(windows):
    # win_acl_inheritance.ps1:171 SetAccessRuleProtection($true, $false): every inherited ACE goes, Administrators
    # included; win_stat (win_stat.ps1:43 + FileUtil.psm1:45-53) then reads the file as absent, slurp is denied
    path = _alice(windows)
    for user in ("alice", "NT AUTHORITY\\SYSTEM"):  # the sequence of config_file._restrict at 1b99750
        assert module(windows, "win_acl", {"path": path, "user": user, "rights": "FullControl", "type": "allow"})["changed"]
    assert module(windows, "win_acl_inheritance", {"path": path, "state": "absent"})["changed"]
    assert module(windows, "slurp", {"src": path})["msg"].endswith("Access to the path '%s' is denied.\"" % path)
    assert windows.can(path, "read", SID) and not windows.can(path, "read", ADMINS)
    directory = LOCAL
    module(windows, "win_acl", {"path": directory, "user": "alice", "rights": "FullControl", "type": "allow"})
    module(windows, "win_acl_inheritance", {"path": directory, "state": "absent"})
    assert module(windows, "win_stat", {"path": path})["stat"] == {"exists": False}


def test_an_explicit_administrators_ace_keeps_the_admin_in(windows):
    path = _alice(windows)
    for user in (SID, SYSTEM, ADMINS):
        module(windows, "win_acl", {"path": path, "user": user, "rights": "FullControl", "type": "allow"})
    module(windows, "win_acl_inheritance", {"path": path, "state": "absent"})
    assert module(windows, "slurp", {"src": path})["content"] == "e30="
    assert not windows.can(path, "read", "S-1-5-21-1-2-3-1002")  # another user


def test_win_acl_fails_on_a_missing_path_even_in_check_mode_and_on_unknown_accounts(windows):
    # win_acl.ps1:132-134 (before any check-mode branch) and 136-140
    _alice(windows)
    res = module(windows, "win_acl", {"path": LOCAL + "\\configLibrary", "user": "alice", "rights": "FullControl", "type": "allow"},
                 check_mode=True)
    assert res["failed"] and res["msg"].endswith("file or directory does not exist on the host")
    res = module(windows, "win_acl", {"path": LOCAL, "user": "CORP\\nobody", "rights": "FullControl", "type": "allow"})
    assert res["msg"] == "CORP\\nobody is not a valid user or group on the host machine or domain"


def test_win_file_directory_creates_every_missing_parent(windows):
    # win_file.ps1:238 New-Item -Path $path -ItemType Directory
    windows.seed()
    assert module(windows, "win_file", {"path": "C:\\Users\\bob\\AppData\\Local\\Claude-3p", "state": "directory"})["changed"]
    assert windows.file("C:\\Users\\bob").is_dir()
    assert windows.security()["objects"]["c:\\users\\bob"]["owner"] == ADMINS  # created by an administrator


def test_junctions_are_isjunction_not_islnk_and_followed_below(windows):
    # win_stat.ps1:188-200
    _alice(windows)
    windows.file("C:\\Windows\\Target").mkdir(parents=True)
    windows.junction(LOCAL + "\\configLibrary", "C:\\Windows\\Target")
    st = module(windows, "win_stat", {"path": LOCAL + "\\configLibrary"})["stat"]
    assert st["isjunction"] and not st["islnk"] and st["isdir"] and st["lnk_target"] == "C:\\Windows\\Target"
    module(windows, "win_acl", {"path": LOCAL + "\\configLibrary", "user": "alice", "rights": "FullControl", "type": "allow"})
    assert windows.can("C:\\Windows\\Target", "write_dac", SID)  # Set-Acl follows the junction (win_acl.ps1:251)


def test_hkcu_is_the_connection_accounts_hive(windows):
    # win_reg_stat.ps1:84 [Registry]::CurrentUser: the WinRM account's hive, never a target user's
    conn = "S-1-5-21-100-200-300-1105"
    windows.seed(keys={("HKU\\%s\\SOFTWARE\\Policies\\Claude" % SID).lower(): {"a": {"type": "REG_SZ", "data": "alice"}},
                       ("HKU\\%s\\SOFTWARE\\Policies\\Claude" % conn).lower(): {"a": {"type": "REG_SZ", "data": "deployer"}}})
    assert module(windows, "win_reg_stat", {"path": "HKCU:\\SOFTWARE\\Policies\\Claude", "name": "a"})["value"] == "deployer"


def test_default_of_every_type_and_case_insensitive_names(windows):
    # win_reg_stat.ps1:32-35 (Default) typed String with the stored data; 47-54 named DWORD/QWORD unsigned
    key = "hklm\\software\\policies\\claude"
    for kind, data, seen in (("REG_DWORD", 4294967295, -1), ("REG_QWORD", 2 ** 63, -2 ** 63), ("REG_MULTI_SZ", ["a"], ["a"]),
                             ("REG_BINARY", [1, 2], [1, 2])):
        windows.seed(keys={key: {"": {"type": kind, "data": data}, "InferenceProvider": {"type": "REG_SZ", "data": "x"}}})
        props = module(windows, "win_reg_stat", {"path": "HKLM:\\SOFTWARE\\Policies\\Claude"})["properties"]
        assert props[""] == {"type": "REG_SZ", "value": seen, "raw_value": seen}
    assert module(windows, "win_reg_stat", {"path": "HKLM:\\SOFTWARE\\Policies\\Claude", "name": "inferenceprovider"})["value"] == "x"
    res = module(windows, "win_regedit", {"path": "HKLM:\\SOFTWARE\\Policies\\Claude", "name": "inferenceProvider", "data": "x"})
    assert not res["changed"] and "inferenceProvider" not in windows.key(key)


def _hives(windows, script, check_mode=False, **params):
    args = {"script": script, "parameters": dict({"User": "", "Key": "SOFTWARE\\Policies\\Claude"}, **params), "depth": 5}
    return module(windows, "win_powershell", args, check_mode=check_mode)


def _offline(windows, **extra):
    hive = "C:\\Users\\bob\\NTUSER.DAT"
    profiles = {SID: "C:\\Users\\bob", ENTRA: "C:\\Users\\carol", SID + ".bak": "C:\\Users\\bob"}
    windows.seed(users={"WIN-DOUBLE\\bob": SID, "AzureAD\\carol": ENTRA}, profiles=profiles,
                 hives={hive: {"software\\policies\\claude": {"x": {"type": "REG_SZ", "data": "1"}}}, "C:\\Users\\carol\\NTUSER.DAT": {}},
                 **extra)
    return hive


def test_v1_script_dies_on_a_corrupt_hive_failed_without_msg(windows):
    # PS 5.1: "$null = & reg.exe load ... 2>&1" under EAP Stop terminates; win_powershell.ps1:957 failed, no msg
    hive = _offline(windows, hive_flags={"c:\\users\\bob\\ntuser.dat": "corrupt"})
    res = _hives(windows, _old_script())
    assert res["failed"] and "msg" not in res and "registry file format" in res["error"][0]["output"]
    res = _hives(windows, _new_script())
    by_sid = {o["sid"]: o for o in res["output"]}
    assert not res.get("failed") and set(by_sid) == {SID, ENTRA}  # Entra included, .bak skipped
    assert "registry file format" in by_sid[SID]["error"] and by_sid[ENTRA]["error"] is None
    assert hive


def test_v1_skips_entra_and_reads_bak_keys_v2_does_not(windows):
    _offline(windows)
    old = {o["sid"] for o in _hives(windows, _old_script())["output"]}
    assert old == {SID, SID.upper() + ".BAK"}


def test_check_mode_loads_no_hive_and_a_failed_unload_is_reported(windows):
    _offline(windows, unload_fails=["AIOHub_" + SID])
    res = _hives(windows, _new_script(), check_mode=True)
    assert all(o["skipped"] for o in res["output"]) and not windows.state().get("hive_loads")
    res = _hives(windows, _new_script())
    bob = next(o for o in res["output"] if o["sid"] == SID)
    assert bob["properties"] == {"x": {"type": "REG_SZ", "raw_value": "1"}} and "stays loaded" in bob["error"]
    again = _hives(windows, _new_script())  # the stale mount is read, not loaded a second time
    assert next(o for o in again["output"] if o["sid"] == SID)["properties"]


def test_translation_failure_off_vpn_and_constrained_language(windows):
    _offline(windows, domain_unreachable=True)
    res = _hives(windows, _new_script(), User="CORP\\bob")
    assert res["output"][0]["sid"] is None and "give its SID" in res["output"][0]["error"]
    assert _hives(windows, _new_script(), User=SID)["output"][0]["profile"] == "C:\\Users\\bob"
    _offline(windows, language_mode="ConstrainedLanguage")
    res = _hives(windows, _new_script())
    assert res["failed"] and "msg" not in res and "ConstrainedLanguage" in res["error"][0]["output"]


def test_unknown_scripts_are_refused_and_unmodelled_ones_skipped_in_check_mode(windows):
    windows.seed()
    assert "does not model this script" in module(windows, "win_powershell", {"script": "Get-Date"})["msg"]
    res = module(windows, "win_powershell", {"script": "Get-Date"}, check_mode=True)  # win_powershell.ps1:690-693
    assert res["changed"] and res["msg"] == "skipped, running in check mode"
    assert PROFILE_LIST
