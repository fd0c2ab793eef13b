"""plugin_utils/_formats.py: the artifact formats are one table, and every place that lists formats derives from it.

A new format is one row: these tests add a row and look for it in the render action's set, the per-OS
defaults, the per-team sets and the file names; and they hold what cannot import the table (doc stubs,
role argument specs, playbooks/render.yml, the target's placement.FORMATS) to it.
"""

from __future__ import annotations

import fnmatch
import os
import re

import pytest
import yaml

from ansible_collections.aiohub.claude_desktop.plugins.action import render as render_action
from ansible_collections.aiohub.claude_desktop.plugins.module_utils import placement as p
from ansible_collections.aiohub.claude_desktop.plugins.modules import render as render_doc
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _adopt, _formats, _teams
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _artifacts as a

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
CONFIG = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org",
          "inferenceGatewayApiKey": "sk-test-formats-1a2b"}
OPTIONS = {"identifier": "org.example.formats", "scope": "machine", "reg_delete": ["oldKey"],
           "signer": None, "config_name": "Formats"}


def test_every_view_is_the_table():
    assert a.FORMATS is _formats.NAMES
    assert _formats.NAMES == tuple(f.name for f in _formats.TABLE)
    assert a.OS_FORMATS is _formats.OS_FORMATS
    assert a.FILE_NAMES is _formats.FILE_NAMES
    assert a.MERGED_FILES is _formats.MERGED_FILES
    assert _adopt.FORMAT_OS is _formats.FORMAT_OS
    assert render_action.ARGS["formats"]["choices"] == list(_formats.NAMES)
    assert render_action.ARGS["os"]["choices"] == sorted(_formats.OS_FORMATS)
    for name, row in _formats.BY_NAME.items():
        assert row.name == name and set(row.merges) <= set(row.files) and set(row.oses) <= set(_formats.TARGET_OSES)
        assert row.kind in ("managed", "user", "template")
        for os_name in row.oses:
            assert name in _formats.OS_FORMATS[os_name]


def test_behaviour_of_the_derived_views_is_what_it_was():
    # the values the hand-kept lists held before the table (issue 25 step 5): behaviour unchanged
    assert _formats.OS_FORMATS == {"macos": ("mobileconfig", "plist", "user_json", "config_library"),
                                   "windows": ("reg", "user_json", "config_library"),
                                   "linux": ("linux_json", "config_library")}
    assert _formats.FORMAT_OS == {"mobileconfig": "macos", "plist": "macos", "reg": "windows", "linux_json": "linux",
                                  "user_json": None, "config_library": None}
    assert _formats.MERGED_FILES == ("claude_desktop_config.json", "configLibrary/_meta.json")
    assert a.SIGNED_NAME == "claude-desktop.signed.mobileconfig" and a.REG_REMOVAL_NAME == "claude-desktop-remove.reg"


@pytest.mark.parametrize("fmt", _formats.NAMES)
def test_each_format_writes_only_the_files_its_row_names(fmt):
    files = a.render_set(CONFIG, [fmt], OPTIONS)
    assert files and all(written == fmt for written, dummy in files.values())
    row = _formats.BY_NAME[fmt]
    for rel in files:
        assert any(fnmatch.fnmatchcase(rel, pattern) for pattern in row.files), (fmt, rel, row.files)
    if fmt in _formats.FILE_NAMES:
        assert _formats.FILE_NAMES[fmt] in files


def test_a_row_added_to_the_table_appears_everywhere(monkeypatch):
    row = _formats.Format("toml", lambda config, options, existing: [("claude.toml", b"k = 1\n")], ("claude.toml",), (),
                          ("linux",), "managed")
    table = _formats.TABLE + (row,)
    # what _formats derives at import, derived again from the longer table
    monkeypatch.setattr(_formats, "TABLE", table)
    monkeypatch.setattr(_formats, "BY_NAME", {f.name: f for f in table})
    monkeypatch.setattr(_formats, "NAMES", tuple(f.name for f in table))
    monkeypatch.setattr(_formats, "OS_FORMATS", {o: tuple(f.name for f in table if o in f.oses) for o in _formats.TARGET_OSES})
    assert a.render_set(CONFIG, ["toml"], OPTIONS) == {"claude.toml": ("toml", b"k = 1\n")}
    assert _teams.formats_for({"linux"}, None) == ["linux_json", "config_library", "toml"]
    assert "toml" not in _teams.formats_for({"macos"}, None)


def test_unknown_format_names_the_table():
    with pytest.raises(ValueError, match="use one of mobileconfig, plist, reg"):
        a.render_set(CONFIG, ["docx"], OPTIONS)


def test_what_cannot_import_the_table_agrees_with_it():
    doc = yaml.safe_load(render_doc.DOCUMENTATION)["options"]
    assert doc["formats"]["choices"] == list(_formats.NAMES)
    assert doc["os"]["choices"] == sorted(_formats.OS_FORMATS)
    defaults = " ".join(doc["os"]["description"])
    for os_name, names in _formats.OS_FORMATS.items():
        assert "V(%s) %s" % (os_name, ", ".join(names)) in defaults  # the doc text lists each OS's default set
    with open(os.path.join(REPO, "playbooks", "render.yml")) as f:
        listed = re.search(r"formats: \"\{\{ \[([^\]]*)\]", f.read()).group(1)
    assert [n.strip(" '\n") for n in listed.split(",")] == list(_formats.NAMES)  # claude_desktop_render_all_formats
    user = {f.name for f in _formats.TABLE if f.kind == "user"}
    assert set(p.FORMATS) == user  # the target's user config formats (stdlib side, cannot import the table)
    with open(os.path.join(REPO, "roles", "user_config", "meta", "argument_specs.yml")) as f:
        options = yaml.safe_load(f)["argument_specs"]["main"]["options"]
    assert {n for o in options.values() for n in (o.get("choices") or []) if n in _formats.BY_NAME} == user
