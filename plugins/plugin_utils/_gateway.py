# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the gateway check calls, derived from a validated config. PRIVATE: ONLY FOR ACTION PLUGINS.

The module that runs the calls (plugins/modules/gateway_check.py) gets plain arguments; this turns
the config into them, the way the app reads it (spec §1.6 provider scoping and credential
precedence, §3.3 provider keys, §5 gateway requirements, §6 endpoints).
"""

from __future__ import annotations

# Beta flags the app adds on top of the pinned CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS=1 (spec §5):
# tool search lifts the pin; models marked supports1m need the 1M-context beta. The values are the
# public Messages-API beta names; a strict gateway rejects any of them with HTTP 400.
TOOL_SEARCH_BETA = "tool-search-tool-2025-10-19"
CONTEXT_1M_BETA = "context-1m-2025-08-07"
# Credential kinds under which the app does not send the static key (spec §3.1, §1.6 item 7).
NON_STATIC_KINDS = ("helper-script", "interactive", "vendor-profile", "workforce", "external-idp")


def model_names(config):
    names = []
    for entry in config.get("inferenceModels") or []:
        name = entry.get("name") if isinstance(entry, dict) else entry
        if name:
            names.append(str(name))
    return names


def _headers(config):
    headers = config.get("inferenceCustomHeaders")
    if headers is None:
        headers = config.get("inferenceGatewayHeaders")
    if isinstance(headers, dict):
        return {str(k): str(v) for k, v in headers.items()}
    out = {}
    if isinstance(headers, list):  # legacy ["Name: value"]
        for item in headers:
            name, dummy, value = str(item).partition(":")
            out[name.strip()] = value.strip()
    elif isinstance(headers, str):  # legacy "Name=value,Other=value"
        for item in headers.split(","):
            name, dummy, value = item.partition("=")
            if name.strip():
                out[name.strip()] = value.strip()
    return out


def provider_endpoints(config):
    """HTTPS endpoints the app reaches for a non-gateway provider (spec §6), as URLs."""
    provider = config.get("inferenceProvider")
    if provider == "anthropic":
        return ["https://api.anthropic.com"]
    if provider == "bedrock":
        region = config.get("inferenceBedrockRegion") or "us-east-1"
        return [config.get("inferenceBedrockBaseUrl") or "https://bedrock-runtime.%s.amazonaws.com" % region]
    if provider == "mantle":
        region = config.get("inferenceBedrockRegion") or "us-east-1"
        return [config.get("inferenceBedrockBaseUrl") or "https://bedrock-mantle.%s.api.aws" % region]
    if provider == "vertex":
        if config.get("inferenceVertexBaseUrl"):
            return [config["inferenceVertexBaseUrl"]]
        region = config.get("inferenceVertexRegion") or "global"
        host = {"global": "aiplatform.googleapis.com", "eu": "aiplatform.eu.rep.googleapis.com",
                "us": "aiplatform.us.rep.googleapis.com"}.get(region, "%s-aiplatform.googleapis.com" % region)
        return ["https://" + host, "https://oauth2.googleapis.com"]
    if provider == "foundry":
        resource = config.get("inferenceFoundryResource")
        urls = ["https://%s.services.ai.azure.com" % resource] if resource else []
        return urls + ["https://login.microsoftonline.com"]
    return []


def module_args(config, options):
    """Arguments for the gateway_check module from a validated config and the task's own options."""
    provider = config.get("inferenceProvider")
    args = {
        "provider": provider or "",
        "anthropic_version": options.get("anthropic_version") or "2023-06-01",
        "ca_bundle": options.get("ca_bundle"),
        "timeout": options.get("timeout"),
        "stream_timeout": options.get("stream_timeout"),
        "use_env_proxy": options.get("use_env_proxy"),
        "fail_on_error": options.get("fail_on_error"),
        "skipped_checks": [],
    }
    proxy = options.get("proxy") or config.get("egressProxyUrl")
    if proxy:
        args["proxy"] = proxy
    if config.get("egressProxyPacUrl"):
        args["skipped_checks"].append("egressProxyPacUrl is set: the PAC script is not evaluated by this check (the app's proxy "
                                      "choice may differ); pass proxy= to test through a given proxy")
    if provider != "gateway":
        args["endpoints"] = provider_endpoints(config)
        args["skipped_checks"].append("authenticated calls to %s: they need cloud credentials this check does not hold; only "
                                      "reachability and TLS were checked" % (provider or "no provider"))
        return args
    args["base_url"] = options.get("base_url") or config.get("inferenceGatewayBaseUrl")
    args["auth_scheme"] = config.get("inferenceGatewayAuthScheme") or "bearer"
    if args["auth_scheme"] not in ("bearer", "x-api-key"):
        args["auth_scheme"] = "bearer"  # 'auto' (deprecated) means bearer; 'sso' has no static key
    args["headers"] = _headers(config)
    args["models"] = model_names(config)
    betas = []
    if config.get("toolSearchEnabled") is True:
        betas.append(TOOL_SEARCH_BETA)
    if any(isinstance(m, dict) and m.get("supports1m") for m in config.get("inferenceModels") or []):
        betas.append(CONTEXT_1M_BETA)
    args["betas"] = betas
    kind = config.get("inferenceCredentialKind")
    if config.get("inferenceCredentialHelper") or kind in NON_STATIC_KINDS:
        why = "a credential helper" if config.get("inferenceCredentialHelper") else "inferenceCredentialKind %s" % kind
        args["skipped_checks"].append("authenticated calls: the key comes from %s at run time, so only reachability, TLS and "
                                      "the unauthenticated answer were checked" % why)
        args["credential"] = "none"
    elif config.get("inferenceGatewayApiKey"):
        args["api_key"] = config["inferenceGatewayApiKey"]
        args["credential"] = "static"
    else:
        args["credential"] = "none"
    return {k: v for k, v in args.items() if v is not None}
