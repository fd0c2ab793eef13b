# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    """The config option block, declared in plugins/plugin_utils/_argspecs.py (CONFIG)."""

    DOCUMENTATION = r"""
options:
  config:
    description:
      - The C(enterpriseConfig) keys, usually the merged layers of the organisation, team and host
        (see the P(aiohub.claude_desktop.merge_layers#filter) filter).
      - Validated against the collection's model; see C(docs/keys.md) and
        C(docs/schema/enterprise-config.schema.json) for every key.
      - C(null) values are treated as unset.
    type: dict
    required: true
  min_app_version:
    description:
      - The oldest Claude Desktop build in the fleet, for example C(1.19367.0).
      - Keys first honoured by a later build are reported as warnings.
    type: str
  allow_unknown_keys:
    description:
      - V(false) makes an unknown key an error (with a "did you mean" suggestion).
      - V(true) passes every unknown key through unvalidated, with a warning.
      - A list passes only the named keys through.
    type: raw
    default: false
notes:
  - Runs on the controller; targets need no Python packages. Requires pydantic v2 on the controller.
  - Secret values (API keys, bearer tokens, client secrets, header values) are masked in every
    result, warning, error and diff.
"""

    ATTRIBUTES = r"""
attributes:
  action:
    support: full
    description: Implemented as an action plugin; always runs on the controller.
  async:
    support: none
    description: Runs on the controller only.
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
  bypass_host_loop:
    support: none
    description: Runs once per host.
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: posix
"""
