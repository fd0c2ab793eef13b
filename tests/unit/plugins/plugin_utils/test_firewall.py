"""Issue 24 item 3: the perimeter hosts of a config, row by row against spec §6.

Each expected list below is written from the spec's §6 text (quoted in the comments), not from the
code: the inference row for the provider and region, the sign-in hosts of the credential kind,
downloads.claude.ai, the update and telemetry rows unless disabled, and the optional row.
"""

from __future__ import annotations

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _firewall as fw
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import validate_config

# §6 "Essential telemetry: *.sentry.io, *.ingest.us.sentry.io, sentry.io, browser-intake-datadoghq.com, ... browser-intake-ddog-gov.com"
ESSENTIAL = {"*.sentry.io", "*.ingest.us.sentry.io", "sentry.io", "browser-intake-datadoghq.com", "browser-intake-us3-datadoghq.com",
             "browser-intake-us5-datadoghq.com", "browser-intake-ap1-datadoghq.com", "browser-intake-ap2-datadoghq.com",
             "browser-intake-datadoghq.eu", "browser-intake-ddog-gov.com"}
# §6 "Non-essential telemetry: a-cdn.anthropic.com, a-api.anthropic.com, claude.ai, api.anthropic.com"
NONESSENTIAL_TELEMETRY = {"a-cdn.anthropic.com", "a-api.anthropic.com", "claude.ai", "api.anthropic.com"}
# §6 "Non-essential services: www.google.com, *.gstatic.com, www.claudeusercontent.com, cdnjs.cloudflare.com, fonts.googleapis.com,
# cdn.jsdelivr.net, *.claudemcpcontent.com, assets.claude.ai"
NONESSENTIAL_SERVICES = {"www.google.com", "*.gstatic.com", "www.claudeusercontent.com", "cdnjs.cloudflare.com", "fonts.googleapis.com",
                         "cdn.jsdelivr.net", "*.claudemcpcontent.com", "assets.claude.ai"}
# §6 "Auto-updates: claude.ai, api.anthropic.com (or releases.claude.com with updateViaUpdatesHost), downloads.claude.ai"
UPDATES = {"claude.ai", "api.anthropic.com", "downloads.claude.ai"}
# with the four disable* keys true "the app makes no runtime connections to Anthropic hosts except downloads.claude.ai"
QUIET = {"disableAutoUpdates": True, "disableEssentialTelemetry": True, "disableNonessentialTelemetry": True,
         "disableNonessentialServices": True}


def rows(config):
    result = validate_config(config)
    assert result.ok, result.error_message()
    return {e["host"]: e for e in fw.firewall_hosts(result.config)}


GATEWAY = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://llm-gateway.corp.test:8443",
           "inferenceGatewayApiKey": "sk-test-fw-1", "otlpEndpoint": "https://otel.corp.test:4318",
           "coworkEgressAllowedHosts": ["*.pypi.corp.test", "docs.corp.test:8443"],
           "managedMcpServers": [{"name": "wiki", "transport": "http", "url": "https://mcp.corp.test/mcp",
                                  "oauth": {"clientId": "c", "clientSecret": "s-test-fw", "authorizationServer": ["https://idp.corp.test"]}}]}
BEDROCK_SSO = {"inferenceProvider": "bedrock", "inferenceBedrockRegion": "eu-central-1",
               "inferenceBedrockSsoStartUrl": "https://corp.awsapps.com/start", "inferenceBedrockSsoRegion": "us-east-1",
               "inferenceBedrockSsoAccountId": "123456789012", "inferenceBedrockSsoRoleName": "Claude",
               "inferenceModels": ["eu.anthropic.claude-sonnet-4-5-20250929-v1:0"]}
VERTEX_WORKFORCE = {"inferenceProvider": "vertex", "inferenceVertexProjectId": "corp-ai", "inferenceVertexRegion": "us-east5",
                    "inferenceCredentialKind": "workforce",
                    "inferenceVertexWorkforceAudience": "//iam.googleapis.com/locations/global/workforcePools/p/providers/entra",
                    "inferenceVertexWorkforceOidc": {"clientId": "c1", "issuer": "https://login.microsoftonline.com/tenant-1/v2.0"},
                    "inferenceModels": ["claude-sonnet-4@20250514"]}


def test_gateway_config_matches_the_spec_rows():
    got = rows(GATEWAY)
    required = {"downloads.claude.ai", "llm-gateway.corp.test"} | UPDATES | ESSENTIAL  # §6 "Always", "Inference: gateway host"
    optional = {"otel.corp.test", "mcp.corp.test", "idp.corp.test", "*.pypi.corp.test", "docs.corp.test:8443"}  # §6 "Optional"
    nonessential = (NONESSENTIAL_TELEMETRY | NONESSENTIAL_SERVICES) - required
    assert set(got) == required | optional | nonessential
    assert {h for h, e in got.items() if e["label"] == "required"} == required
    assert {h for h, e in got.items() if e["label"] == "optional"} == optional
    assert {h for h, e in got.items() if e["label"] == "non-essential"} == nonessential
    assert "inference" in got["llm-gateway.corp.test"]["reason"] and '§6 "Inference"' in got["llm-gateway.corp.test"]["cite"]
    assert "OAuth authorization server" in got["idp.corp.test"]["reason"]
    assert "auto-updates" in got["api.anthropic.com"]["reason"] and "non-essential telemetry" in got["api.anthropic.com"]["reason"]


def test_bedrock_sso_config_matches_the_spec_rows():
    got = rows(dict(BEDROCK_SSO, **QUIET))
    # §6 Inference, Bedrock: bedrock-runtime.<region>.amazonaws.com, bedrock.<region>.amazonaws.com, sts[.<region>].amazonaws.com,
    # portal.sso.<region>.amazonaws.com, oidc.<region>.amazonaws.com (the SSO hosts in the Identity Center region)
    assert set(got) == {"downloads.claude.ai", "bedrock-runtime.eu-central-1.amazonaws.com", "bedrock.eu-central-1.amazonaws.com",
                        "sts.eu-central-1.amazonaws.com", "sts.amazonaws.com", "portal.sso.us-east-1.amazonaws.com",
                        "oidc.us-east-1.amazonaws.com", "corp.awsapps.com"}
    assert all(e["label"] == "required" for e in got.values())
    plain = rows({"inferenceProvider": "bedrock", "inferenceBedrockRegion": "eu-central-1", "inferenceBedrockProfile": "p",
                  "inferenceModels": ["eu.anthropic.claude-sonnet-4-5-20250929-v1:0"], **QUIET})
    assert not any("sso" in h or h.startswith("oidc.") for h in plain)  # sign-in hosts only for the SSO credential kind


def test_vertex_workforce_config_matches_the_spec_rows():
    got = rows(dict(VERTEX_WORKFORCE, **QUIET))
    # §6 Inference, Vertex: <region>-aiplatform.googleapis.com, oauth2.googleapis.com, sts.googleapis.com, accounts.google.com,
    # iamcredentials.googleapis.com; the workforce pool's own IdP (§3.3 inferenceVertexWorkforceOidc issuer)
    assert set(got) == {"downloads.claude.ai", "us-east5-aiplatform.googleapis.com", "oauth2.googleapis.com", "sts.googleapis.com",
                        "accounts.google.com", "iamcredentials.googleapis.com", "login.microsoftonline.com"}
    assert "workforce" in got["login.microsoftonline.com"]["reason"]


@pytest.mark.parametrize("region,host", [("global", "aiplatform.googleapis.com"), ("eu", "aiplatform.eu.rep.googleapis.com"),
                                         ("us", "aiplatform.us.rep.googleapis.com"), ("europe-west4", "europe-west4-aiplatform.googleapis.com")])
def test_vertex_region_hosts(region, host):
    assert host in rows(dict(VERTEX_WORKFORCE, inferenceVertexRegion=region))


def test_disabling_drops_exactly_the_rows_the_spec_ties_to_each_key():
    base = set(rows(GATEWAY))
    assert base - set(rows(dict(GATEWAY, disableEssentialTelemetry=True))) == ESSENTIAL
    assert base - set(rows(dict(GATEWAY, disableNonessentialServices=True))) == NONESSENTIAL_SERVICES
    quiet = set(rows(dict(GATEWAY, **QUIET)))
    assert not {h for h in quiet if h.endswith(("anthropic.com", "claude.ai", "sentry.io"))} - {"downloads.claude.ai"}
    via_host = rows(dict(GATEWAY, updateViaUpdatesHost=True, disableNonessentialTelemetry=True))
    assert "releases.claude.com" in via_host and "api.anthropic.com" not in via_host


def test_other_providers_and_the_text_file():
    assert {"corp-res.services.ai.azure.com", "login.microsoftonline.com"} <= set(rows({
        "inferenceProvider": "foundry", "inferenceFoundryResource": "corp-res", "inferenceFoundryTenantId": "11111111-2222-4333-8444-555555555555",
        "inferenceFoundryClientId": "66666666-7777-4888-9999-000000000000", "inferenceModels": ["claude-sonnet-4-5"]}))
    assert "bedrock-mantle.us-east-1.api.aws" in rows({"inferenceProvider": "mantle", "inferenceBedrockRegion": "us-east-1",
                                                      "inferenceBedrockBearerToken": "tok-test-fw", "inferenceModels": ["claude-sonnet-4-5"]})
    text = fw.render_text(validate_config(GATEWAY).config).decode()
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    assert lines[0].split()[0] == "*.ingest.us.sentry.io" or lines[0].split()[0] < lines[1].split()[0]
    assert all("# required:" in line or "# optional:" in line or "# non-essential:" in line for line in lines)
    assert "sk-test-fw-1" not in text and "s-test-fw" not in text
