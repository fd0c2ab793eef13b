# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import base64
import secrets

from ansible_collections.aiohub.claude_desktop.plugins.module_utils import audit, placement
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _audit, _firewall
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import (
    POWERSHELL, ClaudeDesktopAction, validate_or_fail)
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._argspecs import CONFIG, SCOPE, options
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._registry import REGSTAT, USER_HIVES_SCRIPT, resolve_default_kind
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import secret_key_names

ARGS = options(
    CONFIG, SCOPE,
    os={"type": "str", "default": "auto", "choices": ["auto", "macos", "linux", "windows"]},
    mode={"type": "str", "default": "managed", "choices": ["managed", "user", "both"]},
    managed_user={"type": "str", "default": ""},
    users={"type": "list", "elements": "str", "default": []},
    homes={"type": "dict", "default": {}},
    formats={"type": "list", "elements": "str", "default": ["config_library", "user_json"]},
    profile_path={"type": "str"},
    app_version={"type": "bool", "default": True},
)
# Windows: the installed app from its MSIX package (Get-AppxPackage; family names from spec §8 item 14) or its
# uninstall entry (HKLM, WOW6432Node, every loaded HKU hive), through the stock win_powershell module.
APP_SCRIPT = r"""# aiohub.claude_desktop: installed app
param([string[]]$Names, [string[]]$DisplayNames)
$found = [System.Collections.Generic.List[object]]::new()
try {
    foreach ($p in @(Get-AppxPackage -AllUsers -ErrorAction Stop | Where-Object { $Names -contains $_.Name })) {
        $found.Add(@{ source = 'msix'; name = [string]$p.Name; version = [string]$p.Version; family = [string]$p.PackageFamilyName })
    }
} catch {
    $found.Add(@{ source = 'msix'; error = [string]$_.Exception.Message })
}
$roots = @('HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall', 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall')
foreach ($u in @(Get-ChildItem -Path Registry::HKEY_USERS -ErrorAction SilentlyContinue)) {
    $roots += "Registry::HKEY_USERS\$($u.PSChildName)\Software\Microsoft\Windows\CurrentVersion\Uninstall"
}
foreach ($root in $roots) {
    foreach ($k in @(Get-ChildItem -Path $root -ErrorAction SilentlyContinue)) {
        $v = Get-ItemProperty -Path $k.PSPath -ErrorAction SilentlyContinue
        if ($v -and $v.DisplayName -and ($DisplayNames -contains [string]$v.DisplayName)) {
            $found.Add(@{ source = 'uninstall'; name = [string]$v.DisplayName; version = [string]$v.DisplayVersion; key = [string]$k.Name })
        }
    }
}
$found
"""
# MSIX package names: the families Claude_pzs8sxrjxfjjc and AnthropicPBC.Claude_fnn82j28hfe8t (spec §8 item 14).
MSIX_NAMES = ["Claude", "AnthropicPBC.Claude"]
UNINSTALL_NAMES = ["Claude"]

# No SupportsShouldProcess: in check mode win_powershell skips it (win_powershell.ps1:690-693) and the
# audit then has no process list (restart detection says nothing under --check).
PROCESSES_SCRIPT = ("Get-Process -Name claude -ErrorAction SilentlyContinue | ForEach-Object { @{ pid = $_.Id; name = 'claude.exe'; "
                    "started = [DateTimeOffset]::new($_.StartTime).ToUnixTimeSeconds() } }")


class ActionModule(ClaudeDesktopAction):
    """Read the host's Claude Desktop sources and compare them with the desired config (drift audit)."""

    ARGUMENT_SPEC = ARGS
    LAYERED_CONFIG = True

    def execute(self, params, result):
        validated = validate_or_fail(params, self.host)
        config = validated.config
        salt = secrets.token_hex(16)
        keys = secret_key_names(nested=True)  # a value holding a secret is hashed whole on the target
        os_name = params["os"]
        if os_name == "auto":  # what the host's variables and connection say (placement.resolve_os); else config_read asks the host
            os_name = self.resolve_os()
            os_name = os_name if os_name in ("macos", "linux", "windows") else "auto"
        if os_name == "windows":
            keyset = set(keys)

            def protected(props, field):
                values = audit.protect({n: v.get(field) for n, v in props.items()}, keyset, salt)
                out = {n: {"type": v.get("type"), "value": values[n]} for n, v in props.items()}
                if "" in props:  # the (Default) is no config key: its raw data and type note decide presence (_registry.presence)
                    out[""].update((k, props[""][k]) for k in ("raw_value", "kind_error") if k in props[""])
                return out

            res = self._run_module(REGSTAT, {"path": placement.registry_path("machine")}, "read %s" % placement.registry_path("machine"))
            props = resolve_default_kind(self._powershell, placement.registry_path("machine"), res.get("properties") or {})
            machine = {"exists": bool(res.get("exists")), "sub_keys": res.get("sub_keys") or [],
                       "properties": protected(props, "value")}
            # every user's policy key (or the deployed user's), loaded hive or NTUSER.DAT: the role's own script
            user = params["managed_user"] if params["scope"] == "user" else ""
            out = self._run_module(POWERSHELL, {
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
            app = self._windows_app() if params["app_version"] else None
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
            app = res.get("app") if params["app_version"] else None
        result.update(changed=False, findings=findings, sources=sources, restart=restart,
                      state=_audit.host_state(findings, restart), os=os_name, mode=params["mode"])
        if params["app_version"]:
            # the installed build against claude_desktop_min_app_version (issue 24); the report lists these per team
            result.update(app=app, min_app_version=params["min_app_version"],
                          app_findings=_audit.app_findings(app, params["min_app_version"], self.host or "host"))
        result["firewall_hosts"] = _firewall.firewall_hosts(config)

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

    def _windows_app(self):
        """{installed, version, source, ...} from the MSIX package or the uninstall entry (the newest one found)."""
        res = self._powershell({"script": APP_SCRIPT, "parameters": {"Names": MSIX_NAMES, "DisplayNames": UNINSTALL_NAMES}})
        if res.get("failed"):
            return {"installed": None, "error": str(res.get("msg"))[:200]}
        items = [i for i in res.get("output") or [] if isinstance(i, dict)]
        found = [i for i in items if i.get("version")]
        if found:
            best = max(found, key=lambda i: _audit.version_key(i["version"]) or (0,))
            out = {"installed": True, "version": best["version"], "source": best.get("source")}
            out.update((k, best[k]) for k in ("name", "family", "key") if best.get(k))
            out["path"] = best.get("family") or best.get("key")
            return out
        errors = [i["error"] for i in items if i.get("error")]
        checked = ["MSIX packages %s" % ", ".join(MSIX_NAMES), "uninstall entries named %s" % ", ".join(UNINSTALL_NAMES)]
        out = {"installed": False, "version": None, "checked": checked}
        if errors:
            out["note"] = "Get-AppxPackage failed: %s" % errors[0][:200]
        return out

    def _windows_home(self, user):
        """The user's profile folder from ProfileList by SID (None when the account never logged on here)."""
        out = self._run_module(POWERSHELL, {
            "script": USER_HIVES_SCRIPT, "parameters": {"User": user, "Key": placement.REGISTRY_KEY, "Load": False}, "depth": 5},
            "look up the profile of %s" % user)
        info = next((o for o in out.get("output") or [] if isinstance(o, dict)), {})
        return info.get("profile") if info.get("profile_exists") else None

    def _windows_processes(self):
        res = self._powershell({"script": PROCESSES_SCRIPT})
        if res.get("failed"):
            return []
        return [p for p in res.get("output") or [] if isinstance(p, dict)]
