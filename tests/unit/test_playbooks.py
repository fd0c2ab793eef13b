"""validate.yml and render.yml as a user runs them: real ansible-playbook, no host connected."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEMO_KEYS = ("sk-test-demo-org-7f3a9c2e5b1d", "sk-test-demo-finance-4c8e1a6b")
KEY = "sk-test-unit-playbook-1a2b3c4d"


def run(playbook, *args, inventory=None):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_COLLECTIONS_PATH=os.environ.get("ANSIBLE_COLLECTIONS_PATH", os.path.join(REPO, "build", "collections")))
    cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), os.path.join(REPO, "playbooks", playbook), *args]
    if inventory:
        cmd += ["-i", inventory]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO, check=False)


@pytest.fixture
def mixed_inventory(tmp_path):
    inventory = {
        "all": {
            "vars": {"claude_desktop_config": {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org",
                                               "inferenceGatewayApiKey": KEY, "isDesktopExtensionEnabled": False}},
            "hosts": {
                "good": {"claude_desktop_os": "linux"},
                "badurl": {"claude_desktop_host_config": {"inferenceGatewayBaseUrl": "http://api.aiohub.org"}},
                "typo": {"claude_desktop_host_config": {"inferenceProvder": "gateway"}},
                "nokey": {"claude_desktop_host_config": {"inferenceGatewayApiKey": None}},
            },
        }
    }
    path = tmp_path / "inventory.yml"
    path.write_text(yaml.safe_dump(inventory))
    return str(path)


def test_example_fleet_validates_without_leaking_the_vault_key():
    proc = run("validate.yml", "-vvvv", "--diff")
    assert proc.returncode == 0, proc.stdout[-3000:]
    for key in DEMO_KEYS:
        assert key not in proc.stdout + proc.stderr
    assert "ESTABLISH" not in proc.stdout  # no connection to any host
    assert "Validated 5 hosts: 5 distinct configs" in proc.stdout and "5 valid" in proc.stdout


def test_invalid_hosts_fail_with_key_rule_and_fix_and_others_pass(mixed_inventory):
    proc = run("validate.yml", "-vvvv", inventory=mixed_inventory)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert KEY not in out
    assert "must use https" in out
    assert "did you mean 'inferenceProvider'" in out
    assert 'no credential configured for provider "gateway"' in out
    assert "Traceback" not in out
    report = proc.stdout[proc.stdout.rindex("Print the findings"):]
    assert "1 valid" in report and "3 invalid" in report
    assert "ERROR   badurl: inferenceGatewayBaseUrl" in report
    assert "3 of 4 hosts have an invalid configuration" in out


def test_render_writes_artifacts_once_per_distinct_config(tmp_path):
    proc = run("render.yml", "-e", "claude_desktop_artifacts_dir=%s" % tmp_path, "-e", "claude_desktop_render_all_formats=true", "--diff")
    assert proc.returncode == 0, proc.stdout[-3000:]
    for key in DEMO_KEYS:
        assert key not in proc.stdout + proc.stderr
    hosts = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".") and p.name != "by-group")
    assert hosts == ["lnx-eng-01", "mac-design-01", "mac-eng-01", "win-eng-02", "win-fin-01"]
    stored = [p for p in (tmp_path / ".by-config").iterdir() if not p.name.startswith(".tmp")]
    # lnx-eng-01 and win-eng-02 share the engineering config: 4 host sets, and the 4 per-team sets
    assert len(stored) == 8 and len(list((tmp_path / "by-group").iterdir())) == 4
    a, b = tmp_path / "lnx-eng-01" / "claude-desktop.reg", tmp_path / "win-eng-02" / "claude-desktop.reg"
    assert a.read_bytes() == b.read_bytes() and os.stat(a).st_ino == os.stat(b).st_ino
    assert oct(os.stat(tmp_path / "mac-eng-01" / "claude-desktop.mobileconfig").st_mode & 0o777) == "0o600"
    again = run("render.yml", "-e", "claude_desktop_artifacts_dir=%s" % tmp_path, "-e", "claude_desktop_render_all_formats=true")
    assert "changed=1" not in again.stdout and again.returncode == 0
