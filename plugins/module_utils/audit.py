# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read what a macOS or Linux machine holds for Claude Desktop, for the drift audit.

Standard library only (targets, Python 3.8+). Paths come from the placement table
(``placement.py``). Secret values never leave the machine: they are replaced by an HMAC-SHA256
under a per-run key the controller chooses, so the controller can compare them with the desired
value without either side printing it. Also finds running Claude Desktop processes and their start
times for the restart notice (spec §1.7: configuration is read once at launch).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import platform
import plistlib
import pwd
import re
import shutil
import stat
import time

from ansible_collections.aiohub.claude_desktop.plugins.module_utils import placement
from ansible_collections.aiohub.claude_desktop.plugins.module_utils.apply_engine import load_record_dir
# Keys named like a credential are hashed as well: the collection's one word list (masking.py).
from ansible_collections.aiohub.claude_desktop.plugins.module_utils.masking import CREDENTIAL_NAME_RE

# Executable names of the desktop app: macOS Claude.app/Contents/MacOS/Claude, Windows claude.exe
# (spec §1.7), Linux packages claude-desktop. The bundled agent (claude-code/<version>/claude) is not the app.
APP_PROCESS_NAMES = ("Claude", "claude-desktop", "claude.exe", "Claude.exe")


def canonical(value):
    """One text per value whatever the encoding: JSON-looking strings and native values as compact sorted JSON."""
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in ("[", "{"):
            try:
                return json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            except ValueError:
                return value
        return value
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def digest(value, salt):
    return "hmac-sha256:" + hmac.new(salt.encode("utf-8"), canonical(value).encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def protect(values, secret_keys, salt):
    """values with every secret key's value replaced by its digest."""
    out = {}
    for key, value in values.items():
        if key in secret_keys or CREDENTIAL_NAME_RE.search(key):
            out[key] = {"__digest__": digest(value, salt)}
        else:
            out[key] = value
    return out


def _stat(path):
    info = {"path": path, "exists": False}
    try:
        st = os.lstat(path)
    except OSError:
        return info
    info.update(exists=True, symlink=stat.S_ISLNK(st.st_mode), regular=stat.S_ISREG(st.st_mode),
                directory=stat.S_ISDIR(st.st_mode), uid=st.st_uid, gid=st.st_gid,
                mode="%04o" % stat.S_IMODE(st.st_mode), mtime=st.st_mtime)
    try:
        info["owner"] = pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        info["owner"] = str(st.st_uid)
    return info


def local_reader(path, want_data=True):
    """(stat dict, bytes or None or an error text) of a path on this machine. Symlinks are followed for the
    content: the stat says what the app thinks of the link."""
    info = _stat(path)
    if not want_data or not info["exists"] or info.get("directory"):
        return info, None
    try:
        with open(path, "rb") as handle:
            return info, handle.read()
    except OSError as exc:
        return info, "cannot read: %s" % exc.strerror


def _load(path, fmt, reader=local_reader):
    """(values dict or None, error text or None)."""
    dummy, data = reader(path)
    if data is None:
        return None, "is missing"
    if isinstance(data, str):
        return None, data
    try:
        if fmt == "plist":
            value = plistlib.loads(data)
        else:
            value = json.loads(data.decode("utf-8-sig" if fmt == "user_json" else "utf-8"))
    except Exception as exc:  # plistlib raises several types
        return None, "does not parse as %s (%s)" % ("a plist" if fmt == "plist" else "JSON", type(exc).__name__)
    if not isinstance(value, dict):
        return None, "is not a dictionary at the top level"
    return value, None


def _plain(value):
    """plist values made JSON-safe (dates, bytes) for the result."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return {"__bytes__": len(value)}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def read_source(path, fmt, secret_keys, salt, extra=None, reader=local_reader):
    entry = dict(reader(path, False)[0])
    entry["format"] = fmt
    entry.update(extra or {})
    if entry["exists"] and not entry.get("directory"):
        values, error = _load(path, fmt, reader)
        if error:
            entry["error"] = error
        else:
            native = {k: type(v).__name__ for k, v in values.items() if fmt == "plist" and not isinstance(v, str)}
            if native:
                entry["native_types"] = native
            entry["values"] = protect(_plain(values), secret_keys, salt)
    return entry


def read_user(os_name, user, home, secret_keys, salt, reader=local_reader):
    """Both generations of a user's local config (spec §1.5). reader(path, want_data) gives (stat, bytes):
    local files here, stock modules from the controller for Windows."""
    out = []
    mod = placement._pathmod(os_name)  # pylint: disable=protected-access
    join = mod.join
    # reading only: a home below user_config_home_roots (which the audit is not told) is read where it is
    roots = [mod.dirname(mod.normpath(home))] if home and os_name != "windows" else None
    gen1 = placement.user_config(os_name, user, home=home, fmt="user_json", roots=roots)["path"]
    entry = read_source(gen1, "user_json", secret_keys, salt, {"kind": "user_json", "user": user}, reader)
    values = entry.pop("values", None)
    if values is not None:
        enterprise = values.get("enterpriseConfig")
        if isinstance(enterprise, dict):
            entry["values"] = protect(enterprise, secret_keys, salt)
        entry["deploymentMode"] = values.get("deploymentMode")
    out.append(entry)
    library = placement.user_config(os_name, user, home=home, fmt="config_library", roots=roots)["path"]
    lib = dict(reader(library, False)[0])
    lib.update(kind="config_library", user=user, format="config_library")
    if lib["exists"]:
        meta, error = _load(join(library, placement.CONFIG_LIBRARY_META), "json", reader)
        if error:
            lib["error"] = "%s %s" % (placement.CONFIG_LIBRARY_META, error)
        else:
            applied = meta.get("appliedId")
            lib["applied_id"] = applied
            lib["entries"] = len(meta.get("entries") or [])
            if isinstance(applied, str) and re.match(r"^[A-Za-z0-9-]{1,64}$", applied):
                applied_path = join(library, applied + ".json")
                sub = read_source(applied_path, "json", secret_keys, salt, reader=reader)
                lib["applied_path"] = applied_path
                lib["mtime"] = max(lib.get("mtime") or 0, sub.get("mtime") or 0)
                if sub.get("error"):
                    lib["error"] = "%s %s" % (applied + ".json", sub["error"])
                elif sub.get("values") is not None:
                    lib["values"] = sub["values"]
                elif not sub["exists"]:
                    lib["error"] = "the applied entry %s.json is missing" % applied
    out.append(lib)
    return out


def read_records(os_name):
    """{path: {"written_sha256", "updated"}} from the collection's record on this host (placement.STATE_DIRS).

    Only those two fields are taken: the record also holds prior file contents, which never leave the host.
    """
    directory = placement.STATE_DIRS.get(os_name)
    if not directory:
        return {}
    out = {}
    for path, entry in load_record_dir(directory).items():
        if isinstance(entry, dict) and entry.get("written_sha256"):
            out[path] = {"written_sha256": entry["written_sha256"], "updated": entry.get("updated")}
    return out


def _mark_records(sources, records):
    for entry in sources:
        rec = records.get(entry.get("path"))
        if not rec or not entry.get("exists") or entry.get("kind") != "managed":
            continue
        try:
            with open(entry["path"], "rb") as handle:
                current = hashlib.sha256(handle.read()).hexdigest()
        except OSError:
            continue
        entry["record"] = {"matches": current == rec["written_sha256"], "updated": rec.get("updated")}


def read_host(os_name, users=(), homes=None, secret_keys=(), salt="", profile_path=None):
    """Every source the app reads on this macOS or Linux machine, and the directory of the Linux file."""
    homes = homes or {}
    secret_keys = set(secret_keys)
    sources = []
    machine = placement.managed_source(os_name, "machine")
    entry = read_source(machine["path"], machine["format"], secret_keys, salt, {"kind": "managed", "scope": "machine"})
    if os_name == "linux":
        entry["dir"] = _stat(os.path.dirname(machine["path"]))
    sources.append(entry)
    if os_name == "macos":
        base = os.path.dirname(machine["path"])
        names = set(users)
        try:  # per-user plists of any account, not only the ones we manage
            names.update(n for n in os.listdir(base) if os.path.isdir(os.path.join(base, n)) and not os.path.islink(os.path.join(base, n)))
        except OSError:
            pass
        for user in sorted(names):
            try:
                src = placement.managed_source("macos", "user", user)
            except placement.PlacementError:
                continue
            if user in users or os.path.exists(src["path"]):
                sources.append(read_source(src["path"], "plist", secret_keys, salt, {"kind": "managed", "scope": "user", "user": user}))
        if profile_path:
            prof = _stat(profile_path)
            prof.update(kind="profile", format="mobileconfig")
            sources.append(prof)
    for user in users:
        sources.extend(read_user(os_name, user, homes.get(user), secret_keys, salt))
    _mark_records(sources, read_records(os_name))
    return sources


# ------------------------------------------------------------------ processes (restart notice)
def _netns(pid):
    try:
        return os.stat("/proc/%s/ns/net" % pid).st_ino
    except OSError:
        return None


def _proc_processes(names):
    """Linux /proc: processes of this machine (same network namespace) whose executable name matches."""
    try:
        with open("/proc/stat") as handle:
            btime = int(next(line for line in handle if line.startswith("btime")).split()[1])
    except (OSError, StopIteration, ValueError):
        return []
    ticks = os.sysconf("SC_CLK_TCK")
    mine = _netns("self")
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as handle:
                argv0 = handle.read().split(b"\0", 1)[0].decode("utf-8", "replace")
            with open("/proc/%s/stat" % pid) as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            uid = os.stat("/proc/%s" % pid).st_uid
        except (OSError, IndexError):
            continue
        name = os.path.basename(argv0)
        if name not in names or "claude-code" in argv0:
            continue
        ns = _netns(pid)
        if mine is not None and ns is not None and ns != mine:
            continue  # another machine's process (test fleets share one kernel) or a sandbox
        try:
            user = pwd.getpwuid(uid).pw_name
        except KeyError:
            user = str(uid)
        found.append({"pid": int(pid), "name": name, "user": user, "started": btime + int(fields[19]) / float(ticks)})
    return found


def _ps_processes(names, run_command):
    """macOS: ps gives the start time of each process (``run_command``: AnsibleModule.run_command)."""
    rc, out, dummy = run_command(["ps", "-axo", "pid=,user=,lstart=,comm="], environ_update={"LC_ALL": "C"})
    if rc != 0:
        return []
    found = []
    for line in out.splitlines():
        parts = line.split(None, 7)
        if len(parts) < 8:
            continue
        comm = parts[7]
        name = os.path.basename(comm)
        if name not in names or "claude-code" in comm:
            continue
        try:
            started = time.mktime(time.strptime(" ".join(parts[2:7]), "%a %b %d %H:%M:%S %Y"))
        except ValueError:
            continue
        found.append({"pid": int(parts[0]), "name": name, "user": parts[1], "started": started})
    return found


def app_processes(run_command, names=APP_PROCESS_NAMES):
    if placement.resolve_os(system=platform.system()) == "linux":
        return _proc_processes(set(names))
    return _ps_processes(set(names), run_command)


# ------------------------------------------------------------------------ the installed app
# macOS: the bundle's Info.plist (issue 24). Linux: the package manager; the spec documents no
# Linux install path or package name, so the names are an option (default claude-desktop, the name
# of the app's /etc/claude-desktop directory and of its process).
MAC_APP_BUNDLES = ("/Applications/Claude.app",)
LINUX_APP_PACKAGES = ("claude-desktop",)


def _bundle_version(bundle):
    info = os.path.join(bundle, "Contents", "Info.plist")
    try:
        with open(info, "rb") as f:
            data = plistlib.load(f)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, plistlib.InvalidFileException) as exc:
        return {"installed": True, "version": None, "source": "bundle", "path": info,
                "error": "cannot read Info.plist: %s" % type(exc).__name__}
    version = data.get("CFBundleShortVersionString") if isinstance(data, dict) else None
    out = {"installed": True, "version": version if isinstance(version, str) else None, "source": "bundle", "path": info}
    if isinstance(data, dict) and isinstance(data.get("CFBundleVersion"), str):
        out["build"] = data["CFBundleVersion"]
    if out["version"] is None:
        out["error"] = "Info.plist has no CFBundleShortVersionString"
    return out


def _package_version(run_command, packages):
    """(dpkg or rpm) the first installed package of the names: its version, or None."""
    for tool, argv, parse in (
            ("dpkg-query", lambda p: ["dpkg-query", "-W", "-f=${db:Status-Status}\t${Version}", p],
             lambda out: out.split("\t", 1)[1].strip() if out.startswith("installed\t") else None),
            ("rpm", lambda p: ["rpm", "-q", "--qf", "%{VERSION}", p], lambda out: out.strip() or None)):
        if not shutil.which(tool):
            continue
        for name in packages:
            rc, out, dummy = run_command(argv(name), environ_update={"LC_ALL": "C"})
            version = parse(out) if rc == 0 else None
            if version:
                return {"installed": True, "version": version, "source": tool, "package": name}
    return None


def read_app(os_name, run_command, bundles=MAC_APP_BUNDLES, packages=LINUX_APP_PACKAGES):
    """Whether Claude Desktop is installed and its version: {installed, version, source, path|package}."""
    if os_name == "macos":
        for bundle in bundles:
            found = _bundle_version(bundle)
            if found:
                return found
        return {"installed": False, "version": None, "checked": list(bundles)}
    found = _package_version(run_command, packages)
    return found or {"installed": False, "version": None, "checked": ["package %s" % p for p in packages]}
