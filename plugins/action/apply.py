# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller side of aiohub.claude_desktop.apply: validate, build the host's plan (plugin_utils/_plan.py), run it once."""

from __future__ import annotations

from ansible import constants as C

from ansible_collections.aiohub.claude_desktop.plugins.module_utils import placement as p
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import (
    ActionFailure, ClaudeDesktopAction, validate_or_fail)
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._argspecs import CONFIG, ENTRY_NAME, PROFILE_IDENTITY, STATE, options
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._plan import build

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
        try:
            plan, payload, errors = build(params, config, secrets)
        except p.PlacementError as exc:
            raise ActionFailure("%s: %s" % (self.host, exc))
        if C.DEFAULT_KEEP_REMOTE_FILES:
            warnings.append(KEEP_REMOTE_FILES_WARNING % self.host)
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
