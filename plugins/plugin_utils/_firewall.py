# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTPS hosts the perimeter firewall must allow for one config (spec §6), each with its reason.

PRIVATE, controller-only, stdlib. Input is a validated, normalized config. Every entry cites the
row of spec §6 (or the key's section) it comes from; entries the spec marks optional or
non-essential carry that label. The app's own Egress section stays authoritative (§6).
"""

from __future__ import annotations

from urllib.parse import urlsplit

REQUIRED, OPTIONAL, NON_ESSENTIAL = "required", "optional", "non-essential"
_RANK = {REQUIRED: 0, OPTIONAL: 1, NON_ESSENTIAL: 2}
ESSENTIAL_TELEMETRY = ("*.sentry.io", "*.ingest.us.sentry.io", "sentry.io", "browser-intake-datadoghq.com",
                       "browser-intake-us3-datadoghq.com", "browser-intake-us5-datadoghq.com", "browser-intake-ap1-datadoghq.com",
                       "browser-intake-ap2-datadoghq.com", "browser-intake-datadoghq.eu", "browser-intake-ddog-gov.com")
NONESSENTIAL_TELEMETRY = ("a-cdn.anthropic.com", "a-api.anthropic.com", "claude.ai", "api.anthropic.com")
NONESSENTIAL_SERVICES = ("www.google.com", "*.gstatic.com", "www.claudeusercontent.com", "cdnjs.cloudflare.com", "fonts.googleapis.com",
                         "cdn.jsdelivr.net", "*.claudemcpcontent.com", "assets.claude.ai")
PYTHON_EXTENSION_HOSTS = ("github.com", "objects.githubusercontent.com", "pypi.org", "files.pythonhosted.org")
VERTEX_SIGN_IN = (("oauth2.googleapis.com", "Google OAuth token endpoint"), ("sts.googleapis.com", "Google Security Token Service"),
                  ("accounts.google.com", "Google sign-in"), ("iamcredentials.googleapis.com", "Google IAM credentials"))
OIDC_KEYS = {"inferenceGatewayOidc": "gateway sign-in (OIDC)", "inferenceIdpOidc": "external IdP sign-in (OIDC)",
             "inferenceVertexWorkforceOidc": "workforce identity sign-in (OIDC)", "bootstrapOidc": "bootstrap sign-in (OIDC)"}


def _host(url):
    try:
        parts = urlsplit(str(url).strip())
        return parts.hostname
    except ValueError:
        return None


class _List(object):
    def __init__(self):
        self.rows = {}

    def add(self, host, label, reason, cite):
        if not host:
            return
        host = host.lower()
        row = self.rows.get(host)
        if row is None:
            self.rows[host] = {"host": host, "label": label, "reasons": [reason], "cites": [cite]}
            return
        if _RANK[label] < _RANK[row["label"]]:
            row["label"] = label
        if reason not in row["reasons"]:
            row["reasons"].append(reason)
        if cite not in row["cites"]:
            row["cites"].append(cite)


def _vertex_host(region):
    if region == "global":
        return "aiplatform.googleapis.com"
    if region in ("eu", "us"):
        return "aiplatform.%s.rep.googleapis.com" % region
    return "%s-aiplatform.googleapis.com" % region


def _inference(c, out, notes):
    provider = c.get("inferenceProvider")
    kind = c.get("inferenceCredentialKind")
    inf = '§6 "Inference"'
    if provider == "gateway":
        out.add(_host(c.get("inferenceGatewayBaseUrl")), REQUIRED, "inference: the gateway (inferenceGatewayBaseUrl)", inf)
        if kind == "interactive" and "inferenceGatewayOidc" not in c:
            notes.append("gateway sign-in without inferenceGatewayOidc: the gateway itself is the OAuth server (§3.3), no other host")
    elif provider == "vertex":
        region = c.get("inferenceVertexRegion")
        if c.get("inferenceVertexBaseUrl"):
            out.add(_host(c["inferenceVertexBaseUrl"]), REQUIRED, "inference: Vertex private endpoint (inferenceVertexBaseUrl)", inf)
        elif region:
            out.add(_vertex_host(region), REQUIRED, "inference: Vertex AI in region %s" % region, inf)
        for host, what in VERTEX_SIGN_IN:
            out.add(host, REQUIRED, "Vertex credentials: %s" % what, inf)
    elif provider in ("bedrock", "mantle"):
        region = c.get("inferenceBedrockRegion")
        if c.get("inferenceBedrockBaseUrl"):
            out.add(_host(c["inferenceBedrockBaseUrl"]), REQUIRED, "inference: Bedrock endpoint or proxy (inferenceBedrockBaseUrl)", inf)
        elif region and provider == "mantle":
            out.add("bedrock-mantle.%s.api.aws" % region, REQUIRED, "inference: Bedrock Mantle in region %s" % region, inf)
        elif region:
            out.add("bedrock-runtime.%s.amazonaws.com" % region, REQUIRED, "inference: Bedrock runtime in region %s" % region, inf)
            out.add("bedrock.%s.amazonaws.com" % region, REQUIRED, "Bedrock control plane (model list) in region %s" % region, inf)
        if provider == "bedrock" and region:
            out.add("sts.%s.amazonaws.com" % region, REQUIRED, "AWS STS (credentials) in region %s" % region, inf)
            out.add("sts.amazonaws.com", REQUIRED, "AWS STS (global endpoint)", inf)
            if region.startswith("us-gov-"):
                notes.append("GovCloud region %s: the app uses the FIPS variants of these hosts (§3.3, §6); the spec does not name "
                             "them: copy them from the app's Egress section" % region)
        sso_region = c.get("inferenceBedrockSsoRegion")
        if provider == "bedrock" and c.get("inferenceBedrockSsoStartUrl") and sso_region:
            out.add("portal.sso.%s.amazonaws.com" % sso_region, REQUIRED, "AWS IAM Identity Center sign-in (inferenceBedrockSso*)", inf)
            out.add("oidc.%s.amazonaws.com" % sso_region, REQUIRED, "AWS IAM Identity Center OIDC (inferenceBedrockSso*)", inf)
            out.add(_host(c.get("inferenceBedrockSsoStartUrl")), REQUIRED, "AWS access portal (inferenceBedrockSsoStartUrl)", inf)
    elif provider == "foundry":
        if c.get("inferenceFoundryResource"):
            out.add("%s.services.ai.azure.com" % c["inferenceFoundryResource"], REQUIRED, "inference: the Foundry resource", inf)
        if c.get("inferenceFoundryTenantId") or c.get("inferenceFoundryClientId") or kind == "interactive":
            out.add("login.microsoftonline.com", REQUIRED, "Entra ID sign-in (inferenceFoundryTenantId/ClientId)", inf)
    elif provider == "anthropic":
        out.add("api.anthropic.com", REQUIRED, "inference: the Anthropic API", inf)
        if not c.get("inferenceAnthropicApiKey") and not c.get("inferenceCredentialHelper"):
            out.add("platform.claude.com", REQUIRED, "Anthropic browser sign-in", inf)
    for key, what in OIDC_KEYS.items():
        oidc = c.get(key)
        if isinstance(oidc, dict) and (key != "bootstrapOidc" or c.get("bootstrapUrl")):
            for field in ("issuer", "authorizationUrl", "tokenUrl"):
                if oidc.get(field):
                    out.add(_host(oidc[field]), REQUIRED, "%s: %s (%s.%s)" % (what, field, key, field),
                            "§3.10" if key == "bootstrapOidc" else "§3.3")


def firewall_rows(config):
    """(rows, notes): rows sorted by label then host, each {host, label, reasons, cites}."""
    c = config or {}
    out, notes = _List(), []
    out.add("downloads.claude.ai", REQUIRED, "VM bundle and Claude Code binary at session start (not needed with the offline installer)",
            '§6 "Always"')
    _inference(c, out, notes)
    if c.get("bootstrapUrl") and c.get("bootstrapEnabled", True):
        out.add(_host(c["bootstrapUrl"]), REQUIRED, "bootstrap server (bootstrapUrl)", "§3.10")
    if not c.get("disableAutoUpdates"):
        upd = '§6 "Auto-updates"'
        out.add("claude.ai", REQUIRED, "auto-updates", upd)
        if c.get("updateViaUpdatesHost"):
            out.add("releases.claude.com", REQUIRED, "auto-updates feed (updateViaUpdatesHost)", upd)
        else:
            out.add("api.anthropic.com", REQUIRED, "auto-updates feed (releases.claude.com instead with updateViaUpdatesHost)", upd)
        out.add("downloads.claude.ai", REQUIRED, "auto-update downloads", upd)
    else:
        notes.append("auto-updates disabled (disableAutoUpdates): no update hosts")
    if not c.get("disableEssentialTelemetry"):
        for host in ESSENTIAL_TELEMETRY:
            out.add(host, REQUIRED, "essential telemetry (crash and performance reports)", '§6 "Essential telemetry"')
    if not c.get("disableNonessentialTelemetry"):
        for host in NONESSENTIAL_TELEMETRY:
            out.add(host, NON_ESSENTIAL, "non-essential telemetry (product analytics)", '§6 "Non-essential telemetry"')
    if not c.get("disableNonessentialServices"):
        for host in NONESSENTIAL_SERVICES:
            out.add(host, NON_ESSENTIAL, "non-essential services (favicons, artifact previews, MCP Apps)", '§6 "Non-essential services"')
    opt = '§6 "Optional"'
    if c.get("otlpEndpoint"):
        out.add(_host(c["otlpEndpoint"]), OPTIONAL, "OpenTelemetry collector (otlpEndpoint)", opt)
    if c.get("isDesktopExtensionEnabled"):
        for host in PYTHON_EXTENSION_HOSTS:
            out.add(host, OPTIONAL, "Python desktop extensions (isDesktopExtensionEnabled)", opt)
    for server in c.get("managedMcpServers") or []:
        if not isinstance(server, dict):
            continue
        label = "managed MCP server %s" % server.get("name")
        if server.get("url"):
            out.add(_host(server["url"]), OPTIONAL, label, opt)
        oauth = server.get("oauth")
        if isinstance(oauth, dict):
            for issuer in oauth.get("authorizationServer") or []:
                out.add(_host(issuer), OPTIONAL, "%s: OAuth authorization server" % label, opt)
            for field in ("authorizationUrl", "tokenUrl"):
                if oauth.get(field):
                    out.add(_host(oauth[field]), OPTIONAL, "%s: OAuth %s" % (label, field), opt)
            if oauth.get("tenantId"):
                out.add("login.microsoftonline.com", OPTIONAL, "%s: Entra sign-in" % label, opt)
        if server.get("server") == "microsoft365" or (server.get("tenantId") and server.get("server")):
            out.add("login.microsoftonline.com", OPTIONAL, "%s: Entra sign-in" % label, opt)
    for entry in c.get("coworkEgressAllowedHosts") or []:
        if entry == "*":
            notes.append("coworkEgressAllowedHosts is *: tool calls may reach any host; the perimeter decides")
            continue
        out.add(str(entry), OPTIONAL, "tool-call egress allowed to the sandbox (coworkEgressAllowedHosts)", opt)
    rows = sorted(out.rows.values(), key=lambda r: (_RANK[r["label"]], r["host"]))
    return rows, notes


def firewall_hosts(config):
    """[{host, label, reason, cite}] for reports (reasons joined)."""
    rows, dummy = firewall_rows(config)
    return [{"host": r["host"], "label": r["label"], "reason": "; ".join(r["reasons"]), "cite": ", ".join(r["cites"])} for r in rows]


def render_text(config):
    """firewall-hosts.txt: one host per line, then '# <label>: <reasons> (spec rows)'; notes at the end."""
    rows, notes = firewall_rows(config)
    width = max([len(r["host"]) for r in rows] + [20])
    lines = ["# HTTPS (443) hosts the perimeter firewall must allow for this configuration, by SNI hostname",
             "# (spec §6). The app's own Egress section (Copy hostnames) is authoritative. Labels: required;",
             "# optional and non-essential as the spec marks them. Written by aiohub.claude_desktop."]
    for r in rows:
        lines.append("%-*s  # %s: %s (spec %s)" % (width, r["host"], r["label"], "; ".join(r["reasons"]), ", ".join(r["cites"])))
    lines.extend("# note: %s" % n for n in notes)
    return ("\n".join(lines) + "\n").encode("utf-8")
