# -*- coding: utf-8 -*-
# TEST DOUBLE support: a directory standing in for a Windows file system.
# C:\Users\alice\AppData -> $CLAUDE_DESKTOP_FAKE_FS/C/Users/alice/AppData. ACLs live in
# $CLAUDE_DESKTOP_FAKE_FS/.acl.json: {"<windows path lower>": {"inherit": bool, "aces": [[user, rights, type]]}}.

from __future__ import annotations

import json
import os


def root():
    return os.environ.get("CLAUDE_DESKTOP_FAKE_FS", "/tmp/claude-desktop-fake-fs")


def local(path):
    drive, sep, rest = path.partition(":\\")
    if not sep or len(drive) != 1:
        raise ValueError("not an absolute Windows path: %r" % path)
    return os.path.join(root(), drive.upper(), *[p for p in rest.split("\\") if p])


def load_acls():
    try:
        with open(os.path.join(root(), ".acl.json")) as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def save_acls(acls):
    with open(os.path.join(root(), ".acl.json"), "w") as f:
        json.dump(acls, f, indent=2, sort_keys=True)
