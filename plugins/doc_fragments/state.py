# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    """The state option block, declared in plugins/plugin_utils/_argspecs.py (STATE): the same types,
    defaults and choices (tests/unit/plugins/action/test_argspecs_match_docs.py). A doc stub may
    give an option its own description; the fields here are the block's."""

    DOCUMENTATION = r"""
options:
  state:
    description: Whether the configuration should be present or removed.
    type: str
    default: present
    choices: [present, absent]
"""
