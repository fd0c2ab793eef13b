"""Rollouts with the collection's own playbooks against real SSH hosts (tests/fleet/fleet.sh)."""

from __future__ import annotations

import hashlib
import json

import pytest
import yaml

from support.fleet import ansible_playbook, fleet, on_host, recap

pytestmark = pytest.mark.fleet

KEY = "sk-test-fleet-rollout-9d8c7b6a5f4e"
MAC_USER_FILE = "/Users/alice/Library/Application Support/Claude-3p/claude_desktop_config.json"
LINUX_MANAGED = "/etc/claude-desktop/managed-settings.json"
MAC_MANAGED = "/Library/Managed Preferences/com.anthropic.claudefordesktop.plist"


@pytest.fixture(scope="module")
def fleet_vars(tmp_path_factory):
    path = tmp_path_factory.mktemp("vars") / "fleet.yml"
    path.write_text(yaml.safe_dump({
        "claude_desktop_config": {
            "inferenceProvider": "gateway",
            "inferenceGatewayBaseUrl": "https://api.aiohub.org",
            "inferenceGatewayApiKey": KEY,
            "isDesktopExtensionEnabled": False,
            "coworkEgressAllowedHosts": ["docs.aiohub.org"],
        },
        "claude_desktop_mode": "both",
        "claude_desktop_users": ["alice"],
        "claude_desktop_batches": [1, 2],
    }))
    return str(path)


def _extra(tmp_path, data):
    path = tmp_path / "extra.yml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


def test_check_mode_writes_nothing(fleet_inventory, fleet_vars):
    run = ansible_playbook(fleet_inventory, "deploy.yml", "--check", "--diff", extra_vars=[fleet_vars])
    assert run.returncode == 0, run.stdout[-3000:]
    assert KEY not in run.stdout + run.stderr
    assert all(counts["changed"] > 0 for counts in recap(run.stdout).values())
    assert on_host("linux1", "test", "-e", "/etc/claude-desktop").returncode == 1
    assert on_host("mac1", "test", "-e", MAC_MANAGED).returncode == 1
    assert on_host("mac1", "test", "-e", "/Users/alice/Library").returncode == 1


def test_deploy_keeps_user_keys_never_leaks_and_is_idempotent(fleet_inventory, fleet_vars):
    seed = {"mcpServers": {"fs": {"command": "/usr/local/bin/fs"}}, "preferences": {"theme": "dark"}}
    # the user's own file, owned by the user as on a real Mac (a root-owned file in a home is refused: issue 19)
    on_host("mac1", "sh", "-c", "mkdir -p \"$(dirname \"$1\")\" && printf %s \"$2\" > \"$1\" && chown -R alice: /Users/alice/Library", "-",
            MAC_USER_FILE, json.dumps(seed))
    first = ansible_playbook(fleet_inventory, "deploy.yml", "-vvvv", "--diff", extra_vars=[fleet_vars])
    assert first.returncode == 0, first.stdout[-3000:]
    assert KEY not in first.stdout + first.stderr
    assert "********" in first.stdout  # the diff was shown, masked
    assert all(counts["changed"] > 0 for counts in recap(first.stdout).values())
    second = ansible_playbook(fleet_inventory, "deploy.yml", extra_vars=[fleet_vars])
    assert second.returncode == 0
    assert all(counts["changed"] == 0 for counts in recap(second.stdout).values()), second.stdout[-2000:]

    user = json.loads(on_host("mac1", "cat", MAC_USER_FILE).stdout)
    assert user["mcpServers"] == seed["mcpServers"] and user["preferences"] == seed["preferences"]
    assert user["enterpriseConfig"]["inferenceGatewayApiKey"] == KEY
    managed = json.loads(on_host("linux1", "cat", LINUX_MANAGED).stdout)
    assert managed["coworkEgressAllowedHosts"] == ["docs.aiohub.org"]
    stat = on_host("linux1", "stat", "-c", "%U:%G %a", LINUX_MANAGED, "/etc/claude-desktop").stdout.split()
    assert stat == ["root:root", "644", "root:root", "755"]
    stat = on_host("mac1", "stat", "-c", "%U %a", MAC_USER_FILE).stdout.split()
    assert stat == ["alice", "600"]


def test_unreachable_host_is_reported_and_the_rest_converge(fleet_inventory, fleet_vars, tmp_path):
    change = _extra(tmp_path, {"claude_desktop_team_config": {"coworkEgressAllowedHosts_extra": ["github.com"]}})
    fleet("stop-host", "mac2")
    try:
        run = ansible_playbook(fleet_inventory, "deploy.yml", extra_vars=[fleet_vars, change])
    finally:
        fleet("start-host", "mac2")
    counts = recap(run.stdout)
    summary = run.stdout[run.stdout.rindex("CLAUDE DESKTOP ROLLOUT SUMMARY"):]
    assert "3 hosts: 2 changed, 0 unchanged, 0 failed, 1 unreachable, 0 not reached" in summary
    assert "  unreachable  mac2: " in summary
    assert "mac2 was unreachable during the rollout" in run.stdout
    assert run.returncode != 0 and counts["mac2"]["failed"] == 1
    assert counts["mac1"]["changed"] > 0 and counts["linux1"]["changed"] > 0
    assert counts["mac1"]["failed"] == 0 and counts["linux1"]["failed"] == 0
    assert "github.com" in on_host("linux1", "cat", LINUX_MANAGED).stdout
    assert "github.com" not in on_host("mac2", "cat", MAC_MANAGED).stdout

    rerun = ansible_playbook(fleet_inventory, "deploy.yml", extra_vars=[fleet_vars, change])
    counts = recap(rerun.stdout)
    assert rerun.returncode == 0
    assert counts["mac2"]["changed"] > 0 and counts["mac1"]["changed"] == 0 and counts["linux1"]["changed"] == 0
    assert on_host("mac2", "cat", MAC_MANAGED).stdout == on_host("mac1", "cat", MAC_MANAGED).stdout


def test_malformed_user_file_is_left_byte_identical(fleet_inventory, fleet_vars, tmp_path):
    path = "/home/bob/.config/Claude-3p/claude_desktop_config.json"
    on_host("linux1", "sh", "-c", "mkdir -p \"$(dirname \"$1\")\" && printf '{\"mcpServers\": {\"a\": ' > \"$1\" && chown -R bob: /home/bob/.config", "-", path)
    before = on_host("linux1", "sha256sum", path).stdout
    users = _extra(tmp_path, {"claude_desktop_users": ["bob"], "claude_desktop_batches": [3]})
    run = ansible_playbook(fleet_inventory, "deploy.yml", "--limit", "linux1", extra_vars=[fleet_vars, users])
    assert run.returncode != 0
    assert "is not valid JSON" in run.stdout and "left untouched" in run.stdout
    assert on_host("linux1", "sha256sum", path).stdout == before
    assert KEY not in run.stdout + run.stderr


def test_remove_takes_only_what_was_written(fleet_inventory, fleet_vars):
    ansible_playbook(fleet_inventory, "deploy.yml", extra_vars=[fleet_vars])
    run = ansible_playbook(fleet_inventory, "remove.yml", "-vvvv", "--diff", extra_vars=[fleet_vars])
    assert run.returncode == 0, run.stdout[-3000:]
    assert KEY not in run.stdout + run.stderr
    assert on_host("linux1", "test", "-e", LINUX_MANAGED).returncode == 1
    assert on_host("mac1", "test", "-e", MAC_MANAGED).returncode == 1
    user = json.loads(on_host("mac1", "cat", MAC_USER_FILE).stdout)
    assert "enterpriseConfig" not in user and user["preferences"] == {"theme": "dark"}
    entries = on_host("mac1", "sh", "-c", "ls \"$(dirname \"$1\")/configLibrary\" 2>/dev/null | wc -l", "-", MAC_USER_FILE)
    assert entries.stdout.strip() == "0"
    again = ansible_playbook(fleet_inventory, "remove.yml", extra_vars=[fleet_vars])
    assert all(counts["changed"] == 0 for counts in recap(again.stdout).values())
    digest = hashlib.sha256(on_host("mac1", "cat", MAC_USER_FILE).stdout.encode()).hexdigest()
    assert digest  # the user's file is still there


def test_summary_prints_when_the_canary_fails_and_the_rollout_stops(fleet_inventory, fleet_vars, tmp_path):
    """Issue 14 item 9: a failed canary ends the run (max_fail_percentage 0); the summary still
    prints what changed where, the failure with its reason and the hosts never reached."""
    change = _extra(tmp_path, {"claude_desktop_team_config": {"coworkEgressAllowedHosts_extra": ["pypi.org"]}})
    blocker = "/Library/Managed Preferences"
    on_host("mac1", "sh", "-c", "rm -rf \"$1\" && touch \"$1\"", "-", blocker)  # a file where a directory must be
    try:
        run = ansible_playbook(fleet_inventory, "deploy.yml", extra_vars=[fleet_vars, change])
    finally:
        on_host("mac1", "rm", "-f", blocker)
    assert run.returncode != 0
    assert KEY not in run.stdout + run.stderr
    summary = run.stdout[run.stdout.rindex("CLAUDE DESKTOP ROLLOUT SUMMARY"):]
    assert "3 hosts: 0 changed, 0 unchanged, 1 failed, 0 unreachable, 2 not reached" in summary, summary
    assert "  failed       mac1: " in summary and "Managed Preferences" in summary
    assert "  not reached  2 hosts (linux1, mac2): the rollout stopped before their batch" in summary
    assert "pypi.org" not in on_host("linux1", "cat", LINUX_MANAGED).stdout


def test_summary_lists_invalid_hosts_as_failed_and_the_others_changed(fleet_inventory, fleet_vars, tmp_path):
    """An invalid host is left out before any host is touched; the others converge and the
    summary names it with the validation problem."""
    bad = _extra(tmp_path, {"claude_desktop_batches": [3],
                            "claude_desktop_team_config": {"coworkEgressAllowedHosts_extra": ["crates.io"]}})
    inventory = tmp_path / "inventory.yml"
    data = yaml.safe_load(open(fleet_inventory).read())
    data.setdefault("all", {}).setdefault("vars", {})
    inventory.write_text(yaml.safe_dump(data))
    host_vars = tmp_path / "host_vars"
    host_vars.mkdir()
    (host_vars / "linux1.yml").write_text(yaml.safe_dump({"claude_desktop_host_config": {"inferenceGatewayBaseUrl": "http://api.aiohub.org"}}))
    run = ansible_playbook(str(inventory), "deploy.yml", extra_vars=[fleet_vars, bad])
    assert run.returncode != 0
    summary = run.stdout[run.stdout.rindex("CLAUDE DESKTOP ROLLOUT SUMMARY"):]
    assert "3 hosts: 2 changed, 0 unchanged, 1 failed, 0 unreachable, 0 not reached" in summary, summary
    assert "  failed       linux1: " in summary and "must use https" in summary
    changed = "\n".join(line for line in summary.splitlines() if line.startswith("  changed "))
    assert "mac1" in changed and "mac2" in changed and MAC_MANAGED in changed, summary
    assert "crates.io" not in on_host("linux1", "cat", LINUX_MANAGED).stdout
    assert "crates.io" in on_host("mac1", "cat", MAC_MANAGED).stdout
