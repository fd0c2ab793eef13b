"""registry_value_problems: characters a registry string cannot carry, refused for registry targets only."""

from __future__ import annotations

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import registry_value_problems, validate_config

BASE = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "inferenceGatewayApiKey": "sk-test-regval-1"}


@pytest.mark.parametrize("char, named", [("\x00", "U+0000"), ("\r", "U+000D"), ("\n", "U+000A"), ("\u2028", "U+2028"), ("\u2029", "U+2029")])
def test_top_level_strings_with_unsafe_characters_are_refused(char, named):
    problems = registry_value_problems(dict(BASE, deploymentDisplayName="Ops" + char + "Team"))
    assert [p.key for p in problems] == ["deploymentDisplayName"] and named in problems[0].rule
    # validation refuses it for Windows targets, whatever other targets accept
    windows = validate_config(dict(BASE, deploymentDisplayName="Ops" + char + "Team"), target_os="windows")
    assert not windows.ok and "deploymentDisplayName" in windows.error_message()


def test_json_encoded_values_escape_control_characters_but_not_unicode_separators():
    config = validate_config(dict(BASE, inferenceCustomHeaders={"X-Team": "a\nb\x00c"})).config
    assert registry_value_problems(config) == []
    config = validate_config(dict(BASE, inferenceCustomHeaders={"X-Team": "a\u2028b"})).config
    assert [p.key for p in registry_value_problems(config)] == ["inferenceCustomHeaders"]


def test_a_clean_config_has_no_problem():
    assert registry_value_problems(validate_config(BASE).config) == []
