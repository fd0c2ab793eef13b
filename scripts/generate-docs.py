"""Generate docs/schema/enterprise-config.schema.json and docs/keys.md from the model.

The model (plugins/plugin_utils/_model.py) is the single source of truth for keys; these files
are derived from it and a unit test fails when they are out of date. Run: make docs
"""

from __future__ import annotations

import json
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMA = os.path.join(REPO, "docs", "schema", "enterprise-config.schema.json")
KEYS_MD = os.path.join(REPO, "docs", "keys.md")
AREAS = [
    ("connection", "Connection and activation"), ("credential_helper", "Credential helper"),
    ("provider_gateway", "LLM gateway (inferenceProvider: gateway)"), ("provider_anthropic", "Anthropic API"),
    ("provider_bedrock", "Amazon Bedrock and Bedrock Mantle"), ("provider_vertex", "Google Vertex AI"),
    ("provider_foundry", "Microsoft Foundry"), ("models", "Models"), ("workspace", "Workspace, sandbox and egress"),
    ("mcp", "Connectors, MCP, extensions, plugins"), ("telemetry", "Telemetry, updates, lifecycle"),
    ("limits", "Limits and appearance"), ("bootstrap", "Bootstrap"), ("code", "Code surface"),
]


def _load_model():
    collections = os.path.join(REPO, "build", "collections")
    link = os.path.join(collections, "ansible_collections", "aiohub", "claude_desktop")
    if not os.path.exists(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(REPO, link)
    sys.path.insert(0, collections)
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _model

    return _model


def schema_text(model):
    return json.dumps(model.json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def keys_markdown(model):
    catalog = model.key_catalog()
    out = [
        "# enterpriseConfig key reference",
        "",
        "Generated from `plugins/plugin_utils/_model.py` by `scripts/generate-docs.py`; do not edit by hand.",
        "Types are the native types you write in inventory YAML. On macOS and Windows every value is",
        "delivered as a string (booleans `true`/`false`, integers in decimal, lists and objects as compact",
        "JSON); the collection encodes them. Keys marked secret are masked in every output.",
        "",
    ]
    for area, title in AREAS:
        keys = sorted(k for k, meta in catalog.items() if meta["area"] == area)
        if not keys:
            continue
        out += ["## %s" % title, "", "| Key | Type | Since | App default | Notes |", "|---|---|---|---|---|"]
        for key in keys:
            meta = catalog[key]
            notes = meta["description"]
            if meta["secret"]:
                notes += " **Secret.**"
            if meta["deprecated"]:
                notes += " Deprecated: %s." % meta["deprecated"]
            default = "" if meta["app_default"] is None else "`%s`" % json.dumps(meta["app_default"])
            out.append("| `%s` | %s | %s | %s | %s |" % (key, meta["kind"], meta["since"], default, notes.replace("|", "\\|")))
        out.append("")
    out += ["## Keys that are errors", "", "| Key | Use instead | Why |", "|---|---|---|"]
    for key, (new, why, _build) in sorted(model.removed_keys().items()):
        out.append("| `%s` | %s | %s |" % (key, "`%s`" % new if new else "(remove)", why))
    out.append("")
    return "\n".join(out)


def main():
    model = _load_model()
    check = "--check" in sys.argv
    stale = []
    for path, text in ((SCHEMA, schema_text(model)), (KEYS_MD, keys_markdown(model))):
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if current != text:
            stale.append(os.path.relpath(path, REPO))
            if not check:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
    if check and stale:
        print("out of date (run make docs): %s" % ", ".join(stale))
        return 1
    print("up to date" if not stale else "wrote %s" % ", ".join(stale))
    return 0


if __name__ == "__main__":
    sys.exit(main())
