# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rules across keys, as data (issue 10 item 5): the provider matrix and the cross-key checks.

PRIVATE, controller-only. PROVIDERS is the per-provider matrix (required keys, credential kinds and
the keys each reads, model discovery); RULES are the cross-key rules, each with its spec citation,
the sentence it comes from and its severity, one short function each, grouped below by the section
of ../shared/spec/claude-desktop-3p.md they cite first. A rule the spec does not state is never an
error. _validation runs RULES in one loop, in RUN_ORDER; rule_table() lists them for
docs/conformance.md.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ansible_collections.aiohub.claude_desktop.plugins.module_utils.masking import CREDENTIAL_NAME_RE as _CREDENTIAL_HEADER_RE
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._catalog import key_catalog

HELPER = "inferenceCredentialHelper"
BEDROCK_SSO = ("inferenceBedrockSsoStartUrl", "inferenceBedrockSsoRegion", "inferenceBedrockSsoAccountId", "inferenceBedrockSsoRoleName")
CREDENTIAL_KINDS = ("static", "helper-script", "interactive", "vendor-profile", "workforce", "external-idp")
# Kinds first honoured later than inferenceCredentialKind itself (1.8555.0), and what older builds then do.
KIND_SINCE = {"external-idp": ("2.7032.0", "an unknown kind shows 'Connection needs Credential kind' (§3.3 gateway)")}
MODEL_ALIASES = ("sonnet", "opus", "haiku", "fable", "mythos")

PROVIDERS = {
    "gateway": {
        "cite": "§3.3 LLM gateway, §3.5",
        "required": ("inferenceGatewayBaseUrl",),
        # kind -> the keys it reads (all needed). "interactive" alone: the gateway is its own OAuth server.
        "kinds": {"static": ("inferenceGatewayApiKey",), "helper-script": (HELPER,), "interactive": (), "external-idp": ("inferenceIdpOidc",)},
        # kinds the app derives from present keys when inferenceCredentialKind is unset, in order
        "implicit": ("helper-script", "static"),
        # kinds with model discovery (GET /v1/models); inferenceModels is required for the others
        "discovery": ("static", "helper-script", "interactive", "external-idp"),
        "exactly_one": False,
    },
    "anthropic": {
        "cite": "§3.3 Anthropic API, §3.5",
        "required": (),
        "kinds": {"static": ("inferenceAnthropicApiKey",), "helper-script": (HELPER,), "interactive": ()},
        "implicit": ("helper-script", "static"),
        "discovery": ("static", "helper-script", "interactive"),
        "exactly_one": False,
    },
    "bedrock": {
        "cite": "§3.3 Amazon Bedrock, §3.5",
        "required": ("inferenceBedrockRegion",),
        "kinds": {
            "static": ("inferenceBedrockBearerToken",),
            "interactive": BEDROCK_SSO,
            "vendor-profile": ("inferenceBedrockProfile",),
            "helper-script": (HELPER,),
            "external-idp": ("inferenceIdpOidc", "inferenceBedrockBaseUrl"),
        },
        "implicit": ("helper-script", "static", "interactive", "vendor-profile"),
        "discovery": ("static", "helper-script"),
        # "Supply region + exactly one credential source" (§3.3 Bedrock); the order differs between doc generations (§1.6 rule 7)
        "exactly_one": True,
    },
    "mantle": {
        "cite": "§3.3 Amazon Bedrock Mantle, §3.5",
        "required": ("inferenceBedrockRegion",),
        "kinds": {"static": ("inferenceBedrockBearerToken",), "helper-script": (HELPER,)},
        "implicit": ("helper-script", "static"),
        "discovery": (),
        "exactly_one": False,
    },
    "vertex": {
        "cite": "§3.3 Google Vertex AI, §3.5",
        "required": ("inferenceVertexProjectId", "inferenceVertexRegion"),
        # vendor-profile: the credentials file, or Application Default Credentials when it is unset or blank
        "kinds": {
            "vendor-profile": (),
            "interactive": ("inferenceVertexOAuthClientId",),
            "workforce": ("inferenceVertexWorkforceAudience",),
            "helper-script": (HELPER,),
        },
        "implicit": ("helper-script", "workforce", "interactive", "vendor-profile"),
        "discovery": (),
        "exactly_one": False,
    },
    "foundry": {
        "cite": "§3.3 Microsoft Foundry, §3.5",
        "required": ("inferenceFoundryResource",),
        "kinds": {"static": ("inferenceFoundryApiKey",), "interactive": ("inferenceFoundryTenantId", "inferenceFoundryClientId"), "helper-script": (HELPER,)},
        "implicit": ("helper-script", "static", "interactive"),
        "discovery": (),
        "exactly_one": False,
    },
}

# Sign-in flows with a "broker" value: the OIDC object whose issuer must be Entra (None: Entra by
# nature), whether that is stated (error) or derived (warning), and the citation.
AUTH_FLOWS = {
    "inferenceGatewayOidcAuthFlow": ("inferenceGatewayOidc", True,
                                     "§3.3 LLM gateway: broker (Entra issuer https://login.microsoftonline.com/{tenant}/v2.0 only; not Linux)"),
    "inferenceVertexWorkforceAuthFlow": ("inferenceVertexWorkforceOidc", True, "§3.3 Google Vertex AI: broker (Entra issuer only; not Linux)"),
    "inferenceFoundryAuthFlow": (None, True, "§3.3 Microsoft Foundry: broker (newer; WAM/Company Portal; ...; not Linux)"),
    "inferenceIdpAuthFlow": ("inferenceIdpOidc", True,
                             "§3.3 LLM gateway: the same thing can be spelled external-idp + inferenceIdpOidc + inferenceIdpAuthFlow"),
}
ENTRA_HOSTS = ("login.microsoftonline.com", "login.microsoftonline.us", "login.chinacloudapi.cn", "login.partner.microsoftonline.cn")

# Header names that carry credentials (§3.1: inferenceCustomHeaders are routing/tenant headers only): the
# collection's one credential-name word list, module_utils/masking.CREDENTIAL_NAME_RE (imported above).


class Rule(object):
    """One cross-key rule: where the spec states it, its severity and the check."""

    def __init__(self, rid, cite, quote, severity, keys, check):
        self.id, self.cite, self.quote, self.severity, self.keys, self.check = rid, cite, quote, severity, tuple(keys), check

    def as_row(self):
        return {"id": self.id, "cite": self.cite, "quote": self.quote, "severity": self.severity, "keys": list(self.keys)}


RULES = []


def rule(rid, cite, quote, severity, keys):
    """Register a cross-key rule. The check gets a RuleContext and yields (key, rule, fix) (or (key, text) for warnings)."""

    def register(check):
        RULES.append(Rule(rid, cite, quote, severity, keys, check))
        return check

    return register


class _Invalid(object):
    """The value of a key that failed its field check: present, but not to be read (one message per cause)."""

    def __repr__(self):
        return "<invalid>"


INVALID = _Invalid()


def key_in_scope(key, provider):
    """False for a key the selected provider does not read (spec §1.6 rule 6: provider scoping); True when no
    provider is selected (then nothing is known to be ignored; a provider value that is not a string is its own
    error)."""
    if not isinstance(provider, str) or provider not in PROVIDERS:
        return True
    providers = key_catalog().get(key, {}).get("providers")
    return not providers or provider in providers


class RuleContext(object):
    """What a rule sees: the config (a key that failed its field check holds INVALID, so it counts as present),
    the provider, the credential kind, the fleet's oldest build and the target OS."""

    def __init__(self, config, min_version=None, target_os=None, parse_version=None):
        self.c = config
        provider, kind = config.get("inferenceProvider"), config.get("inferenceCredentialKind")
        self.provider = provider if isinstance(provider, str) and provider in PROVIDERS else None
        self.spec = PROVIDERS.get(self.provider)
        self.kind = kind if isinstance(kind, str) and kind in CREDENTIAL_KINDS else None
        self.kind_invalid = "inferenceCredentialKind" in config and self.kind is None
        self.min_version = min_version
        self.target_os = target_os
        self.parse_version = parse_version
        self.bootstrap = self.has("bootstrapUrl") and config.get("bootstrapEnabled") is not False

    def has(self, *keys):
        return all(self.c.get(k) not in (None, "") for k in keys)

    def sources(self):
        """Kinds whose keys are all present, among those the app derives when no kind is set."""
        if not self.spec:
            return []
        return [k for k in self.spec["implicit"] if self.spec["kinds"][k] and self.has(*self.spec["kinds"][k])]

    def chosen(self):
        """The credential kind in effect: the set kind, else the one the app derives (helper first)."""
        if self.kind or not self.spec:
            return self.kind
        present = self.sources()
        if present:
            return present[0]
        fallback = [k for k in self.spec["implicit"] if not self.spec["kinds"][k]]
        return fallback[0] if fallback else None

    def older_than(self, version):
        return bool(self.min_version) and self.parse_version(self.min_version) < self.parse_version(version)

    def in_scope(self, key):
        """False for a key of a provider other than the selected one: the app ignores it (spec §1.6 rule 6)."""
        return key_in_scope(key, self.provider)

    def os_for(self, key):
        """The target OS for an OS-dependent rule about ``key``: None (no OS rule applies) for a key the selected
        provider ignores, so provider scoping comes before every OS rule (issue 22)."""
        return self.target_os if self.in_scope(key) else None


def model_names(entries):
    if not isinstance(entries, list):
        return []
    return [e if isinstance(e, str) else (e.get("name") if isinstance(e, dict) else None) for e in entries]


def _needs_bootstrap_note(ctx):
    return ctx.bootstrap  # §1.6 rule 5: a bootstrap profile needs only the bootstrap keys


# ---------------------------------------------------------------------------------------------
# §1.6 Precedence rules, §1.8 3P activation rule (../shared/spec/claude-desktop-3p.md)
# ---------------------------------------------------------------------------------------------
@rule("activation", "§1.6 rule 1, §1.8",
      "3P mode activates only when inferenceProvider is set and the required credential keys for that provider are present and valid",
      "error", ["inferenceProvider"])
def _r_activation(ctx):
    c = ctx.c
    if "inferenceProvider" in c or not c or ctx.bootstrap:
        return
    catalog = key_catalog()
    if all(catalog.get(k, {}).get("app_behaviour") for k in c):
        return  # §1.6 rule 2: app-behaviour keys alone do not take ownership
    yield ("inferenceProvider", "is not set, so the app stays in standard mode while these keys make the device managed",
           "set inferenceProvider to gateway, anthropic, bedrock, mantle, vertex or foundry (or deliver it through bootstrapUrl)")


@rule("provider-scoping", "§1.6 rule 6", "keys for providers other than the selected inferenceProvider are ignored", "warning", [])
def _r_scoping(ctx):
    if not ctx.provider:
        return
    for key in ctx.c:
        providers = key_catalog().get(key, {}).get("providers")
        if providers and ctx.provider not in providers:
            yield key, "ignored because inferenceProvider is %s (it reads only its own keys)" % ctx.provider


@rule("helper-wins", "§1.6 rule 7", "if inferenceCredentialHelper is set, static credential fields (API key, bearer token) are ignored", "warning", [HELPER])
def _r_helper_wins(ctx):
    if not ctx.spec or ctx.kind or not ctx.has(HELPER):
        return
    static = ctx.spec["kinds"].get("static", ())
    for key in static:
        if key in ctx.c:
            yield key, "ignored because inferenceCredentialHelper is set (the helper always wins); drop it or set inferenceCredentialKind"


@rule("several-sources", "§1.6 rule 7", "Setting inferenceCredentialKind removes the ambiguity (no fallback).", "warning", [])
def _r_several(ctx):
    if not ctx.spec or ctx.kind or ctx.spec["exactly_one"]:
        return
    present = [k for k in ctx.sources() if k != "helper-script"]
    if len(present) > 1:
        yield "inferenceCredentialKind", "several credential sources are set (%s); set inferenceCredentialKind to choose one" % ", ".join(present)


@rule("app-behaviour-history", "§1.6 rule 2", "History: in 1.5354.0 and 1.9659.1 a profile containing only disableAutoUpdates still locked the "
      "whole 3P UI.", "warning", [])
def _r_app_behaviour_history(ctx):
    c = ctx.c
    catalog = key_catalog()
    if c and "inferenceProvider" not in c and all(catalog.get(k, {}).get("app_behaviour") for k in c) and ctx.older_than("1.9659.2"):
        yield (sorted(c)[0], "on builds up to 1.9659.1 (the fleet's oldest is %s) a profile with only app-behaviour keys still locks the whole "
               "third-party UI (it makes the device managed); deliver the full configuration, or raise claude_desktop_min_app_version" % ctx.min_version)


# ---------------------------------------------------------------------------------------------
# §3 Key reference (the Since column: version gates) (../shared/spec/claude-desktop-3p.md)
# ---------------------------------------------------------------------------------------------
@rule("version-gate-credential", "§3 (Since column), §1.8",
      "Treat version gates as \"first release that honours the key\". … 3P mode activates only when inferenceProvider is set and "
      "the required credential keys for that provider are present", "warning", [])
def _r_gate_credential(ctx):
    if not ctx.min_version or not ctx.spec:
        return
    catalog = key_catalog()
    for key in ctx.spec["kinds"].get(ctx.chosen(), ()):
        since = catalog.get(key, {}).get("since", "base")
        if key in ctx.c and ctx.older_than(since):
            yield (key, "first honoured by Claude Desktop %s; builds from %s ignore it, so there they have no %s credential and stay in "
                   "standard mode" % (since, ctx.min_version, ctx.provider))


# ---------------------------------------------------------------------------------------------
# §3.1 Connection / activation (../shared/spec/claude-desktop-3p.md)
# ---------------------------------------------------------------------------------------------
@rule("kind-per-provider", "§3.1 inferenceCredentialKind", "Not every kind is valid for every provider.", "error", ["inferenceCredentialKind"])
def _r_kind_valid(ctx):
    if ctx.spec and ctx.kind and ctx.kind not in ctx.spec["kinds"]:
        yield ("inferenceCredentialKind", "%s is not a credential kind of provider %s (%s)" % (ctx.kind, ctx.provider, ctx.spec["cite"]),
               "use one of: %s" % ", ".join(sorted(ctx.spec["kinds"])))


@rule("kind-needs-keys", "§3.1 inferenceCredentialKind", "When set, only that source is used (no fallback).", "error", ["inferenceCredentialKind"])
def _r_kind_keys(ctx):
    if not (ctx.spec and ctx.kind in ctx.spec["kinds"]) or _needs_bootstrap_note(ctx):
        return
    missing = [k for k in ctx.spec["kinds"][ctx.kind] if not ctx.has(k)]
    if missing:
        yield (missing[0], "inferenceCredentialKind %s on %s reads %s, which %s not set (no fallback to other credentials)"
               % (ctx.kind, ctx.provider, ", ".join(ctx.spec["kinds"][ctx.kind]), "is" if len(missing) == 1 else "are"),
               "set %s" % ", ".join(missing))


@rule("no-credential", "§3.1 inferenceCredentialKind, §1.8",
      'Error when nothing resolves: no credential configured for provider "gateway": set inferenceCredentialKind or one of the credential fields',
      "error", [])
def _r_no_credential(ctx):
    if not ctx.spec or ctx.kind or ctx.kind_invalid or _needs_bootstrap_note(ctx) or ctx.chosen():
        return
    options = ["%s (%s)" % (" + ".join(keys), kind) for kind, keys in sorted(ctx.spec["kinds"].items()) if keys]
    key = ctx.spec["kinds"].get("static", (HELPER,))[0]
    yield (key, 'no credential configured for provider "%s" (the app stays in standard mode)' % ctx.provider,
           "set one of: %s; or set inferenceCredentialKind (%s)" % ("; ".join(options), ", ".join(sorted(ctx.spec["kinds"]))))


@rule("no-credentials-in-headers", "§3.1 inferenceCustomHeaders", "routing/tenant headers only … no credentials (use helper headers)", "warning", [])
def _r_header_tokens(ctx):
    for key in ("inferenceCustomHeaders", "otlpHeaders"):
        value = ctx.c.get(key)
        if isinstance(value, dict):
            names = sorted(n for n in value if isinstance(n, str) and _CREDENTIAL_HEADER_RE.search(n))
            if names:
                instead = ("have inferenceCredentialHelper print {\"token\": ..., \"headers\": {\"%s\": ...}} instead (the helper's headers "
                           "are merged over these)" % names[0]) if key == "inferenceCustomHeaders" else "print it from otlpHeadersHelper instead"
                yield (key, "header %s looks like a credential, but this map is for routing headers only, no credentials (spec %s); %s"
                       % (", ".join(names), "§3.1" if key == "inferenceCustomHeaders" else "§3.8", instead))


# ---------------------------------------------------------------------------------------------
# §3.3 Provider keys (Amazon Bedrock, Google Vertex AI, LLM gateway, the auth flows, the OIDC fields) (../shared/spec/claude-desktop-3p.md)
# ---------------------------------------------------------------------------------------------
@rule("one-credential-source", "§3.3 Amazon Bedrock", "Supply region + exactly one credential source", "error", ["inferenceCredentialKind"])
def _r_one_source(ctx):
    if not ctx.spec or ctx.kind or not ctx.spec["exactly_one"]:
        return
    present = [k for k in ctx.sources() if k != "helper-script"]
    if len(present) > 1:
        yield ("inferenceCredentialKind", "several %s credential sources are set (%s); the order the app tries them changed between "
               "builds (§1.6 rule 7)" % (ctx.provider, ", ".join(present)), "keep exactly one, or set inferenceCredentialKind to choose")


@rule("bedrock-sso-together", "§3.3 Amazon Bedrock", "all four SSO keys together", "error", [])
def _r_sso(ctx):
    if ctx.provider != "bedrock":
        return
    sso = [k for k in BEDROCK_SSO if k in ctx.c]
    if sso and len(sso) != len(BEDROCK_SSO):
        yield ("inferenceBedrockSsoStartUrl", "AWS sign-in needs all four SSO keys together",
               "set %s" % ", ".join(k for k in BEDROCK_SSO if k not in ctx.c))


@rule("vertex-no-tool-search", "§3.3 Google Vertex AI", "Do not set toolSearchEnabled on Vertex (Vertex rejects the tool-search beta header).",
      "error", ["toolSearchEnabled"])
def _r_vertex_tool_search(ctx):
    if ctx.provider == "vertex" and ctx.c.get("toolSearchEnabled") is True:
        yield "toolSearchEnabled", "must not be enabled on Vertex (Vertex rejects the tool-search beta header)", "remove it or set false"


@rule("vertex-file-disables-sign-in", "§3.3 Google Vertex AI", "if set, Google sign-in is disabled", "warning", [])
def _r_vertex_file(ctx):
    if ctx.provider == "vertex" and ctx.has("inferenceVertexCredentialsFile") and "inferenceVertexOAuthClientId" in ctx.c:
        yield "inferenceVertexOAuthClientId", "has no effect: inferenceVertexCredentialsFile is set, which disables Google sign-in"


@rule("workforce-needs-oidc", "§3.3 Google Vertex AI", "workforce-pool provider audience → own IdP + GCP STS exchange",
      "warning", [])
def _r_workforce_oidc(ctx):
    if ctx.provider == "vertex" and ctx.chosen() == "workforce" and "inferenceVertexWorkforceOidc" not in ctx.c:
        yield "inferenceVertexWorkforceOidc", "not set: workforce sign-in goes through your own IdP, whose OIDC client this key describes"


@rule("vertex-oauth-pair", "§3.3 Google Vertex AI", "paired secret (Google treats installed-app secrets as non-confidential)", "warning", [])
def _r_vertex_secret(ctx):
    if "inferenceVertexOAuthClientSecret" in ctx.c and "inferenceVertexOAuthClientId" not in ctx.c:
        yield "inferenceVertexOAuthClientSecret", "has no effect without inferenceVertexOAuthClientId, the OAuth client it pairs with"


@rule("gateway-oidc-needs-interactive", "§3.3 LLM gateway", "SSO = inferenceCredentialKind: interactive and inferenceGatewayOidc", "warning", [])
def _r_gateway_oidc(ctx):
    if ctx.provider == "gateway" and "inferenceGatewayOidc" in ctx.c and ctx.kind != "interactive":
        yield "inferenceGatewayOidc", "used only with inferenceCredentialKind: interactive"


@rule("placeholder-key", "§3.3 LLM gateway", "Cannot be empty: if the gateway authenticates by network identity, set a placeholder", "warning", [])
def _r_placeholder(ctx):
    if ctx.provider == "gateway" and ctx.c.get("inferenceGatewayApiKey") in ("sk-your-api-key", "sk-xxx", "YOUR_API_KEY"):
        yield "inferenceGatewayApiKey", "looks like the setup guide's placeholder, not a real key"


@rule("version-gate-breaks-connection", "§3.3 LLM gateway",
      "builds before 2.7032.0 only understand the old spelling (an unknown kind shows \"Connection needs Credential kind\")",
      "error", ["inferenceCredentialKind"])
def _r_gate_connection(ctx):
    """An error only where the spec says what older builds then do; other gated keys are warnings (_r_gate_credential)."""
    if ctx.kind in KIND_SINCE and ctx.older_than(KIND_SINCE[ctx.kind][0]):
        since, what = KIND_SINCE[ctx.kind]
        yield ("inferenceCredentialKind", "%s is first understood by %s, but the fleet's oldest build is %s: %s"
               % (ctx.kind, since, ctx.min_version, what), "raise claude_desktop_min_app_version once the fleet is on %s, or use another kind" % since)


def _entra(oidc):
    if not isinstance(oidc, dict):
        return False
    url = oidc.get("issuer") or oidc.get("authorizationUrl") or ""
    try:
        return (urlsplit(url).hostname or "").lower() in ENTRA_HOSTS
    except ValueError:
        return False


@rule("broker-entra-not-linux", "§3.3 (auth flows)", "broker (Entra issuer only; not Linux)", "error", list(AUTH_FLOWS))
def _r_broker(ctx):
    for key, (oidc_key, stated, cite) in sorted(AUTH_FLOWS.items()):
        if ctx.c.get(key) != "broker" or not ctx.in_scope(key):
            continue  # a flow of another provider is ignored by the app (§1.6 rule 6): provider-scoping warns, nothing fails
        if ctx.os_for(key) == "linux":
            yield (key, "broker is not available on Linux (%s)" % cite, "use browser") if stated else \
                (key, "broker is not available on Linux (derived from %s); use browser" % cite)
        if oidc_key and oidc_key in ctx.c and not _entra(ctx.c[oidc_key]):
            yield (key, "broker works only with an Entra issuer (https://login.microsoftonline.com/{tenant}/v2.0), and %s names another (%s)"
                   % (oidc_key, cite), "use browser, or an Entra issuer") if stated else \
                (key, "broker works only with an Entra issuer (derived from %s); %s names another, use browser" % (cite, oidc_key))


OIDC_KEYS = ("inferenceGatewayOidc", "inferenceIdpOidc", "inferenceVertexWorkforceOidc", "bootstrapOidc")


@rule("oidc-urls-beside-issuer", "§3.3 inferenceGatewayOidc fields", "HTTPS; used together when no discovery; ignored if issuer set", "warning", [])
def _r_oidc_urls(ctx):
    for key in OIDC_KEYS:
        oidc = ctx.c.get(key)
        if isinstance(oidc, dict) and oidc.get("issuer") and (oidc.get("authorizationUrl") or oidc.get("tokenUrl")):
            yield key, "authorizationUrl/tokenUrl are ignored because issuer is set; drop them, or drop issuer to use them"


# ---------------------------------------------------------------------------------------------
# §3.4 Models (../shared/spec/claude-desktop-3p.md)
# ---------------------------------------------------------------------------------------------
@rule("models-required", "§3.4, §3.3", "Required per provider: Vertex, Mantle, Foundry always; Bedrock for profile/SSO/IdP auth", "error", [])
def _r_models(ctx):
    if not ctx.spec or _needs_bootstrap_note(ctx) or ctx.has("inferenceModels") or "inferenceModels" in ctx.c:
        return
    chosen = ctx.chosen()
    if chosen and chosen not in ctx.spec["discovery"]:
        how = "" if not ctx.spec["discovery"] else " with %s credentials" % chosen
        yield ("inferenceModels", "is required for %s%s: the app does no model discovery there (%s)" % (ctx.provider, how, ctx.spec["cite"]),
               "list the exact model IDs of the provider")


@rule("discovery-off-needs-models", "§3.4 modelDiscoveryEnabled",
      "then inferenceModels is required and must use full IDs (aliases like sonnet need discovery)", "error", ["modelDiscoveryEnabled"])
def _r_discovery_off(ctx):
    if ctx.c.get("modelDiscoveryEnabled") is not False:
        return
    names = model_names(ctx.c.get("inferenceModels"))
    if not names and not _needs_bootstrap_note(ctx):
        yield "inferenceModels", "is required when modelDiscoveryEnabled is false", "list full model IDs"
    aliases = [n for n in names if n in MODEL_ALIASES]
    if aliases:
        yield "inferenceModels", "aliases %s need model discovery, which modelDiscoveryEnabled false turns off" % ", ".join(aliases), \
            "use the full model IDs, or allow discovery"


@rule("model-aliases", "§3.4", "First entry = default model. Exact provider IDs. … aliases like sonnet need discovery", "warning", [])
def _r_aliases(ctx):
    if not ctx.spec or ctx.c.get("modelDiscoveryEnabled") is False:
        return
    chosen = ctx.chosen()
    aliases = [n for n in model_names(ctx.c.get("inferenceModels")) if n in MODEL_ALIASES]
    if not aliases:
        return
    example = {"bedrock": "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "vertex": "claude-sonnet-4@20250514"}.get(ctx.provider, "claude-sonnet-4-5")
    what = "%s %s" % (", ".join(aliases), "is an alias" if len(aliases) == 1 else "are aliases")
    if chosen not in ctx.spec["discovery"]:
        yield ("inferenceModels", "%s, but %s%s does no model discovery, so nothing resolves them; §3.4 asks for exact provider IDs such as %s"
               % (what, ctx.provider, " with %s credentials" % chosen if ctx.spec["discovery"] else "", example))
    else:
        yield ("inferenceModels", "%s, which resolve only through model discovery; §3.4 asks for exact provider IDs (such as %s), "
               "which also keep working when discovery is off" % (what, example))


@rule("non-anthropic-models", "§3.4", "One 2026-05 build rejected non-Anthropic model names for gateways", "warning", [])
def _r_non_anthropic(ctx):
    if ctx.provider != "gateway":
        return
    odd = []
    for entry in ctx.c.get("inferenceModels") if isinstance(ctx.c.get("inferenceModels"), list) else ():
        name = model_names([entry])[0]
        tier = entry.get("anthropicFamilyTier") if isinstance(entry, dict) else None
        if isinstance(name, str) and "claude" not in name.lower() and name not in MODEL_ALIASES and not tier:
            odd.append(name)
    if odd:
        yield ("inferenceModels", "%s %s not recognisably Claude: one 2026-05 build rejected such names for gateways, and discovery shows only "
               "Claude IDs (§3.4); if the gateway serves Claude under this name, add anthropicFamilyTier to the entry"
               % (", ".join(odd), "is" if len(odd) == 1 else "are"))


@rule("pricing-enabled", "§3.4", "the two keys below apply only when this is true", "warning", [])
def _r_pricing(ctx):
    if ctx.c.get("inferenceModelPricingEnabled") is not True:
        for key in ("inferenceModelPricingMultiplier", "inferenceModelPricing"):
            if key in ctx.c:
                yield key, "applies only when inferenceModelPricingEnabled is true"


@rule("prefer-1m", "§3.4 modelPrefer1mContext", "start picker on the 1M variant of the default model", "warning", [])
def _r_prefer1m(ctx):
    models = ctx.c.get("inferenceModels")
    if ctx.c.get("modelPrefer1mContext") and isinstance(models, list) and models:
        first = models[0]
        if not isinstance(first, dict) or not first.get("supports1m"):
            yield "modelPrefer1mContext", "the default model (first inferenceModels entry) is not marked supports1m"


# ---------------------------------------------------------------------------------------------
# §3.5 Required keys per provider (summary) (../shared/spec/claude-desktop-3p.md)
# ---------------------------------------------------------------------------------------------
@rule("provider-required", "§3.5, §1.8",
      "3P mode activates only when inferenceProvider is set and the required credential keys for that provider are present and "
      "valid; otherwise the app launches in standard (claude.ai) mode.", "error", [])
def _r_required(ctx):
    if not ctx.spec or _needs_bootstrap_note(ctx):
        return
    for key in ctx.spec["required"]:
        if not ctx.has(key):
            yield key, "is required for inferenceProvider %s (%s)" % (ctx.provider, ctx.spec["cite"]), "set %s" % key


@rule("foundry-entra-pair", "§3.5", "static key (or helper / Entra sign-in)", "warning", [])
def _r_foundry_pair(ctx):
    if ctx.provider != "foundry":
        return
    entra = [k for k in ("inferenceFoundryTenantId", "inferenceFoundryClientId") if k in ctx.c]
    if len(entra) == 1 and ctx.chosen():
        yield entra[0], "Entra sign-in uses inferenceFoundryTenantId and inferenceFoundryClientId together; with one of them it is not offered"


# ---------------------------------------------------------------------------------------------
# §3.6 Workspace, sandbox and egress (../shared/spec/claude-desktop-3p.md)
# ---------------------------------------------------------------------------------------------
@rule("one-tab-enabled", "§3.6 coworkTabEnabled", "at least one of Cowork/Code/Chat must stay enabled (else Cowork re-enabled with a warning)",
      "warning", [])
def _r_tabs(ctx):
    c = ctx.c
    if c.get("coworkTabEnabled") is False and c.get("isClaudeCodeForDesktopEnabled") is False and not c.get("chatTabEnabled"):
        yield "coworkTabEnabled", "Cowork, Code and Chat are all disabled; the app re-enables Cowork with a warning. Enable one of the tabs"


@rule("pac-wins", "§3.6", "PAC URL; wins over egressProxyUrl", "warning", [])
def _r_pac(ctx):
    if "egressProxyUrl" in ctx.c and "egressProxyPacUrl" in ctx.c:
        yield "egressProxyUrl", "ignored because egressProxyPacUrl is set (the PAC URL wins)"


@rule("code-execution-needs-bash", "§3.6 chatCodeExecutionEnabled", "code execution in Chat; forced off if Bash disabled", "warning", [])
def _r_code_exec(ctx):
    tools = ctx.c.get("disabledBuiltinTools")
    if ctx.c.get("chatCodeExecutionEnabled") is True and isinstance(tools, list) and "Bash" in tools:
        yield "chatCodeExecutionEnabled", "forced off because disabledBuiltinTools disables Bash"


@rule("version-gate-scoped-ask", "§3.6 builtinToolPolicy",
      "From 1.37937.0 keys may be argument-scoped Claude Code rules … older builds drop scoped ask entries (tool then runs unprompted).",
      "error", ["builtinToolPolicy"])
def _r_gate_scoped(ctx):
    policy = ctx.c.get("builtinToolPolicy")
    if not isinstance(policy, dict) or not ctx.older_than("1.37937.0"):
        return
    scoped = sorted(k for k, v in policy.items() if "(" in str(k) and v == "ask")
    if scoped:
        yield ("builtinToolPolicy", "scoped ask rules %s are dropped by builds before 1.37937.0 (the fleet's oldest is %s), so the tool runs "
               "unprompted there" % (", ".join(scoped), ctx.min_version), "raise claude_desktop_min_app_version once the fleet is on 1.37937.0, "
               "or ask for the whole tool (bare name)")


@rule("scoped-allow-old-builds", "§3.6 builtinToolPolicy", "From 1.37937.0 keys may be argument-scoped Claude Code rules", "warning", [])
def _r_scoped_allow(ctx):
    policy = ctx.c.get("builtinToolPolicy")
    if isinstance(policy, dict) and ctx.older_than("1.37937.0"):
        scoped = sorted(k for k, v in policy.items() if "(" in str(k) and v != "ask")
        if scoped:
            yield "builtinToolPolicy", "scoped rules %s are first understood by 1.37937.0; older builds (the fleet's oldest is %s) drop them" % (
                ", ".join(scoped), ctx.min_version)


# ---------------------------------------------------------------------------------------------
# §3.7 Connectors, MCP, extensions, plugins (../shared/spec/claude-desktop-3p.md)
# ---------------------------------------------------------------------------------------------
@rule("extension-default-changed", "§3.7, §8.10", "isDesktopExtensionEnabled default flipped to false in 1.19367.0", "warning", [])
def _r_dxt_default(ctx):
    if ctx.provider and "isDesktopExtensionEnabled" not in ctx.c and ctx.older_than("1.19367.0"):
        yield ("isDesktopExtensionEnabled", "not set; its default is true before 1.19367.0 and false from it, and the fleet's oldest build (%s) "
               "is older, so set it explicitly" % ctx.min_version)


@rule("managed-server-wins", "§3.7 orgPluginSettings", "A managedMcpServers entry with the same name wins.", "warning", [])
def _r_managed_wins(ctx):
    servers, settings = ctx.c.get("managedMcpServers"), ctx.c.get("orgPluginSettings")
    if isinstance(servers, list) and isinstance(settings, list):
        names = set(s.get("name") for s in servers if isinstance(s, dict))
        clash = sorted(set(p.get("serverName") for p in settings if isinstance(p, dict)) & names)
        if clash:
            yield "orgPluginSettings", "settings for %s have no effect: a managedMcpServers entry with the same name wins" % ", ".join(clash)


# ---------------------------------------------------------------------------------------------
# §3.8 Telemetry, updates, lifecycle (../shared/spec/claude-desktop-3p.md)
# ---------------------------------------------------------------------------------------------
@rule("updates-disabled", "§3.8 autoUpdaterEnforcementHours", "ignored if updates disabled", "warning", [])
def _r_updates_disabled(ctx):
    if ctx.c.get("disableAutoUpdates") is True and "autoUpdaterEnforcementHours" in ctx.c:
        yield "autoUpdaterEnforcementHours", "ignored because disableAutoUpdates is true"


@rule("otlp-builtin-attributes", "§3.8 otlpResourceAttributes", "built-in keys (e.g. service.name) dropped", "warning", [])
def _r_otlp_builtin(ctx):
    attrs = ctx.c.get("otlpResourceAttributes")
    if isinstance(attrs, dict):
        builtin = sorted(k for k in attrs if isinstance(k, str) and k.startswith("service."))
        if builtin:
            yield "otlpResourceAttributes", "%s %s built in; the app drops %s" % (
                ", ".join(builtin), "is" if len(builtin) == 1 else "are", "it" if len(builtin) == 1 else "them")


@rule("otlp-helper-wins", "§3.8 otlpHeadersHelper", "absolute path; JSON header object; wins over static headers", "warning", [])
def _r_otlp_helper(ctx):
    if "otlpHeaders" in ctx.c and ctx.has("otlpHeadersHelper"):
        yield "otlpHeaders", "ignored because otlpHeadersHelper is set (the helper wins over static headers)"


# ---------------------------------------------------------------------------------------------
# §3.9 Limits and appearance (../shared/spec/claude-desktop-3p.md)
# ---------------------------------------------------------------------------------------------
@rule("token-window", "§3.9", "inert unless inferenceTokenWindowHours also set", "warning", [])
def _r_token_window(ctx):
    if "inferenceMaxTokensPerWindow" in ctx.c and "inferenceTokenWindowHours" not in ctx.c:
        yield "inferenceMaxTokensPerWindow", "has no effect without inferenceTokenWindowHours (the cap is inert); set inferenceTokenWindowHours (1-720)"
    if "inferenceTokenWindowHours" in ctx.c and "inferenceMaxTokensPerWindow" not in ctx.c:
        yield "inferenceTokenWindowHours", "has no effect without inferenceMaxTokensPerWindow"


@rule("subtitle-needs-name", "§3.9", "shown only with display name", "warning", [])
def _r_subtitle(ctx):
    if "deploymentDisplaySubtitle" in ctx.c and "deploymentDisplayName" not in ctx.c:
        yield "deploymentDisplaySubtitle", "shown only together with deploymentDisplayName"


# ---------------------------------------------------------------------------------------------
# §3.10 Bootstrap (../shared/spec/claude-desktop-3p.md)
# ---------------------------------------------------------------------------------------------
@rule("bootstrap-keys-need-url", "§3.10", "HTTPS endpoint returning per-user JSON overlay; setting it enables bootstrap", "warning", [])
def _r_bootstrap(ctx):
    if "bootstrapUrl" not in ctx.c:
        for key in ("bootstrapOidc", "bootstrapHeaders", "bootstrapHeadersHelper", "bootstrapEnabled", "trustBootstrapDelivery"):
            if key in ctx.c:
                yield key, "has no effect without bootstrapUrl"


# ---------------------------------------------------------------------------------------------
# §3.13 Deprecations with the 2026-10-07 cut-off (../shared/spec/claude-desktop-3p.md)
# ---------------------------------------------------------------------------------------------
@rule("vertex-workforce-kind", "§3.13", "interactive + inferenceVertexWorkforceAudience deprecated → workforce", "error", ["inferenceCredentialKind"])
def _r_vertex_workforce(ctx):
    if ctx.provider == "vertex" and ctx.kind == "interactive" and "inferenceVertexWorkforceAudience" in ctx.c:
        yield ("inferenceCredentialKind", "interactive with inferenceVertexWorkforceAudience was removed after the 2026-10-07 cut-off", "use workforce")


# ---------------------------------------------------------------------------------------------
# The order the validator runs the rules in (and docs/keys.md, docs/conformance.md list them): an
# error marks its key, and a later rule then skips that key (one message per cause), so the order is
# part of the behaviour. A new rule's id goes here too (an id missing here fails the import).
# ---------------------------------------------------------------------------------------------
RUN_ORDER = (
    "activation", "provider-scoping", "provider-required", "kind-per-provider", "kind-needs-keys", "no-credential", "helper-wins",
    "one-credential-source", "several-sources", "models-required", "discovery-off-needs-models", "model-aliases", "non-anthropic-models",
    "no-credentials-in-headers", "token-window", "pricing-enabled", "subtitle-needs-name", "one-tab-enabled", "prefer-1m",
    "extension-default-changed", "pac-wins", "bootstrap-keys-need-url", "vertex-no-tool-search", "vertex-workforce-kind",
    "vertex-file-disables-sign-in", "workforce-needs-oidc", "bedrock-sso-together", "foundry-entra-pair", "gateway-oidc-needs-interactive",
    "placeholder-key", "broker-entra-not-linux", "version-gate-breaks-connection", "version-gate-credential", "version-gate-scoped-ask",
    "scoped-allow-old-builds", "oidc-urls-beside-issuer", "updates-disabled", "otlp-builtin-attributes", "app-behaviour-history", "vertex-oauth-pair",
    "code-execution-needs-bash", "otlp-helper-wins", "managed-server-wins",
)
if sorted(RUN_ORDER) != sorted(r.id for r in RULES):
    raise ValueError("RUN_ORDER and the @rule checks disagree: %s" % ", ".join(sorted(set(RUN_ORDER) ^ set(r.id for r in RULES))))
RULES.sort(key=lambda r: RUN_ORDER.index(r.id))


def rule_table():
    """Every rule as data, for docs/conformance.md: the provider matrix rows, then the cross-key rules."""
    rows = []
    for name, spec in PROVIDERS.items():
        for kind, keys in spec["kinds"].items():
            rows.append({"id": "credential-kind:%s:%s" % (name, kind), "cite": spec["cite"], "severity": "error",
                         "quote": "inferenceCredentialKind %s on %s reads: %s" % (kind, name, ", ".join(keys) or "(no key)"),
                         "keys": ["inferenceCredentialKind"] + list(keys)})
    rows.extend(r.as_row() for r in RULES)
    return rows
