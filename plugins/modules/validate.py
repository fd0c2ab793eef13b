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
attributes:
  check_mode:
    support: full
    details: Validation changes nothing, so check mode behaves as a normal run.
  diff_mode:
    support: none
    details: Nothing is changed, so there is nothing to diff.
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
warnings:
  description: Non-fatal findings (deprecated keys, ignored keys, version gates, URL style).
  returned: always
  type: list
  elements: str
"""
