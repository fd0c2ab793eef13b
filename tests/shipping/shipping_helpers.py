"""Helpers for the shipping tests (a unique module name: several test trees have a conftest)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)


def tool(name):
    path = os.path.join(BIN, name)
    if not os.path.exists(path):
        pytest.fail("%s is not installed in the venv: run `make venv` (requirements.txt)" % name)
    return path


def run(cmd, without_ansible_env=False, **kwargs):
    """``without_ansible_env``: drop the checkout's ANSIBLE_* settings (the Makefile's ANSIBLE_CONFIG and
    collections path), as on a machine that only has the tarball, e.g. a Galaxy server's importer."""
    env = {k: v for k, v in os.environ.items() if not (without_ansible_env and k.startswith("ANSIBLE_"))}
    env.update(PATH=BIN + os.pathsep + os.environ.get("PATH", ""), ANSIBLE_NOCOLOR="1")
    env.update(kwargs.pop("env", {}))
    return subprocess.run(cmd, capture_output=True, text=True, env=env, check=False, **kwargs)


def galaxy_version():
    with open(os.path.join(REPO, "galaxy.yml"), encoding="utf-8") as f:
        return yaml.safe_load(f)["version"]


def build_tarball(dest):
    """`ansible-galaxy collection build` of the checkout into dest, as a release is built."""
    proc = run([tool("ansible-galaxy"), "collection", "build", "--output-path", str(dest), REPO], cwd=REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    path = os.path.join(str(dest), "aiohub-claude_desktop-%s.tar.gz" % galaxy_version())
    assert os.path.exists(path), proc.stdout
    return path


def install_tarball(tarball, root):
    """`ansible-galaxy collection install` of the tarball into root; returns the collection's directory.

    Dependencies (ansible.windows, ...) come from the `ansible` package here (Galaxy is unreachable),
    hence --no-deps; users get them from Galaxy.
    """
    os.makedirs(str(root), exist_ok=True)
    proc = run([tool("ansible-galaxy"), "collection", "install", "--force", "--no-deps", "-p", str(root), str(tarball)],
               cwd=str(root))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    path = os.path.join(str(root), "ansible_collections", "aiohub", "claude_desktop")
    assert os.path.exists(os.path.join(path, "MANIFEST.json")), proc.stdout + proc.stderr
    return path


def installed_env(root, cwd):
    """Environment of a user who installed the collection, in a shell at cwd: no repository
    ansible.cfg, no build/ link."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    env.update(ANSIBLE_COLLECTIONS_PATH=str(root), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", PWD=str(cwd),
               PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    return env
