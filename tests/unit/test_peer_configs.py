"""Issue 15: the 29 published configs of ../shared/peer-configs are a test.

Every file is read from ../shared/peer-configs (not copied): ``valid/`` must be accepted, ``invalid/``
rejected with an error naming ``expect``, and the fake secret (``7f3a9c1e-secret``) must appear in no
output. A new published sample is added by dropping its JSON into valid/ or invalid/; a warning the
README names for it can be listed in EXPECTED_WARNINGS. Verdicts are the spec's (README.md there).
"""

from __future__ import annotations

import glob
import json
import os

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import group_findings, validate_config

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(os.path.dirname(REPO), "shared", "peer-configs")
FAKE_SECRET = "7f3a9c1e-secret"
FILES = sorted(glob.glob(os.path.join(CORPUS, "valid", "*.json")) + glob.glob(os.path.join(CORPUS, "invalid", "*.json")))

# Warnings peer-configs/README.md names (file -> [(key the warning starts with, text it contains)]).
ALIASES = ("inferenceModels", "exact provider IDs")
DIRECTORY_KEY = ("isDesktopExtensionDirectoryEnabled", "ignored in third-party mode")
EXPECTED_WARNINGS = {
    "aws_1": [ALIASES],
    "aws_3": [DIRECTORY_KEY, ALIASES],
    "aws_4": [DIRECTORY_KEY, ALIASES],
    "aws_5": [DIRECTORY_KEY, ALIASES],
    "aws_11": [DIRECTORY_KEY, ALIASES],
    "privategpt_1": [("inferenceGatewayBaseUrl", "127.0.0.1")],
    "aiclient2api_3": [("inferenceModels", "not recognisably Claude")],
    "tfy_1": [("inferenceCustomHeaders", "inferenceCredentialHelper")],
    "tfy_2": [("inferenceCustomHeaders", "inferenceCredentialHelper")],
}


def _load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _everything(result):
    return json.dumps([result.error_message("host1"), [p.as_dict() for p in result.problems], result.warnings,
                       result.masked_config, result.masked_problems(), result.masked_warnings()])


def test_corpus_is_there():
    # CI runs with ../shared beside the clone; a missing corpus is a failure, never a silent skip
    assert os.path.isdir(CORPUS), CORPUS
    assert len(glob.glob(os.path.join(CORPUS, "valid", "*.json"))) >= 22
    assert len(glob.glob(os.path.join(CORPUS, "invalid", "*.json"))) >= 7


@pytest.mark.parametrize("path", FILES, ids=[os.path.relpath(p, CORPUS) for p in FILES])
def test_peer_config_gets_the_spec_verdict(path):
    doc = _load(path)
    result = validate_config(doc["config"])
    name = os.path.splitext(os.path.basename(path))[0]
    if os.path.basename(os.path.dirname(path)) == "valid":
        assert result.ok, result.error_message(name)
        for key, text in EXPECTED_WARNINGS.get(name, ()):
            assert any(w.startswith(key + ":") and text in w for w in result.warnings), (key, text, result.warnings)
    else:
        assert not result.ok
        keys = [p.key for p in result.problems]
        assert any(k == doc["expect"] or k.startswith((doc["expect"] + "[", doc["expect"] + ".")) for k in keys), keys
    assert FAKE_SECRET not in _everything(result)


def _peer(name):
    found = [p for p in FILES if os.path.basename(p) == name + ".json"]
    assert found, name
    return _load(found[0])["config"]


def test_bad_helper_path_is_one_error():
    # §3.2: inferenceCredentialHelper is an "absolute path to an executable on the host"; one cause, one message
    # (not also "helper-script needs inferenceCredentialHelper", a key that is set)
    result = validate_config(_peer("aws_2"))
    assert [p.key for p in result.problems] == ["inferenceCredentialHelper"], [str(p) for p in result.problems]


def test_every_problem_of_an_mcp_entry_at_once():
    # §3.7: command is an "absolute executable path"; §3.13: "entries without transport ... must add it"
    result = validate_config(_peer("aws_6"))
    mcp = [str(p) for p in result.problems if p.key.startswith("managedMcpServers[0]")]
    assert any("command" in p and "absolute" in p for p in mcp), mcp
    assert any("need transport" in p and "stdio" in p for p in mcp), mcp


def test_did_you_mean_only_for_a_close_match_in_the_same_area():
    result = validate_config(_peer("aws_6"))
    problem = [p for p in result.problems if p.key == "coworkWebSearchEnabled"][0]
    assert "toolSearchEnabled" not in str(problem) and "websearch" in problem.fix
    typo = validate_config({"inferenceProvder": "gateway"}).problems
    assert any(p.key == "inferenceProvder" and "'inferenceProvider'" in p.fix for p in typo)
    far = validate_config({"inferenceProvider": "gateway", "coworkFooEnabled": True}).problems
    assert not any("did you mean" in p.fix for p in far if p.key == "coworkFooEnabled")


def test_invented_bootstrap_keys_point_at_bootstrap_oidc():
    # §3.10: bootstrap sign-in is bootstrapOidc
    result = validate_config(_peer("aws_8"))
    assert {p.key for p in result.problems} == {"coworkOAuthClientId", "coworkOAuthIssuer"}
    assert all("bootstrapOidc" in p.fix for p in result.problems)


@pytest.mark.parametrize("min_version,expected", [(None, False), ("1.40609.0", False), ("1.19367.0", False), ("1.10628.0", True)])
def test_extension_default_warning_only_when_the_fleet_range_makes_it_relevant(min_version, expected):
    # §3.7: isDesktopExtensionEnabled default "true before 1.19367.0, false from 1.19367.0"; §8.10
    result = validate_config(_peer("aiclient2api_1"), min_app_version=min_version)
    assert result.ok
    assert any(w.startswith("isDesktopExtensionEnabled") for w in result.warnings) is expected, result.warnings


def test_a_finding_shared_by_many_hosts_is_grouped_once_with_the_count():
    per_host = {}
    for i in range(5):
        per_host["mac-%d" % i] = {"warnings": validate_config(_peer("privategpt_1")).masked_warnings()}
    per_host["bad"] = {"problems": validate_config(_peer("aws_2")).masked_problems(), "warnings": []}
    rows = group_findings(per_host)
    assert rows[0]["severity"] == "error" and rows[0]["hosts"] == ["bad"]
    localhost = [r for r in rows if "127.0.0.1" in r["message"]]
    assert len(localhost) == 1 and localhost[0]["count"] == 5 and localhost[0]["hosts"] == ["mac-%d" % i for i in range(5)]
    assert FAKE_SECRET not in json.dumps(rows)
