"""A new admin's first hour (issue 21 items 1, 2, 3, 5): the built tarball installed apart, its playbooks run by
FQCN on an inventory directory of one's own (group_vars/all with a Vault-encrypted key, group_vars/<team>,
host_vars/), no repository ansible.cfg, from the project directory.

- render twice, then validate: still the same hosts (the artifacts never land inside the inventory, where
  Ansible would parse them as hosts named '<?xml'), the second render changes nothing;
- claude_desktop_artifacts_dir / claude_desktop_reports_dir set in group_vars/all are honoured (no
  vars_files outranking them), and a configured path inside the inventory is refused, nothing written;
- a team signs its profile (claude_desktop_signing_cert/_key in group_vars/<team>): render.yml writes a
  signed profile that `openssl smime -verify` accepts, and whose content is the unsigned profile;
- verify.yml on hosts that cannot be reached writes its report and fails the run, unless
  claude_desktop_verify_fail_on is [];
- nothing is written into, or changed in, the inventory or the installed collection.

No host is contacted (render and validate run on the controller; the verify hosts point at a closed
loopback port), so no root and no fleet are needed.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys

import pytest
import yaml

from shipping_helpers import BIN, installed_env, tool

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/, for support.*
from support.gateway import make_certificates  # noqa: E402  (a test CA and a certificate it issued, made by openssl)

KEY = "sk-test-first-hour-9c8b7a6d5e4f"
VAULT_PASSWORD = "first-hour-vault-password"
HOSTS = ("mac-design-1", "mac-design-2", "lnx-eng-1", "win-eng-1")


def _tree(path):
    out = {}
    for root, dirs, files in os.walk(str(path)):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in dirs + files:
            full = os.path.join(root, name)
            st = os.lstat(full)
            out[os.path.relpath(full, str(path))] = (st.st_mtime_ns, st.st_size)
    return out


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


def _write_yaml(path, data):
    os.makedirs(os.path.dirname(str(path)), exist_ok=True)
    with open(str(path), "w", encoding="utf-8") as f:
        yaml.safe_dump(data, f, sort_keys=False)


@pytest.fixture
def project(installed, tmp_path):
    """A user's project: inventory/ (hosts.yml, group_vars/all/{main,vault}.yml, group_vars/team_*.yml,
    host_vars/), the vault password and the signing files beside it."""
    base = tmp_path / "project"
    inventory = base / "inventory"
    port = _closed_port()
    reach = {"ansible_host": "127.0.0.1", "ansible_port": port, "ansible_user": "nobody", "ansible_connection": "ssh",
             "ansible_ssh_common_args": "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=3"}
    _write_yaml(inventory / "hosts.yml", {"all": {"children": {
        "team_design": {"hosts": {"mac-design-1": dict(reach), "mac-design-2": dict(reach)}},
        "team_engineering": {"hosts": {"lnx-eng-1": dict(reach), "win-eng-1": dict(reach)}},
    }}})
    _write_yaml(inventory / "group_vars" / "all" / "main.yml", {
        "claude_desktop_config": {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org",
                                  "inferenceGatewayApiKey": "{{ vault_claude_gateway_key }}",
                                  "coworkEgressAllowedHosts": ["docs.aiohub.org"], "isDesktopExtensionEnabled": False},
        "claude_desktop_identifier": "com.example.first-hour",
        "claude_desktop_organization": "First Hour Corp",
    })
    vault_file = inventory / "group_vars" / "all" / "vault.yml"
    _write_yaml(vault_file, {"vault_claude_gateway_key": KEY})
    password_file = base / ".vault-password"
    password_file.write_text(VAULT_PASSWORD + "\n")
    env = installed_env(installed, base)
    enc = subprocess.run([tool("ansible-vault"), "encrypt", "--vault-password-file", str(password_file), str(vault_file)],
                         capture_output=True, text=True, env=env, cwd=str(base), check=False)
    assert enc.returncode == 0, enc.stderr
    assert KEY not in vault_file.read_text()
    (base / "pki").mkdir()
    pki = make_certificates(base / "pki", names=("mdm-signer.example.com",))  # outside the inventory
    os.chmod(pki["key"], 0o600)
    _write_yaml(inventory / "group_vars" / "team_design.yml", {
        "claude_desktop_team_config": {"deploymentDisplayName": "Design"},
        "claude_desktop_os": "macos",
        "claude_desktop_signing_cert": pki["cert"],
        "claude_desktop_signing_key": pki["key"],
    })
    _write_yaml(inventory / "group_vars" / "team_engineering.yml", {
        "claude_desktop_team_config": {"deploymentDisplayName": "Engineering"}})
    _write_yaml(inventory / "host_vars" / "lnx-eng-1.yml", {"claude_desktop_os": "linux"})
    _write_yaml(inventory / "host_vars" / "win-eng-1.yml", {"claude_desktop_os": "windows"})
    collection = os.path.join(str(installed), "ansible_collections", "aiohub", "claude_desktop")
    return {"base": base, "inventory": inventory, "password": password_file, "pki": pki, "env": env,
            "collection": collection}


def fqcn(project, playbook, *args):
    cmd = [os.path.join(BIN, "ansible-playbook"), "-i", str(project["inventory"]), "--vault-password-file",
           str(project["password"]), "aiohub.claude_desktop." + playbook, *args]
    run = subprocess.run(cmd, capture_output=True, text=True, env=project["env"], cwd=str(project["base"]), check=False)
    assert KEY not in run.stdout + run.stderr
    return run


def _inventory_hosts(project):
    cmd = [os.path.join(BIN, "ansible-inventory"), "-i", str(project["inventory"]), "--vault-password-file",
           str(project["password"]), "--list"]
    run = subprocess.run(cmd, capture_output=True, text=True, env=project["env"], cwd=str(project["base"]), check=False)
    assert run.returncode == 0, run.stderr
    return sorted(json.loads(run.stdout)["_meta"]["hostvars"])


def _out(run):
    return run.stdout[-5000:] + run.stderr[-3000:]


def test_render_twice_then_validate_sees_the_same_hosts_and_the_signed_profile_verifies(project):
    inventory_before, collection_before = _tree(project["inventory"]), _tree(project["collection"])

    first = fqcn(project, "render")
    assert first.returncode == 0, _out(first)
    artifacts = project["base"] / "artifacts"  # beside the inventory directory, not inside it
    assert sorted(p.name for p in artifacts.iterdir() if not p.name.startswith(".")) == sorted(HOSTS + ("by-group",)), _out(first)
    assert "4 hosts changed" in first.stdout, first.stdout[-3000:]
    assert "Artifacts: %s/<host>/" % artifacts in first.stdout

    again = fqcn(project, "render")
    assert again.returncode == 0, _out(again)
    assert "0 hosts changed, 4 unchanged, 0 not rendered" in again.stdout, again.stdout[-3000:]

    validate = fqcn(project, "validate")
    assert validate.returncode == 0, _out(validate)
    assert "Validated 4 hosts" in validate.stdout, validate.stdout[-3000:]
    assert _inventory_hosts(project) == sorted(HOSTS)

    # the findings print as lines with the default callback (no repository ansible.cfg): a JSON list, no "\n"
    assert '"msg": [' in validate.stdout and "\\n" not in validate.stdout, validate.stdout[-3000:]

    # the design team's profile is signed; openssl verifies it against the CA and gets the unsigned profile back
    for host in ("mac-design-1", "mac-design-2"):
        signed = artifacts / host / "claude-desktop.signed.mobileconfig"
        plain = artifacts / host / "claude-desktop.mobileconfig"
        assert signed.is_file() and plain.is_file(), sorted(os.listdir(str(artifacts / host)))
        out = project["base"] / ("verified-%s.mobileconfig" % host)
        proc = subprocess.run([shutil.which("openssl") or "openssl", "smime", "-verify", "-inform", "DER", "-in", str(signed),
                               "-CAfile", project["pki"]["ca"], "-purpose", "any", "-out", str(out)],
                              capture_output=True, text=True, check=False)
        assert proc.returncode == 0, proc.stderr
        assert out.read_bytes() == plain.read_bytes()
        assert b"com.example.first-hour" in plain.read_bytes() and b"Design" in plain.read_bytes()
    assert not (artifacts / "lnx-eng-1" / "claude-desktop.signed.mobileconfig").exists()
    assert (artifacts / "lnx-eng-1" / "managed-settings.json").is_file()
    assert (artifacts / "win-eng-1" / "claude-desktop.reg").is_file()

    assert _tree(project["inventory"]) == inventory_before  # nothing written into the inventory
    assert _tree(project["collection"]) == collection_before  # nor into the installed collection


def test_output_directories_from_group_vars_all_are_honoured(project):
    chosen = project["base"] / "mdm-upload"
    reports = project["base"] / "verify-reports"
    main = project["inventory"] / "group_vars" / "all" / "main.yml"
    data = yaml.safe_load(main.read_text())
    data.update(claude_desktop_artifacts_dir=str(chosen), claude_desktop_reports_dir=str(reports),
                claude_desktop_verify_gateway=False)
    _write_yaml(main, data)
    inventory_before, collection_before = _tree(project["inventory"]), _tree(project["collection"])

    run = fqcn(project, "render")
    assert run.returncode == 0, _out(run)
    assert sorted(p.name for p in chosen.iterdir() if not p.name.startswith(".")) == sorted(HOSTS + ("by-group",))
    assert not (project["base"] / "artifacts").exists()

    # verify.yml: every host unreachable; the report goes to claude_desktop_reports_dir and the run fails
    run = fqcn(project, "verify")
    assert run.returncode != 0, _out(run)
    report = json.loads((reports / "verify-report.json").read_text())
    assert report["summary"]["unreachable"] == 4 and report["summary"]["in_line"] == 0
    assert "Verification found 4 unreachable" in run.stdout, run.stdout[-3000:]
    assert str(reports / "verify-report.html") in run.stdout
    assert not (project["base"] / "reports").exists()
    # a report-only run (documented relaxation) exits 0 with the same report
    relaxed = fqcn(project, "verify", "-e", '{"claude_desktop_verify_fail_on": []}')
    assert relaxed.returncode == 0, _out(relaxed)
    assert "Verification found" not in relaxed.stdout

    assert _tree(project["inventory"]) == inventory_before
    assert _tree(project["collection"]) == collection_before


@pytest.mark.parametrize("playbook, variable, extra", [
    ("render", "claude_desktop_artifacts_dir", ()),
    ("verify", "claude_desktop_reports_dir", ("-e", "claude_desktop_verify_gateway=false")),
])
def test_an_output_directory_inside_the_inventory_is_refused(project, playbook, variable, extra):
    inside = project["inventory"] / "out"
    inventory_before = _tree(project["inventory"])
    run = fqcn(project, playbook, "-e", "%s=%s" % (variable, inside), *extra)
    assert run.returncode != 0, _out(run)
    text = " ".join((run.stdout + run.stderr).split())
    assert "%s (%s) is inside the inventory source %s" % (variable, inside, project["inventory"]) in text, _out(run)
    assert "Set %s to a directory outside every inventory source, e.g. %s" % (variable, project["base"] / "out") in text
    assert _tree(project["inventory"]) == inventory_before  # nothing written there
    assert _inventory_hosts(project) == sorted(HOSTS)
