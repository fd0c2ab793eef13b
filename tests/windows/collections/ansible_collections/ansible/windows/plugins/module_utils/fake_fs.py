# -*- coding: utf-8 -*-
# TEST DOUBLE support: a directory standing in for an NTFS volume, with the security Windows enforces.
#
# C:\Users\alice\AppData -> $CLAUDE_DESKTOP_FAKE_FS/C/Users/alice/AppData (file contents on disk).
# Security lives in $CLAUDE_DESKTOP_FAKE_FS/.security.json:
#   {"objects": {"<windows path, lower case>": {"owner": SID, "protected": bool, "aces": [ACE, ...]}},
#    "links":   {"<windows path, lower case>": {"type": "junction" | "symlink", "target": "<windows path>"}}}
#   ACE = {"sid": SID, "rights": "FullControl" | "Modify" | "ReadAndExecute" | "Read" | "Write", "type": "allow" | "deny",
#          "inherit": bool (ContainerInherit|ObjectInherit: the ACE flows to children)}
# The connection identity (who the WinRM session runs as) and the accounts come from the fake registry
# file (fake_registry.py: "connection", "users"). Nothing here is bypassed for the connection account:
# what it may do is what its SID and groups are granted, as on a real host.
#
# What Windows does and the double enforces (NTFS semantics; module lines are ansible.windows 3.7.0 at
# a1e2a842 and ansible-core 2.19.14's module_utils/powershell):
#  * An object's effective DACL is its explicit ACEs plus, unless inheritance is protected, the
#    inheritable ACEs of its parent (auto-inheritance, as Set-Acl/SetNamedSecurityInfo propagates).
#    SetAccessRuleProtection($true, $false) (win_acl_inheritance.ps1:171) drops every inherited ACE.
#  * Deny ACEs are checked before allow ACEs. The owner always holds READ_CONTROL and WRITE_DAC.
#  * Objects created by a member of BUILTIN\Administrators are owned by the Administrators group
#    (the default of "System objects: default owner for objects created by members of the
#    Administrators group"), others by the creating account.
#  * GetAttributes (FileUtil.psm1:45-53, used by win_stat.ps1:43 and Test-Path) succeeds with
#    FILE_READ_ATTRIBUTES on the object or FILE_LIST_DIRECTORY on its parent; otherwise the real
#    helpers return $null and win_stat reports exists:false.
#  * Opening a file for reading (ReadAllBytes, slurp.ps1:17) needs read data; Copy-Item -Force over
#    an existing file needs write data, a new file needs add-file on the folder (win_copy.ps1:459),
#    New-Item a directory needs add-subdirectory; Remove-Item needs DELETE on the object or
#    DELETE_CHILD on its parent (win_file.ps1:136/148).
#  * A junction or a directory symlink is followed by every path operation below it; win_stat does
#    not follow the last component (win_stat.ps1:188-200).

from __future__ import annotations

import fcntl
import json
import os

SYSTEM = "S-1-5-18"
ADMINISTRATORS = "S-1-5-32-544"
USERS = "S-1-5-32-545"
EVERYONE = "S-1-1-0"
AUTHENTICATED = "S-1-5-11"
WELL_KNOWN = {
    "nt authority\\system": SYSTEM, "system": SYSTEM, "builtin\\administrators": ADMINISTRATORS, "administrators": ADMINISTRATORS,
    "builtin\\users": USERS, "users": USERS, "everyone": EVERYONE, "nt authority\\authenticated users": AUTHENTICATED,
    "authenticated users": AUTHENTICATED,
}
NAMES = {SYSTEM: "NT AUTHORITY\\SYSTEM", ADMINISTRATORS: "BUILTIN\\Administrators", USERS: "BUILTIN\\Users", EVERYONE: "Everyone",
         AUTHENTICATED: "NT AUTHORITY\\Authenticated Users"}
# The deploying account of the tests: a domain account in the local Administrators group, not SYSTEM
# and not any target user (docs/windows.md: CORP\ansible-deploy over WinRM, no become).
DEFAULT_CONNECTION = {"account": "CORP\\ansible-deploy", "sid": "S-1-5-21-100-200-300-1105",
                      "groups": [ADMINISTRATORS, USERS, EVERYONE, AUTHENTICATED]}

_READ = {"read", "list", "read_attributes", "read_control", "traverse"}
RIGHTS = {
    "fullcontrol": _READ | {"write", "add_file", "add_subdir", "delete", "delete_child", "write_dac"},
    "modify": _READ | {"write", "add_file", "add_subdir", "delete"},
    "readandexecute": set(_READ), "read": set(_READ), "listdirectory": {"list", "read_attributes", "traverse"},
    "write": {"write", "add_file", "add_subdir", "read_attributes"},
}


# C:\ as installed: SYSTEM and Administrators full control, Users read (inherited by everything below
# that does not protect its DACL; a profile folder does, see tests/windows/conftest.py).
DRIVE_ROOT = {"owner": SYSTEM, "protected": True, "aces": [
    {"sid": SYSTEM, "rights": "FullControl", "type": "allow", "inherit": True},
    {"sid": ADMINISTRATORS, "rights": "FullControl", "type": "allow", "inherit": True},
    {"sid": USERS, "rights": "ReadAndExecute", "type": "allow", "inherit": True}]}


class AccessDenied(Exception):
    def __init__(self, path):
        Exception.__init__(self, "Access to the path '%s' is denied." % path)


def root():
    return os.environ.get("CLAUDE_DESKTOP_FAKE_FS", "/tmp/claude-desktop-fake-fs")


def norm(path):
    """C:\\x\\y in one spelling: backslashes, no trailing separator (Windows accepts / too)."""
    path = path.replace("/", "\\")
    drive, sep, rest = path.partition(":\\")
    if not sep or len(drive) != 1:
        raise ValueError("not an absolute Windows path: %r" % path)
    parts = [p for p in rest.split("\\") if p]
    return drive.upper() + ":\\" + "\\".join(parts)


def parent(path):
    path = norm(path)
    head, _sep, _tail = path.rpartition("\\")
    return None if path.endswith(":\\") else (head + "\\" if head.endswith(":") else head)


def _registry():
    name = os.environ.get("CLAUDE_DESKTOP_FAKE_REGISTRY", "/tmp/claude-desktop-fake-registry.json")
    try:
        with open(name) as f:
            return json.loads(f.read() or "{}")
    except FileNotFoundError:
        return {}


def connection():
    """The account the module runs as (WinRM's logon), {account, sid, groups}."""
    return dict(DEFAULT_CONNECTION, **(_registry().get("connection") or {}))


def resolve_account(name):
    """An account name (DOMAIN\\user, user, UPN) or SID string as its SID, or None (Get-UserSID semantics)."""
    if not name:
        return None
    text = name[1:] if name.startswith("*") else name
    if text.upper().startswith("S-1-"):
        return text.upper()
    if text.lower() in WELL_KNOWN:
        return WELL_KNOWN[text.lower()]
    reg = _registry()
    accounts = dict((k.lower(), v) for k, v in (reg.get("users") or {}).items())
    conn = connection()
    accounts.setdefault(conn["account"].lower(), conn["sid"])
    if text.lower() in accounts:
        return accounts[text.lower()]
    if "\\" not in text:  # a bare name is looked up locally, then in the domain (LookupAccountName)
        for account, sid in accounts.items():
            if account.split("\\")[-1] == text.lower():
                return sid
    return None


def account_name(sid):
    if sid in NAMES:
        return NAMES[sid]
    for account, s in (_registry().get("users") or {}).items():
        if s == sid and "\\" in account:
            return account
    conn = connection()
    return conn["account"] if conn["sid"] == sid else sid


def groups_of(sid):
    """SIDs a token of this account holds (the account's own, its groups)."""
    conn = connection()
    if sid == conn["sid"]:
        return [sid] + list(conn["groups"])
    if sid == SYSTEM:
        return [SYSTEM, ADMINISTRATORS, EVERYONE, AUTHENTICATED]
    extra = ((_registry().get("groups") or {}).get(sid)) or []
    return [sid, USERS, EVERYONE, AUTHENTICATED] + list(extra)


class Volume(object):
    """The security state, locked for the duration of one module run."""

    def __init__(self):
        os.makedirs(root(), exist_ok=True)
        self.file = os.path.join(root(), ".security.json")

    def __enter__(self):
        self.fh = open(self.file, "a+")
        fcntl.flock(self.fh, fcntl.LOCK_EX)
        self.fh.seek(0)
        text = self.fh.read()
        self.data = json.loads(text) if text.strip() else {}
        self.data.setdefault("objects", {})
        self.data.setdefault("links", {})
        self.me = connection()["sid"]
        return self

    def save(self):
        self.fh.seek(0)
        self.fh.truncate()
        json.dump(self.data, self.fh, indent=2, sort_keys=True)

    def __exit__(self, *exc):
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()

    # ------------------------------------------------------------------ names and links
    def resolve(self, path, follow_last=True):
        """The path with every junction/symlink on the way replaced by its target (the last one only
        when ``follow_last``)."""
        path = norm(path)
        for dummy in range(32):
            drive, _sep, rest = path.partition(":\\")
            parts = [p for p in rest.split("\\") if p]
            current = drive + ":\\"
            for i, part in enumerate(parts):
                current = norm(current + "\\" + part)
                link = self.data["links"].get(current.lower())
                if link and (follow_last or i < len(parts) - 1):
                    path = norm("\\".join([norm(link["target"])] + parts[i + 1:]))
                    break
            else:
                return path
        raise OSError("too many levels of reparse points: %s" % path)

    def link(self, path):
        return self.data["links"].get(self.resolve(path, follow_last=False).lower())

    def local(self, path, follow_last=True):
        real = self.resolve(path, follow_last)
        drive, _sep, rest = real.partition(":\\")
        return os.path.join(root(), drive, *[p for p in rest.split("\\") if p])

    def exists(self, path):
        if parent(norm(path)) is None:
            return True  # a drive root (C:\\) always exists
        return os.path.lexists(self.local(path)) or self.link(path) is not None

    # ------------------------------------------------------------------ security descriptors
    def entry(self, path):
        return self.data["objects"].get(self.resolve(path).lower())

    def owner(self, path):
        real = self.resolve(path)
        while real is not None:
            entry = self.data["objects"].get(real.lower())
            if entry and entry.get("owner"):
                return entry["owner"]
            if entry is not None or parent(real) is None:
                break
            real = parent(real)
        return ADMINISTRATORS

    def acl(self, path):
        """The effective DACL: explicit ACEs, then (unless protected) the parent's inheritable ones."""
        real = self.resolve(path)
        entry = self.data["objects"].get(real.lower()) or (DRIVE_ROOT if parent(real) is None else {})
        aces = [dict(a, inherited=False) for a in entry.get("aces") or []]
        up = parent(real)
        if not entry.get("protected") and up is not None:
            aces += [dict(a, inherited=True) for a in self.acl(up) if a.get("inherit")]
        return aces

    def can(self, path, right, sid=None):
        sid = sid or self.me
        token = set(groups_of(sid))
        if right in ("read_control", "write_dac") and self.owner(path) in token:
            return True
        aces = [a for a in self.acl(path) if a["sid"] in token and right in RIGHTS[a["rights"].lower().replace(" ", "")]]
        if any(a["type"] == "deny" for a in aces):
            return False
        return any(a["type"] == "allow" for a in aces)

    def check(self, path, right, sid=None):
        if not self.can(path, right, sid):
            raise AccessDenied(path)

    def visible(self, path):
        """GetAttributes succeeds: the object exists and its attributes are readable (FileUtil.psm1:45-53)."""
        if not self.exists(path):
            return False
        up = parent(self.resolve(path, follow_last=False))
        return self.can(path, "read_attributes") or (up is not None and self.can(up, "list"))

    def set_entry(self, path, **fields):
        real = self.resolve(path).lower()
        entry = self.data["objects"].setdefault(real, {"aces": [], "protected": False})
        entry.update(fields)
        return entry

    def _created(self, path):
        token = groups_of(self.me)
        self.set_entry(path, owner=ADMINISTRATORS if ADMINISTRATORS in token else self.me)

    # ------------------------------------------------------------------ operations, each checked
    def read(self, path):
        self.check(path, "read")
        with open(self.local(path), "rb") as f:
            return f.read()

    def write(self, path, data):
        """Copy-Item -Force: in place over an existing file (not atomic), else a new file in the folder."""
        target = self.local(path)
        if os.path.exists(target):
            self.check(path, "write")
        else:
            self.check(parent(path), "add_file")
        with open(target, "wb") as f:
            f.write(data)
        if self.entry(path) is None:
            self._created(path)

    def mkdir(self, path):
        """New-Item -ItemType Directory: every missing level is created (win_file.ps1:238)."""
        missing, current = [], norm(path)
        while current is not None and not self.exists(current):
            missing.append(current)
            current = parent(current)
        for level in reversed(missing):
            self.check(parent(level), "add_subdir")
            os.makedirs(self.local(level), exist_ok=True)
            self._created(level)
        return bool(missing)

    def remove(self, path):
        """Remove-Item -Force [-Recurse]: each object needs DELETE, or DELETE_CHILD on its folder."""
        link = self.link(path)
        if link is not None:  # Remove-Item of a reparse point removes the link, not the target
            self.check(path, "delete") if not self.can(parent(path), "delete_child") else None
            del self.data["links"][self.resolve(path, follow_last=False).lower()]
            return
        target = self.local(path)
        if os.path.isdir(target):
            for name in sorted(os.listdir(target)):
                self.remove(norm(path) + "\\" + name)
        if not (self.can(path, "delete") or self.can(parent(path), "delete_child")):
            raise AccessDenied(path)
        os.rmdir(target) if os.path.isdir(target) else os.unlink(target)
        self.data["objects"].pop(self.resolve(path).lower(), None)
