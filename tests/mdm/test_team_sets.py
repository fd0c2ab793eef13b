"""Issue 21 item 10: per-team artifact sets for MDM uploads, by FQCN from the installed collection.

One set per distinct config in <artifacts>/by-group/<team>/, named after the inventory group whose
group_vars give the config, with a team PayloadIdentifier and the display name, description and
removal_disallowed set from the inventory; claude-desktop-remove.reg deletes only our values.
"""

from __future__ import annotations

import os
import plistlib

import yaml

from mdm_helpers import fqcn

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import parse_reg

KEY = "sk-test-team-sets-9f8e7d6c5b"
ORG = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "inferenceGatewayApiKey": KEY,
       "coworkEgressAllowedHosts": ["docs.aiohub.org"]}


def make_project(base, sales_extra=None):
    inv = base / "inventory"
    for sub in ("group_vars", "host_vars"):
        (inv / sub).mkdir(parents=True, exist_ok=True)
    (inv / "hosts.yml").write_text(yaml.safe_dump({"all": {"children": {
        "macos": {"hosts": {"mac-eng-1": None, "mac-eng-2": None, "mac-sales-1": None, "mac-odd": None}},
        "windows": {"hosts": {"win-eng-1": None}},
        "team_eng": {"hosts": {"mac-eng-1": None, "mac-eng-2": None, "win-eng-1": None, "mac-odd": None}},
        "team_sales": {"hosts": {"mac-sales-1": None}},
    }}}))
    (inv / "group_vars" / "all.yml").write_text(yaml.safe_dump({
        "claude_desktop_config": ORG, "claude_desktop_identifier": "com.example.claude", "claude_desktop_organization": "Example"}))
    (inv / "group_vars" / "macos.yml").write_text(yaml.safe_dump({"claude_desktop_os": "macos"}))
    (inv / "group_vars" / "windows.yml").write_text(yaml.safe_dump({"claude_desktop_os": "windows"}))
    (inv / "group_vars" / "team_eng.yml").write_text(yaml.safe_dump({
        "claude_desktop_team_config": {"coworkEgressAllowedHosts_extra": ["github.com"]}}))
    sales = {"claude_desktop_team_config": dict({"isClaudeCodeForDesktopEnabled": False}, **(sales_extra or {})),
             "claude_desktop_profile_display_name": "Claude for Sales",
             "claude_desktop_profile_description": "Managed by IT: sales gateway",
             "claude_desktop_profile_removal_disallowed": True}
    (inv / "group_vars" / "team_sales.yml").write_text(yaml.safe_dump(sales))
    (inv / "host_vars" / "mac-odd.yml").write_text(yaml.safe_dump({"claude_desktop_host_config": {"autoModeEnabled": True}}))
    return base


def _snapshot(root):
    out = {}
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            st = os.stat(path)
            out[os.path.relpath(path, root)] = (st.st_ino, st.st_mtime_ns)
    return out


def test_per_team_sets_named_after_the_group_that_gives_the_config(installed_collections, tmp_path):
    project = make_project(tmp_path / "project")
    artifacts = tmp_path / "out"
    args = ("-e", "claude_desktop_artifacts_dir=%s" % artifacts, "-vvv")
    first = fqcn(installed_collections, project, "render", *args)
    assert first.returncode == 0, first.stdout[-4000:] + first.stderr[-2000:]
    assert KEY not in first.stdout + first.stderr
    by_group = artifacts / "by-group"
    assert sorted(os.listdir(by_group)) == ["team_eng", "team_eng-mac-odd", "team_sales"]
    assert "Team set by-group/team_sales/ (inventory group; mac-sales-1)" in first.stdout

    eng = plistlib.loads((by_group / "team_eng" / "claude-desktop.mobileconfig").read_bytes())
    sales = plistlib.loads((by_group / "team_sales" / "claude-desktop.mobileconfig").read_bytes())
    odd = plistlib.loads((by_group / "team_eng-mac-odd" / "claude-desktop.mobileconfig").read_bytes())
    assert eng["PayloadIdentifier"] == "com.example.claude.team-eng"
    assert sales["PayloadIdentifier"] == "com.example.claude.team-sales"
    assert odd["PayloadIdentifier"] == "com.example.claude.team-eng-mac-odd"
    assert len({eng["PayloadUUID"], sales["PayloadUUID"], odd["PayloadUUID"]}) == 3
    assert eng["PayloadDisplayName"] == "Claude Desktop (third-party inference): team_eng"
    assert (sales["PayloadDisplayName"], sales["PayloadDescription"], sales["PayloadRemovalDisallowed"]) == (
        "Claude for Sales", "Managed by IT: sales gateway", True)
    assert eng["PayloadRemovalDisallowed"] is False and "PayloadDescription" not in eng
    assert eng["PayloadContent"][0]["coworkEgressAllowedHosts"] == '["docs.aiohub.org","github.com"]'
    assert sales["PayloadContent"][0]["isClaudeCodeForDesktopEnabled"] == "false"
    assert odd["PayloadContent"][0]["autoModeEnabled"] == "true"
    # the inventory variables reach the per-host profiles too (they were module options only)
    host_sales = plistlib.loads((artifacts / "mac-sales-1" / "claude-desktop.mobileconfig").read_bytes())
    assert (host_sales["PayloadDisplayName"], host_sales["PayloadRemovalDisallowed"]) == ("Claude for Sales", True)
    # team_eng spans macOS and Windows: its set carries both OSes' formats, the same config in each
    assert (by_group / "team_eng" / "claude-desktop.reg").is_file()
    assert (by_group / "team_eng" / "claude-desktop.reg").read_bytes() == (artifacts / "win-eng-1" / "claude-desktop.reg").read_bytes()
    key, removal = parse_reg((by_group / "team_eng" / "claude-desktop-remove.reg").read_bytes())
    assert key == "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude"  # the key stays; only our values go
    assert removal == {name: None for name in ORG}
    assert oct(os.stat(by_group / "team_sales" / "claude-desktop.mobileconfig").st_mode & 0o777) == "0o600"  # holds the key

    before = _snapshot(by_group)
    second = fqcn(installed_collections, project, "render", *args)
    assert second.returncode == 0 and "changed=0" in second.stdout, second.stdout[-3000:]
    assert _snapshot(by_group) == before

    # one team's change rewrites only that team's set
    make_project(project, sales_extra={"inferenceMaxTokensPerWindow": 1000000})
    third = fqcn(installed_collections, project, "render", *args)
    assert third.returncode == 0, third.stdout[-3000:]
    after = _snapshot(by_group)
    changed = sorted(path for path in after if after[path] != before.get(path))
    assert changed and all(path.startswith("team_sales" + os.sep) for path in changed), changed

    # check mode writes nothing, --diff masks the key
    make_project(project, sales_extra={"inferenceMaxTokensPerWindow": 2000000})
    check = fqcn(installed_collections, project, "render", "--check", "--diff", *args)
    assert check.returncode == 0 and KEY not in check.stdout + check.stderr
    assert _snapshot(by_group) == after and "by-group/team_sales/claude-desktop.mobileconfig" in check.stdout


def test_claude_desktop_team_names_a_set_and_a_bad_name_is_refused(installed_collections, tmp_path):
    project = make_project(tmp_path / "project")
    (project / "inventory" / "group_vars" / "team_sales.yml").write_text(yaml.safe_dump({
        "claude_desktop_team_config": {"isClaudeCodeForDesktopEnabled": False}, "claude_desktop_team": "Sales EMEA/1"}))
    proc = fqcn(installed_collections, project, "render", "-e", "claude_desktop_artifacts_dir=%s" % (tmp_path / "out"))
    assert proc.returncode != 0
    assert "claude_desktop_team 'Sales EMEA/1' cannot name a directory under by-group/" in proc.stdout
    (project / "inventory" / "group_vars" / "team_sales.yml").write_text(yaml.safe_dump({
        "claude_desktop_team_config": {"isClaudeCodeForDesktopEnabled": False}, "claude_desktop_team": "sales-emea"}))
    proc = fqcn(installed_collections, project, "render", "-e", "claude_desktop_artifacts_dir=%s" % (tmp_path / "out"))
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert sorted(os.listdir(tmp_path / "out" / "by-group")) == ["sales-emea", "team_eng", "team_eng-mac-odd"]
    profile = plistlib.loads((tmp_path / "out" / "by-group" / "sales-emea" / "claude-desktop.mobileconfig").read_bytes())
    assert profile["PayloadIdentifier"] == "com.example.claude.sales-emea"
