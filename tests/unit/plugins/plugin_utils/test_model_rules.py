"""Accept and reject cases for the enterpriseConfig rules (spec §3, §3.5, §3.13, §8, §9)."""

from __future__ import annotations

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import parse_version, validate_config

KEY = "sk-test-0123456789abcdef"
GATEWAY = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "inferenceGatewayApiKey": KEY,
           "isDesktopExtensionEnabled": False}
MINIMAL = {
    "gateway": GATEWAY,
    "anthropic": {"inferenceProvider": "anthropic", "inferenceAnthropicApiKey": "sk-ant-test-1234"},
    "bedrock": {"inferenceProvider": "bedrock", "inferenceBedrockRegion": "us-east-1", "inferenceBedrockBearerToken": "test-bearer-1234"},
    "mantle": {"inferenceProvider": "mantle", "inferenceBedrockRegion": "us-east-1", "inferenceBedrockBearerToken": "test-bearer-1234",
               "inferenceModels": ["claude-sonnet-4-5"]},
    "vertex": {"inferenceProvider": "vertex", "inferenceVertexProjectId": "my-project", "inferenceVertexRegion": "us-east5",
               "inferenceModels": ["claude-sonnet-4@20250514"]},
    "foundry": {"inferenceProvider": "foundry", "inferenceFoundryResource": "my-res", "inferenceFoundryApiKey": "test-foundry-1234",
                "inferenceModels": ["claude-sonnet-4-5"]},
}


def problems(config, **kwargs):
    result = validate_config(config, **kwargs)
    return {p.key: p for p in result.problems}, result


def assert_rejected(config, key, text, **kwargs):
    found, result = problems(config, **kwargs)
    assert not result.ok
    assert key in found, "expected a problem on %s, got %s" % (key, [str(p) for p in result.problems])
    assert text in found[key].rule + " " + found[key].fix, str(found[key])
    return found[key]


@pytest.mark.parametrize("provider", sorted(MINIMAL))
def test_minimal_config_per_provider_is_valid(provider):
    result = validate_config(MINIMAL[provider])
    assert result.ok, result.error_message()


@pytest.mark.parametrize("provider,drop,key,text", [
    ("gateway", "inferenceGatewayBaseUrl", "inferenceGatewayBaseUrl", "is required"),
    ("gateway", "inferenceGatewayApiKey", "inferenceGatewayApiKey", 'no credential configured for provider "gateway"'),
    ("anthropic", "inferenceAnthropicApiKey", "inferenceAnthropicApiKey", "no credential"),
    ("bedrock", "inferenceBedrockRegion", "inferenceBedrockRegion", "is required"),
    ("bedrock", "inferenceBedrockBearerToken", "inferenceBedrockBearerToken", "no credential"),
    ("mantle", "inferenceModels", "inferenceModels", "does no model discovery"),
    ("mantle", "inferenceBedrockBearerToken", "inferenceBedrockBearerToken", 'no credential configured for provider "mantle"'),
    ("vertex", "inferenceVertexProjectId", "inferenceVertexProjectId", "is required"),
    ("vertex", "inferenceVertexRegion", "inferenceVertexRegion", "is required"),
    ("vertex", "inferenceModels", "inferenceModels", "is required for vertex"),
    ("foundry", "inferenceFoundryResource", "inferenceFoundryResource", "is required"),
    ("foundry", "inferenceModels", "inferenceModels", "is required for foundry"),
    ("foundry", "inferenceFoundryApiKey", "inferenceFoundryApiKey", "no credential"),
])
def test_required_keys_per_provider(provider, drop, key, text):
    config = {k: v for k, v in MINIMAL[provider].items() if k != drop}
    assert_rejected(config, key, text)


@pytest.mark.parametrize("extra", [
    {"inferenceCredentialHelper": "/usr/local/bin/cred-helper"},
    {"inferenceCredentialKind": "interactive"},
    {"inferenceCredentialKind": "external-idp", "inferenceIdpOidc": {"clientId": "abc", "issuer": "https://idp.example.com"}},
])
def test_gateway_credentials_other_than_a_key(extra):
    config = {k: v for k, v in GATEWAY.items() if k != "inferenceGatewayApiKey"}
    config.update(extra)
    assert validate_config(config).ok


def test_helper_wins_over_static_key_with_a_warning():
    result = validate_config(dict(GATEWAY, inferenceCredentialHelper="/opt/helper"))
    assert result.ok
    assert any("the helper always wins" in w for w in result.warnings)


def test_bedrock_sso_needs_all_four_keys_and_models():
    config = {"inferenceProvider": "bedrock", "inferenceBedrockRegion": "us-east-1",
              "inferenceBedrockSsoStartUrl": "https://example.awsapps.com/start", "inferenceBedrockSsoRegion": "us-east-1"}
    problem = assert_rejected(config, "inferenceBedrockSsoStartUrl", "all four SSO keys")
    assert "inferenceBedrockSsoAccountId" in problem.fix and "inferenceBedrockSsoRoleName" in problem.fix
    config.update(inferenceBedrockSsoAccountId="123456789012", inferenceBedrockSsoRoleName="BedrockUsers")
    assert_rejected(config, "inferenceModels", "with interactive credentials: the app does no model discovery")
    config["inferenceModels"] = ["us.anthropic.claude-sonnet-4-5-20250929-v1:0"]
    assert validate_config(config).ok


def test_bedrock_several_credential_sources_need_a_kind():
    config = dict(MINIMAL["bedrock"], inferenceBedrockProfile="dev", inferenceModels=["m"])
    assert_rejected(config, "inferenceCredentialKind", "several bedrock credential sources")
    assert validate_config(dict(config, inferenceCredentialKind="static")).ok


@pytest.mark.parametrize("key,value,text", [
    ("autoUpdaterEnforcementHours", 0, "at least 1"),
    ("autoUpdaterEnforcementHours", 73, "at most 72"),
    ("inferenceTokenWindowHours", 721, "at most 720"),
    ("inferenceCredentialHelperTimeoutSec", 601, "at most 600"),
    ("inferenceCredentialHelperTimeoutSec", 0, "at least 1"),
    ("configRecheckIntervalMinutes", 1, "at least 2"),
    ("relaunchEnforcementHours", 337, "at most 336"),
    ("deploymentDisplayName", "x" * 61, "longer than 60"),
    ("organizationInstructions", "x" * 3001, "longer than 3000"),
    ("inferenceProvider", "openai", "must be one of"),
    ("inferenceBedrockServiceTier", "gold", "must be one of"),
    ("otlpProtocol", "udp", "must be one of"),
    ("otlpDesktopLogLevel", "trace", "must be one of"),
    ("microsoftAuthBroker", "on", "must be one of"),
    ("disabledBuiltinTools", ["Bash", "Shell"], "must be one of"),  # reported on disabledBuiltinTools[1]
    ("deploymentOrganizationUuid", "not-a-uuid", "required format"),
    ("disableAutoUpdates", "yes", "expected a boolean"),
    ("autoUpdaterEnforcementHours", True, "got a boolean"),
    ("autoUpdaterEnforcementHours", "soon", "expected an integer"),
    ("inferenceGatewayApiKey", "", "must not be empty"),
    ("coworkEgressAllowedHosts", "docs.aiohub.org", "expected a list"),
])
def test_types_enums_and_ranges(key, value, text):
    path = key + "[1]" if key == "disabledBuiltinTools" else key
    assert_rejected(dict(GATEWAY, **{key: value}), path, text)


@pytest.mark.parametrize("key,value", [
    ("autoUpdaterEnforcementHours", 1), ("autoUpdaterEnforcementHours", 72), ("inferenceTokenWindowHours", 720),
    ("inferenceCredentialHelperTimeoutSec", 600), ("configRecheckIntervalMinutes", 30), ("relaunchEnforcementHours", 0),
    ("deploymentDisplayName", "x" * 60), ("deploymentOrganizationUuid", "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f"),
    ("disabledBuiltinTools", ["Bash", "WebFetch"]), ("otlpContentCapture", []),
])
def test_boundaries_accepted(key, value):
    config = dict(GATEWAY, **{key: value})
    if key == "inferenceTokenWindowHours":
        config["inferenceMaxTokensPerWindow"] = 1000
    assert validate_config(config).ok, validate_config(config).error_message()


@pytest.mark.parametrize("url,text", [
    ("http://api.aiohub.org", "must use https"),
    ("https://user:pass@gw.example.com", "must not embed credentials"),
    ("ftp://gw.example.com", "absolute https:// URL"),
    ("gw.example.com", "absolute https:// URL"),
    ("https://gw.example.com:99999", "invalid port"),
    ("https://gw example.com", "whitespace"),
])
def test_gateway_url_rejections(url, text):
    assert_rejected(dict(GATEWAY, inferenceGatewayBaseUrl=url), "inferenceGatewayBaseUrl", text)


@pytest.mark.parametrize("url,warning", [
    ("http://127.0.0.1:4000", None),
    ("https://api.aiohub.org", None),
    ("https://api.aiohub.org/v1", "ends with /v1"),
    ("https://api.aiohub.org/", "trailing slash"),
    ("https://api.asksage.ai/server/anthropic", None),
    # §3.3: "must use https (or http on loopback)"; "use literal 127.0.0.1 for loopback (localhost may not pass)"
    ("http://localhost:4000", "use http://127.0.0.1 instead"),
    ("http://[::1]:4000", None),
    # issue 10: nothing beyond scheme, credentials and the base-URL warnings is a URL rule
    ("https://gw.example.com?a=1", None),
    ("https://gw.example.com#frag", None),
    ("https://gw.example.com:8443", None),
    ("https://bücher.example", None),
])
def test_gateway_url_accepted_with_style_warnings(url, warning):
    result = validate_config(dict(GATEWAY, inferenceGatewayBaseUrl=url))
    assert result.ok, result.error_message()
    url_warnings = [w for w in result.warnings if w.startswith("inferenceGatewayBaseUrl")]
    assert (warning is None and not url_warnings) or (warning and any(warning in w for w in url_warnings))


@pytest.mark.parametrize("hosts", [["*"], ["api.github.com"], ["*.example.com", "example.com"], ["10.0.0.5"], ["a-b.c-d.io"]])
def test_egress_accepted(hosts):
    assert validate_config(dict(GATEWAY, coworkEgressAllowedHosts=hosts)).ok


@pytest.mark.parametrize("entry,text", [
    ("https://x.com/path", "is a URL"),
    ("x.com/path", "is a URL"),
    ("[::1]", "IPv6"),
    ("fe80::1", "IPv6"),
    ("api.*.com", "other than alone or as a leading"),
    ("*.10.0.0.1", "never match IP"),
    ("-bad.com", "not a valid host name"),
    ("x.com:0", "invalid port"),
])
def test_egress_invalid_entries_are_dropped_with_a_warning(entry, text):
    # §3.6: "IPv6 literals unsupported; invalid entries dropped individually with a log warning"
    result = validate_config(dict(GATEWAY, coworkEgressAllowedHosts=["ok.com", entry]))
    assert result.ok, result.error_message()
    assert any(w.startswith("coworkEgressAllowedHosts") and text in w and "drops it" in w for w in result.warnings), result.warnings


def test_egress_empty_entry_rejected():
    assert_rejected(dict(GATEWAY, coworkEgressAllowedHosts=["ok.com", ""]), "coworkEgressAllowedHosts", "non-empty")


def test_egress_port_is_a_warning():
    # §3.6: "Old builds reject the whole list if any entry has a port"
    result = validate_config(dict(GATEWAY, coworkEgressAllowedHosts=["internal.corp.com:8443"]))
    assert result.ok and any("reject the whole list" in w for w in result.warnings)


def test_vertex_project_regex_and_tool_search():
    assert_rejected(dict(MINIMAL["vertex"], inferenceVertexProjectId="My_Project"), "inferenceVertexProjectId", "required format")
    assert_rejected(dict(MINIMAL["vertex"], toolSearchEnabled=True), "toolSearchEnabled", "Vertex rejects")


@pytest.mark.parametrize("oidc,text", [
    ({"issuer": "https://idp.example.com"}, "is required"),
    ({"clientId": "a"}, "needs issuer"),
    ({"clientId": "a", "issuer": "https://idp.example.com/.well-known/openid-configuration"}, "metadata URI"),
    ({"clientId": "a", "issuer": "https://idp.example.com", "bearerTokenType": "access_token"}, "requires scopes"),
    ({"clientId": "a", "issuer": "http://idp.example.com"}, "must use https"),
    ({"clientId": "a", "issuer": "https://idp.example.com", "redirectPort": 80}, "at least 1024"),
    ({"clientId": "a", "issuer": "https://idp.example.com", "clientSecret": "x"}, "unknown field"),
])
def test_oidc_pairing_rules(oidc, text):
    config = dict(GATEWAY, inferenceCredentialKind="interactive", inferenceGatewayOidc=oidc)
    found, result = problems(config)
    assert not result.ok
    assert any(k.startswith("inferenceGatewayOidc") and text in p.rule + " " + p.fix for k, p in found.items()), \
        [str(p) for p in result.problems]


def test_oidc_with_authorization_and_token_urls():
    oidc = {"clientId": "a", "authorizationUrl": "https://idp/a", "tokenUrl": "https://idp/t"}
    assert validate_config(dict(GATEWAY, inferenceCredentialKind="interactive", inferenceGatewayOidc=oidc)).ok


def test_oidc_urls_beside_an_issuer_are_ignored_with_a_warning():
    # §3.3 inferenceGatewayOidc fields: authorizationUrl, tokenUrl "ignored if issuer set"
    oidc = {"clientId": "a", "issuer": "https://idp.example.com", "tokenUrl": "https://idp.example.com/t"}
    result = validate_config(dict(GATEWAY, inferenceCredentialKind="interactive", inferenceGatewayOidc=oidc))
    assert result.ok and any("ignored because issuer is set" in w for w in result.warnings)


def test_token_cap_without_window_is_inert_a_warning():
    # §3.9: inferenceMaxTokensPerWindow "inert unless inferenceTokenWindowHours also set"
    result = validate_config(dict(GATEWAY, inferenceMaxTokensPerWindow=1000))
    assert result.ok and any(w.startswith("inferenceMaxTokensPerWindow") and "inferenceTokenWindowHours" in w for w in result.warnings)


@pytest.mark.parametrize("server,text", [
    ({"name": "a", "transport": "http", "url": "http://mcp.example.com"}, "must use https"),
    ({"name": "a", "transport": "http"}, "requires url"),
    ({"name": "a", "transport": "stdio", "command": "node"}, "absolute path"),
    ({"name": "a", "transport": "stdio"}, "requires command"),
    ({"name": "a", "transport": "http", "url": "https://m.example.com", "oauth": True, "headers": {"X-A": "b"}}, "exclusive"),
    ({"name": "a", "url": "https://m.example.com"}, "need transport"),
    ({"name": "a", "transport": "builtin"}, "builtin"),
    ({"name": "a", "transport": "http", "url": "https://m.example.com", "oauth": "yes"}, "true or an object"),
    ({"name": "a", "transport": "http", "url": "https://m.example.com", "toolPolicy": {"x": "ask-session"}}, "ask-session"),
    ({"name": "a", "transport": "http", "url": "https://m.example.com", "oauth": {"callbackPort": 80}}, "at least 1024"),
])
def test_mcp_server_rules(server, text):
    found, result = problems(dict(GATEWAY, managedMcpServers=[server]))
    assert any(k.startswith("managedMcpServers[0]") and text in p.rule + " " + p.fix for k, p in found.items()), \
        [str(p) for p in result.problems]


def test_mcp_duplicate_names():
    servers = [{"name": "a", "transport": "stdio", "command": "/bin/a"}, {"name": "a", "transport": "stdio", "command": "/bin/b"}]
    assert_rejected(dict(GATEWAY, managedMcpServers=servers), "managedMcpServers", "duplicate server names")


@pytest.mark.parametrize("key,replacement", [
    ("inferenceGatewayHeaders", "inferenceCustomHeaders"), ("isDxtEnabled", "isDesktopExtensionEnabled"),
    ("isDxtSignatureRequired", "isDesktopExtensionSignatureRequired"), ("trustBootstrapLocalExec", "trustBootstrapDelivery"),
    ("enduserAttribution", "endUserAttribution"),
])
def test_removed_keys_name_their_replacement(key, replacement):
    assert_rejected(dict(GATEWAY, **{key: True}), key, replacement)


@pytest.mark.parametrize("key,value,text", [
    ("inferenceGatewayAuthScheme", "auto", "use bearer"),
    ("inferenceGatewayAuthScheme", "sso", "inferenceCredentialKind: interactive"),
    ("inferenceCredentialKind", "oauth", "use interactive"),
    ("builtinToolPolicy", {"Bash": "ask-session"}, "use 'ask'"),
    ("builtinToolPolicy", {"Bash": "blocked"}, "disabledBuiltinTools"),
    ("orgPluginSettings", {"mcpServers": {}}, "array form"),
    ("inferenceCustomHeaders", "X-A=b", "JSON object"),
    ("inferenceCustomHeaders", ["X-A: b"], "JSON object"),
    ("otlpHeaders", "a=b", "JSON object"),
])
def test_deprecated_values(key, value, text):
    assert_rejected(dict(GATEWAY, **{key: value}), key, text)


def test_scoped_tool_policy_and_deprecated_key_warning():
    result = validate_config(dict(GATEWAY, builtinToolPolicy={"Bash(curl *)": "ask", "Read": "allow"}, betaFeaturesEnabled=True))
    assert result.ok and any(w.startswith("betaFeaturesEnabled: deprecated") for w in result.warnings)


def test_version_gates():
    result = validate_config(dict(GATEWAY, autoModeEnabled=True, deploymentDisplayName="Corp"), min_app_version="1.10628.0")
    assert result.ok
    assert any("deploymentDisplayName: first honoured by Claude Desktop 1.24012.0" in w for w in result.warnings)
    assert not any(w.startswith("autoModeEnabled") for w in result.warnings)
    assert_rejected(GATEWAY, "min_app_version", "not a version", min_app_version="latest")
    assert parse_version("2.110.0.0") > parse_version("1.46388.4") > parse_version("base")


def test_unknown_keys():
    problem = assert_rejected(dict(GATEWAY, inferenceProvder="gateway"), "inferenceProvder", "unknown key")
    assert "inferenceProvider" in problem.fix
    problem = assert_rejected(dict(GATEWAY, coworkegressallowedhosts=["x.com"]), "coworkegressallowedhosts", "coworkEgressAllowedHosts")
    result = validate_config(dict(GATEWAY, dictationEnabled=True), allow_unknown_keys=["dictationEnabled"])
    assert result.ok and result.config["dictationEnabled"] is True and any("dictationEnabled" in w for w in result.warnings)
    assert validate_config(dict(GATEWAY, somethingNew=1), allow_unknown_keys=True).ok
    # §3.12: "1P-only (ignored in 3P): forceLoginOrgUUID, ..." -> a warning, and the key is not deployed
    result = validate_config(dict(GATEWAY, forceLoginOrgUUID="x"))
    assert result.ok and "forceLoginOrgUUID" not in result.config
    assert any(w.startswith("forceLoginOrgUUID") and "ignored in third-party mode" in w for w in result.warnings)


def test_managed_string_encodings_are_normalised_and_null_is_unset():
    result = validate_config(dict(GATEWAY, disableAutoUpdates="true", autoUpdaterEnforcementHours="24",
                                  isDesktopExtensionEnabled="false", chatTabEnabled=None))
    assert result.ok
    assert result.config["disableAutoUpdates"] is True and result.config["autoUpdaterEnforcementHours"] == 24
    assert result.config["isDesktopExtensionEnabled"] is False and "chatTabEnabled" not in result.config
    assert list(result.config) == sorted(result.config)


def test_provider_must_be_set_unless_only_app_behaviour_keys():
    assert_rejected({"coworkEgressAllowedHosts": ["*"]}, "inferenceProvider", "standard mode")
    assert validate_config({"disableAutoUpdates": True, "autoUpdaterEnforcementHours": 12}).ok
    assert validate_config({"bootstrapUrl": "https://boot.example.com/config"}).ok


def test_other_provider_keys_warn():
    result = validate_config(dict(GATEWAY, inferenceVertexRegion="us-east5"))
    assert result.ok and any("inferenceVertexRegion: ignored because inferenceProvider is gateway" in w for w in result.warnings)


def test_all_tabs_disabled():
    # §3.6 coworkTabEnabled: "at least one of Cowork/Code/Chat must stay enabled (else Cowork re-enabled with a warning)"
    result = validate_config(dict(GATEWAY, coworkTabEnabled=False, isClaudeCodeForDesktopEnabled=False))
    assert result.ok and any(w.startswith("coworkTabEnabled") and "re-enables Cowork" in w for w in result.warnings)


def test_banner_and_colours():
    assert_rejected(dict(GATEWAY, banner={"enabled": True}), "banner", "text is required")
    assert_rejected(dict(GATEWAY, banner={"text": "x", "backgroundColor": "red"}), "banner.backgroundColor", "required format")
    assert_rejected(dict(GATEWAY, banner={"text": "a\nb"}), "banner.text", "single line")
    assert validate_config(dict(GATEWAY, banner={"enabled": True, "text": "Hi", "textColor": "#FFFFFF"})).ok


def test_models_rules():
    assert validate_config(dict(GATEWAY, inferenceModels=[])).ok  # the spec states no rule for []: a warning at most
    assert_rejected(dict(GATEWAY, inferenceModels=["a", "a"]), "inferenceModels", "duplicate")
    assert_rejected(dict(GATEWAY, inferenceModels=[{"name": "a", "prefer1m": True}]), "inferenceModels[0]", "supports1m")
    assert_rejected(dict(GATEWAY, modelDiscoveryEnabled=False, inferenceModels=["sonnet"]), "inferenceModels", "need model discovery")
    ok = validate_config(dict(GATEWAY, inferenceModels=["claude-sonnet-4-5", {"name": "claude-opus-4-1", "anthropicFamilyTier": "opus"}]))
    assert ok.ok


def test_paths():
    assert_rejected(dict(GATEWAY, inferenceCredentialHelper="helper.sh"), "inferenceCredentialHelper", "absolute")
    assert_rejected(dict(GATEWAY, inferenceCredentialHelper="~/bin/h"), "inferenceCredentialHelper", "'~' is not expanded")
    assert validate_config(dict(GATEWAY, inferenceCredentialHelper="C:\\Tools\\helper.exe")).ok
    assert_rejected(dict(MINIMAL["vertex"], inferenceVertexCredentialsFile="$HOME/key.json"), "inferenceVertexCredentialsFile", "environment variables")
    assert validate_config(dict(GATEWAY, allowedWorkspaceFolders=["~/work", "%OneDrive%\\Docs", {"path": "/srv", "mode": "ro"}])).ok
    # §3.6: "fixed %VAR% set ... (other/unset vars -> entry ignored)": a warning; the set may appear anywhere in a path
    result = validate_config(dict(GATEWAY, allowedWorkspaceFolders=["%TEMP%\\x"]))
    assert result.ok and any("%TEMP%" in w and "ignores this entry" in w for w in result.warnings)
    assert validate_config(dict(GATEWAY, allowedWorkspaceFolders=["C:\\Users\\%USERNAME%\\Projects", "/home/%USERNAME%/src"])).ok
