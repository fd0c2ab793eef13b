# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import CONFIG_ARGS, ClaudeDesktopAction, validate_or_fail
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._model import key_catalog
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import managed_values
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import MASK, is_secret_key, secret_values

ARGS = dict(CONFIG_ARGS, config=dict(CONFIG_ARGS["config"], required=False))
ARGS.update(
    state={"type": "str", "default": "present", "choices": ["present", "absent"]},
    path={"type": "str", "default": "HKLM:\\SOFTWARE\\Policies\\Claude"},
    hive={"type": "str"},
    record_path={"type": "str", "default": "HKLM:\\SOFTWARE\\AIOHub\\ClaudeDesktop"},
    record_name={"type": "str", "default": "OwnedPolicyValues"},
)
# Value types the app reads; anything else under the key is invisible to it or, for
# REG_EXPAND_SZ, counts as "machine policy present" without supplying a value (spec §1.3).
READABLE = ("REG_SZ", "REG_DWORD")
REGEDIT = "ansible.windows.win_regedit"
REGSTAT = "ansible.windows.win_reg_stat"


class ActionModule(ClaudeDesktopAction):
    """Write Claude Desktop policy as REG_SZ values with stock ansible.windows modules, secrets masked."""

    ARGUMENT_SPEC = ARGS

    def execute(self, params, result):
        warnings = []
        if params["state"] == "present":
            validated = validate_or_fail(params, self.host)
            warnings.extend(validated.masked_warnings())
            desired = managed_values(validated.config)
        else:
            desired = {}
        path, hive = params["path"], params["hive"]
        target = {"path": path, "hive": hive} if hive else {"path": path}
        current = {} if hive else self._read_key(path)
        record = self._run_module(REGSTAT, {"path": params["record_path"], "name": params["record_name"]}, "read the ownership record")
        owned = set(json.loads(record.get("raw_value") or "[]")) if record.get("exists") else set()

        plan = plan_changes(desired, current, owned, hive is not None, warnings)
        secrets = set(secret_values({k: v for k, v in desired.items() if is_secret_key(k)}))
        secrets.update(secret_values({k: (v or {}).get("raw_value") for k, v in current.items() if is_secret_key(k)}))
        changed_values = []
        for name in plan["set"]:
            if self._regedit(dict(target, name=name, data=desired[name], type="string")):
                changed_values.append(name)
        for name in plan["remove"]:
            if self._regedit(dict(target, name=name, state="absent")):
                changed_values.append(name)
        if sorted(owned) != sorted(desired):
            record_args = {"path": params["record_path"], "name": params["record_name"]}
            if desired:
                record_args.update(data=json.dumps(sorted(desired)), type="string")
            else:
                record_args.update(state="absent")
            self._regedit(record_args)

        def show(name, data):
            return "%s = %s" % (name, MASK if is_secret_key(name) or data in secrets else data)

        before = [show(n, (current[n] or {}).get("raw_value")) for n in sorted(current) if n in desired or n in plan["remove"]]
        after = [show(n, d) for n, d in sorted(desired.items())]
        result.update(changed=bool(changed_values) or sorted(owned) != sorted(desired), changed_values=sorted(changed_values),
                      owned=sorted(desired), path=path, warnings=warnings)
        if changed_values and self._task.diff:
            result["diff"] = {"before_header": path + " (secrets masked)", "after_header": path + " (secrets masked)",
                              "before": "\n".join(before) + "\n", "after": "\n".join(after) + "\n"}

    def _read_key(self, path):
        res = self._run_module(REGSTAT, {"path": path}, "read %s" % path)
        return res.get("properties") or {} if res.get("exists") else {}

    def _regedit(self, args):
        return bool(self._run_module(REGEDIT, args, "write registry value %s under %s" % (args["name"], args["path"])).get("changed"))


def plan_changes(desired, current, owned, blind, warnings):
    """Which values to write and which owned values to delete; warnings for what is left alone.

    ``blind``: the key could not be read (an unloaded user hive), so every value is written and
    win_regedit decides what changes.
    """
    documented = set(key_catalog())
    to_set = [name for name, data in desired.items()
              if blind or (current.get(name) or {}).get("type") != "REG_SZ" or (current.get(name) or {}).get("raw_value") != data]
    to_remove = sorted(name for name in owned if name and name not in desired and (blind or name in current))
    for name, info in sorted(current.items()):
        kind = (info or {}).get("type")
        if name == "":
            if (info or {}).get("raw_value") not in (None, ""):
                warnings.append("the key's (Default) value is set: the app counts it as policy present; it was left as is")
        elif name in desired or name in to_remove:
            continue
        elif kind not in READABLE:
            warnings.append("%s is a %s value, which the app cannot read; it was left as is" % (name, kind))
        elif name in documented:
            warnings.append("%s is set under the policy key but not by this collection; it was left as is" % name)
    return {"set": to_set, "remove": to_remove}
