"""config_facts on Windows against the ansible.windows test double (spec §1.3 hive and type rules)."""

from __future__ import annotations

import json

from test_windows_role import CONFIG, HKLM, KEY, SID

BOB = "S-1-5-21-1004336348-1177238915-682003330-1002"
POLICY = "SOFTWARE\\Policies\\Claude"


def audit(windows, *args, **extra):
    out = windows.tmp / "audit.json"
    run = windows.run(CONFIG, "-vvvv", *args, playbook="audit.yml", audit_out=str(out), **extra)
    assert run.returncode == 0, run.stdout[-3000:]
    assert KEY not in run.stdout + run.stderr
    result = json.loads(out.read_text())
    assert KEY not in json.dumps(result)
    return result


def test_after_the_role_the_registry_is_in_line(windows):
    windows.seed(users={"CORP\\alice": SID}, profiles={SID: "C:\\Users\\alice"}, loaded=[SID])
    assert windows.run(CONFIG).returncode == 0
    result = audit(windows)
    assert result["state"] == "in_line" and result["findings"] == [], result["findings"]


def test_drift_split_hives_expand_sz_sub_keys_and_types(windows):
    # alice is logged on (HKU\<SID> loaded); bob is not: his policy sits in his NTUSER.DAT
    windows.seed(users={"CORP\\alice": SID, "CORP\\bob": BOB}, profiles={SID: "C:\\Users\\alice", BOB: "C:\\Users\\bob"}, loaded=[SID],
                 hives={"C:\\Users\\bob\\NTUSER.DAT": {POLICY: {"disableAutoUpdates": {"type": "REG_SZ", "data": "true"}}}})
    assert windows.run(CONFIG).returncode == 0
    state = windows.state()
    hklm = state["keys"][HKLM.lower()]
    hklm["inferenceGatewayApiKey"]["data"] = "sk-test-rotated-on-the-pc"
    hklm["legacy"] = {"type": "REG_EXPAND_SZ", "data": "%TEMP%"}
    hklm["coworkEgressAllowedHosts"] = {"type": "REG_MULTI_SZ", "data": ["docs.aiohub.org"]}
    state["keys"][(HKLM + "\\Sub").lower()] = {"inferenceProvider": {"type": "REG_SZ", "data": "gateway"}}
    windows.registry.write_text(json.dumps(state))
    result = audit(windows)
    found = sorted((f["class"], f.get("key"), f["source"].split("\\")[1] if f["source"].startswith("HKU") else "HKLM")
                   for f in result["findings"])
    assert found == [("expand_sz", "legacy", "HKLM"), ("invisible_type", "coworkEgressAllowedHosts", "HKLM"),
                     ("missing_key", "coworkEgressAllowedHosts", "HKLM"), ("split_hives", None, BOB), ("sub_key", None, "HKLM"),
                     ("value_drift", "inferenceGatewayApiKey", "HKLM")]
    assert result["state"] == "drifted"
    assert "sk-test-rotated-on-the-pc" not in json.dumps(result)
    assert "registry write times are not readable" in result["restart"]["unknown"]


def test_user_scope_reads_the_users_own_hive(windows):
    windows.seed(users={"CORP\\alice": SID}, profiles={SID: "C:\\Users\\alice"}, loaded=[SID])
    run = windows.run(CONFIG, windows_policy_scope="user", windows_policy_user="CORP\\alice")
    assert run.returncode == 0, run.stdout[-3000:]
    result = audit(windows, audit_scope="user", audit_user="CORP\\alice")
    assert result["state"] == "in_line", result["findings"]
    # machine policy appears (an empty default value counts): the app now ignores alice's policy entirely
    state = windows.state()
    state["keys"][HKLM.lower()] = {"": {"type": "REG_SZ", "data": ""}}
    windows.registry.write_text(json.dumps(state))
    result = audit(windows, audit_scope="user", audit_user="CORP\\alice")
    assert [f["class"] for f in result["findings"]] == ["split_hives"]


def test_local_user_config_is_read_and_a_machine_policy_shadows_it(windows):
    windows.seed(users={"CORP\\alice": SID}, profiles={SID: "C:\\Users\\alice"}, loaded=[SID])
    users = {"claude_desktop_users": ["alice"]}
    run = windows.run(CONFIG, playbook="user_config.yml", **users)
    assert run.returncode == 0, run.stdout[-3000:]
    result = audit(windows, audit_mode="user", **users)
    assert result["state"] == "in_line", result["findings"]
    assert {s["path"].rsplit("\\", 1)[-1] for s in result["sources"] if s.get("kind") in ("user_json", "config_library")} == {
        "claude_desktop_config.json", "configLibrary"}
    # machine policy appears: the local config is now ignored (spec §1.5, §1.6)
    state = windows.state()
    state["keys"][HKLM.lower()] = {"inferenceProvider": {"type": "REG_SZ", "data": "gateway"}}
    windows.registry.write_text(json.dumps(state))
    result = audit(windows, audit_mode="user", **users)
    assert sorted(f["class"] for f in result["findings"]) == ["shadowed_local", "shadowed_local"]
