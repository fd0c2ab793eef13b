"""gateway_check against the project's fake gateway on loopback: every failure class driven for real.

Spec §5: POST /v1/messages with streaming and tool use, optional GET /v1/models, Bearer or x-api-key,
custom headers on every request. §8 item 6: the base URL is the root, not /v1.
"""

from __future__ import annotations

import json
import socket

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.modules.gateway_probe import run
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _gateway
from support.gateway import make_certificates, requests_seen, start_gateway, stop

KEY = "sk-test-gateway-check-5f1e2d3c4b"


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    return make_certificates(tmp_path_factory.mktemp("certs"))


@pytest.fixture(scope="module")
def gateways(tmp_path_factory, certs):
    d = tmp_path_factory.mktemp("gw")
    procs = []
    out = {}
    for name, kwargs in {
        "plain": {"proxy": True},
        "xkey_only": {"auth": "x-api-key"},
        "tls": {"cert": certs["cert"], "cert_key": certs["key"]},
        "self_signed": {"cert": certs["self_cert"], "cert_key": certs["self_key"]},
    }.items():
        proc, ready, log = start_gateway(d, KEY, **kwargs)
        procs.append(proc)
        out[name] = dict(ready, log=log)
    yield out
    for proc in procs:
        stop(proc)


def config(base, **extra):
    cfg = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": base, "inferenceGatewayApiKey": KEY,
           "inferenceModels": ["claude-sonnet-4-5"]}
    cfg.update(extra)
    return cfg


def check(cfg, environ=None, **options):
    opts = {"timeout": 2.0, "stream_timeout": 10.0, "use_env_proxy": True}
    opts.update(options)
    result = run(_gateway.module_args(cfg, opts), environ=environ or {})
    assert KEY not in json.dumps(result)
    return result


def classes(result):
    return [f["class"] for f in result["failures"]]


def http(gw, path=""):
    return "http://127.0.0.1:%d%s" % (gw["port"], path)


@pytest.mark.parametrize("scheme", ["bearer", "x-api-key"])
def test_healthy_gateway_both_schemes(gateways, scheme):
    gw = gateways["plain"]
    result = check(config(http(gw), inferenceGatewayAuthScheme=scheme, inferenceCustomHeaders={"X-Org-Id": "team1"},
                          inferenceModels=["claude-sonnet-4-5", {"name": "claude-opus-4-1"}]))
    assert result["ok"], result["failures"]
    assert [c["name"] for c in result["checks"]] == ["models", "messages", "stream", "tools"]
    assert all(c["ok"] and c["status"] == 200 for c in result["checks"])
    assert result["models_listed"] == ["claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5"]
    assert result["models_configured"] == [{"name": "claude-sonnet-4-5", "served": True}, {"name": "claude-opus-4-1", "served": True}]
    assert isinstance(result["latency_ms"], int)
    seen = requests_seen(gw["log"])[-4:]
    header = "authorization" if scheme == "bearer" else "x-api-key"
    assert all(r["headers"].get(header) == "present" and r["headers"]["x-org-id"] == "team1" for r in seen)
    assert all(r["headers"]["anthropic-version"] == "2023-06-01" for r in seen)
    assert "anthropic-beta" not in json.dumps(seen)


def test_model_not_served_is_reported(gateways):
    result = check(config(http(gateways["plain"]), inferenceModels=["claude-sonnet-4-5", "claude-ghost-9"]))
    assert classes(result) == ["model"]
    assert result["models_configured"][1] == {"name": "claude-ghost-9", "served": False}


def test_wrong_key_is_an_auth_failure(gateways):
    cfg = config(http(gateways["plain"]), inferenceGatewayApiKey="sk-test-wrong-key-000")
    result = run(_gateway.module_args(cfg, {"timeout": 2.0}), environ={})
    assert classes(result) == ["auth"]
    failure = result["failures"][0]
    assert failure["status"] == 401 and "Authorization: Bearer" in failure["message"]
    assert "inferenceGatewayApiKey" in failure["fix"]
    assert "sk-test-wrong-key-000" not in json.dumps(result)
    assert any("not tried after the auth failure" in s for s in result["skipped_checks"])


def test_wrong_scheme_names_the_scheme_the_gateway_takes(gateways):
    result = check(config(http(gateways["xkey_only"])))
    assert classes(result) == ["auth"]
    assert "inferenceGatewayAuthScheme: x-api-key" in result["failures"][0]["fix"]


def test_doubled_v1_is_named(gateways):
    before = len(requests_seen(gateways["plain"]["log"]))
    base = http(gateways["plain"], "/v1")
    result = check(config(base))
    assert classes(result) == ["base_url_v1"]
    # the message names the URL that was called, exactly (issue 21 item 11: it said /v1/v1/v1/models)
    called = [r["path"] for r in requests_seen(gateways["plain"]["log"])[before:]]
    assert called and called[0] == "/v1/v1/models", called
    assert ("HTTP 404 on %s/v1/models:" % base) in result["failures"][0]["message"], result["failures"][0]["message"]
    assert "/v1/v1/v1" not in result["failures"][0]["message"]
    assert "without /v1" in result["failures"][0]["fix"]


@pytest.mark.parametrize("scenario,cls,status", [("500", "server_error", 500), ("429", "rate_limited", 429)])
def test_status_classes(gateways, scenario, cls, status):
    result = check(config(http(gateways["plain"], "/scenario/" + scenario)))
    assert cls in classes(result)
    assert all(f["status"] == status for f in result["failures"])
    if status == 429:
        assert "Retry-After: 17" in result["failures"][0]["message"]


def test_slow_gateway_times_out(gateways):
    result = check(config(http(gateways["plain"], "/scenario/slow")), timeout=1.0)
    assert classes(result) == ["timeout"]
    assert "within 1 s" in result["failures"][0]["message"]


def test_stream_cut_midway(gateways):
    result = check(config(http(gateways["plain"], "/scenario/cut-stream")))
    assert classes(result) == ["stream", "stream"]  # the plain call passes; stream and tools are cut
    assert "cut after" in result["failures"][0]["message"] and "message_stop" in result["failures"][0]["message"]
    assert [c["ok"] for c in result["checks"]] == [True, True, False, False]


def test_stream_that_never_ends(gateways):
    result = check(config(http(gateways["plain"], "/scenario/stall-stream")), timeout=1.0)
    assert classes(result)[0] == "stream"
    assert "stalled" in result["failures"][0]["message"] and "never sent message_stop" in result["failures"][0]["message"]


def test_strict_gateway_rejects_beta_headers(gateways):
    base = http(gateways["plain"], "/scenario/strict-beta")
    assert check(config(base))["ok"]  # without betas the strict gateway is fine
    result = check(config(base, inferenceModels=[{"name": "claude-sonnet-4-5", "supports1m": True}]))
    assert classes(result) == ["beta_rejected"]
    assert [c["name"] for c in result["checks"] if not c["ok"]] == ["beta"]
    assert "toolSearchEnabled" in result["failures"][0]["fix"]


def test_models_endpoint_missing_is_only_a_warning_with_a_list(gateways):
    result = check(config(http(gateways["plain"], "/scenario/no-models")))
    assert result["ok"] and "discovery is optional" in result["notes"][0]
    assert result["models_configured"] == [{"name": "claude-sonnet-4-5", "served": None}]


def test_connection_refused():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    result = check(config("http://127.0.0.1:%d" % port))
    assert classes(result) == ["connect"]
    assert "cannot connect to 127.0.0.1:%d" % port in result["failures"][0]["message"]


def test_tls_trusted_through_ca_bundle(gateways, certs):
    result = check(config("https://127.0.0.1:%d" % gateways["tls"]["port"]), ca_bundle=certs["ca"])
    assert result["ok"], result["failures"]
    assert result["tls"]["issuer"] == "O=Fake Corp, CN=Fake Corp Root CA"


def test_tls_untrusted_names_the_issuer(gateways, certs):
    result = check(config("https://127.0.0.1:%d" % gateways["self_signed"]["port"]))
    assert classes(result) == ["tls"]
    failure = result["failures"][0]
    assert "issued by 'O=Intercepting Proxy Inc, CN=Self Signed Gateway'" in failure["message"]
    assert "self-signed" in failure["message"]
    assert "security add-trusted-cert" in failure["fix"] and "ca_bundle" in failure["fix"]
    # the corporate CA bundle of the other server does not make this one trusted either
    assert classes(check(config("https://127.0.0.1:%d" % gateways["self_signed"]["port"]), ca_bundle=certs["ca"])) == ["tls"]


def test_https_proxy_and_egress_proxy_url(gateways, certs):
    gw = gateways["plain"]
    base = "https://127.0.0.1:%d" % gateways["tls"]["port"]
    proxy = "http://127.0.0.1:%d" % gw["proxy_port"]
    before = len(requests_seen(gw["log"]))
    result = check(config(base), environ={"HTTPS_PROXY": proxy}, ca_bundle=certs["ca"])
    assert result["ok"] and result["proxy_source"] == "HTTPS_PROXY"
    tunnels = [r for r in requests_seen(gw["log"])[before:] if "connect" in r]
    assert len(tunnels) == 4 and tunnels[0]["connect"] == "127.0.0.1:%d" % gateways["tls"]["port"]
    # NO_PROXY bypasses it; the config's egressProxyUrl wins over the environment
    assert check(config(base), environ={"HTTPS_PROXY": proxy, "NO_PROXY": "127.0.0.1"}, ca_bundle=certs["ca"])["proxy"] is None
    result = check(config(base, egressProxyUrl="http://127.0.0.1:1"), environ={"HTTPS_PROXY": proxy}, ca_bundle=certs["ca"])
    assert classes(result) == ["proxy"] and result["proxy_source"] == "egressProxyUrl"


def test_other_provider_reachability_only(gateways, certs):
    cfg = {"inferenceProvider": "bedrock", "inferenceBedrockRegion": "eu-west-3",
           "inferenceBedrockBaseUrl": "https://127.0.0.1:%d" % gateways["tls"]["port"], "inferenceBedrockBearerToken": KEY}
    result = check(cfg, ca_bundle=certs["ca"])
    assert result["ok"] and result["checks"][0]["status"] == 404
    assert any("authenticated calls to bedrock" in s for s in result["skipped_checks"])


def test_credential_helper_skips_authenticated_calls(gateways):
    cfg = config(http(gateways["plain"]), inferenceCredentialHelper="/usr/local/bin/get-key")
    result = check(cfg)
    assert result["ok"] and result["checks"][0]["name"] == "reachability"
    assert any("credential helper" in s for s in result["skipped_checks"])
