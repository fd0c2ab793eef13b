# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The target side of aiohub.claude_desktop.apply: a host's whole plan in one run. Standard library only.

POSIX (macOS, Linux). Every file is reached through directory file descriptors opened with
O_NOFOLLOW from a trusted root (``/etc``, ``/Library`` or the user's home), so a symlink swapped
in between the check and the write cannot redirect it; writes are temp file + fsync + rename in
the same directory. The first time the collection takes a file or key over, what was there
(bytes, owner, mode; prior key values; prior applied configLibrary entry) is recorded in the state
directory (placement.STATE_DIRS, format placement.RECORD_FORMAT) before anything changes, and
``state=absent`` puts exactly that back.

Plan (built by the controller, plugins/plugin_utils/_plan.py for the apply action), per OS variant:
  {"state_dir": str, "items": [item...], "shadow": [{"path", "format"}...], "users_checked": [...]}
item:
  {"id": label, "path": absolute file path, "kind": "file" | "json_keys" | "config_library_meta",
   "format": "json" | "plist" (for diffs and shadow parsing), "blob": payload key (file bytes, or
   the JSON object of keys to set), "entry": {"id", "name"} (config_library_meta),
   "root": existing directory that is never created (a home, /etc, /Library),
   "dirs": [{"name", "mode", "create", "owner", "group"}] from below the root down to the file's directory,
   "owner", "group": names or numeric strings ("{user}" is not used: the controller fills names in),
   "mode": int for a new file, "keep_mode": bool (merged user files keep their mode minus group/other),
   "keep_owner": bool (keep an existing file's owner; user files are always the user's: the app reads them as the user),
   "secure_dir": bool (spec §1.4: the file's directory root-owned, not group/world-writable),
   "user": account the item belongs to (per-user failures)}
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import errno
import fcntl
import grp
import hashlib
import json
import os
import pwd
import re
import signal
import stat
import time

from ansible_collections.aiohub.claude_desktop.plugins.module_utils import placement
from ansible_collections.aiohub.claude_desktop.plugins.module_utils.masking import Masker, parse

O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
TMP_PREFIX = ".aiohub-tmp-"


class ItemFailure(Exception):
    """One item cannot be applied; the message names the path and the reason, never content."""


def _reason(exc):
    return exc.strerror or str(exc) if isinstance(exc, OSError) else str(exc)


def _now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _retired(entry, ours, prior_ids):
    """A configLibrary entry the collection wrote (its id and name in ``ours``) that was not there before us."""
    return isinstance(entry, dict) and (entry.get("id"), entry.get("name")) in ours and entry.get("id") not in prior_ids


def _sha(data):
    return hashlib.sha256(data).hexdigest() if data is not None else None


def decide_os(plan_os, variants, system=None):
    """The OS of this host: the one the controller was told, else the one this host reports."""
    if plan_os:
        if plan_os not in variants:
            raise ValueError("claude_desktop_os is %r but the plan has no %s variant" % (plan_os, plan_os))
        return plan_os
    system = system or os.uname()[0]
    found = placement.resolve_os(system=system)  # the one OS rule (placement.resolve_os), fed what this host reports
    if found is None or found not in variants:
        raise ValueError("cannot decide this host's OS (it reports %r; the plan covers %s): set claude_desktop_os "
                         "to one of macos, linux, windows" % (system, ", ".join(sorted(variants)) or "nothing"))
    return found


# --------------------------------------------------------------------------------- JSON style
def json_style(text):
    """(indent, trailing newline) of an existing JSON text: indent None means compact one line."""
    m = re.search(r"^[{\[]\s*?\n([ \t]+)\S", text)
    if m:
        indent = m.group(1)
        return (len(indent) if set(indent) == {" "} else indent), text.endswith("\n")
    if "\n" in text.strip():
        return 2, text.endswith("\n")
    return None, text.endswith("\n")


def dump_json(data, style=(2, True)):
    indent, newline = style
    if indent is None:
        text = json.dumps(data, ensure_ascii=False, separators=(", ", ": "))
    else:
        text = json.dumps(data, indent=indent, ensure_ascii=False)
    return (text + ("\n" if newline else "")).encode("utf-8")


def load_object(data, path):
    """Parse a JSON object file; ItemFailure with line and column when it does not parse."""
    if data is None or not data.strip():
        return {}, (2, True)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ItemFailure("%s is not valid JSON (not UTF-8 at byte %d); it was left untouched. Fix or move the file, "
                          "then rerun." % (path, exc.start))
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        obj = json.loads(text)
    except ValueError as exc:
        raise ItemFailure("%s is not valid JSON (%s at line %s column %s); it was left untouched. Fix or move the file, "
                          "then rerun." % (path, getattr(exc, "msg", "invalid JSON"), getattr(exc, "lineno", "?"),
                                           getattr(exc, "colno", "?")))
    if not isinstance(obj, dict):
        raise ItemFailure("%s is not valid JSON for this purpose (it holds a JSON %s, not an object); it was left "
                          "untouched." % (path, type(obj).__name__))
    return obj, json_style(text)


# --------------------------------------------------------------------------------- accounts
def uid_of(name):
    if name is None or name == "":
        return -1
    if str(name).isdigit():
        return int(name)
    try:
        return pwd.getpwnam(name).pw_uid
    except KeyError:
        raise ItemFailure("no account named %r on this host" % name)


def gid_of(name, uid=None):
    if name is None or name == "":
        if uid is not None and uid >= 0:
            try:
                return pwd.getpwuid(uid).pw_gid
            except KeyError:
                return -1
        return -1
    if str(name).isdigit():
        return int(name)
    try:
        return grp.getgrnam(name).gr_gid
    except KeyError:
        raise ItemFailure("no group named %r on this host" % name)


# --------------------------------------------------------------------------------- fault points
class Killed(BaseException):
    """Raised by a test's fault hook to stand for SIGKILL: no cleanup handler of the engine runs on it."""


# Every write, rename, fsync, unlink, mkdir, chown/chmod and setxattr of the engine passes fault(point) first.
# A test sets FAULTS["hook"] (in-process, raises Killed) or, on a host, the module sets FAULTS["kill_at"]
# from KILL_ENV so the Nth point sends SIGKILL to the module itself (tests/fleet). Unset: one dict lookup.
KILL_ENV = "AIOHUB_CLAUDE_DESKTOP_TEST_KILL_AT"
FAULTS = {"hook": None, "kill_at": 0, "count": 0}


def fault(point):
    hook = FAULTS["hook"]
    if hook is not None:
        hook(point)
    if FAULTS["kill_at"]:
        FAULTS["count"] += 1
        if FAULTS["count"] >= FAULTS["kill_at"]:
            os.kill(os.getpid(), signal.SIGKILL)


def _cleanup_allowed(exc):
    return not isinstance(exc, Killed)


# --------------------------------------------------------------------------------- homes
# System directories that are never a home, whatever user_config_home_roots says.
SYSTEM_DIRS = frozenset(("/", "/bin", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/proc",
                         "/root", "/run", "/sbin", "/sys", "/tmp", "/usr", "/var", "/Library", "/System",
                         "/Applications", "/Volumes", "/private", "/cores", "/Network"))


def norm_abs(path):
    """normpath that also folds a leading '//' (POSIX normpath keeps it: '//home' stays '//home')."""
    return "/" + os.path.normpath(path).lstrip("/")


def _below(path, root):
    root = root.rstrip("/") or "/"
    return path != root and path.startswith(root if root == "/" else root + "/")


def _system(path):
    return any(path == d or _below(path, d) for d in SYSTEM_DIRS if d != "/") or path == "/"


def pwd_account(name):
    """(uid, home) from the account database (pwd: /etc/passwd, NSS; on macOS, Open Directory as dscl shows it)."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return None
    return entry.pw_uid, entry.pw_dir


def pwd_homes():
    try:
        return [(e.pw_name, e.pw_dir) for e in pwd.getpwall()]
    except (KeyError, OSError):
        return []


def resolve_home(item, accounts=pwd_account, all_homes=pwd_homes):
    """Check (and, without an override, find) the home of item["user"]; rewrite item root and path to it.

    item["home"] = {"override": bool, "roots": [home roots], "variable": name for messages}. The home is the
    account database's unless overridden; either way the resolved, normalised path must exist, be owned by
    the account's uid, lie below a home root, not be a system directory nor another account's home.
    """
    spec = item.get("home")
    if not spec:
        return item
    user, variable = item["user"], spec.get("variable") or "claude_desktop_users"
    old_root = item["root"]
    account = accounts(user)
    home = old_root if spec.get("override") else (account[1] if account else None)
    if spec.get("override"):
        try:
            os.lstat(norm_abs(home))
        except OSError:
            raise ItemFailure("home directory %s of user %s does not exist on this host; the collection never creates "
                              "a home (create the account, or set its home in user_config_homes)" % (home, user))
    if account is None:
        raise ItemFailure("%s: no account named %r on this host; nothing was written for it" % (variable, user))
    if not home or not os.path.isabs(home):
        raise ItemFailure("%s: the account database gives user %s no absolute home (%r); nothing was written"
                          % (variable, user, home))
    norm = norm_abs(home)
    try:
        st = os.stat(norm)
    except OSError:
        raise ItemFailure("home directory %s of user %s does not exist on this host; the collection never creates a "
                          "home (create the account, or set its home in user_config_homes)" % (norm, user))
    real = os.path.realpath(norm)
    roots = [os.path.realpath(norm_abs(r)) for r in spec.get("roots") or ()]
    why = None
    if not stat.S_ISDIR(st.st_mode):
        why = "is not a directory"
    elif real in SYSTEM_DIRS or (_system(real) and not any(_below(real, r) and r not in SYSTEM_DIRS for r in roots)):
        why = "is a system directory, not a home"
    elif not any(_below(real, r) for r in roots):
        why = "is not below the home roots %s (user_config_home_roots)" % ", ".join(spec.get("roots") or ()) or "(none)"
    elif st.st_uid != account[0]:
        why = "is owned by uid %d, not by %s (uid %d)" % (st.st_uid, user, account[0])
    else:
        for other, other_home in all_homes():
            if other != user and other_home and os.path.isabs(other_home) and os.path.realpath(norm_abs(other_home)) == real:
                why = "is the home of another account (%s)" % other
                break
    if why:
        raise ItemFailure("%s: home %s of user %s %s; refused, nothing was written" % (variable, home, user, why))
    item = dict(item, root=real, path=real + item["path"][len(old_root):])
    return item


# --------------------------------------------------------------------------------- directories
class DirWalk:
    """Open root, then each level below it with O_NOFOLLOW (creating the allowed ones when create=True)."""

    def __init__(self, engine, item):
        self.engine, self.item = engine, item
        self.fds = []
        self.created = []     # levels created (create=True) or that would be (create=False)
        self.missing = False  # a level is missing (nothing below it exists)
        self.prior_dirs = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for fd in self.fds:
            try:
                os.close(fd)
            except OSError:
                pass

    def open(self, create=True):
        item = self.item
        root = item["root"]
        create = create and not self.engine.check_mode
        try:
            fd = os.open(root, os.O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        except OSError as exc:
            if exc.errno == errno.ENOENT:
                if item.get("user"):
                    raise ItemFailure("home directory %s of user %s does not exist on this host; the collection never "
                                      "creates a home (create the account, or set its home in user_config_homes)"
                                      % (root, item["user"]))
                raise ItemFailure("%s does not exist on this host" % root)
            raise ItemFailure("cannot open %s: %s" % (root, _reason(exc)))
        self.fds.append(fd)
        current = root
        dirs = item.get("dirs", [])
        for index, level in enumerate(dirs):
            current = os.path.join(current, level["name"])
            try:
                st = os.stat(level["name"], dir_fd=fd, follow_symlinks=False)
            except OSError as exc:
                if exc.errno != errno.ENOENT:
                    raise ItemFailure("cannot read %s: %s" % (current, _reason(exc)))
                st = None
            if st is not None and not stat.S_ISDIR(st.st_mode):
                raise ItemFailure("%s is a symlink or not a directory; refusing to write through it" % current)
            if st is None:
                if not level.get("create"):
                    raise ItemFailure("%s does not exist; the collection creates only %s below %s" % (
                        current, ", ".join(d["name"] for d in dirs if d.get("create")) or "nothing", root))
                if not create:
                    self.missing = True
                    self.created.extend(os.path.join(current, *[d["name"] for d in dirs[index + 1:index + 1 + k]])
                                        for k in range(len(dirs) - index))
                    return None
                uid = uid_of(level.get("owner"))
                gid = gid_of(level.get("group"), uid)
                try:
                    fault("mkdir")
                    os.mkdir(level["name"], 0o700, dir_fd=fd)
                except OSError as exc:
                    raise ItemFailure("cannot create %s: %s" % (current, _reason(exc)))
                self.created.append(current)
            new = self._open_level(fd, level["name"], current)
            self.fds.append(new)
            if st is None:
                fault("chown")
                os.fchown(new, uid, gid)
                fault("chmod")
                os.fchmod(new, level["mode"])  # explicit mode, never the caller's umask
            elif item.get("secure_dir") and index == len(dirs) - 1:
                self._secure(new, current, create)
            fd = new
        return fd

    def _open_level(self, fd, name, path):
        try:
            return os.open(name, os.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, dir_fd=fd)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                raise ItemFailure("%s is a symlink or not a directory; refusing to write through it" % path)
            raise ItemFailure("cannot open %s: %s" % (path, _reason(exc)))

    def _secure(self, fd, path, apply_now):
        """spec §1.4: the managed file's directory must be root-owned and not group/world-writable."""
        st = os.fstat(fd)
        if st.st_uid == 0 and not st.st_mode & placement.MANAGED_FORBIDDEN_MODE_BITS:
            return
        self.prior_dirs[path] = {"uid": st.st_uid, "gid": st.st_gid, "mode": stat.S_IMODE(st.st_mode)}
        if not apply_now:
            return
        self.engine.warn("%s was %s; the app ignores a managed file in a directory that is not root-owned or is "
                         "group/world-writable (spec §1.4), so it is now root-owned without group/world write"
                         % (path, "owned by uid %d" % st.st_uid if st.st_uid else "mode %04o" % stat.S_IMODE(st.st_mode)))
        fault("chown")
        os.fchown(fd, 0, -1)
        fault("chmod")
        os.fchmod(fd, stat.S_IMODE(st.st_mode) & ~placement.MANAGED_FORBIDDEN_MODE_BITS)


# --------------------------------------------------------------------------------- files
def get_xattrs(fd):
    """{name: base64 value} of an open file: user.*, security.* labels, POSIX ACLs (system.posix_acl_access)."""
    if not hasattr(os, "listxattr"):
        return {}
    out = {}
    try:
        names = os.listxattr(fd)
    except OSError:
        return {}
    for name in names:
        try:
            out[name] = base64.b64encode(os.getxattr(fd, name)).decode("ascii")
        except OSError:
            pass
    return out


def set_xattrs(fd, xattrs, current=None):
    """Make the open file's extended attributes exactly ``xattrs``; the names that could not be set."""
    if not hasattr(os, "setxattr") or (not xattrs and not current):
        return []
    failed = []
    for name in sorted(set(current or {}) - set(xattrs or {})):
        try:
            fault("setxattr")
            os.removexattr(fd, name)
        except OSError:
            failed.append(name)
    for name, value in sorted((xattrs or {}).items()):
        try:
            fault("setxattr")
            os.setxattr(fd, name, base64.b64decode(value))
        except OSError:
            failed.append(name)
    return failed


def read_item_file(dir_fd, name, path, expect_uid=None):
    """(bytes, stat, xattrs) of a regular file in dir_fd, or (None, None, {}).

    Symlinks and special files are refused; so is a file with more than one hard link (it may be another
    file's inode, e.g. a root-only one) and, where the user's own file is expected (expect_uid), one owned by
    another account.
    """
    if dir_fd is None:
        return None, None, {}
    try:
        fd = os.open(name, os.O_RDONLY | O_NOFOLLOW | os.O_NONBLOCK | O_CLOEXEC, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return None, None, {}
        if exc.errno == errno.ELOOP:
            raise ItemFailure("%s is a symlink; refusing to read or replace it (the app needs a regular file)" % path)
        raise ItemFailure("cannot read %s: %s" % (path, _reason(exc)))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ItemFailure("%s is not a regular file; refusing to read or replace it" % path)
        if st.st_nlink > 1:
            raise ItemFailure("%s has %d hard links; refusing to read or replace it (a hard link may be another file, "
                              "e.g. a root-only one): make it a file of its own, then rerun" % (path, st.st_nlink))
        if expect_uid is not None and expect_uid >= 0 and st.st_uid != expect_uid:
            raise ItemFailure("%s is owned by uid %d, not by its user (uid %d); refusing to read or replace it"
                              % (path, st.st_uid, expect_uid))
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks), st, get_xattrs(fd)
    finally:
        os.close(fd)


def read_file(dir_fd, name, path):
    """(bytes, stat) of a regular file in dir_fd, or (None, None)."""
    data, st, dummy = read_item_file(dir_fd, name, path)
    return data, st


TMP_RE = re.compile(r"^" + re.escape(TMP_PREFIX) + r".+\.[0-9]+\.[a-z2-7]+$")


def write_file(dir_fd, name, path, data, uid, gid, mode, before_write=None, xattrs=None):
    """Atomically replace name in dir_fd: temp file in the same directory, fsync, rename, fsync dir.

    xattrs (name: base64) are set on the new inode before its mode (an ACL's mask follows the mode);
    returns the names that could not be set.
    """
    tmp = "%s%s.%d.%s" % (TMP_PREFIX, name, os.getpid(), base64.b32encode(os.urandom(5)).decode("ascii").lower())
    failed = []
    try:
        fault("create")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600, dir_fd=dir_fd)
    except OSError as exc:
        raise ItemFailure("cannot write %s: %s" % (path, _reason(exc)))
    try:
        try:
            view = memoryview(data)
            while view:
                fault("write")
                view = view[os.write(fd, view):]
            fault("chown")
            os.fchown(fd, uid, gid)
            failed = set_xattrs(fd, xattrs)
            fault("chmod")
            os.fchmod(fd, mode)
            fault("fsync")
            os.fsync(fd)
        finally:
            os.close(fd)
        if before_write:
            before_write()
        fault("rename")
        os.rename(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException as exc:
        if _cleanup_allowed(exc):
            try:
                os.unlink(tmp, dir_fd=dir_fd)
            except OSError:
                pass
        if isinstance(exc, ItemFailure):
            raise
        if isinstance(exc, OSError):
            raise ItemFailure("cannot write %s: %s" % (path, _reason(exc)))
        raise
    try:
        fault("fsync")
        os.fsync(dir_fd)
    except OSError:
        pass
    return failed


def unlink_file(dir_fd, name, path):
    try:
        fault("unlink")
        os.unlink(name, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno != errno.ENOENT:
            raise ItemFailure("cannot remove %s: %s" % (path, _reason(exc)))
    try:
        fault("fsync")
        os.fsync(dir_fd)
    except OSError:
        pass


def drop_stale_temps(dir_fd):
    """Temp files of the collection's own naming left by a killed run (they may hold a secret): removed.

    Safe only under the run lock (no other run of ours is between write and rename)."""
    removed = 0
    if dir_fd is None:
        return removed
    try:
        entries = os.listdir(dir_fd)
    except OSError:
        return removed
    for entry in entries:
        if TMP_RE.match(entry):
            try:
                st = os.stat(entry, dir_fd=dir_fd, follow_symlinks=False)
                if stat.S_ISREG(st.st_mode) and st.st_nlink == 1:
                    fault("unlink")
                    os.unlink(entry, dir_fd=dir_fd)
                    removed += 1
            except OSError:
                pass
    return removed


# --------------------------------------------------------------------------------- state (records, lock, backups)
RECORDS_SUBDIR = "records"
LOCK_FILE = "lock"


def record_name(path):
    return hashlib.sha256(path.encode("utf-8")).hexdigest()[:32] + ".json"


def load_record_dir(directory):
    """{path: record} of a state directory: one file per item (records/), plus a legacy records.json (v1)."""
    out = {}
    legacy = os.path.join(directory, placement.RECORD_FILE)
    try:
        with open(legacy, "rb") as handle:
            doc = json.loads(handle.read().decode("utf-8"))
        if isinstance(doc, dict) and doc.get("format") == placement.RECORD_FORMAT:
            out.update({k: v for k, v in (doc.get("files") or {}).items() if isinstance(v, dict)})
    except (OSError, ValueError):
        pass
    rdir = os.path.join(directory, RECORDS_SUBDIR)
    try:
        names = sorted(os.listdir(rdir))
    except OSError:
        names = []
    for name in names:
        if not name.endswith(".json") or TMP_RE.match(name):
            continue
        try:
            with open(os.path.join(rdir, name), "rb") as handle:
                doc = json.loads(handle.read().decode("utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(doc, dict) and doc.get("format") == placement.RECORD_FORMAT and isinstance(doc.get("path"), str):
            out[doc["path"]] = doc
    return out


class State:
    """The run's lock and the per-item records in the state directory (placement.STATE_DIRS).

    Layout: <dir>/lock (flock held on <dir> for the whole run; the file names the holder), <dir>/records/
    <sha256(path)[:32]>.json (one per item, each written with fsync before the item changes), <dir>/backups/.
    """

    def __init__(self, engine, directory):
        self.engine, self.dir = engine, directory
        self.records = {}
        self.fd = None
        self._bfd = None
        self.legacy = False

    # ---------------------------------------------------------------- lock
    def _open(self, create):
        parent, name = os.path.split(self.dir)
        try:
            pfd = os.open(parent, os.O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        except OSError as exc:
            raise ItemFailure("cannot open %s (where the collection keeps its records): %s" % (parent, _reason(exc)))
        try:
            try:
                fd = os.open(name, os.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, dir_fd=pfd)
            except OSError as exc:
                if exc.errno != errno.ENOENT or not create:
                    if exc.errno == errno.ENOENT:
                        return None
                    raise ItemFailure("cannot open %s: %s" % (self.dir, _reason(exc)))
                try:
                    fault("mkdir")
                    os.mkdir(name, placement.STATE_DIR_MODE, dir_fd=pfd)
                except OSError as exc2:
                    if exc2.errno != errno.EEXIST:
                        raise ItemFailure("cannot create %s: %s" % (self.dir, _reason(exc2)))
                fd = os.open(name, os.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, dir_fd=pfd)
                fault("chown")
                os.fchown(fd, 0, 0)
                fault("chmod")
                os.fchmod(fd, placement.STATE_DIR_MODE)
            st = os.fstat(fd)
            if st.st_uid != 0 or stat.S_IMODE(st.st_mode) & 0o077:
                os.close(fd)
                raise ItemFailure("%s must be a root-owned directory with mode 0700" % self.dir)
            return fd
        finally:
            os.close(pfd)

    def _holder(self, fd):
        try:
            data, dummy = read_file(fd, LOCK_FILE, os.path.join(self.dir, LOCK_FILE))
            doc = json.loads(data.decode("utf-8")) if data else {}
        except (ItemFailure, ValueError):
            doc = {}
        if not doc:
            return "another run (it has not said who it is yet)"
        return "the run of %s (pid %s, state=%s, since %s)" % (
            doc.get("run") or "an unnamed controller", doc.get("pid"), doc.get("state"), doc.get("since"))

    def lock(self, timeout, label, state):
        """Take the run lock (waiting at most timeout seconds), load the records, clean stale temps."""
        try:
            self._lock(timeout, label, state)
        except BaseException:
            if self.fd is not None:  # a dying process releases its flock; so does a failed start
                os.close(self.fd)
                self.fd = None
            raise

    def _lock(self, timeout, label, state):
        deadline = time.time() + max(0.0, float(timeout))
        while True:
            fd = self._open(create=not self.engine.check_mode)
            if fd is None:  # check mode, nothing recorded yet
                return
            while True:
                try:
                    fcntl.flock(fd, (fcntl.LOCK_SH if self.engine.check_mode else fcntl.LOCK_EX) | fcntl.LOCK_NB)
                    break
                except (BlockingIOError, OSError) as exc:
                    if getattr(exc, "errno", None) not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                        os.close(fd)
                        raise ItemFailure("cannot lock %s: %s" % (self.dir, _reason(exc)))
                    if time.time() >= deadline:
                        who = self._holder(fd)
                        os.close(fd)
                        raise ItemFailure("%s is locked by %s; waited %ds for it (claude_desktop_lock_timeout); nothing "
                                          "was changed on this host, rerun when that run is done" % (self.dir, who, timeout))
                    time.sleep(0.1)
            # the directory may have been removed (last record gone) while we waited: lock the current one
            try:
                now = os.stat(self.dir, follow_symlinks=False)
                mine = os.fstat(fd)
                same = (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino)
            except OSError:
                same = False
            if same:
                break
            os.close(fd)
        self.fd = fd
        if not self.engine.check_mode:
            try:  # who holds the lock, for the message of a run that waits in vain (advisory)
                write_file(fd, LOCK_FILE, os.path.join(self.dir, LOCK_FILE), json.dumps(
                    {"pid": os.getpid(), "since": _now(), "state": state, "run": label}).encode("utf-8"), 0, 0, 0o600)
            except ItemFailure:
                pass
            drop_stale_temps(fd)
            for sub in (RECORDS_SUBDIR, placement.BACKUP_DIR):
                sfd = self._sub(sub, create=False)
                if sfd is not None:
                    try:
                        drop_stale_temps(sfd)
                    finally:
                        os.close(sfd)
        self.records = load_record_dir(self.dir)
        try:
            os.stat(placement.RECORD_FILE, dir_fd=fd, follow_symlinks=False)
            self.legacy = True
        except OSError:
            self.legacy = False
        if self.legacy and not self.engine.check_mode:  # version 1: one file for all; split it, then drop it
            for path, rec in sorted(self.records.items()):
                self.save(path, rec)
            unlink_file(fd, placement.RECORD_FILE, os.path.join(self.dir, placement.RECORD_FILE))
            self.legacy = False

    def _sub(self, name, create):
        try:
            return os.open(name, os.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, dir_fd=self.fd)
        except OSError as exc:
            if exc.errno != errno.ENOENT or not create:
                return None
        fault("mkdir")
        os.mkdir(name, 0o700, dir_fd=self.fd)
        return os.open(name, os.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, dir_fd=self.fd)

    # ---------------------------------------------------------------- records
    def save(self, path, rec):
        """Write one item's record durably (temp, fsync, rename, fsync dir) before the item changes."""
        try:
            self._save(path, rec)
        except ItemFailure as exc:
            reason = str(exc).split(": ", 1)[-1]
            raise ItemFailure("cannot write %s: %s (its record in %s must be written first; nothing was changed)"
                              % (path, reason, self.dir))

    def _save(self, path, rec):
        if self.engine.check_mode:
            self.records[path] = rec
            return
        if self.fd is None:
            raise ItemFailure("no lock held on %s" % self.dir)
        rec = dict(rec, format=placement.RECORD_FORMAT, version=placement.RECORD_VERSION, path=path)
        self.records[path] = rec
        rfd = self._sub(RECORDS_SUBDIR, create=True)
        try:
            name = record_name(path)
            write_file(rfd, name, os.path.join(self.dir, RECORDS_SUBDIR, name),
                       json.dumps(rec, indent=1, sort_keys=True).encode("utf-8"), 0, 0, 0o600)
        finally:
            os.close(rfd)

    def drop(self, path):
        self.records.pop(path, None)
        if self.engine.check_mode or self.fd is None:
            return
        rfd = self._sub(RECORDS_SUBDIR, create=False)
        if rfd is None:
            return
        try:
            name = record_name(path)
            unlink_file(rfd, name, os.path.join(self.dir, RECORDS_SUBDIR, name))
        finally:
            os.close(rfd)

    def release(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def finish(self):
        """Release the lock; with no record left, nothing of ours stays: lock file, records, state directory."""
        if self.fd is None:
            return
        try:
            if not self.records and not self.engine.check_mode:
                for sub in (RECORDS_SUBDIR, placement.BACKUP_DIR):
                    try:
                        fault("rmdir")
                        os.rmdir(sub, dir_fd=self.fd)
                    except OSError:
                        pass
                unlink_file(self.fd, LOCK_FILE, os.path.join(self.dir, LOCK_FILE))
                parent, name = os.path.split(self.dir)
                try:
                    pfd = os.open(parent, os.O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                    try:
                        fault("rmdir")
                        os.rmdir(name, dir_fd=pfd)
                    finally:
                        os.close(pfd)
                except OSError:
                    pass
        finally:
            os.close(self.fd)  # releases the flock
            self.fd = None

    # backups: <state>/backups/<sha256(path)[:16]>.<basename>.<UTC time>, owner kept, mode <= 0600
    @staticmethod
    def _prefix(path):
        return "%s.%s." % (hashlib.sha256(path.encode("utf-8")).hexdigest()[:16], os.path.basename(path))

    def backup(self, path, data, st, keep):
        """Keep a copy of the file being replaced; returns (backup path, undo function)."""
        if keep <= 0 or data is None or self.fd is None:
            return None, lambda: None
        bfd = self._sub(placement.BACKUP_DIR, create=True)
        prefix = self._prefix(path)
        name = prefix + time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + ".%06d" % (int(time.time() * 1e6) % 1000000)
        try:
            write_file(bfd, name, os.path.join(self.dir, placement.BACKUP_DIR, name), data, st.st_uid, st.st_gid,
                       stat.S_IMODE(st.st_mode) & 0o600)
            old = sorted(n for n in os.listdir(bfd) if n.startswith(prefix))
            for stale in old[:-keep]:
                fault("unlink")
                os.unlink(stale, dir_fd=bfd)
        except BaseException:
            os.close(bfd)
            raise

        def undo():
            try:
                os.unlink(name, dir_fd=bfd)
            except OSError:
                pass
        self._bfd = bfd
        return os.path.join(self.dir, placement.BACKUP_DIR, name), undo

    def done_backup(self):
        if self._bfd is not None:
            os.close(self._bfd)
            self._bfd = None

    def purge_backups(self, path):
        """Removal: the backups of a file the collection managed hold its secrets; they go."""
        if self.fd is None:
            return 0
        bfd = self._sub(placement.BACKUP_DIR, create=False)
        if bfd is None:
            return 0
        count = 0
        try:
            prefix = self._prefix(path)
            for name in os.listdir(bfd):
                if name.startswith(prefix):
                    if not self.engine.check_mode:
                        fault("unlink")
                        os.unlink(name, dir_fd=bfd)
                    count += 1
        finally:
            os.close(bfd)
        return count


# --------------------------------------------------------------------------------- the engine
ITEM_FIELDS = ("id", "path", "kind", "format", "root", "dirs", "owner", "group", "mode", "user", "slot", "entry",
               "keys", "keep_mode", "keep_owner", "secure_dir")
_MISSING = object()


class Engine:
    def __init__(self, variant, payload, state="present", check_mode=False, diff=False, backup_count=1,
                 masking=None, app_behaviour_keys=(), lock_timeout=120, run_label="", accounts=None, all_homes=None):
        self.variant = variant
        self.payload = payload
        self.state = state
        self.check_mode = check_mode
        self.want_diff = diff
        self.backup_count = backup_count
        self.masker = Masker(**(masking or {}))
        # the model's app-behaviour keys (spec §1.6 rule 2), passed by the apply action (targets have no model)
        self.app_behaviour = frozenset(app_behaviour_keys or ())
        self.files, self.diffs, self.warnings, self.failures, self.left = [], [], [], [], []
        self.changed = False
        self.lock_timeout = lock_timeout
        self.run_label = run_label
        self.accounts = accounts or pwd_account
        self.all_homes = all_homes or pwd_homes

    def warn(self, msg):
        self.warnings.append(msg)

    def blob(self, item):
        return base64.b64decode(self.payload[item["blob"]])

    # ------------------------------------------------------------------ run
    def run(self):
        self.store = State(self, self.variant["state_dir"])
        try:
            self.store.lock(self.lock_timeout, self.run_label, self.state)
        except ItemFailure as exc:
            self.failures.append(str(exc))
            return self.result()
        try:
            items = []
            for item in self.variant["items"]:
                try:
                    items.append(resolve_home(item, self.accounts, self.all_homes))
                except ItemFailure as exc:
                    self.failures.append(str(exc))
                    self.files.append({"path": item["path"], "changed": False, "failed": True})
            self.retire(items)
            for item in items:
                self._guarded(self.present if self.state == "present" else self.absent, item)
        except Killed:
            self.store.release()  # a killed process does nothing more, but the kernel drops its lock
            raise
        except BaseException:
            self.store.finish()
            raise
        self.store.finish()
        if self.state == "present":
            self.shadow()
        return self.result()

    def _guarded(self, step, item):
        try:
            step(item)
            return
        except ItemFailure as exc:
            self.failures.append(str(exc))
        except OSError as exc:
            self.failures.append("cannot apply %s: %s" % (item["path"], _reason(exc)))
        finally:
            self.store.done_backup()
        self.files.append({"path": item["path"], "changed": False, "failed": True})

    def retire(self, items):
        """Identity changes are migrations: a record in a slot of this plan (same role: managed settings, a user's
        entry file, ...) but at another path (new identifier, entry id, scope or home) is removed by proof now."""
        slots = {}
        for item in items:
            if item.get("slot"):
                slots.setdefault(item["slot"], set()).add(item["path"])
        for path, rec in sorted(self.store.records.items()):
            old = rec.get("item")
            if not isinstance(old, dict) or old.get("slot") not in slots or path in slots[old["slot"]]:
                continue
            old = dict(old, path=path)
            self._guarded(self.absent, old)
            for entry in self.files:
                if entry.get("path") == path and entry.get("changed"):
                    entry["retired"] = "%s moved to %s" % (old["slot"], ", ".join(sorted(slots[old["slot"]])))

    def result(self):
        return {"changed": self.changed, "files": self.files, "diff": self.diffs, "warnings": self.warnings,
                "failures": self.failures, "left": self.left}

    def _leave(self, entry, path, why):
        entry["left"] = why
        self.left.append("%s: %s" % (path, why))

    # ------------------------------------------------------------------ present
    def desired(self, item, before, rec=None):
        kind = item["kind"]
        if kind == "file":
            return self.blob(item)
        obj, style = load_object(before, item["path"])
        if kind == "json_keys":
            for key, value in json.loads(self.blob(item).decode("utf-8")).items():
                obj[key] = value
            return dump_json(obj, style)
        if kind == "config_library_meta":
            entry = item["entry"]
            entries = obj.get("entries")
            if entries is None:
                entries = []
            if not isinstance(entries, list):
                raise ItemFailure("%s: 'entries' is not a list; it was left untouched" % item["path"])
            # an entry the collection wrote under another id (identifier change): retired by proof
            ours = [(e.get("id"), e.get("name")) for e in (rec or {}).get("ours", []) if e.get("id") != entry["id"]]
            prior_ids = set((rec or {}).get("prior_entry_ids", []))
            entries = [e for e in entries if not _retired(e, ours, prior_ids)]
            for existing in entries:
                if isinstance(existing, dict) and existing.get("id") == entry["id"]:
                    existing["name"] = entry["name"]
                    break
            else:
                entries.append({"id": entry["id"], "name": entry["name"]})
            obj["entries"] = entries
            obj["appliedId"] = entry["id"]
            return dump_json(obj, style)
        raise ItemFailure("unknown item kind %r" % kind)

    def _first_record(self, item, before, st, xattrs):
        rec = {"kind": item["kind"], "since": _now(), "created_dirs": [], "written": [],
               "item": {k: item[k] for k in ITEM_FIELDS if k in item}}
        rec["prior"] = {"exists": before is not None}
        if before is not None:
            rec["prior"].update(content_b64=base64.b64encode(before).decode("ascii"), uid=st.st_uid, gid=st.st_gid,
                                mode=stat.S_IMODE(st.st_mode), xattrs=xattrs)
        obj = load_object(before, item["path"])[0] if item["kind"] != "file" and before is not None else {}
        if item["kind"] == "json_keys":
            rec["prior_keys"], rec["written_keys"] = {}, {}
        if item["kind"] == "config_library_meta":
            entries = obj.get("entries") if isinstance(obj.get("entries"), list) else []
            rec["prior_applied"] = {"present": "appliedId" in obj, "value": obj.get("appliedId")}
            rec["prior_entry_ids"] = sorted(set(e.get("id") for e in entries if isinstance(e, dict) and isinstance(e.get("id"), str)))
            rec["ours"] = []
        return rec

    def _expect_uid(self, item):
        return uid_of(item.get("owner")) if item.get("user") else None

    def _open_for_write(self, item, rec, path):
        """Walk to the item's directory; directories to create and to tighten are recorded (fsync) first."""
        with DirWalk(self, item) as probe:
            probe.open(create=False)
            planned, prior_dirs = list(probe.created), dict(probe.prior_dirs)
        if (planned or prior_dirs) and not self.check_mode:
            # a partial record (no "prior" yet): what a kill right after the mkdir leaves is still ours to undo
            rec = rec or {"kind": item["kind"], "since": _now(), "created_dirs": [], "written": [],
                          "item": {k: item[k] for k in ITEM_FIELDS if k in item}}
            new_dirs = sorted(set(rec.get("created_dirs", [])) | set(planned), key=lambda p: p.count("/"))
            new_prior = dict(prior_dirs, **rec.get("prior_dirs", {}))
            if new_dirs != rec.get("created_dirs") or new_prior != rec.get("prior_dirs", {}):
                rec = dict(rec, created_dirs=new_dirs, prior_dirs=new_prior)
                self.store.save(path, rec)
        return rec

    def present(self, item):
        path = item["path"]
        name = os.path.basename(path)
        rec = self._open_for_write(item, self.store.records.get(path), path)
        with DirWalk(self, item) as walk:
            fd = walk.open()
            if fd is not None and not self.check_mode:
                drop_stale_temps(fd)
            before, st, xattrs = read_item_file(fd, name, path, self._expect_uid(item))
            after = self.desired(item, before, rec)
            if rec is None or "prior" not in rec:
                base = self._first_record(item, before, st, xattrs)
                rec = dict(base, **{k: v for k, v in (rec or {}).items() if k in ("created_dirs", "prior_dirs")})
                first = True
            else:
                rec = dict(rec, item={k: item[k] for k in ITEM_FIELDS if k in item})
                first = False
            wanted = json.loads(self.blob(item).decode("utf-8")) if item["kind"] == "json_keys" else {}
            if wanted:
                prior_obj = load_object(before, path)[0] if before is not None else {}
                prior_keys = dict(rec.get("prior_keys") or {})
                for key in wanted:
                    if key not in prior_keys:
                        prior_keys[key] = {"present": key in prior_obj, "value": prior_obj.get(key)}
                rec["prior_keys"] = prior_keys
            uid = uid_of(item.get("owner")) if before is None or not item.get("keep_owner") else st.st_uid
            gid = gid_of(item.get("group"), uid) if before is None or not item.get("keep_owner") else st.st_gid
            if before is not None and item.get("keep_mode"):
                mode = stat.S_IMODE(st.st_mode) & 0o700 or item["mode"]
            else:
                mode = item["mode"]
            same_content = before == after
            same_meta = before is not None and st.st_uid == uid and (gid < 0 or st.st_gid == gid) and stat.S_IMODE(st.st_mode) == mode
            entry = {"path": path, "changed": not (same_content and same_meta)}
            if walk.created:
                entry["created_dirs"] = list(walk.created)
            if self.check_mode:
                if entry["changed"]:
                    self.changed = True
                    entry["action"] = "create" if before is None else ("update" if not same_content else "owner/mode")
                    if self.want_diff and not same_content:
                        self.add_diff(item, before, after)
                self.files.append(entry)
                return
            written = set(rec.get("written") or []) | ({rec["written_sha256"]} if rec.get("written_sha256") else set())
            prior_b64 = rec["prior"].get("content_b64")
            edited = before is not None and _sha(before) not in written
            prior_is_before = prior_b64 is not None and base64.b64decode(prior_b64) == before
            if not first and item["kind"] != "file" and edited and not prior_is_before:
                # changed by someone since the takeover (their edits are in it): removal must not put the old
                # bytes back whole, only undo our keys and entry
                rec["prior"] = dict(rec["prior"], exact=False)
            # write-ahead: what we are about to write joins the candidates that prove authorship
            mine = self._written(rec, item, after, pending=True)
            if first or mine != rec:
                self.store.save(path, mine)
            rec = mine
            if same_content and same_meta:
                if self._written(rec, item, after) != rec:
                    rec = self._written(rec, item, after)
                    self.store.save(path, rec)
                self.files.append(entry)
                return
            self.changed = True
            entry["action"] = "create" if before is None else ("update" if not same_content else "owner/mode")
            if self.want_diff and not same_content:
                self.add_diff(item, before, after)
            if same_content:
                self._chown(fd, name, path, uid, gid, mode)
            else:
                holder = {}

                def keep_backup():
                    if before is not None and not first:
                        holder["path"], holder["undo"] = self.store.backup(path, before, st, self.backup_count)
                try:
                    failed = write_file(fd, name, path, after, uid, gid, mode, before_write=keep_backup, xattrs=xattrs)
                except ItemFailure:
                    holder.get("undo", lambda: None)()  # no stray backup of a failed write
                    raise
                if failed:
                    self.warn("%s: extended attributes %s could not be carried over to the new file" % (path, ", ".join(failed)))
                if holder.get("path"):
                    entry["backup"] = holder["path"]
            # what the collection wrote (drift audit, proof of authorship on removal)
            rec = dict(self._written(rec, item, after), owner={"uid": uid, "gid": gid}, mode=mode, updated=_now())
            self.store.save(path, rec)
            self.files.append(entry)

    def _written(self, rec, item, after, pending=False):
        """The record with ``after`` as (pending: one more; else the only) candidate of what we wrote."""
        rec = dict(rec)
        digest = _sha(after)
        rec["written"] = sorted(set(rec.get("written", [])) | {digest}) if pending else [digest]
        if not pending:
            rec["written_sha256"] = digest
        if item["kind"] == "json_keys":
            wanted = json.loads(self.blob(item).decode("utf-8"))
            written = dict(rec.get("written_keys") or {})
            for key, value in wanted.items():
                values = written.get(key, []) if pending else []
                written[key] = values + [value] if value not in values else values
            rec["written_keys"] = written
        if item["kind"] == "config_library_meta":
            mine = {"id": item["entry"]["id"], "name": item["entry"]["name"]}
            ours = list(rec.get("ours") or [])
            if pending:
                rec["ours"] = ours + [mine] if mine not in ours else ours
            else:
                rec["ours"] = [mine]
        return rec

    def _chown(self, dir_fd, name, path, uid, gid, mode):
        try:
            fd = os.open(name, os.O_RDONLY | O_NOFOLLOW | os.O_NONBLOCK | O_CLOEXEC, dir_fd=dir_fd)
        except OSError as exc:
            raise ItemFailure("cannot set owner and mode of %s: %s" % (path, _reason(exc)))
        try:
            fault("chown")
            os.fchown(fd, uid, gid)
            fault("chmod")
            os.fchmod(fd, mode)
        finally:
            os.close(fd)

    def add_diff(self, item, before, after):
        fmt = item.get("format", "json")
        texts = self.masker.masked_pair(before, after, fmt)  # a rotated key shows as "******** (changed)"
        self.diffs.append({"before_header": item["path"] if before is not None else "(absent)",
                           "after_header": item["path"] if after is not None else "(absent)",
                           "before": texts[0], "after": texts[1]})

    # ------------------------------------------------------------------ absent
    def absent(self, item):
        """Put back what the record says was there, for what is provably ours; leave the rest and say so."""
        path = item["path"]
        name = os.path.basename(path)
        rec = self.store.records.get(path)
        with DirWalk(self, item) as walk:
            try:
                fd = walk.open(create=False)
            except ItemFailure:
                if rec is None:
                    return  # nothing of ours can be there
                raise
            if fd is not None and not self.check_mode and self.store.fd is not None:
                drop_stale_temps(fd)
            before, st, xattrs = read_item_file(fd, name, path, self._expect_uid(item))
            action, after, meta, want_xattrs, notes = self.restored(item, rec, before)
            entry = {"path": path, "changed": False}
            if action == "remove":
                entry.update(changed=True, action="remove")
            elif action == "write" and (after != before or self._meta_differs(st, meta) or (
                    want_xattrs is not None and want_xattrs != xattrs)):
                entry.update(changed=True, action="restore")
            if notes:
                self._leave(entry, path, "; ".join(notes))
            purged = self.store.purge_backups(path) if rec is not None else 0
            if purged:
                entry["backups_purged"] = purged
                self.changed = True
            if entry["changed"]:
                self.changed = True
                if self.want_diff and after != before:
                    self.add_diff(item, before, after)
                if not self.check_mode:
                    if fd is None:
                        raise ItemFailure("cannot restore %s: its directory no longer exists" % path)
                    if action == "remove":
                        unlink_file(fd, name, path)
                    else:
                        uid, gid, mode = meta if meta else (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode))
                        failed = write_file(fd, name, path, after, uid, gid, mode,
                                            xattrs=want_xattrs if want_xattrs is not None else xattrs)
                        if failed:
                            self.warn("%s: extended attributes %s could not be put back" % (path, ", ".join(failed)))
            if rec is not None and not self.check_mode:
                for dpath, prior in rec.get("prior_dirs", {}).items():
                    self._restore_dir(dpath, prior)
            self.files.append(entry)
        if rec is not None and not self.check_mode:
            self._drop_created(rec, path)
            self.store.drop(path)

    @staticmethod
    def _meta_differs(st, meta):
        return meta is not None and (st is None or (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) != tuple(meta))

    def restored(self, item, rec, before):
        """What removal leaves: (action "keep" | "remove" | "write", bytes, (uid, gid, mode) or None,
        xattrs or None, notes). Only what is provably ours is removed or restored; notes say what was left."""
        kind = item["kind"]
        if rec is None:
            if before is None:
                return "keep", None, None, None, []
            return "keep", None, None, None, ["no record that the collection wrote it: left as it is"]
        if "prior" not in rec:  # killed after recording directories, before the file was looked at
            return "keep", None, None, None, []
        prior = rec.get("prior", {})
        prior_bytes = base64.b64decode(prior["content_b64"]) if "content_b64" in prior else None
        prior_meta = (prior["uid"], prior["gid"], prior["mode"]) if "content_b64" in prior else None
        prior_xattrs = prior.get("xattrs") if "content_b64" in prior else None
        if before is None:
            if kind == "file" and prior_bytes is not None:
                return "write", prior_bytes, prior_meta, prior_xattrs, []  # removed since by someone: the original back
            return "keep", None, None, None, []
        written = set(rec.get("written") or []) | ({rec["written_sha256"]} if rec.get("written_sha256") else set())
        if _sha(before) in written and (kind == "file" or prior.get("exact", True)):
            # exactly what we wrote over an untouched original: exactly what was there (or nothing)
            if prior.get("exists") and prior_bytes is None:
                return "keep", None, None, None, ["what was there before is not on record: left as it is"]
            if prior_bytes is None:
                return "remove", None, None, None, []
            return "write", prior_bytes, prior_meta, prior_xattrs, []
        if prior_bytes is not None and before == prior_bytes:
            return "keep", None, None, None, []  # never changed by us (a run killed before its write)
        if kind == "file":
            return "keep", None, None, None, ["changed since the collection wrote it: left as it is"]
        obj, style = load_object(before, item["path"])
        original = json.dumps(obj, sort_keys=True)
        notes = []
        if kind == "json_keys":
            for key, was in sorted((rec.get("prior_keys") or {}).items()):
                candidates = (rec.get("written_keys") or {}).get(key, [])
                if key not in obj:
                    continue
                if obj[key] not in candidates:
                    notes.append("%s was changed since the collection set it: left as it is" % key)
                elif was.get("present"):
                    obj[key] = was.get("value")
                else:
                    obj.pop(key)
        else:
            ours = [(e.get("id"), e.get("name")) for e in rec.get("ours", [])]
            prior_ids = set(rec.get("prior_entry_ids", []))
            entries = obj.get("entries")
            if isinstance(entries, list):
                kept = [e for e in entries if not _retired(e, ours, prior_ids)]
                if len(kept) != len(entries):
                    obj["entries"] = kept
                if not kept and set(obj) <= {"entries", "appliedId"} and not prior.get("exists"):
                    obj.pop("entries")
            if "appliedId" in obj and obj["appliedId"] in set(i for i, dummy in ours):
                was = rec.get("prior_applied") or {"present": False}
                if was.get("present"):
                    obj["appliedId"] = was.get("value")
                else:
                    obj.pop("appliedId")
        if json.dumps(obj, sort_keys=True) == original:
            return "keep", None, None, None, notes
        if not obj and not prior.get("exists"):
            return "remove", None, None, None, notes
        return "write", dump_json(obj, style), prior_meta, prior_xattrs, notes

    def _restore_dir(self, path, prior):
        try:
            fd = os.open(path, os.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        except OSError:
            return
        try:
            fault("chown")
            os.fchown(fd, prior["uid"], prior["gid"])
            fault("chmod")
            os.fchmod(fd, prior["mode"])
        finally:
            os.close(fd)

    def _drop_created(self, rec, leaving):
        """Before an item's record goes: the directories it created go when empty and no other record needs them;
        one another recorded item lives in is handed over to that item's record (written first)."""
        others = {p: r for p, r in self.store.records.items() if p != leaving}
        needed = set()
        for other in others.values():
            needed.update(other.get("created_dirs", []))
        for dpath in sorted(set(rec.get("created_dirs", [])) - needed, key=lambda p: p.count("/"), reverse=True):
            if any(p.startswith(dpath.rstrip("/") + "/") for p in others):
                self._hand_over([dpath], leaving)
                continue
            parent, name = os.path.split(dpath)
            try:
                fd = os.open(parent, os.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            except OSError:
                continue
            try:
                fault("rmdir")
                os.rmdir(name, dir_fd=fd)
                self.changed = True
                self.files.append({"path": dpath, "changed": True, "action": "remove directory"})
            except OSError:
                pass  # not empty: someone else's files are in it (or a later item's, which records it then)
            finally:
                os.close(fd)

    def _hand_over(self, dirs, leaving=None):
        """Directories we created that another recorded item still lives in: that item's record takes them over
        (written first), so the last removal takes them away."""
        for dpath in dirs:
            for path, rec in sorted(self.store.records.items()):
                if path != leaving and path.startswith(dpath.rstrip("/") + "/") and dpath not in rec.get("created_dirs", []):
                    self.store.save(path, dict(rec, created_dirs=sorted(set(rec.get("created_dirs", [])) | {dpath},
                                                                        key=lambda p: p.count("/"))))
                    break

    # ------------------------------------------------------------------ shadow detection
    def shadow(self):
        """spec §1.5/§1.6: a managed source that sets any key other than the app-behaviour keys owns the device."""
        user_items = [os.path.dirname(i["path"]) if i["kind"] != "json_keys" else i["path"]
                      for i in self.variant["items"] if i.get("user")]
        if not user_items:
            return
        for source in self.variant.get("shadow", []):
            try:
                data, dummy = read_file_path(source["path"])
            except ItemFailure as exc:
                self.warn("%s; the app may treat the device as managed but unreadable" % exc)
                continue
            if data is None:
                continue
            parsed = parse(data, source["format"])
            if not isinstance(parsed, dict):
                self.warn("%s exists but does not parse: the app treats the device as managed but unreadable and "
                          "ignores the local configuration (spec §1.4)" % source["path"])
                continue
            owning = sorted(k for k in parsed if k not in self.app_behaviour)
            if owning:
                self.warn("%s sets managed keys (%s): a managed source owns the device, so the app ignores the local "
                          "configuration at %s (spec §1.6 rule 1)" % (source["path"], ", ".join(owning[:5]) + (
                              ", ..." if len(owning) > 5 else ""), ", ".join(sorted(set(user_items)))))


def read_file_path(path):
    parent, name = os.path.split(path)
    try:
        fd = os.open(parent, os.O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    except OSError:
        return None, None
    try:
        return read_file(fd, name, path)
    finally:
        os.close(fd)
