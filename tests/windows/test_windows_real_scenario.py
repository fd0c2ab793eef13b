"""The opt-in windows_real Molecule scenario (extensions/molecule/windows_real) without a Windows host: every
playbook parses (ansible-playbook --syntax-check, as `molecule syntax` does for converge.yml), a run without
CLAUDE_DESKTOP_WINRM_HOST says why nothing runs, and CLAUDE_DESKTOP_REQUIRE_WINDOWS_REAL makes that a failure."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SCENARIO = os.path.join(REPO, "extensions", "molecule", "windows_real")
PLAYBOOKS = ["create.yml", "prepare.yml", "converge.yml", "verify.yml", "side_effect.yml", "destroy.yml"]


def playbook(name, *args, **env):
    handle, inventory = tempfile.mkstemp(suffix=".yml")
    os.close(handle)
    group_vars = yaml.safe_load(open(os.path.join(SCENARIO, "molecule.yml")))["provisioner"]["inventory"]["group_vars"]["windows"]
    with open(inventory, "w") as f:
        yaml.safe_dump({"all": {"children": {"windows": {"hosts": {"windows-vm": {}}, "vars": group_vars}}}}, f)
    try:
        full = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"),
                    ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, "build", "collections"), **env)
        for name_ in ("CLAUDE_DESKTOP_WINRM_HOST", "CLAUDE_DESKTOP_REQUIRE_WINDOWS_REAL"):
            if name_ not in env:
                full.pop(name_, None)
        cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inventory, os.path.join(SCENARIO, name), *args]
        return subprocess.run(cmd, capture_output=True, text=True, env=full, cwd=REPO, check=False)
    finally:
        os.unlink(inventory)


@pytest.mark.parametrize("name", PLAYBOOKS)
def test_every_playbook_of_the_scenario_parses(name):
    run = playbook(name, "--syntax-check")
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_scenario_sequence_covers_check_rerun_and_removal():
    sequence = yaml.safe_load(open(os.path.join(SCENARIO, "molecule.yml")))["scenario"]["test_sequence"]
    assert sequence[0] == "syntax" and sequence.index("check") < sequence.index("converge") < sequence.index("idempotence")
    assert sequence.index("idempotence") < sequence.index("verify") < sequence.index("side_effect")


def test_without_a_host_it_says_it_is_skipped_and_runs_on_no_host():
    run = playbook("create.yml")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "SKIPPED: windows_real is opt-in" in run.stdout
    for name in ("converge.yml", "side_effect.yml"):
        run = playbook(name)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "skipping: no hosts matched" in run.stdout


def test_a_required_run_without_a_host_fails():
    run = playbook("create.yml", CLAUDE_DESKTOP_REQUIRE_WINDOWS_REAL="1")
    assert run.returncode != 0
    assert "CLAUDE_DESKTOP_REQUIRE_WINDOWS_REAL is set but CLAUDE_DESKTOP_WINRM_HOST is not" in run.stdout
