# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where Claude Desktop configuration goes on each OS: the one placement table.

Standard-library Python 3.8+, importable on targets (modules) and on the controller
(``ansible_collections.aiohub.claude_desktop.plugins.module_utils.placement``). Every path,
registry key, owner and mode the collection writes comes from here; roles, playbooks, the apply
module, the renderers and the drift audit read it. Facts cite the product spec
(``claude-desktop-3p.md``) by section.

Vocabulary:
  os      ``macos``, ``linux`` or ``windows`` (OSES)
  scope   ``machine`` or ``user`` (SCOPES)
  managed source   a file or registry key the app treats as administrator-delivered (spec §1.1)
  user config      the local, user-authored configuration (spec §1.5), in two generations:
                   ``user_json`` (claude_desktop_config.json with ``enterpriseConfig``, generation 1)
                   and ``config_library`` (the ``configLibrary/`` directory, generation 2)
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ntpath
import posixpath
import re

OSES = ("macos", "linux", "windows")
SCOPES = ("machine", "user")
FORMATS = ("config_library", "user_json")

# spec §1.2: the preference domain read on macOS.
PREFERENCE_DOMAIN = "com.anthropic.claudefordesktop"
# spec §1.3: values directly under this key, in HKLM (machine, wins) or HKCU (user); sub-keys are never read.
REGISTRY_KEY = "SOFTWARE\\Policies\\Claude"
REGISTRY_HIVES = {"machine": "HKLM", "user": "HKCU"}
REGISTRY_HIVES_LONG = {"machine": "HKEY_LOCAL_MACHINE", "user": "HKEY_CURRENT_USER"}

# ---------------------------------------------------------------------------------------------
# Managed sources (spec §1.1-§1.4). ``{user}`` is a validated account name (see valid_account).
# Owner/group are names on POSIX (group 0 is wheel on macOS, root on Linux). ``parents`` are the
# directory levels the collection may create, outermost first, with their owner and mode; the
# level above the first one must already exist.
MANAGED = {
    "macos": {
        # spec §1.2: machine plist in /Library/Managed Preferences/ (MDM-delivered normally).
        "machine": {
            "kind": "file", "format": "plist",
            "path": "/Library/Managed Preferences/" + PREFERENCE_DOMAIN + ".plist",
            "owner": "root", "group": "0", "mode": 0o644,
            "root": "/Library",
            "parents": (("Managed Preferences", "root", "0", 0o755),),
        },
        # spec §1.2: per-user plist /Library/Managed Preferences/<user>/..., wins key by key (§1.6 rule 3).
        "user": {
            "kind": "file", "format": "plist",
            "path": "/Library/Managed Preferences/{user}/" + PREFERENCE_DOMAIN + ".plist",
            "owner": "root", "group": "0", "mode": 0o644,
            "root": "/Library",
            "parents": (("Managed Preferences", "root", "0", 0o755), ("{user}", "root", "0", 0o755)),
        },
    },
    "linux": {
        # spec §1.4: honoured only as a regular root-owned file, not group/world-writable, in a
        # root-owned directory (not a symlink) that is not group/world-writable. No per-user source.
        "machine": {
            "kind": "file", "format": "linux_json",
            "path": "/etc/claude-desktop/managed-settings.json",
            "owner": "root", "group": "0", "mode": 0o644,
            "root": "/etc",
            "parents": (("claude-desktop", "root", "0", 0o755),),
        },
    },
    "windows": {
        # spec §1.3: REG_SZ values directly under the key. HKLM "present" excludes HKCU entirely (>= 1.19367.0).
        "machine": {"kind": "registry", "hive": "HKLM", "key": REGISTRY_KEY},
        "user": {"kind": "registry", "hive": "HKCU", "key": REGISTRY_KEY},
    },
}

# macOS: where a .mobileconfig is staged for a user to approve (not read by the app; spec §1.2 [GEN]:
# profiles cannot be installed silently without MDM). Mode 0600, root-owned; "AIOHub" may be created.
PROFILE_STAGE_PATH = "/Library/Application Support/AIOHub/claude-desktop.mobileconfig"

# Modes the app requires of a managed source and of its directory (spec §1.4): no group/world write.
MANAGED_FORBIDDEN_MODE_BITS = 0o022

# ---------------------------------------------------------------------------------------------
# User config (spec §1.5). Paths are relative to the user's home (profile directory on Windows).
# ``levels`` are the directories below the home, outermost first, that the collection may create
# when missing, with their mode (POSIX; owner is always the user). The home itself, and /Users,
# /home or C:\Users above it, are never created (a missing home is a per-user failure).
DEFAULT_HOME_ROOTS = {"macos": "/Users", "linux": "/home", "windows": "C:\\Users"}

USER_CONFIG = {
    "macos": {
        # spec §1.5 gen 1 and gen 2: ~/Library/Application Support/Claude-3p/{claude_desktop_config.json,configLibrary/}
        "base": ("Library", "Application Support", "Claude-3p"),
        # ~/Library is 0700 and ~/Library/Application Support 0755 on a stock macOS account.
        "levels": (("Library", 0o700), ("Application Support", 0o755), ("Claude-3p", 0o700), ("configLibrary", 0o700)),
    },
    "linux": {
        # spec §1.5 gen 2: ~/.config/Claude-3p/configLibrary/ (gen 1 file kept beside it, as tools write it).
        "base": (".config", "Claude-3p"),
        "levels": ((".config", 0o700), ("Claude-3p", 0o700), ("configLibrary", 0o700)),
    },
    "windows": {
        # spec §1.5: gen 2 %LOCALAPPDATA%\Claude-3p\configLibrary\ (current builds moved the directory
        # here from Roaming on first launch); gen 1 %APPDATA%\Claude-3p\claude_desktop_config.json.
        "base": ("AppData", "Local", "Claude-3p"),
        "roaming": ("AppData", "Roaming", "Claude-3p"),
        # spec §1.5: MSIX builds virtualised %APPDATA% writes to this LocalCache path; spec §8.14 names a
        # second package family. The packaged app reads the merged view, where its LocalCache copy wins
        # over the real file; current MSIX builds still virtualise AppData writes (pitfall 14), so a
        # LocalCache\Local\Claude-3p\configLibrary the app created holds what it reads (generation 2).
        "msix_roaming": ("AppData", "Local", "Packages", "Claude_pzs8sxrjxfjjc", "LocalCache", "Roaming", "Claude-3p"),
        "msix_roaming_2": ("AppData", "Local", "Packages", "AnthropicPBC.Claude_fnn82j28hfe8t", "LocalCache", "Roaming", "Claude-3p"),
        "msix_local": ("AppData", "Local", "Packages", "Claude_pzs8sxrjxfjjc", "LocalCache", "Local", "Claude-3p"),
        "msix_local_2": ("AppData", "Local", "Packages", "AnthropicPBC.Claude_fnn82j28hfe8t", "LocalCache", "Local", "Claude-3p"),
        "levels": (("Claude-3p", None), ("configLibrary", None)),
    },
}
# Windows: which copies of each format the collection keeps in step, the app's own folder first. A
# variant other than "base" is written only where its Claude-3p folder already exists (the app made it).
WINDOWS_VARIANTS = {"user_json": ("base", "roaming", "msix_roaming", "msix_roaming_2"),
                    "config_library": ("base", "msix_local", "msix_local_2")}
USER_FILE = "claude_desktop_config.json"  # spec §1.5 gen 1
CONFIG_LIBRARY = "configLibrary"          # spec §1.5 gen 2
CONFIG_LIBRARY_META = "_meta.json"        # spec §1.5: records the applied entry
USER_FILE_MODE = 0o600                    # files holding a credential: owner only (guide: 0600 or tighter)

# ---------------------------------------------------------------------------------------------
# Keys a managed source may set without taking the device over (spec §1.6 rule 2): the model's
# ``x-app-behaviour`` marks (plugin_utils/_secrets.app_behaviour_keys), passed to targets by the apply
# action; no copy is kept here (issue 25).

# ---------------------------------------------------------------------------------------------
# What the collection keeps on the host (docs/security.md): the replacement records (what a file
# or key held before the collection first took it over, restored by state=absent) and bounded
# backups. Root-owned 0700 directory (its parent must exist), files 0600; backups keep the
# original file's owner, mode at most 0600.
STATE_DIRS = {
    "linux": "/var/lib/aiohub-claude-desktop",
    "macos": "/Library/Application Support/aiohub-claude-desktop",
}
STATE_DIR_MODE = 0o700
RECORD_FILE = "records.json"
BACKUP_DIR = "backups"
# The record file: {"format": RECORD_FORMAT, "version": RECORD_VERSION, "files": {path: entry}} where
# entry = {
#   "kind": "file" | "json_keys" | "config_library_meta",
#   "prior": {"exists": bool, "content_b64": str (file bytes), "uid": int, "gid": int, "mode": int} | absent
#            when the file did not exist (exists false),
#   "prior_keys": {key: {"present": bool, "value": <json>}}   (json_keys: the keys the collection set),
#   "prior_applied": {"present": bool, "value": str}, "entry_id": str   (config_library_meta),
#   "written_sha256": sha256 hex of the bytes the collection last wrote (drift audit),
#   "created_dirs": [paths created by the collection, outermost first],
#   "owner": {"uid": int, "gid": int}, "mode": int   (what the collection set),
#   "since": ISO-8601 UTC time of the first takeover, "updated": time of the last write }
RECORD_FORMAT = "aiohub.claude_desktop.record"
RECORD_VERSION = 2

# ---------------------------------------------------------------------------------------------
# Inventory values that become paths (issue 14 item 5).
_POSIX_ACCOUNT_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}\$?$")
_WINDOWS_ACCOUNT_RE = re.compile(r'^[^\x00-\x1f"/\\\[\]:;|=,+*?<>@]{1,64}$')
_WINDOWS_DOMAIN_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")
_WINDOWS_SID_RE = re.compile(r"^S-1-[0-9]+(-[0-9]+)+$", re.I)
_SEGMENT_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.@+-]{0,252}$")


class PlacementError(ValueError):
    """A value that cannot safely become part of a path. The message names the variable."""


def valid_account(name, os_name, variable="user"):
    """Return ``name`` if it is a valid account name for the OS, else raise PlacementError."""
    if not isinstance(name, str) or name in (".", "..") or name.strip() != name:
        raise PlacementError("%s: %r is not a valid account name" % (variable, name))
    if os_name == "windows" and windows_account_kind(name) != "local":
        return name
    pattern = _WINDOWS_ACCOUNT_RE if os_name == "windows" else _POSIX_ACCOUNT_RE
    if not pattern.match(name) or (os_name == "windows" and name.endswith(".")):
        raise PlacementError("%s: %r is not a valid %s account name (letters, digits, '_', '.', '-'; no path separators)"
                             % (variable, name, "Windows" if os_name == "windows" else "POSIX"))
    return name


def windows_account_kind(name):
    """``sid`` (S-1-...), ``domain`` (DOMAIN\\user, AzureAD\\user), ``upn`` (user@corp.example) or ``local``.

    A domain, UPN or SID account is accepted as given: Windows resolves it to a SID, and its profile
    folder comes from ProfileList by that SID, never from its name.
    """
    if _WINDOWS_SID_RE.match(name):
        return "sid"
    if name.count("\\") == 1:
        domain, _sep, user = name.partition("\\")
        if _WINDOWS_DOMAIN_RE.match(domain) and _WINDOWS_ACCOUNT_RE.match(user) and not user.endswith("."):
            return "domain"
    if name.count("@") == 1:
        user, _sep, dns = name.partition("@")
        if _WINDOWS_ACCOUNT_RE.match(user) and re.match(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$", dns):
            return "upn"
    return "local"


def safe_segment(name, variable="inventory_hostname"):
    """Return ``name`` if it is safe as a single path segment (e.g. an inventory host name)."""
    if not isinstance(name, str) or name in (".", "..") or not _SEGMENT_RE.match(name):
        raise PlacementError("%s: %r cannot be used as a file or directory name (letters, digits, '.', '_', '-', '@', '+')"
                             % (variable, name))
    return name


def _pathmod(os_name):
    return ntpath if os_name == "windows" else posixpath


def confine(path, root, os_name, variable="path"):
    """Normalise ``path`` and check it lies strictly under ``root``; return the normalised path."""
    mod = _pathmod(os_name)
    if not isinstance(path, str) or not path or "\x00" in path:
        raise PlacementError("%s: %r is not a path" % (variable, path))
    if not mod.isabs(path) or (os_name == "windows" and not re.match(r"^[A-Za-z]:\\", path)):
        raise PlacementError("%s: %r is not an absolute path" % (variable, path))
    parts = re.split(r"[\\/]" if os_name == "windows" else "/", path)
    if ".." in parts:
        raise PlacementError("%s: %r contains '..'" % (variable, path))
    norm, norm_root = mod.normpath(path), mod.normpath(root)
    cmp_path, cmp_root = (norm.lower(), norm_root.lower()) if os_name == "windows" else (norm, norm_root)
    sep = "\\" if os_name == "windows" else "/"
    if not cmp_path.startswith(cmp_root.rstrip(sep) + sep) or cmp_path == cmp_root:
        raise PlacementError("%s: %r is outside %s" % (variable, path, root))
    return norm


# ---------------------------------------------------------------------------------------------
# Which OS a host runs: decided here only (issue 25; tests/unit/plugins/module_utils/test_placement_os.py
# fails when another place reads these variables or recognises an OS by itself).
OS_VARIABLE = "claude_desktop_os"
# What a host reports: uname's system (the apply module on the host, Ansible's ansible_system fact:
# Darwin, Linux, Win32NT) or Ansible's ansible_os_family fact (Darwin, Windows, Debian, RedHat, ...).
FACT_VARS = ("ansible_system", "ansible_os_family")
# How a host is reached: a PowerShell connection (WinRM, PSRP) or shell is Windows.
CONNECTION_VARS = ("ansible_connection", "ansible_shell_type")
OS_VARS = (OS_VARIABLE,) + FACT_VARS + CONNECTION_VARS
_SYSTEMS = {"darwin": "macos", "linux": "linux", "win32nt": "windows", "windows": "windows"}
_FAMILIES = {"darwin": "macos", "windows": "windows"}  # a Linux family is a distribution name
POWERSHELL_CONNECTIONS = ("winrm", "psrp")


def _fact(variables, name):
    value = variables.get(name) if hasattr(variables, "get") else None
    if value in (None, ""):
        facts = variables.get("ansible_facts") if hasattr(variables, "get") else None
        value = facts.get(name[len("ansible_"):]) if isinstance(facts, dict) else None
    return value if isinstance(value, str) else None


def resolve_os(variables=None, system=None, shell_family=None, connection=True):
    """The OS of a host (macos, linux, windows), or None while it is not known (the host decides at run time).

    Issue 22's rule, in this one place: ``claude_desktop_os`` decides when it is set (returned as given, so the
    caller's message can name a wrong value; check_os checks it); otherwise what the host reports: ``system``
    (uname on the host itself) or the gathered facts (ansible_system, ansible_os_family); otherwise, with
    ``connection``, a PowerShell connection (``shell_family`` of the connection plugin, ansible_connection
    winrm/psrp, ansible_shell_type powershell) is Windows. ``variables``: a host's variables (templated).
    """
    variables = variables if variables is not None else {}
    declared = variables.get(OS_VARIABLE) if hasattr(variables, "get") else None
    if declared not in (None, ""):
        return declared
    reported = system or _fact(variables, "ansible_system")
    if reported:
        return _SYSTEMS.get(reported.lower())  # None: a system the placement table has no entry for (e.g. FreeBSD)
    family = _fact(variables, "ansible_os_family")
    if family and family.lower() in _FAMILIES:
        return _FAMILIES[family.lower()]
    powershell = "powershell" in (shell_family, variables.get("ansible_shell_type"))
    if connection and (powershell or variables.get("ansible_connection") in POWERSHELL_CONNECTIONS):
        return "windows"
    return None


def check_os(os_name, variable="claude_desktop_os"):
    if os_name not in OSES:
        raise PlacementError("%s must be one of %s, got %r" % (variable, ", ".join(OSES), os_name))
    return os_name


def managed_source(os_name, scope="machine", user=None, variable="managed_settings_user"):
    """The managed source entry for an OS and scope, with ``{user}`` filled in (a copy)."""
    check_os(os_name)
    if scope not in MANAGED[os_name]:
        raise PlacementError("%s has no %s-scope managed source (spec §1.1)" % (os_name, scope))
    entry = dict(MANAGED[os_name][scope])
    if "path" in entry:
        if "{user}" in entry["path"]:
            valid_account(user, os_name, variable)
        entry["path"] = entry["path"].replace("{user}", user or "")
        entry["parents"] = tuple((name.replace("{user}", user or ""), owner, group, mode)
                                 for name, owner, group, mode in entry["parents"])
    return entry


def registry_path(scope="machine", style="ps"):
    """The policy key: ``HKLM:\\SOFTWARE\\Policies\\Claude`` (ps), ``HKLM\\...`` (reg) or the long hive (regfile)."""
    if style == "ps":
        return REGISTRY_HIVES[scope] + ":\\" + REGISTRY_KEY
    if style == "reg":
        return REGISTRY_HIVES[scope] + "\\" + REGISTRY_KEY
    return REGISTRY_HIVES_LONG[scope] + "\\" + REGISTRY_KEY


def shadow_sources(os_name, users=()):
    """Managed sources whose presence makes the app ignore the user config (spec §1.5, §1.6 rule 1).

    Files are returned as paths; Windows registry keys as ``HKLM:\\...`` strings.
    """
    check_os(os_name)
    if os_name == "windows":
        # HKCU: would be the connecting account's own hive (win_reg_stat.ps1:84); each user's
        # HKU\<SID>\SOFTWARE\Policies\Claude is read with that user's profile (config_file).
        return [registry_path("machine")]
    out = [MANAGED[os_name]["machine"]["path"]]
    if "user" in MANAGED[os_name]:
        out.extend(managed_source(os_name, "user", u, "user")["path"] for u in users)
    return out


def default_home(os_name, user, variable="claude_desktop_users"):
    valid_account(user, os_name, variable)
    if os_name == "windows" and windows_account_kind(user) != "local":
        raise PlacementError("%s: %r: a Windows home is read from ProfileList by the account's SID; give its home "
                             "(user_config_homes) to compute a path on the controller" % (variable, user))
    return _pathmod(os_name).join(DEFAULT_HOME_ROOTS[os_name], user)


# POSIX directories that are never a home (nor a home root), whatever user_config_home_roots says.
POSIX_SYSTEM_DIRS = ("/", "/bin", "/boot", "/dev", "/etc", "/lib", "/lib64", "/proc", "/root", "/run", "/sbin",
                     "/sys", "/tmp", "/usr", "/var", "/Library", "/System", "/Applications", "/private")


def _norm(path, os_name):
    """normpath, and on POSIX also a leading '//' folded ('//home' stays '//home' under posixpath.normpath)."""
    if os_name == "windows":
        return ntpath.normpath(path)
    return "/" + posixpath.normpath(path).lstrip("/")


def check_home_root(root, os_name, variable="user_config_home_roots"):
    """A home root (user_config_home_roots): absolute, without '..', not / nor a system directory itself."""
    if not isinstance(root, str) or not root or "\x00" in root or not _pathmod(os_name).isabs(root):
        raise PlacementError("%s: %r is not an absolute path" % (variable, root))
    if ".." in re.split(r"[\\/]", root):
        raise PlacementError("%s: %r contains '..'" % (variable, root))
    norm = _norm(root, os_name)
    if os_name != "windows" and norm in POSIX_SYSTEM_DIRS:
        raise PlacementError("%s: %r is a system directory, not a root of homes" % (variable, root))
    return norm


def check_home(home, os_name, variable="user_config_homes", roots=None):
    """A home override must be absolute, without '..', not a file-system root, a home root or a system directory,
    and (POSIX) strictly below one of ``roots`` (user_config_home_roots, default DEFAULT_HOME_ROOTS)."""
    mod = _pathmod(os_name)
    if not isinstance(home, str) or not home or "\x00" in home or not mod.isabs(home):
        raise PlacementError("%s: %r is not an absolute path" % (variable, home))
    if ".." in re.split(r"[\\/]", home):
        raise PlacementError("%s: %r contains '..'" % (variable, home))
    norm = _norm(home, os_name)
    if norm in ("/", "\\") or re.match(r"^[A-Za-z]:\\?$", norm) or norm in DEFAULT_HOME_ROOTS.values():
        raise PlacementError("%s: %r is not a home directory" % (variable, home))
    if os_name != "windows":
        if any(norm == d or norm.startswith(d.rstrip("/") + "/") for d in POSIX_SYSTEM_DIRS if d != "/") and not any(
                norm.startswith(r.rstrip("/") + "/") for r in roots or () if r not in POSIX_SYSTEM_DIRS):
            raise PlacementError("%s: %r is a system directory, not a home; refused" % (variable, home))
        roots = [_norm(r, os_name) for r in (roots or [DEFAULT_HOME_ROOTS[os_name]])]
        if not any(norm.startswith(r.rstrip("/") + "/") for r in roots):
            raise PlacementError("%s: %r is not below the home roots %s (set user_config_home_roots to allow "
                                 "another root); refused" % (variable, home, ", ".join(roots)))
    return norm


def user_config(os_name, user, home=None, fmt="config_library", variant="base", variable="claude_desktop_users", roots=None):
    """Where a user's config of one format goes.

    Returns dict(path, home, levels, base) where ``base`` is the app's Claude-3p directory and ``levels`` are (absolute dir, mode) of the directories
    below the home that may be created, outermost first (mode None on Windows: an ACL is set instead).
    """
    check_os(os_name)
    if fmt not in FORMATS:
        raise PlacementError("user config format must be one of %s, got %r" % (", ".join(FORMATS), fmt))
    mod = _pathmod(os_name)
    valid_account(user, os_name, variable)
    home = check_home(home, os_name, roots=roots) if home else default_home(os_name, user, variable)
    table = USER_CONFIG[os_name]
    base = table[variant]
    modes = dict(table["levels"])
    names = list(base) + ([CONFIG_LIBRARY] if fmt == "config_library" else [])
    levels, current = [], home
    for name in names:
        current = mod.join(current, name)
        # only the documented app levels (and, POSIX, the standard ones above them) may be created
        if name in modes:
            levels.append((current, modes[name]))
        else:
            levels = []  # a level we may not create (e.g. Windows AppData): must exist
    path = current if fmt == "config_library" else mod.join(current, USER_FILE)
    return {"path": confine(path, home, os_name, variable), "home": home, "levels": levels,
            "base": mod.join(home, *base)}
