"""Run the windows_policy role against the ansible.windows test double (tests/windows/collections)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "build", "collections"))
sys.path.insert(0, os.path.join(REPO, "tests"))
DOUBLE_UTILS = os.path.join(HERE, "collections", "ansible_collections", "ansible", "windows", "plugins", "module_utils")


def double_util(name):
    """A module_utils file of the double, loaded by path (ansible_collections.ansible is the real collection here)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_double_" + name, os.path.join(DOUBLE_UTILS, name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


PROFILE_LIST = "SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList"


def pytest_configure(config):
    config.addinivalue_line("markers", "realtools: drives real tools (Wine); never skipped")


class Windows(object):
    """A fake Windows host: a JSON registry plus ansible-playbook runs of the role against it."""

    def __init__(self, tmp_path):
        self.tmp = tmp_path
        self.registry = tmp_path / "registry.json"
        self.fs = tmp_path / "fs"
        self.fs.mkdir()

    def file(self, windows_path):
        drive, _sep, rest = windows_path.partition(":\\")
        return self.fs.joinpath(drive, *rest.split("\\"))

    def seed(self, keys=None, users=None, profiles=None, loaded=(), hives=None, folders=True, **extra):
        """keys: {canonical key: {name: {type, data}}}; users: {account: SID}; profiles: {SID: ProfileImagePath}
        (REG_EXPAND_SZ under ProfileList); loaded: SIDs whose hive is loaded (HKU\\<SID> exists);
        hives: {NTUSER.DAT path: {key inside the hive: values}} for users who are not logged on.
        folders: each profile folder is created as Windows creates it at the first logon (AppData\\Local and
        Roaming, DACL protected: SYSTEM, Administrators and the user, owner the user).
        extra: connection, domain_unreachable, language_mode, hive_flags, unload_fails, mounts, processes."""
        keys = {k.lower(): v for k, v in (keys or {}).items()}
        for sid, folder in (profiles or {}).items():
            keys["hklm\\" + PROFILE_LIST.lower() + "\\" + sid.lower()] = {"ProfileImagePath": {"type": "REG_EXPAND_SZ", "data": folder}}
            if folders and not sid.lower().endswith(".bak") and "%" not in folder:
                self.profile_folder(folder, sid.split(".")[0])
        for sid in loaded:
            keys.setdefault(("HKU\\" + sid).lower(), {})
        hives = {path.lower(): {k.lower(): v for k, v in content.items()} for path, content in (hives or {}).items()}
        self.registry.write_text(json.dumps(dict({"keys": keys, "users": users or {}, "hives": hives, "calls": []}, **extra)))

    def security(self):
        path = self.fs / ".security.json"
        return json.loads(path.read_text()) if path.exists() else {"objects": {}, "links": {}}

    def set_security(self, data):
        (self.fs / ".security.json").write_text(json.dumps(data))

    def profile_folder(self, folder, sid):
        for sub in ("AppData\\Local", "AppData\\Roaming"):
            self.file(folder + "\\" + sub).mkdir(parents=True, exist_ok=True)
        sec = self.security()
        sec["objects"][folder.lower()] = {"owner": sid, "protected": True, "aces": [
            {"sid": "S-1-5-18", "rights": "FullControl", "type": "allow", "inherit": True},
            {"sid": "S-1-5-32-544", "rights": "FullControl", "type": "allow", "inherit": True},
            {"sid": sid, "rights": "FullControl", "type": "allow", "inherit": True}]}
        self.set_security(sec)

    def junction(self, path, target, kind="junction"):
        """A reparse point at ``path`` (created by the user who owns the folder) pointing at ``target``."""
        sec = self.security()
        sec["links"][path.lower()] = {"type": kind, "target": target}
        self.set_security(sec)

    @contextlib.contextmanager
    def double_env(self):
        """The double's module_utils, used from the test process, see this host's volume and registry."""
        env = dict(CLAUDE_DESKTOP_FAKE_FS=str(self.fs), CLAUDE_DESKTOP_FAKE_REGISTRY=str(self.registry))
        saved = {k: os.environ.get(k) for k in env}
        os.environ.update(env)
        try:
            yield
        finally:
            for k, v in saved.items():
                os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)

    def can(self, path, right, sid):
        """Whether ``sid`` (a target user, the app) may ``right`` (read, write, list, ...) ``path`` on the fake volume."""
        with self.double_env():
            with double_util("fake_fs").Volume() as vol:
                return vol.can(path, right, sid)

    def packaged_app(self, home, sid, family="Claude_pzs8sxrjxfjjc"):
        """What the MSIX-packaged app of ``family`` reads as that user (module_utils/msix.py: the AppData merged view)."""
        host, app = self, double_util("msix").PackagedApp(home, sid, family)

        class View(object):
            def __getattr__(self, name):
                def call(*args):
                    with host.double_env():
                        return getattr(app, name)(*args)
                return call
        return View()

    def hive(self, path):
        return self.state()["hives"].get(path.lower())

    def state(self):
        return json.loads(self.registry.read_text())

    def key(self, path):
        return self.state()["keys"].get(path.lower(), {})

    def run(self, config, *args, playbook="role.yml", **role_vars):
        varfile = self.tmp / "vars.yml"
        varfile.write_text(yaml.safe_dump(dict(claude_desktop_config=config, **role_vars), allow_unicode=True))
        env = dict(os.environ, CLAUDE_DESKTOP_FAKE_REGISTRY=str(self.registry), CLAUDE_DESKTOP_FAKE_FS=str(self.fs), ANSIBLE_NOCOLOR="1",
                   ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"),
                   ANSIBLE_COLLECTIONS_PATH=os.path.join(HERE, "collections") + ":" + os.path.join(REPO, "build", "collections"))
        cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", "win-double,", os.path.join(HERE, playbook),
               "-e", "@" + str(varfile), "-e", "ansible_python_interpreter=" + sys.executable, *args]
        return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO, check=False)


@pytest.fixture
def windows(tmp_path):
    host = Windows(tmp_path)
    host.seed()
    return host
