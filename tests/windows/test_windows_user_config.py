"""Local user configuration on Windows (%LOCALAPPDATA%\\Claude-3p), against the ansible.windows test double."""

from __future__ import annotations

import json

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import config_library_entry_id

KEY = "sk-test-windows-user-5a4b3c2d"
CONFIG = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "inferenceGatewayApiKey": KEY,
          "isDesktopExtensionEnabled": False}
LOCAL = "C:\\Users\\alice\\AppData\\Local\\Claude-3p"
ROAMING = "C:\\Users\\alice\\AppData\\Roaming\\Claude-3p"
SID = "S-1-5-21-1004336348-1177238915-682003330-1001"
ADMINS, SYSTEM = "S-1-5-32-544", "S-1-5-18"


def seed_alice(windows):
    windows.seed(users={"WIN-DOUBLE\\alice": SID}, profiles={SID: "C:\\Users\\alice"}, loaded=[SID])


def test_local_and_roaming_config_acl_idempotence_and_removal(windows):
    seed_alice(windows)
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
    acls = windows.security()["objects"]
    # only what the collection writes: its configLibrary folder and the two files, never the app's data folders
    for path in (LOCAL + "\\configLibrary", LOCAL + "\\claude_desktop_config.json", ROAMING + "\\claude_desktop_config.json"):
        assert acls[path.lower()]["protected"] is True
        assert sorted(a["sid"] for a in acls[path.lower()]["aces"]) == sorted([SID, SYSTEM, ADMINS])
        assert windows.can(path, "read", SID) and not windows.can(path, "read", "S-1-5-21-1004336348-1177238915-682003330-1002")
    assert not acls.get(LOCAL.lower(), {}).get("aces") and not acls.get(ROAMING.lower(), {}).get("aces")
    second = windows.run(CONFIG, playbook="user_config.yml", claude_desktop_users=["alice"])
    assert second.returncode == 0 and "changed=0" in second.stdout
    removed = windows.run(None, playbook="user_config.yml", claude_desktop_users=["alice"], user_config_state="absent")
    assert removed.returncode == 0, removed.stdout[-3000:]
    assert not (windows.file(LOCAL) / "claude_desktop_config.json").exists()
    assert not (windows.file(LOCAL) / "configLibrary" / (entry + ".json")).exists()
    assert json.loads((roaming / "claude_desktop_config.json").read_text()) == {"mcpServers": {"fs": {"command": "C:\\mcp\\fs.exe"}}}


def test_malformed_local_file_is_left_untouched(windows):
    seed_alice(windows)
    local = windows.file(LOCAL)
    local.mkdir(parents=True)
    (local / "claude_desktop_config.json").write_bytes(b'{"preferences": ')
    run = windows.run(CONFIG, playbook="user_config.yml", claude_desktop_users=["alice"], user_config_formats=["user_json"])
    assert run.returncode != 0 and "is not valid JSON" in run.stdout and KEY not in run.stdout
    assert (local / "claude_desktop_config.json").read_bytes() == b'{"preferences": '


MSIX = "C:\\Users\\alice\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc\\LocalCache\\Roaming\\Claude-3p"


def test_msix_gen1_config_is_handled_like_the_roaming_one(windows):
    """Spec §1.5: MSIX builds of the generation-1 era read the LocalCache copy of %APPDATA%\\Claude-3p."""
    seed_alice(windows)
    msix = windows.file(MSIX)
    msix.mkdir(parents=True)
    (msix / "claude_desktop_config.json").write_text(json.dumps({"deploymentMode": "3p", "preferences": {"x": 1}}))
    run = windows.run(CONFIG, "--diff", playbook="user_config.yml", claude_desktop_users=["alice"])
    assert run.returncode == 0, run.stdout[-3000:]
    assert KEY not in run.stdout + run.stderr
    merged = json.loads((msix / "claude_desktop_config.json").read_text())
    assert merged["preferences"] == {"x": 1} and merged["deploymentMode"] == "3p"
    assert merged["enterpriseConfig"]["inferenceGatewayApiKey"] == KEY
    acls = windows.security()["objects"]
    assert acls[(MSIX + "\\claude_desktop_config.json").lower()]["protected"] is True and MSIX.lower() not in acls
    assert not windows.file(ROAMING).exists()
    removed = windows.run(None, playbook="user_config.yml", claude_desktop_users=["alice"], user_config_state="absent")
    assert removed.returncode == 0, removed.stdout[-3000:]
    assert json.loads((msix / "claude_desktop_config.json").read_text()) == {"deploymentMode": "3p", "preferences": {"x": 1}}


def test_rotating_the_key_shows_changed_in_the_diff_never_the_key(windows):
    """As on macOS and Linux (apply_engine.add_diff, masking.masked_pair): a rotated key is visible in --diff as
    "******** (changed)" in both formats, --check included; neither key is ever printed; an unchanged key stays "********"."""
    seed_alice(windows)
    first = windows.run(CONFIG, playbook="user_config.yml", claude_desktop_users=["alice"])
    assert first.returncode == 0, first.stdout[-3000:]
    rotated = dict(CONFIG, inferenceGatewayApiKey="sk-test-windows-user-rotated-9f8e7d")
    for args in (("--check", "--diff"), ("--diff",)):
        run = windows.run(rotated, *args, playbook="user_config.yml", claude_desktop_users=["alice"])
        assert run.returncode == 0, run.stdout[-3000:]
        out = run.stdout + run.stderr
        assert KEY not in out and rotated["inferenceGatewayApiKey"] not in out and "rotated-9f8e" not in out
        added = [ln for ln in out.splitlines() if ln.startswith("+") and "inferenceGatewayApiKey" in ln]
        removed = [ln for ln in out.splitlines() if ln.startswith("-") and "inferenceGatewayApiKey" in ln]
        assert len(added) == 2 and all('"******** (changed)"' in ln for ln in added), out[-4000:]  # user_json and the entry
        assert len(removed) == 2 and all('"********"' in ln for ln in removed), out[-4000:]
    stored = json.loads((windows.file(LOCAL) / "claude_desktop_config.json").read_text())
    assert stored["enterpriseConfig"]["inferenceGatewayApiKey"] == rotated["inferenceGatewayApiKey"]
    other = dict(rotated, isDesktopExtensionEnabled=True)
    run = windows.run(other, "--diff", playbook="user_config.yml", claude_desktop_users=["alice"])
    assert run.returncode == 0 and "(changed)" not in run.stdout and rotated["inferenceGatewayApiKey"] not in run.stdout
    assert '"isDesktopExtensionEnabled": true' in run.stdout
