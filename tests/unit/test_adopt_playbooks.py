"""Issue 24 items 1-3 as a user runs them: playbooks/adopt.yml, validate.yml -e claude_desktop_lint, render.yml's firewall list.

Real ansible-playbook runs. The round trip goes all the way: render a profile, adopt it into an
inventory's group_vars (secrets vault-encrypted), render that inventory again: the same bytes.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys

import yaml

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _artifacts as a
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _render as r
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import validate_config

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KEY = "sk-test-adopt-playbook-9f8e7d6c"
TOKEN = "tok-adopt-playbook-mcp-5a4b"
CONFIG = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "inferenceGatewayApiKey": KEY,
          "isDesktopExtensionEnabled": False, "coworkEgressAllowedHosts": ["docs.aiohub.org"], "autoUpdaterEnforcementHours": 24,
          "managedMcpServers": [{"name": "docs", "transport": "http", "url": "https://mcp.corp.test/mcp",
                                 "headers": {"Authorization": "Bearer " + TOKEN}}],
          "inferenceModels": ["claude-sonnet-4-20250514"], "deploymentDisplayName": "Corp {{ AI }}"}


def run(tool, *args, cwd=REPO, config=True):
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_COLLECTIONS_PATH=os.environ.get("ANSIBLE_COLLECTIONS_PATH", os.path.join(REPO, "build", "collections")))
    if not config:  # as a user runs it from their own directory: no repository ansible.cfg, no inventory
        env.pop("ANSIBLE_CONFIG")
    cmd = [os.path.join(os.path.dirname(sys.executable), tool), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=str(cwd), check=False)


def playbook(name):
    return os.path.join(REPO, "playbooks", name)


def test_adopt_a_profile_into_an_inventory_then_render_it_again_byte_for_byte(tmp_path):
    config = validate_config(CONFIG).config
    src = tmp_path / "exported.mobileconfig"
    src.write_bytes(r.render_mobileconfig(config, identifier="com.corp.claude", organization="Corp"))
    password = tmp_path / "vault-pass"
    password.write_text("adopt-test-password\n")
    inventory = tmp_path / "inventory"
    dest = inventory / "group_vars" / "all"
    (inventory / "hosts.yml").parent.mkdir(parents=True)
    (inventory / "hosts.yml").write_text(yaml.safe_dump({"all": {"hosts": {"mac-01": {"claude_desktop_os": "macos"}}}}))
    vault = "--vault-id=adopt@%s" % password
    args = (playbook("adopt.yml"), "-e", "src=%s" % src, "-e", "dest=%s" % dest, "-e", "vault_id=adopt", vault)
    first = run("ansible-playbook", *args)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-2000:]
    assert KEY not in first.stdout + first.stderr and TOKEN not in first.stdout + first.stderr
    assert "Adopted: exported.mobileconfig read as mobileconfig" in first.stdout
    secret_files = sorted(dest.glob("claude_desktop_secret_*.yml"))
    assert len(secret_files) == 2
    for path in secret_files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.read_bytes().startswith(b"$ANSIBLE_VAULT;1.2;AES256;adopt")
    main = (dest / "claude_desktop.yml").read_text()
    assert KEY not in main and TOKEN not in main and "claude_desktop_identifier: com.corp.claude" in main
    again = run("ansible-playbook", *args)
    assert again.returncode == 0 and "changed=0" in again.stdout, again.stdout[-3000:]
    # the adopted inventory renders the same profile again
    out = tmp_path / "artifacts"
    render = run("ansible-playbook", playbook("render.yml"), "-i", str(inventory), vault, "-e", "claude_desktop_artifacts_dir=%s" % out)
    assert render.returncode == 0, render.stdout[-3000:] + render.stderr[-2000:]
    assert (out / "mac-01" / "claude-desktop.mobileconfig").read_bytes() == src.read_bytes()
    firewall = (out / "mac-01" / a.FIREWALL_NAME).read_text()
    assert re.search(r"^api\.aiohub\.org +# required: inference", firewall, re.M)
    assert re.search(r"^mcp\.corp\.test +# optional: managed MCP server docs", firewall, re.M)


def test_adopt_refuses_to_overwrite_and_names_a_missing_vault_id(tmp_path):
    src = tmp_path / "managed-settings.json"
    src.write_bytes(r.render_linux_json(validate_config(CONFIG).config))
    dest = tmp_path / "gv"
    dest.mkdir()
    (dest / "claude_desktop.yml").write_text("precious: true\n")
    run_ = run("ansible-playbook", playbook("adopt.yml"), "-e", "src=%s" % src, "-e", "dest=%s" % dest)
    assert run_.returncode != 0 and "dest already holds different files" in run_.stdout
    assert (dest / "claude_desktop.yml").read_text() == "precious: true\n"
    assert not list(dest.glob("claude_desktop_secret_*"))
    run_ = run("ansible-playbook", playbook("adopt.yml"), "-e", "src=%s" % src, "-e", "dest=%s" % (tmp_path / "new"), "-e", "vault_id=nope")
    assert run_.returncode != 0 and "vault_id nope: no vault secret with that id" in run_.stdout
    assert KEY not in run_.stdout + run_.stderr


def test_lint_without_an_inventory_prints_the_messages_validate_prints(tmp_path):
    bad = dict(CONFIG, inferenceGatewayBaseUrl="http://api.aiohub.org/v1", autoUpdaterEnforcementHours=168, inferenceProvder="gateway",
               deploymentDisplayName="Corp AI")
    reg = tmp_path / "upload.reg"
    reg.write_bytes(r.render_reg(bad))  # not validated: a file someone else made
    lint = run("ansible-playbook", playbook("validate.yml"), "-e", "claude_desktop_lint=%s" % reg, cwd=tmp_path, config=False)
    assert lint.returncode != 0
    assert "upload.reg is invalid (listed above): do not upload it." in lint.stdout
    assert KEY not in lint.stdout + lint.stderr and TOKEN not in lint.stdout + lint.stderr
    inventory = tmp_path / "inventory.yml"
    inventory.write_text(yaml.safe_dump({"all": {"hosts": {"pc1": {"claude_desktop_os": "windows", "claude_desktop_config": bad}}}}))
    fleet = run("ansible-playbook", playbook("validate.yml"), "-i", str(inventory))
    assert fleet.returncode != 0

    def messages(text, who):
        return set(re.findall(r"(?:ERROR|WARNING) +%s: (.*?)(?:\\n|\"|$)" % re.escape(who), text, re.M))

    # What the controller lacks to deploy (ansible.windows in the core-only matrix) is about the controller, not the file.
    from_inventory = {m for m in messages(fleet.stdout, "pc1") if "on this controller" not in m}
    from_lint = messages(lint.stdout, "upload.reg")
    assert len(from_inventory) >= 3, fleet.stdout[-3000:]
    assert from_inventory <= from_lint, (from_inventory - from_lint)
    assert any("inferenceProvder" in m for m in from_lint)
