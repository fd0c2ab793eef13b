"""Issue 14 on the SSH fleet: removal restores what was there, parents, backups, masking, paths from
inventory values, failures that explain themselves, dead hosts, interrupted rollouts."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

import pytest
import yaml

from support.fleet import BIN, REPO, ansible_playbook, fleet, on_host, recap, sh_on, write_on

pytestmark = pytest.mark.fleet

KEY = "sk-test-hardening-7e6d5c4b3a21"
LINUX_MANAGED = "/etc/claude-desktop/managed-settings.json"
BOB_BASE = "/home/bob/.config/Claude-3p"
HOST_ROOTS = ("/etc/claude-desktop", "/home", "/Users", "/Library", "/var/lib/aiohub-claude-desktop")
CONFIG = {
    "inferenceProvider": "gateway",
    "inferenceGatewayBaseUrl": "https://api.aiohub.org",
    "inferenceGatewayApiKey": KEY,
    "coworkEgressAllowedHosts": ["docs.aiohub.org"],
}


def _vars(tmp_path, name="vars.yml", **extra):
    data = {"claude_desktop_config": CONFIG, "claude_desktop_mode": "both", "claude_desktop_users": ["bob"],
            "claude_desktop_batches": [3]}
    data.update(extra)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data))
    return str(path)


_sh, _write = sh_on, write_on


def snapshot(host):
    """Every path under the roots the collection may touch, with owner, group, mode and content digest."""
    res = _sh(host, 'for r in "$@"; do [ -e "$r" ] && find "$r" -printf "%p %u %g %m %y\\n"; done; '
                    'for r in "$@"; do [ -e "$r" ] && find "$r" -type f -exec sha256sum {} +; done; true', *HOST_ROOTS)
    return sorted(res.stdout.splitlines())


def host_tree_leaks(host, secret):
    """grep the host's whole private tree (its /Library, /Users, /home, /etc overlay, records) for a secret."""
    tree = os.path.join(os.environ["FLEET_STATE_DIR"], host)
    res = subprocess.run(["grep", "-rl", "--", secret, tree], capture_output=True, text=True, check=False)
    return res.stdout.split()


def cleanup(inventory, tmp_path, limit="linux1"):
    run = ansible_playbook(inventory, "remove.yml", "--limit", limit,
                           extra_vars=[_vars(tmp_path, "cleanup.yml", claude_desktop_users=["alice", "bob"])])
    assert run.returncode == 0, run.stdout[-2000:]


def test_remove_after_deploy_restores_own_files_byte_identical_and_leaves_no_secret(fleet_inventory, tmp_path):
    own_user = json.dumps({"mcpServers": {"fs": {"command": "fs", "env": {"TOKEN": "user-own-token-1"}}},
                           "enterpriseConfig": {"inferenceProvider": "vertex", "inferenceVertexProjectId": "own"}}, indent=4)
    _write("linux1", LINUX_MANAGED, '{"disableAutoUpdates": true}\n', "root:root", "600")
    _write("linux1", BOB_BASE + "/claude_desktop_config.json", own_user, "bob:bob", "644")
    _write("linux1", BOB_BASE + "/configLibrary/_meta.json",
           json.dumps({"appliedId": "0b0b0b0b-0000-4000-8000-000000000001",
                       "entries": [{"id": "0b0b0b0b-0000-4000-8000-000000000001", "name": "Bob's own"}]}), "bob:bob", "600")
    _write("linux1", BOB_BASE + "/configLibrary/0b0b0b0b-0000-4000-8000-000000000001.json", '{"inferenceProvider": "vertex"}',
           "bob:bob", "600")
    before = snapshot("linux1")
    try:
        run = ansible_playbook(fleet_inventory, "deploy.yml", "--limit", "linux1", extra_vars=[_vars(tmp_path)])
        assert run.returncode == 0, run.stdout[-3000:]
        assert json.loads(on_host("linux1", "cat", LINUX_MANAGED).stdout)["inferenceGatewayApiKey"] == KEY
        user = json.loads(on_host("linux1", "cat", BOB_BASE + "/claude_desktop_config.json").stdout)
        assert user["enterpriseConfig"]["inferenceGatewayApiKey"] == KEY and user["mcpServers"]["fs"]["env"]["TOKEN"] == "user-own-token-1"
        meta = json.loads(on_host("linux1", "cat", BOB_BASE + "/configLibrary/_meta.json").stdout)
        assert meta["appliedId"] != "0b0b0b0b-0000-4000-8000-000000000001" and len(meta["entries"]) == 2
        # a second change makes backups, which hold the key
        changed = _vars(tmp_path, "changed.yml", claude_desktop_team_config={"coworkEgressAllowedHosts_extra": ["github.com"]})
        assert ansible_playbook(fleet_inventory, "deploy.yml", "--limit", "linux1", extra_vars=[changed]).returncode == 0
        assert host_tree_leaks("linux1", KEY)
        run = ansible_playbook(fleet_inventory, "remove.yml", "--limit", "linux1", "--diff", extra_vars=[_vars(tmp_path)])
        assert run.returncode == 0, run.stdout[-3000:]
        assert KEY not in run.stdout + run.stderr
        assert snapshot("linux1") == before  # every pre-existing file byte-identical, owner and mode kept
        assert host_tree_leaks("linux1", KEY) == []  # no backup, record or temp file holds the key
    finally:
        _sh("linux1", 'rm -rf /etc/claude-desktop "$1"', BOB_BASE)


def test_parents_only_documented_levels_below_an_existing_home(fleet_inventory, tmp_path):
    extra = _vars(tmp_path, claude_desktop_users=["alice", "carol"], claude_desktop_mode="user",
                  user_config_homes={"carol": "/home/carol"})
    run = ansible_playbook(fleet_inventory, "deploy.yml", "--limit", "linux1", extra_vars=[extra])
    try:
        assert run.returncode != 0
        assert "linux1" in run.stdout and "home directory /home/carol of user carol does not exist" in run.stdout
        assert on_host("linux1", "test", "-e", "/home/carol").returncode == 1
        # alice (home exists) was still configured; the levels created are hers, 0700
        stat = _sh("linux1", 'stat -c "%U %a" /home/alice/.config /home/alice/.config/Claude-3p '
                             '/home/alice/.config/Claude-3p/configLibrary').stdout.split("\n")
        assert stat[:3] == ["alice 700"] * 3
        # a home below a root that does not exist (a Mac without /Users): nothing is created
        mac = _vars(tmp_path, "mac.yml", claude_desktop_users=["alice"], claude_desktop_mode="user",
                    user_config_homes={"alice": "/Users2/alice"}, user_config_home_roots=["/Users2"])
        run = ansible_playbook(fleet_inventory, "deploy.yml", "--limit", "mac1", extra_vars=[mac])
        assert run.returncode != 0 and "home directory /Users2/alice of user alice does not exist" in run.stdout
        assert on_host("mac1", "test", "-e", "/Users2").returncode == 1
    finally:
        cleanup(fleet_inventory, tmp_path)
    assert on_host("linux1", "test", "-e", "/home/alice/.config").returncode == 1  # created levels go with removal


def test_diff_masks_short_secrets_mcp_args_and_the_users_own_credentials(fleet_inventory, tmp_path):
    config = dict(CONFIG, inferenceGatewayApiKey="k9Z", managedMcpServers=[
        {"name": "gh", "transport": "stdio", "command": "/usr/bin/gh-mcp", "args": ["--token", "argtok-51"],
         "env": {"GH": "envtok-52"}}])
    _write("linux1", BOB_BASE + "/claude_desktop_config.json", json.dumps(
        {"mcpServers": {"db": {"command": "db", "args": ["--password", "usrarg-53"], "env": {"DB_URL": "usrenv-54"}}},
         "apiToken": "u5"}), "bob:bob", "600")
    try:
        run = ansible_playbook(fleet_inventory, "deploy.yml", "--limit", "linux1", "--diff", "-vvvv",
                               extra_vars=[_vars(tmp_path, claude_desktop_config=config)])
        assert run.returncode == 0, run.stdout[-3000:]
        out = run.stdout + run.stderr
        assert "********" in out
        for secret in ('"k9Z"', "argtok-51", "envtok-52", "usrarg-53", "usrenv-54", '"u5"'):
            assert secret not in out, secret
        run = ansible_playbook(fleet_inventory, "remove.yml", "--limit", "linux1", "--diff", "-vvvv",
                               extra_vars=[_vars(tmp_path, claude_desktop_config=config)])
        for secret in ('"k9Z"', "argtok-51", "envtok-52", "usrarg-53", "usrenv-54", '"u5"'):
            assert secret not in run.stdout + run.stderr, secret
    finally:
        cleanup(fleet_inventory, tmp_path)
        _sh("linux1", 'rm -rf "$1"', BOB_BASE)


@pytest.mark.parametrize("extra, variable, forbidden", [
    ({"claude_desktop_users": ["../root"]}, "claude_desktop_users", "/root/.config/Claude-3p"),
    ({"claude_desktop_users": ["alice"], "user_config_homes": {"alice": "/home/../root"}}, "user_config_homes", "/root/.config/Claude-3p"),
    ({"managed_settings_user": "../../etc/x"}, "managed_settings_user", "/etc/x"),
])
def test_inventory_values_that_become_paths_are_checked(fleet_inventory, tmp_path, extra, variable, forbidden):
    run = ansible_playbook(fleet_inventory, "deploy.yml", "--limit", "mac1", extra_vars=[_vars(tmp_path, **extra)])
    assert run.returncode != 0
    assert variable in run.stdout and "mac1" in run.stdout
    assert on_host("mac1", "test", "-e", forbidden).returncode == 1
    assert KEY not in run.stdout + run.stderr


@pytest.mark.parametrize("fault, reason", [("ro", "Read-only file system"), ("full", "No space left on device")])
def test_write_failures_name_host_path_and_os_reason(fleet_inventory, tmp_path, fault, reason):
    mount = "mkdir -p /etc/claude-desktop && mount -t tmpfs -o size=16k,mode=0755 tmpfs /etc/claude-desktop"
    if fault == "ro":
        mount += " && mount -o remount,ro /etc/claude-desktop"
    else:
        mount += " && (dd if=/dev/zero of=/etc/claude-desktop/filler bs=1k count=64 2>/dev/null; true)"
    assert _sh("linux1", mount).returncode == 0
    try:
        listing = "find /etc/claude-desktop -mindepth 1 -printf '%f %s %m\\n' | sort"
        before = _sh("linux1", listing).stdout
        run = ansible_playbook(fleet_inventory, "deploy.yml", "--limit", "linux1",
                               extra_vars=[_vars(tmp_path, claude_desktop_mode="managed")])
        assert run.returncode != 0
        line = [x for x in run.stdout.splitlines() if reason in x]
        assert line and "linux1" in line[0] and LINUX_MANAGED in line[0], run.stdout[-2000:]
        assert _sh("linux1", listing).stdout == before  # no temp file, no empty backup
        assert KEY not in run.stdout + run.stderr
    finally:
        _sh("linux1", "umount /etc/claude-desktop; rm -rf /etc/claude-desktop")
        cleanup(fleet_inventory, tmp_path)


def test_dead_host_is_reported_unreachable_within_a_bounded_time(fleet_inventory, tmp_path):
    """mac2's network dies while an SSH ControlPersist master is alive; keep-alives end it (ansible.cfg)."""
    vars_file = _vars(tmp_path, claude_desktop_mode="managed")
    assert ansible_playbook(fleet_inventory, "deploy.yml", extra_vars=[vars_file]).returncode == 0  # masters up
    link = "cdf%s-mac2" % fleet("id").stdout.strip()
    subprocess.run(["ip", "link", "set", link, "down"], check=True)
    try:
        start = time.monotonic()
        changed = _vars(tmp_path, "dead.yml", claude_desktop_mode="managed",
                        claude_desktop_team_config={"coworkEgressAllowedHosts_extra": ["github.com"]})
        run = ansible_playbook(fleet_inventory, "deploy.yml", extra_vars=[changed])
        elapsed = time.monotonic() - start
        print("deploy with a dead host took %.1f s" % elapsed)
    finally:
        subprocess.run(["ip", "link", "set", link, "up"], check=True)
    counts = recap(run.stdout)
    assert counts["mac2"]["unreachable"] == 1 or "  unreachable  mac2: " in run.stdout, run.stdout[-2000:]
    assert counts["linux1"]["failed"] == 0 and counts["mac1"]["failed"] == 0
    assert elapsed < 75, "a dead host held the rollout for %.0f s" % elapsed
    cleanup(fleet_inventory, tmp_path, limit="all")


def _files_state(host, paths):
    out = {}
    for path in paths:
        res = on_host(host, "cat", path)
        out[path] = res.stdout if res.returncode == 0 else None
    return out


def test_interrupted_rollouts_leave_old_or_new_and_the_rerun_converges(fleet_inventory, tmp_path):
    """SIGKILL ansible-playbook at several points, and kill a host's sshd (with its sessions) mid-run."""
    paths = [LINUX_MANAGED, BOB_BASE + "/claude_desktop_config.json"]
    versions = []
    for n in range(4):
        versions.append(_vars(tmp_path, "v%d.yml" % n, claude_desktop_team_config={"coworkEgressAllowedHosts_extra": ["h%d.example.org" % n]}))
    try:
        env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"),
                   ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, "build", "collections"))
        playbook = [os.path.join(BIN, "ansible-playbook"), "-i", fleet_inventory, os.path.join(REPO, "playbooks", "deploy.yml"),
                    "--limit", "linux1", "-e"]
        for n, delay in enumerate((1.0, 2.0, 3.0, 4.0)):
            proc = subprocess.Popen(playbook + ["@" + versions[n]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    env=env, cwd=REPO, start_new_session=True)
            time.sleep(delay)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            for path, text in _files_state("linux1", paths).items():
                if text is not None:  # never partial: old or new, always a whole JSON document
                    data = json.loads(text)
                    hosts = (data.get("enterpriseConfig") or data)["coworkEgressAllowedHosts"]
                    assert hosts[-1] in ["docs.aiohub.org"] + ["h%d.example.org" % i for i in range(n + 1)]
            assert _sh("linux1", "ls -a /etc/claude-desktop %s 2>/dev/null | grep -c aiohub-tmp" % BOB_BASE).stdout.strip() in ("0", "")
        # the host's sshd dies (every session with it) while the rollout runs
        proc = subprocess.Popen(playbook + ["@" + versions[0]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=env, cwd=REPO)
        time.sleep(1.5)
        fleet("stop-host", "linux1")
        proc.wait(timeout=120)
        fleet("start-host", "linux1")
        for text in _files_state("linux1", paths).values():
            assert text is None or json.loads(text)
        rerun = ansible_playbook(fleet_inventory, "deploy.yml", "--limit", "linux1", extra_vars=[versions[3]])
        assert rerun.returncode == 0, rerun.stdout[-2000:]
        again = ansible_playbook(fleet_inventory, "deploy.yml", "--limit", "linux1", extra_vars=[versions[3]])
        assert recap(again.stdout)["linux1"]["changed"] == 0
        assert "h3.example.org" in on_host("linux1", "cat", LINUX_MANAGED).stdout
    finally:
        cleanup(fleet_inventory, tmp_path)
    assert host_tree_leaks("linux1", KEY) == []
    assert on_host("linux1", "test", "-e", LINUX_MANAGED).returncode == 1
