# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The enterpriseConfig model: the single source of truth for every key.

PRIVATE, controller-only. Field names are the app's key names. Each field carries its area,
the first release that honours it (``x-since``), whether it holds a secret (``x-secret``)
and deprecation notes in ``json_schema_extra``; the JSON Schema, the key reference in docs/,
the masking rules and the per-format encodings are all derived from these fields.

Only the pydantic classes and ``_field`` live here. The value checks and coercions the fields use are
in _checks (_model imports _checks, never the reverse); what is derived from the fields in _catalog; the
cross-key rules in _rules; the JSON Schema in _schema.
"""

from __future__ import annotations

import json
import re
import typing as t

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._checks import (
    BUILTIN_TOOLS, EXECUTABLE, FAMILY_TIERS, FOLDER_ENTRIES, HAS_PYDANTIC, HOME_FOLDER, LITERAL_FILE, PLACEHOLDER_ORG_UUID, WORKSPACE_VARS,
    _AWS_REGION_RE, _COLOR_RE, _UUID_RE, _VERTEX_PROJECT_RE, Bool, Str, _blank_ok, _mcp_shape_problems, _rule, _to_int,
    _to_number, _to_str, _warn, check_abs_path, check_header_map, check_url, egress_entry_problem, field_kind, path_target_os, scalar_or,
    str_or)

if HAS_PYDANTIC:
    import annotated_types as at
    from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, ValidationError, WrapValidator, field_validator,
                          model_validator)
    from pydantic_core import InitErrorDetails, PydanticCustomError


def _field(description, *, area, since="base", secret=False, deprecated=None, default_doc=None, providers=None,
           app_behaviour=False, renamed_from=None, blank=None, schema=None, path=None, **kwargs):
    """A key of enterpriseConfig with its per-key properties (read by key_catalog, docs, masking, rules).

    providers: the inferenceProvider values that read the key (default: the provider of a
    ``provider_*`` area; none = every provider). app_behaviour: the key does not take ownership of the
    device (§1.6 rule 2). renamed_from: (old name, build of the rename or None). blank: what an empty
    value means where the spec gives blank a meaning. path: the value is a path on the host (PATH_MARK), checked
    absolute by the host's OS (issue 22).
    """
    extra = {"x-area": area, "x-since": since}
    if providers is None and area.startswith("provider_"):
        providers = (area[len("provider_"):],)
    if providers:
        extra["x-providers"] = list(providers)
    if secret:
        extra["x-secret"] = True
    if app_behaviour:  # spec §1.6 rule 2: a managed source setting only these keys does not own the device
        extra["x-app-behaviour"] = True
    if deprecated:
        extra["x-deprecated"] = deprecated
    if default_doc is not None:
        extra["x-app-default"] = default_doc
    if app_behaviour:
        extra["x-app-behaviour"] = True
    if renamed_from:
        extra["x-renamed-from"] = {"key": renamed_from[0], "in": renamed_from[1]}
    if blank:
        extra["x-blank"] = blank
    if path:
        extra["x-path"] = path
    if schema:
        extra.update(schema)  # what a field validator checks, said in the JSON Schema too (e.g. a pattern)
    return Field(default=None, description=description, json_schema_extra=extra, **kwargs)


if HAS_PYDANTIC:

    class _Strict(BaseModel):
        model_config = ConfigDict(extra="forbid", validate_default=False, use_enum_values=True)

        @field_validator("*")
        @classmethod
        def _path_marks(cls, v, info):
            """Every field marked ``x-path`` (path_fields()): an absolute path, by the host OS's rules when it is known."""
            mark = (cls.model_fields[info.field_name].json_schema_extra or {}).get("x-path")
            if not mark or not isinstance(v, str) or mark.get("entries") or (v == "" and mark.get("blank")):
                return v
            top = cls is EnterpriseConfig
            return check_abs_path(v, key=info.field_name, allow_home=mark.get("home", False), no_expansion=not mark.get("expansion", True),
                                  info=info if top else None, target_os=path_target_os(info, cls.model_fields[info.field_name] if top else None),
                                  names=mark["names"])

    # ------------------------------------------------------------------ nested objects
    class OidcConfig(_Strict):
        """OIDC client for gateway SSO, bootstrap sign-in, Vertex workforce and external IdP sign-in."""

        clientId: Str = Field(description="Public (PKCE) client ID. Required.")
        issuer: t.Optional[Str] = Field(None, description="Issuer base URL, without /.well-known/openid-configuration.")
        authorizationUrl: t.Optional[Str] = Field(None, description="Authorization endpoint (with tokenUrl, when there is no discovery).")
        tokenUrl: t.Optional[Str] = Field(None, description="Token endpoint (with authorizationUrl).")
        bearerTokenType: t.Optional[t.Literal["id_token", "access_token"]] = Field(
            None, description="Token sent to the gateway; access_token needs scopes."
        )
        scopes: t.Optional[Str] = Field(None, description="Space-separated scopes.")
        appendOfflineAccess: t.Optional[Bool] = Field(None, description="Append offline_access (default true).")
        omitOfflineAccess: t.Optional[Bool] = Field(
            None, description="Do not request offline_access (Vertex workforce).", json_schema_extra={"x-since": "1.17377.1"}
        )
        resource: t.Optional[Str] = Field(
            None, description="RFC 8707 audience (absolute https URL); leave unset for Entra.", json_schema_extra={"x-since": "1.30096.1"}
        )
        redirectPort: t.Optional[t.Annotated[int, at.Interval(ge=1024, le=65535), BeforeValidator(_to_int)]] = Field(
            None, description="Fixed loopback callback port (Okta)."
        )
        additionalRedirectReferrerHosts: t.Optional[Str] = Field(None, description="Space-separated extra referrer hosts.")

        @field_validator("issuer", "authorizationUrl", "tokenUrl", "resource")
        @classmethod
        def _https(cls, v, info):
            if v is None:
                return v
            check_url(v, key=info.field_name, loopback_http=False)
            if info.field_name == "issuer" and v.rstrip("/").endswith("/.well-known/openid-configuration"):
                raise _rule(
                    "is the metadata URI, not the issuer (discovery then fails with 'OIDC discovery failed (HTTP 404)')",
                    "remove /.well-known/openid-configuration",
                )
            return v

        @model_validator(mode="after")
        def _pairing(self):
            if self.issuer is None and not (self.authorizationUrl and self.tokenUrl):
                raise _rule("needs issuer, or authorizationUrl together with tokenUrl", "set issuer to your IdP's issuer URL")
            if self.bearerTokenType == "access_token" and not self.scopes:
                raise _rule("bearerTokenType access_token requires scopes", "set scopes to the API scope your gateway expects")
            return self

    class ModelEntry(_Strict):
        name: Str = Field(description="Exact model ID as the provider lists it. Required.", min_length=1)
        labelOverride: t.Optional[Str] = Field(None, description="Display name only.")
        supports1m: t.Optional[Bool] = Field(None, description="Adds a 1M-context picker entry (an assertion, not verified).")
        prefer1m: t.Optional[Bool] = Field(None, description="Start on the 1M variant; needs supports1m.", json_schema_extra={"x-since": "1.21459.0"})
        anthropicFamilyTier: t.Optional[Str] = Field(
            None, description="Family tier: sonnet, opus, haiku, fable or mythos (an unknown value is dropped, the entry kept)."
        )
        isFamilyDefault: t.Optional[Bool] = Field(None, description="Default model of its tier.")

        @field_validator("anthropicFamilyTier")
        @classmethod
        def _tier(cls, v, info):
            if v is not None and v not in FAMILY_TIERS:
                # "unknown value dropped, entry kept" (§3.4)
                _warn(info, "inferenceModels: anthropicFamilyTier %r is not one of %s; the app drops the value and keeps the entry (spec §3.4)"
                      % (v, ", ".join(FAMILY_TIERS)))
            return v

        @model_validator(mode="after")
        def _prefer(self):
            if self.prefer1m and not self.supports1m:
                raise _rule("prefer1m needs supports1m: true", "add supports1m: true to this entry or drop prefer1m")
            return self

    class PricingEntry(_Strict):
        name: Str = Field(min_length=1, description="Model ID.")
        inputPerMtok: t.Optional[t.Annotated[float, at.Interval(ge=0), BeforeValidator(_to_number)]] = None
        outputPerMtok: t.Optional[t.Annotated[float, at.Interval(ge=0), BeforeValidator(_to_number)]] = None
        cacheReadPerMtok: t.Optional[t.Annotated[float, at.Interval(ge=0), BeforeValidator(_to_number)]] = None
        cacheWritePerMtok: t.Optional[t.Annotated[float, at.Interval(ge=0), BeforeValidator(_to_number)]] = None

    class WorkspaceFolder(_Strict):
        path: Str = Field(description="Absolute path, leading ~, or one of the fixed %VAR% names.")
        isDefaultSelected: t.Optional[Bool] = None
        mode: t.Optional[t.Literal["rw", "ro"]] = Field(None, json_schema_extra={"x-since": "1.26832.0"})

    class Banner(_Strict):
        enabled: t.Optional[Bool] = None
        text: t.Optional[t.Annotated[str, StringConstraints(max_length=200), BeforeValidator(_to_str)]] = Field(
            None, description="Single line, at most 200 characters."
        )
        backgroundColor: t.Optional[t.Annotated[str, StringConstraints(pattern=_COLOR_RE.pattern), BeforeValidator(_to_str)]] = Field(
            None, description="#RRGGBB"
        )
        textColor: t.Optional[t.Annotated[str, StringConstraints(pattern=_COLOR_RE.pattern), BeforeValidator(_to_str)]] = Field(
            None, description="#RRGGBB"
        )
        linkUrl: t.Optional[Str] = Field(None, description="HTTPS link.")

        @field_validator("text")
        @classmethod
        def _one_line(cls, v):
            if v is not None and ("\n" in v or "\r" in v):
                raise _rule("must be a single line", "remove line breaks from the banner text")
            return v

        @field_validator("linkUrl")
        @classmethod
        def _link(cls, v, info):
            return v if v is None else check_url(v, key="banner.linkUrl", loopback_http=False)

        @model_validator(mode="after")
        def _text_when_enabled(self):
            if self.enabled and not self.text:
                raise _rule("text is required when enabled is true", "set banner.text (one line, at most 200 characters)")
            return self

    class McpOAuth(_Strict):
        clientId: t.Optional[Str] = None
        clientSecret: t.Optional[Str] = Field(None, json_schema_extra={"x-secret": True})
        clientSecretHelper: t.Optional[Str] = Field(None, json_schema_extra={"x-path": EXECUTABLE})
        authorizationServer: t.Optional[t.List[Str]] = Field(None, description="Issuer URLs; required with a client secret.")
        authorizationUrl: t.Optional[Str] = None
        tokenUrl: t.Optional[Str] = None
        tenantId: t.Optional[Str] = None
        scope: t.Optional[Str] = Field(None, description="One space-separated string.")
        appendOfflineAccess: t.Optional[Bool] = None
        callbackPort: t.Optional[t.Annotated[int, at.Interval(ge=1024, le=65535), BeforeValidator(_to_int)]] = None
        callbackHost: t.Optional[t.Literal["127.0.0.1", "localhost"]] = None
        additionalRedirectReferrerHosts: t.Optional[Str] = None
        authFlow: t.Optional[t.Literal["browser", "broker"]] = Field(None, json_schema_extra={"x-since": "1.25927.0"})
        mode: t.Optional[t.Literal["hosted"]] = Field(None, json_schema_extra={"x-since": "1.32885.1"})

        @model_validator(mode="before")
        @classmethod
        def _legacy(cls, data):
            if isinstance(data, dict) and "scopes" in data:
                raise _rule("oauth.scopes was removed after the 2026-10-07 cut-off", "use oauth.scope (one space-separated string)")
            return data

        @field_validator("authorizationUrl", "tokenUrl")
        @classmethod
        def _urls(cls, v, info):
            return v if v is None else check_url(v, key=info.field_name, loopback_http=False)

        @model_validator(mode="after")
        def _pairs(self):
            if (self.clientSecret or self.clientSecretHelper) and not self.authorizationServer:
                raise _rule("a client secret requires authorizationServer", "list the issuer URL(s) in authorizationServer")
            if self.tenantId and not self.scope:
                raise _rule("tenantId (Entra) requires scope", "set scope, e.g. api://<app-id>/.default")
            return self

    class McpServer(_Strict):
        name: Str = Field(min_length=1, description="Unique server name.")
        transport: t.Optional[t.Literal["http", "sse", "stdio"]] = None
        url: t.Optional[Str] = None
        headers: t.Optional[t.Dict[str, Str]] = Field(None, json_schema_extra={"x-secret": True})
        headersHelper: t.Optional[Str] = Field(None, json_schema_extra={"x-path": EXECUTABLE})
        headersHelperTtlSec: t.Optional[t.Annotated[int, at.Interval(ge=0), BeforeValidator(_to_int)]] = None
        headersHelperRefreshBufferSec: t.Optional[t.Annotated[int, at.Interval(ge=0), BeforeValidator(_to_int)]] = Field(
            None, json_schema_extra={"x-since": "1.21459.0"}
        )
        oauth: t.Optional[scalar_or(bool, bool, "bool", McpOAuth)] = None
        toolPolicy: t.Optional[t.Dict[str, t.Literal["allow", "ask", "blocked"]]] = None
        command: t.Optional[Str] = Field(None, json_schema_extra={"x-path": EXECUTABLE})
        args: t.Optional[t.List[Str]] = None
        env: t.Optional[t.Dict[str, Str]] = Field(None, json_schema_extra={"x-secret": True})
        envHelper: t.Optional[Str] = Field(None, json_schema_extra={"x-since": "1.21459.0", "x-path": EXECUTABLE})
        envHelperTtlSec: t.Optional[t.Annotated[int, at.Interval(ge=0), BeforeValidator(_to_int)]] = Field(
            None, json_schema_extra={"x-since": "1.21459.0"}
        )
        startupTimeoutSec: t.Optional[t.Annotated[int, at.Interval(ge=1), BeforeValidator(_to_int)]] = Field(
            None, json_schema_extra={"x-since": "1.19367.0"}
        )
        # §3.7 server: "microsoft365, websearch (1.15962.0; ...), github (1.25927.0; host, toolsets, readOnly)"
        server: t.Optional[t.Literal["microsoft365", "websearch", "github"]] = Field(
            None, json_schema_extra={"x-value-since": {"websearch": "1.15962.0", "github": "1.25927.0"}}
        )
        provider: t.Optional[t.Literal["brave", "tavily", "exa", "custom"]] = Field(None, json_schema_extra={"x-since": "1.15962.0"})
        customUrl: t.Optional[Str] = Field(None, json_schema_extra={"x-since": "1.15962.0"})
        host: t.Optional[Str] = Field(None, json_schema_extra={"x-since": "1.25927.0"})
        toolsets: t.Optional[t.List[Str]] = Field(None, json_schema_extra={"x-since": "1.25927.0"})
        readOnly: t.Optional[Bool] = Field(None, json_schema_extra={"x-since": "1.25927.0"})
        tenantId: t.Optional[Str] = None
        clientId: t.Optional[Str] = None
        azureCloud: t.Optional[t.Literal["global", "us-gov-high", "us-gov-dod"]] = None
        scope: t.Optional[Str] = None

        @model_validator(mode="wrap")
        @classmethod
        def _every_problem(cls, data, handler):
            """Report every problem of an entry at once (issue 15): field errors and shape errors together."""
            shape = list(_mcp_shape_problems(data)) if isinstance(data, dict) else []
            covered = set(field for field, _r, _f in shape if field)
            errors = []
            try:
                result = handler(data)
            except ValidationError as exc:
                result = None
                errors.extend(
                    InitErrorDetails(
                        type=PydanticCustomError(e["type"], e["msg"], e.get("ctx")) if e["type"] == "claude_desktop" else e["type"],
                        loc=e["loc"],
                        input=None,
                        **({"ctx": e["ctx"]} if e.get("ctx") and e["type"] != "claude_desktop" else {}),
                    )
                    for e in exc.errors(include_url=False)
                    if not (e["loc"] and e["loc"][0] in covered)
                )
            for field, rule, fix in shape:
                errors.append(InitErrorDetails(type=_rule(rule, fix), loc=(field,) if field else (), input=None))
            if errors:
                raise ValidationError.from_exception_data(cls.__name__, errors)
            return result

        @field_validator("url", "customUrl")
        @classmethod
        def _url(cls, v, info):
            return v if v is None else check_url(v, key=info.field_name, loopback_http=False)

        @field_validator("headers")
        @classmethod
        def _headers(cls, v):
            return v if v is None else check_header_map(v, key="headers")

    class ToolPermission(_Strict):
        toolName: Str
        permission: t.Literal["allow", "ask", "blocked"]

    class PluginServerSettings(_Strict):
        serverName: Str
        tools: t.List[ToolPermission] = Field(default_factory=list)

    class PluginMarketplace(_Strict):
        source: t.Literal["github", "git", "url"] = Field(json_schema_extra={"x-value-since": {"url": "1.32352.0"}})
        repo: t.Optional[Str] = None
        ref: t.Optional[Str] = None
        path: t.Optional[Str] = None
        expectedName: t.Optional[Str] = None
        installationPreference: t.Optional[t.Literal["available", "auto_install", "required"]] = None
        credentialKind: t.Optional[t.Literal["anonymous", "userGit", "credentialHelper", "inferenceCredential"]] = None
        credentialHelper: t.Optional[Str] = None
        url: t.Optional[Str] = None
        manifestSha256: t.Optional[t.Annotated[Str, Field(pattern=r"^[0-9a-fA-F]{64}$")]] = None

        @model_validator(mode="after")
        def _shape(self):
            if self.source in ("github", "git") and not self.repo:
                raise _rule("source %s requires repo" % self.source, "set repo (owner/name or a git URL)")
            if self.source == "url":
                if not self.url:
                    raise _rule("source url requires url", "set url to the marketplace's https:// address")
                check_url(self.url, key="url", loopback_http=False)
                if self.installationPreference in ("auto_install", "required") and not self.manifestSha256:
                    raise _rule("url sources with auto_install/required need manifestSha256", "add the manifest's SHA-256")
            elif self.credentialKind == "inferenceCredential":
                raise _rule("credentialKind inferenceCredential is valid for url sources only", "use anonymous, userGit or credentialHelper")
            if self.credentialKind == "credentialHelper" and not self.credentialHelper:
                raise _rule("credentialKind credentialHelper requires credentialHelper", "set credentialHelper to an absolute path")
            return self

    class ClaudeAiImport(_Strict):
        enabled: t.Optional[Bool] = None
        exportEnabled: t.Optional[Bool] = None
        bannerBehavior: t.Optional[t.Literal["off", "detect", "show"]] = None
        automatic3pImport: t.Optional[Bool] = None
        url: t.Optional[Str] = None
        oauthIssuer: t.Optional[Str] = None
        oauthClientId: t.Optional[Str] = None

    # ------------------------------------------------------------------ the configuration
    class EnterpriseConfig(_Strict):
        """Claude Desktop third-party-inference managed configuration (``enterpriseConfig``)."""

        model_config = ConfigDict(extra="forbid", title="Claude Desktop enterpriseConfig (third-party inference)")

        @model_validator(mode="before")
        @classmethod
        def _json_strings(cls, data):
            """A list/object key written as one JSON string, as plist/registry carry it (§2.1) and Linux accepts (§1.4)."""
            if not isinstance(data, dict):
                return data
            out = dict(data)
            for key, value in data.items():
                if isinstance(value, str) and value.strip()[:1] in ("[", "{") and key in cls.model_fields \
                        and field_kind(cls.model_fields[key].annotation) == "json":
                    try:
                        out[key] = json.loads(value)
                    except ValueError:
                        pass  # the type check reports it
            return out

        # connection / activation
        inferenceProvider: t.Optional[t.Literal["gateway", "anthropic", "bedrock", "mantle", "vertex", "foundry"]] = _field(
            "Inference provider; activates third-party mode when its credentials are present.", area="connection"
        )
        inferenceCredentialKind: t.Optional[t.Literal["static", "helper-script", "interactive", "vendor-profile", "workforce", "external-idp"]] = (
            _field("Which credential source to use (no fallback when set).", area="connection", since="1.8555.0")
        )
        inferenceCustomHeaders: t.Optional[t.Dict[str, Str]] = _field(
            "Routing/tenant headers on every inference and discovery request (JSON object).", area="connection", since="1.8089.0", secret=True,
            renamed_from=("inferenceGatewayHeaders", "1.8089.0")
        )
        inferenceSessionLifetimeSec: t.Optional[t.Annotated[int, at.Interval(ge=1), BeforeValidator(_to_int)]] = _field(
            "Caps sign-in validity (seconds).", area="connection", since="1.14271.0"
        )
        inferenceStreamIdleTimeoutSec: t.Optional[t.Annotated[int, at.Interval(ge=1), BeforeValidator(_to_int)]] = _field(
            "Stream idle timeout (seconds).", area="connection", since="1.44121.1"
        )
        userContentRendererUrl: t.Optional[Str] = _field("HTTPS origin of the artifact/file-preview iframe.", area="connection", since="1.24012.0")

        # credential helper
        inferenceCredentialHelper: t.Optional[Str] = _field(
            "Absolute path of an executable printing the credential.", area="credential_helper", path=EXECUTABLE
        )
        inferenceCredentialHelperTtlSec: t.Optional[t.Annotated[int, at.Interval(ge=0), BeforeValidator(_to_int)]] = _field(
            "Cache lifetime of the helper output.", area="credential_helper", default_doc=3600
        )
        inferenceCredentialHelperTimeoutSec: t.Optional[t.Annotated[int, at.Interval(ge=1, le=600), BeforeValidator(_to_int)]] = _field(
            "Helper timeout (1-600 s).", area="credential_helper", since="1.8089.0", default_doc=60
        )
        inferenceCredentialHelperSilentRefreshEnabled: t.Optional[Bool] = _field(
            "Re-run the helper silently mid-session.", area="credential_helper", since="1.10628.0", default_doc=True
        )

        # anthropic
        inferenceAnthropicApiKey: t.Optional[t.Annotated[str, StringConstraints(min_length=1), BeforeValidator(_to_str)]] = _field(
            "Anthropic API key (sk-ant-...).", area="provider_anthropic", since="1.8089.0", secret=True
        )

        # bedrock / mantle
        inferenceBedrockRegion: t.Optional[Str] = _field(
            "AWS region of the runtime endpoint.", area="provider_bedrock", providers=("bedrock", "mantle"), schema={"pattern": _AWS_REGION_RE.pattern}
        )
        inferenceBedrockBaseUrl: t.Optional[Str] = _field(
            "VPC endpoint or proxy (Mantle: full SDK base URL incl. /anthropic).", area="provider_bedrock", providers=("bedrock", "mantle")
        )
        inferenceBedrockServiceTier: t.Optional[t.Literal["flex", "priority"]] = _field(
            "Bedrock service tier; unset = on-demand.", area="provider_bedrock", since="1.5186.0"
        )
        inferenceBedrockBearerToken: t.Optional[t.Annotated[str, StringConstraints(min_length=1), BeforeValidator(_to_str)]] = _field(
            "Static Bedrock API key.", area="provider_bedrock", secret=True, providers=("bedrock", "mantle")
        )
        inferenceBedrockSsoStartUrl: t.Optional[Str] = _field(
            "IAM Identity Center start URL (with the other three SSO keys).", area="provider_bedrock", since="1.6259.0"
        )
        inferenceBedrockSsoRegion: t.Optional[Str] = _field(
            "Identity Center home region.", area="provider_bedrock", since="1.6259.0", schema={"pattern": _AWS_REGION_RE.pattern}
        )
        inferenceBedrockSsoAccountId: t.Optional[t.Annotated[str, StringConstraints(pattern=r"^\d{12}$"), BeforeValidator(_to_str)]] = _field(
            "12-digit AWS account ID.", area="provider_bedrock", since="1.6259.0"
        )
        inferenceBedrockSsoRoleName: t.Optional[t.Annotated[str, StringConstraints(min_length=1), BeforeValidator(_to_str)]] = _field(
            "Permission set granting bedrock:InvokeModel*.", area="provider_bedrock", since="1.6259.0"
        )
        inferenceBedrockProfile: t.Optional[t.Annotated[str, StringConstraints(min_length=1), BeforeValidator(_to_str)]] = _field(
            "Named AWS profile.", area="provider_bedrock"
        )
        inferenceBedrockAwsDir: t.Optional[Str] = _field("Folder with AWS config/credentials.", area="provider_bedrock", path=HOME_FOLDER)
        inferenceBedrockAwsCliPath: t.Optional[Str] = _field(
            "Absolute path to the aws CLI.", area="provider_bedrock", since="1.13576.0", path=EXECUTABLE
        )

        # vertex
        inferenceVertexProjectId: t.Optional[t.Annotated[str, StringConstraints(pattern=_VERTEX_PROJECT_RE.pattern), BeforeValidator(_to_str)]] = (
            _field("GCP project ID.", area="provider_vertex")
        )
        inferenceVertexRegion: t.Optional[t.Annotated[Str, Field(pattern=r"^[a-z0-9-]+$")]] = _field(
            "Vertex region (e.g. us-east5, global, eu, us).", area="provider_vertex"
        )
        inferenceVertexCredentialsFile: t.Optional[Str] = _field(
            "Absolute path to a service-account / ADC JSON (no ~ or env vars).", area="provider_vertex",
            blank="Application Default Credentials", path=LITERAL_FILE
        )
        inferenceVertexBaseUrl: t.Optional[Str] = _field("Private Service Connect endpoint (https).", area="provider_vertex")
        inferenceVertexOAuthClientId: t.Optional[Str] = _field("Desktop OAuth client enabling Sign in with Google.", area="provider_vertex")
        inferenceVertexOAuthClientSecret: t.Optional[Str] = _field("Secret paired with the OAuth client.", area="provider_vertex", secret=True)
        inferenceVertexOAuthScopes: t.Optional[Str] = _field("Space-separated OAuth scopes.", area="provider_vertex")
        inferenceVertexOAuthLoginHint: t.Optional[Str] = _field(
            "Pre-fills the account chooser; {username} expands.", area="provider_vertex", since="1.12603.0"
        )
        inferenceVertexWorkforceAudience: t.Optional[Str] = _field("Workforce pool provider audience.", area="provider_vertex", since="1.10628.0")
        inferenceVertexWorkforceUserProject: t.Optional[
            t.Annotated[str, StringConstraints(pattern=_VERTEX_PROJECT_RE.pattern), BeforeValidator(_to_str)]
        ] = _field("STS billing/quota project.", area="provider_vertex", since="1.10628.0")
        inferenceVertexWorkforceOidc: t.Optional[OidcConfig] = _field(
            "OIDC client of the workforce identity provider.", area="provider_vertex", since="1.10628.0"
        )
        inferenceVertexWorkforceAuthFlow: t.Optional[t.Literal["browser", "broker"]] = _field(
            "Workforce sign-in flow.", area="provider_vertex", since="1.25927.0"
        )

        # foundry
        inferenceFoundryResource: t.Optional[t.Annotated[Str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$")]] = _field(
            "Foundry resource name (not a URL).", area="provider_foundry"
        )
        inferenceFoundryApiKey: t.Optional[t.Annotated[str, StringConstraints(min_length=1), BeforeValidator(_to_str)]] = _field(
            "Static Foundry key.", area="provider_foundry", secret=True
        )
        inferenceFoundryTenantId: t.Optional[Str] = _field("Entra tenant ID.", area="provider_foundry", since="1.9255.0")
        inferenceFoundryClientId: t.Optional[t.Annotated[str, StringConstraints(pattern=_UUID_RE.pattern), BeforeValidator(_to_str)]] = _field(
            "Entra application (client) ID.", area="provider_foundry", since="1.9255.0"
        )
        inferenceFoundryAuthFlow: t.Optional[t.Literal["device-code", "browser", "broker"]] = _field(
            "Entra sign-in flow.", area="provider_foundry", since="1.19367.0"
        )

        # gateway
        inferenceGatewayBaseUrl: t.Optional[Str] = _field(
            "Gateway root URL (https; no /v1, no trailing slash, no user:pass@).", area="provider_gateway"
        )
        inferenceGatewayApiKey: t.Optional[t.Annotated[str, StringConstraints(min_length=1), BeforeValidator(_to_str)]] = _field(
            "Gateway API key; never empty (use a placeholder such as 'none').", area="provider_gateway", secret=True
        )
        inferenceGatewayAuthScheme: t.Optional[t.Literal["bearer", "x-api-key"]] = _field(
            "Wire format: bearer (default) or x-api-key.", area="provider_gateway", default_doc="bearer"
        )
        inferenceGatewayOidc: t.Optional[OidcConfig] = _field("OIDC client for gateway SSO.", area="provider_gateway", since="1.6889.0")
        inferenceGatewayOidcAuthFlow: t.Optional[t.Literal["browser", "broker"]] = _field(
            "Gateway SSO sign-in flow.", area="provider_gateway", since="1.25927.0"
        )
        inferenceIdpOidc: t.Optional[OidcConfig] = _field(
            "OIDC client for inferenceCredentialKind external-idp.", area="provider_gateway", since="2.7032.0", providers=("gateway", "bedrock")
        )
        inferenceIdpAuthFlow: t.Optional[t.Literal["browser", "broker"]] = _field(
            "external-idp sign-in flow.", area="provider_gateway", since="2.7032.0", providers=("gateway", "bedrock")
        )

        # models
        inferenceModels: t.Optional[t.List[str_or(ModelEntry)]] = _field("Models offered; the first entry is the default.", area="models")
        modelDiscoveryEnabled: t.Optional[Bool] = _field("Query GET /v1/models (unset = automatic).", area="models", since="1.8089.0")
        modelPrefer1mContext: t.Optional[Bool] = _field("Start the picker on the 1M variant.", area="models", since="1.28929.0")
        inferenceModelPricingEnabled: t.Optional[Bool] = _field("Show estimated cost.", area="models", since="1.37937.0")
        inferenceModelPricingMultiplier: t.Optional[t.Annotated[float, at.Interval(gt=0), BeforeValidator(_to_number)]] = _field(
            "Cost multiplier.", area="models", since="1.37937.0"
        )
        inferenceModelPricing: t.Optional[t.List[PricingEntry]] = _field("Per-model prices per million tokens.", area="models", since="1.37937.0")

        # workspace, sandbox, egress
        disableDeploymentModeChooser: t.Optional[Bool] = _field("Hide 'Sign in to Anthropic'.", area="workspace", since="1.3834.0", default_doc=False)
        disableDeepLinkRegistration: t.Optional[Bool] = _field(
            "Do not register the claude:// handler.", area="workspace", since="1.6889.0", default_doc=False
        )
        coworkTabEnabled: t.Optional[Bool] = _field("Cowork tab.", area="workspace", since="1.9659.0", default_doc=True)
        isClaudeCodeForDesktopEnabled: t.Optional[Bool] = _field("Code tab.", area="workspace", default_doc=True)
        chatTabEnabled: t.Optional[Bool] = _field("Chat tab (opt-in).", area="workspace", since="1.13576.0", default_doc=False)
        chatAdvancedFileAnalysisEnabled: t.Optional[Bool] = _field("Local sandbox for attached files.", area="workspace", since="1.14271.0")
        chatCodeExecutionEnabled: t.Optional[Bool] = _field("Code execution in Chat.", area="workspace")
        betaFeaturesEnabled: t.Optional[Bool] = _field(
            "Beta features.", area="workspace", since="1.14271.0", deprecated="deprecated in 1.14271.0; drop it"
        )
        disabledBuiltinTools: t.Optional[t.List[t.Literal[BUILTIN_TOOLS]]] = _field("Built-in tools to disable.", area="workspace")
        builtinToolPolicy: t.Optional[t.Dict[str, t.Literal["allow", "ask"]]] = _field(
            "Tool name (or scoped rule) to allow/ask.", area="workspace", since="1.8089.0"
        )
        autoModeEnabled: t.Optional[Bool] = _field("Offer Auto mode.", area="workspace", since="1.10628.0", default_doc=False)
        toolSearchEnabled: t.Optional[Bool] = _field(
            "On-demand MCP tool schemas (experimental beta headers).", area="workspace", since="1.21459.0", default_doc=False
        )
        disableBundledSkills: t.Optional[Bool] = _field("Disable bundled skills.", area="workspace", since="1.15962.0")
        skillCreationEnabled: t.Optional[Bool] = _field("User skill creation/upload.", area="workspace", since="1.25927.0", default_doc=True)
        allowedWorkspaceFolders: t.Optional[t.List[str_or(WorkspaceFolder)]] = _field(
            "Folders users may open (unset = unrestricted, [] = none).", area="workspace", path=FOLDER_ENTRIES
        )
        coworkEgressAllowedHosts: t.Optional[t.List[Str]] = _field("Hosts the sandbox may reach: '*', host, '*.domain'.", area="workspace")
        requireCoworkFullVmSandbox: t.Optional[Bool] = _field("Full VM sandbox.", area="workspace", deprecated="deprecated; drop it")
        skipWebFetchPreflight: t.Optional[Bool] = _field("Skip the WebFetch domain check.", area="workspace", since="1.37937.0")
        organizationInstructions: t.Optional[
            t.Annotated[str, StringConstraints(min_length=1, max_length=3000, strip_whitespace=True), BeforeValidator(_to_str)]
        ] = _field(
            "Organisation instructions (1-3000 characters).", area="workspace", since="1.37937.0"
        )
        blockReadsOutsideWorkingDirectories: t.Optional[Bool] = _field(
            "Block reads outside working directories.", area="workspace", since="1.46388.1"
        )
        disableBypassPermissionsMode: t.Optional[Bool] = _field("Disable bypass-permissions mode.", area="workspace", since="1.46388.1")
        egressProxyUrl: t.Optional[Str] = _field("HTTP(S) proxy for app and agent traffic.", area="workspace", since="1.44121.1", app_behaviour=True)
        egressProxyPacUrl: t.Optional[Str] = _field("PAC URL; wins over egressProxyUrl.", area="workspace", since="1.44121.1", app_behaviour=True)

        # connectors, MCP, extensions, plugins
        managedMcpServers: t.Optional[t.List[McpServer]] = _field("Organisation MCP servers.", area="mcp")
        isLocalDevMcpEnabled: t.Optional[Bool] = _field("Users may add local stdio MCP servers.", area="mcp", default_doc=True)
        mcpPersistentAlwaysAllowEnabled: t.Optional[Bool] = _field(
            "Offer persistent 'Always allow'.", area="mcp", since="1.24012.9", default_doc=True
        )
        mcpToolTimeoutSec: t.Optional[t.Annotated[int, at.Interval(ge=1), BeforeValidator(_to_int)]] = _field(
            "MCP tool call timeout.", area="mcp", since="1.37937.0"
        )
        isDesktopExtensionEnabled: t.Optional[Bool] = _field(
            "Allow .dxt/.mcpb installs (default false from 1.19367.0).", area="mcp", renamed_from=("isDxtEnabled", None)
        )
        isDesktopExtensionSignatureRequired: t.Optional[Bool] = _field(
            "Reject unsigned extensions.", area="mcp", default_doc=False, renamed_from=("isDxtSignatureRequired", None)
        )
        microsoftAuthBroker: t.Optional[t.Literal["auto", "disabled"]] = _field(
            "Microsoft 365 connector sign-in broker.", area="mcp", since="1.19367.0", default_doc="auto"
        )
        orgPluginSettings: t.Optional[t.List[PluginServerSettings]] = _field(
            "Plugin MCP tool permissions (array form).", area="mcp", since="1.15200.0"
        )
        allowedPluginMarketplaces: t.Optional[t.List[PluginMarketplace]] = _field("Plugin marketplaces.", area="mcp", since="1.17377.1")
        userPluginMarketplacesEnabled: t.Optional[Bool] = _field("Users may add marketplaces.", area="mcp", since="1.37937.0", default_doc=True)
        userPluginUploadsEnabled: t.Optional[Bool] = _field("Users may upload plugins.", area="mcp", since="1.37937.0", default_doc=True)
        organizationPluginsUrl: t.Optional[Str] = _field(
            "Organisation plugins URL.", area="mcp", since="1.10628.0", deprecated="deprecated in 1.25927.0; use allowedPluginMarketplaces"
        )
        claudeAiImport: t.Optional[ClaudeAiImport] = _field("claude.ai import options.", area="mcp", since="1.25927.0")

        # telemetry, updates, lifecycle
        deploymentOrganizationUuid: t.Optional[t.Annotated[str, StringConstraints(pattern=_UUID_RE.pattern), BeforeValidator(_to_str)]] = _field(
            "A UUID you generate; never change it after rollout.", area="telemetry"
        )
        disableEssentialTelemetry: t.Optional[Bool] = _field("Disable crash/performance telemetry.", area="telemetry", default_doc=False)
        disableNonessentialTelemetry: t.Optional[Bool] = _field("Disable product analytics.", area="telemetry", default_doc=False)
        disableNonessentialServices: t.Optional[Bool] = _field(
            "Disable favicons, artifact previews, MCP Apps widgets.", area="telemetry", default_doc=False
        )
        disableAutoUpdates: t.Optional[Bool] = _field("No update checks/downloads.", area="telemetry", default_doc=False, app_behaviour=True)
        autoUpdaterEnforcementHours: t.Optional[
            t.Annotated[
                int,
                at.Interval(ge=1, le=72),
                BeforeValidator(_to_int),
                WrapValidator(_blank_ok),
            ]
        ] = _field(
            "Hours before a pending update is forced (1-72).", area="telemetry", default_doc=72, app_behaviour=True,
            blank="72, and the restart waits for 10 minutes of idle time (an explicit value restarts when elapsed)"
        )
        updateViaUpdatesHost: t.Optional[Bool] = _field(
            "Read updates from releases.claude.com.", area="telemetry", since="1.26832.0", default_doc=False, app_behaviour=True
        )
        relaunchEnforcementHours: t.Optional[t.Annotated[int, at.Interval(ge=0, le=336), BeforeValidator(_to_int)]] = _field(
            "Hours a user may keep the old configuration (0-336).", area="telemetry", since="1.46388.1", default_doc=24, app_behaviour=True
        )
        configRecheckIntervalMinutes: t.Optional[t.Annotated[int, at.Interval(ge=2, le=30), BeforeValidator(_to_int)]] = _field(
            "Managed configuration re-check interval (2-30 min).", area="telemetry", since="1.46388.1", default_doc=10, app_behaviour=True
        )
        otlpEndpoint: t.Optional[Str] = _field("OpenTelemetry collector base URL.", area="telemetry", blank="telemetry export disabled")
        otlpProtocol: t.Optional[t.Literal["http/protobuf", "http/json", "grpc"]] = _field(
            "OTLP protocol.", area="telemetry", default_doc="http/protobuf"
        )
        otlpHeaders: t.Optional[t.Dict[str, Str]] = _field("OTLP routing headers (JSON object).", area="telemetry", secret=True)
        otlpResourceAttributes: t.Optional[t.Dict[str, Str]] = _field("Extra OTLP resource attributes.", area="telemetry", since="1.5354.0")
        otlpDesktopLogLevel: t.Optional[t.Literal["off", "error", "warn", "info", "debug"]] = _field(
            "Desktop log export level.", area="telemetry", since="1.9255.0", default_doc="error"
        )
        otlpContentCapture: t.Optional[t.List[t.Literal["userPrompts", "assistantResponses", "toolDetails", "toolContent", "rawApiBodies"]]] = _field(
            "Content captured in telemetry (empty = redact all).", area="telemetry", since="1.15962.0"
        )
        otlpTracesEnabled: t.Optional[Bool] = _field("Export traces (beta).", area="telemetry", since="1.22209.0")
        otlpAuthMode: t.Optional[t.Literal["none", "inference-credential"]] = _field("OTLP authentication.", area="telemetry", since="1.30096.1")
        otlpHeadersHelper: t.Optional[Str] = _field(
            "Absolute path printing OTLP headers as JSON.", area="telemetry", since="1.30096.1", path=EXECUTABLE
        )
        endUserAttribution: t.Optional[Bool] = _field(
            "Show IdP identity and emit enduser.id.", area="telemetry", since="1.24012.0", renamed_from=("enduserAttribution", "1.25927.0")
        )
        disableFeatureDiscovery: t.Optional[Bool] = _field("Hide What's new and tips.", area="telemetry", since="1.21459.0", default_doc=False)
        disableConfigDeprecationWarnings: t.Optional[Bool] = _field("Hide configuration deprecation warnings.", area="telemetry", since="1.40609.0")

        # limits and appearance
        inferenceMaxTokensPerWindow: t.Optional[t.Annotated[int, at.Interval(ge=1), BeforeValidator(_to_int)]] = _field(
            "Per-device token cap; needs inferenceTokenWindowHours.", area="limits"
        )
        inferenceTokenWindowHours: t.Optional[t.Annotated[int, at.Interval(ge=1, le=720), BeforeValidator(_to_int)]] = _field(
            "Tumbling token window (1-720 h).", area="limits"
        )
        banner: t.Optional[Banner] = _field("Banner across the app window.", area="limits", since="1.7196.0")
        deploymentDisplayName: t.Optional[t.Annotated[str, StringConstraints(min_length=1, max_length=60), BeforeValidator(_to_str)]] = _field(
            "Deployment name shown in the app (at most 60).", area="limits", since="1.24012.0"
        )
        deploymentDisplaySubtitle: t.Optional[t.Annotated[str, StringConstraints(min_length=1, max_length=60), BeforeValidator(_to_str)]] = _field(
            "Subtitle (at most 60); needs the display name.", area="limits", since="1.24012.0"
        )

        # bootstrap
        bootstrapUrl: t.Optional[Str] = _field("HTTPS endpoint returning a per-user overlay.", area="bootstrap", since="1.10628.0")
        bootstrapEnabled: t.Optional[Bool] = _field("Fetch the bootstrap URL.", area="bootstrap", since="1.10628.0", default_doc=True)
        bootstrapOidc: t.Optional[OidcConfig] = _field("OIDC client for the bootstrap fetch.", area="bootstrap", since="1.10628.0")
        bootstrapHeaders: t.Optional[t.Dict[str, Str]] = _field(
            "Static headers on the bootstrap fetch.", area="bootstrap", since="1.32885.1", secret=True
        )
        bootstrapHeadersHelper: t.Optional[Str] = _field(
            "Absolute path printing bootstrap headers as JSON.", area="bootstrap", since="1.32885.1", path=EXECUTABLE
        )
        trustBootstrapDelivery: t.Optional[Bool] = _field(
            "Skip per-user consent for bootstrap-delivered values.", area="bootstrap", since="1.25927.0", default_doc=False,
            renamed_from=("trustBootstrapLocalExec", "1.26832.0"),
        )

        # code surface
        sshHostAllowlist: t.Optional[t.List[t.Annotated[str, StringConstraints(min_length=1), BeforeValidator(_to_str)]]] = _field(
            "SSH hosts the Code surface may reach.", area="code", since="1.40609.0"
        )
        sshClientPath: t.Optional[Str] = _field("Absolute path of the ssh client.", area="code", since="1.46388.1", path=EXECUTABLE)

        # ------------------------------------------------------------ field rules
        @field_validator("inferenceGatewayBaseUrl")
        @classmethod
        def _gateway_url(cls, v, info):
            return v if v is None else check_url(v, key="inferenceGatewayBaseUrl", loopback_http=True, root_only=True, info=info)

        @field_validator(
            "userContentRendererUrl",
            "inferenceBedrockBaseUrl",
            "inferenceBedrockSsoStartUrl",
            "inferenceVertexBaseUrl",
            "bootstrapUrl",
            "organizationPluginsUrl",
        )
        @classmethod
        def _https_urls(cls, v, info):
            return v if v is None else check_url(v, key=info.field_name, info=info)

        @field_validator("otlpEndpoint", "egressProxyUrl", "egressProxyPacUrl")
        @classmethod
        def _any_http_urls(cls, v, info):
            if v is None or (v == "" and info.field_name == "otlpEndpoint"):
                return v  # otlpEndpoint: "blank disables" (§3.8)
            return v if v is None else check_url(v, key=info.field_name, https_only=False, info=info)

        @field_validator("inferenceBedrockRegion", "inferenceBedrockSsoRegion")
        @classmethod
        def _region(cls, v):
            if v is not None and not _AWS_REGION_RE.match(v):
                raise _rule("is not an AWS region name", "write a region such as us-east-1 or eu-west-3")
            return v

        @field_validator("inferenceGatewayAuthScheme", mode="before")
        @classmethod
        def _scheme(cls, v):
            if v is None or v in ("bearer", "x-api-key"):
                return v
            if v == "sso":
                raise _rule(
                    "value 'sso' was removed after the 2026-10-07 cut-off",
                    "set inferenceCredentialKind: interactive (with inferenceGatewayOidc) and drop the scheme",
                )
            if v == "auto":
                raise _rule("value 'auto' was removed after the 2026-10-07 cut-off", "use bearer (or omit the key; bearer is the default)")
            raise _rule("must be bearer or x-api-key", "use bearer (Authorization: Bearer <key>) or x-api-key")

        @field_validator("inferenceCredentialKind", mode="before")
        @classmethod
        def _kind(cls, v):
            if v == "oauth":
                raise _rule("value 'oauth' was removed after the 2026-10-07 cut-off", "use interactive")
            return v

        @field_validator("inferenceCustomHeaders", "otlpHeaders", "otlpResourceAttributes", "bootstrapHeaders", mode="before")
        @classmethod
        def _header_maps(cls, v, info):
            return v if v is None else check_header_map(v, key=info.field_name)

        @field_validator("coworkEgressAllowedHosts")
        @classmethod
        def _egress(cls, v, info):
            if v is None:
                return v
            for entry in v:
                if not entry:
                    raise _rule("entries must be non-empty strings", "write host names such as api.github.com or *.example.com")
                why = egress_entry_problem(entry)
                if why:
                    _warn(info, "coworkEgressAllowedHosts: entry %r %s; the app drops it (spec §3.6: invalid entries dropped individually)" % (entry, why))
                elif ":" in entry:
                    _warn(
                        info,
                        "coworkEgressAllowedHosts: entry %r has a port; old builds reject the whole list when an entry has a port "
                        "(spec §3.6), deploy it only once the whole fleet supports it" % entry,
                    )
            if "*" in v and len(v) > 1:
                _warn(info, "coworkEgressAllowedHosts: '*' disables filtering; the other entries have no effect")
            if len(set(h.lower() for h in v)) != len(v):
                _warn(info, "coworkEgressAllowedHosts: duplicate entries")
            return v

        @field_validator("inferenceModels")
        @classmethod
        def _models(cls, v, info):
            if v is None:
                return v
            if not v:
                _warn(info, "inferenceModels: an empty list offers no model; omit the key to use discovery, or list the model IDs")
                return v
            names = [m if isinstance(m, str) else m.name for m in v]
            for name in names:
                if name != name.strip() or any(c.isspace() for c in name):
                    raise _rule("model %r contains whitespace" % name, "use the exact model ID from GET /v1/models")
            dup = sorted(set(n for n in names if names.count(n) > 1))
            if dup:
                raise _rule("duplicate models: %s" % ", ".join(dup), "list each model once")
            return v

        @field_validator("builtinToolPolicy", mode="before")
        @classmethod
        def _tool_policy(cls, v, info):
            if not isinstance(v, dict):
                return v
            for tool, policy in v.items():
                if policy == "blocked":
                    raise _rule("%s: 'blocked' is not accepted here" % tool, "add the tool to disabledBuiltinTools instead")
                if policy == "ask-session":
                    raise _rule("%s: 'ask-session' was removed after the 2026-10-07 cut-off" % tool, "use 'ask'")
                m = re.fullmatch(r"([A-Za-z]+)(\((.+)\))?", str(tool))
                if not m or m.group(1) not in BUILTIN_TOOLS:
                    _warn(info, "builtinToolPolicy: %r is not a built-in tool or a Tool(pattern) rule; the app drops it with a "
                                "config error (spec §3.6: unusable keys dropped)" % (tool,))
                elif m.group(2) and m.group(1) in ("WebSearch", "WebFetch"):
                    # "WebSearch/WebFetch bare only; unusable keys dropped with a config error" (§3.6)
                    raise _rule("%s accepts no argument-scoped rules (the app drops %r with a config error)" % (m.group(1), tool),
                                "use the bare tool name %s" % m.group(1))
            return v

        @field_validator("allowedWorkspaceFolders")
        @classmethod
        def _folders(cls, v, info):
            for entry in v or ():
                path = entry if isinstance(entry, str) else entry.path
                unsupported = [var for var in re.findall(r"%[A-Za-z_][A-Za-z0-9_]*%", path) if var not in WORKSPACE_VARS]
                if unsupported:
                    _warn(info, "allowedWorkspaceFolders: %r uses %s, which is not in the fixed set (%s); the app ignores this entry "
                                "(spec §3.6)" % (path, ", ".join(unsupported), ", ".join(WORKSPACE_VARS)))
                    continue
                if path.startswith("\\\\"):
                    raise _rule("%r is a raw UNC path, which is not supported" % path, "map the share to a drive letter")
                if path.startswith(WORKSPACE_VARS):
                    continue  # a leading %VAR% resolves to an absolute folder
                try:
                    check_abs_path(re.sub(r"%[A-Za-z_][A-Za-z0-9_]*%", "x", path), key="allowedWorkspaceFolders", allow_home=True,
                                   target_os=path_target_os(info, cls.model_fields["allowedWorkspaceFolders"]), names="folders")
                except PydanticCustomError as exc:  # name the entry: a list may mix forms
                    raise _rule("entry %r %s" % (path, exc.context["rule"]), exc.context["fix"])
            return v

        @field_validator("managedMcpServers")
        @classmethod
        def _unique_servers(cls, v):
            names = [s.name for s in v or ()]
            dup = sorted(set(n for n in names if names.count(n) > 1))
            if dup:
                raise _rule("duplicate server names: %s" % ", ".join(dup), "give every server a unique name")
            return v

        @field_validator("orgPluginSettings", mode="before")
        @classmethod
        def _plugin_settings(cls, v):
            if isinstance(v, dict):
                raise _rule(
                    "the record form was removed after the 2026-10-07 cut-off (all plugin MCP tools are then blocked)",
                    "use the array form: [{serverName: ..., tools: [{toolName: ..., permission: allow|ask|blocked}]}]",
                )
            return v

        @field_validator("deploymentOrganizationUuid")
        @classmethod
        def _org_uuid(cls, v, info):
            if v is not None and v.lower() == PLACEHOLDER_ORG_UUID:
                _warn(info, "deploymentOrganizationUuid: is the shared placeholder; generate your own UUID before rollout and never change it")
            return v
