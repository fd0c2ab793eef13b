"""Issue 14 item 7: a value a target format cannot carry is a validation error naming the key,
not a render-time surprise (validation and rendering agree)."""

from __future__ import annotations

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _artifacts as a
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import validate_config

BASE = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org",
        "inferenceGatewayApiKey": "sk-test-format-limits-1234"}


def _keys(result):
    return [(p.key, p.rule) for p in result.problems]


def test_a_line_break_in_a_reg_string_is_an_error_for_windows_only():
    config = dict(BASE, deploymentDisplayName="Example\nCorp")
    windows = validate_config(config, target_os="windows")
    assert ("deploymentDisplayName", "contains a line feed (U+000A), which a registry REG_SZ value (and a .reg file) cannot carry") \
        in _keys(windows)
    # what validation accepts for Windows, the .reg renderer can write, and what it refuses, the renderer refuses too
    with pytest.raises(ValueError, match="deploymentDisplayName"):
        a.render_set(config, ["reg"], {"identifier": "org.example"})
    for other in ("macos", "linux", None):
        assert validate_config(config, target_os=other).ok, other
    # inside a list or object the value is written as JSON, where a line break is escaped: fine
    nested = dict(BASE, inferenceModels=["claude-sonnet-4-20250514"], banner={"enabled": True, "text": "two\nlines"})
    result = validate_config(nested, target_os="windows")
    assert not [p for p in result.problems if "line feed" in p.rule]
    a.render_set(result.config, ["reg"], {"identifier": "org.example"})


def test_a_nul_character_anywhere_is_an_error_naming_the_key():
    result = validate_config(dict(BASE, deploymentDisplayName="Ex\x00ample"), target_os="linux")
    assert ("deploymentDisplayName", "holds a NUL character, which no target format can carry (plist XML, .reg REG_SZ)") in _keys(result)
    nested = validate_config(dict(BASE, banner={"enabled": True, "text": "a\x00b"}))
    assert any(p.key == "banner.text" and "NUL" in p.rule for p in nested.problems), _keys(nested)
    assert "sk-test-format-limits-1234" not in str(_keys(nested))
