# -*- coding: utf-8 -*-
# TEST DOUBLE support: a JSON file standing in for the Windows registry.
# Layout: {"keys": {"<canonical key path>": {"<value name>": {"type": "REG_SZ", "data": "..."}}},
#          "hives": {"<hive file path, lower case>": {"<key path inside the hive>": {values}}},
#          "users": {"<user>": "<SID>"}, "env": {"SystemDrive": "C:", ...}, "calls": [{module, args}]}
# Key paths are canonical: hive prefix HKLM/HKCU/HKU, backslashes, compared case-insensitively.
# REG_DWORD data is an integer. A user is logged on when HKU\<SID> exists; a user who is not has
# only the hive file named by ProfileList\<SID>\ProfileImagePath (plus \NTUSER.DAT) under "hives".
# "connection": {"account", "sid", "groups"} is the account the modules run as (fake_fs.DEFAULT_CONNECTION when
# not set): HKCU is ITS hive, HKU\<its SID> (win_reg_stat.ps1:84 [Registry]::CurrentUser, win_regedit.ps1:473),
# never a target user's. Value names are case-insensitive and keep the case they were created with (.NET
# RegistryKey.GetValue/SetValue/DeleteValue).

from __future__ import annotations

import fcntl
import json
import os
import re

HIVES = {"HKLM": "HKLM", "HKEY_LOCAL_MACHINE": "HKLM", "HKCU": "HKCU", "HKEY_CURRENT_USER": "HKCU", "HKU": "HKU", "HKEY_USERS": "HKU"}
TYPES = {"string": "REG_SZ", "expandstring": "REG_EXPAND_SZ", "dword": "REG_DWORD", "qword": "REG_QWORD",
         "multistring": "REG_MULTI_SZ", "binary": "REG_BINARY", "none": "REG_NONE"}


def registry_file():
    return os.environ.get("CLAUDE_DESKTOP_FAKE_REGISTRY", "/tmp/claude-desktop-fake-registry.json")


def canonical(path, connection_sid=None):
    hive, sep, rest = path.replace("/", "\\").partition(":\\")
    if not sep:
        hive, sep, rest = path.replace("/", "\\").partition("\\")
    hive = HIVES.get(hive.upper())
    if hive is None:
        raise ValueError("unsupported registry path %r" % path)
    if hive == "HKCU":
        from ansible_collections.ansible.windows.plugins.module_utils.fake_fs import DEFAULT_CONNECTION

        hive = "HKU\\" + (connection_sid or DEFAULT_CONNECTION["sid"])
    return (hive + "\\" + rest.strip("\\")).strip("\\").lower()


def value_name(values, name):
    """The stored spelling of a value name, matched case-insensitively (None if there is none)."""
    for existing in values or {}:
        if existing.lower() == (name or "").lower():
            return existing
    return None


class Registry(object):
    def __init__(self):
        self.path = registry_file()

    def __enter__(self):
        self.fh = open(self.path, "a+")
        fcntl.flock(self.fh, fcntl.LOCK_EX)
        self.fh.seek(0)
        text = self.fh.read()
        self.data = json.loads(text) if text.strip() else {}
        self.data.setdefault("keys", {})
        self.data.setdefault("users", {})
        self.data.setdefault("calls", [])
        self.data.setdefault("hives", {})
        self.data.setdefault("env", {"SystemDrive": "C:", "SystemRoot": "C:\\Windows"})
        return self

    def save(self):
        self.fh.seek(0)
        self.fh.truncate()
        json.dump(self.data, self.fh, indent=2, sort_keys=True)

    def __exit__(self, *exc):
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()

    def connection_sid(self):
        from ansible_collections.ansible.windows.plugins.module_utils.fake_fs import DEFAULT_CONNECTION

        return (self.data.get("connection") or {}).get("sid") or DEFAULT_CONNECTION["sid"]

    def canonical(self, path):
        return canonical(path, self.connection_sid())

    def key(self, path, create=False):
        c = self.canonical(path)
        for existing in self.data["keys"]:
            if existing.lower() == c:
                return self.data["keys"][existing]
        if create:
            self.data["keys"][c] = {}
            return self.data["keys"][c]
        return None

    def record(self, module, args):
        self.data["calls"].append({"module": module, "args": args})

    def subkeys(self, path):
        """Names of the direct sub-keys of a key (as the real GetSubKeyNames)."""
        prefix = self.canonical(path) + "\\"
        return sorted({k[len(prefix):].split("\\")[0] for k in self.data["keys"] if k.startswith(prefix)})

    def expand(self, text):
        """%VAR% expansion as Windows does for REG_EXPAND_SZ data and module 'path' options."""
        for name, value in self.data["env"].items():
            text = re.sub("%" + re.escape(name) + "%", lambda m: value, text, flags=re.I)
        return text

    def hive_file(self, path):
        return self.data["hives"].get(self.expand(path).lower())

    def hive_in_use(self, path):
        """The SID of the logged-on user whose NTUSER.DAT this is (Windows keeps it open), else None."""
        wanted = self.expand(path).lower()
        for sid, info in self.profiles().items():
            if info["hive"].lower() == wanted and self.key("HKU\\" + sid) is not None:
                return sid
        for name, hive in (self.data.get("mounts") or {}).items():
            if hive.lower() == wanted:
                return name
        return None

    def profiles(self):
        """SID -> {profile, hive} from ProfileList, as Windows records each profile folder."""
        out = {}
        prefix = "hklm\\software\\microsoft\\windows nt\\currentversion\\profilelist\\"
        for key, values in self.data["keys"].items():
            if key.startswith(prefix) and "\\" not in key[len(prefix):] and value_name(values, "ProfileImagePath"):
                profile = self.expand(values[value_name(values, "ProfileImagePath")]["data"])
                out[key[len(prefix):].upper()] = {"profile": profile, "hive": profile + "\\NTUSER.DAT"}
        return out

    # ------------------------------------------------------------------ hive files (reg.exe load / RegLoadKey)
    def mount(self, name):
        """The hive file loaded at HKU\\<name> by reg.exe load, or None."""
        return (self.data.get("mounts") or {}).get(name.lower())

    def hive_problem(self, path):
        """Why RegLoadKey of this file fails now, as reg.exe / Win32 says it, or None.

        "hive_flags": {path lower: "corrupt" | "in_use"} marks a corrupt file or one another tool holds open;
        a logged-on user's NTUSER.DAT and a file loaded at HKU\\AIOHub_<SID> are in use as well.
        """
        wanted = self.expand(path).lower()
        flag = (self.data.get("hive_flags") or {}).get(wanted)
        if flag == "corrupt":
            return "ERROR: The system has attempted to load or restore a file into the registry, but the specified file is not in a registry file format."
        if flag == "in_use" or self.hive_in_use(path) or wanted in [m.lower() for m in (self.data.get("mounts") or {}).values()]:
            return "ERROR: The process cannot access the file because it is being used by another process."
        return None
