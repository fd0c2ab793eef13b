# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Value checks and coercion of enterpriseConfig values: what one value must look like.

PRIVATE, controller-only. The scalar coercions (managed sources store every value as a string), the
URL, path, header-map and egress-entry checks, the per-OS path rules, the path marks and the fixed
vocabularies (built-in tools, family tiers, workspace variables) the model's fields and validators
use, and the credential-hygiene patterns the validator and the JSON Schema share. Nothing here
imports the model: _model builds on this module, never the reverse.
"""

from __future__ import annotations

import ipaddress
import ntpath
import posixpath
import re
import traceback
import typing as t
from urllib.parse import urlsplit

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import own_wording

PYDANTIC_IMPORT_ERROR = None
try:
    from pydantic import BaseModel, BeforeValidator, Discriminator, Tag
    from pydantic_core import PydanticCustomError
except ImportError:  # pragma: no cover - exercised by ansible-test's import sanity test
    PYDANTIC_IMPORT_ERROR = traceback.format_exc()
    HAS_PYDANTIC = False
else:
    HAS_PYDANTIC = True

PLACEHOLDER_ORG_UUID = "00000000-0000-4000-8000-000000000001"

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


def path_target_os(info, field=None):
    """The OS whose path rules apply to a path-valued field: the host's (validation context), except for a
    key of a provider other than the selected inferenceProvider, which the app ignores (spec §1.6 rule 6):
    no OS rule may fail the host for it, so it keeps the OS-neutral check.

    ``field``: the top-level field (its ``x-providers`` mark names the providers that read it; None for a
    nested field). The context's ``provider`` is the selected provider when it is a known one, else None
    (_validation sets it; an unknown provider is its own error, and then nothing is known to be ignored)."""
    context = info.context if info is not None and isinstance(info.context, dict) else {}
    target = context.get("target_os")
    if target not in PATH_OSES:
        return None
    provider = context.get("provider")
    providers = (field.json_schema_extra or {}).get("x-providers") if field is not None else None
    if provider and providers and provider not in providers:
        return None
    return target


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


def _blank_ok(value, handler):
    """Keep an empty string (a documented "blank" value) without the inner validation."""
    return "" if value == "" else handler(value)


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


# Characters XML 1.0 cannot hold (its Char production: the C0 controls but tab, LF and CR, and the
# non-characters U+FFFE and U+FFFF; plistlib writes the latter, and then no parser reads the file back).
XML_UNSAFE_CHARS = "\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff"
# Characters the validator's format limits refuse when the target OS is not known: NUL (no format
# carries it) and those XML 1.0 cannot hold (the plist and .mobileconfig).
UNCARRIED_CHARS = "[\\x00%s]" % XML_UNSAFE_CHARS
_NO_NUL = "^[^\\x00%s]*$" % XML_UNSAFE_CHARS
