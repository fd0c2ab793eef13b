# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Validate an enterpriseConfig: field rules (the model), cross-key rules (this module).

PRIVATE, controller-only. ``validate_config`` never raises for bad input: it returns every
problem at once, each naming the key path, the rule and the fix, with secrets masked.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._catalog import (
    FIRST_PARTY_ONLY_KEYS, KNOWN_MISTAKES, _models_in, is_unverified_key, key_catalog, nested_secret_paths, nested_since, removed_keys)
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._checks import HAS_PYDANTIC, INVISIBLE_CHARS, SCHEME_PREFIX, XML_UNSAFE_CHARS
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._rules import INVALID, PROVIDERS, RULES, RuleContext
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import is_secret_key, mask_config, scrub, secret_values


if HAS_PYDANTIC:
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._model import EnterpriseConfig

_VERSION_RE = re.compile(r"^\d+(\.\d+){1,3}$")
_UNION_TAGS = ("str", "obj", "bool")
TARGET_OSES = ("macos", "windows", "linux")


class Problem(object):
    """One reason a config is invalid."""

    def __init__(self, key, rule, fix):
        self.key = key
        self.rule = rule
        self.fix = fix

    def as_dict(self):
        return {"key": self.key, "rule": self.rule, "fix": self.fix}

    def __str__(self):
        fix = self.fix if self.fix.endswith(("?", ".")) else self.fix + "."
        return "%s: %s. Fix: %s" % (self.key, self.rule.rstrip("."), fix)


class ValidationResult(object):
    """Outcome of validate_config: the normalized config (native types, sorted), problems, warnings."""

    def __init__(self, config, problems, warnings, secrets):
        self.config = config
        self.problems = problems
        self.warnings = warnings
        self.secrets = secrets

    @property
    def ok(self):
        return not self.problems

    @property
    def masked_config(self):
        return mask_config(self.config)

    def masked_warnings(self):
        return scrub(list(self.warnings), self.secrets)

    def masked_problems(self):
        return [scrub(p.as_dict(), self.secrets) for p in self.problems]

    def error_message(self, host=None):
        where = " for host %r" % host if host else ""
        count = len(self.problems)
        lines = ["Invalid Claude Desktop enterpriseConfig%s (%d problem%s):" % (where, count, "" if count == 1 else "s")]
        lines.extend("  - %s" % p for p in self.problems)
        return scrub("\n".join(lines), self.secrets)


class ConfigValidationError(Exception):
    def __init__(self, result, host=None):
        self.result = result
        super(ConfigValidationError, self).__init__(result.error_message(host))


def parse_version(text):
    """'1.2581.0' -> (1, 2581, 0); 'base' -> (0,). The 2.x series is later than every 1.x build."""
    if text in (None, "base"):
        return (0,)
    return tuple(int(p) for p in str(text).split("."))


def _first_word(name):
    match = re.match(r"[a-z]+|[A-Z][a-z]*", name)
    return match.group(0).lower() if match else name.lower()


def suggest(name, candidates):
    """A close match in the same area only (issue 15): same first word (inference..., cowork...), or a very close spelling.

    No ``toolSearchEnabled`` for ``coworkWebSearchEnabled``: a different area and not a typo.
    """
    lowered = {c.lower(): c for c in candidates}
    if name.lower() in lowered:
        return lowered[name.lower()]
    for cand in difflib.get_close_matches(name, candidates, n=3, cutoff=0.85):
        if _first_word(cand) == _first_word(name) or difflib.SequenceMatcher(None, name, cand).ratio() >= 0.92:
            return cand
    return None


def _loc(loc):
    parts = []
    for item in loc:
        if isinstance(item, int):
            parts.append("[%d]" % item)
        elif item in _UNION_TAGS or "[" in str(item):
            continue
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts) or "config"


def _model_at(loc):
    """The nested model whose field list an error location points into (for same-area suggestions)."""
    model = EnterpriseConfig
    for item in loc[:-1]:
        if isinstance(item, int) or item in _UNION_TAGS:
            continue
        field = model.model_fields.get(item) if model is not None else None
        inner = _models_in(field.annotation) if field else []
        model = inner[0] if inner else None
    return model


def _pydantic_problem(err):
    kind = err["type"]
    ctx = err.get("ctx") or {}
    key = _loc(err["loc"])
    if kind == "claude_desktop":
        return Problem(key, ctx["rule"], ctx["fix"])
    if kind == "extra_forbidden":
        field = str(err["loc"][-1])
        model = _model_at(err["loc"])
        hint = suggest(field, list(model.model_fields)) if model else None
        return Problem(key, "unknown field", "did you mean %r?" % hint if hint else "remove it (see docs/keys.md for the fields)")
    if kind == "literal_error":
        return _choice_problem(key, err, ctx.get("expected", ""))
    if kind == "missing":
        return Problem(key, "is required", "add %s" % err["loc"][-1])
    if kind in ("union_tag_not_found", "union_tag_invalid"):
        return Problem(key, "expected a string or an object", "write a plain string or a mapping")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return Problem(key, "expected an object (mapping)", "write a YAML mapping")
    if kind == "list_type":
        return Problem(key, "expected a list", "write a YAML list, e.g. [a, b]")
    bounds = {"greater_than_equal": "at least %s", "less_than_equal": "at most %s", "greater_than": "greater than %s", "less_than": "less than %s"}
    if kind in bounds:
        limit = next(iter(ctx.values()), "")
        return Problem(key, "must be %s" % (bounds[kind] % limit), "use a value %s" % (bounds[kind] % limit))
    if kind in ("string_too_long", "too_long"):
        return Problem(key, "is longer than %s characters" % ctx.get("max_length"), "shorten it")
    if kind in ("string_too_short", "too_short"):
        return Problem(key, "must not be empty", "give it a value, or remove the key")
    if kind == "string_pattern_mismatch":
        return Problem(key, "does not have the required format (%s)" % ctx.get("pattern", ""), "see docs/keys.md for the format")
    msg = err.get("msg", "is invalid")
    return Problem(key, msg[0].lower() + msg[1:], "use a value of the documented type and range (docs/keys.md)")


def _choice_problem(key, err, expected):
    """A value outside a fixed set: the value echoed (choice keys hold no secret) and the close choice suggested."""
    choices = re.findall(r"'((?:[^'\\]|\\.)*)'", str(expected))
    value = err.get("input")
    if not isinstance(value, str) or is_secret_key(str(err["loc"][0]) if err["loc"] else "") or len(value) > 80:
        return Problem(key, "must be one of %s" % expected, "use one of the listed values")
    lowered = {c.lower(): c for c in choices}
    close = lowered.get(value.strip().lower()) or next(iter(difflib.get_close_matches(value, choices, n=1, cutoff=0.6)), None)
    if close is None:
        close = next(iter(difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)), None)
        close = lowered.get(close) if close else None
    return Problem(key, "is %r; must be one of %s" % (value, expected),
                   "did you mean %r?" % close if close else "use one of the listed values")


def _field_validate(data, context):
    """Validate with the model; on errors, drop the failing keys and validate the rest. Returns (model, problems, failed keys)."""
    from pydantic import ValidationError

    problems = []
    try:
        return EnterpriseConfig.model_validate(data, context=context), problems, set()
    except ValidationError as exc:
        # the input is read only for a value outside a fixed set of choices (_choice_problem), never echoed otherwise
        errors = exc.errors(include_input=True, include_url=False)
    failed = set()
    for err in errors:
        problems.append(_pydantic_problem(err))
        if err["loc"]:
            failed.add(err["loc"][0])
    rest = {k: v for k, v in data.items() if k not in failed}
    del context["warnings"][:]  # the second pass gives the warnings of the valid keys again
    return EnterpriseConfig.model_validate(rest, context=context), problems, failed


def _run_rules(view, failed, min_version, target_os, problems, warnings):
    """Every cross-key rule of the model's table, in order. A rule whose keys failed their field check is skipped,
    and no rule reports a key that already has a problem: one message per cause. Returns the keys the version-gate
    rules reported (the generic "first honoured by" warning is then not given for them)."""
    ctx = RuleContext(view, min_version=min_version, target_os=target_os, parse_version=parse_version)
    gated = set()
    for rule in RULES:
        if failed.intersection(rule.keys):
            continue
        for finding in rule.check(ctx) or ():
            key = finding[0]
            if key in failed:
                continue
            if rule.id.startswith("version-gate"):
                gated.add(key)
            if rule.severity == "error" and len(finding) == 3:
                problems.append(Problem(key, finding[1], finding[2]))
                failed = failed | {key}
            else:
                text = finding[1] if len(finding) == 2 else "%s (%s)" % (finding[1], finding[2])
                warnings.append("%s: %s" % (key, text))
    return gated


def _version_gates(c, min_version, warnings, reported):
    """Keys first honoured after the fleet's oldest build: a warning (the connection-breaking ones are rules)."""
    catalog = key_catalog()
    floor = parse_version(min_version)
    for key in c:
        since = catalog.get(key, {}).get("since", "base")
        if key in reported:
            continue
        if parse_version(since) > floor:
            warnings.append("%s: first honoured by Claude Desktop %s; builds from %s ignore it" % (key, since, min_version))
            continue
        for path, inner in nested_since(key, c[key]):
            if parse_version(inner) > floor:
                warnings.append("%s: %s is first honoured by Claude Desktop %s; builds from %s ignore it" % (key, path, inner, min_version))


def _renamed_old_name(key, value, min_app_version, warnings, problems, passthrough):
    """An old key name: accepted (with a warning) while the fleet's oldest build predates the rename, else an error."""
    new, why, build = removed_keys()[key]
    if new and build and min_app_version and parse_version(min_app_version) < parse_version(build):
        legacy_headers = key == "inferenceGatewayHeaders" and isinstance(value, (list, str))  # its documented form then (§3.1)
        try:
            if not legacy_headers:
                EnterpriseConfig.model_validate({new: value})
        except Exception:  # noqa: BLE001 - reported under the old name, without the value
            problems.append(Problem(key, "is not a valid value for %s (its new name)" % new, "see %s in docs/keys.md" % new))
            return
        passthrough[key] = value
        warnings.append(
            "%s: renamed to %s in %s; builds before %s (the fleet's oldest is %s) read only the old name, newer builds only the new one: "
            "set both until the fleet is on %s" % (key, new, build, build, min_app_version, build)
        )
        return
    problems.append(Problem(key, "is no longer honoured (%s)" % why, "use %s instead" % new if new else "remove it"))


def _unknown_key(key, fields, problems, typo_targets):
    if key in KNOWN_MISTAKES:
        cite, fix = KNOWN_MISTAKES[key]
        problems.append(Problem(key, "is not a key of the app (%s)" % cite, fix))
        return
    hint = suggest(key, list(fields))
    if hint:
        typo_targets.add(hint)
    problems.append(Problem(
        key or "(empty key name)", "unknown key",
        "did you mean %r?" % hint if hint else "remove it, check the spelling against docs/keys.md, or list it in allow_unknown_keys",
    ))


def validate_config(config, min_app_version=None, allow_unknown_keys=False, target_os=None, os_paths=True):
    """Validate and normalize an enterpriseConfig. Returns a ValidationResult; never raises for bad input.

    ``allow_unknown_keys``: False (an unknown key is an error with a suggestion), True (pass every
    unknown key through unvalidated, with a warning) or a list of key names to pass through.
    ``min_app_version``: the fleet's oldest Claude Desktop build; version-range findings are given only
    when it is known. ``target_os`` (macos, windows, linux): enables the per-OS rules (broker sign-in, format limits and,
    with ``os_paths``, path-valued keys read by that OS's path rules); ``os_paths=False`` when the OS is only implied by
    a format (a .reg rendered beside other formats), not the host's.
    """
    if not HAS_PYDANTIC:
        raise ImportError("pydantic (v2) is required on the controller: pip install pydantic")
    problems, warnings = [], []
    if not isinstance(config, dict):
        return ValidationResult({}, [Problem("config", "expected a mapping of enterpriseConfig keys", "pass a dict")], [], [])
    secrets = secret_values(config)
    if min_app_version is not None and not _VERSION_RE.match(str(min_app_version)):
        problems.append(Problem("min_app_version", "is not a version such as 1.19367.0", "write the oldest Claude Desktop build in the fleet"))
        min_app_version = None
    if target_os is not None and target_os not in TARGET_OSES:
        problems.append(Problem("target_os", "must be one of %s" % ", ".join(TARGET_OSES), "pass the host's OS family"))
        target_os = None

    fields = EnterpriseConfig.model_fields
    removed = removed_keys()
    data, passthrough, typo_targets = {}, {}, set()
    for key in sorted(config, key=str):
        value = config[key]
        if value is None:
            continue  # null removes a key (e.g. a host dropping a team setting)
        allowed = allow_unknown_keys is True or (isinstance(allow_unknown_keys, (list, tuple, set)) and key in allow_unknown_keys)
        if not isinstance(key, str):
            problems.append(Problem(str(key), "key names must be strings", "quote the key"))
        elif key in fields:
            data[key] = value
        elif key in removed:
            _renamed_old_name(key, value, min_app_version, warnings, problems, passthrough)
        elif allowed:
            passthrough[key] = value
            warnings.append("%s: not a documented key; passed through unvalidated" % key)
        elif is_unverified_key(key):
            warnings.append("%s: seen only in third-party tooling and documented nowhere by Anthropic (spec §3.12); not deployed "
                            "(list it in allow_unknown_keys to deploy it anyway)" % key)
        elif key in FIRST_PARTY_ONLY_KEYS:
            warnings.append("%s: a first-party (standard Claude Desktop) key, ignored in third-party mode (spec §3.12, §1.6 rule 8); "
                            "not deployed (list it in allow_unknown_keys to deploy it anyway)" % key)
        else:
            _unknown_key(key, fields, problems, typo_targets)

    # the host's OS and the selected provider: path-valued fields are checked by that OS's rules, except the keys of
    # another provider, which the app ignores (spec §1.6 rule 6; issue 22)
    provider = data.get("inferenceProvider")
    context = {"warnings": [], "target_os": target_os if os_paths else None,
               "provider": provider if isinstance(provider, str) and provider in PROVIDERS else None}
    model, field_problems, failed = _field_validate(data, context)
    problems.extend(field_problems)
    warnings.extend(context["warnings"])
    normalized = model.model_dump(mode="json", exclude_none=True, warnings=False)  # a documented blank ("") in an integer key

    catalog = key_catalog()
    for key in normalized:
        if catalog[key]["deprecated"]:
            warnings.append("%s: %s" % (key, catalog[key]["deprecated"]))
    # failed keys are present but INVALID in the rules' view (one message per cause)
    view = dict(normalized)
    view.update((k, INVALID) for k in failed if k in data)
    reported = typo_targets | failed
    before = len(problems)
    gated = _run_rules(view, set(reported), min_app_version, target_os, problems, warnings)
    if min_app_version:
        _version_gates(normalized, min_app_version, warnings, reported | gated | set(p.key for p in problems[before:]))
    normalized.update(passthrough)
    normalized = dict(sorted(normalized.items()))
    problems.extend(credential_hygiene(normalized))
    flagged = set(p.key.split(".")[0].split("[")[0] for p in problems)
    problems.extend(p for p in _format_limits(normalized, target_os) if p.key.split(".")[0].split("[")[0] not in flagged)
    result = ValidationResult(normalized, problems, warnings, secrets)
    # messages are built without values; scrub once more in case a value was echoed anyway
    result.problems = [Problem(*scrub([p.key, p.rule, p.fix], secrets)) for p in problems]
    result.warnings = scrub(warnings, secrets)
    return result


def group_findings(per_host):
    """Group the findings of many hosts: each distinct message once, with the hosts it applies to.

    ``per_host``: {host: {"problems": [{"key", "rule", "fix"} or str, ...], "warnings": [str, ...]}} (the
    validate action's result per host). Returns a list of {"severity", "message", "hosts", "count"},
    errors first, then by descending host count and message, so validate.yml prints a finding shared
    by 500 hosts once ("... (500 hosts)") instead of 500 times.
    """
    groups = {}
    for host in sorted(per_host, key=str):
        found = per_host[host] or {}
        for severity, items in (("error", found.get("problems") or ()), ("warning", found.get("warnings") or ())):
            for item in items:
                if isinstance(item, dict):
                    text = "%s: %s. Fix: %s" % (item.get("key"), str(item.get("rule", "")).rstrip("."), item.get("fix"))
                else:
                    text = str(item)
                hosts = groups.setdefault((severity, text), [])
                if host not in hosts:
                    hosts.append(host)
    rows = [{"severity": sev, "message": text, "hosts": hosts, "count": len(hosts)} for (sev, text), hosts in groups.items()]
    rows.sort(key=lambda r: (r["severity"] != "error", -r["count"], r["message"]))
    return rows


# Characters XML 1.0 cannot hold at all, not even as a character reference (_checks.XML_UNSAFE_CHARS).
_XML_UNSAFE = re.compile("[%s]" % XML_UNSAFE_CHARS)


def _format_limits(config, target_os):
    """Values a target format cannot carry, so validation and rendering agree (issue 14 item 7):
    a NUL character in any string (plist XML 1.0 and REG_SZ cannot hold one), other control characters
    where a plist may be rendered (macOS, or an OS not yet known) and, for Windows,
    what a registry REG_SZ value cannot carry (registry_value_problems: line breaks and NUL in
    the string each key is written as; lists and objects are JSON, where they are escaped)."""
    out = []
    xml = target_os in (None, "macos")  # the plist and .mobileconfig are rendered unless the OS is known not to be macOS
    stack = list(config.items())
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(("%s.%s" % (path, k), v) for k, v in value.items())
            if any(isinstance(k, str) and "\x00" in k for k in value):
                out.append(Problem(path, "has a key name with a NUL character, which no target format can carry", "remove the NUL character"))
            elif xml and any(isinstance(k, str) and _XML_UNSAFE.search(k) for k in value):
                out.append(Problem(path, "has a key name with a control character or non-character, which a macOS plist (XML 1.0) "
                                   "cannot carry", "remove the character"))
        elif isinstance(value, list):
            stack.extend(("%s[%d]" % (path, i), v) for i, v in enumerate(value))
        elif isinstance(value, str) and "\x00" in value:
            out.append(Problem(path, "holds a NUL character, which no target format can carry (plist XML, .reg REG_SZ)",
                               "remove the NUL character"))
        elif xml and isinstance(value, str) and _XML_UNSAFE.search(value):
            char = ord(_XML_UNSAFE.search(value).group(0))
            what = "non-character" if char >= 0xFFFE else "control character"
            out.append(Problem(path, "holds the %s U+%04X, which a macOS plist or profile (XML 1.0) cannot carry" % (what, char),
                               "remove the %s" % what))
    if target_os == "windows":
        flagged = set(p.key for p in out)
        out.extend(p for p in registry_value_problems(config) if p.key not in flagged)
    return sorted(out, key=lambda p: p.key)


def require_valid(config, host=None, **kwargs):
    result = validate_config(config, **kwargs)
    if not result.ok:
        raise ConfigValidationError(result, host)
    return result


# Characters a registry string cannot carry as written: REG_SZ data ends at the first NUL, and a
# .reg file is line-based, so a line break or a Unicode line/paragraph separator splits the value.
_REGISTRY_UNSAFE = {"\x00": "a NUL character (U+0000)", "\r": "a carriage return (U+000D)", "\n": "a line feed (U+000A)",
                    "\u2028": "a line separator (U+2028)", "\u2029": "a paragraph separator (U+2029)"}


def registry_value_problems(config):
    """Problems for values that cannot reach the Windows registry intact (registry targets only).

    Checks the string each key is written as (spec §2.1: plain strings, compact JSON for arrays and
    objects), so a control character inside JSON, which is escaped there, is fine.
    """
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import managed_values

    problems = []
    for key, text in managed_values(config).items():
        found = [what for char, what in _REGISTRY_UNSAFE.items() if char in text or char in key]
        if found:
            problems.append(Problem(key, "contains %s, which a registry REG_SZ value (and a .reg file) cannot carry" % " and ".join(found),
                                    "remove the character or write the text on one line"))
    return problems


# ---------------------------------------------------------------------------------------------
# Credential and header hygiene (issue 21 item 6). The app sends a key verbatim after its own
# "Authorization: Bearer " or "x-api-key: " (spec §3.3 inferenceGatewayAuthScheme, §5), and the
# values of a header map verbatim as header values. Whitespace and control characters: OUR rule
# (the spec says nothing about them): a value sent verbatim in an HTTP header cannot carry a line
# break, and a space or newline around a key (`echo ... | ansible-vault encrypt_string`) makes the
# gateway refuse it. The values checked are those the model marks x-secret (key_catalog,
# nested_secret_paths): a string field is a credential, a mapping field holds header or
# environment values.
# ---------------------------------------------------------------------------------------------
_CHAR_NAMES = {"\n": "a line feed", "\r": "a carriage return", "\t": "a tab", " ": "a space", "\u00a0": "a no-break space",
               "\ufeff": "a byte-order mark", "\u200b": "a zero-width space", "\u2028": "a line separator", "\u2029": "a paragraph separator"}
# A scheme word or a header name pasted in front of the key: the app adds its own.
_SCHEME_RE = re.compile(SCHEME_PREFIX)
_INVISIBLE_RE = re.compile("[%s]" % INVISIBLE_CHARS)
_SENT = {"credential": "a key or token is sent verbatim in an HTTP header (after `Authorization: Bearer ` or `x-api-key: `)",
         "header": "a header value is sent verbatim in an HTTP header",
         "env": "an environment value is passed verbatim to the server process"}
_VAULT_FIX = ("re-create it without the newline: printf '%s' 'THE-KEY' | ansible-vault encrypt_string --stdin-name NAME "
              "(echo adds a newline; so does an editor's final line break in a file)")


def _char_name(char):
    name = _CHAR_NAMES.get(char)
    if name is None:
        name = "the control character" if unicodedata.category(char) == "Cc" else "the invisible character"
    return "%s (U+%04X)" % (name, ord(char))


def _bad_char(char):
    return bool(_INVISIBLE_RE.match(char))


def _secret_leaves(config):
    """(path, value, kind) for every string the model marks secret: kind "credential" for a string
    field (an API key, token or client secret), "header" or "env" for a value inside such a map."""
    catalog = key_catalog()
    nested = nested_secret_paths()

    def leaves(path, value, kind):
        if isinstance(value, str):
            yield path, value, kind
        elif isinstance(value, dict):
            for name in sorted(value, key=str):
                yield from leaves("%s.%s" % (path, name), value[name], "header" if kind == "credential" else kind)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield from leaves("%s[%d]" % (path, i), item, kind)

    def at(path, value, fields):
        if isinstance(value, list):
            for i, item in enumerate(value):
                yield from at("%s[%d]" % (path, i), item, fields)
        elif isinstance(value, dict) and fields[0] in value:
            inner = "%s.%s" % (path, fields[0])
            if len(fields) == 1:
                yield from leaves(inner, value[fields[0]], "env" if fields[0] == "env" else "credential")
            else:
                yield from at(inner, value[fields[0]], fields[1:])

    for key in sorted(config):
        value = config[key]
        if catalog.get(key, {}).get("secret"):
            yield from leaves(key, value, "credential")
        for fields in nested.get(key, ()):
            yield from at(key, value, fields)


def credential_hygiene(config):
    """Problems of credential and header values: surrounding whitespace, control or invisible
    characters anywhere, a scheme word ("Bearer ", "Basic ") or header name in front of a key.
    Names the key path, never the value."""
    out = []
    for path, value, kind in _secret_leaves(config):
        if not value:
            continue  # an empty key has its own rule
        what = _SENT[kind]
        first, last = 0, len(value)
        while first < last and (value[first].isspace() or _bad_char(value[first])):
            first += 1
        while last > first and (value[last - 1].isspace() or _bad_char(value[last - 1])):
            last -= 1
        inner = [c for c in value[first:last] if _bad_char(c)]
        if first or last < len(value):
            where = []
            if first:
                where.append("starts with %s" % _char_name(value[0]))
            if last < len(value) and (last > 0 or len(value) > 1):
                where.append("ends with %s" % _char_name(value[-1]))
            fix = _VAULT_FIX if value[-1] in "\r\n" else "remove the surrounding whitespace (the app sends the value verbatim)"
            out.append(Problem(path, "%s: %s, so the other side would not recognise it (the collection's rule; the spec says "
                                     "nothing about whitespace)" % (" and ".join(where), what), fix))
        elif inner:
            out.append(Problem(path, "contains %s: %s, which cannot carry it (the collection's rule; the spec says nothing "
                                     "about it)" % (_char_name(inner[0]), what), "remove the character (paste the value again, on one line)"))
        if kind == "credential":
            prefix = _SCHEME_RE.match(value).group(0).strip()
            if prefix:
                out.append(Problem(path, "starts with %r: the app adds the scheme itself (`Authorization: Bearer <key>` or "
                                         "`x-api-key: <key>`, spec §3.3 inferenceGatewayAuthScheme), so the gateway would "
                                         "receive 'Authorization: Bearer %s ...'" % (prefix, prefix),
                                   "set only the key itself, without %r in front" % prefix))
    return out
