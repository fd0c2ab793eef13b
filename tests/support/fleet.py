"""Helpers for tests against the network-namespace SSH fleet (tests/fleet/fleet.sh)."""

from __future__ import annotations

import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FLEET = os.path.join(REPO, "tests", "fleet", "fleet.sh")
BIN = os.path.dirname(sys.executable)


def fleet(*args, check=True):
    return subprocess.run(["bash", FLEET, *args], capture_output=True, text=True, check=check)


def on_host(name, *cmd):
    return subprocess.run(["bash", FLEET, "exec", name, "--", *cmd], capture_output=True, text=True, check=False)


def sh_on(name, script, *args):
    """Run a sh script on a fleet host with positional arguments ($1, $2, ...)."""
    return on_host(name, "sh", "-c", script, "-", *args)


def write_on(name, path, content, owner, mode):
    """Write a file on a fleet host (parents created) with an owner and a mode."""
    res = sh_on(name, 'mkdir -p "$(dirname "$1")" && printf %s "$2" > "$1" && chown "$3" "$1" && chmod "$4" "$1"',
                path, content, owner, mode)
    assert res.returncode == 0, res.stderr


def ansible_playbook(inventory, playbook, *args, extra_vars=None):
    env = dict(os.environ)
    env["ANSIBLE_CONFIG"] = os.path.join(REPO, "ansible.cfg")
    env["ANSIBLE_COLLECTIONS_PATH"] = os.path.join(REPO, "build", "collections")
    env["ANSIBLE_FORCE_COLOR"] = "0"
    env["ANSIBLE_NOCOLOR"] = "1"
    cmd = [os.path.join(BIN, "ansible-playbook"), "-i", inventory, os.path.join(REPO, "playbooks", playbook), *args]
    for path in extra_vars or ():
        cmd += ["-e", "@" + path]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO, check=False)


def recap(output):
    """{host: {ok: n, changed: n, unreachable: n, failed: n, ...}} from a PLAY RECAP."""
    hosts = {}
    tail = output[output.rindex("PLAY RECAP"):]
    for line in tail.splitlines()[1:]:
        if ":" not in line or " ok=" not in line:
            continue  # blank lines and the rollout summary printed after the recap
        host, dummy, counts = line.partition(":")
        values = dict(item.split("=") for item in counts.split())
        hosts[host.strip()] = {k: int(v) for k, v in values.items()}
    return hosts
