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

Plan (built by the controller, plugins/action/apply.py), per OS variant:
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
import grp
import hashlib
import json
import os
import pwd
import re
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


def _sha(data):
    return hashlib.sha256(data).hexdigest() if data is not None else None


def decide_os(plan_os, variants, system=None):
    """The OS of this host: the one the controller was told, else the one this host reports."""
    if plan_os:
        if plan_os not in variants:
            raise ValueError("claude_desktop_os is %r but the plan has no %s variant" % (plan_os, plan_os))
        return plan_os
    system = system or os.uname()[0]
    found = {"Darwin": "macos", "Linux": "linux"}.get(system)
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


# --------------------------------------------------------------------------------- directories
class DirWalk:
    """Open root, then each level below it with O_NOFOLLOW (creating the allowed ones)."""

    def __init__(self, engine, item):
        self.engine, self.item = engine, item
        self.fds = []
        self.created = []
        self.missing = False  # check mode: a level that would be created (nothing below exists)
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
                if self.engine.check_mode or not create:
                    self.missing = True
                    self.created.append(current)
                    return None
                uid = uid_of(level.get("owner"))
                gid = gid_of(level.get("group"), uid)
                try:
                    os.mkdir(level["name"], 0o700, dir_fd=fd)
                except OSError as exc:
                    raise ItemFailure("cannot create %s: %s" % (current, _reason(exc)))
                self.created.append(current)
                self.engine.note_created_dir(current)
            new = self._open_level(fd, level["name"], current)
            self.fds.append(new)
            if st is None:
                os.fchown(new, uid, gid)
                os.fchmod(new, level["mode"])  # explicit mode, never the caller's umask
            elif item.get("secure_dir") and index == len(dirs) - 1:
                self._secure(new, current)
            fd = new
        return fd

    def _open_level(self, fd, name, path):
        try:
            return os.open(name, os.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, dir_fd=fd)
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                raise ItemFailure("%s is a symlink or not a directory; refusing to write through it" % path)
            raise ItemFailure("cannot open %s: %s" % (path, _reason(exc)))

    def _secure(self, fd, path):
        """spec §1.4: the managed file's directory must be root-owned and not group/world-writable."""
        st = os.fstat(fd)
        if st.st_uid == 0 and not st.st_mode & placement.MANAGED_FORBIDDEN_MODE_BITS:
            return
        self.prior_dirs[path] = {"uid": st.st_uid, "gid": st.st_gid, "mode": stat.S_IMODE(st.st_mode)}
        self.engine.warn("%s was %s; the app ignores a managed file in a directory that is not root-owned or is "
                         "group/world-writable (spec §1.4), so it is now root-owned without group/world write"
                         % (path, "owned by uid %d" % st.st_uid if st.st_uid else "mode %04o" % stat.S_IMODE(st.st_mode)))
        if not self.engine.check_mode:
            os.fchown(fd, 0, -1)
            os.fchmod(fd, stat.S_IMODE(st.st_mode) & ~placement.MANAGED_FORBIDDEN_MODE_BITS)


def read_file(dir_fd, name, path):
    """(bytes, stat) of a regular file in dir_fd, or (None, None). Symlinks and special files are refused."""
    if dir_fd is None:
        return None, None
    try:
        fd = os.open(name, os.O_RDONLY | O_NOFOLLOW | os.O_NONBLOCK | O_CLOEXEC, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return None, None
        if exc.errno == errno.ELOOP:
            raise ItemFailure("%s is a symlink; refusing to read or replace it (the app needs a regular file)" % path)
        raise ItemFailure("cannot read %s: %s" % (path, _reason(exc)))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ItemFailure("%s is not a regular file; refusing to read or replace it" % path)
        chunks = []
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks), st
    finally:
        os.close(fd)


def write_file(dir_fd, name, path, data, uid, gid, mode, before_write=None):
    """Atomically replace name in dir_fd: temp file in the same directory, fsync, rename, fsync dir."""
    tmp = "%s%s.%d.%s" % (TMP_PREFIX, name, os.getpid(), base64.b32encode(os.urandom(5)).decode("ascii").lower())
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600, dir_fd=dir_fd)
    except OSError as exc:
        raise ItemFailure("cannot write %s: %s" % (path, _reason(exc)))
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fchown(fd, uid, gid)
            os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        if before_write:
            before_write()
        os.rename(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException as exc:
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
        os.fsync(dir_fd)
    except OSError:
        pass


def drop_stale_temps(dir_fd, name):
    """Temp files of a run killed between write and rename (they may hold a secret): removed."""
    prefix = "%s%s." % (TMP_PREFIX, name)
    for entry in os.listdir(dir_fd):
        if entry.startswith(prefix):
            try:
                st = os.stat(entry, dir_fd=dir_fd, follow_symlinks=False)
                if stat.S_ISREG(st.st_mode):
                    os.unlink(entry, dir_fd=dir_fd)
            except OSError:
                pass


# --------------------------------------------------------------------------------- state (records, backups)
class State:
    def __init__(self, engine, directory):
        self.engine, self.dir = engine, directory
        self.records = {}
        self.loaded_from_disk = False
        data = None
        try:
            fd = os.open(directory, os.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        except OSError:
            fd = None
        if fd is not None:
            try:
                data, dummy = read_file(fd, placement.RECORD_FILE, os.path.join(directory, placement.RECORD_FILE))
            finally:
                os.close(fd)
        if data:
            try:
                doc = json.loads(data.decode("utf-8"))
                if doc.get("format") != placement.RECORD_FORMAT:
                    raise ValueError("unknown format")
                self.records = doc.get("files", {})
                self.loaded_from_disk = True
            except ValueError:
                raise ItemFailure("%s is not a record file this collection can read; it was left untouched"
                                  % os.path.join(directory, placement.RECORD_FILE))

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
                    raise
                os.mkdir(name, placement.STATE_DIR_MODE, dir_fd=pfd)
                fd = os.open(name, os.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, dir_fd=pfd)
                os.fchown(fd, 0, 0)
                os.fchmod(fd, placement.STATE_DIR_MODE)
            st = os.fstat(fd)
            if st.st_uid != 0 or stat.S_IMODE(st.st_mode) & 0o077:
                os.close(fd)
                raise ItemFailure("%s must be a root-owned directory with mode 0700" % self.dir)
            return fd
        finally:
            os.close(pfd)

    def save(self):
        if self.engine.check_mode:
            return
        if not self.records:
            self._remove_all()
            return
        fd = self._open(create=True)
        try:
            doc = {"format": placement.RECORD_FORMAT, "version": placement.RECORD_VERSION, "files": self.records}
            write_file(fd, placement.RECORD_FILE, os.path.join(self.dir, placement.RECORD_FILE),
                       json.dumps(doc, indent=1, sort_keys=True).encode("utf-8"), 0, 0, 0o600)
        finally:
            os.close(fd)

    def _remove_all(self):
        try:
            fd = self._open(create=False)
        except (OSError, ItemFailure):
            return
        try:
            for name in (placement.RECORD_FILE,):
                try:
                    os.unlink(name, dir_fd=fd)
                except OSError:
                    pass
            try:
                os.rmdir(placement.BACKUP_DIR, dir_fd=fd)
            except OSError:
                pass
        finally:
            os.close(fd)
        try:
            os.rmdir(self.dir)
        except OSError:
            pass

    # backups: <state>/backups/<sha256(path)[:16]>.<basename>.<UTC time>, owner kept, mode <= 0600
    @staticmethod
    def _prefix(path):
        return "%s.%s." % (hashlib.sha256(path.encode("utf-8")).hexdigest()[:16], os.path.basename(path))

    def _backup_fd(self, create):
        fd = self._open(create)
        try:
            try:
                return os.open(placement.BACKUP_DIR, os.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, dir_fd=fd)
            except OSError as exc:
                if exc.errno != errno.ENOENT or not create:
                    raise
                os.mkdir(placement.BACKUP_DIR, 0o700, dir_fd=fd)
                return os.open(placement.BACKUP_DIR, os.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, dir_fd=fd)
        finally:
            os.close(fd)

    def backup(self, path, data, st, keep):
        """Keep a copy of the file being replaced; returns (backup path, undo function)."""
        if keep <= 0 or data is None:
            return None, lambda: None
        bfd = self._backup_fd(create=True)
        prefix = self._prefix(path)
        name = prefix + time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + ".%06d" % (int(time.time() * 1e6) % 1000000)
        try:
            write_file(bfd, name, os.path.join(self.dir, placement.BACKUP_DIR, name), data, st.st_uid, st.st_gid,
                       stat.S_IMODE(st.st_mode) & 0o600)
            old = sorted(n for n in os.listdir(bfd) if n.startswith(prefix))
            for stale in old[:-keep]:
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
        fd = getattr(self, "_bfd", None)
        if fd is not None:
            os.close(fd)
            self._bfd = None

    def purge_backups(self, path):
        """Removal: the backups of a file the collection managed hold its secrets; they go."""
        try:
            bfd = self._backup_fd(create=False)
        except (OSError, ItemFailure):
            return 0
        count = 0
        try:
            prefix = self._prefix(path)
            for name in os.listdir(bfd):
                if name.startswith(prefix):
                    if not self.engine.check_mode:
                        os.unlink(name, dir_fd=bfd)
                    count += 1
        finally:
            os.close(bfd)
        return count


# --------------------------------------------------------------------------------- the engine
class Engine:
    def __init__(self, variant, payload, state="present", check_mode=False, diff=False, backup_count=1,
                 masking=None, app_behaviour_keys=()):
        self.variant = variant
        self.payload = payload
        self.state = state
        self.check_mode = check_mode
        self.want_diff = diff
        self.backup_count = backup_count
        self.masker = Masker(**(masking or {}))
        self.app_behaviour = frozenset(app_behaviour_keys or placement.APP_BEHAVIOUR_KEYS)
        self.files, self.diffs, self.warnings, self.failures = [], [], [], []
        self.changed = False
        self.created_dirs = []
        self._record_dirty = False

    def warn(self, msg):
        self.warnings.append(msg)

    def note_created_dir(self, path):
        self.created_dirs.append(path)

    def blob(self, item):
        raw = base64.b64decode(self.payload[item["blob"]])
        return raw

    # ------------------------------------------------------------------ run
    def run(self):
        try:
            self.store = State(self, self.variant["state_dir"])
        except ItemFailure as exc:
            self.failures.append(str(exc))
            return self.result()
        dirs_to_drop = []
        for item in self.variant["items"]:
            self.created_dirs = []
            try:
                if self.state == "present":
                    self.present(item)
                else:
                    dirs_to_drop.extend(self.absent(item))
            except ItemFailure as exc:
                self.failures.append(str(exc))
                self.files.append({"path": item["path"], "changed": False, "failed": True})
            except OSError as exc:
                self.failures.append("cannot apply %s: %s" % (item["path"], _reason(exc)))
                self.files.append({"path": item["path"], "changed": False, "failed": True})
            finally:
                self.store.done_backup()
        if self.state == "absent":
            self.drop_dirs(dirs_to_drop)
        try:
            if self._record_dirty:
                self.store.save()
        except (ItemFailure, OSError) as exc:
            self.failures.append("cannot save the replacement record in %s: %s" % (self.store.dir, _reason(exc)))
        if self.state == "present":
            self.shadow()
        return self.result()

    def result(self):
        return {"changed": self.changed, "files": self.files, "diff": self.diffs, "warnings": self.warnings,
                "failures": self.failures}

    # ------------------------------------------------------------------ present
    def desired(self, item, before):
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

    def _first_record(self, item, before, st, adopted=False):
        rec = {"kind": item["kind"], "since": _now(), "created_dirs": []}
        rec["prior"] = {"exists": before is not None and not (adopted and item["kind"] == "file")}
        if adopted:
            rec["prior"]["adopted"] = True  # already ours: no prior bytes kept (they hold our secrets)
        elif before is not None:
            rec["prior"].update(content_b64=base64.b64encode(before).decode("ascii"), uid=st.st_uid, gid=st.st_gid,
                                mode=stat.S_IMODE(st.st_mode))
        if item["kind"] in ("json_keys", "config_library_meta") and before is not None:
            obj, dummy = load_object(before, item["path"])
        else:
            obj = {}
        if item["kind"] == "json_keys":
            rec["prior_keys"] = {}
        if item["kind"] == "config_library_meta":
            rec["entry_id"] = item["entry"]["id"]
            rec["prior_applied"] = {"present": "appliedId" in obj, "value": obj.get("appliedId")}
            rec["prior_entry"] = any(isinstance(e, dict) and e.get("id") == item["entry"]["id"]
                                     for e in obj.get("entries", []) if isinstance(obj.get("entries"), list))
        return rec, obj

    def present(self, item):
        path = item["path"]
        name = os.path.basename(path)
        with DirWalk(self, item) as walk:
            fd = walk.open()
            if fd is not None and not self.check_mode:
                drop_stale_temps(fd, name)
            before, st = read_file(fd, name, path)
            after = self.desired(item, before)
            rec = self.store.records.get(path)
            new_record = rec is None
            # already exactly as wanted without a record (written by an earlier release): ours, so
            # removal takes it away rather than "restoring" our own values
            adopted = new_record and before is not None and before == after
            if new_record:
                rec, prior_obj = self._first_record(item, before, st, adopted)
            elif item["kind"] == "json_keys":
                prior_obj = load_object(before, path)[0] if before is not None else {}
            if item["kind"] == "json_keys":
                wanted = json.loads(self.blob(item).decode("utf-8"))
                for key in wanted:
                    if key not in rec.setdefault("prior_keys", {}):
                        ours = adopted
                        rec["prior_keys"][key] = {"present": key in prior_obj and not ours,
                                                  "value": None if ours else prior_obj.get(key)}
                        self._record_dirty = True
            if adopted and item["kind"] == "config_library_meta":
                rec["prior_applied"] = {"present": False, "value": None}
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
            if same_content and same_meta:
                self.files.append(entry)
                if new_record:  # adopted: key-level undo on removal (no written_sha256: never "untouched")
                    self.store.records[path] = rec
                    self._record_dirty = True
                return
            self.changed = True
            entry["action"] = "create" if before is None else ("update" if not same_content else "owner/mode")
            if self.want_diff and not same_content:
                self.add_diff(item, before, after)
            if self.check_mode:
                self.files.append(entry)
                return
            rec["created_dirs"] = sorted(set(rec.get("created_dirs", [])) | set(walk.created))
            if walk.prior_dirs:
                rec.setdefault("prior_dirs", {}).update({k: v for k, v in walk.prior_dirs.items() if k not in rec.get("prior_dirs", {})})
            self.store.records[path] = rec
            if new_record or walk.created or walk.prior_dirs:
                self.store.save()  # write-ahead: what was there is on disk before the file changes
                self._record_dirty = False
            if same_content:
                self._chown(fd, name, path, uid, gid, mode)
            else:
                holder = {}

                def keep_backup():
                    if before is not None and not new_record:
                        holder["path"], holder["undo"] = self.store.backup(path, before, st, self.backup_count)
                try:
                    write_file(fd, name, path, after, uid, gid, mode, before_write=keep_backup)
                except ItemFailure:
                    holder.get("undo", lambda: None)()  # no stray backup of a failed write
                    raise
                if holder.get("path"):
                    entry["backup"] = holder["path"]
            # only once the write succeeded: what the collection wrote (drift audit, exact restore)
            rec.update(written_sha256=_sha(after), owner={"uid": uid, "gid": gid}, mode=mode, updated=_now())
            self._record_dirty = True
            self.files.append(entry)

    def _chown(self, dir_fd, name, path, uid, gid, mode):
        try:
            fd = os.open(name, os.O_RDONLY | O_NOFOLLOW | os.O_NONBLOCK | O_CLOEXEC, dir_fd=dir_fd)
        except OSError as exc:
            raise ItemFailure("cannot set owner and mode of %s: %s" % (path, _reason(exc)))
        try:
            os.fchown(fd, uid, gid)
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
        """Put back what the record says was there; without a record remove only what is ours."""
        path = item["path"]
        name = os.path.basename(path)
        rec = self.store.records.get(path)
        with DirWalk(self, item) as walk:
            try:
                fd = walk.open(create=False)
            except ItemFailure:
                if rec is None:
                    return []  # nothing of ours can be there
                raise
            before, st = read_file(fd, name, path)
            after, restore_meta = self.restored(item, rec, before)
            entry = {"path": path, "changed": False}
            if after is None and before is not None:
                entry.update(changed=True, action="remove")
            elif after is not None and (after != before or (restore_meta and self._meta_differs(st, restore_meta))):
                entry.update(changed=True, action="restore")
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
                    if after is None:
                        try:
                            os.unlink(name, dir_fd=fd)
                        except OSError as exc:
                            raise ItemFailure("cannot remove %s: %s" % (path, _reason(exc)))
                    else:
                        uid, gid, mode = restore_meta if restore_meta else (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode))
                        write_file(fd, name, path, after, uid, gid, mode)
            if rec is not None and not self.check_mode:
                for dpath, prior in rec.get("prior_dirs", {}).items():
                    self._restore_dir(dpath, prior)
                del self.store.records[path]
                self._record_dirty = True
            self.files.append(entry)
        return list(rec.get("created_dirs", [])) if rec else []

    @staticmethod
    def _meta_differs(st, meta):
        return st is None or (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) != tuple(meta)

    def restored(self, item, rec, before):
        """(bytes to leave, (uid, gid, mode) or None); bytes None means the file goes."""
        kind = item["kind"]
        prior = (rec or {}).get("prior", {})
        prior_bytes = base64.b64decode(prior["content_b64"]) if "content_b64" in prior else None
        prior_meta = (prior["uid"], prior["gid"], prior["mode"]) if "content_b64" in prior else None
        if before is None:
            if rec is not None and kind == "file" and prior_bytes is not None:
                return prior_bytes, prior_meta  # removed since by someone: put the original back
            return None, None
        untouched = rec is not None and _sha(before) == rec.get("written_sha256")
        exact_known = not prior.get("exists") or "content_b64" in prior
        if rec is not None and (kind == "file" or untouched) and exact_known:
            return prior_bytes, prior_meta  # exactly what was there (or nothing)
        if kind == "file":
            return None, None  # written by an earlier release without a record: ours, remove it
        obj, style = load_object(before, item["path"])
        if kind == "json_keys":
            prior_keys = (rec or {}).get("prior_keys") or {key: {"present": False} for key in item.get("keys", [])}
            for key, was in prior_keys.items():
                if was.get("present"):
                    obj[key] = was.get("value")
                else:
                    obj.pop(key, None)
        else:
            entry_id = item["entry"]["id"]
            entries = obj.get("entries")
            if isinstance(entries, list) and not (rec or {}).get("prior_entry"):
                obj["entries"] = [e for e in entries if not (isinstance(e, dict) and e.get("id") == entry_id)]
                if not obj["entries"] and set(obj) <= {"entries", "appliedId"}:
                    obj.pop("entries")
            if obj.get("appliedId") == entry_id:
                was = (rec or {}).get("prior_applied") or {"present": False}
                if was.get("present"):
                    obj["appliedId"] = was.get("value")
                else:
                    obj.pop("appliedId")
        if not obj and not prior.get("exists"):
            return None, None
        return dump_json(obj, style), None

    def _restore_dir(self, path, prior):
        try:
            fd = os.open(path, os.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        except OSError:
            return
        try:
            os.fchown(fd, prior["uid"], prior["gid"])
            os.fchmod(fd, prior["mode"])
        finally:
            os.close(fd)

    def drop_dirs(self, dirs):
        """Directories the collection created go again when empty (deepest first)."""
        for path in sorted(set(dirs), key=lambda p: p.count("/"), reverse=True):
            if self.check_mode:
                continue
            parent, name = os.path.split(path)
            try:
                fd = os.open(parent, os.O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            except OSError:
                continue
            try:
                os.rmdir(name, dir_fd=fd)
                self.changed = True
                self.files.append({"path": path, "changed": True, "action": "remove directory"})
            except OSError:
                pass
            finally:
                os.close(fd)

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
