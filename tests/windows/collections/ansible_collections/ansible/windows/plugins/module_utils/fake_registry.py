# -*- coding: utf-8 -*-
# TEST DOUBLE support: a JSON file standing in for the Windows registry.
# Layout: {"keys": {"<canonical key path>": {"<value name>": {"type": "REG_SZ", "data": "..."}}},
#          "users": {"<user>": "<SID>"}, "calls": [{module, args}]}
# Key paths are canonical: hive prefix HKLM/HKCU/HKU, backslashes, compared case-insensitively.

from __future__ import annotations

import fcntl
import json
import os

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
