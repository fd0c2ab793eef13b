# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: fleet_report
short_description: Write the fleet verification report (JSON and one self-contained HTML page)
version_added: 0.2.0
author: AIOHub (@aiohub)
description:
  - Reads each host's registered M(aiohub.claude_desktop.gateway_check) and
    M(aiohub.claude_desktop.config_facts) results from C(hostvars) and writes C(verify-report.json)
    (for machines) and C(verify-report.html) (for people, no external assets) into O(output_dir).
  - The page shows the summary first (in line, drifted, needs restart, unreachable, gateway failing),
    then one row per team with gateway status and latency, then only the hosts with findings, each
    finding with its fix; all hosts last, in a collapsed table. No secret value is written.
  - "Run it once on the controller (C(hosts: localhost) or C(run_once)). Implemented as an action plugin."
options:
  hosts:
    description: Hosts to report (normally C(groups['all']) of the verify play).
    required: true
  output_dir:
    description:
      - Directory for the two files (created if missing).
      - When not given, C(reports/) beside the inventory (as O(aiohub.claude_desktop.render#module:dest)
        of the render module), C(build/reports) in a source checkout. A directory inside an inventory
        source or inside the installed collection is refused.
    type: path
  fail_on:
    description:
      - States that make RV(failing) non-empty when any host is in them (C(verify.yml) then fails the
        run after writing the report, so a scheduled job alerts). V([]) never.
    type: list
    elements: str
    choices: [drifted, gateway_failing, unreachable, needs_restart, not_checked]
    default: [drifted, gateway_failing, unreachable]
  gateway_var:
    description: Name of the registered gateway_check result.
    type: str
    default: claude_desktop_gateway
  audit_var:
    description: Name of the registered config_facts result.
    type: str
    default: claude_desktop_audit
  team_var:
    description: Host variable naming the host's team (wins over the group name).
    type: str
    default: claude_desktop_team
  team_group_prefix:
    description: Inventory groups whose name starts with this are teams (C(team_design) is team C(design)).
    type: str
    default: team_
extends_documentation_fragment:
  - aiohub.claude_desktop.config.attributes
  - aiohub.claude_desktop.fleet
attributes:
  check_mode:
    support: none
    details: Writes the report files on the controller in check mode too.
  diff_mode:
    support: none
"""

EXAMPLES = r"""
- name: Write the fleet report
  aiohub.claude_desktop.fleet_report:
    hosts: "{{ groups['all'] }}"
    output_dir: "{{ playbook_dir | dirname }}/build/reports"
  register: report
"""

RETURN = r"""
html:
  description: Path of the HTML page.
  returned: success
  type: str
json:
  description: Path of the JSON report.
  returned: success
  type: str
summary:
  description:
    - Host counts - hosts, in_line, drifted, needs_restart, unreachable, gateway_failing, not_checked.
    - A host whose machine is in line but whose gateway check failed counts under gateway_failing, not in_line.
  returned: success
  type: dict
fail_on:
  description: The states checked for RV(failing) (O(fail_on)).
  returned: success
  type: list
  elements: str
failing:
  description: One phrase per state of O(fail_on) that some host is in, with the count and the hosts, e.g. C(2 drifted (lin1, mac1)).
  returned: success
  type: list
  elements: str
"""
