"""The spec conformance table (tests/unit/spec_conformance.yml) run against the validator.

Every row is one rule of ../shared/spec/claude-desktop-3p.md, quoted verbatim, with configs the app
must accept and, where the rule rejects anything, configs it must reject. A row the validator
currently answers wrongly carries ``known_gap`` and is an xfail(strict=True): the moment the
validator is fixed the row passes, the xfail fails, and the mark must be removed.
"""

from __future__ import annotations

import os
import re

import pytest
import yaml

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _model
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import validate_config

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TABLE_PATH = os.path.join(HERE, "spec_conformance.yml")
SPEC_PATH = os.path.join(os.path.dirname(REPO), "shared", "spec", "claude-desktop-3p.md")


def load_table(path=TABLE_PATH):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


TABLE = load_table()
ROWS = TABLE["rules"]
BASES = TABLE["bases"]
EXPECTS = ("error", "warning", "flagged", "clean", "accept")


def case_config(row, case):
    """The case's config merged over its base (a null value removes a base key)."""
    base = case.get("base", row.get("base", "none"))
    config = dict(BASES[base])
    config.update(case["config"])
    return {k: v for k, v in config.items() if v is not None}


def case_names(row, case):
    names = case.get("names", row["keys"][0])
    return [names] if isinstance(names, str) else list(names)


def _word(name, text):
    return re.search(r"(?<![A-Za-z0-9_])%s(?![A-Za-z0-9_])" % re.escape(name), text) is not None


def _problem_names(problem, name):
    key = problem.key
    return key == name or key.startswith((name + ".", name + "[")) or _word(name, problem.rule) or _word(name, problem.fix)


def _encodings(result, spec):
    """Check the artifacts rendered from the validated config against the row's expectations."""
    import json
    import plistlib

    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _render

    failures = []
    rendered = {}
    if any(k in spec for k in ("plist",)):
        rendered["plist"] = plistlib.loads(_render.render_managed_plist(result.config))
    if any(k in spec for k in ("reg", "reg_text")):
        raw = _render.render_reg(result.config)
        rendered["reg_text"] = raw[2:].decode("utf-16-le")
        rendered["reg"] = _render.parse_reg(raw)[1]
    if any(k in spec for k in ("mobileconfig", "mobileconfig_text", "mobileconfig_profile")):
        raw = _render.render_mobileconfig(result.config)
        rendered["mobileconfig_text"] = raw.decode("utf-8")
        profile = plistlib.loads(raw)
        rendered["mobileconfig"] = profile["PayloadContent"][0]
        rendered["mobileconfig_profile"] = profile
    if "linux" in spec:
        rendered["linux"] = json.loads(_render.render_linux_json(result.config))
    for fmt, expected in spec.items():
        got = rendered[fmt]
        if fmt.endswith("_text"):
            for needle in expected:
                if needle not in got:
                    failures.append("%s lacks %r" % (fmt, needle))
        else:
            for key, value in expected.items():
                if key not in got or got[key] != value:
                    failures.append("%s[%s] is %r, expected %r" % (fmt, key, got.get(key, "<absent>"), value))
    return failures


def check_case(row, case):
    """'' when the validator answers the case as the row expects, else why not."""
    expect = case["expect"]
    config = case_config(row, case)
    version = case.get("min_app_version", row.get("min_app_version"))
    result = validate_config(config, min_app_version=version, target_os=case.get("target_os"))
    names = case_names(row, case)
    warns = [w for w in result.warnings if any(_word(n, w) for n in names)]
    errs = [p for p in result.problems if any(_problem_names(p, n) for n in names)]
    what = "%s (min_app_version=%s%s)" % (case["config"], version, ", target_os=%s" % case["target_os"] if case.get("target_os") else "")
    if expect == "error":
        if result.ok:
            return "%s: accepted, expected an error naming %s (warnings: %s)" % (what, names, result.warnings)
        if not errs:
            return "%s: errors name other keys: %s" % (what, [str(p) for p in result.problems])
    elif expect == "flagged":
        if result.ok and not warns:
            return "%s: accepted silently, expected an error or a warning naming %s" % (what, names)
        if not result.ok and not errs:
            return "%s: errors name other keys: %s" % (what, [str(p) for p in result.problems])
    else:
        if not result.ok:
            return "%s: rejected, expected %s: %s" % (what, expect, [str(p) for p in result.problems])
        if expect == "warning" and not warns:
            return "%s: accepted without a warning naming %s (warnings: %s)" % (what, names, result.warnings)
        if expect == "clean" and warns:
            return "%s: unexpected warning: %s" % (what, warns)
        if "encodings" in case:
            failures = _encodings(result, case["encodings"])
            if failures:
                return "%s: %s" % (what, "; ".join(failures))
    return ""


def _params():
    for row in ROWS:
        marks = []
        if row.get("known_gap"):
            marks.append(pytest.mark.xfail(reason=row["known_gap"], strict=True))
        yield pytest.param(row, id=row["id"], marks=marks)


@pytest.mark.parametrize("row", list(_params()))
def test_row(row):
    failures = [msg for msg in (check_case(row, case) for case in row["cases"]) if msg]
    assert not failures, "\n".join(["%s (spec §%s): %s" % (row["id"], row["section"], row["spec"])] + failures)


def _normalise(text):
    return re.sub(r"\s+", " ", text).strip()


def test_rows_are_well_formed():
    ids = [row["id"] for row in ROWS]
    assert len(ids) == len(set(ids)), sorted(set(i for i in ids if ids.count(i) > 1))
    fields = set(_model.EnterpriseConfig.model_fields)
    for row in ROWS:
        assert set(row) <= {"id", "section", "keys", "rule", "spec", "base", "cases", "known_gap", "min_app_version"}, row["id"]
        assert row["section"] and row["spec"] and row["rule"] and row["cases"], row["id"]
        assert row.get("base", "none") in BASES, row["id"]
        for case in row["cases"]:
            assert case["expect"] in EXPECTS, (row["id"], case)
            assert set(case) <= {"expect", "config", "names", "base", "min_app_version", "target_os", "note", "encodings"}, (row["id"], case)
            assert case.get("base", "none") in BASES, (row["id"], case)
        # a rule that rejects anything shows a config it rejects
        if row["rule"] in ("type", "enum", "range", "format", "url", "path", "required", "pairing", "credential matrix"):
            assert any(c["expect"] in ("error", "flagged") for c in row["cases"]), "%s has no rejected config" % row["id"]
        assert any(c["expect"] in ("clean", "accept", "warning") for c in row["cases"]), "%s has no accepted config" % row["id"]
    for name, base in BASES.items():
        assert set(base) <= fields, name


def test_every_model_key_has_a_row():
    covered = set(k for row in ROWS for k in row["keys"])
    missing = sorted(set(_model.EnterpriseConfig.model_fields) - covered)
    assert not missing, "keys of the model with no conformance row: %s" % ", ".join(missing)


def test_every_model_key_has_a_type_row():
    typed = set(k for row in ROWS if row["rule"] in ("type", "enum", "url", "path", "format") for k in row["keys"])
    missing = sorted(set(_model.EnterpriseConfig.model_fields) - typed)
    assert not missing, "keys of the model without a type row: %s" % ", ".join(missing)


def test_every_quote_is_in_the_spec():
    assert os.path.exists(SPEC_PATH), "the spec must sit at ../shared/spec beside the checkout (as in CI)"
    with open(SPEC_PATH, encoding="utf-8") as f:
        spec = _normalise(f.read())
    missing = []
    for row in ROWS:
        for part in row["spec"].split(" … "):
            if _normalise(part) not in spec:
                missing.append("%s: %r" % (row["id"], part))
    assert not missing, "quotes not found verbatim in the spec:\n" + "\n".join(missing)
