# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller side of aiohub.claude_desktop.apply: validate, render, build the host's plan, run it once."""

from __future__ import annotations

import base64
import getpass
import json
import os
import posixpath
import socket

from ansible import constants as C

from ansible_collections.aiohub.claude_desktop.plugins.module_utils import placement as p
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _render as r
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import (
    ActionFailure, ClaudeDesktopAction, validate_or_fail)
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._argspecs import CONFIG, ENTRY_NAME, PROFILE_IDENTITY, STATE, options
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._catalog import nested_secret_paths
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import app_behaviour_keys, secret_key_names, secret_values

ARGS = options(
    CONFIG, STATE, config={"required": False},
    os={"type": "str"},
    managed={"type": "bool", "default": False},
    managed_user={"type": "str", "default": ""},
    stage_profile={"type": "bool", "default": False},
    profile_path={"type": "str", "default": p.PROFILE_STAGE_PATH},
    users={"type": "list", "elements": "raw", "default": []},
    homes={"type": "dict", "default": {}},
    formats={"type": "list", "elements": "str", "default": list(p.FORMATS), "choices": list(p.FORMATS)},
    identifier=PROFILE_IDENTITY["identifier"],
    entry_name={"type": "str", "default": ENTRY_NAME},
    organization=PROFILE_IDENTITY["organization"],
    backup_count={"type": "int", "default": 1},
    home_roots={"type": "list", "elements": "str", "default": []},
    lock_timeout={"type": "int", "default": 120},
)
TARGET_MODULE = "aiohub.claude_desktop.apply_plan"
KEEP_REMOTE_FILES_WARNING = (
    "%s: ANSIBLE_KEEP_REMOTE_FILES is set: Ansible turns pipelining off and leaves the module file, whose arguments "
    "hold the API key and every file's content in plain text, in the remote user's ~/.ansible/tmp on the host "
    "(a 0700 directory) until you delete it. Unset it for real rollouts and remove those directories "
    "(docs/security.md).")
POSIX_OSES = ("macos", "linux")


def _b64(data):
    return base64.b64encode(data).decode("ascii")


def _dirs(root, directory, creatable, owner, group):
    """The levels from below ``root`` down to ``directory``; ``creatable`` maps a path to its mode."""
    rel = posixpath.relpath(directory, root)
    out, current = [], root
    for name in ([] if rel == "." else rel.split("/")):
        current = posixpath.join(current, name)
        mode = creatable.get(current)
        out.append({"name": name, "mode": mode if mode is not None else 0o755, "create": mode is not None,
                    "owner": owner, "group": group})
    return out


class Planner:
    """Builds one OS variant of a host's plan; blobs (contents) go to the no_log payload."""

    def __init__(self, params, config, blobs):
        self.params, self.config, self.blobs = params, config, blobs

    def blob(self, data):
        key = "b%d" % len(self.blobs)
        self.blobs[key] = _b64(data)
        return key

    def present(self):
        return self.params["state"] == "present"

    def variant(self, os_name):
        params = self.params
        items = []
        if params["managed"]:
            items.extend(self.managed(os_name))
        users = [p.valid_account(u, os_name, "claude_desktop_users (user_config_users)") for u in params["users"]]
        for user in users:
            for fmt in params["formats"]:
                items.extend(self.user_items(os_name, user, fmt))
        fmt = "plist" if os_name == "macos" else "json"
        return {"state_dir": p.STATE_DIRS[os_name], "items": items, "home_roots": self.home_roots(os_name),
                "shadow": [{"path": path, "format": fmt} for path in p.shadow_sources(os_name, users)]}

    def managed(self, os_name):
        params = self.params
        user = params["managed_user"] or None
        if user and os_name != "macos":
            raise p.PlacementError("managed_settings_user is macOS only: %s has no per-user managed source (spec §1.1)" % os_name)
        src = p.managed_source(os_name, "user" if user else "machine", user, "managed_settings_user")
        directory = posixpath.dirname(src["path"])
        creatable, current = {}, src["root"]
        for name, dummy_owner, dummy_group, mode in src["parents"]:
            current = posixpath.join(current, name)
            creatable[current] = mode
        item = {"id": "managed settings", "slot": "managed", "path": src["path"], "kind": "file",
                "format": "plist" if src["format"] == "plist" else "json", "root": src["root"],
                "dirs": _dirs(src["root"], directory, creatable, src["owner"], src["group"]),
                "owner": src["owner"], "group": src["group"], "mode": src["mode"], "secure_dir": os_name == "linux"}
        if self.present():
            data = r.render_managed_plist(self.config) if src["format"] == "plist" else r.render_linux_json(self.config)
            item["blob"] = self.blob(data)
        items = [item]
        if os_name == "macos" and params["stage_profile"]:
            path = p.confine(params["profile_path"], "/Library", "macos", "managed_settings_macos_profile_path")
            profile = {"id": "staged profile", "slot": "staged profile", "path": path, "kind": "file", "format": "plist", "root": "/Library",
                       "dirs": _dirs("/Library", posixpath.dirname(path), {posixpath.dirname(path): 0o755}, "root", "0"),
                       "owner": "root", "group": "0", "mode": 0o600}
            if self.present():
                profile["blob"] = self.blob(r.render_mobileconfig(
                    self.config, identifier=params["identifier"], organization=params["organization"],
                    scope="User" if user else "System"))
            items.append(profile)
        return items

    def home_roots(self, os_name):
        """user_config_home_roots, else the platform's documented root (placement.DEFAULT_HOME_ROOTS)."""
        roots = self.params.get("home_roots") or [p.DEFAULT_HOME_ROOTS[os_name]]
        return [p.check_home_root(r, os_name) for r in roots]

    def user_items(self, os_name, user, fmt):
        params = self.params
        home = params["homes"].get(user)
        variable = "user_config_homes[%s]" % user if home else "claude_desktop_users (user_config_users)"
        if home:
            p.check_home(home, os_name, variable, roots=self.home_roots(os_name))
        where = p.user_config(os_name, user, home, fmt, variable="claude_desktop_users (user_config_users)",
                              roots=self.home_roots(os_name))
        creatable = dict(where["levels"])
        # the host takes the home from its account database (or checks the override): owned by the user, below
        # the home roots, not a system directory, not another account's home (apply_engine.resolve_home)
        common = {"root": where["home"], "owner": user, "group": "", "mode": p.USER_FILE_MODE, "user": user, "format": "json",
                  "home": {"override": bool(home), "roots": self.home_roots(os_name), "variable": variable}}
        if fmt == "user_json":
            item = dict(common, id="%s user_json" % user, slot="user:%s:user_json" % user, path=where["path"],
                        kind="json_keys", keys=["enterpriseConfig"],
                        keep_mode=True,
                        dirs=_dirs(where["home"], posixpath.dirname(where["path"]), creatable, user, ""))
            if self.present():
                item["blob"] = self.blob(json.dumps({"enterpriseConfig": {k: self.config[k] for k in sorted(self.config)}}).encode("utf-8"))
            return [item]
        directory = where["path"]
        dirs = _dirs(where["home"], directory, creatable, user, "")
        entry_id = r.config_library_entry_id(params["identifier"])
        entry = dict(common, id="%s configLibrary entry" % user, slot="user:%s:config_library_entry" % user,
                     path=posixpath.join(directory, entry_id + ".json"), kind="file", dirs=dirs)
        meta = dict(common, id="%s configLibrary _meta.json" % user, slot="user:%s:config_library_meta" % user,
                    path=posixpath.join(directory, p.CONFIG_LIBRARY_META),
                    kind="config_library_meta", entry={"id": entry_id, "name": params["entry_name"]},
                    keep_mode=True, dirs=dirs)
        if self.present():
            entry["blob"] = self.blob(r.render_config_library_entry(self.config))
        # present: the entry before _meta.json names it applied; absent: _meta.json first
        return [entry, meta] if self.present() else [meta, entry]


class ActionModule(ClaudeDesktopAction):
    """Everything the collection writes on a macOS or Linux host, in one remote execution."""

    ARGUMENT_SPEC = ARGS
    LAYERED_CONFIG = True

    def execute(self, params, result):
        params["os"] = params["os"] or self.resolve_os()  # None: the host decides (apply_engine.decide_os)
        if params["os"] == "windows":
            raise ActionFailure("%s: Windows hosts take the aiohub.claude_desktop.windows_policy role (registry policy) "
                                "and the user_config role's Windows path; apply handles macOS and Linux" % self.host)
        if params["os"]:
            p.check_os(params["os"])
        config, secrets, warnings = {}, [], []
        if params["state"] == "present":
            validated = validate_or_fail(params, self.host)
            config, secrets = validated.config, validated.secrets
            warnings.extend(validated.masked_warnings())
        if not isinstance(params["homes"], dict):
            raise ActionFailure("user_config_homes must be a mapping of user name to home directory")
        blobs = {}
        planner = Planner(params, config, blobs)
        variants, errors = {}, {}
        for os_name in ([params["os"]] if params["os"] else POSIX_OSES):
            try:
                variants[os_name] = planner.variant(os_name)
            except p.PlacementError as exc:
                errors[os_name] = str(exc)
        if params["os"] and errors:
            raise ActionFailure("%s: %s" % (self.host, errors[params["os"]]))
        if not variants:
            raise ActionFailure("%s: %s" % (self.host, "; ".join(sorted(set(errors.values())))))
        if C.DEFAULT_KEEP_REMOTE_FILES:
            warnings.append(KEEP_REMOTE_FILES_WARNING % self.host)
        plan = {
            "os": params["os"] or None,
            "state": params["state"],
            "variants": variants,
            "backup_count": params["backup_count"],
            # the model's marks, passed to the target (it has no model): see _secrets.secret_key_names
            "secret_keys": secret_key_names(),
            "secret_paths": {k: [list(path) for path in v] for k, v in nested_secret_paths().items()},
            "app_behaviour_keys": app_behaviour_keys(),
            "lock_timeout": params["lock_timeout"],
            "run_label": "%s@%s (ansible pid %d)" % (getpass.getuser(), socket.gethostname(), os.getppid()),
        }
        payload = {"blobs": blobs, "secret_values": list(secrets if secrets else secret_values(config))}
        res = self._execute_module(module_name=TARGET_MODULE, module_args={"plan": plan, "payload": payload},
                                   task_vars=self.task_vars)
        if res.get("failed"):
            reason = res.get("msg") or "no reason given"
            if res.get("module_stderr") or res.get("module_stdout"):
                tail = (res.get("module_stderr") or res.get("module_stdout") or "").strip().splitlines()[-1:]
                reason = "%s (%s)" % (reason, tail[0] if tail else "")
            if res.get("os") is None and "cannot decide" in reason and errors:
                reason += "; " + "; ".join(errors.values())
            raise ActionFailure("%s: %s" % (self.host, reason), files=res.get("files", []), changed=res.get("changed", False))
        left = list(res.get("left") or [])
        if left:
            warnings.append("%s: left in place, not provably written by the collection: %s" % (self.host, "; ".join(left)))
        result.update(changed=res.get("changed", False), files=res.get("files", []), os=res.get("os"), left=left,
                      warnings=warnings + list(res.get("warnings", [])))
        if self._task.diff and res.get("diff"):
            result["diff"] = res["diff"]
