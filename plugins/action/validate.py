# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _fleet
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._failures import CONNECTION_VARS, controller_needs
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import (
    ActionFailure, ClaudeDesktopAction, validate_or_fail)
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._argspecs import CONFIG, FLEET, options

ARGS = options(CONFIG, FLEET, config={"required": False}, check_controller={"type": "bool", "default": False})


class ActionModule(ClaudeDesktopAction):
    ARGUMENT_SPEC = ARGS
    MUTUALLY_EXCLUSIVE = [["config", "hosts"]]
    REQUIRED_ONE_OF = [["config", "hosts"]]

    def execute(self, params, result):
        if params["hosts"] is not None:
            return self.execute_fleet(params["hosts"], result, params["check_controller"])
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

    def execute_fleet(self, hosts, result, check_controller=False):
        """Every host's layers from hostvars; each distinct config validated once (run_once)."""
        hostvars = self.task_vars.get("hostvars")
        if hostvars is None:
            raise ActionFailure("hosts needs the play's hostvars (run the task in a play, with run_once: true)")
        findings = _fleet.Findings()
        entries = _fleet.collect(hostvars, hosts, _fleet.VALIDATION_VARS + CONNECTION_VARS, findings)
        validation = _fleet.validate_entries(entries, findings)
        # what this controller lacks for the fleet's OS mix: an error where the play deploys, else a warning
        for text, needy in controller_needs([(host, values) for host, values, _config in entries]):
            (findings.add_error if check_controller else findings.add_warning)(text, needy)
        invalid = findings.failed_hosts()
        result.update(
            changed=False,
            hosts_total=len(hosts),
            distinct_configs=validation.distinct,
            validation_seconds=round(validation.seconds, 4),
            invalid_hosts=invalid,
            report=[_fleet.validation_headline(len(hosts), validation, findings)] + findings.lines(),
        )
