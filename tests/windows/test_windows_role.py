"""The windows_policy role's exact registry writes, checked against the ansible.windows test double."""

from __future__ import annotations

import json
import re

import pytest

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


def values_of(key):
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
    assert {n: d for n, d in values_of(key).items() if n not in ("", "OtherTool")} == expected
    assert key[""] == {"type": "REG_SZ", "data": ""} and key["OtherTool"]["data"] == "x" and key["legacy"]["type"] == "REG_EXPAND_SZ"
    assert windows.key(RECORD)["OwnedPolicyValues"]["data"] == json.dumps(sorted(expected))
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
    windows.seed(keys={HKLM.lower(): {"inferenceProvider": {"type": "REG_SZ", "data": "gateway"}}}, users={"CORP\\alice": SID},
                 profiles={SID: "C:\\Users\\alice"}, loaded=[SID])
    run = windows.run(CONFIG, windows_policy_scope="user", windows_policy_user="CORP\\alice")
    assert run.returncode != 0
    assert "already holds policy: inferenceProvider (REG_SZ)" in run.stdout and "ignores user policy entirely" in run.stdout
    assert not windows.key("HKU\\%s\\SOFTWARE\\Policies\\Claude" % SID)


@pytest.mark.parametrize("values, named", [
    ({"": {"type": "REG_SZ", "data": ""}}, "(Default) (an empty string)"),
    # win_reg_stat types every (Default) REG_SZ (win_reg_stat.ps1:32-35): the DWORD's type is read with GetValueKind
    ({"": {"type": "REG_DWORD", "data": 1}}, "(Default) (REG_DWORD)"),
    ({"": {"type": "REG_DWORD", "data": 4294967295}}, "(Default) (REG_DWORD)"),
    ({"": {"type": "REG_EXPAND_SZ", "data": "%TEMP%"}}, "(Default) (set)"),
    ({"Stale": {"type": "REG_SZ", "data": ""}}, "Stale (an empty string)"),
    ({"legacy": {"type": "REG_EXPAND_SZ", "data": "%TEMP%"}}, "legacy (REG_EXPAND_SZ, never read by the app but counted as present)"),
    ({"isDesktopExtensionEnabled": {"type": "REG_DWORD", "data": 0}}, "isDesktopExtensionEnabled (REG_DWORD)"),
])
def test_machine_policy_present_exactly_as_the_app_decides(windows, values, named):
    """Spec §1.3: any REG_SZ/REG_EXPAND_SZ/REG_DWORD value, an empty string included, and a set (Default) make HKLM present."""
    windows.seed(keys={HKLM.lower(): values}, users={"CORP\\alice": SID}, profiles={SID: "C:\\Users\\alice"}, loaded=[SID])
    run = windows.run(CONFIG, windows_policy_scope="user", windows_policy_user="CORP\\alice")
    assert run.returncode != 0, run.stdout[-2000:]
    assert named in run.stdout.replace("\n", " ").replace("  ", " ") and "ignores user policy entirely" in run.stdout
    assert not windows.key("HKU\\%s\\SOFTWARE\\Policies\\Claude" % SID)


@pytest.mark.parametrize("values", [{}, {"legacy": {"type": "REG_MULTI_SZ", "data": ["a"]}}, {"big": {"type": "REG_QWORD", "data": 1}},
                                    {"blob": {"type": "REG_BINARY", "data": [1, 2]}}, {"": {"type": "REG_MULTI_SZ", "data": ["a"]}},
                                    # a REG_QWORD (Default) that fits an Int32 reads like a DWORD in win_reg_stat (issue 20 item 9)
                                    {"": {"type": "REG_QWORD", "data": 1}}, {"": {"type": "REG_QWORD", "data": 2 ** 40}},
                                    {"": {"type": "REG_BINARY", "data": [1]}}])
def test_values_invisible_to_the_app_do_not_make_machine_policy_present(windows, values):
    windows.seed(keys={HKLM.lower(): values}, users={"CORP\\alice": SID}, profiles={SID: "C:\\Users\\alice"}, loaded=[SID])
    run = windows.run(CONFIG, windows_policy_scope="user", windows_policy_user="CORP\\alice")
    assert run.returncode == 0, run.stdout[-3000:]
    assert values_of(windows.key("HKU\\%s\\SOFTWARE\\Policies\\Claude" % SID)) == managed_values(validate_config(CONFIG).config)


def test_user_scope_logged_on_and_not_logged_on(windows):
    bob = "S-1-5-21-1-2-3-1002"
    windows.seed(users={"CORP\\alice": SID, "CORP\\bob": bob}, profiles={SID: "C:\\Users\\alice", bob: "%SystemDrive%\\Users\\bob.CORP"},
                 loaded=[SID], hives={"C:\\Users\\bob.CORP\\NTUSER.DAT": {}})
    run = windows.run(CONFIG, windows_policy_scope="user", windows_policy_user="CORP\\alice")
    assert run.returncode == 0, run.stdout[-3000:]
    assert values_of(windows.key("HKU\\%s\\SOFTWARE\\Policies\\Claude" % SID)) == managed_values(validate_config(CONFIG).config)
    assert "OwnedPolicyValues-" + SID in windows.key(RECORD)
    assert windows.key(HKLM) == {}
    run = windows.run(CONFIG, windows_policy_scope="user", windows_policy_user="CORP\\bob")
    assert run.returncode == 0, run.stdout[-3000:]
    hive = windows.hive("C:\\Users\\bob.CORP\\NTUSER.DAT")
    assert values_of(hive["software\\policies\\claude"]) == managed_values(validate_config(CONFIG).config)
    hive_writes = [c["args"] for c in windows.state()["calls"] if c["module"] == "win_regedit" and c["args"].get("hive")]
    assert hive_writes and all(a["hive"] == "C:\\Users\\bob.CORP\\NTUSER.DAT" and a["path"].startswith("HKLM:\\ANSIBLE\\") for a in hive_writes)
    again = windows.run(CONFIG, windows_policy_scope="user", windows_policy_user="CORP\\bob")
    assert again.returncode == 0 and changed(again) == 0, again.stdout[-3000:]


def test_unloaded_hive_is_read_foreign_values_and_old_secrets_seen_masked(windows):
    """CORP\\alice's profile folder is alice.CORP (ProfileList), not C:\\Users\\CORP\\alice; her hive is read before writing."""
    old = "sk-test-old-hive-secret-77aa"
    windows.seed(users={"CORP\\alice": SID}, profiles={SID: "C:\\Users\\alice.CORP"},
                 hives={"C:\\Users\\alice.CORP\\NTUSER.DAT": {"software\\policies\\claude": {
                     "inferenceGatewayApiKey": {"type": "REG_SZ", "data": old},
                     "inferenceCustomHeaders": {"type": "REG_SZ", "data": json.dumps({"X-Api-Token": old + "-hdr"})},
                     "OtherTool": {"type": "REG_SZ", "data": "x"}}}},
                 keys={RECORD.lower(): {"OwnedPolicyValues-" + SID: {"type": "REG_SZ",
                                                                     "data": '["inferenceCustomHeaders", "inferenceGatewayApiKey"]'}}})
    run = windows.run(CONFIG, "--diff", "-vvvv", windows_policy_scope="user", windows_policy_user="CORP\\alice")
    assert run.returncode == 0, run.stdout[-3000:]
    assert old not in run.stdout + run.stderr
    assert "OtherTool is set under the policy key but not by this collection" in run.stdout + run.stderr
    assert "-inferenceCustomHeaders = ********" in run.stdout
    key = windows.hive("C:\\Users\\alice.CORP\\NTUSER.DAT")["software\\policies\\claude"]
    assert "inferenceCustomHeaders" not in key and key["OtherTool"]["data"] == "x" and key["inferenceGatewayApiKey"]["data"] == KEY


def test_user_without_a_hive_file_gets_a_clear_error(windows):
    windows.seed(users={"CORP\\carol": SID}, profiles={SID: "C:\\Users\\carol"})
    run = windows.run(CONFIG, windows_policy_scope="user", windows_policy_user="CORP\\carol")
    assert run.returncode != 0 and "is not at C:\\Users\\carol\\NTUSER.DAT" in " ".join(run.stdout.split())
    windows.seed(users={"CORP\\dave": SID})
    run = windows.run(CONFIG, windows_policy_scope="user", windows_policy_user="CORP\\dave")
    assert run.returncode != 0 and "has no profile on this host" in run.stdout


def test_check_mode_reads_the_user_hive_and_writes_nothing(windows):
    """win_powershell skips a script in check mode unless it declares SupportsShouldProcess."""
    windows.seed(users={"CORP\\alice": SID}, profiles={SID: "C:\\Users\\alice"}, loaded=[SID])
    run = windows.run(CONFIG, "--check", windows_policy_scope="user", windows_policy_user="CORP\\alice")
    assert run.returncode == 0 and changed(run) == 1, run.stdout[-3000:]
    assert not windows.key("HKU\\%s\\SOFTWARE\\Policies\\Claude" % SID)


def test_old_nested_secrets_are_masked_in_the_diff(windows):
    """Values already in the registry: headers, env and oauth.clientSecret inside managedMcpServers never print."""
    servers = [{"name": "docs", "transport": "http", "url": "https://mcp.example.com/mcp", "headers": {"Authorization": "Bearer sk-test-hdr-0ld1"}},
               {"name": "fs", "transport": "stdio", "command": "C:\\mcp\\fs.exe", "env": {"FS_TOKEN": "sk-test-env-0ld2"}},
               {"name": "wiki", "transport": "http", "url": "https://wiki.example.com/mcp",
                "oauth": {"clientId": "wiki-app", "clientSecret": "sk-test-oauth-0ld3"}}]
    windows.seed(keys={HKLM.lower(): {"managedMcpServers": {"type": "REG_SZ", "data": json.dumps(servers)},
                                      "otlpHeaders": {"type": "REG_SZ", "data": '{"Authorization":"Bearer sk-test-otlp-0ld4"}'}},
                       RECORD.lower(): {"OwnedPolicyValues": {"type": "REG_SZ", "data": '["managedMcpServers", "otlpHeaders"]'}}})
    changed_servers = [dict(servers[0], headers={"Authorization": "Bearer sk-test-hdr-new5"})]
    run = windows.run(dict(CONFIG, managedMcpServers=changed_servers), "--diff", "-vvvv")
    assert run.returncode == 0, run.stdout[-3000:]
    for secret in ("sk-test-hdr-0ld1", "sk-test-env-0ld2", "sk-test-oauth-0ld3", "sk-test-otlp-0ld4", "sk-test-hdr-new5"):
        assert secret not in run.stdout + run.stderr, secret
    assert '"name":"wiki","oauth":{"clientId":"wiki-app","clientSecret":"********"}' in run.stdout
    assert "otlpHeaders" not in values_of(windows.key(HKLM))


def test_machine_scope_reports_per_user_policy_and_cleans_only_its_own_on_request(windows):
    bob = "S-1-5-21-1-2-3-1002"
    windows.seed(
        users={"CORP\\alice": SID, "CORP\\bob": bob}, profiles={SID: "C:\\Users\\alice", bob: "C:\\Users\\bob.CORP"}, loaded=[SID],
        keys={("HKU\\%s\\SOFTWARE\\Policies\\Claude" % SID).lower(): {"inferenceProvider": {"type": "REG_SZ", "data": "gateway"},
                                                                      "IntuneValue": {"type": "REG_SZ", "data": "1"}},
              RECORD.lower(): {"OwnedPolicyValues-" + SID: {"type": "REG_SZ", "data": '["inferenceProvider"]'},
                               "OwnedPolicyValues-" + bob: {"type": "REG_SZ", "data": '["inferenceModels"]'}}},
        hives={"C:\\Users\\bob.CORP\\NTUSER.DAT": {"software\\policies\\claude": {"inferenceModels": {"type": "REG_SZ", "data": "[]"}}}})
    run = windows.run(CONFIG)
    assert run.returncode == 0, run.stdout[-3000:]
    out = (run.stdout + run.stderr).replace("\n", " ")
    assert "user policy left in the hive of %s" % SID in out and "IntuneValue, inferenceProvider" in out
    assert "user policy left in the hive of %s (C:\\Users\\bob.CORP): inferenceModels" % bob in " ".join(out.split())
    assert "set clean_user_policy to remove them" in out
    assert "inferenceProvider" in windows.key("HKU\\%s\\SOFTWARE\\Policies\\Claude" % SID)
    cleaned = windows.run(CONFIG, windows_policy_clean_user_policy=True)
    assert cleaned.returncode == 0 and changed(cleaned) == 1, cleaned.stdout[-3000:]
    assert windows.key("HKU\\%s\\SOFTWARE\\Policies\\Claude" % SID) == {"IntuneValue": {"type": "REG_SZ", "data": "1"}}
    assert windows.hive("C:\\Users\\bob.CORP\\NTUSER.DAT")["software\\policies\\claude"] == {}
    assert set(windows.key(RECORD)) == {"OwnedPolicyValues"}
    assert "IntuneValue" in cleaned.stdout + cleaned.stderr
    assert changed(windows.run(CONFIG, windows_policy_clean_user_policy=True)) == 0


def test_removal_reports_what_keeps_machine_policy_present(windows):
    windows.seed(keys={HKLM.lower(): {"": {"type": "REG_SZ", "data": ""}, "OtherTool": {"type": "REG_SZ", "data": "x"}}})
    assert windows.run(CONFIG).returncode == 0
    removed = windows.run(None, windows_policy_state="absent")
    assert removed.returncode == 0
    out = (removed.stdout + removed.stderr).replace("\n", " ")
    assert "still \"present\" for the app after removal ((Default) (an empty string); OtherTool (REG_SZ))" in out.replace('\\"', '"')
    windows.seed(keys={HKLM.lower(): {}})
    clean = windows.run(None, windows_policy_state="absent")
    assert "still" not in clean.stdout + clean.stderr


def test_sub_keys_are_reported_and_left_alone(windows):
    windows.seed(keys={HKLM.lower(): {}, (HKLM + "\\Settings").lower(): {"inferenceProvider": {"type": "REG_SZ", "data": "vertex"}}})
    run = windows.run(CONFIG)
    assert run.returncode == 0
    assert "has sub-key(s) settings: the app never reads values in sub-keys" in (run.stdout + run.stderr).replace("\n", " ")
    assert windows.key(HKLM + "\\Settings") == {"inferenceProvider": {"type": "REG_SZ", "data": "vertex"}}


def test_only_recorded_values_are_removed_never_another_tools_documented_values(windows):
    windows.seed(keys={HKLM.lower(): {"disableAutoUpdates": {"type": "REG_SZ", "data": "true"}}})
    assert windows.run(CONFIG).returncode == 0
    assert windows.run(None, windows_policy_state="absent").returncode == 0
    assert windows.key(HKLM) == {"disableAutoUpdates": {"type": "REG_SZ", "data": "true"}}


@pytest.mark.parametrize("char", ["\x00", "\n", "\u2028", "\u2029"])
def test_characters_the_registry_cannot_carry_are_refused_before_anything_is_written(windows, char):
    run = windows.run(dict(CONFIG, deploymentDisplayName="Ops" + char + "Team"))
    text = " ".join(run.stdout.split())
    assert run.returncode != 0 and "deploymentDisplayName: " in text and "REG_SZ" in text
    assert windows.key(HKLM) == {} and KEY not in run.stdout


def test_numbers_are_written_as_decimal_strings(windows):
    run = windows.run(dict(CONFIG, inferenceModelPricingMultiplier=1e-05))
    assert run.returncode == 0, run.stdout[-3000:]
    assert windows.key(HKLM)["inferenceModelPricingMultiplier"]["data"] == "0.00001"
