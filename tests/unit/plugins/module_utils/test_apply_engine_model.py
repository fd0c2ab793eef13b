"""Model-based test of the on-host engine (issue 19): random sequences of deploy (config A or B, identifier 1 or
2), remove, user edits and foreign files appearing, with a crash (the engine's fault points: every write, rename,
fsync, unlink, mkdir, chown/chmod and setxattr) injected at any of them. In-process, on a temporary tree
(tmpfs when there is one, so fsync costs nothing), as root (owners are checked).

Invariants:
- no step (deploy or remove, crashed or not) alters or deletes a file it did not write: a file without any of our
  markers (keys, entry ids) is byte-, owner-, mode- and xattr-identical after a remove, and after a deploy unless
  it is one of the files deploy manages;
- after any step that completed: no temp file of ours anywhere; after a completed remove also no key, no entry id,
  no record and no state directory;
- after the final remove, every file that existed before the first deploy and that nobody else touched is byte-,
  owner-, mode-, xattr- and ACL-identical (the whole tree is, when nobody touched anything); the user's
  claude_desktop_config.json holds exactly their own keys (their edits kept, their enterpriseConfig back) with the
  original owner and mode.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import stat
import struct
import tempfile

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from ansible_collections.aiohub.claude_desktop.plugins.module_utils import apply_engine as e

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="owners and the state directory need root")

KEYS = {"A": "sk-model-aaaa-1111-secret", "B": "sk-model-bbbb-2222-secret"}
IDS = {"I1": "11111111-aaaa-4000-8000-000000000001", "I2": "22222222-bbbb-4000-8000-000000000002"}
MARKERS = [k.encode() for k in KEYS.values()] + [i.encode() for i in IDS.values()]
CONFIGS = {"A": {"inferenceProvider": "gateway", "inferenceGatewayApiKey": KEYS["A"]},
           "B": {"inferenceProvider": "gateway", "inferenceGatewayApiKey": KEYS["B"], "disableAutoUpdates": True}}
UID, GID = os.getuid(), os.getgid()
EXAMPLES = int(os.environ.get("AIOHUB_MODEL_EXAMPLES", "2000"))
# (getattr: the same machine runs, without crashes, against an engine that has no fault points, e.g. main's)
Killed = getattr(e, "Killed", type("Killed", (BaseException,), {}))
FAULTS = getattr(e, "FAULTS", {})
TMP_RE = getattr(e, "TMP_RE", None)


def acl(user_perm):
    """A system.posix_acl_access value: owner rw, user nobody <user_perm>, group r, mask r, other none."""
    entries = [(1, 6, 0xFFFFFFFF), (2, user_perm, 65534), (4, 4, 0xFFFFFFFF), (0x10, 4, 0xFFFFFFFF), (0x20, 0, 0xFFFFFFFF)]
    return struct.pack("<I", 2) + b"".join(struct.pack("<HHI", *entry) for entry in entries)


def _xattrs(path):
    try:
        return {n: os.getxattr(path, n, follow_symlinks=False) for n in sorted(os.listxattr(path, follow_symlinks=False))}
    except OSError:
        return {}


def snapshot(root):
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            s = os.lstat(path)
            data = open(path, "rb").read() if stat.S_ISREG(s.st_mode) else None
            out[os.path.relpath(path, root)] = (stat.S_IFMT(s.st_mode), s.st_uid, s.st_gid, stat.S_IMODE(s.st_mode),
                                                data, tuple(sorted(_xattrs(path).items())))
    return out


def ours(entry):
    return entry[4] is not None and any(m in entry[4] for m in MARKERS)


class EngineModel(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
        self.root = tempfile.mkdtemp(prefix="aiohub-model-", dir=base)
        self.home = os.path.join(self.root, "home", "alice")
        os.makedirs(self.home)
        os.makedirs(os.path.join(self.root, "etc"))
        self.state_dir = os.path.join(self.root, "state")
        self.lib = os.path.join(self.home, ".config", "Claude-3p", "configLibrary")
        self.managed = os.path.join(self.root, "etc", "claude-desktop", "managed-settings.json")
        self.user_json = os.path.join(self.home, ".config", "Claude-3p", "claude_desktop_config.json")
        self.touched = set()     # paths someone else wrote after the start
        self.user_obj = None     # the user's own claude_desktop_config.json as they expect it after removal
        self.user_mode = None
        self.foreign = []        # managed-file contents written by someone else

    # ------------------------------------------------------------------ plan
    def items(self, ident, present):
        uid = str(UID)
        user_dirs = [{"name": n, "mode": 0o700, "create": True, "owner": uid, "group": ""} for n in (".config", "Claude-3p")]
        lib_dirs = user_dirs + [{"name": "configLibrary", "mode": 0o700, "create": True, "owner": uid, "group": ""}]
        common = {"root": self.home, "owner": uid, "group": "", "mode": 0o600, "user": "alice", "format": "json"}
        managed = {"id": "managed", "slot": "managed", "path": self.managed, "kind": "file", "format": "json",
                   "blob": "managed", "root": os.path.join(self.root, "etc"), "secure_dir": True,
                   "dirs": [{"name": "claude-desktop", "mode": 0o755, "create": True, "owner": "0", "group": "0"}],
                   "owner": "0", "group": "0", "mode": 0o644}
        user_json = dict(common, id="uj", slot="user:alice:user_json", path=self.user_json, kind="json_keys",
                         blob="cfg", keys=["enterpriseConfig"], keep_mode=True, dirs=user_dirs)
        entry = dict(common, id="entry", slot="user:alice:config_library_entry",
                     path=os.path.join(self.lib, IDS[ident] + ".json"), kind="file", blob="entry", dirs=lib_dirs)
        meta = dict(common, id="meta", slot="user:alice:config_library_meta", path=os.path.join(self.lib, "_meta.json"),
                    kind="config_library_meta", entry={"id": IDS[ident], "name": "Managed by IT"}, keep_mode=True,
                    dirs=lib_dirs)
        return [managed, user_json, entry, meta] if present else [managed, user_json, meta, entry]

    def engine(self, ident, state, cfg="A"):
        config = CONFIGS[cfg]
        payload = {"managed": json.dumps(config, indent=2).encode() + b"\n",
                   "cfg": json.dumps({"enterpriseConfig": config}).encode(), "entry": json.dumps(config).encode()}
        payload = {k: base64.b64encode(v).decode() for k, v in payload.items()}
        variant = {"state_dir": self.state_dir, "items": self.items(ident, state == "present"), "shadow": []}
        extra = {"lock_timeout": 0} if hasattr(e, "Killed") else {}
        return e.Engine(variant, payload, state=state, **extra, masking={"secret_keys": ["inferenceGatewayApiKey"], "secret_values": list(KEYS.values())})

    def step(self, engine, crash_at):
        """Run the engine; crash_at: the fault point at which the process 'dies' (None: it completes)."""
        count = [0]

        def hook(point):
            count[0] += 1
            if crash_at is not None and count[0] == crash_at:
                raise Killed(point)
        before = snapshot(self.root)
        FAULTS["hook"] = hook
        try:
            result = engine.run()
            crashed = False
        except Killed:
            result, crashed = None, True
        finally:
            FAULTS["hook"] = None
        after = snapshot(self.root)
        managed_by_deploy = {os.path.relpath(p, self.root) for p in (self.managed, self.user_json)} | {
            os.path.relpath(os.path.join(self.lib, n), self.root) for n in ["_meta.json"] + [i + ".json" for i in IDS.values()]}
        for path, entry in before.items():
            if entry[4] is None or ours(entry) or path.startswith("state") or os.path.basename(path).startswith(e.TMP_PREFIX):
                continue
            if engine.state == "present" and path in managed_by_deploy:
                continue
            # never destroy what is not ours
            assert after.get(path) == entry, "%s %s altered %s" % (engine.state, "(crashed)" if crashed else "", path)
        if not crashed:
            assert not result["failures"], result["failures"]
            temps = [p for p in after if os.path.basename(p).startswith(e.TMP_PREFIX)]
            assert not temps, temps
            if engine.state == "absent":
                leaks = [p for p, v in after.items() if ours(v)]
                assert not leaks, leaks
                assert not os.path.exists(self.state_dir)
        return result

    # ------------------------------------------------------------------ start: what the host held before us
    @initialize(managed=st.sampled_from([None, 0o644, 0o600]), managed_dir=st.sampled_from([None, 0o755, 0o775]),
                managed_xattr=st.booleans(), user=st.sampled_from([None, 0o644, 0o600]), user_ec=st.booleans(),
                meta=st.booleans(), notes=st.booleans())
    def start(self, managed, managed_dir, managed_xattr, user, user_ec, meta, notes):
        if managed_dir is not None or managed is not None:
            d = os.path.dirname(self.managed)
            os.mkdir(d)
            os.chmod(d, managed_dir or 0o755)
            if managed is not None:
                with open(self.managed, "wb") as f:
                    f.write(b'{"disableAutoUpdates": true}\n')
                os.chmod(self.managed, managed)
                if managed_xattr:
                    os.setxattr(self.managed, "user.origin", b"their-mdm")
                    os.setxattr(self.managed, "system.posix_acl_access", acl(4))
                self.foreign.append(open(self.managed, "rb").read())
        if user is not None:
            os.makedirs(os.path.dirname(self.user_json))
            obj = {"mcpServers": {"fs": {"command": "fs", "env": {"TOKEN": "their-own-token"}}}}
            if user_ec:
                obj["enterpriseConfig"] = {"inferenceProvider": "vertex", "inferenceVertexProjectId": "theirs"}
            with open(self.user_json, "w") as f:
                f.write(json.dumps(obj, indent=4))
            os.chmod(self.user_json, user)
            os.setxattr(self.user_json, "user.tag", b"blue")
            self.user_obj, self.user_mode = obj, user
        if meta:
            os.makedirs(self.lib, exist_ok=True)
            with open(os.path.join(self.lib, "_meta.json"), "w") as f:
                json.dump({"appliedId": "theirs", "entries": [{"id": "theirs", "name": "Mine"}]}, f)
            with open(os.path.join(self.lib, "theirs.json"), "w") as f:
                json.dump({"inferenceProvider": "vertex"}, f)
        if notes and os.path.isdir(os.path.dirname(self.user_json)):
            with open(os.path.join(os.path.dirname(self.user_json), "notes.txt"), "w") as f:
                f.write("mine\n")
        self.initial = snapshot(self.root)

    # ------------------------------------------------------------------ what admins and users do
    @rule(cfg=st.sampled_from(["A", "B"]), ident=st.sampled_from(["I1", "I2"]),
          crash_at=st.none() | st.integers(min_value=1, max_value=100))
    def deploy(self, cfg, ident, crash_at):
        result = self.step(self.engine(ident, "present", cfg), crash_at)
        if result is not None:
            for path in (self.managed, self.user_json, os.path.join(self.lib, IDS[ident] + ".json")):
                assert KEYS[cfg] in open(path).read()
            assert json.load(open(os.path.join(self.lib, "_meta.json")))["appliedId"] == IDS[ident]
            other = os.path.join(self.lib, IDS["I2" if ident == "I1" else "I1"] + ".json")
            assert not os.path.exists(other), "the old identifier's entry was not retired"

    @rule(ident=st.sampled_from(["I1", "I2"]), crash_at=st.none() | st.integers(min_value=1, max_value=60))
    def remove(self, ident, crash_at):
        self.step(self.engine(ident, "absent"), crash_at)

    @rule(note=st.integers(min_value=0, max_value=9))
    def user_edits(self, note):
        """The user edits their claude_desktop_config.json in place (an editor keeping the file)."""
        if not os.path.exists(self.user_json):
            return
        with open(self.user_json) as f:
            obj = json.load(f)
        obj["userNote"] = "note %d" % note
        with open(self.user_json, "r+") as f:
            f.seek(0)
            f.truncate()
            f.write(json.dumps(obj, indent=2))
        self.touched.add(self.user_json)
        if self.user_obj is None:
            self.user_obj = {}
        self.user_obj["userNote"] = obj["userNote"]

    @rule(n=st.integers(min_value=1, max_value=3))
    def foreign_managed_file(self, n):
        """Another tool writes its own managed settings file (new inode, its own mode)."""
        d = os.path.dirname(self.managed)
        if not os.path.isdir(d):
            return
        data = json.dumps({"fromOtherTool": n}).encode() + b"\n"
        tmp = self.managed + ".other"
        with open(tmp, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.rename(tmp, self.managed)
        self.touched.add(self.managed)
        self.foreign.append(data)

    @invariant()
    def no_temp_survives_a_completed_run(self):
        pass  # checked in step(); crashes may leave temps, which the next run removes

    def teardown(self):
        try:
            if hasattr(self, "initial"):
                self.step(self.engine("I1", "absent"), None)
                final = snapshot(self.root)
                if not self.touched:
                    assert final == self.initial
                else:
                    for path, entry in self.initial.items():
                        full = os.path.join(self.root, path)
                        if entry[4] is not None and full not in self.touched:
                            assert final.get(path) == entry, path
                    if self.user_json in self.touched:
                        rel = os.path.relpath(self.user_json, self.root)
                        assert json.loads(final[rel][4]) == self.user_obj
                        if self.user_mode is not None:
                            assert final[rel][3] == self.user_mode  # issue 19 item 6: the recorded mode is back
                            assert final[rel][1:3] == self.initial[rel][1:3]
                    if self.managed in self.touched:
                        rel = os.path.relpath(self.managed, self.root)
                        assert rel not in final or final[rel][4] in self.foreign
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


EngineModel.TestCase.settings = settings(max_examples=EXAMPLES, stateful_step_count=8, deadline=None,
                                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
test_engine_model = EngineModel.TestCase
