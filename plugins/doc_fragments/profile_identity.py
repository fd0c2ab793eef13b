# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    """The profile identity option block, declared in plugins/plugin_utils/_argspecs.py (PROFILE_IDENTITY): the same types,
    defaults and choices (tests/unit/plugins/action/test_argspecs_match_docs.py). A doc stub may
    give an option its own description; the fields here are the block's."""

    DOCUMENTATION = r"""
options:
  identifier:
    description: Profile PayloadIdentifier; also names the configLibrary entry.
    type: str
    default: org.aiohub.claude-desktop
  organization:
    description: Profile PayloadOrganization.
    type: str
    default: ""
  display_name:
    description: Profile PayloadDisplayName.
    type: str
    default: Claude Desktop (third-party inference)
  description:
    description: Profile PayloadDescription.
    type: str
    default: ""
  removal_disallowed:
    description: Profile PayloadRemovalDisallowed.
    type: bool
    default: false
"""
