"""The model's layers import one way only (issue 25 step 1).

_checks (value checks, coercion) <- _model (the pydantic classes) <- _catalog (what is derived from the
fields) <- _rules (the cross-key rules) and _schema (the JSON Schema). A module never imports one above it,
not even inside a function (the old _model.json_schema imported _schema at call time: an import circle).
Each import is checked in a fresh interpreter, so what another test imported first cannot hide a cycle.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _rules

PKG = "ansible_collections.aiohub.claude_desktop.plugins.plugin_utils"
HERE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))),
                    "plugins", "plugin_utils")
# the directory holding ansible_collections/ (as this process imported the collection)
ROOT = os.path.abspath(os.path.join(os.path.dirname(_rules.__file__), *[os.pardir] * 5))
LAYERS = ("_checks", "_model", "_catalog", "_rules", "_schema")
# module -> the layer modules importing it may load (everything it builds on), nothing else
MAY_LOAD = {"_checks": set(), "_model": {"_checks"}, "_catalog": {"_checks", "_model"},
            "_rules": {"_checks", "_model", "_catalog"}, "_schema": {"_checks", "_model", "_catalog"}}


def _loaded_after_import(name):
    code = ("import json, sys\nimport %s.%s\nprint(json.dumps(sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('%s.'))))"
            % (PKG, name, PKG))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False,
                          env=dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT] + [p for p in [os.environ.get("PYTHONPATH")] if p])))
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("name", LAYERS)
def test_a_fresh_import_loads_only_the_layers_below(name):
    loaded = _loaded_after_import(name) & set(LAYERS)
    assert loaded - {name} == MAY_LOAD[name], "importing %s loaded %s" % (name, sorted(loaded - {name}))


def test_importing_the_model_imports_neither_the_schema_nor_the_rules():
    loaded = _loaded_after_import("_model")
    assert not loaded & {"_schema", "_rules", "_catalog", "_validation"}, sorted(loaded)


def _imports(name):
    """The layer modules ``name`` imports anywhere in its source (module level, under ``if``, inside functions)."""
    with open(os.path.join(HERE, name + ".py"), encoding="utf-8") as f:
        tree = ast.parse(f.read())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == PKG:
                found.update(a.name for a in node.names)
            elif node.module.startswith(PKG + "."):
                found.add(node.module.rsplit(".", 1)[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.rsplit(".", 1)[1] for a in node.names if a.name.startswith(PKG + "."))
    return found & set(LAYERS) - {name}


def test_no_import_cycle_among_the_layers_even_inside_functions():
    graph = {name: _imports(name) for name in LAYERS}
    for name, deps in graph.items():
        assert deps <= MAY_LOAD[name], "%s imports %s" % (name, sorted(deps - MAY_LOAD[name]))

    def reach(start, seen):
        for dep in graph[start]:
            assert dep != seen[0], "import cycle: %s" % " -> ".join(seen + [dep])
            if dep not in seen:
                reach(dep, seen + [dep])

    for name in LAYERS:
        reach(name, [name])


def test_run_order_lists_every_rule_once():
    assert len(_rules.RUN_ORDER) == len(set(_rules.RUN_ORDER))
    assert [r.id for r in _rules.RULES] == list(_rules.RUN_ORDER)
