# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import base64
import ntpath

from ansible_collections.aiohub.claude_desktop.plugins.module_utils import placement
from ansible_collections.aiohub.claude_desktop.plugins.module_utils.masking import Masker
from ansible_collections.aiohub.claude_desktop.plugins.module_utils.placement import REGISTRY_KEY
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _render as r
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import (
    POWERSHELL, ActionFailure, ClaudeDesktopAction, failure_text, validate_or_fail)
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._argspecs import CONFIG, ENTRY_NAME, PROFILE_IDENTITY, STATE, options
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._catalog import nested_secret_paths
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._registry import (
    USER_HIVES_SCRIPT, presence, resolve_default_kind)
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import app_behaviour_keys, secret_key_names

ARGS = options(
    CONFIG, STATE, config={"required": False},
    format={"type": "str", "required": True, "choices": ["user_json", "config_library"]},
    path={"type": "str"},
    home={"type": "str"},
    owner={"type": "str", "required": True},
    create_parents={"type": "int", "default": 1},
    backup={"type": "bool", "default": False},
    identifier=PROFILE_IDENTITY["identifier"],
    config_name={"type": "str", "default": ENTRY_NAME},
    shadowed_by={"type": "list", "elements": "str", "default": []},
)
# Stock ansible.windows modules. What the collection writes (its configLibrary entry folder, the
# claude_desktop_config.json it merges into, its backup) is limited to the user, SYSTEM and the local
# Administrators group (inheritance removed, after the content is there) instead of POSIX owner and
# mode: the deploying account is an administrator, never SYSTEM, and must read it again on the next run.
# macOS and Linux take aiohub.claude_desktop.apply.
MODULES = {"stat": "ansible.windows.win_stat", "slurp": "ansible.windows.slurp", "file": "ansible.windows.win_file",
           "copy": "ansible.windows.win_copy"}
WINDOWS_SYSTEM = "S-1-5-18"            # NT AUTHORITY\SYSTEM
WINDOWS_ADMINISTRATORS = "S-1-5-32-544"  # BUILTIN\Administrators (the deploying account's group)
BACKUP_SUFFIX = ".aiohub.bak"          # one backup per file, replaced on each change, removed by state=absent


class ActionModule(ClaudeDesktopAction):
    """Write (or remove) one user configuration file on a Windows target with stock modules only."""

    TRANSFERS_FILES = True
    ARGUMENT_SPEC = ARGS
    LAYERED_CONFIG = True

    def execute(self, params, result):
        self.params = params
        self.mods = MODULES
        self.pathmod = ntpath
        self.secrets = []
        self.changed = False
        self.diffs = []
        self.files = []
        warnings = []
        config = None
        if params["state"] == "present":
            validated = validate_or_fail(params, self.host)
            self.secrets = validated.secrets
            warnings.extend(validated.masked_warnings())
            config = validated.config
        self.profile = self._profile(params["owner"])
        targets = self._targets(warnings)
        for fmt, path, home in targets:
            self.params = dict(params, format=fmt, path=path)
            self.home = home
            if params["state"] == "present":
                self._present(config)
            else:
                self._absent()
        if params["state"] == "present" and targets:
            warnings.extend(self._shadow())
        result.update(changed=self.changed, files=self.files, warnings=warnings, sid=self.profile.get("sid"),
                      home=targets[0][2] if targets else None)
        if self.diffs and self._task.diff:
            result["diff"] = self.diffs

    # ------------------------------------------------------------------ present / absent
    def _present(self, config):
        p = self.params
        fmt, path = p["format"], p["path"]
        if fmt == "config_library":
            directory = path
            created = self._ensure_dir(directory, levels=p["create_parents"] + 1)
            entry_id = r.config_library_entry_id(p["identifier"])
            meta_path = self.pathmod.join(directory, "_meta.json")
            meta_before = self._read(meta_path) if not created else None
            meta = self._merge(lambda: r.merge_config_library_meta(meta_before, entry_id=entry_id, name=p["config_name"]), meta_path)
            entry_path = self.pathmod.join(directory, entry_id + ".json")
            self._write(entry_path, r.render_config_library_entry(config), before=b"" if created else None)
            self._write(meta_path, meta, before=meta_before if not created else b"")
            # the folder's ACL is set once its content exists (it flows to the files inside); in check
            # mode a folder that does not exist yet is not there to be restricted (win_acl.ps1:133)
            if not (created and self._task.check_mode):
                self._restrict(directory)
            return
        # the file sits in the app's own data folder (Claude-3p, roaming or MSIX LocalCache): that folder
        # keeps its ACL; only the file the collection writes is restricted
        created = self._ensure_dir(self.pathmod.dirname(path), levels=p["create_parents"])
        before = self._read(path) if not created else None
        data = self._merge(lambda: r.merge_user_config(before, config), path)
        self._write(path, data, before=before if not created else b"", backup=p["backup"])
        if before is not None or not self._task.check_mode:
            self._restrict(path)

    def _absent(self):
        p = self.params
        fmt, path = p["format"], p["path"]
        if fmt == "config_library":
            self._check_levels(path)
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
        self._check_levels(self.pathmod.dirname(path))
        before = self._read(path)
        if before is None:
            self._remove(path + BACKUP_SUFFIX)
            return
        after = self._merge(lambda: r.remove_user_config(before), path)
        if _is_empty_json(after):
            self._remove(path, before=before)
        elif after != before:
            self._write(path, after, before=before)
        self._remove(path + BACKUP_SUFFIX)  # it holds the credential the removal took out

    # ------------------------------------------------------------------ whose home, which files
    def _profile(self, account):
        """The account's SID and profile folder from ProfileList (and its policy key when logged on), read by the
        same script as the policy side; no hive is loaded (Load=$false)."""
        parameters = {"User": account, "Key": REGISTRY_KEY, "Load": False}
        res = self._run_module(POWERSHELL, {"script": USER_HIVES_SCRIPT, "parameters": parameters, "depth": 5},
                               "look up the profile of %s" % account)
        found = [o for o in res.get("output") or [] if isinstance(o, dict)]
        info = found[0] if found else {}
        if info.get("error") or not info.get("sid"):
            raise ActionFailure("%s: %s" % (account, info.get("error") or "no such account"))
        return info

    def _targets(self, warnings):
        """[(format, path, home)]: every copy of the format the app may read, under the user's real home.

        The home is ProfileList's folder for the account's SID (user_config_homes overrides it); a user
        who never logged on has none, and a home is never created: that user is skipped with a warning.
        """
        p, info = self.params, self.profile
        account = p["owner"]
        if p.get("path"):
            return [(p["format"], p["path"], p.get("home"))]
        home = p.get("home")
        if home:
            home = placement.check_home(home, "windows", "user_config_homes")
        elif not info.get("profile"):
            warnings.append("%s (%s) has no profile on this host: the account never logged on here, so it has no home to write "
                            "into; nothing was created (Windows creates the profile at the first logon; run again after it)"
                            % (account, info["sid"]))
            return []
        elif not info.get("profile_exists"):
            warnings.append("%s (%s): ProfileList names %s as the profile folder, which does not exist (or is on a drive that is "
                            "gone); nothing was created" % (account, info["sid"], info["profile"]))
            return []
        else:
            home = info["profile"]
        out = []
        for variant in placement.WINDOWS_VARIANTS[p["format"]]:
            where = placement.user_config("windows", "user", home=home, fmt=p["format"], variant=variant, variable="user")
            if variant != "base":
                st = self._stat(where["base"])
                if not st.get("exists"):
                    continue  # that app generation or package never ran for this user
                self._check_dir(where["base"], st)
            out.append((p["format"], where["path"], home))
        return out

    # ------------------------------------------------------------------ remote helpers
    def _stat(self, path):
        return self._run_module(self.mods["stat"], {"path": path, "get_checksum": False}, "stat %s" % path)["stat"]

    def _read(self, path):
        st = self._stat(path)
        if not st.get("exists"):
            return None
        if _reparse(st) or not st.get("isreg"):
            raise ActionFailure("%s is not a regular file (symlink, junction or special file); refusing to read or replace it" % path)
        return base64.b64decode(self._run_module(self.mods["slurp"], {"src": path}, "read %s" % path)["content"])

    def _merge(self, func, path):
        try:
            return func()
        except r.MalformedConfigFile as exc:
            raise ActionFailure("%s is not valid JSON (%s); it was left untouched. Fix or move the file, then rerun." % (path, exc))

    def _check_levels(self, directory):
        """Every folder from the home down to ``directory`` that exists is a real directory (no junction, no
        symlink): a standard user can plant one in their own profile and point it at any folder."""
        home = self.home
        if not home:
            return
        rel = directory[len(home):].strip("\\").split("\\") if directory.lower().startswith(home.lower()) else []
        current = home
        for name in [n for n in rel if n]:
            current = self.pathmod.join(current, name)
            st = self._stat(current)
            if not st.get("exists"):
                return
            self._check_dir(current, st)

    def _ensure_dir(self, directory, levels):
        """Create the missing app levels (Claude-3p, configLibrary; at most ``levels``) of ``directory``, never
        the folder above them (win_file's New-Item would create every missing parent, a home included,
        win_file.ps1:238). Returns True when ``directory`` did not exist."""
        self._check_levels(directory)
        st = self._stat(directory)
        if st.get("exists"):
            self._check_dir(directory, st)
            return False
        missing, current = [directory], self.pathmod.dirname(directory)
        while True:
            st_parent = self._stat(current)
            if st_parent.get("exists"):
                self._check_dir(current, st_parent)
                break
            if len(missing) >= max(levels, 1):
                raise ActionFailure("%s does not exist (or the deploying account cannot see it): the collection creates only the "
                                    "app's own folders below an existing profile, never a home or AppData" % current)
            missing.append(current)
            current = self.pathmod.dirname(current)
        for path in reversed(missing):
            self._note(path, self._run_module(self.mods["file"], {"path": path, "state": "directory"}, "create %s" % path).get("changed"))
        return True

    def _restrict(self, path):
        """The path (a directory and what it holds, or a file) is accessible to the user, SYSTEM and the local
        Administrators only; inherited ACEs are removed once the explicit ones are in place.

        win_acl sets no inheritance flags on a file and ContainerInherit|ObjectInherit on a directory
        (win_acl.ps1:142-147); win_acl_inheritance reorganize=false drops every inherited ACE
        (win_acl_inheritance.ps1:171), which is why Administrators gets an explicit one: the deploying
        account reads the file again on the next run, in --check and for removal.
        """
        sid = self.profile.get("sid") or self.params["owner"]
        for user in (sid, WINDOWS_SYSTEM, WINDOWS_ADMINISTRATORS):
            acl = {"path": path, "user": user, "rights": "FullControl", "type": "allow", "state": "present", "propagation": "None"}
            res = self._run_module("ansible.windows.win_acl", acl, "grant %s access to %s" % (user, path))
            self._note(path, res.get("changed"), acl=user)
        res = self._run_module("ansible.windows.win_acl_inheritance", {"path": path, "state": "absent", "reorganize": False},
                               "remove inherited access from %s" % path)
        self._note(path, res.get("changed"), acl="inheritance removed")

    def _check_dir(self, path, st):
        if _reparse(st) or not st.get("isdir"):
            raise ActionFailure("%s is a symlink, a junction or not a directory; refusing to write through it" % path)

    def _write(self, path, data, before=None, backup=False):
        if before is None:
            before = self._read(path)
        if before == data:
            self._note(path, False)  # content already right: no copy round trip
            return
        if backup and before:
            # one backup, restricted like the file (it holds the previous credential), replaced on each change
            self._copy(path + BACKUP_SUFFIX, before)
            if not self._task.check_mode:
                self._restrict(path + BACKUP_SUFFIX)
        res = self._copy(path, data)
        if res.get("changed"):
            # as on macOS and Linux (apply_engine.add_diff): a rotated secret shows as "******** (changed)"
            masked_before, masked_after = self._masker().masked_pair(before or None, data, "json")
            self.diffs.append({"before_header": path, "after_header": path, "before": masked_before, "after": masked_after})

    def _copy(self, path, data):
        """win_copy through its action plugin: query, then one in-place Copy-Item (win_copy.ps1:459, not atomic)."""
        task = self._task.copy()
        task.args = {"content": data.decode("utf-8"), "dest": path, "force": True}
        task.diff = False  # the copy action's own diff would show the secrets; we build a masked one
        copy = self._shared_loader_obj.action_loader.get(
            self.mods["copy"], task=task, connection=self._connection, play_context=self._play_context,
            loader=self._loader, templar=self._templar, shared_loader_obj=self._shared_loader_obj)
        res = copy.run(task_vars=self.task_vars)
        if res.get("failed"):
            raise ActionFailure("%s: cannot write %s: %s" % (self.host, path, failure_text(res)))
        self._note(path, res.get("changed"))
        return res

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
        """spec §1.3/§1.6: policy values other than the app-behaviour keys make the app ignore local config:
        HKLM, and the user's own HKU\\<SID> policy key (read with the profile when the user is logged on;
        HKCU: would be the deploying account's hive, win_reg_stat.ps1:84). Only what the app counts as
        present (REG_SZ, REG_EXPAND_SZ, REG_DWORD, a set (Default) of those types) is counted."""
        app_behaviour = set(app_behaviour_keys())
        sources = []
        for key in self.params["shadowed_by"]:
            res = self._execute_module(module_name="ansible.windows.win_reg_stat", module_args={"path": key}, task_vars=self.task_vars)
            if res.get("failed"):
                sources.append((key, None, failure_text(res)))
            elif res.get("exists"):
                sources.append((key, resolve_default_kind(self._powershell, key, res.get("properties") or {}), None))
        info = self.profile
        if info.get("exists"):
            sources.append(("HKU\\%s\\%s" % (info["sid"], REGISTRY_KEY), info.get("properties") or {}, None))
        out = []
        for key, props, error in sources:
            if error:
                out.append("cannot read %s (%s): the app may be ignoring the local configuration" % (key, error))
                continue
            owning = sorted(d.split(" (")[0] for d in presence(props) if d.split(" (")[0] not in app_behaviour)
            if owning:
                out.append("%s holds policy values (%s): a managed source owns the device, so the app ignores the local "
                           "configuration at %s (spec §1.6 rule 1)" % (key, ", ".join(owning[:5]), self.params["path"]))
        return out

    def _masker(self):
        """Structural masking (model secret fields, MCP args/env/headers, credential-looking values)."""
        return Masker(secret_keys=secret_key_names(), secret_paths=nested_secret_paths(), secret_values=self.secrets)

    def _masked(self, data):
        return self._masker().masked_text(data, "json")

    def _note(self, path, changed, **extra):
        self.changed = self.changed or bool(changed)
        entry = {"path": path, "changed": bool(changed)}
        entry.update({k: v for k, v in extra.items() if v})
        self.files.append(entry)


def _reparse(st):
    """win_stat: a symbolic link is islnk, a junction isjunction with islnk false (win_stat.ps1:188-200)."""
    return bool(st.get("islnk") or st.get("isjunction"))


def _is_empty_json(data):
    return data.strip() in (b"{}", b"")
