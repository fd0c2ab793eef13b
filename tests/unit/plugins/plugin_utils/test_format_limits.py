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


def test_a_control_character_is_an_error_where_a_plist_may_be_rendered():
    """Found by the 10,000-example hardening run: U+001F passed validation and plistlib refused it
    at render time. XML 1.0 cannot hold it at all, so it is an error for macOS and an unknown OS."""
    config = dict(BASE, deploymentDisplayName="Example\x1fCorp", banner={"enabled": True, "text": "a\x07b"})
    for target in ("macos", None):
        result = validate_config(config, target_os=target)
        keys = [p.key for p in result.problems]
        assert "deploymentDisplayName" in keys and "banner.text" in keys, (target, _keys(result))
        assert any("U+001F" in p.rule for p in result.problems)
    with pytest.raises(ValueError):
        a.render_set(config, ["plist"], {"identifier": "org.example"})
    # Linux's JSON escapes it: accepted, and rendered
    linux = validate_config(config, target_os="linux")
    assert linux.ok, _keys(linux)
    a.render_set(linux.config, ["linux_json"], {"identifier": "org.example"})
    # tab, line feed and carriage return are legal XML: accepted and rendered for macOS
    fine = validate_config(dict(BASE, deploymentDisplayName="Example\tCorp", organizationInstructions="one\r\ntwo"), target_os="macos")
    assert fine.ok, _keys(fine)
    a.render_set(fine.config, ["plist", "mobileconfig"], {"identifier": "org.example"})


@pytest.mark.parametrize("char", ["\ufffe", "\uffff"])
def test_an_xml_non_character_is_an_error_where_a_plist_may_be_rendered(char):
    """Found by hypothesis (render -> adopt round trip): plistlib writes U+FFFE/U+FFFF, which XML 1.0's Char production
    excludes, and then no parser reads the profile back (the Mac would not either)."""
    import plistlib
    import xml.parsers.expat

    config = dict(BASE, deploymentDisplayName="Ex%sample" % char)
    with pytest.raises(xml.parsers.expat.ExpatError):
        plistlib.loads(plistlib.dumps({"deploymentDisplayName": config["deploymentDisplayName"]}))
    for target in ("macos", None):
        result = validate_config(config, target_os=target)
        assert ("deploymentDisplayName", "holds the non-character U+%04X, which a macOS plist or profile (XML 1.0) cannot carry" % ord(char)) \
            in _keys(result), (target, _keys(result))
    assert validate_config(config, target_os="linux").ok  # JSON carries it
