"""user_config on Windows as on a real PC (issue 20): the deploying account is a WinRM administrator, not SYSTEM;
four users: a local one, a domain user whose profile is C:\\Users\\alice.CORP, an Entra ID user and a user who
never logged on. Deploy, --check, rerun (changed=0) and removal, against the enforcing double."""

from __future__ import annotations

import json
import re

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import config_library_entry_id

KEY = "sk-test-windows-real-pc-7e6d5c4b"
CONFIG = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "inferenceGatewayApiKey": KEY}
LOCAL_SID, DOMAIN_SID, ENTRA_SID = "S-1-5-21-9-8-7-1001", "S-1-5-21-5-5-5-2201", "S-1-12-1-11-22-33-44"
HOMES = {"bob": "C:\\Users\\bob", "CORP\\alice": "C:\\Users\\alice.CORP", "AzureAD\\carol@corp.example": "C:\\Users\\carol"}
USERS = ["bob", "CORP\\alice", "AzureAD\\carol@corp.example", "CORP\\dave"]
ADMINS, SYSTEM = "S-1-5-32-544", "S-1-5-18"


def changed(run):
    return int(re.search(r"changed=(\d+)", run.stdout[run.stdout.rindex("PLAY RECAP"):]).group(1))


def test_four_users_deploy_check_rerun_and_removal_as_a_non_system_admin(windows):
    windows.seed(users={"WIN-DOUBLE\\bob": LOCAL_SID, "CORP\\alice": DOMAIN_SID, "AzureAD\\carol@corp.example": ENTRA_SID,
                        "CORP\\dave": "S-1-5-21-5-5-5-2202"},
                 profiles={LOCAL_SID: HOMES["bob"], DOMAIN_SID: HOMES["CORP\\alice"], ENTRA_SID: HOMES["AzureAD\\carol@corp.example"]},
                 loaded=[DOMAIN_SID])
    users = {"claude_desktop_users": USERS}
    check = windows.run(CONFIG, "--check", playbook="user_config.yml", **users)
    assert check.returncode == 0, check.stdout[-3000:]
    assert changed(check) == 1 and not windows.file("C:\\Users\\bob\\AppData\\Local\\Claude-3p").exists()
    first = windows.run(CONFIG, "--diff", playbook="user_config.yml", **users)
    assert first.returncode == 0, first.stdout[-3000:]
    assert KEY not in first.stdout + first.stderr
    assert "CORP\\dave (S-1-5-21-5-5-5-2202) has no profile" in first.stderr + first.stdout and "never logged on" in first.stderr + first.stdout
    entry = config_library_entry_id("org.aiohub.claude-desktop")
    for account, sid in (("bob", LOCAL_SID), ("CORP\\alice", DOMAIN_SID), ("AzureAD\\carol@corp.example", ENTRA_SID)):
        base = HOMES[account] + "\\AppData\\Local\\Claude-3p"
        for path in (base + "\\claude_desktop_config.json", base + "\\configLibrary\\" + entry + ".json", base + "\\configLibrary\\_meta.json"):
            assert windows.can(path, "read", sid), path           # the user, so the app, reads it
            assert windows.can(path, "read", ADMINS), path        # the deploying admin reads it again
            assert not windows.can(path, "read", "S-1-5-21-9-8-7-1099"), path  # another user does not
        assert json.loads((windows.file(base) / "claude_desktop_config.json").read_text())["enterpriseConfig"]["inferenceGatewayApiKey"] == KEY
    assert not windows.file("C:\\Users\\alice").exists() and not windows.file("C:\\Users\\dave").exists()  # no home created
    again = windows.run(CONFIG, "--check", playbook="user_config.yml", **users)
    assert again.returncode == 0 and changed(again) == 0, again.stdout[-3000:]
    rerun = windows.run(CONFIG, playbook="user_config.yml", **users)
    assert rerun.returncode == 0 and changed(rerun) == 0, rerun.stdout[-3000:]
    removed = windows.run(None, playbook="user_config.yml", user_config_state="absent", **users)
    assert removed.returncode == 0, removed.stdout[-3000:]
    for home in HOMES.values():
        base = windows.file(home + "\\AppData\\Local\\Claude-3p")
        assert not (base / "claude_desktop_config.json").exists() and not (base / "configLibrary" / (entry + ".json")).exists()
    gone = windows.run(None, playbook="user_config.yml", user_config_state="absent", **users)
    assert gone.returncode == 0 and changed(gone) == 0, gone.stdout[-3000:]


def test_a_junction_planted_by_the_user_is_refused_before_anything_is_written(windows):
    windows.seed(users={"WIN-DOUBLE\\bob": LOCAL_SID}, profiles={LOCAL_SID: HOMES["bob"]})
    windows.file("C:\\ProgramData\\Secret").mkdir(parents=True)
    windows.junction(HOMES["bob"] + "\\AppData\\Local\\Claude-3p", "C:\\ProgramData\\Secret")
    run = windows.run(CONFIG, playbook="user_config.yml", claude_desktop_users=["bob"])
    assert run.returncode != 0 and "junction" in run.stdout
    assert list(windows.file("C:\\ProgramData\\Secret").iterdir()) == []
    assert not windows.can("C:\\ProgramData\\Secret", "write_dac", LOCAL_SID)
