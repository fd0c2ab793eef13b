"""The windows_policy role's exact registry writes, checked against the ansible.windows test double."""

from __future__ import annotations

import re

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import managed_values
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import validate_config

KEY = "sk-test-windows-role-3c2b1a0f"
CONFIG = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "inferenceGatewayApiKey": KEY,
          "isDesktopExtensionEnabled": False, "coworkEgressAllowedHosts": ["docs.aiohub.org", "*.example.com"],
          "inferenceModels": [{"name": "claude-sonnet-4-5", "labelOverride": 'Sonnet "fast" \\ ü'}]}
HKLM = "HKLM\\SOFTWARE\\Policies\\Claude"
RECORD = "HKLM\\SOFTWARE\\AIOHub\\ClaudeDesktop"
SID = "S-1-5-21-1004336348-1177238915-682003330-1001"


def changed(run):
    return int(re.search(r"changed=(\d+)", run.stdout[run.stdout.rindex("PLAY RECAP"):]).group(1))


def values(key):
    return {name: v["data"] for name, v in key.items() if v["type"] == "REG_SZ"}


def test_machine_policy_exact_writes_idempotence_and_no_leak(windows):
    windows.seed(keys={HKLM.lower(): {"": {"type": "REG_SZ", "data": ""}, "OtherTool": {"type": "REG_SZ", "data": "x"},
                                      "legacy": {"type": "REG_EXPAND_SZ", "data": "%TEMP%"}}})
    first = windows.run(CONFIG, "-vvvv", "--diff")
    assert first.returncode == 0, first.stdout[-3000:]
    assert KEY not in first.stdout + first.stderr
    assert "inferenceGatewayApiKey = ********" in first.stdout
    assert "legacy is a REG_EXPAND_SZ value" in first.stderr
    key = windows.key(HKLM)
    expected = managed_values(validate_config(CONFIG).config)
    assert {n: d for n, d in values(key).items() if n not in ("", "OtherTool")} == expected
    assert key[""] == {"type": "REG_SZ", "data": ""} and key["OtherTool"]["data"] == "x" and key["legacy"]["type"] == "REG_EXPAND_SZ"
    assert windows.key(RECORD)["OwnedPolicyValues"]["data"] == __import__("json").dumps(sorted(expected))
    second = windows.run(CONFIG)
    assert second.returncode == 0 and changed(second) == 0
    writes = [c for c in windows.state()["calls"] if c["module"] == "win_regedit"]
    assert all(c["args"]["type"] == "string" and c["args"]["name"] != "" for c in writes)


def test_check_mode_writes_nothing(windows):
    run = windows.run(CONFIG, "--check", "--diff")
    assert run.returncode == 0 and changed(run) == 1
    assert windows.key(HKLM) == {} and KEY not in run.stdout


def test_values_that_leave_the_config_are_removed_and_absent_removes_only_owned(windows):
    windows.seed(keys={HKLM.lower(): {"OtherTool": {"type": "REG_SZ", "data": "x"}}})
    assert windows.run(CONFIG).returncode == 0
    smaller = {k: v for k, v in CONFIG.items() if k != "inferenceModels"}
    assert windows.run(smaller).returncode == 0
    assert "inferenceModels" not in windows.key(HKLM) and "coworkEgressAllowedHosts" in windows.key(HKLM)
    removed = windows.run(None, "--diff", windows_policy_state="absent")
    assert removed.returncode == 0 and KEY not in removed.stdout
    assert windows.key(HKLM) == {"OtherTool": {"type": "REG_SZ", "data": "x"}}
    assert windows.key(RECORD) == {}
    assert changed(windows.run(None, windows_policy_state="absent")) == 0


def test_user_scope_is_refused_while_machine_policy_exists(windows):
    windows.seed(keys={HKLM.lower(): {"inferenceProvider": {"type": "REG_SZ", "data": "gateway"}}}, users={"CORP\\alice": SID})
    run = windows.run(CONFIG, windows_policy_scope="user", windows_policy_user="CORP\\alice")
    assert run.returncode != 0
    assert "already holds policy (inferenceProvider)" in run.stdout and "ignores user policy entirely" in run.stdout
    assert ("hku\\" + SID).lower() not in str(windows.state()["keys"]).lower()


def test_user_scope_logged_on_and_not_logged_on(windows):
    windows.seed(keys={("HKU\\" + SID).lower(): {}}, users={"CORP\\alice": SID, "CORP\\bob": "S-1-5-21-1-2-3-1002"})
    run = windows.run(CONFIG, windows_policy_scope="user", windows_policy_user="CORP\\alice")
    assert run.returncode == 0, run.stdout[-3000:]
    assert values(windows.key("HKU\\%s\\SOFTWARE\\Policies\\Claude" % SID)) == managed_values(validate_config(CONFIG).config)
    assert "OwnedPolicyValues-" + SID in windows.key(RECORD)
    assert windows.key(HKLM) == {}
    bob = windows.run(CONFIG, windows_policy_scope="user", windows_policy_user="CORP\\bob",
                      windows_policy_profile_dir="C:\\Users\\bob")
    assert bob.returncode == 0, bob.stdout[-3000:]
    hive_writes = [c["args"] for c in windows.state()["calls"] if c["module"] == "win_regedit" and c["args"].get("hive")]
    assert hive_writes and all(a["hive"] == "C:\\Users\\bob\\NTUSER.DAT" and a["path"].startswith("HKLM:\\ANSIBLE\\") for a in hive_writes)
