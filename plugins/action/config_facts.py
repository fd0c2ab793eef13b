# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import base64
import secrets

from ansible_collections.aiohub.claude_desktop.plugins.module_utils import audit, placement
from ansible_collections.aiohub.claude_desktop.plugins.action.registry_policy import USER_HIVES_SCRIPT
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _audit
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import (
    CONFIG_ARGS, ClaudeDesktopAction, validate_or_fail)
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import _key_sets

ARGS = dict(CONFIG_ARGS)
ARGS.update(
    os={"type": "str", "default": "auto", "choices": ["auto", "macos", "linux", "windows"]},
    mode={"type": "str", "default": "managed", "choices": ["managed", "user", "both"]},
    scope={"type": "str", "default": "machine", "choices": ["machine", "user"]},
    managed_user={"type": "str", "default": ""},
    users={"type": "list", "elements": "str", "default": []},
    homes={"type": "dict", "default": {}},
    formats={"type": "list", "elements": "str", "default": ["config_library", "user_json"]},
    profile_path={"type": "str"},
)
REGSTAT = "ansible.windows.win_reg_stat"
# No SupportsShouldProcess: in check mode win_powershell skips it (win_powershell.ps1:690-693) and the
# audit then has no process list (restart detection says nothing under --check).
PROCESSES_SCRIPT = ("Get-Process -Name claude -ErrorAction SilentlyContinue | ForEach-Object { @{ pid = $_.Id; name = 'claude.exe'; "
                    "started = [DateTimeOffset]::new($_.StartTime).ToUnixTimeSeconds() } }")


def secret_key_names():
    """Top-level keys whose value is or holds a secret (model marks), for hashing on the target."""
    secret, dummy, nested = _key_sets()
    return sorted(set(secret) | set(nested) | {"inferenceCustomHeaders", "otlpHeaders", "bootstrapHeaders"})


class ActionModule(ClaudeDesktopAction):
    """Read the host's Claude Desktop sources and compare them with the desired config (drift audit)."""

    ARGUMENT_SPEC = ARGS

    def execute(self, params, result):
        validated = validate_or_fail(params, self.host)
        config = validated.config
        salt = secrets.token_hex(16)
        keys = secret_key_names()
        os_name = params["os"]
        if os_name == "auto" and getattr(self._connection._shell, "SHELL_FAMILY", "") == "powershell":
            os_name = "windows"
        if os_name == "windows":
            keyset = set(keys)

            def protected(props, field):
                values = audit.protect({n: v.get(field) for n, v in props.items()}, keyset, salt)
                return {n: {"type": v.get("type"), "value": values[n]} for n, v in props.items()}

            res = self._run_module(REGSTAT, {"path": placement.registry_path("machine")}, "read %s" % placement.registry_path("machine"))
            machine = {"exists": bool(res.get("exists")), "sub_keys": res.get("sub_keys") or [],
                       "properties": protected(res.get("properties") or {}, "value")}
            # every user's policy key (or the deployed user's), loaded hive or NTUSER.DAT: the role's own script
            user = params["managed_user"] if params["scope"] == "user" else ""
            out = self._run_module("ansible.windows.win_powershell", {
                "script": USER_HIVES_SCRIPT, "parameters": {"User": user, "Key": placement.REGISTRY_KEY}, "depth": 5},
                "read the users' policy keys")
            users = {}
            for info in out.get("output") or []:
                if isinstance(info, dict) and info.get("sid"):
                    users[info["sid"]] = {"exists": bool(info.get("exists")), "sub_keys": info.get("sub_keys") or [],
                                          "error": info.get("error"), "properties": protected(info.get("properties") or {}, "raw_value")}
            target = next(iter(users), None) if user else None
            local = []
            for u in params["users"]:
                home = params["homes"].get(u) or self._windows_home(u)
                if home:
                    local.extend(audit.read_user("windows", u, home, keyset, salt, reader=self._windows_reader))
            findings = _audit.audit_windows(config, machine, users, salt, keys, mode=params["mode"], scope=params["scope"],
                                            target_user=target, local=local, formats=params["formats"])
            sources = [{"kind": "registry", "path": placement.registry_path("machine", style="reg"), "exists": machine["exists"],
                        "keys": len(machine["properties"])}]
            sources += [{"kind": "registry", "scope": "user", "path": "HKU\\%s\\%s" % (sid, placement.REGISTRY_KEY),
                         "exists": u["exists"], "keys": len(u["properties"])} for sid, u in sorted(users.items())]
            sources += [self._summary(e) for e in local]
            processes = self._windows_processes()
            changed_at = max([e.get("mtime") or 0 for e in local if e.get("exists")] or [0]) or None
            restart = _audit.restart_notice(os_name, processes, changed_at)
            restart["unknown"] = ("registry write times are not readable with stock modules: only the local config files' "
                                  "times were compared")
        else:
            res = self._run_module("aiohub.claude_desktop.config_read", {
                "os": os_name, "users": params["users"], "homes": params["homes"], "secret_keys": keys, "salt": salt,
                "profile_path": params["profile_path"]}, "read the configuration sources")
            raw = res["sources"]
            os_name = res.get("os") or os_name
            findings = _audit.audit_posix(config, os_name, raw, salt, keys, mode=params["mode"], scope=params["scope"],
                                          managed_user=params["managed_user"] or None, formats=params["formats"])
            changed_at = max([s.get("mtime") or 0 for s in raw if s.get("exists") and s.get("kind") != "profile"] or [0]) or None
            restart = _audit.restart_notice(os_name, res.get("processes"), changed_at)
            sources = [self._summary(s) for s in raw]
        result.update(changed=False, findings=findings, sources=sources, restart=restart,
                      state=_audit.host_state(findings, restart), os=os_name, mode=params["mode"])

    @staticmethod
    def _summary(entry):
        """A source without its values: path, kind, existence, owner, mode, key count."""
        keep = ("kind", "scope", "user", "path", "exists", "symlink", "owner", "mode", "mtime", "error", "applied_id", "record")
        out = {k: entry[k] for k in keep if k in entry}
        if "values" in entry:
            out["keys"] = len(entry["values"] or {})
        return out

    def _windows_reader(self, path, want_data=True):
        st = self._run_module("ansible.windows.win_stat", {"path": path, "get_checksum": False}, "stat %s" % path)["stat"]
        info = {"path": path, "exists": bool(st.get("exists"))}
        if info["exists"]:
            info.update(directory=bool(st.get("isdir")), regular=not st.get("isdir"), symlink=bool(st.get("islnk")),
                        mtime=st.get("lastwritetime"), owner=st.get("owner"))
        if not want_data or not info["exists"] or info["directory"]:
            return info, None
        res = self._execute_module(module_name="ansible.windows.slurp", module_args={"src": path}, task_vars=self.task_vars)
        if res.get("failed"):
            return info, "cannot read: %s" % res.get("msg")
        return info, base64.b64decode(res["content"])

    def _windows_home(self, user):
        """The user's profile folder from ProfileList by SID (None when the account never logged on here)."""
        out = self._run_module("ansible.windows.win_powershell", {
            "script": USER_HIVES_SCRIPT, "parameters": {"User": user, "Key": placement.REGISTRY_KEY, "Load": False}, "depth": 5},
            "look up the profile of %s" % user)
        info = next((o for o in out.get("output") or [] if isinstance(o, dict)), {})
        return info.get("profile") if info.get("profile_exists") else None

    def _windows_processes(self):
        res = self._execute_module(module_name="ansible.windows.win_powershell", module_args={"script": PROCESSES_SCRIPT},
                                   task_vars=self.task_vars)
        if res.get("failed"):
            return []
        return [p for p in res.get("output") or [] if isinstance(p, dict)]
