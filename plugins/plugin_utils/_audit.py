# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compare what a machine holds with the desired config. PRIVATE: ONLY FOR ACTION PLUGINS.

Input: the sources read on the host (module_utils/audit.py on macOS/Linux, win_reg_stat on Windows),
secret values already replaced by digests. Output: findings, each with a class, a severity, the
source, the key (when there is one), a message and a fix; never a secret value. Spec sections cited
per rule.
"""

from __future__ import annotations

from ansible_collections.aiohub.claude_desktop.plugins.module_utils import audit, placement
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._catalog import key_catalog
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._registry import presence
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import decode_managed_value, encode_managed_value
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import app_behaviour_keys

RESTART = {
    "macos": "Quit Claude completely (Claude menu > Quit Claude, or Cmd+Q; closing the window is not enough) and open it again.",
    "windows": "Quit Claude from the tray icon (right-click > Quit) or end every claude.exe process (`taskkill /IM claude.exe /F`, "
               "tray and child processes included), then start Claude again.",
    "linux": "Quit Claude Desktop (File > Quit; closing the window may leave it running) and start it again.",
}
# spec §1.3: value types the app reads (what makes a key "present" is _registry.presence, shared with the deploy side).
READ_TYPES = ("REG_SZ", "REG_DWORD")
INVISIBLE_TYPES = ("REG_MULTI_SZ", "REG_QWORD", "REG_BINARY", "REG_NONE")
SHORT = 60


def _show(value):
    text = encode_managed_value(value) if isinstance(value, (bool, int, float, list, dict, str)) else repr(value)
    return text if len(text) <= SHORT else text[:SHORT - 3] + "..."


class Auditor(object):
    def __init__(self, config, salt, secret_keys):
        self.config = config
        self.salt = salt
        self.secret_keys = set(secret_keys)
        self.catalog = key_catalog()
        self.findings = []

    def add(self, cls, severity, source, message, fix, key=None):
        entry = {"class": cls, "severity": severity, "source": source, "message": message, "fix": fix}
        if key:
            entry["key"] = key
        self.findings.append(entry)

    # ------------------------------------------------------------------ values
    def _decode(self, key, value, managed):
        """The native value the app would read, or raise ValueError."""
        kind = self.catalog.get(key, {}).get("kind", "string")
        if isinstance(value, str) and (managed or kind != "string"):
            return decode_managed_value(value, kind)
        if kind == "boolean" and isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
            return bool(value)  # REG_DWORD 0/1 (spec §1.3)
        return value

    def compare(self, source, values, managed, foreign=True, keys=None):
        """Per key: missing, different (secrets by digest), undecodable; then keys we did not set."""
        keys = sorted(self.config) if keys is None else keys
        for key in keys:
            want = self.config[key]
            if key not in values:
                self.add("missing_key", "error", source, "%s is not set here" % key,
                         "Run playbooks/deploy.yml for this host (or restore the key).", key)
                continue
            have = values[key]
            if isinstance(have, dict) and "__digest__" in have:
                if have["__digest__"] != audit.digest(want, self.salt):
                    self.add("value_drift", "error", source, "%s differs from the desired value (secret: compared by hash, not shown)" % key,
                             "Redeploy; if someone rotated the key by hand, put the new one in the vault first.", key)
                continue
            try:
                native = self._decode(key, have, managed)
            except (ValueError, TypeError):
                self.add("unreadable_value", "error", source, "%s holds %r, which the app cannot read as a %s"
                         % (key, _show(have), self.catalog.get(key, {}).get("kind")),
                         "Write booleans as \"true\"/\"false\", integers as decimal strings, arrays/objects as one JSON "
                         "string (spec §2.1); redeploy.", key)
                continue
            if audit.canonical(native) != audit.canonical(want):
                self.add("value_drift", "error", source, "%s is %s here; desired %s" % (key, _show(native), _show(want)),
                         "Redeploy with playbooks/deploy.yml, or change the inventory if the new value is meant.", key)
        if foreign:
            for key in sorted(set(values) - set(self.config)):
                shown = "(secret)" if isinstance(values[key], dict) and "__digest__" in values[key] else _show(values[key])
                known = key in self.catalog
                self.add("foreign_key", "warning" if known else "error", source,
                         "%s = %s is set here but not in the desired config%s" % (key, shown, "" if known else " (not a key the app knows)"),
                         "Remove it from the source or add it to the inventory; playbooks/deploy.yml writes only the desired keys.", key)

    # ------------------------------------------------------------------ sources
    def linux_managed(self, entry):
        src = entry["path"]
        refused = []
        if entry.get("symlink"):
            refused.append("the file is a symlink")
        elif entry["exists"] and not entry.get("regular"):
            refused.append("the file is not a regular file")
        if entry["exists"] and entry.get("uid") != 0:
            refused.append("the file is owned by %s, not root" % entry.get("owner"))
        if entry["exists"] and int(entry.get("mode", "0"), 8) & placement.MANAGED_FORBIDDEN_MODE_BITS:
            refused.append("the file is group/world-writable (mode %s)" % entry["mode"])
        d = entry.get("dir") or {}
        if d.get("exists"):
            if d.get("symlink"):
                refused.append("%s is a symlink" % d["path"])
            if d.get("uid") != 0:
                refused.append("%s is owned by %s, not root" % (d["path"], d.get("owner")))
            if int(d.get("mode", "0"), 8) & placement.MANAGED_FORBIDDEN_MODE_BITS:
                refused.append("%s is group/world-writable (mode %s)" % (d["path"], d["mode"]))
        if refused:
            self.add("refused_file", "error", src, "the app refuses this file: " + "; ".join(refused) +
                     ". It then treats the device as managed but unreadable: none of its settings apply and local settings "
                     "are disabled too (spec §1.4)",
                     "Make it a regular file owned by root, mode 0644, in a root-owned 0755 /etc/claude-desktop (no symlinks); "
                     "playbooks/deploy.yml does this.")
        elif entry["exists"] and int(entry.get("mode", "0"), 8) != placement.MANAGED["linux"]["machine"]["mode"]:
            self.add("mode_drift", "warning", src, "mode %s, the collection writes %04o" % (entry["mode"], placement.MANAGED["linux"]["machine"]["mode"]),
                     "Redeploy to restore the mode.")

    def managed(self, entry, deployed=True):
        """A managed file the config was (or was not) deployed to."""
        src = entry["path"]
        if not entry["exists"]:
            if deployed:
                self.add("missing_source", "error", src, "the managed source is missing",
                         "Run playbooks/deploy.yml for this host (on macOS an MDM refresh deletes plists written directly, spec §1.2).")
            return None
        if entry.get("error"):
            self.add("unreadable_source", "error", src, "the file %s" % entry["error"], "Redeploy; the app cannot read it either.")
            return None
        values = entry.get("values") or {}
        record = entry.get("record")
        if record and not record.get("matches"):
            self.add("changed_since_deploy", "warning", src,
                     "the file is not what the collection last wrote (%s); the findings below say which keys" % record.get("updated"),
                     "Redeploy, and find what changed it (an MDM refresh, another tool, a person).")
        for key, kind in sorted((entry.get("native_types") or {}).items()):
            self.add("native_type", "warning", src, "%s is a native plist %s, not a string" % (key, kind),
                     "Builds before ~1.3x drop native arrays/dicts; emit strings everywhere (spec §2.1).", key)
        return values

    def owns_device(self, values):
        """spec §1.6 rule 1/2: any recognised key other than the app-behaviour ones takes the device over."""
        return any(k in self.catalog and k not in app_behaviour_keys() for k in values or {})

    def user_sources(self, sources, formats, deployed, managed_owner):
        for entry in sources:
            if entry.get("kind") not in ("user_json", "config_library"):
                continue
            src = entry.get("applied_path") or entry["path"]
            fmt = entry["kind"]
            values = entry.get("values")
            if deployed and fmt in formats:
                if not entry["exists"]:
                    self.add("missing_source", "error", entry["path"], "%s's local config (%s) is missing" % (entry["user"], fmt),
                             "Run playbooks/deploy.yml with claude_desktop_mode user or both.")
                    continue
                if entry.get("error"):
                    self.add("unreadable_source", "error", src, "%s's local config %s" % (entry["user"], entry["error"]),
                             "Fix or remove the file; the app cannot read it.")
                    continue
                if values is None:
                    self.add("missing_source", "error", src, "%s's local config holds no enterpriseConfig" % entry["user"],
                             "Redeploy the local user config.")
                    continue
                # the user's own keys in a local config are theirs: only the desired keys are compared
                self.compare(src, values, managed=False, foreign=False)
            if managed_owner and values and not (deployed and managed_owner.get("ours")):
                # (mode both: the local copy under our own managed source is by design)
                self.add("shadowed_local", "error" if deployed else "warning", src,
                         "%s's local config is ignored: %s is a managed source that owns the device (spec §1.5, §1.6)"
                         % (entry["user"], managed_owner["path"]),
                         "Deliver the settings through the managed source only, or remove the managed keys if the local "
                         "config is meant to apply.")


def audit_posix(config, os_name, sources, salt, secret_keys, mode="managed", scope="machine", managed_user=None,
                formats=("config_library", "user_json")):
    a = Auditor(config, salt, secret_keys)
    managed_mode = mode in ("managed", "both")
    user_mode = mode in ("user", "both")
    by_kind = {}
    for entry in sources:
        by_kind.setdefault(entry.get("kind"), []).append(entry)
    machine = next(e for e in by_kind.get("managed", []) if e.get("scope") == "machine")
    per_user = [e for e in by_kind.get("managed", []) if e.get("scope") == "user"]
    owner = None
    if os_name == "linux":
        if machine["exists"] or managed_mode:
            a.linux_managed(machine)
        values = a.managed(machine, deployed=managed_mode)
        if values is not None:
            if managed_mode:
                a.compare(machine["path"], values, managed=False)
            if a.owns_device(values):
                owner = {"path": machine["path"], "ours": managed_mode}
    else:
        target = machine
        if scope == "user" and managed_user:
            target = next((e for e in per_user if e.get("user") == managed_user), None) or {"path": "", "exists": False}
        values = a.managed(target, deployed=managed_mode) if (target["exists"] or managed_mode) else None
        if values is not None and managed_mode:
            a.compare(target["path"], values, managed=True)
        machine_values = (values if target is machine else a.managed(machine, deployed=False)) or {}
        if a.owns_device(machine_values):
            owner = {"path": machine["path"], "ours": managed_mode and target is machine}
        if target is not machine and managed_mode:
            for key in sorted(set(machine_values) - set(config)):
                a.add("foreign_key", "warning", machine["path"], "%s is set in the machine plist and applies to %s too" % (key, managed_user),
                      "Remove it or add it to the inventory.", key)
        for entry in per_user:
            if entry is target or not entry["exists"]:
                continue
            uvalues = a.managed(entry, deployed=False) or {}
            # spec §1.6 rule 3: the per-user plist wins key by key over the machine plist
            for key in sorted(set(uvalues) & set(config)):
                sub = Auditor(config, salt, secret_keys)
                sub.compare(entry["path"], {key: uvalues[key]}, managed=True, foreign=False, keys=[key])
                for f in sub.findings:
                    f.update({"class": "per_user_override", "message": "%s's per-user plist overrides it: %s" % (entry["user"], f["message"]),
                              "fix": "Per-user plists win key by key (spec §1.6): remove %s there or align it." % key})
                    a.findings.append(f)
            if managed_mode:
                for key in sorted(set(uvalues) - set(config)):
                    a.add("foreign_key", "warning", entry["path"], "%s is set for %s only" % (key, entry["user"]),
                          "Remove it or add it to the inventory.", key)
    a.user_sources(sources, formats, user_mode, owner)
    return a.findings


def audit_windows(config, machine, users, salt, secret_keys, mode="managed", scope="machine", target_user=None, local=(),
                  formats=("config_library", "user_json")):
    """machine: the HKLM key ({exists, properties: {name: {type, value}}, sub_keys}); users: {sid: the same for
    HKU\\<sid>, plus loaded/error}. Values are already protected (secrets as digests)."""
    a = Auditor(config, salt, secret_keys)
    hives = [("HKLM", placement.registry_path("machine", style="reg"), machine or {})]
    hives += [(sid, "HKU\\%s\\%s" % (sid, placement.REGISTRY_KEY), users[sid] or {}) for sid in sorted(users or {})]
    reads, present = {}, {}
    for hive, path, res in hives:
        props = res.get("properties") or {}
        present[hive] = bool(presence(props))  # the one rule of what makes a policy key present (spec §1.3)
        reads[hive] = {}
        for name, v in sorted(props.items()):
            kind = v.get("type")
            label = name or "(Default)"
            if kind == "REG_EXPAND_SZ":
                a.add("expand_sz", "error" if hive == "HKLM" else "warning", path,
                      "%s is a REG_EXPAND_SZ value: counted as policy present but its contents are not read%s"
                      % (label, "; it alone makes the app ignore every user's policy" if hive == "HKLM" else ""),
                      "Delete it, or rewrite it as REG_SZ (spec §1.3).", name or None)
            elif kind in INVISIBLE_TYPES:
                a.add("invisible_type", "error" if name in config else "warning", path,
                      "%s is %s, a type the app never reads" % (label, kind), "Rewrite it as REG_SZ (spec §1.3).", name or None)
            elif kind == "REG_DWORD" and name and a.catalog.get(name, {}).get("kind") not in ("boolean", "integer"):
                a.add("invisible_type", "error", path, "%s is a REG_DWORD but the key is not a boolean or integer" % name,
                      "Write it as REG_SZ.", name)
            elif kind in READ_TYPES and name:
                reads[hive][name] = v.get("value")
        for sub in res.get("sub_keys") or []:
            a.add("sub_key", "warning", path, "sub-key %s: values in sub-keys are never read (spec §1.3)" % sub,
                  "Move the values directly under %s and delete the sub-key." % path)
        if res.get("error"):
            a.add("unreadable_source", "warning", path, "the user's hive could not be read: %s" % res["error"],
                  "Check the profile's NTUSER.DAT.")
        if hive != "HKLM" and present["HKLM"] and present[hive]:
            a.add("split_hives", "error", path,
                  "HKLM has policy, so the app ignores every value of this user's policy (%d ignored; spec §1.3, since "
                  "1.19367.0)" % len(props), "Deploy the complete configuration to one hive (HKLM recommended) and delete the other.")
    if mode in ("managed", "both"):
        hive = "HKLM" if scope == "machine" else target_user
        path = dict((h, p) for h, p, dummy in hives).get(hive) or placement.registry_path(scope, style="reg")
        found = (machine if hive == "HKLM" else (users or {}).get(hive)) or {}
        if not found.get("exists"):
            a.add("missing_source", "error", path, "the policy key is missing", "Run playbooks/deploy.yml for this host.")
        else:
            a.compare(path, reads[hive], managed=True)
    owner = None
    if present["HKLM"] and a.owns_device(reads["HKLM"]):
        owner = {"path": placement.registry_path("machine", style="reg"), "ours": mode in ("managed", "both") and scope == "machine"}
    a.user_sources(local, formats, mode in ("user", "both"), owner)
    return a.findings


def restart_notice(os_name, processes, changed_at):
    """Processes started before the configuration last changed still run the old one (spec §1.7)."""
    stale = [p for p in processes or [] if changed_at and p.get("started") and p["started"] < changed_at]
    return {"needs_restart": bool(stale), "processes": processes or [], "stale": stale, "config_changed": changed_at,
            "instruction": RESTART.get(os_name, RESTART["linux"]) if stale else None}


def host_state(findings, restart, unreachable=False):
    if unreachable:
        return "unreachable"
    if any(f["severity"] == "error" for f in findings):
        return "drifted"
    if restart and restart.get("needs_restart"):
        return "needs_restart"
    return "in_line"


# ------------------------------------------------------------------------ the installed app
def version_key(text):
    """A comparable form of an installed version: epoch, package revision and trailing .0 parts dropped
    ("1:1.46388.4-1" and MSIX "1.46388.4.0" compare as 1.46388.4). None when it holds no number."""
    import re

    text = str(text or "").strip()
    text = text.split(":", 1)[1] if re.match(r"^\d+:", text) else text
    match = re.match(r"^(\d+(?:\.\d+)*)", text)
    if not match:
        return None
    parts = [int(p) for p in match.group(1).split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def app_findings(app, min_app_version, source):
    """Findings about the installed app: not installed (its own class), unknown, older than the inventory says."""
    if not isinstance(app, dict) or app.get("installed") is None:
        why = (app or {}).get("error") if isinstance(app, dict) else None
        return [{"class": "app_unknown", "severity": "warning", "source": source,
                 "message": "the installed Claude Desktop version could not be read%s" % (": %s" % why if why else ""),
                 "fix": "Check the machine by hand; version gates assume claude_desktop_min_app_version."}]
    if not app["installed"]:
        return [{"class": "app_not_installed", "severity": "warning", "source": source,
                 "message": "Claude Desktop is not installed (looked at %s)" % ", ".join(app.get("checked") or ["the usual places"]),
                 "fix": "Install Claude Desktop on this machine (the configuration waits for it), or take the host out of the inventory."}]
    have = version_key(app.get("version"))
    where = app.get("path") or app.get("package") or app.get("source")
    if have is None:
        return [{"class": "app_unknown", "severity": "warning", "source": where,
                 "message": "Claude Desktop is installed but its version %s is not readable" % ("is missing" if not app.get("version") else "text"),
                 "fix": "Check the app's About window; version gates assume claude_desktop_min_app_version."}]
    want = version_key(min_app_version) if min_app_version else None
    if want is not None and have < want:
        return [{"class": "app_outdated", "severity": "error", "source": where,
                 "message": "Claude Desktop %s is installed, older than claude_desktop_min_app_version %s: the version gates were "
                            "evaluated against a build this machine does not run" % (app.get("version"), min_app_version),
                 "fix": "Upgrade Claude Desktop here, or set claude_desktop_min_app_version to %s and rerun validate.yml." % app.get("version")}]
    return []
