"""Generate docs/schema/enterprise-config.schema.json and docs/keys.md from the model, and
docs/conformance.md from the spec conformance table (tests/unit/spec_conformance.yml).

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
CONFORMANCE_MD = os.path.join(REPO, "docs", "conformance.md")
CONFORMANCE_TABLE = os.path.join(REPO, "tests", "unit", "spec_conformance.yml")
ANSWERS = {
    "error": "error naming %s",
    "warning": "accepted, with a warning naming %s",
    "flagged": "an error or a warning naming %s",
    "clean": "accepted, no warning on %s",
    "accept": "accepted",
}


def _load_model():
    """The modules the docs are generated from: the key catalog, the rules and the JSON Schema (all read from the model)."""
    collections = os.path.join(REPO, "build", "collections")
    link = os.path.join(collections, "ansible_collections", "aiohub", "claude_desktop")
    if not os.path.exists(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(REPO, link)
    sys.path.insert(0, collections)
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _catalog, _rules, _schema

    return _catalog, _rules, _schema


def _areas():
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._admx import AREAS

    return AREAS


def schema_text(schema):
    return json.dumps(schema.json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def keys_markdown(catalog_module, rules):
    catalog = catalog_module.key_catalog()
    out = [
        "# enterpriseConfig key reference",
        "",
        "Generated from `plugins/plugin_utils/_model.py` by `scripts/generate-docs.py`; do not edit by hand.",
        "Types are the native types you write in inventory YAML. On macOS and Windows every value is",
        "delivered as a string (booleans `true`/`false`, integers in decimal, lists and objects as compact",
        "JSON); the collection encodes them. Keys marked secret are masked in every output.",
        "",
    ]
    for area, title in _areas():
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
            if meta.get("providers"):
                notes += " Read by: %s." % ", ".join(meta["providers"])
            if meta.get("app_behaviour"):
                notes += " App-behaviour key (does not take ownership of the device)."
            if meta.get("renamed_from"):
                notes += " Renamed from `%s`%s." % (meta["renamed_from"]["key"], " in %s" % meta["renamed_from"]["in"] if meta["renamed_from"]["in"] else "")
            if meta.get("blank"):
                notes += " Blank: %s." % meta["blank"]
            default = "" if meta["app_default"] is None else "`%s`" % json.dumps(meta["app_default"])
            out.append("| `%s` | %s | %s | %s | %s |" % (key, meta["kind"], meta["since"], default, notes.replace("|", "\\|")))
        out.append("")
    out += ["## Keys that are errors", "", "An old name is accepted, with a warning, while `claude_desktop_min_app_version` is older than the rename.", "",
            "| Key | Use instead | Why |", "|---|---|---|"]
    for key, (new, why, _build) in sorted(catalog_module.removed_keys().items()):
        out.append("| `%s` | %s | %s |" % (key, "`%s`" % new if new else "(remove)", why))
    out += ["", "## Credential kinds per provider", "",
            "`inferenceCredentialKind` values each provider has and the keys each reads (all needed; \"when set, only that source is",
            "used (no fallback)\", spec §3.1). Unset, the app derives the kind from the keys present.", "",
            "| Provider | Always required | Kind: keys it reads | Model discovery with |", "|---|---|---|---|"]
    for name, spec in rules.PROVIDERS.items():
        kinds = "; ".join("%s: %s" % (k, ", ".join("`%s`" % x for x in keys) or "(no key)") for k, keys in spec["kinds"].items())
        out.append("| `%s` | %s | %s | %s |" % (
            name, ", ".join("`%s`" % k for k in spec["required"]) or "-", kinds,
            ", ".join(spec["discovery"]) or "(none: `inferenceModels` required)"))
    out += ["", "## Rules across keys", "", "Each rule as the validator runs it (`RULES` in `_rules.py`), with the spec sentence it comes from.", "",
            "| Rule | Severity | Spec | Sentence |", "|---|---|---|---|"]
    for rule in rules.RULES:
        out.append("| `%s` | %s | %s | %s |" % (rule.id, rule.severity, rule.cite, rule.quote.replace("|", "\\|")))
    out.append("")
    return "\n".join(out)


def _section_order(section):
    """'3.3 Amazon Bedrock' -> ((3, 3), ...): rows grouped by their first cited section, in spec order."""
    first = section.split(",")[0].strip()
    number = first.split(" ")[0]
    return tuple(int(p) for p in number.split(".") if p.isdigit()), first


def _cell(value):
    return json.dumps(value, ensure_ascii=False, sort_keys=False).replace("|", "\\|")


def _validator_rules(rules):
    """The validator's own rules as data (the provider matrix and the cross-key rules), with their citations."""
    rule_table = getattr(rules, "rule_table", None)
    if rule_table is None:
        return []
    out = ["## The validator's rules", "",
           "The cross-key rules and the per-provider credential matrix as the validator runs them (`_rules.RULES`,",
           "`_rules.PROVIDERS`), each with the spec section it cites. The rows below test them.", "",
           "| Rule | Cites | Severity | Keys | Rule sentence |", "|---|---|---|---|---|"]
    for row in rule_table():
        out.append("| `%s` | %s | %s | %s | %s |" % (
            row["id"], row["cite"], row["severity"], ", ".join("`%s`" % k for k in row["keys"]),
            row["quote"].replace("|", "\\|")))
    out.append("")
    return out


def conformance_markdown(table, rules=None):
    """docs/conformance.md: each rule, its spec sentence, example configs and the collection's answer."""
    rows = table["rules"]
    cases = sum(len(r["cases"]) for r in rows)
    keys = sorted(set(k for r in rows for k in r["keys"]))
    gaps = [r for r in rows if r.get("known_gap")]
    out = [
        "# Spec conformance",
        "",
        "Generated from `tests/unit/spec_conformance.yml` by `scripts/generate-docs.py`; do not edit by hand.",
        "Each row is one rule of the specification (`../shared/spec/claude-desktop-3p.md`), quoted verbatim,",
        "with configs the app must accept and configs it must reject, and the answer this collection gives.",
        "`tests/unit/test_spec_conformance.py` runs every row against the validator (`make test`); a row the",
        "validator still answers differently is listed with its known gap (a strict xfail, so the test fails",
        "as soon as the gap is closed and the mark is still there).",
        "",
        "%d rules, %d example configs, %d keys of the model covered; %d rules with a known gap." % (len(rows), cases, len(keys), len(gaps)),
        "",
        "Answers: *error* - the config is rejected and the error names the key; *warning* - accepted, a",
        "warning names the key; *error or warning* - the spec says the app drops or mishandles the value",
        "without saying it fails; *accepted, no warning* - a clean accept; *accepted* - accepted, warnings",
        "allowed (the spec states no rule that rejects it). A rule the spec does not state is never an error.",
        "",
        "The JSON Schema for editors (`docs/schema/enterprise-config.schema.json`) is generated from the same model",
        "and accepts what the validator accepts key by key - types, the string forms plist and registry values carry",
        "(`\"true\"`, `\"72\"`, JSON text), enums, ranges and patterns (`tests/unit/test_schema_agreement.py` checks",
        "both directions on 2,000 generated configs). URL, path and host-grammar rules and the cross-key rules",
        "below are the validator's alone.",
        "",
        "Each example config is merged over its base config:",
        "",
        "| Base | Config |",
        "|---|---|",
    ]
    for name, base in table["bases"].items():
        out.append("| `%s` | `%s` |" % (name, _cell(base)))
    out.append("")
    if gaps:
        out += ["## Known gaps", "", "| Rule | Section | What the validator does instead |", "|---|---|---|"]
        for row in gaps:
            out.append("| [`%s`](#%s) | %s | %s |" % (row["id"], row["id"].replace(".", "").lower(), row["section"],
                                                      row["known_gap"].replace("|", "\\|")))
        out.append("")
    out += _validator_rules(rules)
    groups = {}
    for row in rows:
        groups.setdefault(_section_order(row["section"]), []).append(row)
    for order in sorted(groups):
        out += ["## §%s" % order[1], ""]
        for row in groups[order]:
            out += ["### %s" % row["id"], "",
                    "*%s* rule, §%s, keys: %s" % (row["rule"], row["section"], ", ".join("`%s`" % k for k in row["keys"])), "",
                    "> %s" % row["spec"].replace("\n", " "), ""]
            if row.get("known_gap"):
                out += ["**Known gap:** %s" % row["known_gap"], ""]
            out += ["| Base | Config | Oldest build | Answer | Note |", "|---|---|---|---|---|"]
            for case in row["cases"]:
                names = case.get("names", row["keys"][0])
                names = ", ".join("`%s`" % n for n in ([names] if isinstance(names, str) else names))
                answer = ANSWERS[case["expect"]].replace("%s", names)
                note = str(case.get("note", ""))
                for fmt, expected in sorted(case.get("encodings", {}).items()):
                    note += "%s%s holds %s" % ("; " if note else "", fmt.replace("_text", " text"), _cell(expected).replace("`", "'"))
                version = case.get("min_app_version", row.get("min_app_version", ""))
                out.append("| %s | `%s` | %s | %s | %s |" % (
                    case.get("base", row.get("base", "none")), _cell(case["config"]),
                    version or "", answer, note.replace("|", "\\|").replace("\n", " ")))
            out.append("")
    return "\n".join(out)


def main():
    catalog, rules, schema = _load_model()
    check = "--check" in sys.argv
    stale = []
    import yaml

    with open(CONFORMANCE_TABLE, encoding="utf-8") as f:
        table = yaml.safe_load(f)
    for path, text in ((SCHEMA, schema_text(schema)), (KEYS_MD, keys_markdown(catalog, rules)), (CONFORMANCE_MD, conformance_markdown(table, rules))):
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
