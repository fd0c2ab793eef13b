"""Shadow detection for the Windows user config reads the placement table's policy keys (spec §1.6)."""

from __future__ import annotations

HKLM = "HKLM\\SOFTWARE\\Policies\\Claude"
CONFIG = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org",
          "inferenceGatewayApiKey": "sk-test-windows-shadow-1a2b"}


def _run(windows, values):
    windows.seed(keys={HKLM.lower(): {n: {"type": "REG_SZ", "data": v} for n, v in values.items()}})
    windows.file("C:\\Users\\alice\\AppData\\Local").mkdir(parents=True, exist_ok=True)
    return windows.run(CONFIG, playbook="user_config.yml", claude_desktop_users=["alice"], user_config_formats=["user_json"])


def test_machine_policy_warns_that_local_config_is_ignored(windows):
    run = _run(windows, {"inferenceProvider": "vertex", "disableAutoUpdates": "true"})
    assert run.returncode == 0, run.stdout[-2000:]
    assert "HKLM:\\SOFTWARE\\Policies\\Claude holds policy values (inferenceProvider)" in run.stdout + run.stderr


def test_app_behaviour_keys_only_stay_quiet(windows):
    run = _run(windows, {"disableAutoUpdates": "true", "autoUpdaterEnforcementHours": "4"})
    assert run.returncode == 0, run.stdout[-2000:]
    assert "holds policy values" not in run.stdout + run.stderr
