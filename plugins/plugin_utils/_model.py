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
import json
import ntpath
import posixpath
import re
import traceback
import typing as t
from urllib.parse import urlsplit

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import own_wording

PYDANTIC_IMPORT_ERROR = None
try:
    import annotated_types as at
    from pydantic import (BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, StringConstraints, Tag, ValidationError,
                          WrapValidator, field_validator, model_validator)
    from pydantic_core import InitErrorDetails, PydanticCustomError
except ImportError:  # pragma: no cover - exercised by ansible-test's import sanity test
    PYDANTIC_IMPORT_ERROR = traceback.format_exc()
    HAS_PYDANTIC = False
else:
    HAS_PYDANTIC = True

PLACEHOLDER_ORG_UUID = "00000000-0000-4000-8000-000000000001"

# Keys removed outright (spec §3.7), with the key that replaces them (None). Not model fields.
REMOVED_KEYS = {
    "disableDefaultPlugins": (None, "removed in 1.18286.0"),
}
# Renamed keys are not listed here: the new key's field carries ``renamed_from`` (see removed_keys()).

# Keys documented for standard (first-party) Claude Desktop only: read but without effect in 3P.
FIRST_PARTY_ONLY_KEYS = ("forceLoginOrgUUID", "loginSsoOrgDomain", "secureVmFeaturesEnabled", "isDesktopExtensionDirectoryEnabled")
# Keys seen only in third-party tooling, unverified (spec §3.12): a warning, not deployed unless allowed.
UNVERIFIED_KEYS = (
    "inferenceCredentialHelperWindows", "dictationEnabled", "coworkVmIpv6Enabled", "dangerousMaxVersion", "disableWslSessions",
    "claudeCodeProcessWrapperEnabled", "relocateUncUserData", "effortLevel", "otlpAttrMaxChars",
)
UNVERIFIED_KEY_PREFIXES = ("builtinBrowser",)  # spec §3.12 lists the family as `builtinBrowser*`


def is_unverified_key(key):
    return key in UNVERIFIED_KEYS or key.startswith(UNVERIFIED_KEY_PREFIXES)


# Keys published samples invent, with what the spec offers instead (issue 15: a hint only where the spec has one).
KNOWN_MISTAKES = {
    "coworkWebSearchEnabled": ("spec §3.7", "web search is a built-in managedMcpServers entry: {name: ..., server: websearch, provider: ...}"),
    "coworkOAuthClientId": ("spec §3.10", "bootstrap sign-in is bootstrapOidc: {clientId: ..., issuer: ...}"),
    "coworkOAuthIssuer": ("spec §3.10", "bootstrap sign-in is bootstrapOidc: {clientId: ..., issuer: ...}"),
}

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
FAMILY_TIERS = ("sonnet", "opus", "haiku", "fable", "mythos")
# Marks of the path-valued fields (``x-path``; path_fields() lists them): what the path names, whether a
# leading ~ expands (home), whether environment variables may appear (expansion: warned, not expanded; False:
# an error, spec §3.3), blank allowed, entries (a list of paths its own validator checks).
EXECUTABLE = {"names": "executable"}
LITERAL_FILE = {"names": "file", "expansion": False, "blank": True}
HOME_FOLDER = {"names": "folder", "home": True}
FOLDER_ENTRIES = {"names": "folders", "home": True, "entries": True}
WORKSPACE_VARS = ("%OneDrive%", "%OneDriveCommercial%", "%OneDriveConsumer%", "%APPDATA%", "%LOCALAPPDATA%", "%USERNAME%", "%XDG_DOCUMENTS_DIR%")

_HOST_LABEL = r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)"
_HOSTNAME_RE = re.compile(r"^%s(\.%s)*$" % (_HOST_LABEL, _HOST_LABEL))
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_VERTEX_PROJECT_RE = re.compile(r"^[a-z0-9][a-z0-9.:-]*$")
# The format of an AWS region in any partition (us-east-1, us-gov-west-1, cn-north-1, us-isob-east-1,
# eusc-de-east-1): a format check, not a list that ages (issue 10).
_AWS_REGION_RE = re.compile(r"^[a-z]{2,4}(-[a-z]+){1,3}-\d{1,2}$")
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
def _is_loopback(host):
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# Fixed wording (no value in it): kept readable when the URL's user name or password is a plain word such as "user".
_CREDENTIALS_IN_URL_RULE = own_wording(
    "must not embed credentials (user:password@host); since 1.32352.0 the configuration then fails to load")
_CREDENTIALS_IN_URL_FIX = own_wording(
    "remove the user-info part and pass credentials through the provider's key or a headers helper")


def check_url(value, *, key, https_only=True, loopback_http=False, root_only=False, info=None):
    """URL rules of spec §2.1, §3.3 and §8.6: the scheme, no embedded credentials, the gateway warnings.

    Nothing else is a rule (query strings, fragments, ports, IDN hosts are accepted). ``loopback_http``
    is the gateway base URL's exception alone ("must use https (or http on loopback)", §3.3). Never
    echoes the URL (it may embed credentials).
    """
    if not isinstance(value, str) or not value.strip():
        raise _rule("expected a non-empty URL", "write a full URL such as https://gateway.example.com")
    if value != value.strip() or any(c.isspace() for c in value):
        raise _rule("URL contains whitespace", "remove spaces and line breaks from the URL")
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise _rule("must be an absolute https:// URL", "write it as https://host[:port][/path]")
    if "@" in parts.netloc:
        raise _rule(_CREDENTIALS_IN_URL_RULE, _CREDENTIALS_IN_URL_FIX)
    try:
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise _rule("has an invalid port", "use a port between 1 and 65535")
    if not host:
        raise _rule("has no host name", "write it as https://host")
    if parts.scheme == "http" and https_only:
        if not loopback_http:
            raise _rule("must use https", "change the scheme to https://")
        if host.lower() == "localhost":
            _warn(info, "%s: http on 'localhost' is loopback, which the app allows, but some builds reject the name localhost; "
                        "use http://127.0.0.1 instead (spec §3.3)" % key)
        elif not _is_loopback(host):
            raise _rule(
                "must use https (or http on loopback); the app rejects it with 'baseUrl: must use https (or http on loopback)'",
                "change the scheme to https:// (for a local gateway use http://127.0.0.1)",
            )
    if root_only:
        path = parts.path
        if re.search(r"/v1/?$", path):
            _warn(info, "%s: ends with /v1; the app appends /v1/messages itself, so set the gateway root (e.g. https://api.aiohub.org)" % key)
        elif path.endswith("/"):
            _warn(info, "%s: has a trailing slash; some builds fail with 'invalid_string', remove it" % key)
    return value


def check_abs_path(value, *, key, allow_home=False, no_expansion=False, info=None, target_os=None, names="executable"):
    """An absolute path (``/...`` or a drive letter; ``~`` where ``allow_home``).

    Environment variables are an error only where the spec says they are not expanded
    (``no_expansion``, e.g. inferenceVertexCredentialsFile, §3.3); elsewhere a warning.
    ``target_os`` (macos, linux, windows): the path must be absolute by that OS's own rules
    (os_path_problem); unknown (None): absolute on some OS (``/...`` or ``C:\\...``), as always.
    """
    if not isinstance(value, str) or not value:
        raise _rule("expected an absolute path", "write a full path such as /usr/local/bin/helper or C:\\Tools\\helper.exe")
    if value.startswith("~") and not allow_home:
        raise _rule("must be absolute; '~' is not expanded", "write the full path, e.g. /Users/alice/...")
    if re.search(r"\$\{?\w+|%\w+%", value):
        if no_expansion:
            raise _rule("must not contain environment variables; they are not expanded", "write the literal path")
        _warn(info, "%s: contains what looks like an environment variable; the spec documents no expansion here, "
                    "so the app will look for the literal path" % key)
    if allow_home and value.startswith("~"):
        return value
    if target_os in PATH_OSES:
        problem = os_path_problem(value, target_os, names)
        if problem:
            raise _rule(*problem)
    elif not (value.startswith("/") or _WIN_ABS_RE.match(value)):
        raise _rule("must be an absolute path", "start it with / (macOS, Linux) or a drive letter such as C:\\ (Windows)")
    return value


# How each OS reads a path (issue 22): macOS and Linux by POSIX rules (posixpath), Windows by its
# own (ntpath: a drive or a \\server\share, then a separator).
PATH_OSES = {"macos": "macOS", "linux": "Linux", "windows": "Windows"}


def _windows_absolute(value):
    drive, rest = ntpath.splitdrive(value)
    return bool(drive) and rest[:1] in ("\\", "/")


# An example of each kind of path for the fixes: (POSIX, Windows).
PATH_EXAMPLES = {"executable": ("/usr/local/bin/helper", "C:\\Program Files\\Acme\\helper.exe"),
                 "file": ("/etc/acme/service-account.json", "C:\\ProgramData\\Acme\\service-account.json"),
                 "folder": ("/srv/work", "D:\\Work"), "folders": ("/srv/work", "D:\\Work")}


def os_path_problem(value, target_os, names="executable"):
    """(rule, fix) when ``value`` is not an absolute path on ``target_os`` by that OS's rules, else None.

    The rule names the OS that reads the path: a Windows path inherited by a Mac is a relative name
    there, a POSIX path on Windows has no drive, and a drive-relative ``C:foo`` is relative on Windows.
    """
    name = PATH_OSES[target_os]
    posix_example, windows_example = PATH_EXAMPLES.get(names, PATH_EXAMPLES["executable"])
    if target_os == "windows":
        if _windows_absolute(value):
            return None
        drive = ntpath.splitdrive(value)[0]
        if drive:
            return ("is drive-relative on Windows (read by Windows path rules, ntpath: %s without a \\ after it is relative "
                    "to that drive's current folder)" % drive,
                    "write %s\\ followed by the full path, e.g. %s" % (drive, windows_example))
        if posixpath.isabs(value) or value.startswith("\\"):
            return ("is not an absolute path on Windows (read by Windows path rules, ntpath: a path starting with %s has no "
                    "drive letter, so the app resolves it against the current drive)" % value[0],
                    "give the Windows hosts their own value with a drive letter, e.g. %s "
                    "(in the group_vars of a Windows group, or claude_desktop_host_config)" % windows_example)
        return ("is not an absolute path on Windows (read by Windows path rules, ntpath)",
                "write the full path with a drive letter, e.g. %s" % windows_example)
    if posixpath.isabs(value):
        return None
    if _windows_absolute(value) or ntpath.splitdrive(value)[0]:
        return ("is a Windows path, which is not absolute on %s (read by POSIX path rules, posixpath: a relative name there, "
                "so the app cannot find it)" % name,
                "give the %s hosts their own value starting with /, e.g. %s (in the group_vars of a %s "
                "group, or claude_desktop_host_config)" % (name, posix_example, name))
    return ("is not an absolute path on %s (read by POSIX path rules, posixpath: it must start with /)" % name,
            "write the full path starting with /, e.g. %s" % posix_example)


def path_target_os(info, key=None):
    """The OS whose path rules apply to a path-valued field: the host's (validation context), except for a
    key of a provider other than the selected inferenceProvider, which the app ignores (spec §1.6 rule 6):
    no OS rule may fail the host for it, so it keeps the OS-neutral check."""
    context = info.context if info is not None and isinstance(info.context, dict) else {}
    target = context.get("target_os")
    if target not in PATH_OSES:
        return None
    if key is not None and not key_in_scope(key, context.get("provider")):
        return None
    return target


def key_in_scope(key, provider):
    """False for a key the selected provider does not read (spec §1.6 rule 6: provider scoping); True when no
    provider is selected (then nothing is known to be ignored; a provider value that is not a string is its own
    error)."""
    if not isinstance(provider, str) or provider not in PROVIDERS:
        return True
    field = EnterpriseConfig.model_fields.get(key)
    providers = (field.json_schema_extra or {}).get("x-providers") if field is not None else None
    return not providers or provider in providers


def egress_entry_problem(entry):
    """Why the app drops one ``coworkEgressAllowedHosts`` entry (spec §3.6 grammar), or None when it is valid.

    Entries: ``*``, an exact host or IPv4 address, ``*.domain``; optional ``:port`` (not on bare ``*``).
    "invalid entries dropped individually with a log warning" (§3.6), so a bad entry is a warning.
    """
    if entry == "*":
        return None
    if "://" in entry or "/" in entry:
        return "is a URL; entries are host names only (write just %r)" % (urlsplit(entry).hostname or entry.split("/")[0])
    if entry.startswith("[") or entry.count(":") > 1:
        return "is an IPv6 literal; IPv6 literals are unsupported"
    host, sep, port = entry.partition(":")
    if sep and (host == "*" or not port.isdigit() or not 1 <= int(port) <= 65535):
        return "has an invalid port (host:port, 1-65535, not on bare '*')"
    wildcard = host.startswith("*.")
    name = host[2:] if wildcard else host
    if "*" in name:
        return "uses '*' other than alone or as a leading '*.'"
    try:
        ipaddress.IPv4Address(name)
    except ValueError:
        pass
    else:
        return "is a wildcard over an IP address; wildcards never match IPs" if wildcard else None
    if name.endswith(".") or not _HOSTNAME_RE.match(name):
        return "is not a valid host name (letters, digits, '-' and '.')"
    return None


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


def _mcp_shape_problems(data):
    """Whole-entry problems of one managedMcpServers entry (spec §3.7, §3.13), from the raw mapping.

    Yields (field or None, rule, fix); a field named here is not reported a second time by its type check.
    """
    removed = {"scopes": "use scope (one space-separated string)", "source": "remove it", "authorityHost": "use azureCloud"}
    for old, fix in removed.items():
        if old in data:
            yield old, "%s was removed after the 2026-10-07 cut-off" % old, fix
    transport = data.get("transport")
    if transport == "builtin":
        yield "transport", "transport 'builtin' was removed after the 2026-10-07 cut-off", "drop transport and keep server"
    elif data.get("server") is None and transport is None:
        yield (
            None,
            "entries that are not built-in servers need transport (missing transport was removed after 2026-10-07)",
            "add transport: %s" % ("stdio" if "command" in data else "http" if "url" in data else "http, sse or stdio"),
        )
    oauth = data.get("oauth")
    if "oauth" in data and not isinstance(oauth, (bool, dict)):
        yield "oauth", "oauth must be true or an object", "write oauth: true or an oauth object"
    policy = data.get("toolPolicy")
    if isinstance(policy, dict) and "ask-session" in policy.values():
        yield "toolPolicy", "toolPolicy value 'ask-session' was removed after the 2026-10-07 cut-off", "use 'ask'"
    if transport in ("http", "sse") and not data.get("url"):
        yield None, "transport %s requires url" % transport, "set url to the server's https:// endpoint"
    if transport == "stdio" and not data.get("command"):
        yield None, "transport stdio requires command", "set command to the absolute path of the server executable"
    if oauth not in (None, False) and (data.get("headers") or data.get("headersHelper")):
        yield None, "oauth is exclusive with headers/headersHelper", "keep either oauth or the headers"


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


def _blank_ok(value, handler):
    """Keep an empty string (a documented "blank" value) without the inner validation."""
    return "" if value == "" else handler(value)


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
                                  info=info if top else None, target_os=path_target_os(info, info.field_name if top else None),
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
                if isinstance(value, str) and value.strip()[:1] in ("[", "{") and _json_kind(key):
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
                                   target_os=path_target_os(info, "allowedWorkspaceFolders"), names="folders")
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


def field_kind(annotation):
    """Encoding kind of a field annotation: string, boolean, integer, number or json."""
    if t.get_origin(annotation) is t.Union:
        args = [a for a in t.get_args(annotation) if a is not type(None)]  # pylint: disable=unidiomatic-typecheck
    else:
        args = [annotation]
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


def _json_kind(key):
    field = EnterpriseConfig.model_fields.get(key)
    return field is not None and field_kind(field.annotation) == "json"


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
            "deprecated": extra.get("x-deprecated"),
            "description": field.description or "",
            "app_default": extra.get("x-app-default"),
            "providers": tuple(extra.get("x-providers", ())),
            "app_behaviour": bool(extra.get("x-app-behaviour")),
            "renamed_from": extra.get("x-renamed-from"),
            "blank": extra.get("x-blank"),
        }
    return catalog


@functools.lru_cache(maxsize=None)
def removed_keys():
    """Old key names the app no longer honours -> (new name or None, why, build of the rename or None).

    Renamed keys come from the ``x-renamed-from`` property of the new key; keys removed outright
    are listed in REMOVED_KEYS.
    """
    out = {old: (new, why, None) for old, (new, why) in REMOVED_KEYS.items()}
    for name, meta in key_catalog().items():
        renamed = meta["renamed_from"]
        if renamed:
            since = " in %s" % renamed["in"] if renamed["in"] else ""
            out[renamed["key"]] = (name, "renamed to %s%s; the old name stopped working after the 2026-10-07 cut-off" % (name, since), renamed["in"])
    return out


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


@functools.lru_cache(maxsize=None)
def path_fields():
    """Every path-valued field, from the ``x-path`` marks: (location, mark), the location as
    ``key`` or ``key[].field`` / ``key[].field.field`` inside lists and objects, e.g.
    ("managedMcpServers[].command", {"names": "executable"}). Sorted by location."""

    def walk(model, prefix, seen):
        found = []
        for name, field in model.model_fields.items():
            mark = (field.json_schema_extra or {}).get("x-path")
            listed = t.get_origin(field.annotation) is list or any(t.get_origin(a) is list for a in t.get_args(field.annotation))
            here = prefix + name + ("[]" if listed else "")
            if mark:
                found.append((here, mark))
            for inner in _models_in(field.annotation):
                if inner not in seen:
                    found.extend(walk(inner, here + ".", seen | {inner}))
        return found

    return tuple(sorted(walk(EnterpriseConfig, "", {EnterpriseConfig})))


def json_schema():
    """JSON Schema (draft 2020-12) of enterpriseConfig, for editors checking group_vars (see _schema)."""
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._schema import json_schema as generate

    return _no_nul(_secret_hygiene(generate()))


# Credential and header hygiene (the validator's credential_hygiene, issue 21 item 6), as patterns
# both the validator and the JSON Schema use: control and invisible characters (a fixed set, so
# the schema does not depend on the Python's Unicode tables), whitespace at either end, and for a
# key a scheme word or header name in front ("Bearer ", "Basic ", "Authorization:", "x-api-key:").
INVISIBLE_CHARS = ("\\x00-\\x1f\\x7f-\\x9f\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064"
                   "\\u2066-\\u206f\\ufeff\\ufff9-\\ufffb")


def _any_case(word):
    return "".join("[%s%s]" % (c.upper(), c.lower()) if c.isalpha() else c for c in word)


SCHEME_PREFIX = "^\\s*(?:(?:%s|%s)\\s*:\\s*)?(?:(?:%s|%s)\\s+)?" % tuple(_any_case(w) for w in ("authorization", "x-api-key", "bearer", "basic"))
_HYGIENE = "^\\s|\\s$|[%s]" % INVISIBLE_CHARS
_SCHEME_WORD = "^\\s*(?:(?:%s|%s)\\s*:|(?:%s|%s)\\s)" % tuple(_any_case(w) for w in ("authorization", "x-api-key", "bearer", "basic"))


def _secret_hygiene(schema):
    """The hygiene rule on every x-secret property: a string is a key (no scheme word either), a
    mapping holds header or environment values (its JSON-text form too, inside contentSchema)."""
    def objects(node):
        for branch in node.get("anyOf", [node]):
            if branch.get("type") == "object" and isinstance(branch.get("additionalProperties"), dict):
                yield branch["additionalProperties"]
            if isinstance(branch.get("contentSchema"), dict):
                yield from objects(branch["contentSchema"])

    holders = [schema] + list((schema.get("$defs") or {}).values())
    for holder in holders:
        for prop in (holder.get("properties") or {}).values():
            if not prop.get("x-secret"):
                continue
            for branch in prop.get("anyOf", [prop]):
                if branch.get("type") == "string" and "contentSchema" not in branch:
                    branch["not"] = {"pattern": "%s|%s" % (_HYGIENE, _SCHEME_WORD)}
            for values in objects(prop):
                if values.get("type") == "string":
                    values["not"] = {"pattern": _HYGIENE}
    return schema


# Characters the validator's format limits refuse when the target OS is not known: NUL (no format
# carries it) and the controls XML 1.0 cannot hold (the plist and .mobileconfig).
UNCARRIED_CHARS = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]"
_NO_NUL = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]*$"


def _no_nul(node):
    """No string and no map key may hold a character the format limits refuse (NUL, XML-illegal
    controls); strings with an enum or a const already exclude them."""
    if isinstance(node, dict):
        for value in node.values():
            _no_nul(value)
        if node.get("type") == "string" and not any(k in node for k in ("enum", "const", "not")):
            node["not"] = {"pattern": UNCARRIED_CHARS}
        if node.get("type") == "object" and isinstance(node.get("additionalProperties"), dict) and "propertyNames" not in node:
            node["propertyNames"] = {"pattern": _NO_NUL}
    elif isinstance(node, list):
        for value in node:
            _no_nul(value)
    return node


# ---------------------------------------------------------------------------------------------
# Rules across keys, as data (issue 10 item 5). PROVIDERS is the per-provider matrix (required
# keys, credential kinds and the keys each reads, model discovery); RULES are the cross-key
# rules, each with its spec citation, the sentence it comes from and its severity. A rule the
# spec does not state is never an error. _validation runs them in one loop; rule_table() lists
# them for docs/conformance.md.
# ---------------------------------------------------------------------------------------------
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
# collection's one credential-name word list (module_utils/masking.py, issue 25).
from ansible_collections.aiohub.claude_desktop.plugins.module_utils.masking import CREDENTIAL_NAME_RE as _CREDENTIAL_HEADER_RE  # noqa: E402


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


@rule("provider-required", "§3.5, §1.8",
      "3P mode activates only when inferenceProvider is set and the required credential keys for that provider are present and "
      "valid; otherwise the app launches in standard (claude.ai) mode.", "error", [])
def _r_required(ctx):
    if not ctx.spec or _needs_bootstrap_note(ctx):
        return
    for key in ctx.spec["required"]:
        if not ctx.has(key):
            yield key, "is required for inferenceProvider %s (%s)" % (ctx.provider, ctx.spec["cite"]), "set %s" % key


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


@rule("helper-wins", "§1.6 rule 7", "if inferenceCredentialHelper is set, static credential fields (API key, bearer token) are ignored", "warning", [HELPER])
def _r_helper_wins(ctx):
    if not ctx.spec or ctx.kind or not ctx.has(HELPER):
        return
    static = ctx.spec["kinds"].get("static", ())
    for key in static:
        if key in ctx.c:
            yield key, "ignored because inferenceCredentialHelper is set (the helper always wins); drop it or set inferenceCredentialKind"


@rule("one-credential-source", "§3.3 Amazon Bedrock", "Supply region + exactly one credential source", "error", ["inferenceCredentialKind"])
def _r_one_source(ctx):
    if not ctx.spec or ctx.kind or not ctx.spec["exactly_one"]:
        return
    present = [k for k in ctx.sources() if k != "helper-script"]
    if len(present) > 1:
        yield ("inferenceCredentialKind", "several %s credential sources are set (%s); the order the app tries them changed between "
               "builds (§1.6 rule 7)" % (ctx.provider, ", ".join(present)), "keep exactly one, or set inferenceCredentialKind to choose")


@rule("several-sources", "§1.6 rule 7", "Setting inferenceCredentialKind removes the ambiguity (no fallback).", "warning", [])
def _r_several(ctx):
    if not ctx.spec or ctx.kind or ctx.spec["exactly_one"]:
        return
    present = [k for k in ctx.sources() if k != "helper-script"]
    if len(present) > 1:
        yield "inferenceCredentialKind", "several credential sources are set (%s); set inferenceCredentialKind to choose one" % ", ".join(present)


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


@rule("token-window", "§3.9", "inert unless inferenceTokenWindowHours also set", "warning", [])
def _r_token_window(ctx):
    if "inferenceMaxTokensPerWindow" in ctx.c and "inferenceTokenWindowHours" not in ctx.c:
        yield "inferenceMaxTokensPerWindow", "has no effect without inferenceTokenWindowHours (the cap is inert); set inferenceTokenWindowHours (1-720)"
    if "inferenceTokenWindowHours" in ctx.c and "inferenceMaxTokensPerWindow" not in ctx.c:
        yield "inferenceTokenWindowHours", "has no effect without inferenceMaxTokensPerWindow"


@rule("pricing-enabled", "§3.4", "the two keys below apply only when this is true", "warning", [])
def _r_pricing(ctx):
    if ctx.c.get("inferenceModelPricingEnabled") is not True:
        for key in ("inferenceModelPricingMultiplier", "inferenceModelPricing"):
            if key in ctx.c:
                yield key, "applies only when inferenceModelPricingEnabled is true"


@rule("subtitle-needs-name", "§3.9", "shown only with display name", "warning", [])
def _r_subtitle(ctx):
    if "deploymentDisplaySubtitle" in ctx.c and "deploymentDisplayName" not in ctx.c:
        yield "deploymentDisplaySubtitle", "shown only together with deploymentDisplayName"


@rule("one-tab-enabled", "§3.6 coworkTabEnabled", "at least one of Cowork/Code/Chat must stay enabled (else Cowork re-enabled with a warning)",
      "warning", [])
def _r_tabs(ctx):
    c = ctx.c
    if c.get("coworkTabEnabled") is False and c.get("isClaudeCodeForDesktopEnabled") is False and not c.get("chatTabEnabled"):
        yield "coworkTabEnabled", "Cowork, Code and Chat are all disabled; the app re-enables Cowork with a warning. Enable one of the tabs"


@rule("prefer-1m", "§3.4 modelPrefer1mContext", "start picker on the 1M variant of the default model", "warning", [])
def _r_prefer1m(ctx):
    models = ctx.c.get("inferenceModels")
    if ctx.c.get("modelPrefer1mContext") and isinstance(models, list) and models:
        first = models[0]
        if not isinstance(first, dict) or not first.get("supports1m"):
            yield "modelPrefer1mContext", "the default model (first inferenceModels entry) is not marked supports1m"


@rule("extension-default-changed", "§3.7, §8.10", "isDesktopExtensionEnabled default flipped to false in 1.19367.0", "warning", [])
def _r_dxt_default(ctx):
    if ctx.provider and "isDesktopExtensionEnabled" not in ctx.c and ctx.older_than("1.19367.0"):
        yield ("isDesktopExtensionEnabled", "not set; its default is true before 1.19367.0 and false from it, and the fleet's oldest build (%s) "
               "is older, so set it explicitly" % ctx.min_version)


@rule("pac-wins", "§3.6", "PAC URL; wins over egressProxyUrl", "warning", [])
def _r_pac(ctx):
    if "egressProxyUrl" in ctx.c and "egressProxyPacUrl" in ctx.c:
        yield "egressProxyUrl", "ignored because egressProxyPacUrl is set (the PAC URL wins)"


@rule("bootstrap-keys-need-url", "§3.10", "HTTPS endpoint returning per-user JSON overlay; setting it enables bootstrap", "warning", [])
def _r_bootstrap(ctx):
    if "bootstrapUrl" not in ctx.c:
        for key in ("bootstrapOidc", "bootstrapHeaders", "bootstrapHeadersHelper", "bootstrapEnabled", "trustBootstrapDelivery"):
            if key in ctx.c:
                yield key, "has no effect without bootstrapUrl"


@rule("vertex-no-tool-search", "§3.3 Google Vertex AI", "Do not set toolSearchEnabled on Vertex (Vertex rejects the tool-search beta header).",
      "error", ["toolSearchEnabled"])
def _r_vertex_tool_search(ctx):
    if ctx.provider == "vertex" and ctx.c.get("toolSearchEnabled") is True:
        yield "toolSearchEnabled", "must not be enabled on Vertex (Vertex rejects the tool-search beta header)", "remove it or set false"


@rule("vertex-workforce-kind", "§3.13", "interactive + inferenceVertexWorkforceAudience deprecated → workforce", "error", ["inferenceCredentialKind"])
def _r_vertex_workforce(ctx):
    if ctx.provider == "vertex" and ctx.kind == "interactive" and "inferenceVertexWorkforceAudience" in ctx.c:
        yield ("inferenceCredentialKind", "interactive with inferenceVertexWorkforceAudience was removed after the 2026-10-07 cut-off", "use workforce")


@rule("vertex-file-disables-sign-in", "§3.3 Google Vertex AI", "if set, Google sign-in is disabled", "warning", [])
def _r_vertex_file(ctx):
    if ctx.provider == "vertex" and ctx.has("inferenceVertexCredentialsFile") and "inferenceVertexOAuthClientId" in ctx.c:
        yield "inferenceVertexOAuthClientId", "has no effect: inferenceVertexCredentialsFile is set, which disables Google sign-in"


@rule("workforce-needs-oidc", "§3.3 Google Vertex AI", "workforce-pool provider audience → own IdP + GCP STS exchange",
      "warning", [])
def _r_workforce_oidc(ctx):
    if ctx.provider == "vertex" and ctx.chosen() == "workforce" and "inferenceVertexWorkforceOidc" not in ctx.c:
        yield "inferenceVertexWorkforceOidc", "not set: workforce sign-in goes through your own IdP, whose OIDC client this key describes"


@rule("bedrock-sso-together", "§3.3 Amazon Bedrock", "all four SSO keys together", "error", [])
def _r_sso(ctx):
    if ctx.provider != "bedrock":
        return
    sso = [k for k in BEDROCK_SSO if k in ctx.c]
    if sso and len(sso) != len(BEDROCK_SSO):
        yield ("inferenceBedrockSsoStartUrl", "AWS sign-in needs all four SSO keys together",
               "set %s" % ", ".join(k for k in BEDROCK_SSO if k not in ctx.c))


@rule("foundry-entra-pair", "§3.5", "static key (or helper / Entra sign-in)", "warning", [])
def _r_foundry_pair(ctx):
    if ctx.provider != "foundry":
        return
    entra = [k for k in ("inferenceFoundryTenantId", "inferenceFoundryClientId") if k in ctx.c]
    if len(entra) == 1 and ctx.chosen():
        yield entra[0], "Entra sign-in uses inferenceFoundryTenantId and inferenceFoundryClientId together; with one of them it is not offered"


@rule("gateway-oidc-needs-interactive", "§3.3 LLM gateway", "SSO = inferenceCredentialKind: interactive and inferenceGatewayOidc", "warning", [])
def _r_gateway_oidc(ctx):
    if ctx.provider == "gateway" and "inferenceGatewayOidc" in ctx.c and ctx.kind != "interactive":
        yield "inferenceGatewayOidc", "used only with inferenceCredentialKind: interactive"


@rule("placeholder-key", "§3.3 LLM gateway", "Cannot be empty: if the gateway authenticates by network identity, set a placeholder", "warning", [])
def _r_placeholder(ctx):
    if ctx.provider == "gateway" and ctx.c.get("inferenceGatewayApiKey") in ("sk-your-api-key", "sk-xxx", "YOUR_API_KEY"):
        yield "inferenceGatewayApiKey", "looks like the setup guide's placeholder, not a real key"


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


@rule("version-gate-breaks-connection", "§3.3 LLM gateway",
      "builds before 2.7032.0 only understand the old spelling (an unknown kind shows \"Connection needs Credential kind\")",
      "error", ["inferenceCredentialKind"])
def _r_gate_connection(ctx):
    """An error only where the spec says what older builds then do; other gated keys are warnings (_r_gate_credential)."""
    if ctx.kind in KIND_SINCE and ctx.older_than(KIND_SINCE[ctx.kind][0]):
        since, what = KIND_SINCE[ctx.kind]
        yield ("inferenceCredentialKind", "%s is first understood by %s, but the fleet's oldest build is %s: %s"
               % (ctx.kind, since, ctx.min_version, what), "raise claude_desktop_min_app_version once the fleet is on %s, or use another kind" % since)


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


OIDC_KEYS = ("inferenceGatewayOidc", "inferenceIdpOidc", "inferenceVertexWorkforceOidc", "bootstrapOidc")


@rule("oidc-urls-beside-issuer", "§3.3 inferenceGatewayOidc fields", "HTTPS; used together when no discovery; ignored if issuer set", "warning", [])
def _r_oidc_urls(ctx):
    for key in OIDC_KEYS:
        oidc = ctx.c.get(key)
        if isinstance(oidc, dict) and oidc.get("issuer") and (oidc.get("authorizationUrl") or oidc.get("tokenUrl")):
            yield key, "authorizationUrl/tokenUrl are ignored because issuer is set; drop them, or drop issuer to use them"


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


@rule("app-behaviour-history", "§1.6 rule 2", "History: in 1.5354.0 and 1.9659.1 a profile containing only disableAutoUpdates still locked the "
      "whole 3P UI.", "warning", [])
def _r_app_behaviour_history(ctx):
    c = ctx.c
    catalog = key_catalog()
    if c and "inferenceProvider" not in c and all(catalog.get(k, {}).get("app_behaviour") for k in c) and ctx.older_than("1.9659.2"):
        yield (sorted(c)[0], "on builds up to 1.9659.1 (the fleet's oldest is %s) a profile with only app-behaviour keys still locks the whole "
               "third-party UI (it makes the device managed); deliver the full configuration, or raise claude_desktop_min_app_version" % ctx.min_version)


def nested_since(key, value):
    """(path, since) of every nested field or value in ``value`` first honoured later than its key (x-since /
    x-value-since on the nested models' fields), e.g. ("inferenceModels[0].prefer1m", "1.21459.0")."""
    field = EnterpriseConfig.model_fields.get(key)
    if field is None:
        return []
    found = []

    def walk(models, val, path):
        if isinstance(val, list):
            for i, item in enumerate(val):
                walk(models, item, "%s[%d]" % (path, i))
            return
        if not isinstance(val, dict):
            return
        model = next((mdl for mdl in models if set(val) <= set(mdl.model_fields)), None)
        if model is None:
            return
        for name, sub in model.model_fields.items():
            if name not in val:
                continue
            extra = sub.json_schema_extra or {}
            if extra.get("x-since"):
                found.append(("%s.%s" % (path, name), extra["x-since"]))
            since = (extra.get("x-value-since") or {}).get(val[name]) if isinstance(val[name], str) else None
            if since:
                found.append(("%s.%s=%s" % (path, name, val[name]), since))
            walk(_models_in(sub.annotation), val[name], "%s.%s" % (path, name))

    walk(_models_in(field.annotation), value, key)
    return found


@rule("vertex-oauth-pair", "§3.3 Google Vertex AI", "paired secret (Google treats installed-app secrets as non-confidential)", "warning", [])
def _r_vertex_secret(ctx):
    if "inferenceVertexOAuthClientSecret" in ctx.c and "inferenceVertexOAuthClientId" not in ctx.c:
        yield "inferenceVertexOAuthClientSecret", "has no effect without inferenceVertexOAuthClientId, the OAuth client it pairs with"


@rule("code-execution-needs-bash", "§3.6 chatCodeExecutionEnabled", "code execution in Chat; forced off if Bash disabled", "warning", [])
def _r_code_exec(ctx):
    tools = ctx.c.get("disabledBuiltinTools")
    if ctx.c.get("chatCodeExecutionEnabled") is True and isinstance(tools, list) and "Bash" in tools:
        yield "chatCodeExecutionEnabled", "forced off because disabledBuiltinTools disables Bash"


@rule("otlp-helper-wins", "§3.8 otlpHeadersHelper", "absolute path; JSON header object; wins over static headers", "warning", [])
def _r_otlp_helper(ctx):
    if "otlpHeaders" in ctx.c and ctx.has("otlpHeadersHelper"):
        yield "otlpHeaders", "ignored because otlpHeadersHelper is set (the helper wins over static headers)"


@rule("managed-server-wins", "§3.7 orgPluginSettings", "A managedMcpServers entry with the same name wins.", "warning", [])
def _r_managed_wins(ctx):
    servers, settings = ctx.c.get("managedMcpServers"), ctx.c.get("orgPluginSettings")
    if isinstance(servers, list) and isinstance(settings, list):
        names = set(s.get("name") for s in servers if isinstance(s, dict))
        clash = sorted(set(p.get("serverName") for p in settings if isinstance(p, dict)) & names)
        if clash:
            yield "orgPluginSettings", "settings for %s have no effect: a managedMcpServers entry with the same name wins" % ", ".join(clash)


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
