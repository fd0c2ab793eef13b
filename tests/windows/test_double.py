"""The ansible.windows test double against the real modules' documented behaviour, one test per difference.

Each expectation cites the real module (ansible-collections/ansible.windows): plugins/modules/
win_reg_stat.ps1, win_regedit.ps1 and win_powershell.py. A double that drifts from them lets the
role pass here and fail on Windows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import HERE, REPO

# The double first on the collection path, as ANSIBLE_COLLECTIONS_PATH puts it for the role tests.
BOOT = """import runpy, sys
from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
_AnsibleCollectionFinder(paths=sys.argv[1:3])._install()
name, sys.argv = sys.argv[3], [sys.argv[0], sys.argv[4]]
runpy.run_module("ansible_collections.ansible.windows.plugins.modules." + name, run_name="__main__")
"""
KEY = "hklm\\software\\policies\\claude"


def module(windows, name, args, check_mode=False):
    """Run one module of the double as Ansible would (args file), against the test's fake registry."""
    argfile = windows.tmp / "args.json"
    argfile.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": dict(args, _ansible_check_mode=check_mode)}))
    env = dict(os.environ, CLAUDE_DESKTOP_FAKE_REGISTRY=str(windows.registry), CLAUDE_DESKTOP_FAKE_FS=str(windows.fs))
    out = subprocess.run([sys.executable, "-c", BOOT, os.path.join(HERE, "collections"), os.path.join(REPO, "build", "collections"),
                          name, str(argfile)], capture_output=True, text=True, env=env, check=False)
    return json.loads(out.stdout)


def test_reg_stat_reports_a_set_default_even_when_empty(windows):
    # win_reg_stat.ps1: "Return the key's (Default) property if it has been defined" (GetValue returns "" for an empty one)
    windows.seed(keys={KEY: {"": {"type": "REG_SZ", "data": ""}}})
    res = module(windows, "win_reg_stat", {"path": "HKLM:\\SOFTWARE\\Policies\\Claude"})
    assert res["properties"] == {"": {"type": "REG_SZ", "value": "", "raw_value": ""}}
    windows.seed(keys={KEY: {}})
    assert module(windows, "win_reg_stat", {"path": "HKLM:\\SOFTWARE\\Policies\\Claude"})["properties"] == {}


def test_reg_stat_returns_dword_data_as_integers_and_the_default_as_reg_sz(windows):
    # win_reg_stat.ps1: DWord -> "$value = [UInt32]...; $raw_value = $value"; for the (Default) "$type = String"
    windows.seed(keys={KEY: {"n": {"type": "REG_DWORD", "data": 4294967295}, "": {"type": "REG_DWORD", "data": 1}}})
    props = module(windows, "win_reg_stat", {"path": "HKLM:\\SOFTWARE\\Policies\\Claude"})["properties"]
    assert props["n"] == {"type": "REG_DWORD", "value": 4294967295, "raw_value": 4294967295}
    assert props[""] == {"type": "REG_SZ", "value": 1, "raw_value": 1}
    one = module(windows, "win_reg_stat", {"path": "HKLM:\\SOFTWARE\\Policies\\Claude", "name": "n"})
    assert one["raw_value"] == 4294967295 and one["type"] == "REG_DWORD"


def test_reg_stat_expands_expand_sz_in_value_only_and_lists_sub_keys(windows):
    # win_reg_stat.ps1: value = GetValue(None options, expanded); raw_value = DoNotExpandEnvironmentNames; sub_keys = GetSubKeyNames()
    windows.seed(keys={KEY: {"p": {"type": "REG_EXPAND_SZ", "data": "%SystemDrive%\\x"}}, KEY + "\\nested": {}})
    res = module(windows, "win_reg_stat", {"path": "HKLM:\\SOFTWARE\\Policies\\Claude"})
    assert res["properties"]["p"] == {"type": "REG_EXPAND_SZ", "value": "C:\\x", "raw_value": "%SystemDrive%\\x"}
    assert res["sub_keys"] == ["nested"]


def test_regedit_fails_when_the_hive_file_does_not_exist(windows):
    # win_regedit.ps1: if (-not (Test-Path -LiteralPath $hive)) FailJson("hive at path '$hive' is not valid or accessible, cannot load hive")
    windows.seed(hives={"C:\\Users\\alice.CORP\\NTUSER.DAT": {}})
    res = module(windows, "win_regedit", {"path": "HKLM:\\ANSIBLE\\SOFTWARE\\Policies\\Claude", "name": "a", "data": "b",
                                          "hive": "C:\\Users\\CORP\\alice\\NTUSER.DAT"})
    assert res["failed"] and res["msg"] == "hive at path 'C:\\Users\\CORP\\alice\\NTUSER.DAT' is not valid or accessible, cannot load hive"
    ok = module(windows, "win_regedit", {"path": "HKLM:\\ANSIBLE\\SOFTWARE\\Policies\\Claude", "name": "a", "data": "b",
                                         "hive": "C:\\Users\\alice.CORP\\NTUSER.DAT"})
    assert ok["changed"] and windows.hive("C:\\Users\\alice.CORP\\NTUSER.DAT")["software\\policies\\claude"]["a"]["data"] == "b"


def test_regedit_cannot_load_the_hive_of_a_logged_on_user(windows):
    # RegLoadKey fails while Windows holds the user's NTUSER.DAT open: "failed to load registry hive from ..."
    sid = "S-1-5-21-1-2-3-1001"
    windows.seed(profiles={sid: "C:\\Users\\alice"}, loaded=[sid], hives={"C:\\Users\\alice\\NTUSER.DAT": {}})
    res = module(windows, "win_regedit", {"path": "HKLM:\\ANSIBLE\\SOFTWARE\\Policies\\Claude", "name": "a", "data": "b",
                                          "hive": "C:\\Users\\alice\\NTUSER.DAT"})
    assert res["failed"] and res["msg"].startswith("failed to load registry hive from 'C:\\Users\\alice\\NTUSER.DAT'")


def test_regedit_stores_dword_data_as_an_integer(windows):
    # win_regedit.ps1 converts dword data to [Int32] before SetValue
    windows.seed(keys={KEY: {}})
    module(windows, "win_regedit", {"path": "HKLM:\\SOFTWARE\\Policies\\Claude", "name": "n", "data": "7", "type": "dword"})
    assert windows.key(KEY)["n"] == {"type": "REG_DWORD", "data": 7}


def test_powershell_skips_scripts_in_check_mode_unless_they_support_should_process(windows):
    # win_powershell.py notes: "The module will skip running the script when in check mode unless the script
    # defines [CmdletBinding(SupportsShouldProcess)]."
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._registry import USER_HIVES_SCRIPT

    sid = "S-1-5-21-1-2-3-1001"
    windows.seed(users={"CORP\\alice": sid}, profiles={sid: "C:\\Users\\alice"}, loaded=[sid])
    args = {"script": USER_HIVES_SCRIPT, "parameters": {"User": "CORP\\alice", "Key": "SOFTWARE\\Policies\\Claude"}, "depth": 5}
    assert module(windows, "win_powershell", args, check_mode=True)["output"][0]["sid"] == sid
    plain = dict(args, script=USER_HIVES_SCRIPT.replace("[CmdletBinding(SupportsShouldProcess)]\n", ""))
    assert module(windows, "win_powershell", plain, check_mode=True)["output"] == []


def test_powershell_output_is_cut_at_depth(windows):
    # win_powershell.py: depth "How deep the return values are serialized for ... output" (default 2)
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._registry import USER_HIVES_SCRIPT

    sid = "S-1-5-21-1-2-3-1001"
    windows.seed(users={"CORP\\alice": sid}, profiles={sid: "C:\\Users\\alice"}, loaded=[sid],
                 keys={("HKU\\%s\\SOFTWARE\\Policies\\Claude" % sid).lower(): {"a": {"type": "REG_SZ", "data": "b"}}})
    args = {"script": USER_HIVES_SCRIPT, "parameters": {"User": "CORP\\alice", "Key": "SOFTWARE\\Policies\\Claude"}}
    assert module(windows, "win_powershell", args)["output"][0]["properties"]["a"] == "System.Collections.Hashtable"
    assert module(windows, "win_powershell", dict(args, depth=5))["output"][0]["properties"]["a"] == {"type": "REG_SZ", "raw_value": "b"}
