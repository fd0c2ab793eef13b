"""Masking secrets and merging organisation/team/host layers."""

from __future__ import annotations

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._layers import LayerError, merge_layers
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._catalog import key_catalog
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import MASK, mask_config, scrub, secret_values

SECRET_KEYS = sorted(k for k, meta in key_catalog().items() if meta["secret"])


def test_model_marks_the_credentials_secret():
    for key in ("inferenceGatewayApiKey", "inferenceAnthropicApiKey", "inferenceBedrockBearerToken", "inferenceFoundryApiKey",
                "inferenceVertexOAuthClientSecret", "inferenceCustomHeaders", "otlpHeaders", "bootstrapHeaders"):
        assert key in SECRET_KEYS


@pytest.mark.parametrize("key", SECRET_KEYS)
def test_every_secret_key_is_masked(key):
    value = {"X-Token": "sk-test-header-value"} if key.endswith("Headers") else "sk-test-secret-value"
    masked = mask_config({key: value, "inferenceProvider": "gateway", "inferenceMaxTokensPerWindow": 5000})
    assert "sk-test" not in repr(masked)
    assert masked["inferenceProvider"] == "gateway" and masked["inferenceMaxTokensPerWindow"] == 5000


def test_nested_and_url_and_unknown_secrets():
    config = {
        "managedMcpServers": [{"name": "a", "headers": {"Authorization": "Bearer sk-test-mcp-1"}, "env": {"TOKEN": "sk-test-env-2"},
                               "oauth": {"clientId": "public-id", "clientSecret": "sk-test-oauth-3"}}],
        "otlpEndpoint": "https://user:sk-test-urlpw-4@collector.example.com",
        "myCustomApiKey": "sk-test-unknown-5",
        "inferenceModels": ["claude-sonnet-4-5"],
    }
    values = secret_values(config)
    for n in range(1, 6):
        assert any(v.endswith(str(n)) and "sk-test-" in v for v in values)
    masked = mask_config(config)
    assert "sk-test" not in repr(masked)
    assert masked["managedMcpServers"][0]["oauth"]["clientId"] == "public-id"
    assert masked["managedMcpServers"][0]["headers"] == {"Authorization": MASK}
    assert masked["inferenceModels"] == ["claude-sonnet-4-5"]


def test_scrub_replaces_inside_text_and_structures():
    assert scrub("key sk-test-abcd is bad", ["sk-test-abcd"]) == "key %s is bad" % MASK
    assert scrub({"a": ["x sk-test-abcd"]}, ["sk-test-abcd"]) == {"a": ["x %s" % MASK]}
    assert secret_values({"inferenceGatewayApiKey": "abc"}) == []  # too short to scrub inside text safely


def test_layers_org_team_host():
    org = {"inferenceProvider": "gateway", "coworkEgressAllowedHosts": ["docs.aiohub.org"], "inferenceModels": ["m1"],
           "banner": {"enabled": True, "text": "Org"}, "chatTabEnabled": True}
    team = {"coworkEgressAllowedHosts_extra": ["github.com", "docs.aiohub.org"], "inferenceModels": ["m2"],
            "banner": {"text": "Team"}}
    host = {"chatTabEnabled": None, "coworkEgressAllowedHosts_extra": ["pypi.org"]}
    merged = merge_layers([org, team, host])
    assert merged["coworkEgressAllowedHosts"] == ["docs.aiohub.org", "github.com", "pypi.org"]
    assert merged["inferenceModels"] == ["m2"]
    assert merged["banner"] == {"enabled": True, "text": "Team"}
    assert "chatTabEnabled" not in merged
    assert not any(k.endswith("_extra") for k in merged)
    assert org["coworkEgressAllowedHosts"] == ["docs.aiohub.org"]  # inputs untouched


def test_layers_skip_missing_and_extra_without_base():
    assert merge_layers([None, {}, {"inferenceModels_extra": ["m"]}]) == {"inferenceModels": ["m"]}


@pytest.mark.parametrize("layers,text", [
    ("notalist", "expects a list"),
    ([{"a": 1}, ["x"], {}], "team layer must be a mapping of enterpriseConfig keys, got a list"),
    ([{"a": 1}, {}, {"a_extra": ["x"]}], "not a list"),
    ([{}, {"b_extra": "x"}, {}], "must be a list"),
])
def test_layer_errors_name_the_layer(layers, text):
    with pytest.raises(LayerError, match=text):
        merge_layers(layers, names=["organisation layer", "team layer", "host layer"])


def test_old_name_of_a_secret_key_is_secret_too():
    # inferenceCustomHeaders is secret and was renamed from inferenceGatewayHeaders (spec §3.1); read from the model
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import is_secret_key, secret_values

    assert is_secret_key("inferenceGatewayHeaders") and is_secret_key("inferenceCustomHeaders")
    assert not is_secret_key("trustBootstrapLocalExec")
    assert secret_values({"inferenceGatewayHeaders": ["Authorization: Bearer sk-test-old-name-1234"]}) == ["Authorization: Bearer sk-test-old-name-1234"]


class _LazyLayer(dict):
    """Stands for an Ansible lazy container: reading a value templates it, and an undefined name raises."""

    def __getitem__(self, key):
        value = dict.__getitem__(self, key)
        if isinstance(value, str) and "{{" in value:
            raise type("AnsibleUndefinedVariable", (Exception,), {})("'%s' is undefined" % value.strip("{} "))
        return value


def test_undefined_placeholder_names_the_key_that_holds_it():
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._layers import LayerError, merge_layers

    layer = {"inferenceProvider": "gateway", "managedMcpServers": [_LazyLayer(name="x", url="{{MCP_URL}}")]}
    with pytest.raises(LayerError) as err:
        merge_layers([{}, layer, {}], names=["organisation layer", "team layer", "host layer"])
    text = str(err.value)
    assert text.startswith("team layer: managedMcpServers[0].url holds a template") and "'MCP_URL' is undefined" in text and "!unsafe" in text
