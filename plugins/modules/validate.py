# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: validate
short_description: Validate a Claude Desktop third-party-inference enterpriseConfig
version_added: 0.1.0
author: AIOHub (@aiohub)
description:
  - Checks every key of a Claude Desktop C(enterpriseConfig) against the collection's model
    (types, enums, ranges, URL rules, egress host grammar, per-provider required keys, pairing
    rules, removed and deprecated keys, version gates) before anything touches a machine.
  - On failure one message lists every problem with the key path, the rule and the fix.
  - This module is implemented as an action plugin and will always be executed on the controller.
extends_documentation_fragment:
  - aiohub.claude_desktop.config
  - aiohub.claude_desktop.config.attributes
  - aiohub.claude_desktop.fleet
attributes:
  check_mode:
    support: full
    details: Validation changes nothing, so check mode behaves as a normal run.
  diff_mode:
    support: none
    details: Nothing is changed, so there is nothing to diff.
options:
  config:
    description:
      - The merged config of one host. Give either O(config) (one host per task) or O(hosts)
        (fleet mode).
    required: false
  hosts:
    description:
      - Fleet mode. Validate every listed inventory host in this one task (use C(run_once=true) and
        V({{ ansible_play_hosts_all }})), each distinct config once.
      - Each host's config is read from its own variables through C(hostvars), templated in its
        own context (Vault values included) - C(claude_desktop_config) <- C(claude_desktop_team_config)
        <- C(claude_desktop_host_config), with C(claude_desktop_min_app_version) and
        C(claude_desktop_allow_unknown_keys) of the host; O(min_app_version) and
        O(allow_unknown_keys) are not used.
      - Invalid hosts are returned in RV(invalid_hosts) with their problems; the task itself does
        not fail for them (C(playbooks/validate.yml) fails the run after printing RV(report)).
  check_controller:
    description:
      - Fleet mode. Also check that this controller has what deploying to each host needs for the
        fleet's OS mix - the C(ansible.windows) collection for Windows hosts (C(claude_desktop_os=windows),
        or a WinRM/PSRP connection), the C(pywinrm) or C(pypsrp) package for those connections - and
        name the install command.
      - V(true) makes a missing piece an error for the hosts that need it (C(playbooks/deploy.yml));
        V(false) reports it as a warning (C(playbooks/validate.yml)).
    type: bool
    default: false
    version_added: 1.1.0
seealso:
  - plugin: aiohub.claude_desktop.merge_layers
    plugin_type: filter
  - module: aiohub.claude_desktop.render
"""

EXAMPLES = r"""
- name: Validate this host's layered configuration
  aiohub.claude_desktop.validate:
    config: >-
      {{ [claude_desktop_config | default({}), claude_desktop_team_config | default({}),
          claude_desktop_host_config | default({})] | aiohub.claude_desktop.merge_layers }}
    min_app_version: "1.19367.0"

- name: Allow a key the model does not know yet
  aiohub.claude_desktop.validate:
    config:
      inferenceProvider: gateway
      inferenceGatewayBaseUrl: https://api.aiohub.org
      inferenceGatewayApiKey: "{{ vault_aiohub_api_key }}"
      dictationEnabled: true
    allow_unknown_keys: [dictationEnabled]
"""

RETURN = r"""
config:
  description: The normalized config (native types, sorted keys) with secret values masked.
  returned: success
  type: dict
  sample: {"inferenceGatewayApiKey": "********", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "inferenceProvider": "gateway"}
summary:
  description: Counts for reports.
  returned: success
  type: dict
  sample: {"provider": "gateway", "key_count": 3, "egress_hosts": 0, "models": 0, "mcp_servers": 0}
problems:
  description: Every problem found (key, rule, fix), secrets masked.
  returned: failure
  type: list
  elements: dict
invalid_hosts:
  description: Fleet mode. Each invalid host with its problems (secrets masked).
  returned: when hosts is given
  type: dict
report:
  description:
    - Fleet mode. A headline with counts, then one line per distinct finding (error or warning)
      with the hosts it concerns (names for up to five, a count for more).
  returned: when hosts is given
  type: list
  elements: str
distinct_configs:
  description: Fleet mode. How many distinct configs were validated.
  returned: when hosts is given
  type: int
warnings:
  description: Non-fatal findings (deprecated keys, ignored keys, version gates, URL style).
  returned: always
  type: list
  elements: str
"""
