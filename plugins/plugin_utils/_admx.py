# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ADMX / ADML administrative templates for Group Policy and Intune, generated from the model.

PRIVATE, controller-only. No official template exists for Claude Desktop; this one follows the
spec's registry rules (§1.3, §2.1): one policy per key, every value written directly under
SOFTWARE\\Policies\\Claude (never a sub-key) as REG_SZ (never REG_EXPAND_SZ or REG_DWORD), booleans
as the strings "true"/"false", integers as decimal strings (``decimal storeAsText``), enums as
drop-downs, JSON-typed keys as one compact-JSON text value. Secret keys (API keys, tokens, header
maps) have no policy: a GPO is readable by every domain user, so secrets go by another channel.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _render as r

ADMX_NAME = "ClaudeDesktop.admx"
ADML_NAME = "ClaudeDesktop.adml"
NAMESPACE = "AIOHub.Policies.ClaudeDesktop"
PREFIX = "claudedesktop"
SCHEMA_NS = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"
REVISION = "1.0"
TEXT_MAX_LENGTH = 32767
DECIMAL_MAX = 4294967295  # ADMX decimal values are unsigned 32-bit
ROOT_CATEGORY = "ClaudeDesktop"
SUPPORTED = "SUPPORTED_ClaudeDesktop3P"
# The model's areas, in reading order, with their titles (also the sections of docs/keys.md).
AREAS = (
    ("connection", "Connection and activation"), ("credential_helper", "Credential helper"),
    ("provider_gateway", "LLM gateway (inferenceProvider: gateway)"), ("provider_anthropic", "Anthropic API"),
    ("provider_bedrock", "Amazon Bedrock and Bedrock Mantle"), ("provider_vertex", "Google Vertex AI"),
    ("provider_foundry", "Microsoft Foundry"), ("models", "Models"), ("workspace", "Workspace, sandbox and egress"),
    ("mcp", "Connectors, MCP, extensions, plugins"), ("telemetry", "Telemetry, updates, lifecycle"),
    ("limits", "Limits and appearance"), ("bootstrap", "Bootstrap"), ("code", "Code surface"),
)
_AREA_TITLES = dict(AREAS)


def _scalar_schema(prop):
    """The non-null branch of an Optional property's JSON Schema."""
    branches = [b for b in prop.get("anyOf", [prop]) if b.get("type") != "null"]
    return branches[0] if len(branches) == 1 else {}


def policies(catalog, properties):
    """One policy description per non-secret key, sorted by key.

    ``catalog`` is _catalog.key_catalog(), ``properties`` the ``properties`` of _schema.json_schema().
    Each entry: key, element (boolean, enum, decimal, text), area, description, since, deprecated,
    and for enums ``items``, for decimals ``min``/``max``.
    """
    out = []
    for key in sorted(catalog):
        meta = catalog[key]
        if meta["secret"]:
            continue
        schema = _scalar_schema(properties.get(key, {}))
        entry = {"key": key, "area": meta["area"] or "connection", "description": meta["description"],
                 "since": meta["since"], "deprecated": meta["deprecated"], "kind": meta["kind"]}
        if meta["kind"] == "boolean":
            entry["element"] = "boolean"
        elif meta["kind"] == "string" and schema.get("enum"):
            entry["element"] = "enum"
            entry["items"] = [str(v) for v in schema["enum"]]
        elif meta["kind"] == "integer" and schema.get("minimum", 0) >= 0:
            entry["element"] = "decimal"
            entry["min"] = int(schema.get("minimum", 0))
            entry["max"] = int(min(schema.get("maximum", DECIMAL_MAX), DECIMAL_MAX))
        else:
            entry["element"] = "text"
        out.append(entry)
    return out


def _sub(parent, tag, **attrs):
    return ET.SubElement(parent, tag, attrs)


def _category(area):
    return "cat_" + area


def _explain(entry):
    parts = [entry["description"].strip()]
    if entry["kind"] == "json":
        parts.append("Enter the value as compact JSON on one line (for example [\"a\",\"b\"] or {\"k\":\"v\"}); "
                     "it is stored as one string.")
    elif entry["kind"] == "number":
        parts.append("Enter a decimal number, for example 1.5.")
    if entry["since"] and entry["since"] != "base":
        parts.append("Claude Desktop %s or later." % entry["since"])
    if entry["deprecated"]:
        parts.append("Deprecated: %s." % entry["deprecated"])
    parts.append("Writes the REG_SZ value %s directly under %s. Not configured: no value is written."
                 % (entry["key"], r.REGISTRY_KEY))
    return "\n\n".join(parts)


def _bytes(root):
    ET.indent(root, space="  ")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


def render_admx(entries):
    """The .admx (language-neutral definitions) for the given policy entries, as UTF-8 bytes."""
    root = ET.Element("policyDefinitions", {
        "xmlns:xsd": "http://www.w3.org/2001/XMLSchema", "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
        "revision": REVISION, "schemaVersion": "1.0", "xmlns": SCHEMA_NS})
    namespaces = _sub(root, "policyNamespaces")
    _sub(namespaces, "target", prefix=PREFIX, namespace=NAMESPACE)
    _sub(root, "resources", minRequiredRevision=REVISION)
    supported = _sub(_sub(root, "supportedOn"), "definitions")
    _sub(supported, "definition", name=SUPPORTED, displayName="$(string.%s)" % SUPPORTED)
    categories = _sub(root, "categories")
    _sub(categories, "category", name=ROOT_CATEGORY, displayName="$(string.%s)" % ROOT_CATEGORY)
    used = [area for area, _title in AREAS if any(e["area"] == area for e in entries)]
    used += sorted({e["area"] for e in entries} - set(used))
    for area in used:
        cat = _sub(categories, "category", name=_category(area), displayName="$(string.%s)" % _category(area))
        _sub(cat, "parentCategory", ref=ROOT_CATEGORY)
    defs = _sub(root, "policies")
    for entry in entries:
        key = entry["key"]
        attrs = {"name": key, "class": "Both", "displayName": "$(string.%s)" % key,
                 "explainText": "$(string.%s_Help)" % key, "key": r.REGISTRY_KEY}
        if entry["element"] == "boolean":
            attrs["valueName"] = key
        else:
            attrs["presentation"] = "$(presentation.%s)" % key
        policy = _sub(defs, "policy", **attrs)
        _sub(policy, "parentCategory", ref=_category(entry["area"]))
        _sub(policy, "supportedOn", ref=SUPPORTED)
        if entry["element"] == "boolean":
            _sub(_sub(policy, "enabledValue"), "string").text = "true"
            _sub(_sub(policy, "disabledValue"), "string").text = "false"
            continue
        elements = _sub(policy, "elements")
        if entry["element"] == "enum":
            enum = _sub(elements, "enum", id=key, valueName=key, required="true")
            for value in entry["items"]:
                item = _sub(enum, "item", displayName="$(string.%s_%s)" % (key, _item_id(value)))
                _sub(_sub(item, "value"), "string").text = value
        elif entry["element"] == "decimal":
            _sub(elements, "decimal", id=key, valueName=key, required="true", storeAsText="true",
                 minValue=str(entry["min"]), maxValue=str(entry["max"]))
        else:
            _sub(elements, "text", id=key, valueName=key, required="true", maxLength=str(TEXT_MAX_LENGTH))
    return _bytes(root)


def _item_id(value):
    return "".join(c if c.isalnum() else "_" for c in value)


def render_adml(entries):
    """The .adml (display strings and presentations) for the given entries, as UTF-8 bytes."""
    root = ET.Element("policyDefinitionResources", {
        "xmlns:xsd": "http://www.w3.org/2001/XMLSchema", "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
        "revision": REVISION, "schemaVersion": "1.0", "xmlns": SCHEMA_NS})
    _sub(root, "displayName").text = "Claude Desktop (third-party inference)"
    _sub(root, "description").text = ("Claude Desktop managed configuration (enterpriseConfig) for third-party "
                                      "inference, generated by aiohub.claude_desktop. Secret keys are not included.")
    resources = _sub(root, "resources")
    strings = _sub(resources, "stringTable")
    presentations = _sub(resources, "presentationTable")

    def string(sid, text):
        _sub(strings, "string", id=sid).text = text

    string(ROOT_CATEGORY, "Claude Desktop (third-party inference)")
    string(SUPPORTED, "Claude Desktop with third-party inference (Cowork on 3P)")
    for area in sorted({e["area"] for e in entries}):
        string(_category(area), _AREA_TITLES.get(area, area))
    for entry in entries:
        key = entry["key"]
        string(key, key)
        string(key + "_Help", _explain(entry))
        if entry["element"] == "boolean":
            continue
        pres = _sub(presentations, "presentation", id=key)
        if entry["element"] == "enum":
            for value in entry["items"]:
                string("%s_%s" % (key, _item_id(value)), value)
            box = _sub(pres, "dropdownList", refId=key, noSort="true")
            box.text = key
        elif entry["element"] == "decimal":
            _sub(pres, "decimalTextBox", refId=key).text = key
        else:
            _sub(_sub(pres, "textBox", refId=key), "label").text = key
    return _bytes(root)


def render_templates(catalog, properties):
    """{relative path: bytes} of the template pair, as Group Policy's PolicyDefinitions expects."""
    entries = policies(catalog, properties)
    return {ADMX_NAME: render_admx(entries), "en-US/" + ADML_NAME: render_adml(entries)}
