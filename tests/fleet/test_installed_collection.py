"""The collection as a user runs it: built, installed with ansible-galaxy, playbooks by FQCN.

The inventory lives in a project directory outside the checkout and outside the installed
collection; no repository ansible.cfg, no build/ link. Files written on the controller go beside
the inventory, never into the installed collection (issue 13, item 2).
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
import yaml

from shipping.shipping_helpers import BIN, build_tarball, install_tarball, installed_env
from support.fleet import on_host, recap

pytestmark = pytest.mark.fleet

KEY = "sk-test-installed-fqcn-5e4d3c2b1a"
LINUX_MANAGED = "/etc/claude-desktop/managed-settings.json"


def _tree(path):
    out = {}
    for root, dirs, files in os.walk(path):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            full = os.path.join(root, name)
            out[os.path.relpath(full, path)] = os.stat(full).st_mtime_ns
    return out


@pytest.fixture(scope="module")
def project(fleet_inventory, tmp_path_factory):
    """An installed collection and a user's project: inventory/ with hosts and group_vars."""
    base = tmp_path_factory.mktemp("user")
    collections = base / "collections"
    collection = install_tarball(build_tarball(tmp_path_factory.mktemp("dist")), collections)
    inventory = base / "project" / "inventory"
    (inventory / "group_vars").mkdir(parents=True)
    shutil.copy(fleet_inventory, inventory / "hosts.yml")
    (inventory / "group_vars" / "all.yml").write_text(yaml.safe_dump({
        "claude_desktop_config": {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org",
                                  "inferenceGatewayApiKey": KEY, "coworkEgressAllowedHosts": ["docs.aiohub.org"]},
    }))
    return {"collections": collections, "collection": collection, "inventory": inventory, "cwd": base / "project"}


def fqcn(project, playbook, *args, cwd=None):
    cmd = [os.path.join(BIN, "ansible-playbook"), "-i", str(project["inventory"]), "aiohub.claude_desktop." + playbook, *args]
    cwd = str(cwd or project["cwd"])
    return subprocess.run(cmd, capture_output=True, text=True, env=installed_env(project["collections"], cwd), cwd=cwd, check=False)


def test_validate_render_deploy_remove_by_fqcn_from_the_installed_collection(project):
    before = _tree(project["collection"])
    try:
        run = fqcn(project, "validate")
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
        assert KEY not in run.stdout + run.stderr

        run = fqcn(project, "render", "--limit", "linux1")
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
        artifact = project["cwd"] / "artifacts" / "linux1" / "managed-settings.json"  # beside inventory/, not in it
        assert artifact.is_file(), run.stdout[-3000:]
        assert oct(artifact.stat().st_mode & 0o777) == "0o600"  # holds the key

        run = fqcn(project, "deploy", "--limit", "linux1")
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
        assert recap(run.stdout)["linux1"]["failed"] == 0
        assert KEY not in run.stdout + run.stderr
        assert on_host("linux1", "test", "-f", LINUX_MANAGED).returncode == 0

        run = fqcn(project, "remove", "--limit", "linux1")
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
        assert on_host("linux1", "test", "-e", LINUX_MANAGED).returncode == 1
    finally:
        on_host("linux1", "rm", "-rf", "/etc/claude-desktop")
    # nothing written into, or changed in, the installed collection
    assert _tree(project["collection"]) == before


def test_outputs_go_to_the_current_directory_without_an_inventory_directory(project, tmp_path):
    """`-i host,` (no inventory file): artifacts go to the current directory."""
    cmd = [os.path.join(BIN, "ansible-playbook"), "-i", "lab-pc,", "aiohub.claude_desktop.render",
           "-e", "claude_desktop_os=linux", "-e", "@" + str(project["inventory"] / "group_vars" / "all.yml")]
    run = subprocess.run(cmd, capture_output=True, text=True, env=installed_env(project["collections"], tmp_path),
                         cwd=str(tmp_path), check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert (tmp_path / "artifacts" / "lab-pc" / "managed-settings.json").is_file(), run.stdout[-3000:]


def test_adopt_lint_and_firewall_list_by_fqcn_from_the_installed_collection(project, tmp_path):
    """Issue 24: adopt.yml and validate.yml -e claude_desktop_lint from the tarball, no inventory; render writes firewall-hosts.txt."""
    env = installed_env(project["collections"], tmp_path)
    run = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", "lab-pc,", "aiohub.claude_desktop.render", "-e", "claude_desktop_os=linux",
                          "-e", "@" + str(project["inventory"] / "group_vars" / "all.yml")],
                         capture_output=True, text=True, env=env, cwd=str(tmp_path), check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    rendered = tmp_path / "artifacts" / "lab-pc"
    assert "api.aiohub.org" in (rendered / "firewall-hosts.txt").read_text()
    password = tmp_path / "pw"
    password.write_text("installed-adopt\n")
    dest = tmp_path / "adopted"
    run = subprocess.run([os.path.join(BIN, "ansible-playbook"), "aiohub.claude_desktop.adopt", "-e", "src=%s" % (rendered / "managed-settings.json"),
                          "-e", "dest=%s" % dest, "-e", "vault_id=site", "--vault-id", "site@%s" % password],
                         capture_output=True, text=True, env=env, cwd=str(tmp_path), check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert KEY not in run.stdout + run.stderr + (dest / "claude_desktop.yml").read_text()
    secret = dest / "claude_desktop_secret_inference_gateway_api_key.yml"
    assert secret.read_bytes().startswith(b"$ANSIBLE_VAULT") and oct(secret.stat().st_mode & 0o777) == "0o600"
    run = subprocess.run([os.path.join(BIN, "ansible-playbook"), "aiohub.claude_desktop.validate",
                          "-e", "claude_desktop_lint=%s" % (rendered / "managed-settings.json")],
                         capture_output=True, text=True, env=env, cwd=str(tmp_path), check=False)
    assert run.returncode == 0 and "Linted: managed-settings.json read as linux_json" in run.stdout, run.stdout[-3000:]
