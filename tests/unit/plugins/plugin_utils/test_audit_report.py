"""Drift audit comparisons (spec §1.2-§1.6) and the fleet report, on files written here by hand."""

from __future__ import annotations

import json
import os
import plistlib

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.module_utils import audit
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _audit, _registry as registry, _report
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import managed_values
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import validate_config

KEY = "sk-test-audit-7e6d5c4b3a"
CONFIG = validate_config({"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org",
                          "inferenceGatewayApiKey": KEY, "isDesktopExtensionEnabled": False,
                          "coworkEgressAllowedHosts": ["docs.aiohub.org"]}).config
SALT = "0123456789abcdef"
SECRETS = ["inferenceGatewayApiKey"]


def plist_source(tmp_path, values, scope="machine", user=None, name="m.plist"):
    path = tmp_path / name
    path.write_bytes(plistlib.dumps(values))
    extra = {"kind": "managed", "scope": scope}
    if user:
        extra["user"] = user
    return audit.read_source(str(path), "plist", SECRETS, SALT, extra)


def classes(findings):
    return sorted((f["class"], f.get("key")) for f in findings)


def test_in_line_plist_has_no_findings_and_secret_never_leaves(tmp_path):
    source = plist_source(tmp_path, managed_values(CONFIG))
    assert KEY not in json.dumps(source)
    assert source["values"]["inferenceGatewayApiKey"]["__digest__"].startswith("hmac-sha256:")
    assert _audit.audit_posix(CONFIG, "macos", [source], SALT, SECRETS) == []


def test_plist_drift_secret_foreign_and_native_type(tmp_path):
    values = managed_values(CONFIG)
    values.update(inferenceGatewayApiKey="sk-test-rotated-by-hand", isDesktopExtensionEnabled="true", otherTool="x")
    values["coworkEgressAllowedHosts"] = ["docs.aiohub.org"]  # native array (spec §2.1: strings everywhere)
    del values["inferenceGatewayBaseUrl"]
    findings = _audit.audit_posix(CONFIG, "macos", [plist_source(tmp_path, values)], SALT, SECRETS)
    assert classes(findings) == [("foreign_key", "otherTool"), ("missing_key", "inferenceGatewayBaseUrl"),
                                 ("native_type", "coworkEgressAllowedHosts"), ("value_drift", "inferenceGatewayApiKey"),
                                 ("value_drift", "isDesktopExtensionEnabled")]
    text = json.dumps(findings)
    assert "sk-test-rotated-by-hand" not in text and KEY not in text and "compared by hash" in text
    assert "isDesktopExtensionEnabled is true here; desired false" in text


def test_boolean_as_one_is_in_line_and_garbage_is_unreadable(tmp_path):
    values = managed_values(CONFIG)
    values["isDesktopExtensionEnabled"] = "0"  # spec §2.1: "true"/"false" (also 1/0)
    assert _audit.audit_posix(CONFIG, "macos", [plist_source(tmp_path, values)], SALT, SECRETS) == []
    values["isDesktopExtensionEnabled"] = "nope"
    findings = _audit.audit_posix(CONFIG, "macos", [plist_source(tmp_path, values)], SALT, SECRETS)
    assert classes(findings) == [("unreadable_value", "isDesktopExtensionEnabled")]


def test_per_user_plist_overrides_key_by_key(tmp_path):
    machine = plist_source(tmp_path, managed_values(CONFIG))
    bob = plist_source(tmp_path, {"isDesktopExtensionEnabled": "true"}, scope="user", user="bob", name="bob.plist")
    findings = _audit.audit_posix(CONFIG, "macos", [machine, bob], SALT, SECRETS)
    assert classes(findings) == [("per_user_override", "isDesktopExtensionEnabled")]
    assert "bob's per-user plist" in findings[0]["message"]


@pytest.mark.parametrize("change,expect", [
    (lambda p: os.chmod(p, 0o666), "group/world-writable (mode 0666)"),
    (lambda p: os.chown(p, 1, 0), "not root"),
])
def test_linux_file_the_app_refuses(tmp_path, change, expect):
    if os.geteuid() != 0:
        pytest.skip("chown needs root")  # CI runs as root
    d = tmp_path / "claude-desktop"
    d.mkdir()
    path = d / "managed-settings.json"
    path.write_text(json.dumps(CONFIG))
    os.chmod(path, 0o644)
    change(str(path))
    entry = audit.read_source(str(path), "linux_json", SECRETS, SALT, {"kind": "managed", "scope": "machine"})
    entry["dir"] = audit._stat(str(d))
    findings = _audit.audit_posix(CONFIG, "linux", [entry], SALT, SECRETS)
    assert [f["class"] for f in findings] == ["refused_file"]
    assert expect in findings[0]["message"] and "local settings are disabled too" in findings[0]["message"]


def test_linux_symlink_is_refused(tmp_path):
    real = tmp_path / "real.json"
    real.write_text(json.dumps(CONFIG))
    link = tmp_path / "managed-settings.json"
    link.symlink_to(real)
    entry = audit.read_source(str(link), "linux_json", SECRETS, SALT, {"kind": "managed", "scope": "machine"})
    assert entry["symlink"] is True
    findings = _audit.audit_posix(CONFIG, "linux", [entry], SALT, SECRETS)
    assert "the file is a symlink" in findings[0]["message"]


def _reg(values):
    return {"exists": True, "sub_keys": [], "properties": {n: {"type": t, "value": v} for n, (t, v) in values.items()}}


def test_windows_split_hives_expand_sz_subkeys_and_types():
    hklm = {n: ("REG_SZ", v) for n, v in managed_values(CONFIG).items()}
    hklm["inferenceGatewayApiKey"] = ("REG_SZ", {"__digest__": audit.digest(KEY, SALT)})
    hklm["legacy"] = ("REG_EXPAND_SZ", "%TEMP%")
    hklm["coworkEgressAllowedHosts"] = ("REG_MULTI_SZ", ["docs.aiohub.org"])
    user = _reg({"disableAutoUpdates": ("REG_SZ", "true")})
    user["sub_keys"] = ["Sub"]
    findings = _audit.audit_windows(CONFIG, _reg(hklm), {"S-1-5-21-1": user}, SALT, SECRETS)
    assert classes(findings) == [("expand_sz", "legacy"), ("invisible_type", "coworkEgressAllowedHosts"),
                                 ("missing_key", "coworkEgressAllowedHosts"), ("split_hives", None), ("sub_key", None)]
    # a REG_DWORD is read for booleans (spec §1.3)
    hklm = {n: ("REG_SZ", v) for n, v in managed_values(CONFIG).items()}
    hklm["inferenceGatewayApiKey"] = ("REG_SZ", {"__digest__": audit.digest(KEY, SALT)})
    hklm["isDesktopExtensionEnabled"] = ("REG_DWORD", 0)
    assert _audit.audit_windows(CONFIG, _reg(hklm), {}, SALT, SECRETS) == []


def test_restart_notice():
    procs = [{"pid": 10, "name": "claude-desktop", "user": "alice", "started": 100.0}, {"pid": 11, "name": "Claude", "started": 300.0}]
    notice = _audit.restart_notice("macos", procs, 200.0)
    assert notice["needs_restart"] and [p["pid"] for p in notice["stale"]] == [10]
    assert "Cmd+Q" in notice["instruction"]
    assert not _audit.restart_notice("windows", procs[1:], 200.0)["needs_restart"]
    assert _audit.host_state([], notice) == "needs_restart" and _audit.host_state([{"severity": "warning"}], None) == "in_line"


def test_report_counts_teams_and_hides_in_line_hosts_from_detail(tmp_path):
    ok_gw = {"ok": True, "latency_ms": 40, "failures": [], "provider": "gateway"}
    bad_gw = {"ok": False, "latency_ms": None, "failures": [{"class": "tls", "message": "issued by 'CN=Corp'", "fix": "install CA"}]}
    audit_ok = {"state": "in_line", "findings": [], "restart": {}, "os": "linux"}
    audit_drift = {"state": "drifted", "os": "macos", "restart": {},
                   "findings": [{"class": "value_drift", "severity": "error", "source": "/x", "message": "m", "fix": "f"}]}
    hosts = [_report.host_entry("h%05d" % i, "eng" if i % 2 else "design", "linux", ok_gw, audit_ok) for i in range(10000)]
    hosts.append(_report.host_entry("drift1", "eng", "macos", bad_gw, audit_drift))
    hosts.append(_report.host_entry("gone1", "design", None, {"unreachable": True, "msg": "ssh: timeout"}, {"unreachable": True}))
    report = _report.build(hosts)
    assert report["summary"] == {"hosts": 10002, "in_line": 10000, "drifted": 1, "needs_restart": 0, "unreachable": 1,
                                 "gateway_failing": 1, "not_checked": 0}
    eng = next(t for t in report["teams"] if t["team"] == "eng")
    assert eng["gateway_failing"] == 1 and eng["gateway_classes"] == {"tls": 1} and eng["latency_median_ms"] == 40
    paths = _report.write(report, str(tmp_path / "reports"))
    page = open(paths["html"]).read()
    assert page.count('<tr class="host"') == 2 and 'id="host-drift1"' in page
    assert "http" not in page.replace("http-equiv", "")  # self-contained: no external asset
    assert len(page) < 2_000_000
    assert json.load(open(paths["json"]))["summary"]["hosts"] == 10002


def test_a_managed_file_changed_since_the_collection_wrote_it(tmp_path, monkeypatch):
    from ansible_collections.aiohub.claude_desktop.plugins.module_utils import placement
    import hashlib

    source = plist_source(tmp_path, managed_values(CONFIG))
    written = (tmp_path / "m.plist").read_bytes()
    state = tmp_path / "state"
    state.mkdir()
    monkeypatch.setitem(placement.STATE_DIRS, "macos", str(state))
    (state / placement.RECORD_FILE).write_text(json.dumps({
        "format": placement.RECORD_FORMAT, "version": 1,
        "files": {source["path"]: {"kind": "file", "written_sha256": hashlib.sha256(written).hexdigest(), "updated": "2026-11-25T20:00:00Z",
                                   "prior": {"exists": True, "content_b64": "c2stdGVzdC1wcmlvci1zZWNyZXQ="}}}}))
    records = audit.read_records("macos")
    assert "content_b64" not in json.dumps(records)
    audit._mark_records([source], records)
    assert source["record"] == {"matches": True, "updated": "2026-11-25T20:00:00Z"}
    assert _audit.audit_posix(CONFIG, "macos", [source], SALT, SECRETS) == []
    values = managed_values(CONFIG)
    values["isDesktopExtensionEnabled"] = "true"
    changed = plist_source(tmp_path, values)
    audit._mark_records([changed], records)
    assert classes(_audit.audit_posix(CONFIG, "macos", [changed], SALT, SECRETS)) == [
        ("changed_since_deploy", None), ("value_drift", "isDesktopExtensionEnabled")]


@pytest.mark.parametrize("default, split", [
    ({"type": "REG_SZ", "value": "x", "raw_value": "x"}, True),                       # a string (Default): present
    ({"type": "REG_SZ", "value": 2 ** 40, "raw_value": 2 ** 40}, False),              # out of Int32: a REG_QWORD, invisible
    ({"type": "REG_SZ", "value": ["a"], "raw_value": ["a"]}, False),                  # REG_MULTI_SZ / REG_BINARY
    ({"type": "REG_QWORD", "value": 7, "raw_value": 7}, False),                        # typed by DEFAULT_KIND_SCRIPT
    ({"type": "REG_SZ", "value": 7, "raw_value": 7, "kind_error": "CLM"}, True),       # type unreadable: counted as a REG_DWORD
])
def test_windows_audit_counts_present_as_the_deploy_side_does(default, split):
    """The drift audit and the deploy side share one rule of what makes HKLM "present" (issue 20 item 9): a (Default)
    the app cannot read does not make the user's policy ignored."""
    user = _reg({n: ("REG_SZ", v) for n, v in managed_values(CONFIG).items()})
    user["properties"]["inferenceGatewayApiKey"] = {"type": "REG_SZ", "value": {"__digest__": audit.digest(KEY, SALT)}}
    machine = {"exists": True, "sub_keys": [], "properties": {"": default}}
    findings = _audit.audit_windows(CONFIG, machine, {"S-1-5-21-1": user}, SALT, SECRETS, scope="user", target_user="S-1-5-21-1")
    assert (("split_hives", None) in classes(findings)) is split, findings
    assert bool(registry.presence(machine["properties"])) is split
