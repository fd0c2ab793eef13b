# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The enterpriseConfig model: the single source of truth for every key.

PRIVATE, controller-only. Field names are the app's key names. Each field carries its area,
the first release that honours it (``x-since``), whether it holds a secret (``x-secret``)
and deprecation notes in ``json_schema_extra``; the JSON Schema, the key reference in docs/,
the masking rules and the per-format encodings are all derived from these fields.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import traceback
import typing as t
from urllib.parse import urlsplit

PYDANTIC_IMPORT_ERROR = None
try:
    import annotated_types as at
    from pydantic import BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, StringConstraints, Tag, field_validator, model_validator
    from pydantic_core import PydanticCustomError
except ImportError:  # pragma: no cover - exercised by ansible-test's import sanity test
    PYDANTIC_IMPORT_ERROR = traceback.format_exc()
    HAS_PYDANTIC = False
else:
    HAS_PYDANTIC = True

PLACEHOLDER_ORG_UUID = "00000000-0000-4000-8000-000000000001"

# Keys the app no longer honours (past the 2026-10-07 12:00 PT cut-off, or removed), with the
# key that replaces them. Not model fields: setting one is an error naming the replacement.
REMOVED_KEYS = {
    "inferenceGatewayHeaders": ("inferenceCustomHeaders", "renamed; the alias stopped working after 2026-10-07"),
    "isDxtEnabled": ("isDesktopExtensionEnabled", "renamed; the alias stopped working after 2026-10-07"),
    "isDxtSignatureRequired": ("isDesktopExtensionSignatureRequired", "renamed; the alias stopped working after 2026-10-07"),
    "trustBootstrapLocalExec": ("trustBootstrapDelivery", "renamed in 1.26832.0; the alias stopped working after 2026-10-07"),
    "enduserAttribution": ("endUserAttribution", "renamed in 1.25927.0; the alias stopped working after 2026-10-07"),
    "disableDefaultPlugins": (None, "removed in 1.18286.0"),
}

# Keys documented for standard (first-party) Claude Desktop only: read but without effect in 3P.
FIRST_PARTY_ONLY_KEYS = ("forceLoginOrgUUID", "loginSsoOrgDomain", "secureVmFeaturesEnabled", "isDesktopExtensionDirectoryEnabled")

BUILTIN_TOOLS = (
    "Bash",
    "Read",
    "Write",
    "Edit",
    "Glob",
    "Grep",
    "NotebookEdit",
    "WebFetch",
    "WebSearch",
    "Task",
    "TodoWrite",
    "TaskCreate",
    "TaskUpdate",
    "TaskGet",
    "TaskList",
    "TaskStop",
    "Skill",
    "REPL",
    "JavaScript",
    "AskUserQuestion",
    "ToolSearch",
    "SendUserMessage",
)
WORKSPACE_VARS = ("%OneDrive%", "%OneDriveCommercial%", "%OneDriveConsumer%", "%APPDATA%", "%LOCALAPPDATA%", "%USERNAME%", "%XDG_DOCUMENTS_DIR%")

_HOST_LABEL = r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)"
_HOSTNAME_RE = re.compile(r"^%s(\.%s)*$" % (_HOST_LABEL, _HOST_LABEL))
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_VERTEX_PROJECT_RE = re.compile(r"^[a-z0-9][a-z0-9.:-]*$")
_AWS_REGION_RE = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$")
_COLOR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
_HEADER_NAME_RE = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_WIN_ABS_RE = re.compile(r"^[A-Za-z]:[\\/]")


def _rule(rule, fix):
    """A validation failure carrying the rule that failed and how to fix it."""
    return PydanticCustomError("claude_desktop", "{rule}", {"rule": rule, "fix": fix})


def _warn(info, message):
    if info is not None and isinstance(info.context, dict):
        info.context.setdefault("warnings", []).append(message)


# ---------------------------------------------------------------------------------------------
# Scalar coercions. Managed sources store every value as a string, so "true"/"3600" are
# accepted and normalised to native types; anything else is rejected with the expected form.
# ---------------------------------------------------------------------------------------------
def _to_bool(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return value.strip().lower() in ("true", "1")
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise _rule("expected a boolean", "write true or false (managed sources store the strings \"true\"/\"false\")")


def _to_int(value):
    if isinstance(value, bool):
        raise _rule("expected an integer, got a boolean", "write a whole number such as 3600")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    raise _rule("expected an integer", "write a whole number such as 3600")


def _to_number(value):
    if isinstance(value, bool):
        raise _rule("expected a number, got a boolean", "write a decimal number such as 1.2")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            pass
    raise _rule("expected a number", "write a decimal number such as 1.2")


def _to_str(value):
    if isinstance(value, str):
        return value
    raise _rule("expected a string", "quote the value in YAML")


def scalar_or(annotation, python_type, tag, model):
    """A scalar or an object of ``model``, discriminated so that an error names one branch only."""

    def discriminate(value):
        if isinstance(value, python_type):
            return tag
        if isinstance(value, (dict, BaseModel)):
            return "obj"
        return None

    return t.Annotated[t.Union[t.Annotated[annotation, Tag(tag)], t.Annotated[model, Tag("obj")]], Discriminator(discriminate)]


def str_or(model):
    """A string or an object of ``model``."""
    return scalar_or(Str, str, "str", model)


if HAS_PYDANTIC:
    Bool = t.Annotated[bool, BeforeValidator(_to_bool)]
    Int = t.Annotated[int, BeforeValidator(_to_int)]
    Number = t.Annotated[float, BeforeValidator(_to_number)]
    Str = t.Annotated[str, BeforeValidator(_to_str)]
else:  # pragma: no cover
    Bool, Int, Number, Str = bool, int, float, str


# ---------------------------------------------------------------------------------------------
# Rule helpers shared by several keys.
# ---------------------------------------------------------------------------------------------
def check_url(value, *, key, https_only=True, loopback_http=True, root_only=False, info=None):
    """URL rules of spec §2.1, §3.3 and §8.6. Never echoes the URL (it may embed credentials)."""
    if not isinstance(value, str) or not value.strip():
        raise _rule("expected a non-empty URL", "write a full URL such as https://gateway.example.com")
    if value != value.strip() or any(c.isspace() for c in value):
        raise _rule("URL contains whitespace", "remove spaces and line breaks from the URL")
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise _rule("must be an absolute https:// URL", "write it as https://host[:port][/path]")
    if "@" in parts.netloc:
        raise _rule(
            "must not embed credentials (user:password@host); since 1.32352.0 the configuration then fails to load",
            "remove the user-info part and pass credentials through the provider's key or a headers helper",
        )
    try:
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise _rule("has an invalid port", "use a port between 1 and 65535")
    if not host:
        raise _rule("has no host name", "write it as https://host")
    if parts.scheme == "http" and https_only:
        if not (loopback_http and host == "127.0.0.1"):
            if loopback_http:
                raise _rule(
                    "must use https (or http on loopback 127.0.0.1); the app rejects it with 'baseUrl: must use https (or http on loopback)'",
                    "change the scheme to https:// (for a local gateway use http://127.0.0.1, not localhost)",
                )
            raise _rule("must use https", "change the scheme to https://")
    if parts.query or parts.fragment:
        raise _rule("must not carry a query string or fragment", "remove everything after ? or #")
    if root_only:
        path = parts.path
        if re.search(r"/v1/?$", path):
            _warn(info, "%s: ends with /v1; the app appends /v1/messages itself, so set the gateway root (e.g. https://api.aiohub.org)" % key)
        elif path.endswith("/"):
            _warn(info, "%s: has a trailing slash; some builds fail with 'invalid_string', remove it" % key)
    return value


def check_abs_path(value, *, key, allow_home=False):
    if not isinstance(value, str) or not value:
        raise _rule("expected an absolute path", "write a full path such as /usr/local/bin/helper or C:\\Tools\\helper.exe")
    if value.startswith("~") and not allow_home:
        raise _rule("must be absolute; '~' is not expanded", "write the full path, e.g. /Users/alice/...")
    if re.search(r"\$\{?\w+|%\w+%", value):
        raise _rule("must not contain environment variables; they are not expanded", "write the literal path")
    if not (value.startswith("/") or _WIN_ABS_RE.match(value) or (allow_home and value.startswith("~"))):
        raise _rule("must be an absolute path", "start it with / (macOS, Linux) or a drive letter such as C:\\ (Windows)")
    return value


def check_egress_host(entry, info=None):
    """One ``coworkEgressAllowedHosts`` entry: ``*``, a host, an IPv4 address or ``*.domain``; optional ``:port``."""
    if not isinstance(entry, str) or not entry:
        raise _rule("entries must be non-empty strings", "write host names such as api.github.com or *.example.com")
    if entry == "*":
        return entry
    if "://" in entry or "/" in entry:
        raise _rule(
            "entry %r is a URL; entries are host names only" % entry,
            "write just the host, e.g. %r" % (urlsplit(entry).hostname or entry.split("/")[0]),
        )
    if entry.startswith("[") or entry.count(":") > 1:
        raise _rule("entry %r is an IPv6 literal; IPv6 is unsupported" % entry, "use a host name or an IPv4 address")
    host, sep, port = entry.partition(":")
    if sep:
        if not port.isdigit() or not 1 <= int(port) <= 65535:
            raise _rule("entry %r has an invalid port" % entry, "use host:port with a port between 1 and 65535")
        _warn(
            info,
            "coworkEgressAllowedHosts: entry %r has a port; builds before the port syntax drop the whole "
            "list, deploy it only once the whole fleet supports it" % entry,
        )
    wildcard = host.startswith("*.")
    name = host[2:] if wildcard else host
    if "*" in name:
        raise _rule("entry %r: '*' is allowed only alone or as a leading '*.'" % entry, "write *.example.com or *")
    try:
        ipaddress.IPv4Address(name)
    except ValueError:
        pass
    else:
        if wildcard:
            raise _rule("entry %r: wildcards never match IP addresses" % entry, "list the address exactly")
        return entry
    if name.endswith(".") or not _HOSTNAME_RE.match(name):
        raise _rule("entry %r is not a valid host name" % entry, "use letters, digits, '-' and '.', e.g. api.github.com")
    return entry


def check_header_map(value, *, key):
    if isinstance(value, (list, str)):
        raise _rule(
            "the list/'Name=value' string form of header maps was removed after the 2026-10-07 cut-off (no headers are sent)",
            'write a JSON object: {"Header-Name": "value"}',
        )
    if not isinstance(value, dict):
        raise _rule("expected an object of header name to value", 'write {"Header-Name": "value"}')
    for name, val in value.items():
        if not isinstance(name, str) or not _HEADER_NAME_RE.match(name):
            raise _rule("header name %r is not a valid HTTP header name" % (name,), "use letters, digits and '-'")
        if not isinstance(val, str):
            raise _rule("header %r must have a string value" % name, "quote the value")
        if "\n" in val or "\r" in val:
            raise _rule("header %r contains a line break" % name, "remove line breaks from header values")
    return value


def _field(description, *, area, since="base", secret=False, deprecated=None, default_doc=None, app_behaviour=False, **kwargs):
    extra = {"x-area": area, "x-since": since}
    if secret:
        extra["x-secret"] = True
    if app_behaviour:  # spec §1.6 rule 2: a managed source setting only these keys does not own the device
        extra["x-app-behaviour"] = True
    if deprecated:
        extra["x-deprecated"] = deprecated
    if default_doc is not None:
        extra["x-app-default"] = default_doc
    return Field(default=None, description=description, json_schema_extra=extra, **kwargs)


if HAS_PYDANTIC:

    class _Strict(BaseModel):
        model_config = ConfigDict(extra="forbid", validate_default=False, use_enum_values=True)

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
        omitOfflineAccess: t.Optional[Bool] = Field(None, description="Do not request offline_access (Vertex workforce).")
        resource: t.Optional[Str] = Field(None, description="RFC 8707 audience (absolute https URL); leave unset for Entra.")
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
            if self.issuer is not None and (self.authorizationUrl or self.tokenUrl):
                raise _rule(
                    "issuer and authorizationUrl/tokenUrl are exclusive (the URLs are ignored when issuer is set)",
                    "keep issuer, or drop it and set both URLs",
                )
            if self.bearerTokenType == "access_token" and not self.scopes:
                raise _rule("bearerTokenType access_token requires scopes", "set scopes to the API scope your gateway expects")
            return self

    class ModelEntry(_Strict):
        name: Str = Field(description="Exact model ID as the provider lists it. Required.", min_length=1)
        labelOverride: t.Optional[Str] = Field(None, description="Display name only.")
        supports1m: t.Optional[Bool] = Field(None, description="Adds a 1M-context picker entry (an assertion, not verified).")
        prefer1m: t.Optional[Bool] = Field(None, description="Start on the 1M variant; needs supports1m.", json_schema_extra={"x-since": "1.21459.0"})
        anthropicFamilyTier: t.Optional[t.Literal["sonnet", "opus", "haiku", "fable", "mythos"]] = Field(None, description="Family tier for aliases.")
        isFamilyDefault: t.Optional[Bool] = Field(None, description="Default model of its tier.")

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
        clientSecretHelper: t.Optional[Str] = None
        authorizationServer: t.Optional[t.List[Str]] = Field(None, description="Issuer URLs; required with a client secret.")
        authorizationUrl: t.Optional[Str] = None
        tokenUrl: t.Optional[Str] = None
        tenantId: t.Optional[Str] = None
        scope: t.Optional[Str] = Field(None, description="One space-separated string.")
        appendOfflineAccess: t.Optional[Bool] = None
        callbackPort: t.Optional[t.Annotated[int, at.Interval(ge=1024, le=65535), BeforeValidator(_to_int)]] = None
        callbackHost: t.Optional[t.Literal["127.0.0.1", "localhost"]] = None
        additionalRedirectReferrerHosts: t.Optional[Str] = None
        authFlow: t.Optional[t.Literal["browser", "broker"]] = None
        mode: t.Optional[t.Literal["hosted"]] = None

        @model_validator(mode="before")
        @classmethod
        def _legacy(cls, data):
            if isinstance(data, dict) and "scopes" in data:
                raise _rule("oauth.scopes was removed after the 2026-10-07 cut-off", "use oauth.scope (one space-separated string)")
            return data

        @field_validator("clientSecretHelper")
        @classmethod
        def _helper(cls, v):
            return v if v is None else check_abs_path(v, key="clientSecretHelper")

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
        headersHelper: t.Optional[Str] = None
        headersHelperTtlSec: t.Optional[t.Annotated[int, at.Interval(ge=0), BeforeValidator(_to_int)]] = None
        headersHelperRefreshBufferSec: t.Optional[t.Annotated[int, at.Interval(ge=0), BeforeValidator(_to_int)]] = None
        oauth: t.Optional[scalar_or(bool, bool, "bool", McpOAuth)] = None
        toolPolicy: t.Optional[t.Dict[str, t.Literal["allow", "ask", "blocked"]]] = None
        command: t.Optional[Str] = None
        args: t.Optional[t.List[Str]] = None
        env: t.Optional[t.Dict[str, Str]] = Field(None, json_schema_extra={"x-secret": True})
        envHelper: t.Optional[Str] = None
        envHelperTtlSec: t.Optional[t.Annotated[int, at.Interval(ge=0), BeforeValidator(_to_int)]] = None
        startupTimeoutSec: t.Optional[t.Annotated[int, at.Interval(ge=1), BeforeValidator(_to_int)]] = None
        server: t.Optional[t.Literal["microsoft365", "websearch", "github"]] = None
        provider: t.Optional[t.Literal["brave", "tavily", "exa", "custom"]] = None
        customUrl: t.Optional[Str] = None
        host: t.Optional[Str] = None
        toolsets: t.Optional[t.List[Str]] = None
        readOnly: t.Optional[Bool] = None
        tenantId: t.Optional[Str] = None
        clientId: t.Optional[Str] = None
        azureCloud: t.Optional[t.Literal["global", "us-gov-high", "us-gov-dod"]] = None
        scope: t.Optional[Str] = None

        @model_validator(mode="before")
        @classmethod
        def _legacy(cls, data):
            if isinstance(data, dict):
                removed = {
                    "scopes": "use scope (one space-separated string)",
                    "source": "remove it",
                    "authorityHost": "use azureCloud",
                }
                for old, fix in removed.items():
                    if old in data:
                        raise _rule("%s was removed after the 2026-10-07 cut-off" % old, fix)
                if data.get("transport") == "builtin":
                    raise _rule("transport 'builtin' was removed after the 2026-10-07 cut-off", "drop transport and keep server")
                if "oauth" in data and not isinstance(data["oauth"], (bool, dict)):
                    raise _rule("oauth must be true or an object", "write oauth: true or an oauth object")
                if isinstance(data.get("toolPolicy"), dict) and "ask-session" in data["toolPolicy"].values():
                    raise _rule("toolPolicy value 'ask-session' was removed after the 2026-10-07 cut-off", "use 'ask'")
            return data

        @field_validator("url", "customUrl")
        @classmethod
        def _url(cls, v, info):
            return v if v is None else check_url(v, key=info.field_name, loopback_http=False)

        @field_validator("command", "headersHelper", "envHelper")
        @classmethod
        def _abs(cls, v, info):
            return v if v is None else check_abs_path(v, key=info.field_name)

        @field_validator("headers")
        @classmethod
        def _headers(cls, v):
            return v if v is None else check_header_map(v, key="headers")

        @model_validator(mode="after")
        def _shape(self):
            if self.server is None and self.transport is None:
                raise _rule(
                    "entries that are not built-in servers need transport (missing transport was removed after 2026-10-07)",
                    "add transport: http, sse or stdio",
                )
            if self.transport in ("http", "sse") and not self.url:
                raise _rule("transport %s requires url" % self.transport, "set url to the server's https:// endpoint")
            if self.transport == "stdio" and not self.command:
                raise _rule("transport stdio requires command", "set command to the absolute path of the server executable")
            if self.oauth not in (None, False) and (self.headers or self.headersHelper):
                raise _rule("oauth is exclusive with headers/headersHelper", "keep either oauth or the headers")
            return self

    class ToolPermission(_Strict):
        toolName: Str
        permission: t.Literal["allow", "ask", "blocked"]

    class PluginServerSettings(_Strict):
        serverName: Str
        tools: t.List[ToolPermission] = Field(default_factory=list)

    class PluginMarketplace(_Strict):
        source: t.Literal["github", "git", "url"]
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

        # connection / activation
        inferenceProvider: t.Optional[t.Literal["gateway", "anthropic", "bedrock", "mantle", "vertex", "foundry"]] = _field(
            "Inference provider; activates third-party mode when its credentials are present.", area="connection"
        )
        inferenceCredentialKind: t.Optional[t.Literal["static", "helper-script", "interactive", "vendor-profile", "workforce", "external-idp"]] = (
            _field("Which credential source to use (no fallback when set).", area="connection", since="1.8555.0")
        )
        inferenceCustomHeaders: t.Optional[t.Dict[str, Str]] = _field(
            "Routing/tenant headers on every inference and discovery request (JSON object).", area="connection", since="1.8089.0", secret=True
        )
        inferenceSessionLifetimeSec: t.Optional[t.Annotated[int, at.Interval(ge=1), BeforeValidator(_to_int)]] = _field(
            "Caps sign-in validity (seconds).", area="connection", since="1.14271.0"
        )
        inferenceStreamIdleTimeoutSec: t.Optional[t.Annotated[int, at.Interval(ge=1), BeforeValidator(_to_int)]] = _field(
            "Stream idle timeout (seconds).", area="connection", since="1.44121.1"
        )
        userContentRendererUrl: t.Optional[Str] = _field("HTTPS origin of the artifact/file-preview iframe.", area="connection", since="1.24012.0")

        # credential helper
        inferenceCredentialHelper: t.Optional[Str] = _field("Absolute path of an executable printing the credential.", area="credential_helper")
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
        inferenceBedrockRegion: t.Optional[Str] = _field("AWS region of the runtime endpoint.", area="provider_bedrock")
        inferenceBedrockBaseUrl: t.Optional[Str] = _field(
            "VPC endpoint or proxy (Mantle: full SDK base URL incl. /anthropic).", area="provider_bedrock"
        )
        inferenceBedrockServiceTier: t.Optional[t.Literal["flex", "priority"]] = _field(
            "Bedrock service tier; unset = on-demand.", area="provider_bedrock", since="1.5186.0"
        )
        inferenceBedrockBearerToken: t.Optional[t.Annotated[str, StringConstraints(min_length=1), BeforeValidator(_to_str)]] = _field(
            "Static Bedrock API key.", area="provider_bedrock", secret=True
        )
        inferenceBedrockSsoStartUrl: t.Optional[Str] = _field(
            "IAM Identity Center start URL (with the other three SSO keys).", area="provider_bedrock", since="1.6259.0"
        )
        inferenceBedrockSsoRegion: t.Optional[Str] = _field("Identity Center home region.", area="provider_bedrock", since="1.6259.0")
        inferenceBedrockSsoAccountId: t.Optional[t.Annotated[str, StringConstraints(pattern=r"^\d{12}$"), BeforeValidator(_to_str)]] = _field(
            "12-digit AWS account ID.", area="provider_bedrock", since="1.6259.0"
        )
        inferenceBedrockSsoRoleName: t.Optional[t.Annotated[str, StringConstraints(min_length=1), BeforeValidator(_to_str)]] = _field(
            "Permission set granting bedrock:InvokeModel*.", area="provider_bedrock", since="1.6259.0"
        )
        inferenceBedrockProfile: t.Optional[t.Annotated[str, StringConstraints(min_length=1), BeforeValidator(_to_str)]] = _field(
            "Named AWS profile.", area="provider_bedrock"
        )
        inferenceBedrockAwsDir: t.Optional[Str] = _field("Folder with AWS config/credentials.", area="provider_bedrock")
        inferenceBedrockAwsCliPath: t.Optional[Str] = _field("Absolute path to the aws CLI.", area="provider_bedrock", since="1.13576.0")

        # vertex
        inferenceVertexProjectId: t.Optional[t.Annotated[str, StringConstraints(pattern=_VERTEX_PROJECT_RE.pattern), BeforeValidator(_to_str)]] = (
            _field("GCP project ID.", area="provider_vertex")
        )
        inferenceVertexRegion: t.Optional[t.Annotated[Str, Field(pattern=r"^[a-z0-9-]+$")]] = _field(
            "Vertex region (e.g. us-east5, global, eu, us).", area="provider_vertex"
        )
        inferenceVertexCredentialsFile: t.Optional[Str] = _field(
            "Absolute path to a service-account / ADC JSON (no ~ or env vars).", area="provider_vertex"
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
            "OIDC client for inferenceCredentialKind external-idp.", area="provider_gateway", since="2.7032.0"
        )
        inferenceIdpAuthFlow: t.Optional[t.Literal["browser", "broker"]] = _field(
            "external-idp sign-in flow.", area="provider_gateway", since="2.7032.0"
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
            "Folders users may open (unset = unrestricted, [] = none).", area="workspace"
        )
        coworkEgressAllowedHosts: t.Optional[t.List[Str]] = _field("Hosts the sandbox may reach: '*', host, '*.domain'.", area="workspace")
        requireCoworkFullVmSandbox: t.Optional[Bool] = _field("Full VM sandbox.", area="workspace", deprecated="deprecated; drop it")
        skipWebFetchPreflight: t.Optional[Bool] = _field("Skip the WebFetch domain check.", area="workspace", since="1.37937.0")
        organizationInstructions: t.Optional[t.Annotated[str, StringConstraints(min_length=1, max_length=3000), BeforeValidator(_to_str)]] = _field(
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
        isDesktopExtensionEnabled: t.Optional[Bool] = _field("Allow .dxt/.mcpb installs (default false from 1.19367.0).", area="mcp")
        isDesktopExtensionSignatureRequired: t.Optional[Bool] = _field("Reject unsigned extensions.", area="mcp", default_doc=False)
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
        autoUpdaterEnforcementHours: t.Optional[t.Annotated[int, at.Interval(ge=1, le=72), BeforeValidator(_to_int)]] = _field(
            "Hours before a pending update is forced (1-72).", area="telemetry", default_doc=72, app_behaviour=True
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
        otlpEndpoint: t.Optional[Str] = _field("OpenTelemetry collector base URL.", area="telemetry")
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
        otlpHeadersHelper: t.Optional[Str] = _field("Absolute path printing OTLP headers as JSON.", area="telemetry", since="1.30096.1")
        endUserAttribution: t.Optional[Bool] = _field("Show IdP identity and emit enduser.id.", area="telemetry", since="1.24012.0")
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
        bootstrapHeadersHelper: t.Optional[Str] = _field("Absolute path printing bootstrap headers as JSON.", area="bootstrap", since="1.32885.1")
        trustBootstrapDelivery: t.Optional[Bool] = _field(
            "Skip per-user consent for bootstrap-delivered values.", area="bootstrap", since="1.25927.0", default_doc=False
        )

        # code surface
        sshHostAllowlist: t.Optional[t.List[t.Annotated[str, StringConstraints(min_length=1), BeforeValidator(_to_str)]]] = _field(
            "SSH hosts the Code surface may reach.", area="code", since="1.40609.0"
        )
        sshClientPath: t.Optional[Str] = _field("Absolute path of the ssh client.", area="code", since="1.46388.1")

        # ------------------------------------------------------------ field rules
        @field_validator("inferenceGatewayBaseUrl")
        @classmethod
        def _gateway_url(cls, v, info):
            return v if v is None else check_url(v, key="inferenceGatewayBaseUrl", root_only=True, info=info)

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
            return v if v is None else check_url(v, key=info.field_name, https_only=False, info=info)

        @field_validator("inferenceCredentialHelper", "inferenceBedrockAwsCliPath", "otlpHeadersHelper", "bootstrapHeadersHelper", "sshClientPath")
        @classmethod
        def _abs_paths(cls, v, info):
            return v if v is None else check_abs_path(v, key=info.field_name)

        @field_validator("inferenceVertexCredentialsFile")
        @classmethod
        def _creds_file(cls, v, info):
            return v if v in (None, "") else check_abs_path(v, key=info.field_name)

        @field_validator("inferenceBedrockAwsDir")
        @classmethod
        def _aws_dir(cls, v, info):
            return v if v is None else check_abs_path(v, key=info.field_name, allow_home=True)

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
                check_egress_host(entry, info)
            if "*" in v and len(v) > 1:
                _warn(info, "coworkEgressAllowedHosts: '*' disables filtering; the other entries have no effect")
            if len(set(h.lower() for h in v)) != len(v):
                _warn(info, "coworkEgressAllowedHosts: duplicate entries")
            return v

        @field_validator("inferenceModels")
        @classmethod
        def _models(cls, v):
            if v is None:
                return v
            if not v:
                raise _rule("must not be empty", "list at least one model, or omit the key to use discovery")
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
        def _tool_policy(cls, v):
            if not isinstance(v, dict):
                return v
            for tool, policy in v.items():
                if policy == "blocked":
                    raise _rule("%s: 'blocked' is not accepted here" % tool, "add the tool to disabledBuiltinTools instead")
                if policy == "ask-session":
                    raise _rule("%s: 'ask-session' was removed after the 2026-10-07 cut-off" % tool, "use 'ask'")
                m = re.fullmatch(r"([A-Za-z]+)(\((.+)\))?", str(tool))
                if not m or m.group(1) not in BUILTIN_TOOLS:
                    raise _rule("%r is not a built-in tool or a Tool(pattern) rule" % tool, "use one of: %s" % ", ".join(BUILTIN_TOOLS))
                if m.group(2) and m.group(1) in ("WebSearch", "WebFetch"):
                    raise _rule("%s accepts no argument-scoped rules" % m.group(1), "use the bare tool name")
            return v

        @field_validator("allowedWorkspaceFolders")
        @classmethod
        def _folders(cls, v):
            for entry in v or ():
                path = entry if isinstance(entry, str) else entry.path
                var = re.match(r"^%[A-Za-z_]+%", path)
                if var:
                    if var.group(0) not in WORKSPACE_VARS:
                        raise _rule(
                            "%r uses an unsupported variable (the entry would be ignored)" % path, "use one of: %s" % ", ".join(WORKSPACE_VARS)
                        )
                    continue
                if path.startswith("\\\\"):
                    raise _rule("%r is a raw UNC path, which is not supported" % path, "map the share to a drive letter")
                check_abs_path(path, key="allowedWorkspaceFolders", allow_home=True)
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


def field_kind(annotation):
    """Encoding kind of a field annotation: string, boolean, integer, number or json."""
    args = [a for a in t.get_args(annotation) if a is not type(None)] if t.get_origin(annotation) is t.Union else [annotation]
    if len(args) != 1:
        return "json"
    base = args[0]
    if t.get_origin(base) is t.Annotated:
        base = t.get_args(base)[0]
    if base is bool:
        return "boolean"
    if base is int:
        return "integer"
    if base is float:
        return "number"
    if base is str or t.get_origin(base) is t.Literal:
        return "string"
    return "json"


@functools.lru_cache(maxsize=None)
def key_catalog():
    """Every key of the model: name -> dict(kind, area, since, secret, deprecated, description, app_default).

    Built once per process (validation reads it several times per host); treat it as read-only.
    """
    catalog = {}
    for name, field in EnterpriseConfig.model_fields.items():
        extra = field.json_schema_extra or {}
        catalog[name] = {
            "kind": field_kind(field.annotation),
            "area": extra.get("x-area"),
            "since": extra.get("x-since", "base"),
            "secret": bool(extra.get("x-secret")),
            "app_behaviour": bool(extra.get("x-app-behaviour")),
            "deprecated": extra.get("x-deprecated"),
            "description": field.description or "",
            "app_default": extra.get("x-app-default"),
        }
    return catalog


def _models_in(annotation):
    """The pydantic models an annotation can hold (through Optional, List, Union, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found = []
    for arg in t.get_args(annotation):
        found.extend(_models_in(arg))
    return found


@functools.lru_cache(maxsize=None)
def nested_secret_paths():
    """Top-level key -> paths (tuples of field names) of the secret fields inside its objects.

    Read from the ``x-secret`` marks of the nested models, e.g. managedMcpServers -> [("headers",),
    ("env",), ("oauth", "clientSecret")].
    """

    def walk(model, prefix, seen):
        paths = []
        for name, field in model.model_fields.items():
            if (field.json_schema_extra or {}).get("x-secret"):
                paths.append(prefix + (name,))
            for inner in _models_in(field.annotation):
                if inner not in seen:
                    paths.extend(walk(inner, prefix + (name,), seen | {inner}))
        return paths

    out = {}
    for name, field in EnterpriseConfig.model_fields.items():
        paths = [p for model in _models_in(field.annotation) for p in walk(model, (), {model})]
        if paths:
            out[name] = paths
    return out


def json_schema():
    """JSON Schema (draft 2020-12) of enterpriseConfig, for editors checking group_vars (see _schema)."""
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._schema import json_schema as generate

    return generate()
