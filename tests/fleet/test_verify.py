"""playbooks/verify.yml against the SSH fleet, with the fake gateway running as a host inside the fleet.

The gateway runs in linux1's network namespace (tests/fleet/fleet.sh exec) on the fleet subnet with a
certificate from a test CA for gateway.fleet.test; every host resolves that name through its own
/etc/hosts. Each machine calls it itself (gateway_check runs on the target).
"""

from __future__ import annotations

import json
import os
import re
import time

import pytest
import yaml

from support import browser
from support.fleet import FLEET, ansible_playbook, fleet, on_host
from support.gateway import make_certificates, requests_seen, start_gateway, stop

pytestmark = pytest.mark.fleet

KEY = "sk-test-fleet-verify-a1b2c3d4e5"
NAME = "gateway.fleet.test"
LINUX_MANAGED = "/etc/claude-desktop/managed-settings.json"
MAC_MANAGED = "/Library/Managed Preferences/com.anthropic.claudefordesktop.plist"
HOSTS = ("mac1", "linux1", "mac2")


def _ip(inventory, host):
    data = yaml.safe_load(open(inventory))
    for group in data["fleet"]["children"].values():
        if host in (group.get("hosts") or {}):
            return group["hosts"][host]["ansible_host"]
    raise KeyError(host)


@pytest.fixture(scope="module")
def gateway(fleet_inventory, tmp_path_factory):
    d = tmp_path_factory.mktemp("fleet-gateway")
    ip = _ip(fleet_inventory, "linux1")
    certs = make_certificates(d, names=(NAME, ip))
    for path in (certs["ca"], certs["cert"], certs["key"]):
        os.chmod(path, 0o644)
    os.chmod(str(d), 0o755)
    proc, ready, log = start_gateway(d, KEY, bind=ip, cert=certs["cert"], cert_key=certs["key"], python="/usr/bin/python3",
                                     prefix=("bash", FLEET, "exec", "linux1", "--"))
    for host in HOSTS:
        on_host(host, "sh", "-c", "grep -q ' %s$' /etc/hosts || echo '%s %s' >> /etc/hosts" % (NAME, ip, NAME))
    try:
        yield {"base": "https://%s:%d" % (NAME, ready["port"]), "ca": certs["ca"], "log": log, "dir": d}
    finally:
        stop(proc)


@pytest.fixture(scope="module")
def verify_vars(gateway, tmp_path_factory):
    d = tmp_path_factory.mktemp("verify-vars")
    path = d / "fleet.yml"
    path.write_text(yaml.safe_dump({
        "claude_desktop_config": {
            "inferenceProvider": "gateway", "inferenceGatewayBaseUrl": gateway["base"], "inferenceGatewayApiKey": KEY,
            "isDesktopExtensionEnabled": False, "coworkEgressAllowedHosts": ["docs.aiohub.org"],
            "inferenceModels": ["claude-sonnet-4-5"],
        },
        "claude_desktop_mode": "both",
        "claude_desktop_users": ["alice"],
        "claude_desktop_batches": [3],
        "claude_desktop_verify_ca_bundle": gateway["ca"],
        "claude_desktop_verify_timeout": 3,
        "claude_desktop_reports_dir": str(d / "reports"),
    }))
    return {"file": str(path), "reports": d / "reports"}


def _extra(tmp_path, data):
    path = tmp_path / ("extra-%d.yml" % time.time_ns())
    path.write_text(yaml.safe_dump(data))
    return str(path)


def _verify(inventory, verify_vars, *args, extra=()):
    run = ansible_playbook(inventory, "verify.yml", *args, extra_vars=[verify_vars["file"], *extra])
    assert KEY not in run.stdout + run.stderr
    assert "HTML report: " in run.stdout, run.stdout[-4000:]
    report = json.loads((verify_vars["reports"] / "verify-report.json").read_text())
    assert KEY not in json.dumps(report) and KEY not in (verify_vars["reports"] / "verify-report.html").read_text()
    return run, report, {h["host"]: h for h in report["hosts"]}


@pytest.fixture(scope="module")
def deployed(fleet_inventory, verify_vars):
    run = ansible_playbook(fleet_inventory, "deploy.yml", extra_vars=[verify_vars["file"]])
    assert run.returncode == 0, run.stdout[-3000:]
    return True


def test_after_deploy_every_host_is_in_line_and_the_gateway_answers_from_each(fleet_inventory, verify_vars, gateway, deployed, tmp_path):
    before = len(requests_seen(gateway["log"]))
    run, report, hosts = _verify(fleet_inventory, verify_vars, "-vvvv")
    assert run.returncode == 0
    assert "3 hosts, 3 in line, 0 drifted" in run.stdout and "0 need a restart, 0 unreachable" in run.stdout
    assert "gateway failing on 0" in run.stdout
    assert str(verify_vars["reports"] / "verify-report.html") in run.stdout
    for name in HOSTS:
        assert hosts[name]["state"] == "in_line" and hosts[name]["findings"] == [], hosts[name]
        assert hosts[name]["gateway"]["ok"] and hosts[name]["gateway"]["models_listed"] == 3
    # four calls per host (models, messages, stream, tools), each from that host's own address
    assert len(requests_seen(gateway["log"])) - before == 12
    # the page in a real browser: the summary says 3 in line, no host row, no red anywhere
    page = verify_vars["reports"] / "verify-report.html"
    dom = browser.dump_dom(str(page))
    assert re.search(r'id="count-in_line"[^>]*><b>3</b>', dom) and 'id="no-findings"' in dom
    image = browser.screenshot(str(page), tmp_path / "clean.png", width=1000, height=700)
    assert browser.count_colour(image, browser.hex_rgb("#1a7f37")) > 2000  # the green "in line" card
    assert browser.count_colour(image, browser.hex_rgb("#cf222e")) == 0


def test_drift_by_hand_restart_and_unreachable_are_found(fleet_inventory, verify_vars, gateway, deployed, tmp_path):
    # linux1: group/world-writable managed file with a changed value and a foreign key
    data = json.loads(on_host("linux1", "cat", LINUX_MANAGED).stdout)
    data["coworkEgressAllowedHosts"] = ["evil.example.com"]
    data["telemetryFoo"] = "x"
    on_host("linux1", "sh", "-c", "printf %s \"$1\" > \"$2\" && chmod 0666 \"$2\"", "-", json.dumps(data), LINUX_MANAGED)
    # mac1: the key rotated by hand in the plist (a secret: compared by hash, never shown)
    on_host("mac1", "python3", "-c", "import plistlib,sys; p=sys.argv[1]; d=plistlib.load(open(p,'rb')); "
            "d['inferenceGatewayApiKey']='sk-test-rotated-by-hand-000'; plistlib.dump(d, open(p,'wb'))", MAC_MANAGED)
    # mac2: an app process that started before the config changed
    app = on_host("mac2", "bash", "-c", "(exec -a /opt/Claude/claude-desktop sleep 300) >/dev/null 2>&1 & echo $!")
    pid = app.stdout.strip()
    try:
        time.sleep(1.2)
        on_host("mac2", "touch", MAC_MANAGED)
        run, report, hosts = _verify(fleet_inventory, verify_vars, "-vvvv")
    finally:
        on_host("mac2", "kill", pid)
    assert report["summary"]["drifted"] == 2 and report["summary"]["needs_restart"] == 1
    # the run fails after writing the report, so a scheduled job alerts (issue 21 item 5); a restart alone does not
    assert run.returncode != 0, run.stdout[-3000:]
    assert "Verification found 2 drifted (linux1, mac1) (claude_desktop_verify_fail_on: drifted, gateway_failing, unreachable)" \
        in " ".join(run.stdout.split()), run.stdout[-3000:]
    linux = {f["class"]: f for f in hosts["linux1"]["findings"]}
    assert "group/world-writable (mode 0666)" in linux["refused_file"]["message"]
    assert linux["value_drift"]["key"] == "coworkEgressAllowedHosts" and "evil.example.com" in linux["value_drift"]["message"]
    assert linux["foreign_key"]["key"] == "telemetryFoo"
    mac1 = [f for f in hosts["mac1"]["findings"] if f["class"] == "value_drift"]
    assert [f["key"] for f in mac1] == ["inferenceGatewayApiKey"] and "compared by hash" in mac1[0]["message"]
    assert "sk-test-rotated-by-hand-000" not in run.stdout + json.dumps(report)
    assert hosts["mac2"]["state"] == "needs_restart"
    assert [p["pid"] for p in hosts["mac2"]["restart"]["stale"]] == [int(pid)]
    assert "Cmd+Q" in next(f["fix"] for f in hosts["mac2"]["findings"] if f["class"] == "needs_restart")
    page = verify_vars["reports"] / "verify-report.html"
    dom = browser.dump_dom(str(page))
    rows = re.findall(r'<tr class="host" id="host-([^"]+)">.*?data-state="([a-z_]+)"', dom)
    assert sorted(rows) == [("linux1", "drifted"), ("mac1", "drifted"), ("mac2", "needs_restart")]
    image = browser.screenshot(str(page), tmp_path / "drift.png", width=1000, height=700)
    assert browser.count_colour(image, browser.hex_rgb("#cf222e")) > 1000  # the red "drifted" card and badges
    assert browser.count_colour(image, browser.hex_rgb("#bf8700")) > 500   # needs restart

    # relaxed by the documented variable: only unreachable hosts fail this run, drift is reported
    relaxed = _extra(tmp_path, {"claude_desktop_verify_fail_on": ["unreachable"]})
    run, report, hosts = _verify(fleet_inventory, verify_vars, extra=[relaxed])
    assert report["summary"]["drifted"] == 2 and run.returncode == 0, run.stdout[-3000:]

    # repair: deploy again, and verify says in line (the mac2 app was stopped)
    assert ansible_playbook(fleet_inventory, "deploy.yml", extra_vars=[verify_vars["file"]]).returncode == 0
    run, report, hosts = _verify(fleet_inventory, verify_vars)
    assert [hosts[h]["state"] for h in HOSTS] == ["in_line"] * 3, report["hosts"]
    assert run.returncode == 0, run.stdout[-3000:]


def test_failure_classes_seen_from_the_fleet(fleet_inventory, verify_vars, gateway, deployed, tmp_path):
    # DNS: a name no host can resolve; TLS: the gateway's CA not trusted; unreachable: mac2 down
    dns = _extra(tmp_path, {"claude_desktop_verify_base_url": "https://nowhere.fleet.test:%s" % gateway["base"].rsplit(":", 1)[1]})
    fleet("stop-host", "mac2")
    try:
        run, report, hosts = _verify(fleet_inventory, verify_vars, extra=[dns])
    finally:
        fleet("start-host", "mac2")
    assert hosts["mac2"]["state"] == "unreachable" and report["summary"]["unreachable"] == 1
    assert run.returncode != 0
    found = " ".join(run.stdout.split())
    assert "Verification found 2 gateway failing (linux1, mac1); 1 unreachable (mac2)" in found, run.stdout[-3000:]
    for name in ("mac1", "linux1"):
        assert hosts[name]["gateway"]["classes"] == ["dns"], hosts[name]
        assert "cannot resolve nowhere.fleet.test" in hosts[name]["findings"][0]["message"]
    system_store = _extra(tmp_path, {"claude_desktop_verify_ca_bundle": "/etc/ssl/certs/ca-certificates.crt"})
    run, report, hosts = _verify(fleet_inventory, verify_vars, extra=[system_store])
    msg = next(f["message"] for f in hosts["mac1"]["findings"] if f["class"] == "gateway_tls")
    assert "issued by 'O=Fake Corp, CN=Fake Corp Root CA'" in msg  # the system store lacks the test CA


def test_installed_builds_per_team_and_the_firewall_list_in_the_report(fleet_inventory, verify_vars, gateway, deployed, tmp_path):
    """Issue 24: the audit reads each host's fake app (fleet.sh app-version: the bundle's Info.plist on the
    "Macs", a dpkg status entry on Linux) and the report gives the oldest build against the inventory's."""
    assert fleet("app-version", "mac1", "1.9659.1").returncode == 0   # older than the inventory says
    assert fleet("app-version", "linux1", "1.40609.0").returncode == 0
    assert fleet("app-version", "mac2", "none").returncode == 0       # not installed
    try:
        extra = _extra(tmp_path, {"claude_desktop_min_app_version": "1.19367.0"})
        run, report, hosts = _verify(fleet_inventory, verify_vars, extra=[extra])
    finally:
        for host in HOSTS:
            fleet("app-version", host, "1.46388.4")
    app = {h: [(f["class"], f["severity"]) for f in hosts[h]["findings"] if f["class"].startswith("app_")] for h in HOSTS}
    assert app == {"mac1": [("app_outdated", "error")], "linux1": [], "mac2": [("app_not_installed", "warning")]}
    assert hosts["mac1"]["app"]["version"] == "1.9659.1" and hosts["mac1"]["app"]["source"] == "bundle"
    assert hosts["linux1"]["app"]["version"] == "1.40609.0" and hosts["linux1"]["app"]["source"] == "dpkg-query"
    assert hosts["mac2"]["app"]["installed"] is False
    row = report["app_versions"][0]
    assert (row["oldest"], row["oldest_hosts"], row["min_app_version"], row["status"]) == ("1.9659.1", ["mac1"], "1.19367.0", "error")
    assert row["not_installed"] == ["mac2"]
    # one configuration, one perimeter list: the gateway host for inference, downloads.claude.ai always
    assert len(report["firewall"]) == 1 and sorted(report["firewall"][0]["hosts"]) == sorted(HOSTS)
    entries = {e["host"]: e for e in report["firewall"][0]["entries"]}
    assert entries[NAME]["label"] == "required" and "inference" in entries[NAME]["reason"]
    assert entries["downloads.claude.ai"]["label"] == "required" and entries["docs.aiohub.org"]["label"] == "optional"
    dom = browser.dump_dom(str(verify_vars["reports"] / "verify-report.html"))
    assert re.search(r'<tr class="app-team" data-status="error">', dom) and 'id="firewall-0"' in dom
