# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import CONFIG_ARGS, ClaudeDesktopAction, validate_or_fail


class ActionModule(ClaudeDesktopAction):
    ARGUMENT_SPEC = CONFIG_ARGS

    def execute(self, params, result):
        validated = validate_or_fail(params, self.host)
        config = validated.config
        result.update(
            changed=False,
            config=validated.masked_config,
            warnings=validated.masked_warnings(),
            summary={
                "provider": config.get("inferenceProvider"),
                "key_count": len(config),
                "egress_hosts": len(config.get("coworkEgressAllowedHosts", [])),
                "models": len(config.get("inferenceModels", [])),
                "mcp_servers": len(config.get("managedMcpServers", [])),
            },
        )
