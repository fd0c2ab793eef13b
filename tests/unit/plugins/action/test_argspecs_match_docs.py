# -*- coding: utf-8 -*-
"""Every action plugin's argument spec against its doc stub, doc fragments merged (issue 25 step 4).

ansible-test's validate-modules compares a module's argument_spec with its DOCUMENTATION, but an action
plugin's spec lives in the action (plugins/action/<name>.py, ARGUMENT_SPEC), which it never reads. This
test does that comparison for every action: type, default, choices, required, elements, no_log'd
options kept out of the docs' defaults, and sub-options (mdm's ``mdm`` dict). The roles' argument
specs repeat some of the shared option blocks (plugin_utils/_argspecs.py): they are compared too.
"""

from __future__ import annotations

import glob
import importlib
import os

import pytest
import yaml
from ansible.utils.plugin_docs import merge_fragment

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _argspecs

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), *[os.pardir] * 4))
ACTIONS = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(ROOT, "plugins", "action", "*.py")) if not p.endswith("__init__.py"))
FIELDS = ("type", "default", "choices", "required", "elements")
# what Ansible assumes when a field is left out (doc and spec alike)
IMPLIED = {"type": "str", "default": None, "choices": None, "required": False, "elements": None}


PREFIX = "aiohub.claude_desktop."


def _doc(name):
    """The doc stub's options with its fragments merged the way ansible-doc merges them (merge_fragment:
    the stub's own fields win), the fragments read from plugins/doc_fragments/ directly."""
    stub = importlib.import_module("ansible_collections.aiohub.claude_desktop.plugins.modules." + name)
    doc = yaml.safe_load(stub.DOCUMENTATION)
    for fragment in doc.pop("extends_documentation_fragment", []) or []:
        assert fragment.startswith(PREFIX), fragment
        module, dummy, var = fragment[len(PREFIX):].partition(".")
        source = importlib.import_module("ansible_collections.aiohub.claude_desktop.plugins.doc_fragments." + module).ModuleDocFragment
        part = yaml.safe_load(getattr(source, (var or "documentation").upper()))
        if "options" in part:
            merge_fragment(doc.setdefault("options", {}), part.pop("options"))
    return doc.get("options") or {}


def _norm(field, value):
    if field == "type" and value is None:
        return "str"
    if field == "choices" and value is not None:
        return sorted(value, key=str)
    if field == "default" and isinstance(value, float) and value.is_integer():
        return value  # YAML 15 and Python 15.0 are the same default
    return value


def compare(spec, doc, where):
    problems = []
    for option in sorted(set(spec) | set(doc)):
        if option not in doc:
            problems.append("%s: %s is in the argument spec, not in the doc stub" % (where, option))
            continue
        if option not in spec:
            problems.append("%s: %s is documented, not in the argument spec" % (where, option))
            continue
        s, d = spec[option], doc[option]
        for field in FIELDS:
            want, have = _norm(field, s.get(field, IMPLIED[field])), _norm(field, d.get(field, IMPLIED[field]))
            if field == "default" and s.get("required") and have is None:
                continue
            if want != have and not (field == "default" and s.get("type") == "float" and want is not None and have is not None
                                     and float(want) == float(have)):
                problems.append("%s: %s %s is %r in the spec, %r in the docs" % (where, option, field, want, have))
        if "options" in s or "suboptions" in d:
            problems.extend(compare(s.get("options") or {}, d.get("suboptions") or {}, "%s.%s" % (where, option)))
    return problems


def test_every_action_has_a_doc_stub():
    assert len(ACTIONS) >= 10
    for name in ACTIONS:
        assert os.path.exists(os.path.join(ROOT, "plugins", "modules", name + ".py")), name


@pytest.mark.parametrize("name", ACTIONS)
def test_action_argument_spec_matches_its_doc_stub(name):
    action = importlib.import_module("ansible_collections.aiohub.claude_desktop.plugins.action." + name)
    spec = action.ActionModule.ARGUMENT_SPEC
    assert spec, name
    assert compare(spec, _doc(name), name) == []


def test_compare_finds_drift():
    spec = {"a": {"type": "int", "default": 1}, "b": {"type": "str", "choices": ["x", "y"]}, "c": {"type": "list", "elements": "str"}}
    doc = {"a": {"type": "int", "default": 2}, "b": {"type": "str", "choices": ["x"]}, "c": {"type": "list", "elements": "dict"},
           "d": {"type": "str"}}
    found = compare(spec, doc, "t")
    assert len(found) == 4 and any("a default" in f for f in found) and any("documented" in f for f in found)
    assert compare({"a": {"type": "str", "required": True}}, {"a": {"type": "str"}}, "t") == ["t: a required is True in the spec, False in the docs"]


# ----------------------------------------------------------------------------------- the roles
def _role_options(role):
    with open(os.path.join(ROOT, "roles", role, "meta", "argument_specs.yml"), encoding="utf-8") as f:
        return yaml.safe_load(f)["argument_specs"]["main"]["options"]


@pytest.mark.parametrize("role, prefix, blocks", [
    ("managed_settings", "managed_settings_", ("STATE", "CONFIG")),
    ("user_config", "user_config_", ("STATE", "CONFIG")),
    ("windows_policy", "windows_policy_", ("STATE", "CONFIG", "SCOPE")),
])
def test_role_argument_specs_repeat_the_shared_blocks_faithfully(role, prefix, blocks):
    """A role option named <prefix><option> of a shared block has the block's type, choices and elements
    (defaults of ``config`` differ on purpose: the role merges the inventory layers)."""
    options = _role_options(role)
    for block in blocks:
        for option, spec in getattr(_argspecs, block).items():
            doc = options.get(prefix + option)
            if doc is None:
                continue
            for field in ("type", "choices", "elements") + (("default",) if option != "config" and "default" in doc else ()):
                assert _norm(field, doc.get(field, IMPLIED[field])) == _norm(field, spec.get(field, IMPLIED[field])), (role, option, field)


def test_role_and_playbook_fallbacks_are_the_shared_constants():
    """The roles' defaults and the playbooks fall back (in Jinja) to the same identifier and entry name
    as the actions' argument specs."""
    import re

    seen = 0
    for path in sorted(glob.glob(os.path.join(ROOT, "roles", "*", "defaults", "*.yml")) + glob.glob(os.path.join(ROOT, "playbooks", "*.yml"))):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for value in re.findall(r"claude_desktop_identifier\s*\|\s*default\(\s*'([^']*)'", text):
            assert value == _argspecs.IDENTIFIER, path
            seen += 1
        for value in re.findall(r"claude_desktop_organization\s*\|\s*default\(\s*'([^']*)'\s*,\s*true\s*\)", text):
            assert value == _argspecs.ENTRY_NAME, path
            seen += 1
    assert seen >= 3
