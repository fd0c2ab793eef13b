"""Issue 15 item 5: values that look like templates in a config layer.

A published config may carry ``{{PLACEHOLDER}}`` text, which Ansible templates before the
collection sees it. The failure names the layer variable and the key that holds the placeholder;
``!unsafe`` carries such text literally (docs/field-configs.md).
"""

from __future__ import annotations

import os
import subprocess
import sys

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._layers import locate_failure

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
KEY = "sk-test-placeholder-5e6f7a8b"


def _validate(tmp_path, inventory_text):
    path = tmp_path / "inventory.yml"
    path.write_text(inventory_text)
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_COLLECTIONS_PATH=os.environ.get("ANSIBLE_COLLECTIONS_PATH", os.path.join(REPO, "build", "collections")))
    cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), os.path.join(REPO, "playbooks", "validate.yml"), "-i", str(path)]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO, check=False)


def test_locate_failure_names_the_key_holding_the_undefined_placeholder():
    raw = {"inferenceGatewayBaseUrl": "https://{{GATEWAY_HOST}}", "managedMcpServers": [{"name": "x", "url": "https://{{MCP}}/mcp"}]}
    assert locate_failure(raw, "claude_desktop_config", "'MCP' is undefined") == "claude_desktop_config.managedMcpServers[0].url"
    assert locate_failure(raw, "claude_desktop_config", "'GATEWAY_HOST' is undefined") == "claude_desktop_config.inferenceGatewayBaseUrl"
    assert locate_failure({"a": "plain"}, "claude_desktop_team_config", "boom") == "claude_desktop_team_config"


def test_undefined_placeholder_in_inventory_names_the_key(tmp_path):
    run = _validate(tmp_path, """
all:
  hosts:
    h1:
      claude_desktop_config:
        inferenceProvider: gateway
        inferenceGatewayBaseUrl: https://api.aiohub.org
        inferenceGatewayApiKey: %s
        managedMcpServers:
          - {name: docs, transport: http, url: "https://{{MCP_HOST}}/mcp"}
""" % KEY)
    assert run.returncode != 0
    assert "claude_desktop_config.managedMcpServers[0].url cannot be templated: 'MCP_HOST' is undefined" in run.stdout, run.stdout
    assert KEY not in run.stdout + run.stderr


def test_unsafe_carries_template_text_literally(tmp_path):
    run = _validate(tmp_path, """
all:
  hosts:
    h1:
      claude_desktop_config:
        inferenceProvider: gateway
        inferenceGatewayBaseUrl: https://api.aiohub.org
        inferenceGatewayApiKey: %s
        isDesktopExtensionEnabled: false
        organizationInstructions: !unsafe "Answer in the format {{ticket}}: summary."
        inferenceCustomHeaders:
          X-Route: !unsafe "{{tenant}}"
""" % KEY)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 valid" in run.stdout and "0 invalid" in run.stdout, run.stdout
