# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""JSON Schema of enterpriseConfig, generated from the model so that it accepts what the validator accepts.

PRIVATE, controller-only. Pydantic renders a field by its inner type, so ``Bool`` would become
``{"type": "boolean"}`` although the validator (like the app, spec §2.1) also takes the strings a
plist or registry value carries ("true", "0", "72"). This generator widens each coerced scalar by
the forms its coercion function accepts: booleans to true/false/1/0 and their strings, integers
to decimal strings within the same range, numbers to decimal strings. JSON-typed keys also accept
the JSON text a managed source carries (spec §1.4, §2.1): a string that opens with ``[`` or ``{``
(``contentMediaType`` application/json, with the native schema as ``contentSchema``).
"""

from __future__ import annotations

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._catalog import FIRST_PARTY_ONLY_KEYS, UNVERIFIED_KEY_PREFIXES, UNVERIFIED_KEYS, key_catalog
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._checks import (
    _HYGIENE, _NO_NUL, _SCHEME_WORD, HAS_PYDANTIC, UNCARRIED_CHARS, _blank_ok, _to_bool, _to_int, _to_number)

SCHEMA_ID = "https://github.com/aiohub/ansible-collection-claude-desktop/docs/schema/enterprise-config.schema.json"
_WS = r"\s*"
_BOOL_STRING = r"^\s*([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[01])\s*$"


def _same_length(low, high):
    """Regex for the decimal strings from ``low`` to ``high``, both of the same length."""
    if low == high:
        return low
    if len(low) == 1:
        return "[%s-%s]" % (low, high)
    if low[0] == high[0]:
        return low[0] + "(?:%s)" % _same_length(low[1:], high[1:])
    rest = len(low) - 1
    parts = [low[0] + "(?:%s)" % _same_length(low[1:], "9" * rest)]
    if int(high[0]) - int(low[0]) > 1:
        parts.append("[%d-%d][0-9]{%d}" % (int(low[0]) + 1, int(high[0]) - 1, rest))
    parts.append(high[0] + "(?:%s)" % _same_length("0" * rest, high[1:]))
    return "(?:%s)" % "|".join(parts)


def range_regex(low, high):
    """Regex (unanchored) for the integers low..high (high None: no bound) without leading zeros; low >= 0."""
    top = high if high is not None else 10 ** len(str(low)) - 1
    parts = []
    for length in range(len(str(low)), len(str(top)) + 1):
        a = low if length == len(str(low)) else 10 ** (length - 1)
        b = top if length == len(str(top)) else 10 ** length - 1
        if a <= b:
            parts.append(_same_length(str(a), str(b)))
    if high is None:
        parts.append("[1-9][0-9]{%d,}" % len(str(low)))
    return "(?:%s)" % "|".join(parts)


def int_string_pattern(low=None, high=None):
    """Decimal strings _checks._to_int turns into an integer within [low, high]."""
    if low is None or low < 0:
        if low is None and high is None:
            return r"^\s*-?[0-9]+\s*$"
        low = 0 if low is None else low  # negative ranges do not occur in the model; be conservative
    body = "0*" + range_regex(low, high)
    if low == 0:
        body = "(?:%s|-0+)" % body
    return "^" + _WS + body + _WS + "$"


def _number_string_pattern(schema):
    if schema.get("exclusiveMinimum") == 0:
        return r"^\s*\+?(?=[0.]*[1-9])([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$"
    if schema.get("minimum") == 0:
        return r"^\s*\+?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$"
    return r"^\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$"


if HAS_PYDANTIC:
    from pydantic.json_schema import GenerateJsonSchema

    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._model import EnterpriseConfig

    class ConfigJsonSchema(GenerateJsonSchema):
        """Renders the coerced scalars of the model with the string forms the validator accepts."""

        def str_schema(self, schema):
            out = super(ConfigJsonSchema, self).str_schema(schema)
            out["not"] = {"pattern": UNCARRIED_CHARS}  # what the validator's format limits refuse (NUL, XML-illegal controls)
            return out

        def function_before_schema(self, schema):
            inner = super(ConfigJsonSchema, self).function_before_schema(schema)
            function = schema.get("function", {}).get("function")
            if function is _to_bool:
                return {"anyOf": [{"type": "boolean"}, {"enum": [0, 1]}, {"type": "string", "pattern": _BOOL_STRING}]}
            if function is _to_int and inner.get("type") == "integer":
                low, high = inner.get("minimum"), inner.get("maximum")
                if "exclusiveMinimum" in inner:
                    low = inner["exclusiveMinimum"] + 1
                if "exclusiveMaximum" in inner:
                    high = inner["exclusiveMaximum"] - 1
                return {"anyOf": [inner, {"type": "string", "pattern": int_string_pattern(low, high)}]}
            if function is _to_number and inner.get("type") == "number":
                return {"anyOf": [inner, {"type": "string", "pattern": _number_string_pattern(inner)}]}
            return inner

        def function_wrap_schema(self, schema):
            inner = super(ConfigJsonSchema, self).function_wrap_schema(schema)
            if schema.get("function", {}).get("function") is _blank_ok:
                return {"anyOf": inner.get("anyOf", [inner]) + [{"const": ""}]}  # a documented blank value (x-blank)
            return inner


def _json_text_forms(schema, fields):
    """Top-level JSON-typed keys: also a JSON text in one string, as plist/registry values carry it."""
    for name, prop in schema["properties"].items():
        if fields.get(name) != "json":
            continue
        branches = prop.get("anyOf", [prop])
        native = [b for b in branches if b.get("type") != "null"]
        if len(native) != 1:
            continue
        opener = r"^\s*\[" if native[0].get("type") == "array" else r"^\s*\{"
        text = {"type": "string", "pattern": opener, "contentMediaType": "application/json", "contentSchema": native[0]}
        if "anyOf" in prop:
            prop["anyOf"] = [b for b in branches if b is not native[0]] + [native[0], text]
        else:
            new = {k: v for k, v in prop.items() if k in ("description", "title", "default") or k.startswith("x-")}
            new["anyOf"] = [{k: v for k, v in prop.items() if k not in new}, text]
            prop.clear()
            prop.update(new)


def _end_anchors(node):
    """A pattern's final ``$`` also matches before a trailing newline in Python's re (jsonschema's engine),
    unlike pydantic's and ECMA-262's; ``$(?!\\n)`` means the end of the string in all three."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str) and value.endswith("$") and not value.endswith("\\$"):
                node[key] = value + "(?!\\n)"
            else:
                _end_anchors(value)
    elif isinstance(node, list):
        for item in node:
            _end_anchors(item)


def _ignored_keys(schema):
    """Keys the validator accepts with a warning and does not deploy (spec §3.12): any value, marked deprecated."""
    why = [(FIRST_PARTY_ONLY_KEYS, "A first-party (standard Claude Desktop) key, ignored in third-party mode "
                                   "(spec §3.12, §1.6 rule 8); the collection warns and does not deploy it."),
           (UNVERIFIED_KEYS, "Seen only in third-party tooling, documented nowhere by Anthropic (spec §3.12); "
                             "the collection warns and does not deploy it unless listed in allow_unknown_keys.")]
    for keys, description in why:
        for key in keys:
            schema["properties"].setdefault(key, {"description": description, "deprecated": True, "x-ignored": True})
    for prefix in UNVERIFIED_KEY_PREFIXES:
        schema.setdefault("patternProperties", {})["^%s" % prefix] = {"description": why[1][1], "deprecated": True, "x-ignored": True}


def json_schema():
    """JSON Schema (draft 2020-12) of enterpriseConfig, for editors checking group_vars: what the validator accepts
    key by key, with the credential hygiene on every secret and no character the format limits refuse."""
    return _no_nul(_secret_hygiene(_generate()))


def _generate():
    """The schema pydantic renders with ConfigJsonSchema, widened by the JSON-text forms and the ignored keys."""
    schema = EnterpriseConfig.model_json_schema(schema_generator=ConfigJsonSchema)
    _json_text_forms(schema, {name: meta["kind"] for name, meta in key_catalog().items()})
    _ignored_keys(schema)
    _end_anchors(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    return schema


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
