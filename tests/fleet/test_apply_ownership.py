"""Issue 19 on the SSH fleet: never destroy what is not ours. Removal by proof of authorship, one locked record
per run (two real concurrent ansible-playbook runs, 30 users), SIGKILL of the module at its writes, identifier
changes, confined homes, exact restore after a user's edit, extended attributes and ACLs."""

from __future__ import annotations

import json
import os
import subprocess
import textwrap

import pytest
import yaml

from support.fleet import BIN, REPO, ansible_playbook, on_host, sh_on, write_on

pytestmark = pytest.mark.fleet

KEY_A = "sk-test-own-a-5f4e3d2c1b0a"
KEY_B = "sk-test-own-b-0a1b2c3d4e5f"
LINUX_MANAGED = "/etc/claude-desktop/managed-settings.json"
MAC_MANAGED = "/Library/Managed Preferences/com.anthropic.claudefordesktop.plist"
BOB = "/home/bob/.config/Claude-3p"
ROOTS = ("/etc/claude-desktop", "/home", "/Users", "/Library", "/var/lib/aiohub-claude-desktop")
CONFIG = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org",
          "coworkEgressAllowedHosts": ["docs.aiohub.org"]}
MANY = ["u19n%02d" % i for i in range(1, 31)]

SNAPSHOT = textwrap.dedent(r'''
    import hashlib, os, stat, sys
    for root in sys.argv[1:]:
        if not os.path.lexists(root):
            continue
        for d, dirs, files in os.walk(root):
            for name in [""] + dirs + files:
                p = os.path.join(d, name) if name else d
                s = os.lstat(p)
                try:
                    xa = sorted((n, os.getxattr(p, n, follow_symlinks=False).hex()) for n in os.listxattr(p, follow_symlinks=False))
                except OSError:
                    xa = []
                h = hashlib.sha256(open(p, "rb").read()).hexdigest() if stat.S_ISREG(s.st_mode) else "-"
                print(p, s.st_uid, s.st_gid, oct(s.st_mode), h, xa)
''')
# A system.posix_acl_access value (no setfacl on the machine): owner rw, user nobody r, group r, mask r, other -.
ACL = "0200000001000600ffffffff02000400feff000004000400ffffffff10000400ffffffff20000000ffffffff"


def _vars(tmp_path, name="vars.yml", key=KEY_A, **extra):
    data = {"claude_desktop_config": dict(CONFIG, inferenceGatewayApiKey=key), "claude_desktop_mode": "both",
            "claude_desktop_users": ["bob"], "claude_desktop_batches": [3]}
    data.update(extra)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data))
    return str(path)


_sh, _write = sh_on, write_on


def _xattr(host, path, name, hexvalue):
    res = on_host(host, "python3", "-c", "import os,sys; os.setxattr(sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3]))",
                  path, name, hexvalue)
    assert res.returncode == 0, res.stderr


def snapshot(host, roots=ROOTS):
    """Every path below the roots: owner, group, mode, content digest and extended attributes (ACLs included)."""
    res = on_host(host, "python3", "-c", SNAPSHOT, *roots)
    assert res.returncode == 0, res.stderr
    return sorted(res.stdout.splitlines())


def leaks(host, *secrets):
    tree = os.path.join(os.environ["FLEET_STATE_DIR"], host)
    found = []
    for secret in secrets:
        res = subprocess.run(["grep", "-rl", "--", secret, tree], capture_output=True, text=True, check=False)
        found += res.stdout.split()
    return found


def temps(host):
    tree = os.path.join(os.environ["FLEET_STATE_DIR"], host)
    res = subprocess.run(["find", tree, "-name", ".aiohub-tmp-*"], capture_output=True, text=True, check=False)
    return res.stdout.split()


MAC_BOB = "/Users/bob/Library/Application Support/Claude-3p"
FOREIGN_PLIST = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
                 '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">\n<dict>\n'
                 '\t<key>disableAutoUpdates</key>\n\t<true/>\n</dict>\n</plist>\n')


def own_files(host="linux1"):
    """A foreign managed file with an xattr and an ACL, and bob's own config (0644, xattr) and configLibrary."""
    mac = host.startswith("mac")
    managed, base = (MAC_MANAGED, MAC_BOB) if mac else (LINUX_MANAGED, BOB)
    _write(host, managed, FOREIGN_PLIST if mac else '{"disableAutoUpdates": true}\n', "root:root", "644")
    _xattr(host, managed, "user.origin", b"their-mdm".hex())
    _xattr(host, managed, "system.posix_acl_access", ACL)
    _own_user_files(host, base)


def _own_user_files(host, base):
    _write(host, base + "/claude_desktop_config.json",
           json.dumps({"enterpriseConfig": {"inferenceProvider": "vertex", "inferenceVertexProjectId": "bobs"},
                       "mcpServers": {"fs": {"command": "fs"}}}, indent=4), "bob:bob", "644")
    _xattr(host, base + "/claude_desktop_config.json", "user.tag", b"blue".hex())
    _write(host, base + "/configLibrary/_meta.json", json.dumps({"appliedId": "bobs", "entries": [{"id": "bobs", "name": "Bob"}]}),
           "bob:bob", "600")
    _write(host, base + "/configLibrary/bobs.json", '{"inferenceProvider": "vertex"}', "bob:bob", "600")


def wipe(host="linux1"):
    _sh(host, 'rm -rf /etc/claude-desktop /home/*/.config /Users/*/Library "/Library/Managed Preferences" '
              '/var/lib/aiohub-claude-desktop/* "/Library/Application Support/aiohub-claude-desktop" /etc/aiohub-kill')


def play(inventory, playbook, *args, extra=(), host="linux1"):
    run = ansible_playbook(inventory, playbook, "--limit", host, *args, extra_vars=list(extra))
    return run


@pytest.mark.parametrize("host", ["linux1", "mac1"])
def test_remove_before_any_deploy_and_twice_changes_nothing(fleet_inventory, tmp_path, host):
    """Items 1 and 8: remove on a never-deployed host, deploy, remove, remove again: byte-, owner-, mode-,
    xattr- and ACL-identical, and the summary says what was left. mac1: the home comes from its account
    database (/Users/bob)."""
    own_files(host)
    managed = MAC_MANAGED if host == "mac1" else LINUX_MANAGED
    before = snapshot(host)
    try:
        run = play(fleet_inventory, "remove.yml", extra=[_vars(tmp_path)], host=host)
        assert run.returncode == 0, run.stdout[-3000:]
        assert snapshot(host) == before
        assert "left" in run.stdout and managed in run.stdout and "no record" in run.stdout
        run = play(fleet_inventory, "deploy.yml", extra=[_vars(tmp_path)], host=host)
        assert run.returncode == 0, run.stdout[-3000:]
        assert on_host(host, "grep", "-rq", KEY_A, MAC_BOB if host == "mac1" else BOB).returncode == 0
        xattrs = on_host(host, "python3", "-c", "import os,sys; print(sorted(os.listxattr(sys.argv[1])))", managed).stdout
        assert "user.origin" in xattrs and "system.posix_acl_access" in xattrs  # carried over to the new inode
        for _attempt in range(2):
            run = play(fleet_inventory, "remove.yml", extra=[_vars(tmp_path)], host=host)
            assert run.returncode == 0, run.stdout[-3000:]
            assert snapshot(host) == before
        assert leaks(host, KEY_A) == [] and temps(host) == []
    finally:
        wipe(host)


def _users(host):
    """30 accounts in the host's own account database (its /etc overlay), each with a home and an own config."""
    script = r'''
    for u in "$@"; do
      id "$u" >/dev/null 2>&1 || useradd --no-create-home --shell /bin/sh "$u" || exit 1
      d=/home/$u/.config/Claude-3p
      mkdir -p "$d"
      printf '{"enterpriseConfig": {"inferenceProvider": "vertex", "inferenceVertexProjectId": "own-%s"}}' "$u" \
        > "$d/claude_desktop_config.json"
      chown -R "$u:" "/home/$u"
      chmod 644 "$d/claude_desktop_config.json"
    done'''
    res = _sh(host, script, *MANY)
    assert res.returncode == 0, res.stderr


def test_two_concurrent_deploys_then_remove_leave_every_users_own_config(fleet_inventory, tmp_path):
    """Item 2: two real ansible-playbook runs at once (configs A and B, 30 users) then remove: every user's own
    file is back byte-identical with owner and mode; neither key nor a configLibrary entry is left anywhere."""
    home_root = os.path.join(os.environ["FLEET_STATE_DIR"], "linux1", "home")
    _users("linux1")
    before = snapshot("linux1")
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"),
               ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, "build", "collections"), ANSIBLE_NOCOLOR="1")
    a = _vars(tmp_path, "a.yml", KEY_A, claude_desktop_users=MANY)
    b = _vars(tmp_path, "b.yml", KEY_B, claude_desktop_users=MANY)
    try:
        procs = [subprocess.Popen([os.path.join(BIN, "ansible-playbook"), "-i", fleet_inventory,
                                   os.path.join(REPO, "playbooks", "deploy.yml"), "--limit", "linux1", "-e", "@" + v],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=REPO)
                 for v in (a, b)]
        outs = [p.communicate(timeout=600)[0] for p in procs]
        assert [p.returncode for p in procs] == [0, 0], "\n".join(o[-2000:] for o in outs)
        for user in MANY:  # every user holds one of the two deploys' key (the later run's), not a mix
            text = open(os.path.join(home_root, user, ".config", "Claude-3p", "claude_desktop_config.json")).read()
            assert (KEY_A in text) != (KEY_B in text), user
        run = play(fleet_inventory, "remove.yml", extra=[a])
        assert run.returncode == 0, run.stdout[-3000:]
        assert snapshot("linux1") == before
        assert leaks("linux1", KEY_A, KEY_B) == []
        assert not [u for u in MANY if os.path.exists(os.path.join(home_root, u, ".config", "Claude-3p", "configLibrary"))]
    finally:
        wipe()
        _sh("linux1", 'for u in "$@"; do userdel "$u"; rm -rf "/home/$u"; done', *MANY)


KILL_POINTS = (1, 4, 8, 12, 17, 23, 30, 38, 47, 58, 70)


def test_sigkill_of_the_module_at_its_writes_then_rerun_and_remove_restore_exactly(fleet_inventory, tmp_path):
    """Item 3: the module SIGKILLs itself at its Nth write/rename/fsync (the engine's fault points, through
    ansible_python_interpreter); after the rerun (or straight away) removal restores every file exactly,
    modes included, and no temp file, record or key is left."""
    own_files()
    before = snapshot("linux1")
    wrapper = '#!/bin/sh\nAIOHUB_CLAUDE_DESKTOP_TEST_KILL_AT=$(cat /etc/aiohub-kill/at) exec /usr/bin/python3 "$@"\n'
    _sh("linux1", 'mkdir -p /etc/aiohub-kill && printf %s "$1" > /etc/aiohub-kill/python && chmod 755 /etc/aiohub-kill/python',
        wrapper)
    killer = str(tmp_path / "killer-inventory.yml")  # linux1 only (extra vars would reach every host)
    with open(killer, "w") as f:
        yaml.safe_dump({"all": {"hosts": {"linux1": {"ansible_python_interpreter": "/etc/aiohub-kill/python"}}}}, f)
    completed = 0
    try:
        for index, point in enumerate(KILL_POINTS):
            _sh("linux1", 'printf %s "$1" > /etc/aiohub-kill/at', str(point))
            run = play(fleet_inventory, "deploy.yml", "-i", killer, extra=[_vars(tmp_path)])
            if run.returncode == 0:
                completed += 1  # fewer writes than that: the run finished
            else:
                assert "linux1" in run.stdout
            if index % 2:  # rerun, then remove
                assert play(fleet_inventory, "deploy.yml", extra=[_vars(tmp_path)]).returncode == 0
            run = play(fleet_inventory, "remove.yml", extra=[_vars(tmp_path)])
            assert run.returncode == 0, run.stdout[-3000:]
            assert snapshot("linux1") == before, "killed at write %d" % point
            assert leaks("linux1", KEY_A) == [] and temps("linux1") == [], point
        assert completed < len(KILL_POINTS) - 2  # the kills did happen
    finally:
        wipe()


def test_identifier_change_retires_the_old_entry_then_remove(fleet_inventory, tmp_path):
    """Item 4: deploy, deploy with another identifier, remove: the old configLibrary entry (with the key) is gone
    after the second deploy, and removal leaves nothing of ours."""
    own_files()
    before = snapshot("linux1")
    try:
        assert play(fleet_inventory, "deploy.yml", extra=[_vars(tmp_path)]).returncode == 0
        first = set(_sh("linux1", 'ls "$1"', BOB + "/configLibrary").stdout.split())
        other = _vars(tmp_path, "other.yml", claude_desktop_identifier="org.example.other")
        run = play(fleet_inventory, "deploy.yml", extra=[other])
        assert run.returncode == 0, run.stdout[-3000:]
        second = set(_sh("linux1", 'ls "$1"', BOB + "/configLibrary").stdout.split())
        assert len(first - second) == 1 and len(second - first) == 1  # old entry retired, new one in
        meta = json.loads(on_host("linux1", "cat", BOB + "/configLibrary/_meta.json").stdout)
        assert [e["id"] for e in meta["entries"]] == ["bobs", (second - first).pop()[:-5]]
        run = play(fleet_inventory, "remove.yml", extra=[other])
        assert run.returncode == 0, run.stdout[-3000:]
        assert snapshot("linux1") == before
        assert leaks("linux1", KEY_A) == []
    finally:
        wipe()


@pytest.mark.parametrize("home, why", [("//home", "not a home directory"), ("/etc/ssh", "system directory"),
                                       ("/home/bob", "owned by uid")])
def test_homes_are_confined_and_nothing_is_created(fleet_inventory, tmp_path, home, why):
    """Item 5: user_config_homes values //home, /etc/ssh and another user's home are refused naming the variable."""
    before = snapshot("linux1", ROOTS + ("/etc/ssh",))
    extra = _vars(tmp_path, claude_desktop_users=["alice"], claude_desktop_mode="user", user_config_homes={"alice": home})
    run = play(fleet_inventory, "deploy.yml", extra=[extra])
    assert run.returncode != 0
    assert "user_config_homes[alice]" in run.stdout and why in run.stdout, run.stdout[-2000:]
    assert snapshot("linux1", ROOTS + ("/etc/ssh",)) == before
    assert on_host("linux1", "test", "-e", "/home/.config").returncode == 1


def test_user_edit_then_remove_puts_the_original_mode_back(fleet_inventory, tmp_path):
    """Item 6: bob's file is 0644; deploy makes it 0600; bob edits it; removal: his edit, his own
    enterpriseConfig and 0644 again."""
    own_files()
    try:
        assert play(fleet_inventory, "deploy.yml", extra=[_vars(tmp_path)]).returncode == 0
        path = BOB + "/claude_desktop_config.json"
        assert _sh("linux1", 'stat -c %a "$1"', path).stdout.strip() == "600"
        obj = json.loads(on_host("linux1", "cat", path).stdout)
        obj["globalShortcut"] = "Ctrl+Space"
        assert _sh("linux1", 'printf %s "$2" > "$1"', path, json.dumps(obj, indent=4)).returncode == 0  # in place
        assert play(fleet_inventory, "remove.yml", extra=[_vars(tmp_path)]).returncode == 0
        assert json.loads(on_host("linux1", "cat", path).stdout) == {
            "enterpriseConfig": {"inferenceProvider": "vertex", "inferenceVertexProjectId": "bobs"},
            "mcpServers": {"fs": {"command": "fs"}}, "globalShortcut": "Ctrl+Space"}
        assert _sh("linux1", 'stat -c "%U %a" "$1"', path).stdout.strip() == "bob 644"
        assert leaks("linux1", KEY_A) == []
    finally:
        wipe()


def test_keep_remote_files_is_warned_about(fleet_inventory, tmp_path):
    """Item 9: with ANSIBLE_KEEP_REMOTE_FILES=1 the module (and its arguments) stays on the host: say so."""
    env_run = subprocess.run(
        [os.path.join(BIN, "ansible-playbook"), "-i", fleet_inventory, os.path.join(REPO, "playbooks", "deploy.yml"),
         "--limit", "linux1", "-e", "@" + _vars(tmp_path, claude_desktop_mode="managed")],
        capture_output=True, text=True, cwd=REPO, check=False,
        env=dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_KEEP_REMOTE_FILES="1",
                 ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, "build", "collections"), ANSIBLE_NOCOLOR="1"))
    try:
        assert env_run.returncode == 0, env_run.stdout[-2000:]
        assert "ANSIBLE_KEEP_REMOTE_FILES is set" in env_run.stdout + env_run.stderr
    finally:
        play(fleet_inventory, "remove.yml", extra=[_vars(tmp_path, claude_desktop_mode="managed")])
        _sh("linux1", "rm -rf /root/.ansible/tmp")
        wipe()


def test_a_run_waits_a_bounded_time_for_the_lock_then_fails_changing_nothing(fleet_inventory, tmp_path):
    """Item 2's lock: another holder of the state directory's flock (here util-linux flock) makes the run wait
    claude_desktop_lock_timeout seconds, then fail for that host naming the lock, with nothing changed."""
    own_files()
    before = snapshot("linux1")
    holder = subprocess.Popen(["bash", os.path.join(REPO, "tests", "fleet", "fleet.sh"), "exec", "linux1", "--",
                               "flock", "/var/lib/aiohub-claude-desktop", "sleep", "60"], start_new_session=True)
    try:
        run = play(fleet_inventory, "deploy.yml", extra=[_vars(tmp_path, claude_desktop_lock_timeout=3)])
        assert run.returncode != 0
        assert "/var/lib/aiohub-claude-desktop is locked by" in run.stdout and "waited 3s" in run.stdout
        assert snapshot("linux1") == before
    finally:
        os.killpg(holder.pid, 9)
        holder.wait()
        wipe()
