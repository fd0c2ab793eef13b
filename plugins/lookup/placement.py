# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: placement
short_description: Where Claude Desktop configuration goes (the collection's placement table)
version_added: 0.2.0
author: AIOHub (@aiohub)
description:
  - Reads C(plugins/module_utils/placement.py), the one table of paths, registry keys, owners and
    modes per OS and scope, so playbooks and roles never keep their own copy.
  - V(registry_path) returns the policy key (O(scope), O(style)); V(managed_source) the managed
    source entry (O(os), O(scope), O(user)); V(user_config) a user's config path (O(os), O(user),
    O(home), O(format), O(variant)); V(shadow_sources) the managed sources that make the app ignore
    a user config (O(os), O(users)); V(table) the whole table.
options:
  _terms:
    description: What to look up.
    required: true
    choices: [registry_path, managed_source, user_config, shadow_sources, table]
  os:
    description: macos, linux or windows.
    type: str
  scope:
    description: machine or user.
    type: str
    default: machine
  style:
    description: Registry path style for V(registry_path) (V(ps) C(HKLM:\\...), V(reg) C(HKLM\\...), V(regfile) long hive).
    type: str
    default: ps
  user:
    description: Account name.
    type: str
  users:
    description: Account names.
    type: list
    elements: str
    default: []
  home:
    description: Home (profile) directory override.
    type: str
  format:
    description: config_library or user_json.
    type: str
    default: config_library
  variant:
    description: Windows user config location (base, roaming, msix_roaming).
    type: str
    default: base
"""

EXAMPLES = r"""
- name: The machine policy key
  ansible.builtin.debug:
    msg: "{{ lookup('aiohub.claude_desktop.placement', 'registry_path', scope='machine') }}"
"""

RETURN = r"""
_raw:
  description: One item, the value asked for.
  type: raw
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.aiohub.claude_desktop.plugins.module_utils import placement as p
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import app_behaviour_keys


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        opt = self.get_option
        out = []
        for term in terms:
            try:
                if term == "registry_path":
                    out.append(p.registry_path(opt("scope"), opt("style")))
                elif term == "managed_source":
                    out.append(p.managed_source(opt("os"), opt("scope"), opt("user")))
                elif term == "user_config":
                    out.append(p.user_config(opt("os"), opt("user"), opt("home"), opt("format"), opt("variant")))
                elif term == "shadow_sources":
                    out.append(p.shadow_sources(opt("os"), opt("users")))
                elif term == "table":
                    out.append({"managed": p.MANAGED, "user_config": p.USER_CONFIG, "state_dirs": p.STATE_DIRS,
                                "registry_key": p.REGISTRY_KEY, "app_behaviour_keys": app_behaviour_keys(),
                                "profile_stage_path": p.PROFILE_STAGE_PATH, "default_home_roots": p.DEFAULT_HOME_ROOTS})
                else:
                    raise AnsibleLookupError("unknown placement lookup %r" % (term,))
            except p.PlacementError as exc:
                raise AnsibleLookupError(str(exc))
        return out
