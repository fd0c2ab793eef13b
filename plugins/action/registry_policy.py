# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import (
    POWERSHELL, ActionFailure, ClaudeDesktopAction, validate_or_fail)
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._argspecs import CONFIG, SCOPE, STATE, options
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._registry import (
    MACHINE_KEY, REGEDIT, REGSTAT, USER_HIVES_SCRIPT, WOW64_KEY, apply_plan, decoded_value, owned_record, plan_changes,
    presence, raw_value, resolve_default_kind, shown, user_target)
from ansible_collections.aiohub.claude_desktop.plugins.module_utils.placement import REGISTRY_KEY
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import managed_values
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import scrub, secret_values

ARGS = options(
    CONFIG, STATE, SCOPE, config={"required": False},
    user={"type": "str"},
    clean_user_policy={"type": "bool", "default": False},
    record_path={"type": "str", "default": "HKLM:\\SOFTWARE\\AIOHub\\ClaudeDesktop"},
    record_name={"type": "str", "default": "OwnedPolicyValues"},
)


class ActionModule(ClaudeDesktopAction):
    """Write Claude Desktop policy as REG_SZ values with stock ansible.windows modules, secrets masked."""

    ARGUMENT_SPEC = ARGS
    LAYERED_CONFIG = True

    def execute(self, params, result):
        warnings = []
        if params["state"] == "present":
            validated = validate_or_fail(params, self.host, registry=True, target_os="windows")  # a Windows host (issue 22: its path rules)
            warnings.extend(validated.masked_warnings())
            desired = managed_values(validated.config)
        else:
            desired = {}
        records = self._read_key(params["record_path"])[0]
        self._cleaned = False

        if params["scope"] == "user":
            if not params["user"]:
                raise ActionFailure("scope=user needs user (the account whose policy to write, e.g. CORP\\alice)")
            found = self._user_hives(params["user"])
            hive_info = found[0] if found else {"sid": None, "error": "no such account"}
            if not hive_info.get("sid"):
                raise ActionFailure("%s: %s" % (params["user"], hive_info.get("error")))
            sid = hive_info["sid"]
            record_name = "%s-%s" % (params["record_name"], sid)
            target, path, current, sub_keys = user_target(hive_info, params["user"])
            if params["state"] == "present":
                present = presence(self._machine_key()[0])
                if present:
                    raise ActionFailure(
                        "HKLM\\%s already holds policy: %s. Since Claude Desktop 1.19367.0 the app then ignores user policy "
                        "entirely, so this user-scope deployment would have no effect. Deploy everything to one hive: keep "
                        "scope machine, or first clear the machine key (scope machine, state absent; remove what other tools "
                        "wrote there)." % (REGISTRY_KEY, "; ".join(present)))
        else:
            record_name, path = params["record_name"], MACHINE_KEY
            target = {"path": path}
            current, sub_keys = self._machine_key()
        owned = set(owned_record(records, record_name))

        plan = plan_changes(desired, current, owned, warnings)
        if sub_keys:
            warnings.append("%s has sub-key(s) %s: the app never reads values in sub-keys (they are neither applied nor "
                            "counted as policy present); they were left as is" % (path, ", ".join(sorted(sub_keys))))
        changed_values = []
        if self._task.check_mode and target.get("hive"):
            # win_regedit loads the hive file on every call, check mode included (win_regedit.ps1:480-511):
            # in check mode nothing is loaded, and the values the user's hive holds were not read
            changed_values = sorted(plan["set"]) + sorted(plan["remove"])
            warnings.append("%s is not logged on: check mode reads and loads no hive, so every value is reported as to be written"
                            % params["user"])
            plan = {"set": [], "remove": []}
        for name in plan["set"]:
            if self._regedit(dict(target, name=name, data=desired[name], type="string")):
                changed_values.append(name)
        for name in plan["remove"]:
            if self._regedit(dict(target, name=name, state="absent")):
                changed_values.append(name)
        record_changed = sorted(owned) != sorted(desired)
        if record_changed:
            self._write_record(params["record_path"], record_name, sorted(desired))

        after_values = apply_plan(current, desired, plan)
        if params["scope"] == "machine":
            strays = self._read_key(WOW64_KEY)[0]
            if strays:
                warnings.append("%s holds values (%s): SOFTWARE\\Policies is shared between the 32- and 64-bit views, so these were "
                                "written there directly (some ADMX ingestion paths do, spec §1.3) and the app may not read them; they were "
                                "left as is. Check with: reg query "
                                "HKLM\\SOFTWARE\\Policies\\Claude" % (WOW64_KEY, ", ".join(sorted(n or "(Default)" for n in strays))))
            left = presence(after_values)
            result["machine_policy_present"] = left
            if params["state"] == "absent" and left:
                warnings.append("HKLM\\%s is still \"present\" for the app after removal (%s): values this collection does not "
                                "own were left, and while they are there the app ignores every user's policy"
                                % (REGISTRY_KEY, "; ".join(left)))
            result["user_policy"] = self._user_leftovers(params, records, desired, bool(left), warnings, changed_values)

        secrets = secret_values(dict((n, decoded_value(n, d)) for n, d in desired.items()))
        secrets = sorted(set(secrets) | set(secret_values(dict((n, decoded_value(n, raw_value(current, n))) for n in current))),
                         key=len, reverse=True)
        before = [shown(n, raw_value(current, n), secrets) for n in sorted(current) if n in desired or n in plan["remove"]]
        after = [shown(n, d, secrets) for n, d in sorted(desired.items())]
        result.update(changed=bool(changed_values) or record_changed or self._cleaned, changed_values=sorted(changed_values),
                      owned=sorted(desired), path=path, warnings=scrub(warnings, secrets))
        if changed_values and self._task.diff:
            result["diff"] = {"before_header": path + " (secrets masked)", "after_header": path + " (secrets masked)",
                              "before": "".join(line + "\n" for line in before), "after": "".join(line + "\n" for line in after)}

    # ------------------------------------------------------------------ user hives
    def _user_hives(self, user=""):
        res = self._run_module(POWERSHELL, {"script": USER_HIVES_SCRIPT, "parameters": {"User": user, "Key": REGISTRY_KEY},
                                            "depth": 5},
                               "read the policy key of %s" % (user or "every user's hive"))
        return [o for o in res.get("output") or [] if isinstance(o, dict) and o.get("sid")]

    def _user_leftovers(self, params, records, desired, machine_present, warnings, changed_values):
        """Machine scope: report per-user policy (spec §1.3: one hive), and clean the collection's own on request."""
        report = []
        for info in self._user_hives():
            sid, values = info["sid"], info.get("properties") or {}
            recorded = set(owned_record(records, "%s-%s" % (params["record_name"], sid)))
            if info.get("error"):
                warnings.append("cannot read the hive of %s (%s): %s" % (sid, info.get("hive"), info["error"]))
            if info.get("skipped") and recorded:
                warnings.append("the hive of %s (%s) was not read: %s" % (sid, info.get("hive"), info["skipped"]))
            if not values and not recorded:
                continue
            ours = sorted(n for n in recorded if n in values)
            foreign = sorted(n for n in values if n not in recorded)
            entry = {"sid": sid, "profile": info.get("profile"), "loaded": bool(info.get("loaded")), "values": sorted(values),
                     "owned": ours, "removed": []}
            remaining = sorted(values)
            if params["clean_user_policy"] and recorded:
                try:
                    target = user_target(info, sid)[0]
                except ActionFailure as exc:
                    warnings.append("cannot clean the collection's user policy: %s" % exc)
                    target = None
                if target is not None:
                    for name in ours:
                        if self._regedit(dict(target, name=name, state="absent")):
                            entry["removed"].append(name)
                            changed_values.append("%s:%s" % (sid, name))
                    self._write_record(params["record_path"], "%s-%s" % (params["record_name"], sid), [])
                    self._cleaned = True
                    remaining = foreign
            if remaining:
                where = "the hive of %s (%s)" % (sid, info.get("profile") or "no profile folder")
                if params["state"] == "present" or machine_present:
                    msg = "user policy left in %s: %s; the app ignores it while machine policy is present" % (where, ", ".join(remaining))
                else:
                    msg = ("user policy in %s: %s; with HKLM\\%s empty, the app now reads it"
                           % (where, ", ".join(remaining), REGISTRY_KEY))
                if ours and remaining != foreign:
                    msg += " (%s written by this collection: set clean_user_policy to remove them)" % ", ".join(ours)
                warnings.append(msg)
            report.append(entry)
        return report

    # ------------------------------------------------------------------ registry helpers
    def _read_key(self, path):
        res = self._run_module(REGSTAT, {"path": path}, "read %s" % path)
        if not res.get("exists"):
            return {}, []
        return res.get("properties") or {}, res.get("sub_keys") or []

    def _machine_key(self):
        """HKLM's policy key (win_reg_stat), with the real type of a (Default) win_reg_stat cannot type."""
        props, sub_keys = self._read_key(MACHINE_KEY)
        return resolve_default_kind(self._powershell, MACHINE_KEY, props), sub_keys

    def _write_record(self, record_path, record_name, names):
        args = {"path": record_path, "name": record_name}
        if names:
            args.update(data=json.dumps(sorted(names)), type="string")
        else:
            args.update(state="absent")
        self._regedit(args)

    def _regedit(self, args):
        return bool(self._run_module(REGEDIT, args, "write registry value %s under %s" % (args["name"], args["path"])).get("changed"))
