# -*- coding: utf-8 -*-
# TEST DOUBLE support: a JSON file standing in for the Windows registry.
# Layout: {"keys": {"<canonical key path>": {"<value name>": {"type": "REG_SZ", "data": "..."}}},
#          "hives": {"<hive file path, lower case>": {"<key path inside the hive>": {values}}},
#          "users": {"<user>": "<SID>"}, "env": {"SystemDrive": "C:", ...}, "calls": [{module, args}]}
# Key paths are canonical: hive prefix HKLM/HKCU/HKU, backslashes, compared case-insensitively.
# REG_DWORD data is an integer. A user is logged on when HKU\<SID> exists; a user who is not has
# only the hive file named by ProfileList\<SID>\ProfileImagePath (plus \NTUSER.DAT) under "hives".

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


def canonical(path):
    hive, sep, rest = path.replace("/", "\\").partition(":\\")
    if not sep:
        hive, sep, rest = path.replace("/", "\\").partition("\\")
    hive = HIVES.get(hive.upper())
    if hive is None:
        raise ValueError("unsupported registry path %r" % path)
    return (hive + "\\" + rest.strip("\\")).lower()


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

    def key(self, path, create=False):
        c = canonical(path)
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
        prefix = canonical(path) + "\\"
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
        return None

    def profiles(self):
        """SID -> {profile, hive} from ProfileList, as Windows records each profile folder."""
        out = {}
        prefix = "hklm\\software\\microsoft\\windows nt\\currentversion\\profilelist\\"
        for key, values in self.data["keys"].items():
            if key.startswith(prefix) and "\\" not in key[len(prefix):] and "ProfileImagePath" in values:
                profile = self.expand(values["ProfileImagePath"]["data"])
                out[key[len(prefix):].upper()] = {"profile": profile, "hive": profile + "\\NTUSER.DAT"}
        return out
