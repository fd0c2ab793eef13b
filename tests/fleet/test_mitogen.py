"""Mitogen (strategy mitogen_linear) as a supported option: deploy, rerun and remove on the SSH
fleet give the same result as the default strategy (docs/performance.md)."""

from __future__ import annotations

import json
import os

import pytest
import yaml

from support.fleet import ansible_playbook, on_host, recap

pytestmark = pytest.mark.fleet

KEY = "sk-test-fleet-mitogen-3c4d5e6f"
LINUX_MANAGED = "/etc/claude-desktop/managed-settings.json"
MAC_MANAGED = "/Library/Managed Preferences/com.anthropic.claudefordesktop.plist"


@pytest.fixture
def mitogen(monkeypatch):
    ansible_mitogen = pytest.importorskip("ansible_mitogen", reason="mitogen is pinned in requirements.txt")
    monkeypatch.setenv("ANSIBLE_STRATEGY_PLUGINS", os.path.join(os.path.dirname(ansible_mitogen.__file__), "plugins", "strategy"))
    monkeypatch.setenv("ANSIBLE_STRATEGY", "mitogen_linear")


def test_deploy_rerun_and_remove_with_mitogen(fleet_inventory, mitogen, tmp_path):
    extra = tmp_path / "vars.yml"
    extra.write_text(yaml.safe_dump({
        "claude_desktop_config": {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org",
                                  "inferenceGatewayApiKey": KEY, "isDesktopExtensionEnabled": False,
                                  "coworkEgressAllowedHosts": ["mitogen.example.org"]},
        "claude_desktop_batches": [3],
    }))
    first = ansible_playbook(fleet_inventory, "deploy.yml", "-vvv", "--diff", extra_vars=[str(extra)])
    assert first.returncode == 0, first.stdout[-3000:]
    assert "mitogen" in first.stdout.lower()  # the strategy really was Mitogen's
    assert KEY not in first.stdout + first.stderr
    assert json.loads(on_host("linux1", "cat", LINUX_MANAGED).stdout)["coworkEgressAllowedHosts"] == ["mitogen.example.org"]
    assert "mitogen.example.org" in on_host("mac1", "cat", MAC_MANAGED).stdout
    again = ansible_playbook(fleet_inventory, "deploy.yml", extra_vars=[str(extra)])
    assert again.returncode == 0, again.stdout[-3000:]
    assert all(counts["changed"] == 0 for counts in recap(again.stdout).values()), again.stdout[-2000:]
    assert "CLAUDE DESKTOP ROLLOUT SUMMARY: 3 hosts: 0 changed, 3 unchanged" in again.stdout
    removed = ansible_playbook(fleet_inventory, "remove.yml", extra_vars=[str(extra)])
    assert removed.returncode == 0, removed.stdout[-3000:]
    assert on_host("linux1", "test", "-e", LINUX_MANAGED).returncode == 1
    assert on_host("mac1", "test", "-e", MAC_MANAGED).returncode == 1
