"""Issue 21 items 8 and 9 on the SSH fleet, by FQCN from the installed collection.

* A rotated key shows as ``******** (changed)`` in `deploy --check --diff` (the apply module's diff,
  built on the host), neither key is printed, and check mode leaves the host's file as it was.
* A refused SSH login (Ansible says UNREACHABLE) is reported as "login refused" with its fix, not
  as an unreachable host to rerun with --limit.
"""

from __future__ import annotations

import os
import subprocess

import pytest
import yaml

from shipping.shipping_helpers import BIN, build_tarball, install_tarball, installed_env
from support.fleet import on_host

pytestmark = pytest.mark.fleet

KEY = "sk-test-fleet-rotation-old-5a4b3c"
ROTATED = "sk-test-fleet-rotation-new-9f8e7d"
LINUX_MANAGED = "/etc/claude-desktop/managed-settings.json"


@pytest.fixture(scope="module")
def project(fleet_inventory, tmp_path_factory):
    base = tmp_path_factory.mktemp("first-hour")
    collections = base / "collections"
    install_tarball(build_tarball(tmp_path_factory.mktemp("dist")), collections)
    inventory = base / "project" / "inventory"
    (inventory / "group_vars").mkdir(parents=True)
    with open(fleet_inventory, encoding="utf-8") as f:
        (inventory / "hosts.yml").write_text(f.read())
    return {"collections": collections, "inventory": inventory, "cwd": base / "project"}


def _config(project, key):
    (project["inventory"] / "group_vars" / "all.yml").write_text(yaml.safe_dump({"claude_desktop_config": {
        "inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "inferenceGatewayApiKey": key}}))


def fqcn(project, playbook, *args, inventory=None):
    cmd = [os.path.join(BIN, "ansible-playbook"), "-i", str(inventory or project["inventory"]), "aiohub.claude_desktop." + playbook, *args]
    cwd = str(project["cwd"])
    return subprocess.run(cmd, capture_output=True, text=True, env=installed_env(project["collections"], cwd), cwd=cwd, check=False)


def test_check_diff_shows_a_rotated_key_as_changed_on_the_host_path(project):
    try:
        _config(project, KEY)
        first = fqcn(project, "deploy", "--limit", "linux1")
        assert first.returncode == 0, first.stdout[-3000:]
        _config(project, ROTATED)
        run = fqcn(project, "deploy", "--check", "--diff", "--limit", "linux1")
        out = run.stdout + run.stderr
        assert run.returncode == 0, out[-3000:]
        assert '"inferenceGatewayApiKey": "******** (changed)"' in out, out[-4000:]
        assert '"inferenceGatewayApiKey": "********"' in out  # the before side
        assert KEY not in out and ROTATED not in out
        held = on_host("linux1", "cat", LINUX_MANAGED).stdout
        assert KEY in held and ROTATED not in held  # check mode changed nothing
        # the same key again: nothing changed, nothing said to have changed
        _config(project, KEY)
        again = fqcn(project, "deploy", "--check", "--diff", "--limit", "linux1")
        assert "(changed)" not in again.stdout and "changed=0" in again.stdout, again.stdout[-3000:]
    finally:
        _config(project, KEY)
        fqcn(project, "remove", "--limit", "linux1")
        on_host("linux1", "rm", "-rf", "/etc/claude-desktop")


def test_a_refused_ssh_login_is_reported_as_login_refused(project, tmp_path):
    _config(project, KEY)
    wrong_key = tmp_path / "not-the-fleet-key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(wrong_key)], check=True)
    inventory = yaml.safe_load((project["inventory"] / "hosts.yml").read_text())
    inventory["fleet"]["vars"]["ansible_ssh_private_key_file"] = str(wrong_key)
    # a fresh login (no shared master connection of an earlier run), with that key only
    inventory["fleet"]["vars"]["ansible_ssh_common_args"] += " -o IdentitiesOnly=yes -o PasswordAuthentication=no -o ControlPath=none"
    inv_dir = tmp_path / "inventory"
    inv_dir.mkdir()
    (inv_dir / "hosts.yml").write_text(yaml.safe_dump(inventory))
    (inv_dir / "group_vars").mkdir()
    (inv_dir / "group_vars" / "all.yml").write_text((project["inventory"] / "group_vars" / "all.yml").read_text())
    run = fqcn(project, "deploy", "--limit", "linux1", inventory=inv_dir)
    out = run.stdout + run.stderr
    assert run.returncode != 0
    assert "Permission denied" in out, out[-3000:]  # Ansible's own words: UNREACHABLE, Permission denied (publickey)
    summary = out[out.rindex("CLAUDE DESKTOP ROLLOUT SUMMARY"):]
    assert "1 failed, 0 unreachable" in summary and "login refused" in summary, summary
    assert "linux1 was unreachable during the rollout and was skipped" in out and "login refused: " in out
    assert "rerun with --limit" not in out.lower()
