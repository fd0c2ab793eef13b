# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible_collections.aiohub.claude_desktop.plugins.module_utils.placement import resolve_os
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _output
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _report
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import ActionFailure, ClaudeDesktopAction
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._argspecs import FLEET, options

ARGS = options(FLEET, hosts={"required": True}, **{
    "output_dir": {"type": "path"},
    "gateway_var": {"type": "str", "default": "claude_desktop_gateway"},
    "audit_var": {"type": "str", "default": "claude_desktop_audit"},
    "team_var": {"type": "str", "default": "claude_desktop_team"},
    "team_group_prefix": {"type": "str", "default": "team_"},
    "fail_on": {"type": "list", "elements": "str", "default": list(_report.FAIL_ON_DEFAULT), "choices": list(_report.FAIL_ON_STATES)},
})


class ActionModule(ClaudeDesktopAction):
    """Collect every host's gateway_check and config_facts results into the JSON and HTML fleet report."""

    ARGUMENT_SPEC = ARGS
    BYPASS_HOST_LOOP = False

    def execute(self, params, result):
        output_dir = params["output_dir"] or _output.default_dir(self.task_vars, "reports")
        problem = _output.location_problem(output_dir, self.task_vars, "claude_desktop_reports_dir")
        if problem:
            raise ActionFailure(problem)
        hostvars = self.task_vars["hostvars"]
        prefix = params["team_group_prefix"]
        team_of = {}
        for group, members in sorted((self.task_vars.get("groups") or {}).items()):
            if prefix and group.startswith(prefix):
                for member in members:
                    team_of.setdefault(member, group[len(prefix):])
        hosts = []
        for name in params["hosts"]:
            hv = hostvars[name] if name in hostvars else {}
            audit = hv.get(params["audit_var"])
            gateway = hv.get(params["gateway_var"])
            if audit is None and gateway is None:
                continue  # not in this run (--limit)
            team = hv.get(params["team_var"]) or team_of.get(name)
            os_name = (audit or {}).get("os") if isinstance(audit, dict) else None
            hosts.append(_report.host_entry(name, team, os_name or resolve_os(hv), gateway, audit))
        report = _report.build(hosts)
        paths = _report.write(report, output_dir)
        result.update(changed=True, summary=report["summary"], html=paths["html"], json=paths["json"],
                      fail_on=params["fail_on"], failing=_report.failing(report, params["fail_on"]),
                      teams=[{k: t[k] for k in ("team", "hosts", "in_line", "drifted", "needs_restart", "unreachable", "gateway_failing",
                                                "latency_median_ms")} for t in report["teams"]])
