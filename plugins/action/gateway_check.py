# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _gateway
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import (
    ClaudeDesktopAction, validate_or_fail)
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._argspecs import CONFIG, options

ARGS = options(
    CONFIG,
    base_url={"type": "str"},
    proxy={"type": "str", "no_log": True},
    use_env_proxy={"type": "bool", "default": True},
    ca_bundle={"type": "path"},
    timeout={"type": "float", "default": 15.0},
    stream_timeout={"type": "float", "default": 60.0},
    anthropic_version={"type": "str", "default": "2023-06-01"},
    fail_on_error={"type": "bool", "default": True},
)


class ActionModule(ClaudeDesktopAction):
    """Validate the config here, then run gateway_probe where the task runs (target or delegate)."""

    ARGUMENT_SPEC = ARGS
    LAYERED_CONFIG = True

    def execute(self, params, result):
        validated = validate_or_fail(params, self.host)
        args = _gateway.module_args(validated.config, params)
        probe = self._execute_module(module_name="aiohub.claude_desktop.gateway_probe", module_args=args,
                                     task_vars=self.task_vars)
        probe.pop("invocation", None)
        if probe.get("unreachable"):
            result.update(probe)
            return
        result.update(probe)
        result["changed"] = False
        if probe.get("failed") and "failures" not in probe:
            result["msg"] = "cannot run the gateway check on this host: %s" % probe.get("msg")
