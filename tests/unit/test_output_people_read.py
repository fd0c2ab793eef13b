"""Issue 21 items 1, 3, 5, 11 at the unit level: where controller output goes (never inside an inventory source),
the signed set's content address, the verify verdict, and the wording people read (masking, provider echo,
report card and worst finding, the rollout summary under --tags)."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.aiohub.claude_desktop.plugins.callback import rollout_summary
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _artifacts, _output, _report
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import MASK, scrub, secret_values
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import validate_config

BASE = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "inferenceGatewayApiKey": "sk-test-unit-5566aa"}


# ------------------------------------------------------------------ item 1: output locations
@pytest.fixture
def as_installed(monkeypatch, tmp_path):
    root = tmp_path / "collections" / "ansible_collections" / "aiohub" / "claude_desktop"
    root.mkdir(parents=True)
    (root / "MANIFEST.json").write_text("{}")
    monkeypatch.setattr(_output, "COLLECTION_ROOT", str(root))
    return root


def _layout(tmp_path):
    project = tmp_path / "project"
    (project / "inventory" / "group_vars").mkdir(parents=True)
    (project / "inventory" / "hosts.yml").write_text("all: {}\n")
    (project / "hosts.ini").write_text("h1\n")
    return project


def test_default_is_beside_an_inventory_directory_and_beside_an_inventory_file(as_installed, tmp_path):
    project = _layout(tmp_path)
    real = os.path.realpath(str(project))
    assert _output.default_base({"ansible_inventory_sources": [str(project / "inventory")]}) == real
    assert _output.default_dir({"ansible_inventory_sources": [str(project / "inventory")]}, "artifacts") == real + "/artifacts"
    # a file inside the inventory directory: still beside the directory when that directory is a source too
    assert _output.default_base({"ansible_inventory_sources": [str(project / "inventory" / "hosts.yml"),
                                                               str(project / "inventory")]}) == real
    assert _output.default_base({"ansible_inventory_sources": [str(project / "hosts.ini")]}) == real
    # -i host1,host2, : no path; the current directory
    assert _output.default_base({"ansible_inventory_sources": ["lab-pc,"]}, cwd=str(tmp_path)) == os.path.realpath(str(tmp_path))


def test_a_source_checkout_writes_to_its_build_directory(monkeypatch, tmp_path):
    monkeypatch.setattr(_output, "COLLECTION_ROOT", str(tmp_path))
    assert _output.default_dir({"ansible_inventory_sources": [str(tmp_path)]}, "reports") == os.path.realpath(str(tmp_path)) + "/build/reports"


def test_inside_an_inventory_source_or_the_collection_is_refused(as_installed, tmp_path):
    project = _layout(tmp_path)
    task_vars = {"ansible_inventory_sources": [str(project / "inventory")]}
    problem = _output.location_problem(str(project / "inventory" / "artifacts"), task_vars, "claude_desktop_artifacts_dir")
    assert "is inside the inventory source %s" % os.path.realpath(str(project / "inventory")) in problem
    assert "e.g. %s" % os.path.join(os.path.realpath(str(project)), "artifacts") in problem
    assert _output.location_problem(str(project / "inventory"), task_vars, "x")  # the source itself
    # through a symlink that points into the inventory
    os.symlink(str(project / "inventory"), str(tmp_path / "alias"))
    assert _output.location_problem(str(tmp_path / "alias" / "out"), task_vars, "x")
    assert _output.location_problem(str(project / "artifacts"), task_vars, "x") is None
    assert _output.location_problem(str(project / "inventory-artifacts"), task_vars, "x") is None  # a sibling with a common prefix
    assert "installed collection" in _output.location_problem(str(as_installed / "build"), task_vars, "claude_desktop_reports_dir")


@settings(max_examples=200, deadline=None)
@given(sources=st.lists(st.sampled_from(["inventory", "inventory/hosts.yml", "inventory/prod", "hosts.ini", "lab-pc,", "other"]),
                        min_size=1, max_size=4))
def test_the_default_is_never_inside_an_inventory_source(sources, tmp_path_factory):
    """Whatever mix of -i options: the default output directory is outside every source."""
    tmp = tmp_path_factory.mktemp("mix")
    root = tmp / "collection"
    root.mkdir()
    (root / "MANIFEST.json").write_text("{}")
    project = _layout(tmp)
    (project / "inventory" / "prod").mkdir()
    (project / "other").mkdir()
    saved = _output.COLLECTION_ROOT
    _output.COLLECTION_ROOT = str(root)
    try:
        task_vars = {"ansible_inventory_sources": [s if s.endswith(",") else str(project / s) for s in sources]}
        for name in ("artifacts", "reports"):
            path = _output.default_dir(task_vars, name)
            assert _output.location_problem(path, task_vars, "x") is None, (sources, path)
    finally:
        _output.COLLECTION_ROOT = saved


# ------------------------------------------------------------------ item 3: a signed set's content address
def test_a_signed_set_has_a_content_address_that_follows_the_signing_files():
    signer = {"cert_pem": b"-----BEGIN CERTIFICATE-----\nA\n", "key_pem": b"-----BEGIN PRIVATE KEY-----\nB\n", "chain_pem": None}
    options = {"identifier": "com.example", "signer": signer}
    first = _artifacts.digest(BASE, ["mobileconfig"], options)  # raised TypeError (bytes) before
    assert first == _artifacts.digest(BASE, ["mobileconfig"], dict(options, signer=dict(signer)))
    assert first != _artifacts.digest(BASE, ["mobileconfig"], dict(options, signer=dict(signer, key_pem=b"other")))
    assert first != _artifacts.digest(BASE, ["mobileconfig"], dict(options, signer=dict(signer, chain_pem=b"chain")))
    assert first != _artifacts.digest(BASE, ["mobileconfig"], {"identifier": "com.example"})
    assert b"B" not in first.encode()  # only a digest, never the key


# ------------------------------------------------------------------ item 11: wording
@pytest.mark.parametrize("userinfo", ["user:pass", "user:password", "user", "pass:user", "remove:part", "admin:credentials"])
def test_the_credentials_in_url_message_keeps_its_words(userinfo):
    config = dict(BASE, inferenceGatewayBaseUrl="https://%s@api.aiohub.org" % userinfo)
    result = validate_config(config)
    message = result.error_message("h1")
    assert "must not embed credentials (user:password@host)" in message, message
    assert "remove the user-info part and pass credentials through the provider's key" in message, message
    assert "api.aiohub.org" not in message  # the URL itself is never echoed
    assert result.masked_problems()[0]["fix"].startswith("remove the user-info part")


def test_a_secret_outside_our_own_wording_is_still_masked():
    config = dict(BASE, inferenceGatewayBaseUrl="https://user:pass@api.aiohub.org")
    secrets = secret_values(config)
    assert "pass" in secrets and "user" in secrets
    rule = "must not embed credentials (user:password@host); since 1.32352.0 the configuration then fails to load"
    text = rule + "; leaked: https://user:pass@api.aiohub.org; a user passes"
    assert scrub(text, secrets) == rule + "; leaked: https://%s:%s@api.aiohub.org; a %s %ses" % (MASK, MASK, MASK, MASK)
    assert scrub("the key sk-test-unit-5566aa", secrets) == "the key " + MASK


@pytest.mark.parametrize("value, suggestion", [("gatewy", "gateway"), ("Gateway", "gateway"), ("aws-bedrock", "bedrock"),
                                               ("foundri", "foundry"), ("vertexai", "vertex"), ("openai", None)])
def test_a_wrong_provider_is_echoed_with_the_close_choice(value, suggestion):
    problems = validate_config(dict(BASE, inferenceProvider=value)).masked_problems()
    provider = [p for p in problems if p["key"] == "inferenceProvider"]
    assert provider, problems
    assert provider[0]["rule"].startswith("is %r; must be one of 'gateway'" % value), provider
    if suggestion:
        assert provider[0]["fix"] == "did you mean %r?" % suggestion
    else:
        assert provider[0]["fix"] == "use one of the listed values"


def test_a_secret_key_with_a_wrong_type_is_never_echoed():
    result = validate_config(dict(BASE, inferenceGatewayApiKey=["sk-test-listed-0011"]))
    assert "sk-test-listed-0011" not in json.dumps(result.masked_problems()) + result.error_message()


# ------------------------------------------------------------------ items 5 and 11: the report
OK_GW = {"ok": True, "latency_ms": 30, "failures": [], "provider": "gateway"}
AUTH_GW = {"ok": False, "latency_ms": 12, "provider": "gateway",
           "failures": [{"class": "auth", "message": "the gateway refused the credentials (HTTP 401)", "fix": "Check the key"}]}
IN_LINE = {"state": "in_line", "findings": [], "restart": {}, "os": "linux"}
MIXED = {"state": "drifted", "os": "linux", "restart": {}, "findings": [
    {"class": "mode_drift", "severity": "warning", "source": "/etc/x", "message": "mode 0640, the collection writes 0644", "fix": "Redeploy"},
    {"class": "refused_file", "severity": "error", "source": "/etc/x", "message": "the app refuses this file: group-writable", "fix": "Redeploy"},
]}


def test_a_host_whose_gateway_refuses_its_key_is_not_counted_in_line():
    report = _report.build([_report.host_entry("ok1", "eng", "linux", OK_GW, IN_LINE),
                            _report.host_entry("refused1", "eng", "linux", AUTH_GW, IN_LINE)])
    assert report["summary"]["in_line"] == 1 and report["summary"]["gateway_failing"] == 1
    assert report["teams"][0]["in_line"] == 1
    page = _report.render_html(report)
    assert '<div class="card" id="count-in_line" style="background:%s"><b>1</b>' % _report.COLOURS["in_line"] in page
    row = page[page.index('id="host-refused1"'):]
    assert 'data-state="gateway_failing"' in row[:600] and 'data-state="in_line"' not in row[:600]
    only_refused = _report.render_html(_report.build([_report.host_entry("refused1", "eng", "linux", AUTH_GW, IN_LINE)]))
    assert '<div class="card" id="count-in_line" style="background:%s"><b>0</b>' % _report.ZERO in only_refused


def test_a_host_row_shows_its_worst_finding():
    page = _report.render_html(_report.build([_report.host_entry("mixed1", "eng", "linux", OK_GW, MIXED)]))
    assert "<summary>2 findings: the app refuses this file: group-writable</summary>" in page
    assert page.index("refused_file") < page.index("mode_drift")  # listed worst first too


def test_the_verdict_names_each_failing_state_and_its_hosts():
    hosts = [_report.host_entry("ok1", "eng", "linux", OK_GW, IN_LINE), _report.host_entry("mixed1", "eng", "linux", OK_GW, MIXED),
             _report.host_entry("refused1", "eng", "linux", AUTH_GW, IN_LINE),
             _report.host_entry("gone1", "eng", None, {"unreachable": True, "msg": "ssh: timeout"}, {"unreachable": True})]
    report = _report.build(hosts)
    assert _report.failing(report, _report.FAIL_ON_DEFAULT) == ["1 drifted (mixed1)", "1 gateway failing (refused1)",
                                                                "1 unreachable (gone1)"]
    assert _report.failing(report, ["needs_restart"]) == [] and _report.failing(report, []) == []
    assert _report.failing(_report.build(hosts[:1]), _report.FAIL_ON_DEFAULT) == []


# ------------------------------------------------------------------ item 11: the rollout summary under --tags
def _summary(monkeypatch, tags=("all",), skip=(), rollout_tasks=0):
    monkeypatch.setattr(rollout_summary.context, "CLIARGS", {"tags": tags, "skip_tags": skip})
    cb = rollout_summary.CallbackModule()
    cb.targets = ["mac1", "lin1", "win1"]
    cb.rollout_tasks = rollout_tasks
    return cb.summary_lines()


def test_tags_validate_does_not_read_as_hosts_not_reached(monkeypatch):
    lines = _summary(monkeypatch, tags=("validate",))
    text = "\n".join(lines)
    assert "not reached" not in text
    assert "no rollout task selected by --tags validate; nothing was deployed (not a failure)" in lines[1]
    assert "not selected 3 hosts (lin1, mac1, win1): run without --tags validate to deploy" in text
    assert "--skip-tags deploy" in "\n".join(_summary(monkeypatch, skip=("deploy",)))


def test_a_run_that_ended_early_still_says_not_reached(monkeypatch):
    lines = _summary(monkeypatch, rollout_tasks=0)
    assert "3 not reached" in lines[1] and "the run ended before their batch" in lines[-1]
    lines = _summary(monkeypatch, tags=("deploy",), rollout_tasks=2)  # rollout tasks ran: the ordinary summary
    assert "3 not reached" in lines[1]
