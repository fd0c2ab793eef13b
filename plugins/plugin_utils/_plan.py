# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The apply action's plan for one host: paths from the placement table, contents in the no_log payload.

PRIVATE: ONLY FOR ACTION PLUGINS. ``build`` returns what ``action/apply.py`` sends to the target module
``apply_plan`` (``module_utils/apply_engine.py`` carries it out).
"""

from __future__ import annotations

import base64
import getpass
import json
import os
import posixpath
import socket

from ansible_collections.aiohub.claude_desktop.plugins.module_utils import placement as p
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _render as r
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._catalog import nested_secret_paths
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import app_behaviour_keys, secret_key_names, secret_values

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


def build(params, config, secrets):
    """The plan, its no_log payload and the placement error of each OS variant that could not be planned.

    ``params["os"]`` None plans both POSIX variants (the host decides, apply_engine.decide_os); a named OS
    whose variant fails raises PlacementError; no variant at all raises PlacementError naming every reason.
    """
    blobs = {}
    planner = Planner(params, config, blobs)
    variants, errors = {}, {}
    for os_name in ([params["os"]] if params["os"] else POSIX_OSES):
        try:
            variants[os_name] = planner.variant(os_name)
        except p.PlacementError as exc:
            errors[os_name] = str(exc)
    if params["os"] and errors:
        raise p.PlacementError(errors[params["os"]])
    if not variants:
        raise p.PlacementError("; ".join(sorted(set(errors.values()))))
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
    return plan, payload, errors
