# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import base64
import json
import ntpath
import plistlib
import posixpath

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _artifacts as a
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _render as r
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import (
    ActionFailure, CONFIG_ARGS, ClaudeDesktopAction, validate_or_fail)
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import secret_values

ARGS = dict(CONFIG_ARGS, config=dict(CONFIG_ARGS["config"], required=False))
ARGS.update(
    format={"type": "str", "required": True, "choices": ["plist", "linux_json", "mobileconfig", "user_json", "config_library"]},
    path={"type": "str", "required": True},
    state={"type": "str", "default": "present", "choices": ["present", "absent"]},
    owner={"type": "str", "default": "root"},
    group={"type": "str"},
    mode={"type": "str"},
    directory_mode={"type": "str", "default": "0755"},
    create_parents={"type": "int", "default": 1},
    backup={"type": "bool", "default": False},
    identifier={"type": "str", "default": "org.aiohub.claude-desktop"},
    config_name={"type": "str", "default": "Managed by IT"},
    scope={"type": "str", "default": "machine", "choices": ["machine", "user"]},
    organization={"type": "str", "default": ""},
    display_name={"type": "str", "default": "Claude Desktop (third-party inference)"},
    shadowed_by={"type": "list", "elements": "str", "default": []},
    platform={"type": "str", "default": "auto", "choices": ["auto", "posix", "windows"]},
)
# Stock modules per target family. On Windows a directory's ACL is limited to the user and
# SYSTEM (inheritance removed) instead of POSIX owner and mode.
MODULES = {
    "posix": {"stat": "ansible.legacy.stat", "slurp": "ansible.legacy.slurp", "file": "ansible.legacy.file", "copy": "ansible.legacy.copy"},
    "windows": {"stat": "ansible.windows.win_stat", "slurp": "ansible.windows.slurp", "file": "ansible.windows.win_file",
                "copy": "ansible.windows.win_copy"},
}
WINDOWS_SYSTEM = "NT AUTHORITY\\SYSTEM"


class ActionModule(ClaudeDesktopAction):
    """Write (or remove) one configuration file on a macOS, Linux or Windows target with stock modules only."""

    TRANSFERS_FILES = True
    ARGUMENT_SPEC = ARGS

    def execute(self, params, result):
        self.params = params
        platform = params["platform"]
        if platform == "auto":
            platform = "windows" if getattr(self._connection._shell, "SHELL_FAMILY", "") == "powershell" else "posix"
        self.windows = platform == "windows"
        self.mods = MODULES["windows" if self.windows else "posix"]
        self.pathmod = ntpath if self.windows else posixpath
        self.secrets = []
        self.changed = False
        self.diffs = []
        self.files = []
        self.stats = {}
        warnings = []
        if params["state"] == "present":
            validated = validate_or_fail(params, self.host)
            self.secrets = validated.secrets
            warnings.extend(validated.masked_warnings())
            self._present(validated.config)
            for path in params["shadowed_by"]:
                if self._stat(path).get("exists"):
                    warnings.append("%s exists on this host: a managed source owns the device, so the app ignores the "
                                    "local configuration at %s" % (path, params["path"]))
        else:
            self._absent()
        result.update(changed=self.changed, files=self.files, warnings=warnings)
        if self.diffs and self._task.diff:
            result["diff"] = self.diffs

    # ------------------------------------------------------------------ present / absent
    def _present(self, config):
        p = self.params
        fmt, path = p["format"], p["path"]
        if fmt == "config_library":
            directory = path
            self._ensure_dir(directory, levels=p["create_parents"] + 1)
            entry_id = r.config_library_entry_id(p["identifier"])
            meta_path = self.pathmod.join(directory, "_meta.json")
            meta_before = self._read(meta_path)
            meta = self._merge(lambda: r.merge_config_library_meta(meta_before, entry_id=entry_id, name=p["config_name"]), meta_path)
            self._write(self.pathmod.join(directory, entry_id + ".json"), r.render_config_library_entry(config), mode=p["mode"] or "0600")
            self._write(meta_path, meta, mode=p["mode"] or "0600", before=meta_before)
            return
        self._ensure_dir(self.pathmod.dirname(path), levels=p["create_parents"])
        if fmt == "user_json":
            before = self._read(path)
            data = self._merge(lambda: r.merge_user_config(before, config), path)
            self._write(path, data, mode=p["mode"] or "0600", before=before, backup=p["backup"])
            return
        options = {"identifier": p["identifier"], "scope": p["scope"], "organization": p["organization"], "display_name": p["display_name"]}
        files = a.render_set(config, [fmt], options)
        data = next(iter(files.values()))[1]
        self._write(path, data, mode=p["mode"] or "0644", backup=p["backup"])

    def _absent(self):
        p = self.params
        fmt, path = p["format"], p["path"]
        if fmt == "config_library":
            entry_id = r.config_library_entry_id(p["identifier"])
            meta_path = self.pathmod.join(path, "_meta.json")
            before = self._read(meta_path)
            # a malformed _meta.json stops the removal before anything is deleted
            after = self._merge(lambda: r.remove_from_config_library_meta(before, entry_id=entry_id), meta_path) if before is not None else None
            self._remove(self.pathmod.join(path, entry_id + ".json"))
            if before is not None:
                if _is_empty_json(after):
                    self._remove(meta_path, before=before)
                elif after != before:
                    self._write(meta_path, after, mode=p["mode"] or "0600", before=before)
            return
        if fmt == "user_json":
            before = self._read(path)
            if before is None:
                return
            after = self._merge(lambda: r.remove_user_config(before), path)
            if _is_empty_json(after):
                self._remove(path, before=before)
            elif after != before:
                self._write(path, after, mode=p["mode"] or "0600", before=before, backup=p["backup"])
            return
        self._remove(path)

    # ------------------------------------------------------------------ remote helpers
    def _stat(self, path):
        args = {"path": path, "get_checksum": False}
        if not self.windows:
            args["follow"] = False
        return self._run_module(self.mods["stat"], args, "stat %s" % path)["stat"]

    def _read(self, path):
        st = self._stat(path)
        self.stats[path] = st
        if not st.get("exists"):
            return None
        if st.get("islnk") or not st.get("isreg"):
            raise ActionFailure("%s is not a regular file (symlink or special file); refusing to read or replace it" % path)
        return base64.b64decode(self._run_module(self.mods["slurp"], {"src": path}, "read %s" % path)["content"])

    def _merge(self, func, path):
        try:
            return func()
        except r.MalformedConfigFile as exc:
            raise ActionFailure("%s is not valid JSON (%s); it was left untouched. Fix or move the file, then rerun." % (path, exc))

    def _ensure_dir(self, directory, levels):
        """Create missing parents (up to ``levels`` deep) owned by ``owner``; refuse symlinked ones."""
        st = self._stat(directory)
        if st.get("exists"):
            self._check_dir(directory, st)
            if self.windows:
                self._restrict(directory)
                return
            if st.get("pw_name") == self.params["owner"] and st.get("mode") == self.params["directory_mode"]:
                return
            missing = [directory]  # exists with the wrong owner or mode: the file module fixes it
        else:
            missing, current = [directory], self.pathmod.dirname(directory)
            for dummy in range(max(levels, 1) - 1):
                st_parent = self._stat(current)
                if st_parent.get("exists"):
                    self._check_dir(current, st_parent)
                    break
                missing.append(current)
                current = self.pathmod.dirname(current)
        for path in reversed(missing):
            args = {"path": path, "state": "directory"}
            if not self.windows:
                args.update(owner=self.params["owner"], mode=self.params["directory_mode"])
                if self.params["group"]:
                    args["group"] = self.params["group"]
            self._note(path, self._run_module(self.mods["file"], args, "create %s" % path).get("changed"))
        if self.windows:
            self._restrict(directory)

    def _restrict(self, directory):
        """Windows: the directory (and what it holds) is accessible to the user and SYSTEM only."""
        for user in (self.params["owner"], WINDOWS_SYSTEM):
            acl = {"path": directory, "user": user, "rights": "FullControl", "type": "allow", "state": "present",
                   "inherit": "ContainerInherit, ObjectInherit", "propagation": "None"}
            res = self._run_module("ansible.windows.win_acl", acl, "grant %s access to %s" % (user, directory))
            self._note(directory, res.get("changed"), acl=user)
        res = self._run_module("ansible.windows.win_acl_inheritance", {"path": directory, "state": "absent", "reorganize": False},
                               "remove inherited access from %s" % directory)
        self._note(directory, res.get("changed"), acl="inheritance removed")

    def _check_dir(self, path, st):
        if st.get("islnk") or not st.get("isdir"):
            raise ActionFailure("%s is a symlink or not a directory; refusing to write through it" % path)

    def _write(self, path, data, mode, before=None, backup=False):
        if self._task.diff and before is None:
            before = self._read(path)
        st = self.stats.get(path) or {}
        same_meta = self.windows or (st.get("pw_name") == self.params["owner"] and st.get("mode") == mode and (
            not self.params["group"] or self.params["group"] in (st.get("gr_name"), str(st.get("gid")))))
        if before == data and same_meta:
            self._note(path, False)  # content (and owner and mode) already right: no copy round trip
            return
        task = self._task.copy()
        task.args = {"content": data.decode("utf-8"), "dest": path, "backup": backup, "force": True}
        if not self.windows:
            task.args.update(owner=self.params["owner"], mode=mode, follow=False)
            if self.params["group"]:
                task.args["group"] = self.params["group"]
        task.diff = False  # the copy action's own diff would show the secrets; we build a masked one
        copy = self._shared_loader_obj.action_loader.get(
            self.mods["copy"], task=task, connection=self._connection, play_context=self._play_context,
            loader=self._loader, templar=self._templar, shared_loader_obj=self._shared_loader_obj)
        if copy is None:  # a module without an action plugin (the ansible.windows test double)
            res = self._execute_module(module_name=self.mods["copy"], module_args=task.args, task_vars=self.task_vars)
        else:
            res = copy.run(task_vars=self.task_vars)
        if res.get("failed"):
            raise ActionFailure("cannot write %s: %s" % (path, res.get("msg")))
        self._note(path, res.get("changed"), backup=res.get("backup_file"))
        if res.get("changed") and before != data:
            secrets = self._secrets_with(before)
            self.diffs.append({"before_header": path, "after_header": path,
                               "before": a.masked_text(path, before, secrets) if before is not None else "",
                               "after": a.masked_text(path, data, secrets)})

    def _remove(self, path, before=None):
        st = self._stat(path)
        if not st.get("exists"):
            return
        if self._task.diff and before is None and st.get("isreg"):
            before = self._read(path)
        res = self._run_module(self.mods["file"], {"path": path, "state": "absent"}, "remove %s" % path)
        self._note(path, res.get("changed"), state="absent")
        if res.get("changed"):
            self.diffs.append({"before_header": path, "after_header": "(absent)",
                               "before": a.masked_text(path, before, self._secrets_with(before)) if before is not None else "",
                               "after": ""})

    def _secrets_with(self, data):
        """The config's secrets plus those in a file being replaced or removed (which may differ)."""
        return sorted(set(self.secrets) | set(secrets_in_file(data)), key=len, reverse=True)

    def _note(self, path, changed, **extra):
        self.changed = self.changed or bool(changed)
        entry = {"path": path, "changed": bool(changed)}
        entry.update({k: v for k, v in extra.items() if v})
        self.files.append(entry)


def secrets_in_file(data):
    """Secret values held by an existing JSON or plist configuration file (for masking its diff)."""
    if not data:
        return []
    try:
        parsed = json.loads(data.decode("utf-8"))
    except ValueError:
        try:
            parsed = plistlib.loads(data)
        except Exception:
            return []
    if isinstance(parsed, dict) and isinstance(parsed.get("enterpriseConfig"), dict):
        parsed = parsed["enterpriseConfig"]
    if isinstance(parsed, dict) and isinstance(parsed.get("PayloadContent"), list):
        parsed = {k: v for item in parsed["PayloadContent"] if isinstance(item, dict) for k, v in item.items()}
    return secret_values(parsed) if isinstance(parsed, dict) else []


def _is_empty_json(data):
    return data.strip() in (b"{}", b"")
