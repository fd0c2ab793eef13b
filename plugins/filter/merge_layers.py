# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: merge_layers
short_description: Merge organisation, team and host enterpriseConfig layers
version_added: 0.1.0
author: AIOHub (@aiohub)
description:
  - Merges a list of Claude Desktop C(enterpriseConfig) layers, in order, into one config.
  - A key replaces the value of earlier layers; mappings merge key by key; C(<key>_extra) appends
    list items to C(<key>) (skipping items already present); C(null) removes a key.
  - Ansible replaces whole dictionaries between inventory levels, so each level keeps its own
    variable (C(claude_desktop_config), C(claude_desktop_team_config), C(claude_desktop_host_config))
    and this filter combines them.
options:
  _input:
    description: The layers, lowest precedence first. Missing layers may be C(null) or C({}).
    type: list
    elements: raw
    required: true
"""

EXAMPLES = r"""
- name: Combine the layers of this host
  ansible.builtin.set_fact:
    effective: >-
      {{ [claude_desktop_config, claude_desktop_team_config, claude_desktop_host_config]
         | aiohub.claude_desktop.merge_layers }}
  no_log: true
"""

RETURN = r"""
_value:
  description: The merged config (may hold secrets; do not print it).
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._layers import LAYER_VARS, LayerError, merge_layers


def _merge_layers(layers):
    try:
        return merge_layers(layers, names=list(LAYER_VARS) if len(layers) == 3 else None)
    except LayerError as exc:
        raise AnsibleFilterError(str(exc))


class FilterModule(object):
    def filters(self):
        return {"merge_layers": _merge_layers}
