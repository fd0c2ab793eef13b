"""Issue 21 item 6: credential and header hygiene.

Every value the model marks secret (x-secret: API keys, tokens, client secrets, header maps, MCP
headers/env/oauth.clientSecret) is refused, naming the key path and never showing the value, when it
has whitespace around it (the classic `echo ... | ansible-vault encrypt_string` newline), a control or
invisible character anywhere, or - for a key - a scheme word or header name in front ("Bearer ...").
The leaves are found from the model's marks here too, so a new secret field is covered without
editing this test.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _catalog, _render, _schema
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import validate_config

GATEWAY = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "inferenceGatewayApiKey": "sk-test-hygiene-0001"}
MCP = {"name": "tickets", "transport": "http", "url": "https://mcp.example.com/mcp"}
MCP_OAUTH = {"name": "sso", "transport": "http", "url": "https://mcp.example.com/mcp",
             "oauth": {"clientId": "c", "clientSecret": "secret-0001", "authorizationServer": ["https://login.example.com"]}}
MCP_STDIO = {"name": "local", "transport": "stdio", "command": "/usr/local/bin/tool"}


def _string_secret_keys():
    return sorted(k for k, meta in _catalog.key_catalog().items() if meta["secret"] and meta["kind"] == "string")


def _map_secret_keys():
    return sorted(k for k, meta in _catalog.key_catalog().items() if meta["secret"] and meta["kind"] != "string")


def _placed(leaf, value):
    """A config holding value at the secret leaf ``leaf`` and the path the error must name."""
    if leaf in _string_secret_keys():
        return dict(GATEWAY, **{leaf: value}), leaf
    if leaf in _map_secret_keys():
        return dict(GATEWAY, **{leaf: {"X-Tenant": value}}), "%s.X-Tenant" % leaf
    if leaf == "mcp.headers":
        return dict(GATEWAY, managedMcpServers=[dict(MCP, headers={"X-Token": value})]), "managedMcpServers[0].headers.X-Token"
    if leaf == "mcp.env":
        return dict(GATEWAY, managedMcpServers=[dict(MCP_STDIO, env={"API_TOKEN": value})]), "managedMcpServers[0].env.API_TOKEN"
    if leaf == "mcp.oauth.clientSecret":
        server = dict(MCP_OAUTH, oauth=dict(MCP_OAUTH["oauth"], clientSecret=value))
        return dict(GATEWAY, managedMcpServers=[server]), "managedMcpServers[0].oauth.clientSecret"
    raise AssertionError(leaf)


def _leaves():
    nested = ["mcp." + ".".join(path) for path in _catalog.nested_secret_paths()["managedMcpServers"]]
    return _string_secret_keys() + _map_secret_keys() + sorted(nested)


def test_every_secret_mark_of_the_model_is_covered():
    # a new x-secret field fails here until _placed knows where to put a value
    assert set(_catalog.nested_secret_paths()) == {"managedMcpServers"}
    for leaf in _leaves():
        _placed(leaf, "x")


def _names(result, path):
    return [p for p in result.problems if p.key == path]


BAD = [
    ("sk-live-0123456789\n", "ends with a line feed"),
    ("sk-live-0123456789\r\n", "ends with a line feed"),
    (" sk-live-0123456789", "starts with a space"),
    ("sk-live-0123456789 ", "ends with a space"),
    ("\tsk-live-0123456789", "starts with a tab"),
    ("sk-live-01234\n56789", "contains a line feed"),
    ("sk-live-01234\x0756789", "contains the control character (U+0007)"),
    ("\ufeffsk-live-0123456789", "starts with a byte-order mark"),
    ("sk-live-01234\u200b56789", "contains a zero-width space"),
    ("sk-live-0123456789\u00a0", "ends with a no-break space"),
]


@pytest.mark.parametrize("leaf", _leaves())
@pytest.mark.parametrize("value,said", BAD)
def test_whitespace_and_control_characters_are_refused_naming_the_key(leaf, value, said):
    config, path = _placed(leaf, value)
    result = validate_config(config)
    assert not result.ok
    found = _names(result, path)
    if not found and "headers" in leaf or leaf in _map_secret_keys() and ("\n" in value or "\r" in value):
        # the header maps' own field rule already refuses a line break (check_header_map), naming the header
        found = [p for p in result.problems if path.startswith(p.key) and "line break" in p.rule and path.split(".")[-1] in p.rule]
        assert found, [str(p) for p in result.problems]
        return
    assert found, [str(p) for p in result.problems]
    assert said in found[0].rule, found[0].rule
    text = " ".join(str(p) for p in result.problems) + " ".join(result.warnings)
    assert value.strip() not in text  # the value is never shown


@pytest.mark.parametrize("leaf", _leaves())
def test_clean_values_pass(leaf):
    config, path = _placed(leaf, "sk-live-0123456789")
    result = validate_config(config)
    assert not _names(result, path), [str(p) for p in result.problems]


def test_the_vault_newline_gets_the_printf_fix():
    result = validate_config(dict(GATEWAY, inferenceGatewayApiKey="sk-live-0123456789\n"))
    (problem,) = result.problems
    assert problem.key == "inferenceGatewayApiKey"
    assert "printf '%s'" in problem.fix and "ansible-vault encrypt_string" in problem.fix


@pytest.mark.parametrize("value,prefix", [
    ("Bearer sk-live-0123456789", "Bearer"), ("bearer sk-live-0123456789", "bearer"), ("BEARER  sk-live-0123456789", "BEARER"),
    ("Basic dXNlcjpwYXNzd29yZA==", "Basic"), ("Authorization: Bearer sk-live-0123456789", "Authorization: Bearer"),
    ("x-api-key: sk-live-0123456789", "x-api-key:"),
])
@pytest.mark.parametrize("key", ["inferenceGatewayApiKey", "inferenceAnthropicApiKey", "inferenceBedrockBearerToken", "inferenceFoundryApiKey"])
def test_a_scheme_word_in_a_key_is_an_error_with_the_fix(key, value, prefix):
    result = validate_config(dict(GATEWAY, **{key: value}))
    found = [p for p in _names(result, key) if "adds the scheme itself" in p.rule]
    assert found, [str(p) for p in result.problems]
    assert repr(prefix) in found[0].rule and "without %r" % prefix in found[0].fix
    assert value.split()[-1] not in str(found[0])


@pytest.mark.parametrize("value", ["bearer-token-0123456789", "BasicAuthKey0123", "sk-ant-api03-abc", "none", "Bearer"])
def test_words_that_are_part_of_a_key_are_not_scheme_words(value):
    assert validate_config(dict(GATEWAY, inferenceGatewayApiKey=value)).ok


def test_header_values_may_carry_a_scheme_word():
    """An MCP server's Authorization header is written with its scheme: only keys are checked for one."""
    config = dict(GATEWAY, managedMcpServers=[dict(MCP, headers={"Authorization": "Bearer tok-0123456789"})])
    assert validate_config(config).ok


KEY_TEXT = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7e), min_size=12, max_size=40).filter(
    lambda s: not s.lower().startswith(("bearer", "basic", "authorization", "x-api-key")))
JUNK = st.sampled_from(["\n", "\r\n", " ", "\t", "\x00", "\x1b", "\u2028", "\ufeff", "\u200b", "\x85"])


@settings(max_examples=300, deadline=None)
@given(KEY_TEXT, JUNK, st.sampled_from(["start", "end", "middle"]), st.sampled_from(_leaves()))
def test_property_any_dirty_value_is_refused_and_never_echoed(key, junk, where, leaf):
    if where == "middle" and junk == " ":
        where = "end"  # a space inside a value is not refused (only around it)
    dirty = {"start": junk + key, "end": key + junk, "middle": key[:2] + junk + key[2:]}[where]
    config, path = _placed(leaf, dirty)
    result = validate_config(config)
    assert not result.ok
    assert any(path.startswith(p.key) for p in result.problems), [str(p) for p in result.problems]
    assert key not in " ".join(str(p) for p in result.problems)
    clean = _placed(leaf, key)[0]
    assert not _names(validate_config(clean), path)


def test_a_refused_key_never_reaches_an_artifact():
    """The render path validates first: nothing is rendered from a key with a newline."""
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import ConfigValidationError, require_valid

    with pytest.raises(ConfigValidationError) as err:
        require_valid(dict(GATEWAY, inferenceGatewayApiKey="sk-live-0123456789\n"), host="mac1")
    assert "inferenceGatewayApiKey" in str(err.value) and "sk-live-0123456789" not in str(err.value)
    # the same key without the newline renders, and the artifact holds the key exactly
    ok = require_valid(dict(GATEWAY, inferenceGatewayApiKey="sk-live-0123456789"))
    assert b"<string>sk-live-0123456789</string>" in _render.render_managed_plist(ok.config)


@pytest.mark.parametrize("value", [v for v, _said in BAD] + ["Bearer sk-live-0123456789", "x-api-key: sk-live-0123456789"])
def test_the_json_schema_states_the_same_rule(value):
    """Editors checking group_vars against docs/schema refuse what validate refuses (and accept a clean key)."""
    import jsonschema

    schema = _schema.json_schema()
    checker = jsonschema.Draft202012Validator(schema)
    for key in _string_secret_keys():
        assert not checker.is_valid(dict(GATEWAY, **{key: value})), (key, value)
        assert checker.is_valid(dict(GATEWAY, **{key: "sk-live-0123456789"})), key
    assert not checker.is_valid(dict(GATEWAY, inferenceCustomHeaders={"X-Tenant": value.replace("Bearer ", " ").replace("x-api-key: ", "\t")}))
