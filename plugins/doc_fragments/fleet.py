# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    """The fleet option block, declared in plugins/plugin_utils/_argspecs.py (FLEET): the same types,
    defaults and choices (tests/unit/plugins/action/test_argspecs_match_docs.py). A doc stub may
    give an option its own description; the fields here are the block's."""

    DOCUMENTATION = r"""
options:
  hosts:
    description: The inventory hosts to work on in this one task (fleet mode; use C(run_once=true)).
    type: list
    elements: str
"""
