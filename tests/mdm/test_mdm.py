"""Issue 23: ansible-playbook aiohub.claude_desktop.mdm against stand-in Jamf Pro and Microsoft Graph
servers (tests/support/fake_jamf.py, fake_graph.py: TLS on loopback with a CA made here, auth enforced,
the documented shapes and errors), from the installed collection, by FQCN, on an inventory directory."""

from __future__ import annotations

import base64
import json
import plistlib
import xml.etree.ElementTree as ET

import pytest
import yaml

from mdm_helpers import fqcn
from support.fake_graph import FakeGraph
from support.fake_jamf import ALL_PRIVILEGES, FakeJamf
from support.mdm_server import LoopbackCA

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import parse_reg

KEY = "sk-test-mdm-gateway-1f2e3d4c5b6a"
SECRET = "mdm-client-secret-9a8b7c6d5e4f"
ORG = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "inferenceGatewayApiKey": KEY,
       "coworkEgressAllowedHosts": ["docs.aiohub.org"]}
TEAMS = {"team_eng": {"coworkEgressAllowedHosts_extra": ["github.com"]}, "team_sales": {"isClaudeCodeForDesktopEnabled": False}}


def write_inventory(project, mdm, groups=None, states=None, sales_extra=None, hosts=None, team_vars=None, extra_groups=None):
    inv = project / "inventory"
    (inv / "group_vars").mkdir(parents=True, exist_ok=True)
    (inv / "hosts.yml").write_text(yaml.safe_dump(hosts or {"all": {"children": {
        "macos": {"hosts": {"mac-eng-1": None, "mac-eng-2": None, "mac-sales-1": None}},
        "linux": {"hosts": {"lnx-1": None}},
        "team_eng": {"hosts": {"mac-eng-1": None, "mac-eng-2": None}},
        "team_sales": {"hosts": {"mac-sales-1": None}},
        "team_ops": {"hosts": {"lnx-1": None}}}}}))
    (inv / "group_vars" / "all.yml").write_text(yaml.safe_dump({
        "claude_desktop_config": ORG, "claude_desktop_identifier": "com.example.claude", "claude_desktop_mdm": mdm}))
    (inv / "group_vars" / "macos.yml").write_text(yaml.safe_dump({"claude_desktop_os": "macos"}))
    (inv / "group_vars" / "linux.yml").write_text(yaml.safe_dump({"claude_desktop_os": "linux"}))
    groups = groups or {"team_eng": ["Eng Macs"], "team_sales": ["Sales Macs"]}
    for team, config in TEAMS.items():
        data = {"claude_desktop_team_config": dict(config, **(sales_extra or {} if team == "team_sales" else {})),
                "claude_desktop_mdm_groups": groups.get(team)}
        if states and team in states:
            data["claude_desktop_mdm_state"] = states[team]
        data.update((team_vars or {}).get(team, {}))
        (inv / "group_vars" / ("%s.yml" % team)).write_text(yaml.safe_dump(data))
    for group, data in (extra_groups or {}).items():
        (inv / "group_vars" / ("%s.yml" % group)).write_text(yaml.safe_dump(data))
    return project


def ok(proc):
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-3000:]
    return proc


def no_secret(proc, server):
    out = proc.stdout + proc.stderr
    assert SECRET not in out and KEY not in out
    assert not any(token in out for token in server.tokens)


def plist_without_identity(data):
    value = plistlib.loads(data)
    return {k: v for k, v in value.items() if k not in ("PayloadUUID", "PayloadIdentifier")}


@pytest.fixture
def ca(tmp_path):
    return LoopbackCA(tmp_path / "ca")


@pytest.fixture
def jamf(ca):
    server = FakeJamf(ca, clients={"ansible-client": {"secret": SECRET}}, groups=["Eng Macs", "Sales Macs", "Lab"]).start()
    yield server
    server.stop()


def jamf_conf(server, ca, **extra):
    return dict({"provider": "jamf", "url": server.url, "client_id": "ansible-client", "client_secret": SECRET,
                 "ca_bundle": ca.ca_pem, "max_retry_wait": 2}, **extra)


def test_jamf_two_teams_idempotent_team_update_identity_kept_removal_by_proof(installed_collections, tmp_path, jamf, ca):
    project = write_inventory(tmp_path / "project", jamf_conf(jamf, ca))
    foreign_payload = plistlib.dumps({"PayloadType": "Configuration", "PayloadIdentifier": "com.other.wifi", "PayloadUUID": "X",
                                      "PayloadContent": []})
    foreign = jamf.add_profile("Wi-Fi (console)", foreign_payload, description="made by hand", groups=["Lab"])

    check = ok(fqcn(installed_collections, project, "mdm", "--check", "--diff", "-vvv"))
    assert jamf.writes() == [] and "would create" in check.stdout
    no_secret(check, jamf)

    first = ok(fqcn(installed_collections, project, "mdm", "-vvv"))
    no_secret(first, jamf)
    (tmp_path / "first-vvv.log").write_text(first.stdout + first.stderr)
    (tmp_path / "check-diff.log").write_text(check.stdout + check.stderr)
    eng, sales = jamf.by_name("Claude Desktop (third-party inference): team_eng"), jamf.by_name("Claude Desktop (third-party inference): team_sales")
    assert eng and sales and len(jamf.profiles) == 3
    assert jamf.scope_names(eng) == ["Eng Macs"] and jamf.scope_names(sales) == ["Sales Macs"]
    assert "skipped" in first.stdout and "lnx-1: linux hosts are not delivered by Jamf Pro" in first.stdout
    # the payload Jamf holds is the plist render writes for the team, with Jamf's own identity
    render = ok(fqcn(installed_collections, project, "render", "-e", "claude_desktop_artifacts_dir=%s" % (tmp_path / "out")))
    rendered = (tmp_path / "out" / "by-group" / "team_eng" / "claude-desktop.mobileconfig").read_bytes()
    held = eng["payloads"].encode()
    assert plist_without_identity(held) == plist_without_identity(rendered)
    assert plistlib.loads(held)["PayloadIdentifier"] == eng["uuid"] != plistlib.loads(rendered)["PayloadIdentifier"]
    assert plistlib.loads(held)["PayloadContent"][0]["inferenceGatewayApiKey"] == KEY  # the MDM holds the key by design
    assert render.returncode == 0

    writes = len(jamf.writes())
    again = ok(fqcn(installed_collections, project, "mdm"))
    assert "changed=0" in again.stdout and len(jamf.writes()) == writes

    # one team's change updates only its profile, keeping the identity Jamf gave it
    write_inventory(project, jamf_conf(jamf, ca), sales_extra={"inferenceMaxTokensPerWindow": 500000})
    eng_before = json.dumps(jamf.by_name(eng["name"]), sort_keys=True)
    third = ok(fqcn(installed_collections, project, "mdm", "--diff"))
    assert "changed=1" in third.stdout and KEY not in third.stdout
    assert jamf.writes()[writes:] == [("PUT", "/JSSResource/osxconfigurationprofiles/id/%s" % sales["id"])]
    assert json.dumps(jamf.by_name(eng["name"]), sort_keys=True) == eng_before
    new_sales = jamf.by_name(sales["name"])
    assert plistlib.loads(new_sales["payloads"].encode())["PayloadContent"][0]["inferenceMaxTokensPerWindow"] == "500000"
    assert plistlib.loads(new_sales["payloads"].encode())["PayloadUUID"] == sales["uuid"] and jamf.identity_changes == 0

    # a console edit and a scope change are drift for verify.yml --tags mdm; mdm restores them
    held = plistlib.loads(jamf.profiles[eng["id"]]["payloads"].encode())
    held["PayloadContent"][0]["inferenceGatewayBaseUrl"] = "https://evil.example"
    jamf.profiles[eng["id"]]["payloads"] = plistlib.dumps(held).decode()
    jamf.profiles[sales["id"]]["groups"] = ["3"]
    drift = fqcn(installed_collections, project, "verify", "--tags", "mdm")
    assert drift.returncode != 0, drift.stdout[-3000:]
    assert "settings differ from the inventory" in drift.stdout and "scoped to ['Lab'] instead of ['Sales Macs']" in drift.stdout
    # the whole verify run (machines unreachable here: no such hosts) still compares the MDM, writes the report,
    # and fails naming both the machines and the MDM drift
    full = fqcn(installed_collections, project, "verify", "-e", "claude_desktop_reports_dir=%s" % (tmp_path / "reports"))
    assert full.returncode != 0, full.stdout[-3000:]
    assert "settings differ from the inventory" in full.stdout and "MDM drift:" in full.stdout, full.stdout[-4000:]
    assert "Verification found" in full.stdout and (tmp_path / "reports" / "verify-report.json").exists()
    ok(fqcn(installed_collections, project, "mdm"))
    ok(fqcn(installed_collections, project, "verify", "--tags", "mdm"))

    # removal: only the profile this collection created for the team; the foreign one stays
    write_inventory(project, jamf_conf(jamf, ca), states={"team_sales": "absent"},
                    sales_extra={"inferenceMaxTokensPerWindow": 500000})
    removed = ok(fqcn(installed_collections, project, "mdm"))
    assert jamf.by_name(sales["name"]) is None and jamf.by_name(eng["name"]) is not None
    assert jamf.profiles[foreign]["payloads"] == foreign_payload.decode() and "deleted" in removed.stdout
    again = ok(fqcn(installed_collections, project, "mdm"))
    assert "changed=0" in again.stdout


def test_jamf_foreign_profile_of_the_same_name_is_never_taken_over_nor_deleted(installed_collections, tmp_path, jamf, ca):
    name = "Claude Desktop (third-party inference): team_sales"
    foreign = jamf.add_profile(name, plistlib.dumps({"PayloadType": "Configuration", "PayloadContent": []}), description="hand made")
    project = write_inventory(tmp_path / "project", jamf_conf(jamf, ca))
    proc = fqcn(installed_collections, project, "mdm")
    assert proc.returncode != 0
    assert "a profile named %r exists in Jamf Pro that this collection did not create" % name in proc.stdout
    assert jamf.writes() == []  # nothing sent, not even the other team's profile
    write_inventory(project, jamf_conf(jamf, ca), states={"team_sales": "absent"})
    ok(fqcn(installed_collections, project, "mdm"))
    assert jamf.profiles[foreign]["description"] == "hand made" and jamf.by_name(name)["id"] == foreign


def test_jamf_retries_429_and_5xx_then_names_privilege_status_and_fix(installed_collections, tmp_path, jamf, ca):
    project = write_inventory(tmp_path / "project", jamf_conf(jamf, ca))
    jamf.inject("GET", "/JSSResource/osxconfigurationprofiles", 429, {"Retry-After": "1"})
    jamf.inject("POST", "/JSSResource/osxconfigurationprofiles/id/0", 503, times=2)
    jamf.inject("POST", "/api/oauth/token", 502)
    ok(fqcn(installed_collections, project, "mdm"))
    assert len(jamf.profiles) == 2
    assert sum(1 for m, p, tag in jamf.log if tag == "fault") == 4

    jamf.expire_tokens()  # a token that expired mid-run is renewed once
    ok(fqcn(installed_collections, project, "mdm"))

    jamf.clients["ansible-client"]["privileges"] = set(ALL_PRIVILEGES) - {"Update macOS Configuration Profiles"}
    write_inventory(project, jamf_conf(jamf, ca), sales_extra={"autoModeEnabled": True})
    proc = fqcn(installed_collections, project, "mdm", "-vvv")
    assert proc.returncode != 0
    assert ("Jamf Pro: cannot update the configuration profile 'Claude Desktop (third-party inference): team_sales'" in proc.stdout
            and "HTTP 401" in proc.stdout and "Update macOS Configuration Profiles" in proc.stdout)
    no_secret(proc, jamf)

    write_inventory(project, jamf_conf(jamf, ca, client_secret="wrong-secret"))
    proc = fqcn(installed_collections, project, "mdm")
    assert proc.returncode != 0 and "get an access token for client_id ansible-client" in proc.stdout and "HTTP 401" in proc.stdout
    assert "wrong-secret" not in proc.stdout + proc.stderr

    write_inventory(project, jamf_conf(jamf, ca), groups={"team_eng": ["No Such Group"], "team_sales": ["Sales Macs"]})
    proc = fqcn(installed_collections, project, "mdm")
    assert proc.returncode != 0 and "HTTP 404" in proc.stdout and "create the computer group 'No Such Group'" in proc.stdout

    write_inventory(project, jamf_conf(jamf, ca), groups={"team_eng": ["Eng Macs"]})
    proc = fqcn(installed_collections, project, "mdm")
    assert proc.returncode != 0 and "no claude_desktop_mdm_groups for this config (team team_sales)" in proc.stdout
    assert "mac-sales-1" in proc.stdout

    conf = jamf_conf(jamf, ca)
    del conf["ca_bundle"]
    write_inventory(project, conf)
    proc = fqcn(installed_collections, project, "mdm")
    assert proc.returncode != 0 and "set claude_desktop_mdm.ca_bundle" in proc.stdout


# ---------------------------------------------------------------------------------------------- Intune

TENANT = "11111111-2222-3333-4444-555555555555"


@pytest.fixture
def graph(ca):
    server = FakeGraph(ca, clients={"app-id": {"secret": SECRET}}, tenant=TENANT, groups=["Eng Devices", "Sales Macs", "Win PCs"]).start()
    yield server
    server.stop()


def intune_conf(server, ca, **extra):
    return dict({"provider": "intune", "url": server.url, "tenant_id": TENANT, "token_url": server.token_url(),
                 "client_id": "app-id", "client_secret": SECRET, "ca_bundle": ca.ca_pem, "max_retry_wait": 2}, **extra)


INTUNE_HOSTS = {"all": {"children": {
    "macos": {"hosts": {"mac-eng-1": None, "mac-sales-1": None}},
    "windows": {"hosts": {"win-pc-1": {"claude_desktop_os": "windows"}}},
    "team_eng": {"hosts": {"mac-eng-1": None}},
    "team_pc": {"hosts": {"win-pc-1": None}},
    "team_sales": {"hosts": {"mac-sales-1": None}}}}}
# Windows PCs get the credential from a helper (the ADMX has no policy for an API key), with a Windows path
PC = {"team_pc": {"claude_desktop_team_config": {"inferenceGatewayApiKey": None,
                                                 "inferenceCredentialHelper": "C:\\Program Files\\Corp\\llm-token.exe"},
                  "claude_desktop_mdm_groups": ["Win PCs"]}}


def admx_registry(settings):
    """What Windows' Policy CSP writes for ADMX-backed settings of an ingested ADMX (the tests' model of it):
    each policy's key/valueName, enabledValue/disabledValue or its element's data value, as REG_SZ."""
    ns = {"p": "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"}
    admx = next(s for s in settings if "/ConfigOperations/ADMXInstall/" in s["omaUri"])
    root = ET.fromstring(admx["value"].encode())
    policies = {p.get("name"): p for p in root.findall("p:policies/p:policy", ns)}
    out = {}
    for s in settings:
        if s is admx:
            continue
        assert s["omaUri"].startswith("./Device/Vendor/MSFT/Policy/Config/ClaudeDesktop~Policy~ClaudeDesktop~cat_")
        policy = policies[s["omaUri"].rsplit("/", 1)[1]]
        assert policy.get("key") == "SOFTWARE\\Policies\\Claude"  # directly under the key (spec §1.3)
        data = ET.fromstring("<r>%s</r>" % s["value"])
        if policy.find("p:enabledValue", ns) is not None:
            which = "p:enabledValue/p:string" if data.find("enabled") is not None else "p:disabledValue/p:string"
            out[policy.get("valueName")] = policy.find(which, ns).text
        else:
            element = data.find("data")
            out[element.get("id")] = element.get("value")
    return out


def test_intune_macos_and_windows_profiles_paging_retry_idempotence_removal(installed_collections, tmp_path, graph, ca):
    for i in range(3):  # foreign configurations: the list is paged (2 a page) past them
        graph.add_config("Foreign %d" % i, b"<plist/>", description="someone else's")
    project = write_inventory(tmp_path / "project", intune_conf(graph, ca), hosts=INTUNE_HOSTS,
                              groups={"team_eng": ["Eng Devices"], "team_sales": ["Sales Macs"]}, extra_groups=PC)
    graph.inject("POST", "/v1.0/deviceManagement/deviceConfigurations/", 429, {"Retry-After": "1"})  # the first /assign
    first = ok(fqcn(installed_collections, project, "mdm", "-vvv"))
    no_secret(first, graph)
    mac = graph.named("Claude Desktop (third-party inference): team_eng")
    win = graph.named("Claude Desktop (third-party inference): team_pc (Windows)")
    sales = graph.named("Claude Desktop (third-party inference): team_sales")
    assert len(mac) == len(win) == len(sales) == 1 and len(graph.configs) == 6
    assert graph.scope_names(mac[0]["id"]) == ["Eng Devices"] and graph.scope_names(win[0]["id"]) == ["Win PCs"]
    assert graph.scope_names(sales[0]["id"]) == ["Sales Macs"]
    assert graph.next_pages == 1  # 3 foreign configurations, 2 a page: the @odata.nextLink was followed
    assert [tag for m, p, tag in graph.log if tag == "fault"] == ["fault"]  # the 429 was met and retried
    # the macOS payload is the bytes render writes for the team
    ok(fqcn(installed_collections, project, "render", "-e", "claude_desktop_artifacts_dir=%s" % (tmp_path / "out")))
    rendered = (tmp_path / "out" / "by-group" / "team_sales" / "claude-desktop.mobileconfig").read_bytes()
    assert base64.b64decode(sales[0]["payload"]) == rendered and sales[0]["@odata.type"] == "#microsoft.graph.macOSCustomConfiguration"
    # the Windows profile, ingested, writes the REG_SZ values the team's .reg holds
    reg = parse_reg((tmp_path / "out" / "by-group" / "team_pc" / "claude-desktop.reg").read_bytes())[1]
    assert reg["inferenceCredentialHelper"] == "C:\\Program Files\\Corp\\llm-token.exe"
    assert admx_registry(win[0]["omaSettings"]) == reg

    writes = len(graph.writes())
    again = ok(fqcn(installed_collections, project, "mdm"))
    assert "changed=0" in again.stdout and len(graph.writes()) == writes
    ok(fqcn(installed_collections, project, "verify", "--tags", "mdm"))

    write_inventory(project, intune_conf(graph, ca), hosts=INTUNE_HOSTS, groups={"team_eng": ["Eng Devices"], "team_sales": ["Sales Macs"]},
                    extra_groups=PC, states={"team_sales": "absent"})
    ok(fqcn(installed_collections, project, "mdm"))
    assert not graph.named(sales[0]["displayName"]) and len(graph.named("Foreign 1")) == 1 and len(graph.configs) == 5

    graph.clients["app-id"]["roles"] = {"DeviceManagementConfiguration.Read.All", "GroupMember.Read.All"}
    write_inventory(project, intune_conf(graph, ca), hosts=INTUNE_HOSTS, groups={"team_eng": ["Eng Devices"]}, extra_groups=PC,
                    team_vars={"team_eng": {"claude_desktop_team_config": {"autoModeEnabled": True}}}, states={"team_sales": "absent"})
    proc = fqcn(installed_collections, project, "mdm")
    assert proc.returncode != 0 and "Microsoft Intune: cannot update the device configuration" in proc.stdout
    assert "HTTP 403" in proc.stdout and "DeviceManagementConfiguration.ReadWrite.All" in proc.stdout


def test_intune_windows_refuses_a_secret_the_admx_cannot_carry(installed_collections, tmp_path, graph, ca):
    project = write_inventory(tmp_path / "project", intune_conf(graph, ca), hosts=INTUNE_HOSTS,
                              groups={"team_eng": ["Eng Devices"], "team_sales": ["Sales Macs"]},
                              extra_groups={"team_pc": {"claude_desktop_mdm_groups": ["Win PCs"]}})
    proc = fqcn(installed_collections, project, "mdm")
    assert proc.returncode != 0 and "inferenceGatewayApiKey: no policy in the collection's ADMX" in proc.stdout
    assert "win-pc-1" in proc.stdout and graph.writes() == [] and KEY not in proc.stdout
