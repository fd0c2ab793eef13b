"""The cross-key rules and the credential matrix, tested from the spec (issue 10 items 3 and 5).

Each rule of the model's table quotes the spec sentence it comes from (checked verbatim below) and has
here a config at its edge that the app accepts and, where it rejects or warns, one it flags. The
credential matrix is written out again from spec §3.1, §3.3 and §3.5, not read from the code.
"""

from __future__ import annotations

import os
import re

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _rules as m
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import validate_config

SPEC = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))))), "shared", "spec", "claude-desktop-3p.md")
KEY = "sk-test-rules-0123456789"
GW = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "inferenceGatewayApiKey": KEY}
HELPER = "/usr/local/bin/cred-helper"
OIDC = {"clientId": "c", "issuer": "https://idp.example.com"}
ENTRA = {"clientId": "c", "issuer": "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0"}
SSO = {"inferenceBedrockSsoStartUrl": "https://x.awsapps.com/start", "inferenceBedrockSsoRegion": "us-east-1",
       "inferenceBedrockSsoAccountId": "123456789012", "inferenceBedrockSsoRoleName": "Bedrock"}
BEDROCK = {"inferenceProvider": "bedrock", "inferenceBedrockRegion": "us-east-1"}
VERTEX = {"inferenceProvider": "vertex", "inferenceVertexProjectId": "p", "inferenceVertexRegion": "global",
          "inferenceModels": ["claude-sonnet-4@20250514"]}
FOUNDRY = {"inferenceProvider": "foundry", "inferenceFoundryResource": "r", "inferenceModels": ["claude-sonnet-4-5"]}


def _norm(text):
    return re.sub(r"\s+", " ", text.replace("`", "").replace("**", "").replace("\\|", "|"))


def test_every_rule_quotes_the_spec_verbatim():
    with open(SPEC, encoding="utf-8") as f:
        spec = _norm(f.read())
    ids = [r.id for r in m.RULES]
    assert len(ids) == len(set(ids))
    for r in m.RULES:
        assert r.cite.startswith("§") and r.severity in ("error", "warning"), r.id
        for part in r.quote.split(" … "):
            assert _norm(part).strip() in spec, (r.id, part)


def test_rule_table_lists_every_rule_and_the_matrix():
    rows = m.rule_table()
    assert {r["id"] for r in rows} >= {r.id for r in m.RULES}
    assert {"credential-kind:%s:%s" % (p, k) for p, spec in m.PROVIDERS.items() for k in spec["kinds"]} <= {r["id"] for r in rows}
    assert all(r["cite"] and r["quote"] and r["severity"] for r in rows)


# rule id -> (flagged config, key the finding names, min_app_version, target_os), accepted edge config[, its min_app_version].
# The flagged config gives an error for "error" rules and a warning for "warning" rules.
CASES = {
    "activation": (({"coworkEgressAllowedHosts": ["*"]}, "inferenceProvider", None, None), {"disableAutoUpdates": True}),
    "provider-scoping": ((dict(GW, inferenceVertexRegion="us-east5"), "inferenceVertexRegion", None, None),
                         dict(BEDROCK, inferenceProvider="mantle", inferenceBedrockBearerToken=KEY, inferenceBedrockBaseUrl="https://m.example/anthropic",
                              inferenceModels=["claude-sonnet-4-5"])),
    "provider-required": (({"inferenceProvider": "foundry", "inferenceFoundryApiKey": KEY, "inferenceModels": ["m"]}, "inferenceFoundryResource", None, None),
                          {"inferenceProvider": "anthropic", "inferenceAnthropicApiKey": KEY}),
    "kind-per-provider": ((dict(GW, inferenceCredentialKind="vendor-profile"), "inferenceCredentialKind", None, None),
                          dict(VERTEX, inferenceCredentialKind="vendor-profile")),
    "kind-needs-keys": ((dict(FOUNDRY, inferenceCredentialKind="interactive", inferenceFoundryTenantId="t"),
                         "inferenceFoundryClientId", None, None),
                        dict(FOUNDRY, inferenceCredentialKind="interactive", inferenceFoundryTenantId="t",
                             inferenceFoundryClientId="66666666-7777-8888-9999-000000000000")),
    "no-credential": (({"inferenceProvider": "mantle", "inferenceBedrockRegion": "us-east-1", "inferenceModels": ["m"]},
                       "inferenceBedrockBearerToken", None, None),
                      dict(VERTEX)),  # Vertex falls back to Application Default Credentials
    "helper-wins": ((dict(GW, inferenceCredentialHelper=HELPER), "inferenceGatewayApiKey", None, None),
                    dict(GW, inferenceCredentialHelper=HELPER, inferenceCredentialKind="helper-script")),
    "one-credential-source": ((dict(BEDROCK, inferenceBedrockBearerToken=KEY, inferenceBedrockProfile="p", inferenceModels=["m"]),
                               "inferenceCredentialKind", None, None),
                              dict(BEDROCK, inferenceBedrockBearerToken=KEY, inferenceBedrockProfile="p", inferenceModels=["m"],
                                   inferenceCredentialKind="static")),
    "several-sources": ((dict(FOUNDRY, inferenceFoundryApiKey=KEY, inferenceFoundryTenantId="t",
                              inferenceFoundryClientId="66666666-7777-8888-9999-000000000000"),
                         "inferenceCredentialKind", None, None), dict(FOUNDRY, inferenceFoundryApiKey=KEY)),
    "models-required": ((dict(BEDROCK, inferenceBedrockProfile="p"), "inferenceModels", None, None), dict(BEDROCK, inferenceBedrockBearerToken=KEY)),
    "discovery-off-needs-models": ((dict(GW, modelDiscoveryEnabled=False), "inferenceModels", None, None),
                                   dict(GW, modelDiscoveryEnabled=False, inferenceModels=["claude-sonnet-4-5"])),
    "model-aliases": ((dict(BEDROCK, inferenceBedrockProfile="p", inferenceModels=["sonnet"]), "inferenceModels", None, None),
                      dict(BEDROCK, inferenceBedrockProfile="p", inferenceModels=["us.anthropic.claude-sonnet-4-5-20250929-v1:0"])),
    "non-anthropic-models": ((dict(GW, inferenceModels=["gpt-5.5"]), "inferenceModels", None, None),
                             dict(GW, inferenceModels=[{"name": "house-model", "anthropicFamilyTier": "sonnet"}])),
    "no-credentials-in-headers": ((dict(GW, inferenceCustomHeaders={"X-Api-Key": "v"}), "inferenceCustomHeaders", None, None),
                                  dict(GW, inferenceCustomHeaders={"X-Org-Id": "team1"})),
    "token-window": ((dict(GW, inferenceMaxTokensPerWindow=1000), "inferenceMaxTokensPerWindow", None, None),
                     dict(GW, inferenceMaxTokensPerWindow=1000, inferenceTokenWindowHours=720)),
    "pricing-enabled": ((dict(GW, inferenceModelPricingMultiplier=1.2), "inferenceModelPricingMultiplier", None, None),
                        dict(GW, inferenceModelPricingEnabled=True, inferenceModelPricingMultiplier=1.2)),
    "subtitle-needs-name": ((dict(GW, deploymentDisplaySubtitle="x"), "deploymentDisplaySubtitle", None, None),
                            dict(GW, deploymentDisplaySubtitle="x", deploymentDisplayName="Corp")),
    "one-tab-enabled": ((dict(GW, coworkTabEnabled=False, isClaudeCodeForDesktopEnabled=False), "coworkTabEnabled", None, None),
                        dict(GW, coworkTabEnabled=False, isClaudeCodeForDesktopEnabled=False, chatTabEnabled=True)),
    "prefer-1m": ((dict(GW, modelPrefer1mContext=True, inferenceModels=["claude-sonnet-4-5"]), "modelPrefer1mContext", None, None),
                  dict(GW, modelPrefer1mContext=True, inferenceModels=[{"name": "claude-sonnet-4-5", "supports1m": True}])),
    "extension-default-changed": ((dict(GW), "isDesktopExtensionEnabled", "1.19366.0", None), dict(GW), "1.19367.0"),
    "pac-wins": ((dict(GW, egressProxyUrl="http://proxy:3128", egressProxyPacUrl="https://pac.example/p.pac"), "egressProxyUrl", None, None),
                 dict(GW, egressProxyPacUrl="https://pac.example/p.pac")),
    "bootstrap-keys-need-url": ((dict(GW, trustBootstrapDelivery=True), "trustBootstrapDelivery", None, None),
                                dict(GW, trustBootstrapDelivery=True, bootstrapUrl="https://boot.example.com/c")),
    "vertex-no-tool-search": ((dict(VERTEX, toolSearchEnabled=True), "toolSearchEnabled", None, None), dict(VERTEX, toolSearchEnabled=False)),
    "vertex-workforce-kind": ((dict(VERTEX, inferenceCredentialKind="interactive", inferenceVertexOAuthClientId="c", inferenceVertexWorkforceAudience="a"),
                               "inferenceCredentialKind", None, None),
                              dict(VERTEX, inferenceCredentialKind="workforce", inferenceVertexWorkforceAudience="a", inferenceVertexWorkforceOidc=OIDC)),
    "vertex-file-disables-sign-in": ((dict(VERTEX, inferenceVertexCredentialsFile="/etc/key.json", inferenceVertexOAuthClientId="c"),
                                      "inferenceVertexOAuthClientId", None, None),
                                     dict(VERTEX, inferenceVertexCredentialsFile="", inferenceVertexOAuthClientId="c")),
    "workforce-needs-oidc": ((dict(VERTEX, inferenceVertexWorkforceAudience="a"), "inferenceVertexWorkforceOidc", None, None),
                             dict(VERTEX, inferenceVertexWorkforceAudience="a", inferenceVertexWorkforceOidc=OIDC)),
    "bedrock-sso-together": ((dict(BEDROCK, inferenceBedrockSsoStartUrl="https://x.awsapps.com/start", inferenceBedrockBearerToken=KEY),
                              "inferenceBedrockSsoStartUrl", None, None), dict(BEDROCK, inferenceModels=["m"], **SSO)),
    "foundry-entra-pair": ((dict(FOUNDRY, inferenceFoundryApiKey=KEY, inferenceFoundryTenantId="t"), "inferenceFoundryTenantId", None, None),
                           dict(FOUNDRY, inferenceFoundryApiKey=KEY)),
    "gateway-oidc-needs-interactive": ((dict(GW, inferenceGatewayOidc=OIDC), "inferenceGatewayOidc", None, None),
                                       dict(GW, inferenceCredentialKind="interactive", inferenceGatewayOidc=OIDC)),
    "placeholder-key": ((dict(GW, inferenceGatewayApiKey="sk-your-api-key"), "inferenceGatewayApiKey", None, None),
                        dict(GW, inferenceGatewayApiKey="none")),  # Pangolin's documented placeholder
    "broker-entra-not-linux": ((dict(GW, inferenceCredentialKind="interactive", inferenceGatewayOidc=OIDC, inferenceGatewayOidcAuthFlow="broker"),
                                "inferenceGatewayOidcAuthFlow", None, "macos"),
                               dict(GW, inferenceCredentialKind="interactive", inferenceGatewayOidc=ENTRA, inferenceGatewayOidcAuthFlow="broker")),
    "version-gate-breaks-connection": ((dict(GW, inferenceCredentialKind="external-idp", inferenceIdpOidc=OIDC), "inferenceCredentialKind", "2.7031.0", None),
                                       dict(GW, inferenceCredentialKind="external-idp", inferenceIdpOidc=OIDC), "2.7032.0"),
    "version-gate-credential": ((dict(FOUNDRY, inferenceFoundryTenantId="t", inferenceFoundryClientId="66666666-7777-8888-9999-000000000000"),
                                 "inferenceFoundryTenantId", "1.9254.0", None),
                                dict(FOUNDRY, inferenceFoundryTenantId="t", inferenceFoundryClientId="66666666-7777-8888-9999-000000000000"),
                                "1.9255.0"),
    "version-gate-scoped-ask": ((dict(GW, builtinToolPolicy={"Bash(curl *)": "ask"}), "builtinToolPolicy", "1.37936.0", None),
                                dict(GW, builtinToolPolicy={"Bash(curl *)": "ask"}), "1.37937.0"),
    "scoped-allow-old-builds": ((dict(GW, builtinToolPolicy={"Bash(git status)": "allow"}), "builtinToolPolicy", "1.37936.0", None),
                                dict(GW, builtinToolPolicy={"Bash": "allow"})),
    "oidc-urls-beside-issuer": ((dict(GW, bootstrapUrl="https://b.example", bootstrapOidc=dict(OIDC, tokenUrl="https://idp.example.com/t")),
                                 "bootstrapOidc", None, None),
                                dict(GW, bootstrapUrl="https://b.example", bootstrapOidc={"clientId": "c", "authorizationUrl": "https://i/a",
                                                                                          "tokenUrl": "https://i/t"})),
    "updates-disabled": ((dict(GW, disableAutoUpdates=True, autoUpdaterEnforcementHours=24), "autoUpdaterEnforcementHours", None, None),
                         dict(GW, disableAutoUpdates=False, autoUpdaterEnforcementHours=72)),
    "otlp-builtin-attributes": ((dict(GW, otlpResourceAttributes={"service.name": "x"}), "otlpResourceAttributes", None, None),
                                dict(GW, otlpResourceAttributes={"enduser.id": "alice"})),
    "vertex-oauth-pair": ((dict(VERTEX, inferenceVertexOAuthClientSecret="GOCSPX-test"), "inferenceVertexOAuthClientSecret", None, None),
                          dict(VERTEX, inferenceVertexOAuthClientSecret="GOCSPX-test", inferenceVertexOAuthClientId="c")),
    "code-execution-needs-bash": ((dict(GW, chatCodeExecutionEnabled=True, disabledBuiltinTools=["Bash"]), "chatCodeExecutionEnabled", None, None),
                                  dict(GW, chatCodeExecutionEnabled=True, disabledBuiltinTools=["WebFetch"])),
    "otlp-helper-wins": ((dict(GW, otlpHeaders={"X-Tenant": "a"}, otlpHeadersHelper="/usr/local/bin/otlp-h"), "otlpHeaders", None, None),
                         dict(GW, otlpHeadersHelper="/usr/local/bin/otlp-h")),
    "managed-server-wins": ((dict(GW, managedMcpServers=[{"name": "jira", "transport": "http", "url": "https://j.example/mcp"}],
                                  orgPluginSettings=[{"serverName": "jira", "tools": []}]), "orgPluginSettings", None, None),
                            dict(GW, managedMcpServers=[{"name": "docs", "transport": "http", "url": "https://d.example/mcp"}],
                                 orgPluginSettings=[{"serverName": "jira", "tools": []}])),
    "app-behaviour-history": (({"disableAutoUpdates": True}, "disableAutoUpdates", "1.9659.1", None), {"disableAutoUpdates": True}, "1.9659.2"),
}


def test_every_rule_has_cases():
    assert sorted(CASES) == sorted(r.id for r in m.RULES)


@pytest.mark.parametrize("rule", m.RULES, ids=[r.id for r in m.RULES])
def test_rule_flags_its_case_and_accepts_its_edge(rule):
    (flagged, key, version, os_name), accepted = CASES[rule.id][:2]
    accepted_version = CASES[rule.id][2] if len(CASES[rule.id]) > 2 else version
    result = validate_config(flagged, min_app_version=version, target_os=os_name)
    if rule.severity == "error":
        assert not result.ok and any(p.key == key for p in result.problems), (rule.quote, [str(p) for p in result.problems])
    else:
        assert result.ok, result.error_message()
        assert any(w.startswith(key + ":") for w in result.warnings), (rule.quote, result.warnings)
    ok = validate_config(accepted, min_app_version=accepted_version, target_os=os_name)
    assert ok.ok, (rule.quote, ok.error_message())
    assert not any(w.startswith(key + ":") for w in ok.warnings if key != "inferenceModels") or rule.id == "provider-scoping", ok.warnings
    assert KEY not in str([result.problems and result.error_message(), result.warnings, ok.warnings])


# --- the credential kind x provider matrix, written from the spec ------------------------------------------------
# §3.1: "static (API key), helper-script, interactive (browser sign-in), vendor-profile (cloud CLI/SDK profile)
# [1.8555.0]; later oauth, workforce; external-idp [2.7032.0]. ... Not every kind is valid for every provider."
# §3.5 (credential column) and the provider sections of §3.3 say which source each provider has:
MATRIX = {
    "gateway": {"base": GW, "drop": ["inferenceGatewayApiKey"], "kinds": {
        "static": {"inferenceGatewayApiKey": KEY}, "helper-script": {"inferenceCredentialHelper": HELPER},
        "interactive": {}, "external-idp": {"inferenceIdpOidc": OIDC}}},
    "anthropic": {"base": {"inferenceProvider": "anthropic"}, "drop": [], "kinds": {
        "static": {"inferenceAnthropicApiKey": KEY}, "helper-script": {"inferenceCredentialHelper": HELPER}, "interactive": {}}},
    "bedrock": {"base": dict(BEDROCK, inferenceModels=["us.anthropic.claude-sonnet-4-5-20250929-v1:0"]), "drop": [], "kinds": {
        "static": {"inferenceBedrockBearerToken": KEY}, "interactive": SSO, "vendor-profile": {"inferenceBedrockProfile": "p"},
        "helper-script": {"inferenceCredentialHelper": HELPER},
        "external-idp": {"inferenceIdpOidc": OIDC, "inferenceBedrockBaseUrl": "https://proxy.example.com"}}},
    "mantle": {"base": {"inferenceProvider": "mantle", "inferenceBedrockRegion": "us-east-1", "inferenceModels": ["claude-sonnet-4-5"]}, "drop": [],
               "kinds": {"static": {"inferenceBedrockBearerToken": KEY}, "helper-script": {"inferenceCredentialHelper": HELPER}}},
    "vertex": {"base": VERTEX, "drop": [], "kinds": {
        "vendor-profile": {}, "interactive": {"inferenceVertexOAuthClientId": "c"},
        "workforce": {"inferenceVertexWorkforceAudience": "a"},  # the IdP client (WorkforceOidc) missing is a warning: rule workforce-needs-oidc
        "helper-script": {"inferenceCredentialHelper": HELPER}}},
    "foundry": {"base": FOUNDRY, "drop": [], "kinds": {
        "static": {"inferenceFoundryApiKey": KEY},
        "interactive": {"inferenceFoundryTenantId": "t", "inferenceFoundryClientId": "66666666-7777-8888-9999-000000000000"},
        "helper-script": {"inferenceCredentialHelper": HELPER}}},
}
PAIRS = [(p, k) for p in MATRIX for k in m.CREDENTIAL_KINDS]


def _base(provider):
    spec = MATRIX[provider]
    return {k: v for k, v in spec["base"].items() if k not in spec["drop"]}


@pytest.mark.parametrize("provider,kind", PAIRS, ids=["%s-%s" % p for p in PAIRS])
def test_kind_by_provider(provider, kind):
    kinds = MATRIX[provider]["kinds"]
    if kind not in kinds:
        # a kind the provider does not have is an error naming the kinds it has
        result = validate_config(dict(_base(provider), inferenceCredentialKind=kind))
        problem = [p for p in result.problems if p.key == "inferenceCredentialKind"]
        assert problem and all(k in problem[0].fix for k in kinds), [str(p) for p in result.problems]
        return
    # with its keys: accepted
    result = validate_config(dict(_base(provider), inferenceCredentialKind=kind, **kinds[kind]))
    assert result.ok, result.error_message()
    # without them: "When set, only that source is used (no fallback)" -> an error naming the missing key
    for key in kinds[kind]:
        config = dict(_base(provider), inferenceCredentialKind=kind, **{k: v for k, v in kinds[kind].items() if k != key})
        result = validate_config(config)
        assert not result.ok and any(p.key == key or key in p.fix for p in result.problems), (key, [str(p) for p in result.problems])


@pytest.mark.parametrize("provider", sorted(p for p in MATRIX if "static" in MATRIX[p]["kinds"]))  # Vertex has no static key (§3.5)
def test_a_helper_beside_a_static_key_is_the_same_warning_for_every_provider(provider):
    # §1.6 rule 7: "if inferenceCredentialHelper is set, static credential fields (API key, bearer token) are ignored"
    static = MATRIX[provider]["kinds"]["static"]
    result = validate_config(dict(_base(provider), inferenceCredentialHelper=HELPER, **static))
    assert result.ok, result.error_message()
    assert any("the helper always wins" in w for w in result.warnings), result.warnings


# --- broker flows: Entra only, not Linux (§3.3) ---------------------------------------------------------------
@pytest.mark.parametrize("flow_key,extra", [
    ("inferenceGatewayOidcAuthFlow", dict(GW, inferenceCredentialKind="interactive", inferenceGatewayOidc=ENTRA)),
    ("inferenceVertexWorkforceAuthFlow", dict(VERTEX, inferenceVertexWorkforceAudience="a", inferenceVertexWorkforceOidc=ENTRA)),
    ("inferenceFoundryAuthFlow", dict(FOUNDRY, inferenceFoundryTenantId="t", inferenceFoundryClientId="66666666-7777-8888-9999-000000000000")),
])
def test_broker_is_entra_only_and_not_on_linux(flow_key, extra):
    # "broker (Entra issuer only; not Linux)" (§3.3 Vertex, gateway); Foundry: "broker (...; not Linux)"
    config = dict(extra, **{flow_key: "broker"})
    for os_name in (None, "macos", "windows"):
        assert validate_config(config, target_os=os_name).ok
    result = validate_config(config, target_os="linux")
    assert any(p.key == flow_key and "Linux" in p.rule for p in result.problems), [str(p) for p in result.problems]
    assert validate_config(dict(config, **{flow_key: "browser"}), target_os="linux").ok


def test_target_os_must_be_known():
    assert not validate_config(GW, target_os="beos").ok


# --- renamed keys (issue 10 item 2) -----------------------------------------------------------------------------
def test_old_name_accepted_while_the_fleet_predates_the_rename():
    # §3.10: trustBootstrapDelivery "renamed from trustBootstrapLocalExec (1.26832.0)"
    old = dict(GW, bootstrapUrl="https://b.example", trustBootstrapLocalExec=True)
    result = validate_config(old, min_app_version="1.26000.0")
    assert result.ok and result.config["trustBootstrapLocalExec"] is True
    assert any(w.startswith("trustBootstrapLocalExec: renamed to trustBootstrapDelivery in 1.26832.0") for w in result.warnings)
    assert not validate_config(old, min_app_version="1.26832.0").ok
    assert not validate_config(old).ok
    # the new name warns when the fleet's oldest build predates its x-since (1.25927.0)
    new = validate_config(dict(GW, bootstrapUrl="https://b.example", trustBootstrapDelivery=True), min_app_version="1.20000.0")
    assert new.ok and any(w.startswith("trustBootstrapDelivery: first honoured") for w in new.warnings)


# --- bootstrap profile (§1.6 rule 5) ----------------------------------------------------------------------------
def test_a_bootstrap_profile_needs_only_the_bootstrap_keys():
    # "the profile then only needs the bootstrap keys"
    assert validate_config({"bootstrapUrl": "https://b.example/c", "bootstrapOidc": OIDC}).ok
    assert validate_config({"bootstrapUrl": "https://b.example/c", "inferenceProvider": "vertex"}).ok
    # with bootstrap switched off the keys must be complete again
    assert not validate_config({"bootstrapUrl": "https://b.example/c", "bootstrapEnabled": False, "coworkEgressAllowedHosts": ["*"]}).ok


# --- what the spec allows must pass (issue 10 item 2) -----------------------------------------------------------
@pytest.mark.parametrize("config", [
    dict(BEDROCK, inferenceBedrockRegion="eusc-de-east-1", inferenceBedrockBearerToken=KEY),   # European Sovereign Cloud
    dict(BEDROCK, inferenceBedrockRegion="us-gov-west-1", inferenceBedrockBearerToken=KEY),
    dict(BEDROCK, inferenceBedrockRegion="cn-northwest-1", inferenceBedrockBearerToken=KEY),
    dict(VERTEX, inferenceVertexRegion="global"),
    dict(GW, otlpEndpoint=""),                                                                   # §3.8 "blank disables"
    dict(GW, autoUpdaterEnforcementHours=""),                                                    # §3.8 "blank = 72"
    dict(GW, inferenceModels='["claude-sonnet-4-5"]', coworkEgressAllowedHosts='["*"]'),         # §2.1 JSON as one string
    dict(GW, userContentRendererUrl="https://render.example.com/?tenant=a#x"),
])
def test_spec_allowed_values_pass(config):
    result = validate_config(config)
    assert result.ok, result.error_message()


def test_blank_values_survive_validation():
    result = validate_config(dict(GW, otlpEndpoint="", autoUpdaterEnforcementHours=""))
    assert result.config["otlpEndpoint"] == "" and result.config["autoUpdaterEnforcementHours"] == ""


@pytest.mark.parametrize("key", ["userContentRendererUrl", "inferenceBedrockBaseUrl", "inferenceVertexBaseUrl", "bootstrapUrl"])
def test_http_on_loopback_is_the_gateway_base_urls_exception_only(key):
    # §3.3 gateway: "must use https (or http on loopback)"; the other URL keys are "HTTPS"/"must be https://"
    assert validate_config(dict(GW, inferenceGatewayBaseUrl="http://127.0.0.1:4000")).ok
    result = validate_config(dict(GW, **{key: "http://127.0.0.1:8080"}))
    assert any(p.key == key and "https" in p.rule for p in result.problems)


def test_actions_that_know_the_os_apply_the_broker_rule():
    # render and apply pass their "os" option: a broker sign-in rendered for a Linux host fails before deployment
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import ActionFailure, validate_or_fail

    config = dict(FOUNDRY, inferenceFoundryTenantId="t", inferenceFoundryClientId="66666666-7777-8888-9999-000000000000",
                  inferenceFoundryAuthFlow="broker")
    assert validate_or_fail({"config": config, "os": "macos", "allow_unknown_keys": False}, "mac-1").ok
    with pytest.raises(ActionFailure) as err:
        validate_or_fail({"config": config, "os": "linux", "allow_unknown_keys": False}, "lnx-1")
    assert "lnx-1" in str(err.value) and "inferenceFoundryAuthFlow" in str(err.value)
