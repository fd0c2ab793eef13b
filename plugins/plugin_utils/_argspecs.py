# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The option blocks several actions share, declared once. PRIVATE: ONLY FOR ACTION PLUGINS.

Each block is documented by the doc fragment of the same name (``plugins/doc_fragments/<block>.py``,
as community.crypto pairs ``module_backends/privatekey.py`` with ``doc_fragments/_module_privatekey.py``);
an action's doc stub lists the fragment in ``extends_documentation_fragment`` and its ``ARGUMENT_SPEC``
combines the blocks with ``options()``. tests/unit/plugins/action/test_argspecs_match_docs.py compares
every action's spec with its doc stub (validate-modules cannot: action plugins hold their own spec).
"""

from __future__ import annotations

import copy

# The defaults several options, roles and playbooks share (one constant each).
IDENTIFIER = "org.aiohub.claude-desktop"  # profile identifier; names the configLibrary entry (a UUID derives from it)
ENTRY_NAME = "Managed by IT"  # display name of the configLibrary entry when no organization is given
DISPLAY_NAME = "Claude Desktop (third-party inference)"  # profile display name (render, mdm)

# doc fragment config: the enterpriseConfig and how it is validated
CONFIG = {
    "config": {"type": "dict", "required": True, "no_log": True},
    "min_app_version": {"type": "str"},
    "allow_unknown_keys": {"type": "raw", "default": False},
}
# doc fragment state
STATE = {
    "state": {"type": "str", "default": "present", "choices": ["present", "absent"]},
}
# doc fragment scope
SCOPE = {
    "scope": {"type": "str", "default": "machine", "choices": ["machine", "user"]},
}
# doc fragment profile_identity: the configuration profile's identity (macOS .mobileconfig, MDM profiles)
PROFILE_IDENTITY = {
    "identifier": {"type": "str", "default": IDENTIFIER},
    "organization": {"type": "str", "default": ""},
    "display_name": {"type": "str", "default": DISPLAY_NAME},
    "description": {"type": "str", "default": ""},
    "removal_disallowed": {"type": "bool", "default": False},
}
# doc fragment fleet: the play's hosts, for the actions that work on a whole fleet once (run_once)
FLEET = {
    "hosts": {"type": "list", "elements": "str"},
}


def options(*blocks, **overrides):
    """One argument spec from blocks (later ones win) and per-option overrides: ``name=dict(...)`` updates
    that option of a block (``config={"required": False}``) or adds an option of the action's own."""
    spec = {}
    for block in blocks:
        spec.update(copy.deepcopy(block))
    for name, fields in overrides.items():
        spec[name] = dict(spec.get(name, {}), **fields)
    return spec
