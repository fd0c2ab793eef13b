# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: resolve
short_description: This host's Claude Desktop config and OS, as the collection's actions decide them
version_added: 1.1.0
author: AIOHub (@aiohub)
description:
  - The one resolution of "which config" and "which OS" for playbooks and roles; the collection's actions
    and its fleet mode (validate, render, mdm with C(hosts)) use the same Python code.
  - V(config) merges the host's layers C(claude_desktop_config), C(claude_desktop_team_config) and
    C(claude_desktop_host_config) (lowest precedence first) by the rules of the
    P(aiohub.claude_desktop.merge_layers#filter) filter, C(null) removing a key.
  - V(os) is C(claude_desktop_os) when it is set; otherwise the host's gathered facts (C(ansible_system),
    C(ansible_os_family)) when there are any; otherwise a PowerShell connection (WinRM, PSRP) is C(windows);
    otherwise the empty string (the host decides when the task runs).
options:
  _terms:
    description: What to resolve.
    required: true
    choices: [config, os]
"""

EXAMPLES = r"""
- name: Render this host's config and say which OS it is for
  ansible.builtin.debug:
    msg: "{{ lookup('aiohub.claude_desktop.resolve', 'os') }}"

- name: The layered config of this host (may hold secrets)
  ansible.builtin.set_fact:
    effective: "{{ lookup('aiohub.claude_desktop.resolve', 'config') }}"
  no_log: true
"""

RETURN = r"""
_raw:
  description: One item, the merged config (a mapping, may hold secrets) or the OS name (C(macos), C(linux), C(windows) or empty).
  type: raw
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.aiohub.claude_desktop.plugins.module_utils.placement import OS_VARS, resolve_os
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._fleet import plain
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._layers import LayerError, layered_config


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        variables = variables or {}

        def template(value):
            return plain(self._templar.template(value))

        out = []
        for term in terms:
            if term == "config":
                try:
                    out.append(layered_config(variables, template=template))
                except LayerError as exc:
                    raise AnsibleLookupError(str(exc))
            elif term == "os":
                values = {name: template(variables[name]) for name in OS_VARS if variables.get(name) is not None}
                if variables.get("ansible_facts"):
                    values["ansible_facts"] = template(variables["ansible_facts"])
                out.append(resolve_os(values) or "")
            else:
                raise AnsibleLookupError("unknown resolve lookup %r (config or os)" % (term,))
        return out
