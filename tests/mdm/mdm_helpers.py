"""Running the installed collection's playbooks by FQCN, as a user does (see conftest.installed_collections)."""

from __future__ import annotations

import os
import subprocess

from shipping.shipping_helpers import BIN, installed_env


def fqcn(collections, project, playbook, *args, env=None):
    """ansible-playbook -i <project>/inventory aiohub.claude_desktop.<playbook>, as a user runs it."""
    cmd = [os.path.join(BIN, "ansible-playbook"), "-i", str(project / "inventory"), "aiohub.claude_desktop." + playbook, *args]
    run_env = installed_env(collections, project)
    run_env.update(env or {})
    return subprocess.run(cmd, capture_output=True, text=True, env=run_env, cwd=str(project), check=False, timeout=600)
