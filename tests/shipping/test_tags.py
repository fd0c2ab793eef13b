"""Tags: --tags / --skip-tags select what users expect (README, "Tags").

Read from `ansible-playbook --list-tasks`, which applies --tags/--skip-tags exactly as a run does,
on the example inventory (no host is contacted).
"""

from __future__ import annotations

import os
import re

import pytest

from shipping_helpers import REPO, run, tool

ENV = {"ANSIBLE_CONFIG": os.path.join(REPO, "ansible.cfg"),
       "ANSIBLE_COLLECTIONS_PATH": os.path.join(REPO, "build", "collections")}
ACTION_TAGS = {"validate", "render", "deploy", "remove", "verify", "mdm"}
OS_TAGS = {"macos", "linux", "windows"}
ROLE_TAGS = {"managed_settings", "user_config", "windows_policy"}


def tasks(playbook, *args):
    """{task name: set of tags} that a run with these arguments would execute."""
    proc = run([tool("ansible-playbook"), os.path.join(REPO, "playbooks", playbook), "--list-tasks", *args], cwd=REPO, env=ENV)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = {}
    in_tasks = False
    for line in proc.stdout.splitlines():
        if line.strip().startswith("play #"):
            in_tasks = False
            continue
        if line.strip() == "tasks:":
            in_tasks = True
            continue
        match = re.match(r"^\s+(.+?)\s+TAGS: \[(.*)\]$", line)
        if in_tasks and match:
            out[match.group(1).strip()] = {t.strip() for t in match.group(2).split(",") if t.strip()}
    return out


def _names(listing, *words):
    return [name for name in listing if all(w.lower() in name.lower() for w in words)]


def test_every_task_of_every_playbook_has_its_action_tag():
    for playbook, action in (("validate.yml", "validate"), ("render.yml", "render"), ("deploy.yml", "deploy"),
                             ("remove.yml", "remove"), ("verify.yml", "verify"), ("mdm.yml", "mdm")):
        listing = tasks(playbook)
        assert listing, playbook
        for name, tags in listing.items():
            assert tags & (ACTION_TAGS | {"always"}), "%s: task %r has no action tag" % (playbook, name)
        assert any(action in tags for tags in listing.values()), playbook


def test_deploy_tags_validate_only_validates():
    listing = tasks("deploy.yml", "--tags", "validate")
    assert listing and all("validate" in tags or "always" in tags for tags in listing.values())
    assert not [name for name in listing if name.startswith("Deploy")]


@pytest.mark.parametrize("os_tag, present, absent", [
    ("windows", ["registry policy"], ["macos, linux"]),
    ("macos", ["macos, linux"], ["registry policy"]),
    ("linux", ["macos, linux"], ["registry policy"]),
])
def test_deploy_per_os_tags(os_tag, present, absent):
    listing = tasks("deploy.yml", "--tags", os_tag)
    for words in present:
        assert _names(listing, words), (os_tag, words, sorted(listing))
    for words in absent:
        assert not _names(listing, words), (os_tag, words, sorted(listing))
    assert _names(listing, "validate"), "validation always runs before a deploy"


def test_deploy_per_role_tags_and_skip_tags():
    windows_policy = tasks("deploy.yml", "--tags", "windows_policy")
    assert _names(windows_policy, "registry policy") and not _names(windows_policy, "macos, linux")
    user = tasks("deploy.yml", "--tags", "user_config")
    assert _names(user, "user configuration (windows)") and not _names(user, "registry policy")
    skipped = tasks("deploy.yml", "--skip-tags", "windows")
    assert not _names(skipped, "windows") and _names(skipped, "macos, linux")


def test_remove_tags():
    listing = tasks("remove.yml", "--tags", "windows")
    assert _names(listing, "registry policy") and not _names(listing, "macos, linux")
    assert not [name for name in tasks("deploy.yml", "--tags", "remove") if name.startswith("Deploy")]
    assert not [name for name in tasks("remove.yml", "--tags", "deploy") if name.startswith("Remove")]


def test_list_tags_offers_the_documented_tags():
    proc = run([tool("ansible-playbook"), os.path.join(REPO, "playbooks", "deploy.yml"), "--list-tags"], cwd=REPO, env=ENV)
    assert proc.returncode == 0, proc.stderr
    offered = set(re.findall(r"[\w]+", " ".join(re.findall(r"TASK TAGS: \[(.*)\]", proc.stdout))))
    assert {"validate", "deploy", "macos", "linux", "windows", "managed_settings", "user_config", "windows_policy"} <= offered
