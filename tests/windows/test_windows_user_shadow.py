"""Shadow detection for the Windows user config reads the placement table's policy keys (spec §1.6)."""

from __future__ import annotations

HKLM = "HKLM\\SOFTWARE\\Policies\\Claude"
CONFIG = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org",
          "inferenceGatewayApiKey": "sk-test-windows-shadow-1a2b"}


SID = "S-1-5-21-1004336348-1177238915-682003330-1001"


def _run(windows, values, user_values=None):
    keys = {HKLM.lower(): {n: {"type": "REG_SZ", "data": v} for n, v in values.items()}}
    if user_values is not None:
        keys[("HKU\\%s\\SOFTWARE\\Policies\\Claude" % SID).lower()] = {n: {"type": "REG_SZ", "data": v} for n, v in user_values.items()}
    windows.seed(keys=keys, users={"WIN-DOUBLE\\alice": SID}, profiles={SID: "C:\\Users\\alice"}, loaded=[SID])
    return windows.run(CONFIG, playbook="user_config.yml", claude_desktop_users=["alice"], user_config_formats=["user_json"])


def test_machine_policy_warns_that_local_config_is_ignored(windows):
    run = _run(windows, {"inferenceProvider": "vertex", "disableAutoUpdates": "true"})
    assert run.returncode == 0, run.stdout[-2000:]
    assert "HKLM:\\SOFTWARE\\Policies\\Claude holds policy values (inferenceProvider)" in run.stdout + run.stderr


def test_app_behaviour_keys_only_stay_quiet(windows):
    run = _run(windows, {"disableAutoUpdates": "true", "autoUpdaterEnforcementHours": "4"})
    assert run.returncode == 0, run.stdout[-2000:]
    assert "holds policy values" not in run.stdout + run.stderr


def test_the_users_own_hive_is_read_not_the_deploying_accounts_hkcu(windows):
    """B6: HKCU: is the WinRM account's hive (win_reg_stat.ps1:84); the user's policy is HKU\\<SID>."""
    from conftest import double_util

    DEFAULT_CONNECTION = double_util("fake_fs").DEFAULT_CONNECTION
    keys = {("HKU\\%s\\SOFTWARE\\Policies\\Claude" % DEFAULT_CONNECTION["sid"]).lower(): {"inferenceProvider": {"type": "REG_SZ", "data": "x"}}}
    windows.seed(keys=keys, users={"WIN-DOUBLE\\alice": SID}, profiles={SID: "C:\\Users\\alice"}, loaded=[SID])
    run = windows.run(CONFIG, playbook="user_config.yml", claude_desktop_users=["alice"], user_config_formats=["user_json"])
    assert run.returncode == 0, run.stdout[-2000:]
    assert "holds policy values" not in run.stdout + run.stderr
    run = _run(windows, {}, user_values={"inferenceProvider": "vertex", "disableAutoUpdates": "true"})
    assert run.returncode == 0, run.stdout[-2000:]
    assert ("HKU\\%s\\SOFTWARE\\Policies\\Claude holds policy values (inferenceProvider)" % SID) in run.stdout + run.stderr
