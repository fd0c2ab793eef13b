"""Local user configuration on Windows (%LOCALAPPDATA%\\Claude-3p), against the ansible.windows test double."""

from __future__ import annotations

import json

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import config_library_entry_id

KEY = "sk-test-windows-user-5a4b3c2d"
CONFIG = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "inferenceGatewayApiKey": KEY,
          "isDesktopExtensionEnabled": False}
LOCAL = "C:\\Users\\alice\\AppData\\Local\\Claude-3p"
ROAMING = "C:\\Users\\alice\\AppData\\Roaming\\Claude-3p"


def test_local_and_roaming_config_acl_idempotence_and_removal(windows):
    windows.file("C:\\Users\\alice\\AppData\\Local").mkdir(parents=True)
    roaming = windows.file(ROAMING)
    roaming.mkdir(parents=True)
    (roaming / "claude_desktop_config.json").write_text(json.dumps({"mcpServers": {"fs": {"command": "C:\\mcp\\fs.exe"}}}))
    first = windows.run(CONFIG, "-vvvv", "--diff", playbook="user_config.yml", claude_desktop_users=["alice"])
    assert first.returncode == 0, first.stdout[-3000:]
    assert KEY not in first.stdout + first.stderr
    local_file = json.loads((windows.file(LOCAL) / "claude_desktop_config.json").read_text())
    assert local_file["enterpriseConfig"]["inferenceGatewayApiKey"] == KEY
    entry = config_library_entry_id("org.aiohub.claude-desktop")
    assert json.loads((windows.file(LOCAL) / "configLibrary" / (entry + ".json")).read_text()) == dict(sorted(CONFIG.items()))
    roaming_file = json.loads((roaming / "claude_desktop_config.json").read_text())
    assert roaming_file["mcpServers"]["fs"]["command"] == "C:\\mcp\\fs.exe" and roaming_file["enterpriseConfig"]["inferenceProvider"] == "gateway"
    acls = json.loads((windows.fs / ".acl.json").read_text())
    for directory in (LOCAL, LOCAL + "\\configLibrary", ROAMING):
        assert acls[directory.lower()]["inherit"] is False
        assert sorted(a[0] for a in acls[directory.lower()]["aces"]) == ["NT AUTHORITY\\SYSTEM", "alice"]
    second = windows.run(CONFIG, playbook="user_config.yml", claude_desktop_users=["alice"])
    assert second.returncode == 0 and "changed=0" in second.stdout
    removed = windows.run(None, playbook="user_config.yml", claude_desktop_users=["alice"], user_config_state="absent")
    assert removed.returncode == 0, removed.stdout[-3000:]
    assert not (windows.file(LOCAL) / "claude_desktop_config.json").exists()
    assert not (windows.file(LOCAL) / "configLibrary" / (entry + ".json")).exists()
    assert json.loads((roaming / "claude_desktop_config.json").read_text()) == {"mcpServers": {"fs": {"command": "C:\\mcp\\fs.exe"}}}


def test_malformed_local_file_is_left_untouched(windows):
    local = windows.file(LOCAL)
    local.mkdir(parents=True)
    (local / "claude_desktop_config.json").write_bytes(b'{"preferences": ')
    run = windows.run(CONFIG, playbook="user_config.yml", claude_desktop_users=["alice"], user_config_formats=["user_json"])
    assert run.returncode != 0 and "is not valid JSON" in run.stdout and KEY not in run.stdout
    assert (local / "claude_desktop_config.json").read_bytes() == b'{"preferences": '
