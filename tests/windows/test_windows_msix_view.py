"""What an MSIX-packaged Claude Desktop reads after the collection ran: the AppData merged view of the double
(tests/windows/.../module_utils/msix.py; spec §1.5 generation 1 and §8 pitfall 14, both package families)."""

from __future__ import annotations

import json

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import config_library_entry_id

KEY = "sk-test-windows-msix-7c6d5e4f"
CONFIG = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "inferenceGatewayApiKey": KEY}
SID = "S-1-5-21-1004336348-1177238915-682003330-1001"
OTHER = "S-1-5-21-1004336348-1177238915-682003330-1002"
HOME = "C:\\Users\\alice"
PACKAGES = HOME + "\\AppData\\Local\\Packages\\"
ENTRY = config_library_entry_id("org.aiohub.claude-desktop")
APPS_OWN = "0b1c2d3e-0000-4000-8000-000000000001"


def seed(windows):
    windows.seed(users={"WIN-DOUBLE\\alice": SID, "WIN-DOUBLE\\bob": OTHER}, profiles={SID: HOME}, loaded=[SID])


@pytest.mark.parametrize("family", ["Claude_pzs8sxrjxfjjc", "AnthropicPBC.Claude_fnn82j28hfe8t"])
def test_the_packaged_app_reads_what_the_collection_wrote_through_its_merged_view(windows, family):
    seed(windows)
    # the packaged app ran before: its %LOCALAPPDATA%\Claude-3p\configLibrary and %APPDATA%\Claude-3p writes were
    # redirected into its LocalCache, where it applied a configuration of its own
    library = windows.file(PACKAGES + family + "\\LocalCache\\Local\\Claude-3p\\configLibrary")
    library.mkdir(parents=True)
    (library / "_meta.json").write_text(json.dumps({"appliedId": APPS_OWN, "entries": [{"id": APPS_OWN, "name": "Mine"}]}))
    (library / (APPS_OWN + ".json")).write_text(json.dumps({"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://old.example"}))
    roaming = windows.file(PACKAGES + family + "\\LocalCache\\Roaming\\Claude-3p")
    roaming.mkdir(parents=True)
    (roaming / "claude_desktop_config.json").write_text(json.dumps({"deploymentMode": "3p"}))
    app = windows.packaged_app(HOME, SID, family)
    # the model: the LocalCache copy is what the app reads, the real file (none yet) is not
    assert json.loads(app.read("%LOCALAPPDATA%", "Claude-3p\\configLibrary\\_meta.json"))["appliedId"] == APPS_OWN

    run = windows.run(CONFIG, playbook="user_config.yml", claude_desktop_users=["alice"])
    assert run.returncode == 0, run.stdout[-3000:]
    assert KEY not in run.stdout + run.stderr
    meta = json.loads(app.read("%LOCALAPPDATA%", "Claude-3p\\configLibrary\\_meta.json"))
    assert meta["appliedId"] == ENTRY and APPS_OWN in [e["id"] for e in meta["entries"]]
    assert json.loads(app.read("%LOCALAPPDATA%", "Claude-3p\\configLibrary\\%s.json" % ENTRY)) == dict(sorted(CONFIG.items()))
    assert app.listdir("%LOCALAPPDATA%", "Claude-3p\\configLibrary") == sorted(["_meta.json", APPS_OWN + ".json", ENTRY + ".json"])
    assert app.effective("%LOCALAPPDATA%", "Claude-3p\\configLibrary\\_meta.json").startswith(PACKAGES + family + "\\")
    gen1 = json.loads(app.read("%APPDATA%", "Claude-3p\\claude_desktop_config.json"))
    assert gen1["deploymentMode"] == "3p" and gen1["enterpriseConfig"]["inferenceGatewayApiKey"] == KEY
    # the files hold the key: another user on the PC, running the same package, reads none of them
    other = windows.packaged_app(HOME, OTHER, family)
    with pytest.raises(Exception) as denied:
        other.read("%APPDATA%", "Claude-3p\\claude_desktop_config.json")
    assert type(denied.value).__name__ == "AccessDenied"

    again = windows.run(CONFIG, playbook="user_config.yml", claude_desktop_users=["alice"])
    assert again.returncode == 0 and "changed=0" in again.stdout, again.stdout[-3000:]
    removed = windows.run(None, playbook="user_config.yml", claude_desktop_users=["alice"], user_config_state="absent")
    assert removed.returncode == 0, removed.stdout[-3000:]
    assert ENTRY + ".json" not in app.listdir("%LOCALAPPDATA%", "Claude-3p\\configLibrary")
    meta = json.loads(app.read("%LOCALAPPDATA%", "Claude-3p\\configLibrary\\_meta.json"))
    # the app's own entry stays; ours was applied, so nothing is (Windows keeps no record of the prior appliedId,
    # render.remove_from_config_library_meta; macOS and Linux put the prior one back)
    assert [e["id"] for e in meta["entries"]] == [APPS_OWN] and "appliedId" not in meta
    assert json.loads(app.read("%APPDATA%", "Claude-3p\\claude_desktop_config.json")) == {"deploymentMode": "3p"}


def test_a_package_that_never_ran_reads_the_real_files(windows):
    """No LocalCache copy: the merged view falls through to the real %LOCALAPPDATA% files the collection wrote."""
    seed(windows)
    run = windows.run(CONFIG, playbook="user_config.yml", claude_desktop_users=["alice"], user_config_formats=["config_library"])
    assert run.returncode == 0, run.stdout[-3000:]
    app = windows.packaged_app(HOME, SID)
    assert app.effective("%LOCALAPPDATA%", "Claude-3p\\configLibrary\\_meta.json") == HOME + "\\AppData\\Local\\Claude-3p\\configLibrary\\_meta.json"
    assert json.loads(app.read("%LOCALAPPDATA%", "Claude-3p\\configLibrary\\_meta.json"))["appliedId"] == ENTRY
    assert not windows.file(PACKAGES).exists()
