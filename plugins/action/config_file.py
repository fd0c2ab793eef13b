# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import base64
import ntpath

from ansible_collections.aiohub.claude_desktop.plugins.module_utils.masking import Masker
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _render as r
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import (
    ActionFailure, CONFIG_ARGS, ClaudeDesktopAction, validate_or_fail)
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._model import key_catalog, nested_secret_paths

ARGS = dict(CONFIG_ARGS, config=dict(CONFIG_ARGS["config"], required=False))
ARGS.update(
    format={"type": "str", "required": True, "choices": ["user_json", "config_library"]},
    path={"type": "str", "required": True},
    state={"type": "str", "default": "present", "choices": ["present", "absent"]},
    owner={"type": "str", "required": True},
    create_parents={"type": "int", "default": 1},
    backup={"type": "bool", "default": False},
    identifier={"type": "str", "default": "org.aiohub.claude-desktop"},
    config_name={"type": "str", "default": "Managed by IT"},
    shadowed_by={"type": "list", "elements": "str", "default": []},
)
# Stock ansible.windows modules. A directory's ACL is limited to the user and SYSTEM (inheritance
# removed) instead of POSIX owner and mode. macOS and Linux take aiohub.claude_desktop.apply.
MODULES = {"stat": "ansible.windows.win_stat", "slurp": "ansible.windows.slurp", "file": "ansible.windows.win_file",
           "copy": "ansible.windows.win_copy"}
WINDOWS_SYSTEM = "NT AUTHORITY\\SYSTEM"


class ActionModule(ClaudeDesktopAction):
    """Write (or remove) one user configuration file on a Windows target with stock modules only."""

    TRANSFERS_FILES = True
    ARGUMENT_SPEC = ARGS

    def execute(self, params, result):
        self.params = params
        self.mods = MODULES
        self.pathmod = ntpath
        self.secrets = []
        self.changed = False
        self.diffs = []
        self.files = []
        warnings = []
        if params["state"] == "present":
            validated = validate_or_fail(params, self.host)
            self.secrets = validated.secrets
            warnings.extend(validated.masked_warnings())
            self._present(validated.config)
            warnings.extend(self._shadow())
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
            self._write(self.pathmod.join(directory, entry_id + ".json"), r.render_config_library_entry(config))
            self._write(meta_path, meta, before=meta_before)
            return
        # the file sits in the app's own data folder (Claude-3p, roaming or MSIX LocalCache): that folder
        # keeps its ACL; only the file the collection writes is limited to the user and SYSTEM
        self._ensure_dir(self.pathmod.dirname(path), levels=p["create_parents"], restrict=False)
        before = self._read(path)
        data = self._merge(lambda: r.merge_user_config(before, config), path)
        self._write(path, data, before=before, backup=p["backup"])
        if before is not None or not self._task.check_mode:
            self._restrict(path)

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
                    self._write(meta_path, after, before=before)
            return
        before = self._read(path)
        if before is None:
            return
        after = self._merge(lambda: r.remove_user_config(before), path)
        if _is_empty_json(after):
            self._remove(path, before=before)
        elif after != before:
            self._write(path, after, before=before, backup=p["backup"])

    # ------------------------------------------------------------------ remote helpers
    def _stat(self, path):
        return self._run_module(self.mods["stat"], {"path": path, "get_checksum": False}, "stat %s" % path)["stat"]

    def _read(self, path):
        st = self._stat(path)
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

    def _ensure_dir(self, directory, levels, restrict=True):
        """Create missing parents (up to ``levels`` deep); refuse symlinked ones; restrict the ACL of
        ``directory`` (one the collection writes, configLibrary) unless ``restrict`` is false."""
        st = self._stat(directory)
        missing = []
        if st.get("exists"):
            self._check_dir(directory, st)
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
            self._note(path, self._run_module(self.mods["file"], {"path": path, "state": "directory"}, "create %s" % path).get("changed"))
        if restrict:
            self._restrict(directory)

    def _restrict(self, directory):
        """The directory (and what it holds) or the file is accessible to the user and SYSTEM only.

        win_acl sets no inheritance flags on a file (inherit None) and container/object
        inheritance on a directory when ``inherit`` is not given.
        """
        for user in (self.params["owner"], WINDOWS_SYSTEM):
            acl = {"path": directory, "user": user, "rights": "FullControl", "type": "allow", "state": "present", "propagation": "None"}
            res = self._run_module("ansible.windows.win_acl", acl, "grant %s access to %s" % (user, directory))
            self._note(directory, res.get("changed"), acl=user)
        res = self._run_module("ansible.windows.win_acl_inheritance", {"path": directory, "state": "absent", "reorganize": False},
                               "remove inherited access from %s" % directory)
        self._note(directory, res.get("changed"), acl="inheritance removed")

    def _check_dir(self, path, st):
        if st.get("islnk") or not st.get("isdir"):
            raise ActionFailure("%s is a symlink or not a directory; refusing to write through it" % path)

    def _write(self, path, data, before=None, backup=False):
        if before is None:
            before = self._read(path)
        if before == data:
            self._note(path, False)  # content already right: no copy round trip
            return
        task = self._task.copy()
        task.args = {"content": data.decode("utf-8"), "dest": path, "backup": backup, "force": True}
        task.diff = False  # the copy action's own diff would show the secrets; we build a masked one
        copy = self._shared_loader_obj.action_loader.get(
            self.mods["copy"], task=task, connection=self._connection, play_context=self._play_context,
            loader=self._loader, templar=self._templar, shared_loader_obj=self._shared_loader_obj)
        if copy is None:  # a module without an action plugin (the ansible.windows test double)
            res = self._execute_module(module_name=self.mods["copy"], module_args=task.args, task_vars=self.task_vars)
        else:
            res = copy.run(task_vars=self.task_vars)
        if res.get("failed"):
            raise ActionFailure("%s: cannot write %s: %s" % (self.host, path, res.get("msg") or res.get("module_stderr") or "no reason given"))
        self._note(path, res.get("changed"), backup=res.get("backup_file"))
        if res.get("changed"):
            self.diffs.append({"before_header": path, "after_header": path,
                               "before": self._masked(before), "after": self._masked(data)})

    def _remove(self, path, before=None):
        st = self._stat(path)
        if not st.get("exists"):
            return
        if self._task.diff and before is None and st.get("isreg"):
            before = self._read(path)
        res = self._run_module(self.mods["file"], {"path": path, "state": "absent"}, "remove %s" % path)
        self._note(path, res.get("changed"), state="absent")
        if res.get("changed"):
            self.diffs.append({"before_header": path, "after_header": "(absent)", "before": self._masked(before), "after": ""})

    def _shadow(self):
        """spec §1.3/§1.6: policy values other than the app-behaviour keys make the app ignore local config."""
        app_behaviour = {k for k, meta in key_catalog().items() if meta.get("app_behaviour")}
        out = []
        for key in self.params["shadowed_by"]:
            res = self._execute_module(module_name="ansible.windows.win_reg_stat", module_args={"path": key}, task_vars=self.task_vars)
            if res.get("failed"):
                out.append("cannot read %s (%s): the app may be ignoring the local configuration" % (key, res.get("msg")))
                continue
            owning = sorted(n for n in (res.get("properties") or {}) if n not in app_behaviour)
            if res.get("exists") and owning:
                out.append("%s holds policy values (%s): a managed source owns the device, so the app ignores the local "
                           "configuration at %s (spec §1.6 rule 1)" % (key, ", ".join(owning[:5]), self.params["path"]))
        return out

    def _masked(self, data):
        """Structural masking (model secret fields, MCP args/env/headers, credential-looking values)."""
        catalog = key_catalog()
        masker = Masker(secret_keys=[k for k, meta in catalog.items() if meta["secret"]] + ["inferenceGatewayHeaders"],
                        secret_paths=nested_secret_paths(), secret_values=self.secrets)
        return masker.masked_text(data, "json")

    def _note(self, path, changed, **extra):
        self.changed = self.changed or bool(changed)
        entry = {"path": path, "changed": bool(changed)}
        entry.update({k: v for k, v in extra.items() if v})
        self.files.append(entry)


def _is_empty_json(data):
    return data.strip() in (b"{}", b"")
