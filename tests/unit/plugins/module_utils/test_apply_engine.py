"""The target side of apply: writes, merges, records and restores in a temporary tree (no SSH)."""

from __future__ import annotations

import base64
import errno
import json
import os
import stat

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.module_utils import apply_engine as e
from ansible_collections.aiohub.claude_desktop.plugins.module_utils.masking import MASK, Masker

KEY = "sk-test-engine-4b3a2c1d"
UID, GID = os.getuid(), os.getgid()


def _b64(data):
    return base64.b64encode(data).decode("ascii")


@pytest.fixture
def tree(tmp_path):
    home = tmp_path / "home" / "alice"
    home.mkdir(parents=True)
    etc = tmp_path / "etc"
    etc.mkdir()
    return tmp_path


def user_json_item(tree, keys=None):
    home = str(tree / "home" / "alice")
    return {"id": "alice user_json", "path": os.path.join(home, ".config", "Claude-3p", "claude_desktop_config.json"),
            "kind": "json_keys", "format": "json", "blob": "cfg", "root": home, "keys": ["enterpriseConfig"],
            "dirs": [{"name": ".config", "mode": 0o700, "create": True, "owner": str(UID), "group": str(GID)},
                     {"name": "Claude-3p", "mode": 0o700, "create": True, "owner": str(UID), "group": str(GID)}],
            "owner": str(UID), "group": str(GID), "mode": 0o600, "keep_mode": True, "user": "alice"}


def managed_item(tree):
    return {"id": "managed", "path": str(tree / "etc" / "claude-desktop" / "managed-settings.json"), "kind": "file",
            "format": "json", "blob": "managed", "root": str(tree / "etc"), "secure_dir": True,
            "dirs": [{"name": "claude-desktop", "mode": 0o755, "create": True, "owner": str(UID), "group": str(GID)}],
            "owner": str(UID), "group": str(GID), "mode": 0o644}


def meta_item(tree):
    home = str(tree / "home" / "alice")
    dirs = [{"name": ".config", "mode": 0o700, "create": True, "owner": str(UID), "group": ""},
            {"name": "Claude-3p", "mode": 0o700, "create": True, "owner": str(UID), "group": ""},
            {"name": "configLibrary", "mode": 0o700, "create": True, "owner": str(UID), "group": ""}]
    base = os.path.join(home, ".config", "Claude-3p", "configLibrary")
    return [
        {"id": "entry", "path": os.path.join(base, "ours.json"), "kind": "file", "format": "json", "blob": "entry",
         "root": home, "dirs": dirs, "owner": str(UID), "group": "", "mode": 0o600, "user": "alice"},
        {"id": "meta", "path": os.path.join(base, "_meta.json"), "kind": "config_library_meta", "format": "json",
         "entry": {"id": "ours", "name": "Managed by IT"}, "root": home, "dirs": dirs, "owner": str(UID), "group": "",
         "mode": 0o600, "keep_mode": True, "user": "alice"},
    ]


CONFIG = {"inferenceProvider": "gateway", "inferenceGatewayApiKey": KEY}
PAYLOAD = {"cfg": _b64(json.dumps({"enterpriseConfig": CONFIG}).encode()), "managed": _b64(json.dumps(CONFIG, indent=2).encode() + b"\n"),
           "entry": _b64(json.dumps(CONFIG).encode())}
MASKING = {"secret_keys": ["inferenceGatewayApiKey"], "secret_values": [KEY]}


def run(tree, items, state="present", **kw):
    variant = {"state_dir": str(tree / "state"), "items": items, "shadow": kw.pop("shadow", [])}
    engine = e.Engine(variant, PAYLOAD, state=state, masking=MASKING, **kw)
    return engine.run()


def snapshot(root):
    out = {}
    for dirpath, dirnames, filenames in os.walk(str(root)):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            content = open(path, "rb").read() if stat.S_ISREG(st.st_mode) else None
            out[path] = (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode), content)
    return out


def test_user_json_merge_keeps_foreign_keys_and_indent_then_removal_restores_bytes(tree):
    item = user_json_item(tree)
    os.makedirs(os.path.dirname(item["path"]))
    own = b'{\n\t"mcpServers": {"fs": {"command": "fs", "env": {"TOKEN": "abc"}}},\n\t"enterpriseConfig": {"inferenceProvider": "vertex"}\n}'
    with open(item["path"], "wb") as f:
        f.write(own)
    os.chmod(item["path"], 0o640)
    before = snapshot(tree / "home")
    res = run(tree, [item], diff=True)
    assert res["changed"] and not res["failures"]
    text = open(item["path"]).read()
    assert text.startswith('{\n\t"mcpServers"') and not text.endswith("\n")  # tab indent, no final newline kept
    data = json.loads(text)
    assert data["mcpServers"]["fs"]["env"] == {"TOKEN": "abc"} and data["enterpriseConfig"] == CONFIG
    assert stat.S_IMODE(os.stat(item["path"]).st_mode) == 0o600  # holds a credential now
    diff = json.dumps(res["diff"])
    assert KEY not in diff and "abc" not in diff and MASK in diff
    assert run(tree, [item])["changed"] is False  # idempotent
    res = run(tree, [dict(item)], state="absent")
    assert res["changed"] and not res["failures"]
    assert snapshot(tree / "home") == before  # byte-identical, owner and mode back
    assert not (tree / "state").exists()  # records and backups gone with the last record


def test_prior_applied_entry_is_put_back(tree):
    items = meta_item(tree)
    base = os.path.dirname(items[0]["path"])
    os.makedirs(base)
    with open(os.path.join(base, "_meta.json"), "w") as f:
        json.dump({"appliedId": "theirs", "entries": [{"id": "theirs", "name": "Mine"}]}, f)
    with open(os.path.join(base, "theirs.json"), "w") as f:
        json.dump({"inferenceProvider": "vertex"}, f)
    before = snapshot(tree / "home")
    assert not run(tree, items)["failures"]
    meta = json.load(open(os.path.join(base, "_meta.json")))
    assert meta["appliedId"] == "ours" and [x["id"] for x in meta["entries"]] == ["theirs", "ours"]
    res = run(tree, list(reversed(items)), state="absent")
    assert not res["failures"]
    assert snapshot(tree / "home") == before


def test_user_switched_entry_after_deploy_keeps_their_choice(tree):
    items = meta_item(tree)
    run(tree, items)
    meta_path = items[1]["path"]
    meta = json.load(open(meta_path))
    meta["entries"].append({"id": "later", "name": "Later"})
    meta["appliedId"] = "later"
    json.dump(meta, open(meta_path, "w"))
    run(tree, list(reversed(items)), state="absent")
    meta = json.load(open(meta_path))
    assert meta == {"appliedId": "later", "entries": [{"id": "later", "name": "Later"}]}


def test_preexisting_managed_file_is_restored_with_owner_and_mode(tree):
    item = managed_item(tree)
    os.makedirs(os.path.dirname(item["path"]))
    with open(item["path"], "w") as f:
        f.write('{"disableAutoUpdates": true}\n')
    os.chmod(item["path"], 0o600)
    before = snapshot(tree / "etc")
    run(tree, [item])
    assert json.load(open(item["path"])) == CONFIG
    assert stat.S_IMODE(os.stat(item["path"]).st_mode) == 0o644
    run(tree, [item], state="absent")
    assert snapshot(tree / "etc") == before


def test_only_documented_levels_are_created_with_explicit_modes_whatever_the_umask(tree):
    item = user_json_item(tree)
    old = os.umask(0)
    try:
        run(tree, [item])
    finally:
        os.umask(old)
    for level in (".config", ".config/Claude-3p"):
        assert stat.S_IMODE(os.stat(str(tree / "home" / "alice" / level)).st_mode) == 0o700
    run(tree, [item], state="absent")
    assert os.listdir(str(tree / "home" / "alice")) == []  # the levels created are gone again


def test_missing_home_is_a_per_user_failure_and_nothing_is_created(tree):
    item = user_json_item(tree)
    item["root"] = str(tree / "home" / "nobody")
    item["path"] = item["path"].replace("/alice/", "/nobody/")
    res = run(tree, [item, managed_item(tree)])
    assert "home directory" in res["failures"][0] and "user alice" in res["failures"][0]
    assert not (tree / "home" / "nobody").exists()
    assert os.path.exists(managed_item(tree)["path"])  # the other items still applied


def test_level_not_documented_is_never_created(tree):
    item = user_json_item(tree)
    item["dirs"][0]["create"] = False
    res = run(tree, [item])
    assert "does not exist" in res["failures"][0]
    assert not (tree / "home" / "alice" / ".config").exists()


@pytest.mark.parametrize("where", ["file", "dir"])
def test_symlinks_are_refused(tree, where):
    item = user_json_item(tree)
    target = tree / "elsewhere"
    target.mkdir()
    (target / "claude_desktop_config.json").write_text("{}")
    if where == "dir":
        os.makedirs(str(tree / "home" / "alice" / ".config"))
        os.symlink(str(target), str(tree / "home" / "alice" / ".config" / "Claude-3p"))
    else:
        os.makedirs(os.path.dirname(item["path"]))
        os.symlink(str(target / "claude_desktop_config.json"), item["path"])
    res = run(tree, [item])
    assert "symlink" in res["failures"][0]
    assert (target / "claude_desktop_config.json").read_text() == "{}"


def test_malformed_file_is_left_byte_identical_with_line_and_column(tree):
    item = user_json_item(tree)
    os.makedirs(os.path.dirname(item["path"]))
    bad = b'{\n  "mcpServers": {"a": \n'
    open(item["path"], "wb").write(bad)
    res = run(tree, [item])
    assert "line 3 column 1" in res["failures"][0] and "left untouched" in res["failures"][0]
    assert open(item["path"], "rb").read() == bad
    assert not (tree / "state").exists()


def test_backups_are_bounded_private_and_purged(tree):
    item = managed_item(tree)
    run(tree, [item])
    payload = dict(PAYLOAD)
    for n in range(3):
        PAYLOAD["managed"] = _b64(json.dumps(dict(CONFIG, n=n)).encode())
        try:
            run(tree, [item], backup_count=1)
        finally:
            PAYLOAD.update(payload)
    backups = os.listdir(str(tree / "state" / "backups"))
    assert len(backups) == 1
    assert stat.S_IMODE(os.stat(str(tree / "state" / "backups" / backups[0])).st_mode) == 0o600
    run(tree, [item], state="absent")
    assert not (tree / "state").exists()


def test_failed_write_leaves_no_temp_and_no_backup(tree, monkeypatch):
    item = managed_item(tree)
    run(tree, [item])
    PAYLOAD_NEW = dict(PAYLOAD, managed=_b64(b'{"changed": 1}'))
    real_write = os.write

    def full(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(e.os, "write", full)
    variant = {"state_dir": str(tree / "state"), "items": [item], "shadow": []}
    res = e.Engine(variant, PAYLOAD_NEW, masking=MASKING).run()
    monkeypatch.setattr(e.os, "write", real_write)
    assert len(res["failures"]) == 1 and res["failures"][0].startswith("cannot write %s: No space left on device" % item["path"])
    assert json.load(open(item["path"])) == CONFIG  # old content intact
    assert os.listdir(os.path.dirname(item["path"])) == ["managed-settings.json"]  # no temp file
    assert not (tree / "state" / "backups").exists() or not os.listdir(str(tree / "state" / "backups"))


def test_check_mode_writes_nothing(tree):
    res = run(tree, [user_json_item(tree), managed_item(tree)], check_mode=True, diff=True)
    assert res["changed"] and not res["failures"]
    assert os.listdir(str(tree / "home" / "alice")) == [] and os.listdir(str(tree / "etc")) == []
    assert not (tree / "state").exists()
    assert KEY not in json.dumps(res)


def test_group_writable_managed_directory_is_secured_and_restored(tree):
    item = managed_item(tree)
    os.makedirs(os.path.dirname(item["path"]))
    os.chmod(os.path.dirname(item["path"]), 0o775)
    res = run(tree, [item])
    assert any("spec §1.4" in w for w in res["warnings"])
    assert stat.S_IMODE(os.stat(os.path.dirname(item["path"])).st_mode) == 0o755
    run(tree, [item], state="absent")
    assert stat.S_IMODE(os.stat(os.path.dirname(item["path"])).st_mode) == 0o775


def test_shadow_warning_quiet_for_app_behaviour_keys(tree):
    src = tree / "etc" / "managed.json"
    src.write_text(json.dumps({"disableAutoUpdates": True, "relaunchEnforcementHours": 4}))
    shadow = [{"path": str(src), "format": "json"}]
    assert run(tree, [user_json_item(tree)], shadow=shadow)["warnings"] == []
    src.write_text(json.dumps({"disableAutoUpdates": True, "inferenceProvider": "gateway"}))
    warnings = run(tree, [user_json_item(tree)], shadow=shadow)["warnings"]
    assert len(warnings) == 1 and "inferenceProvider" in warnings[0] and "disableAutoUpdates" not in warnings[0]


def test_interrupted_write_leaves_old_or_new(tree, monkeypatch):
    """A crash between temp write and rename: the file is the old one; the rerun converges."""
    item = managed_item(tree)
    run(tree, [item])

    def crash(*args, **kwargs):
        raise KeyboardInterrupt()

    monkeypatch.setattr(e.os, "rename", crash)
    variant = {"state_dir": str(tree / "state"), "items": [item], "shadow": []}
    with pytest.raises(KeyboardInterrupt):
        e.Engine(variant, dict(PAYLOAD, managed=_b64(b'{"new": 1}')), masking=MASKING).run()
    monkeypatch.undo()
    assert json.load(open(item["path"])) == CONFIG
    assert os.listdir(os.path.dirname(item["path"])) == ["managed-settings.json"]
    res = e.Engine(variant, dict(PAYLOAD, managed=_b64(b'{"new": 1}')), masking=MASKING).run()
    assert res["changed"] and json.load(open(item["path"])) == {"new": 1}


def test_stale_temp_files_of_a_killed_run_are_removed(tree):
    item = managed_item(tree)
    run(tree, [item])
    stale = os.path.join(os.path.dirname(item["path"]), e.TMP_PREFIX + "managed-settings.json.123.abcde")
    open(stale, "w").write(KEY)
    run(tree, [item])
    assert not os.path.exists(stale)


def test_decide_os():
    assert e.decide_os("macos", {"macos": {}, "linux": {}}) == "macos"
    assert e.decide_os(None, {"macos": {}, "linux": {}}, system="Darwin") == "macos"
    assert e.decide_os(None, {"macos": {}, "linux": {}}, system="Linux") == "linux"
    with pytest.raises(ValueError, match="claude_desktop_os"):
        e.decide_os(None, {"macos": {}, "linux": {}}, system="FreeBSD")


def test_json_style():
    assert e.json_style('{\n    "a": 1\n}\n') == (4, True)
    assert e.json_style('{\n\t"a": 1\n}') == ("\t", False)
    assert e.json_style('{"a": 1}') == (None, False)


@pytest.mark.parametrize("data, hidden", [
    ({"inferenceGatewayApiKey": "ab"}, "ab"),  # shorter than 4: masked structurally all the same
    ({"managedMcpServers": [{"name": "x", "args": ["--token", "t0k"], "env": {"A": "e1"}, "headers": {"X": "h1"}}]}, "t0k"),
    ({"mcpServers": {"gh": {"command": "gh", "args": ["ghp_abcdefghijkl"], "env": {"GITHUB_PAT": "p4t"}}}}, "p4t"),
    ({"mcpServers": {"gh": {"command": "gh", "args": ["--x", "zz"]}}}, "zz"),
    ({"prefs": {"myPassword": "pw"}}, "pw"),
    ({"note": "Bearer abc.def"}, "abc.def"),
    ({"managedMcpServers": json.dumps([{"name": "x", "headers": {"Authorization": "h2"}}])}, "h2"),  # plist JSON string
])
def test_masking_is_structural(data, hidden):
    masked = Masker(secret_keys=["inferenceGatewayApiKey"],
                    secret_paths={"managedMcpServers": [["headers"], ["env"]]}).mask(data)
    assert hidden not in json.dumps(masked)


# ----------------------------------------------------------------------------- issue 19
def test_remove_without_record_leaves_foreign_files_and_says_so(tree):
    """Item 1: remove on a host never deployed to (or after the record was lost) changes nothing."""
    managed, user = managed_item(tree), user_json_item(tree)
    os.makedirs(os.path.dirname(managed["path"]))
    open(managed["path"], "w").write('{"theirs": 1}\n')
    os.makedirs(os.path.dirname(user["path"]))
    open(user["path"], "w").write(json.dumps({"enterpriseConfig": {"inferenceProvider": "vertex"}}))
    before = snapshot(tree)
    for _attempt in range(2):  # and removal twice is a no-op
        res = run(tree, [managed, user], state="absent")
        assert not res["changed"] and not res["failures"]
        assert snapshot(tree) == before
        assert sorted(x.split(":")[0] for x in res["left"]) == sorted([managed["path"], user["path"]])
        assert all("no record" in x for x in res["left"])


def test_remove_leaves_a_file_changed_since_deploy(tree):
    item = managed_item(tree)
    run(tree, [item])
    open(item["path"], "w").write('{"edited": true}\n')
    res = run(tree, [item], state="absent")
    assert open(item["path"]).read() == '{"edited": true}\n'
    assert "changed since" in res["left"][0] and not (tree / "state").exists()


def test_user_edit_then_remove_restores_mode_owner_and_keeps_the_edit(tree):
    """Item 6: original 0644, deploy makes it 0600, the user edits, removal: their edit, their key, 0644."""
    item = user_json_item(tree)
    os.makedirs(os.path.dirname(item["path"]))
    open(item["path"], "w").write(json.dumps({"enterpriseConfig": {"inferenceProvider": "vertex"}}, indent=2))
    os.chmod(item["path"], 0o644)
    run(tree, [item])
    assert stat.S_IMODE(os.stat(item["path"]).st_mode) == 0o600
    obj = json.load(open(item["path"]))
    obj["mine"] = 1
    open(item["path"], "w").write(json.dumps(obj, indent=2))
    run(tree, [item], state="absent")
    assert json.load(open(item["path"])) == {"enterpriseConfig": {"inferenceProvider": "vertex"}, "mine": 1}
    assert stat.S_IMODE(os.stat(item["path"]).st_mode) == 0o644


@pytest.mark.parametrize("which", ["user_json", "meta"])
def test_hard_linked_user_file_is_refused(tree, which):
    """Item 7: a user's file that is a hard link (e.g. to a root-only file) is neither read nor replaced."""
    item = user_json_item(tree) if which == "user_json" else meta_item(tree)[1]
    os.makedirs(os.path.dirname(item["path"]))
    secret = tree / "etc" / "shadow-like"
    secret.write_text('{"root": "only"}')
    os.chmod(str(secret), 0o600)
    os.link(str(secret), item["path"])
    res = run(tree, [item])
    assert "hard links" in res["failures"][0]
    assert secret.read_text() == '{"root": "only"}' and os.stat(str(secret)).st_nlink == 2
    assert KEY not in json.dumps(res)


def test_foreign_owner_where_the_users_file_is_expected_is_refused(tree):
    item = dict(user_json_item(tree), owner="65534")
    os.makedirs(os.path.dirname(item["path"]))
    open(item["path"], "w").write("{}")
    os.chown(item["path"], 0, 0)
    res = run(tree, [item])
    assert "owned by uid 0, not by its user (uid 65534)" in res["failures"][0]
    assert open(item["path"]).read() == "{}"


def test_xattrs_and_acl_are_carried_over_and_restored(tree):
    """Item 8: a replaced file keeps its extended attributes and POSIX ACL; removal puts the original ones back."""
    import struct
    item = managed_item(tree)
    os.makedirs(os.path.dirname(item["path"]))
    open(item["path"], "w").write('{"theirs": 1}\n')
    os.chmod(item["path"], 0o640)
    acl = struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *x) for x in [
        (1, 6, 0xFFFFFFFF), (2, 4, 65534), (4, 4, 0xFFFFFFFF), (0x10, 4, 0xFFFFFFFF), (0x20, 0, 0xFFFFFFFF)])
    try:
        os.setxattr(item["path"], "user.origin", b"mdm")
        os.setxattr(item["path"], "system.posix_acl_access", acl)
    except OSError as exc:
        pytest.skip("no xattrs/ACLs on this file system: %s" % exc)
    before = {n: os.getxattr(item["path"], n) for n in os.listxattr(item["path"])}
    run(tree, [item])
    assert os.getxattr(item["path"], "user.origin") == b"mdm"
    run(tree, [item], state="absent")
    assert {n: os.getxattr(item["path"], n) for n in os.listxattr(item["path"])} == before
    assert stat.S_IMODE(os.stat(item["path"]).st_mode) == 0o640


def test_second_run_waits_then_fails_naming_the_holder(tree):
    import fcntl
    item = managed_item(tree)
    run(tree, [item])
    fd = os.open(str(tree / "state"), os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    with open(str(tree / "state" / "lock"), "w") as f:
        json.dump({"pid": 4242, "since": "2026-12-03T09:00:00Z", "state": "present", "run": "admin@ctl"}, f)
    try:
        variant = {"state_dir": str(tree / "state"), "items": [item], "shadow": []}
        res = e.Engine(variant, PAYLOAD, state="absent", masking=MASKING, lock_timeout=0.3).run()
    finally:
        os.close(fd)
    assert "locked by the run of admin@ctl (pid 4242" in res["failures"][0]
    assert json.load(open(item["path"])) == CONFIG  # nothing was changed


def test_identifier_change_retires_the_old_entry(tree):
    """Item 4: deploy with entry id 'ours', then with 'other': the old entry file (with the key) goes in that run."""
    items = meta_item(tree)
    for it in items:
        it["slot"] = "alice:" + it["id"]
    run(tree, items)
    old_entry = items[0]["path"]
    new = [dict(items[0], path=old_entry.replace("ours.json", "other.json")),
           dict(items[1], entry={"id": "other", "name": "Managed by IT"})]
    run(tree, new)
    assert not os.path.exists(old_entry)
    meta = json.load(open(items[1]["path"]))
    assert meta == {"appliedId": "other", "entries": [{"id": "other", "name": "Managed by IT"}]}
    run(tree, list(reversed(new)), state="absent")
    assert os.listdir(str(tree / "home" / "alice")) == [] and not (tree / "state").exists()


def _accounts(table):
    return table.get, (lambda: [(n, h) for n, (u, h) in table.items()])


@pytest.mark.parametrize("home, override, why", [
    ("//home", True, "not below the home roots"),
    ("/etc/ssh", True, "system directory"),
    ("BOB", True, "owned by uid"),
    ("BOB", False, "owned by uid"),
])
def test_homes_are_confined(tree, home, override, why):
    """Item 5: //home, /etc/ssh and another user's home are refused naming the variable; nothing is created."""
    roots = [str(tree / "home")]
    bob = tree / "home" / "bob"
    bob.mkdir()
    os.chown(str(bob), 4321, 4321)
    home = str(bob) if home == "BOB" else home
    accounts, homes = _accounts({"alice": (UID, home if not override else str(tree / "home" / "alice")),
                                 "bob": (4321, str(bob))})
    item = user_json_item(tree)
    old_root = item["root"]
    item = dict(item, root=home if override else old_root, path=(home if override else old_root) + item["path"][len(old_root):],
                home={"override": override, "roots": roots, "variable": "user_config_homes[alice]"})
    before = snapshot(tree)
    variant = {"state_dir": str(tree / "state"), "items": [item], "shadow": []}
    res = e.Engine(variant, PAYLOAD, masking=MASKING, accounts=accounts, all_homes=homes).run()
    assert why in res["failures"][0] and "user_config_homes[alice]" in res["failures"][0]
    assert snapshot(tree) == before


def test_home_from_the_account_database(tree):
    real = tree / "home" / "alice-real"
    real.mkdir()
    accounts, homes = _accounts({"alice": (UID, str(real))})
    item = dict(user_json_item(tree), home={"override": False, "roots": [str(tree / "home")], "variable": "claude_desktop_users"})
    variant = {"state_dir": str(tree / "state"), "items": [item], "shadow": []}
    res = e.Engine(variant, PAYLOAD, masking=MASKING, accounts=accounts, all_homes=homes).run()
    assert not res["failures"], res["failures"]
    assert os.path.exists(str(real / ".config" / "Claude-3p" / "claude_desktop_config.json"))
    assert not os.path.exists(str(tree / "home" / "alice" / ".config"))


def test_stale_temps_in_the_state_directory_are_removed(tree):
    item = managed_item(tree)
    run(tree, [item])
    stale = tree / "state" / "records" / (e.TMP_PREFIX + "x.json.99.abcdefgh")
    stale.write_text(KEY)
    run(tree, [item])
    assert not stale.exists()
