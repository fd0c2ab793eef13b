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


def run(cmd, **kwargs):
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""), ANSIBLE_NOCOLOR="1")
    env.update(kwargs.pop("env", {}))
    return subprocess.run(cmd, capture_output=True, text=True, env=env, check=False, **kwargs)


def galaxy_version():
    with open(os.path.join(REPO, "galaxy.yml"), encoding="utf-8") as f:
        return yaml.safe_load(f)["version"]
