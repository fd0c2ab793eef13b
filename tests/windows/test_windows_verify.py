"""config_facts on Windows against the ansible.windows test double (spec §1.3 hive and type rules)."""

from __future__ import annotations

import json

from test_windows_role import CONFIG, HKLM, KEY

HKCU = "HKCU\\SOFTWARE\\Policies\\Claude"


def audit(windows, *args, **extra):
    out = windows.tmp / "audit.json"
    run = windows.run(CONFIG, "-vvvv", *args, playbook="audit.yml", audit_out=str(out), **extra)
    assert run.returncode == 0, run.stdout[-3000:]
    assert KEY not in run.stdout + run.stderr
    result = json.loads(out.read_text())
    assert KEY not in json.dumps(result)
    return result


def test_after_the_role_the_registry_is_in_line(windows):
    assert windows.run(CONFIG).returncode == 0
    result = audit(windows)
    assert result["state"] == "in_line" and result["findings"] == [], result["findings"]


def test_drift_split_hives_expand_sz_sub_keys_and_types(windows):
    assert windows.run(CONFIG).returncode == 0
    state = windows.state()
    hklm = state["keys"][HKLM.lower()]
    hklm["inferenceGatewayApiKey"]["data"] = "sk-test-rotated-on-the-pc"
    hklm["legacy"] = {"type": "REG_EXPAND_SZ", "data": "%TEMP%"}
    hklm["coworkEgressAllowedHosts"] = {"type": "REG_MULTI_SZ", "data": ["docs.aiohub.org"]}
    state["keys"][HKCU.lower()] = {"disableAutoUpdates": {"type": "REG_SZ", "data": "true"}}
    state["keys"][(HKLM + "\\Sub").lower()] = {"inferenceProvider": {"type": "REG_SZ", "data": "gateway"}}
    windows.registry.write_text(json.dumps(state))
    result = audit(windows)
    found = sorted((f["class"], f.get("key")) for f in result["findings"])
    assert found == [("expand_sz", "legacy"), ("invisible_type", "coworkEgressAllowedHosts"),
                     ("missing_key", "coworkEgressAllowedHosts"), ("split_hives", None), ("sub_key", None),
                     ("value_drift", "inferenceGatewayApiKey")]
    assert result["state"] == "drifted"
    assert "sk-test-rotated-on-the-pc" not in json.dumps(result)
    assert "restart state not determined" in result["restart"]["unknown"]


def test_user_scope_reads_the_users_own_hive(windows):
    sid = "S-1-5-21-1004336348-1177238915-682003330-1001"
    windows.seed(keys={("HKU\\" + sid).lower(): {}}, users={"alice": sid})  # alice is logged on: her hive is loaded
    run = windows.run(CONFIG, windows_policy_scope="user", windows_policy_user="alice")
    assert run.returncode == 0, run.stdout[-3000:]
    result = audit(windows, audit_scope="user", audit_user="alice")
    assert result["state"] == "in_line", result["findings"]
    # machine policy appears: the app now ignores alice's hive entirely
    state = windows.state()
    state["keys"][HKLM.lower()] = {"": {"type": "REG_SZ", "data": ""}}
    windows.registry.write_text(json.dumps(state))
    result = audit(windows, audit_scope="user", audit_user="alice")
    assert [f["class"] for f in result["findings"]] == ["split_hives"]
