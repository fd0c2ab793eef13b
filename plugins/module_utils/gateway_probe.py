# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Call an inference gateway the way Claude Desktop does, and explain each failure.

Standard library only (runs on targets, Python 3.8+). Spec §5: the app calls ``GET <base>/v1/models``
(optional discovery) and ``POST <base>/v1/messages`` with streaming (SSE) and tool use, sending the key
as ``Authorization: Bearer <key>`` or ``x-api-key: <key>`` plus the custom headers. Every failure
is reduced to one class with one message and one fix; the key is never part of any text returned.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import ssl
import tempfile
import time

try:  # Python 3
    import http.client as httplib
    from urllib.parse import unquote, urlsplit
except ImportError:  # pragma: no cover
    raise

CORPORATE_CA_FIX = (
    "If a TLS-inspecting proxy re-signs traffic, install the corporate root CA where the app looks: macOS "
    "`sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain corp-ca.pem` (or "
    "`launchctl setenv NODE_EXTRA_CA_CERTS /path/corp-ca.pem`), Windows `certutil -addstore -f Root corp-ca.cer` "
    "(Local Machine), Linux copy it to /usr/local/share/ca-certificates/ and run update-ca-certificates; give this "
    "check the same bundle with ca_bundle=<path>. See docs/verify.md, 'Corporate CA'.")
NETWORK_CLASSES = ("dns", "connect", "proxy", "tls", "timeout")
TOOL = {
    "name": "get_weather",
    "description": "Get the current weather for a city.",
    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
}


class ProbeFailure(Exception):
    """One classified failure: cls (dns, connect, proxy, tls, timeout, auth, base_url_v1, not_found,
    model, beta_rejected, bad_request, rate_limited, server_error, stream, http)."""

    def __init__(self, cls, message, fix, status=None, **extra):
        Exception.__init__(self, message)
        self.cls = cls
        self.message = message
        self.fix = fix
        self.status = status
        self.extra = extra


# ------------------------------------------------------------------ helpers
def _dn(name):
    """('commonName','Corp CA'),... tuples from ssl's decoded certificate -> 'CN=Corp CA, O=...'."""
    short = {"commonName": "CN", "organizationName": "O", "organizationalUnitName": "OU", "countryName": "C",
             "localityName": "L", "stateOrProvinceName": "ST"}
    parts = []
    for rdn in name or ():
        for key, value in rdn:
            parts.append("%s=%s" % (short.get(key, key), value))
    return ", ".join(parts)


def decode_certificate(der):
    """Subject and issuer of a DER certificate, with the standard library only."""
    pem = ssl.DER_cert_to_PEM_cert(der)
    fd, path = tempfile.mkstemp(suffix=".pem")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(pem)
        decoded = ssl._ssl._test_decode_cert(path)  # pylint: disable=protected-access
    except Exception:  # pragma: no cover - private helper missing on an exotic Python
        return {}
    finally:
        os.unlink(path)
    return {"subject": _dn(decoded.get("subject")), "issuer": _dn(decoded.get("issuer")),
            "not_after": decoded.get("notAfter")}


def _host_port(parts):
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.hostname, port


def _bypass(host, no_proxy):
    for entry in (no_proxy or "").replace(" ", "").split(","):
        if not entry:
            continue
        if entry == "*":
            return True
        entry = entry.lstrip(".").lstrip("*.")
        if host == entry or host.endswith("." + entry):
            return True
    return False


def choose_proxy(url, egress_proxy_url=None, environ=None):
    """The proxy the app would use for url: the config's egressProxyUrl, else HTTPS_PROXY (NO_PROXY honoured)."""
    environ = os.environ if environ is None else environ
    host = urlsplit(url).hostname or ""
    if egress_proxy_url:
        return egress_proxy_url, "egressProxyUrl"
    scheme = urlsplit(url).scheme
    names = ["HTTPS_PROXY", "https_proxy"] if scheme == "https" else ["HTTP_PROXY", "http_proxy"]
    for name in names:
        value = environ.get(name)
        if value:
            if _bypass(host, environ.get("NO_PROXY") or environ.get("no_proxy")):
                return None, "NO_PROXY"
            return value, name
    return None, None


def proxy_label(proxy):
    """host:port of a proxy URL, credentials removed."""
    if not proxy:
        return None
    parts = urlsplit(proxy if "://" in proxy else "http://" + proxy)
    return "%s://%s:%s" % (parts.scheme or "http", parts.hostname, parts.port or 8080)


class Client(object):
    """A tiny HTTP(S) client over http.client with proxy tunnelling and classified errors."""

    def __init__(self, timeout=15.0, ca_bundle=None, proxy=None):
        self.timeout = timeout
        self.ca_bundle = ca_bundle
        self.proxy = proxy
        self.peer = {}

    def context(self, verify=True):
        if not verify:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            return ctx
        return ssl.create_default_context(cafile=self.ca_bundle) if self.ca_bundle else ssl.create_default_context()

    def connection(self, url, verify=True):
        parts = urlsplit(url)
        host, port = _host_port(parts)
        if self.proxy:
            proxy = urlsplit(self.proxy if "://" in self.proxy else "http://" + self.proxy)
            headers = {}
            if proxy.username:
                import base64
                token = "%s:%s" % (unquote(proxy.username), unquote(proxy.password or ""))
                headers["Proxy-Authorization"] = "Basic " + base64.b64encode(token.encode()).decode()
            pport = proxy.port or 8080
            if parts.scheme == "https":
                conn = httplib.HTTPSConnection(proxy.hostname, pport, timeout=self.timeout, context=self.context(verify))
                conn.set_tunnel(host, port, headers=headers)
            else:
                conn = httplib.HTTPConnection(proxy.hostname, pport, timeout=self.timeout)
            conn._aiohub_proxy_headers = headers  # pylint: disable=protected-access
            return conn, True
        if parts.scheme == "https":
            return httplib.HTTPSConnection(host, port, timeout=self.timeout, context=self.context(verify)), False
        return httplib.HTTPConnection(host, port, timeout=self.timeout), False

    def peer_certificate(self, url):
        """Subject/issuer of the certificate the server (or an intercepting proxy) presents, unverified."""
        conn, dummy = self.connection(url, verify=False)
        try:
            conn.connect()
            der = conn.sock.getpeercert(binary_form=True)
            return decode_certificate(der) if der else {}
        except Exception:
            return {}
        finally:
            conn.close()

    def open(self, method, url, headers, body=None):
        """Send a request; returns (connection, response, seconds to the response headers)."""
        parts = urlsplit(url)
        conn, proxied = self.connection(url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        if proxied and parts.scheme == "http":
            target = url
            headers = dict(headers, **conn._aiohub_proxy_headers)  # pylint: disable=protected-access
        data = json.dumps(body).encode() if body is not None else None
        start = time.time()
        try:
            conn.request(method, target, body=data, headers=headers)
            response = conn.getresponse()
        except Exception as exc:  # every failure is classified; KeyboardInterrupt still stops the run
            conn.close()
            raise self.classify(exc, url, proxied)
        if parts.scheme == "https" and conn.sock is not None and not self.peer:
            try:
                der = conn.sock.getpeercert(binary_form=True)
                self.peer = decode_certificate(der) if der else {}
            except Exception:
                self.peer = {}
        return conn, response, time.time() - start

    def classify(self, exc, url, proxied):
        host = urlsplit(url).hostname
        where = "through the proxy %s" % proxy_label(self.proxy) if proxied else "directly"
        if isinstance(exc, ProbeFailure):
            return exc
        if isinstance(exc, socket.gaierror):
            if proxied:
                return ProbeFailure("proxy", "cannot resolve the proxy %s: %s" % (proxy_label(self.proxy), exc.strerror),
                                    "Check egressProxyUrl / HTTPS_PROXY on this machine.")
            return ProbeFailure("dns", "cannot resolve %s on this machine (%s)" % (host, exc.strerror),
                                "Check the host name in the base URL and this machine's DNS (split-horizon DNS, VPN); "
                                "`nslookup %s` on the host must answer." % host)
        if isinstance(exc, ssl.SSLCertVerificationError):
            peer = self.peer_certificate(url)
            issuer = peer.get("issuer") or "unknown"
            return ProbeFailure("tls", "TLS certificate of %s not trusted (%s); the certificate seen was issued by '%s'%s"
                                % (host, exc.verify_message or exc.reason, issuer,
                                   " (subject '%s')" % peer["subject"] if peer.get("subject") else ""),
                                CORPORATE_CA_FIX, issuer=issuer, subject=peer.get("subject"))
        if isinstance(exc, ssl.SSLError):
            return ProbeFailure("tls", "TLS handshake with %s failed (%s)" % (host, exc.reason or exc),
                                "Check that the base URL is an https:// endpoint on this port and that no proxy "
                                "breaks TLS. " + CORPORATE_CA_FIX)
        if isinstance(exc, (socket.timeout, TimeoutError)):
            return ProbeFailure("timeout", "no answer from %s within %.0f s (%s)" % (host, self.timeout, where),
                                "The gateway or a firewall is slow or dropping packets: check the perimeter firewall allows "
                                "%s on 443 (spec §6), or raise timeout for a slow gateway." % host)
        if isinstance(exc, OSError) and "Tunnel connection failed" in str(exc):
            return ProbeFailure("proxy", "the proxy %s refused to open a tunnel to %s (%s)" % (proxy_label(self.proxy), host, exc),
                                "Allow %s:443 on the proxy, or check the proxy credentials." % host)
        if isinstance(exc, OSError) and (isinstance(exc, ConnectionError) or exc.errno in (
                errno.ECONNREFUSED, errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ECONNRESET, errno.EADDRNOTAVAIL)):
            if proxied:
                return ProbeFailure("proxy", "cannot connect to the proxy %s (%s)" % (proxy_label(self.proxy), exc.strerror or exc),
                                    "Check egressProxyUrl / HTTPS_PROXY on this machine.")
            return ProbeFailure("connect", "cannot connect to %s:%s (%s)" % (host, _host_port(urlsplit(url))[1], exc.strerror or exc),
                                "Nothing accepts connections there from this machine: check the base URL's port, that the "
                                "gateway runs, and that the firewall allows %s (spec §6)." % host)
        if isinstance(exc, httplib.HTTPException):
            return ProbeFailure("http", "invalid HTTP answer from %s (%s)" % (host, type(exc).__name__),
                                "Check that the base URL points at the gateway and not at another service.")
        if isinstance(exc, OSError):
            return ProbeFailure("connect", "cannot reach %s (%s)" % (host, exc), "Check the network path to the gateway.")
        return ProbeFailure("http", "unexpected error talking to %s: %s" % (host, type(exc).__name__), "Rerun with -vvv.")


# ------------------------------------------------------------------ the gateway check
def _error_text(raw):
    try:
        body = json.loads(raw.decode("utf-8", "replace"))
        err = body.get("error", body) if isinstance(body, dict) else body
        if isinstance(err, dict):
            return str(err.get("message") or err.get("type") or "")[:300]
        return str(err)[:300]
    except ValueError:
        return raw.decode("utf-8", "replace").strip()[:200]


def http_failure(status, raw, base_url, path, scheme, betas, retry_after=None):
    text = _error_text(raw)
    detail = " (%s)" % text if text else ""
    root = urlsplit(base_url).path.rstrip("/")
    if status in (401, 403):
        header = "Authorization: Bearer" if scheme == "bearer" else "x-api-key"
        return ProbeFailure("auth", "the gateway refused the credentials (HTTP %d) sent as %s on %s%s" % (status, header, path, detail),
                            "Check that inferenceGatewayApiKey is the current key for this gateway (and its group may use "
                            "the model), and that inferenceGatewayAuthScheme matches what the gateway expects "
                            "(bearer or x-api-key).", status)
    if status == 404 and root.endswith("/v1"):
        # path is the whole path called (the base URL's own path included): name the URL as it was called
        parts = urlsplit(base_url)
        called = "%s://%s%s" % (parts.scheme, parts.hostname + (":%d" % parts.port if parts.port else ""), path)
        return ProbeFailure("base_url_v1", "HTTP 404 on %s: the base URL already ends in /v1, so the app calls %s/v1/..."
                            % (called, root), "Set inferenceGatewayBaseUrl to the gateway root without /v1 "
                            "(e.g. https://api.aiohub.org): the app appends /v1/messages and /v1/models itself.", status)
    if status == 400 and betas and "beta" in text.lower():
        return ProbeFailure("beta_rejected", "the gateway rejects the anthropic-beta header (HTTP 400)%s" % detail,
                            "Let the gateway pass anthropic-beta through (LiteLLM passthrough, Cloudflare AI Gateway do), or "
                            "turn off what makes the app send betas: toolSearchEnabled, supports1m/prefer1m on models.", status)
    if status == 404 and path.endswith("/messages") and "model" in text.lower():
        return ProbeFailure("model", "the gateway does not serve the model asked for (HTTP 404)%s" % detail,
                            "Use model IDs exactly as GET /v1/models lists them in inferenceModels.", status)
    if status == 404:
        return ProbeFailure("not_found", "HTTP 404 on %s%s" % (path, detail),
                            "Check inferenceGatewayBaseUrl: it must be the root under which /v1/messages is served.", status)
    if status == 429:
        wait = " (Retry-After: %s s)" % retry_after if retry_after else ""
        return ProbeFailure("rate_limited", "the gateway is rate limiting this key (HTTP 429)%s%s" % (wait, detail),
                            "Raise the key's rate limit or quota (AIOHub: check the balance and the key's group), or use a "
                            "dedicated key for Claude Desktop.", status)
    if status >= 500:
        return ProbeFailure("server_error", "the gateway failed (HTTP %d)%s" % (status, detail),
                            "A gateway or upstream-provider fault, not the client config: check the gateway's logs and its "
                            "upstream provider status; retry later.", status)
    if status == 400:
        return ProbeFailure("bad_request", "the gateway rejected the request (HTTP 400)%s" % detail,
                            "The gateway must implement the Anthropic Messages API (spec §5).", status)
    return ProbeFailure("http", "unexpected HTTP %d on %s%s" % (status, path, detail), "Check the gateway.", status)


def read_sse(response, deadline):
    """Events of an SSE body until message_stop; ProbeFailure('stream') when it ends or stalls first."""
    events = []
    name = None
    while True:
        if time.time() > deadline:
            raise ProbeFailure("stream", "the stream did not reach message_stop in time (events seen: %s)" % ", ".join(events[-5:]),
                               "The gateway (or a proxy buffering SSE) keeps the stream open without finishing it: disable "
                               "response buffering for text/event-stream and check inferenceStreamIdleTimeoutSec.")
        try:
            line = response.readline()
        except (socket.timeout, TimeoutError):
            raise ProbeFailure("stream", "the stream stalled after %d events (last: %s) and never sent message_stop"
                               % (len(events), events[-1] if events else "none"),
                               "The gateway or a proxy holds the stream open: disable buffering of text/event-stream on "
                               "proxies, check the upstream provider; the app shows a hung reply.")
        except (httplib.IncompleteRead, OSError, httplib.HTTPException):
            line = b""
        if not line:
            raise ProbeFailure("stream", "the stream was cut after %d events (last: %s) before message_stop"
                               % (len(events), events[-1] if events else "none"),
                               "A proxy or the gateway closes streaming connections early: check idle/response timeouts "
                               "and SSE support on every hop.")
        line = line.decode("utf-8", "replace").rstrip("\r\n")
        if line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data = line[5:].strip()
            try:
                payload = json.loads(data)
            except ValueError:
                payload = {}
            kind = payload.get("type") or name
            events.append(kind)
            if kind == "error":
                err = payload.get("error") or {}
                raise ProbeFailure("stream", "the stream returned an error event: %s" % (err.get("message") or err.get("type")),
                                   "Check the gateway's logs for this model.")
            if kind == "message_stop":
                return events, payload


class GatewayCheck(object):
    def __init__(self, base_url, api_key=None, auth_scheme="bearer", headers=None, anthropic_version="2023-06-01",
                 models=None, betas=None, proxy=None, ca_bundle=None, timeout=15.0, stream_timeout=60.0, max_tokens=16):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.scheme = auth_scheme or "bearer"
        self.headers = dict(headers or {})
        self.version = anthropic_version
        self.models = list(models or [])
        self.betas = list(betas or [])
        self.client = Client(timeout=timeout, ca_bundle=ca_bundle, proxy=proxy)
        self.stream_timeout = stream_timeout
        self.max_tokens = max_tokens
        self.checks = []
        self.listed = None

    def _headers(self, scheme=None, betas=False):
        headers = {"anthropic-version": self.version, "content-type": "application/json", "accept": "application/json",
                   "user-agent": "aiohub.claude_desktop gateway_check"}
        headers.update(self.headers)
        if self.api_key is not None:
            if (scheme or self.scheme) == "x-api-key":
                headers["x-api-key"] = self.api_key
            else:
                headers["authorization"] = "Bearer " + self.api_key
        if betas and self.betas:
            headers["anthropic-beta"] = ",".join(self.betas)
        return headers

    def _call(self, name, method, path, body=None, stream=False, betas=False):
        url = self.base_url + path
        record = {"name": name, "method": method, "path": urlsplit(url).path, "ok": False}
        self.checks.append(record)
        start = time.time()
        try:
            conn, response, ttfb = self.client.open(method, url, self._headers(betas=betas), body)
            record["status"] = response.status
            record["latency_ms"] = int(ttfb * 1000)
            try:
                if response.status >= 400:
                    raw = response.read(4096)
                    raise http_failure(response.status, raw, self.base_url, urlsplit(url).path, self.scheme, betas and self.betas,
                                       response.getheader("retry-after"))
                if stream:
                    events, dummy = read_sse(response, start + self.stream_timeout)
                    record["events"] = len(events)
                    result = events
                else:
                    try:
                        result = json.loads(response.read().decode("utf-8"))
                    except (socket.timeout, TimeoutError):
                        raise ProbeFailure("timeout", "the gateway sent headers but no body within %.0f s" % self.client.timeout,
                                           "Check the gateway and upstream latency.")
                    except ValueError:
                        raise ProbeFailure("http", "the answer on %s is not JSON" % record["path"],
                                           "Check that the base URL points at an Anthropic Messages API gateway.", response.status)
            finally:
                conn.close()
            record["ok"] = True
            record["total_ms"] = int((time.time() - start) * 1000)
            return result
        except ProbeFailure as failure:
            if failure.status is None and record.get("status"):
                failure.status = record["status"]
            if failure.cls == "auth" and self.api_key is not None:
                self._other_scheme_hint(failure, method, url, body)
            record.update({"class": failure.cls, "message": failure.message, "fix": failure.fix})
            record.update(failure.extra)
            record.setdefault("latency_ms", int((time.time() - start) * 1000))
            raise

    def _other_scheme_hint(self, failure, method, url, body):
        """A 401/403: would the same key pass in the other header? Then the fix names the scheme."""
        other = "x-api-key" if self.scheme == "bearer" else "bearer"
        try:
            conn, response, dummy = self.client.open(method, url, self._headers(scheme=other), body)
            status = response.status
            conn.close()
        except ProbeFailure:
            return
        if status < 400:
            failure.fix = ("The gateway accepts this key as %s: set inferenceGatewayAuthScheme: %s."
                           % ("x-api-key" if other == "x-api-key" else "Authorization: Bearer", other))

    def model_for_messages(self):
        if self.models:
            return self.models[0]
        for name in self.listed or ():
            if "claude" in name.lower():
                return name
        return (self.listed or [None])[0]

    def run(self):
        result = {"base_url": self.base_url, "auth_scheme": self.scheme, "proxy": proxy_label(self.client.proxy),
                  "checks": self.checks, "failures": [], "skipped_checks": [], "notes": []}
        failures = result["failures"]

        def fail(exc):
            entry = {"class": exc.cls, "message": exc.message, "fix": exc.fix}
            if exc.status:
                entry["status"] = exc.status
            entry.update(exc.extra)
            failures.append(entry)

        try:
            body = self._call("models", "GET", "/v1/models")
            data = body.get("data") if isinstance(body, dict) else None
            self.listed = [m.get("id") for m in data or [] if isinstance(m, dict) and m.get("id")]
        except ProbeFailure as exc:
            if exc.cls == "not_found" and self.models:
                result["notes"].append("GET /v1/models is not implemented (HTTP 404); discovery is optional and "
                                       "inferenceModels is set, so the app uses that list.")
            else:
                fail(exc)
                if exc.cls in NETWORK_CLASSES or exc.cls in ("auth", "base_url_v1"):
                    return self._finish(result, stop=exc.cls)
        if self.listed is not None:
            result["models_listed"] = self.listed
        result["models_configured"] = [{"name": name, "served": None if self.listed is None else name in self.listed}
                                       for name in self.models]
        for entry in result["models_configured"]:
            if entry["served"] is False:
                failures.append({"class": "model", "message": "inferenceModels entry %r is not among the models the gateway lists" % entry["name"],
                                 "fix": "Use the exact ID from GET /v1/models (the key's group may not see this model)."})
        model = self.model_for_messages()
        if not model:
            result["skipped_checks"].append("messages: no model to ask (set inferenceModels; the gateway lists none)")
            return self._finish(result)
        result["model_tested"] = model
        message = {"role": "user", "content": "Reply with the word pong."}
        plans = [
            ("messages", {"model": model, "max_tokens": self.max_tokens, "messages": [message]}, False, False),
            ("stream", {"model": model, "max_tokens": self.max_tokens, "stream": True, "messages": [message]}, True, False),
            ("tools", {"model": model, "max_tokens": 64, "stream": True, "tools": [TOOL],
                       "messages": [{"role": "user", "content": "What is the weather in Paris? Use the tool."}]}, True, False),
        ]
        if self.betas:
            plans.append(("beta", {"model": model, "max_tokens": self.max_tokens, "messages": [message]}, False, True))
        for name, body, stream, betas in plans:
            try:
                answer = self._call(name, "POST", "/v1/messages", body, stream=stream, betas=betas)
            except ProbeFailure as exc:
                fail(exc)
                if exc.cls in NETWORK_CLASSES or exc.cls in ("auth", "base_url_v1", "not_found"):
                    return self._finish(result, stop=exc.cls)
                continue
            if name == "messages" and not (isinstance(answer, dict) and isinstance(answer.get("content"), list)):
                failures.append({"class": "http", "message": "POST /v1/messages answered without a content list",
                                 "fix": "The gateway must implement the Anthropic Messages API (spec §5)."})
            if name == "tools" and "tool_use" not in json.dumps(answer):
                result["notes"].append("the model answered the tool request without a tool_use block; the gateway accepted "
                                       "the tool definition")
        return self._finish(result)

    def _finish(self, result, stop=None):
        done = {c["name"] for c in self.checks}
        if stop:
            for name in ("models", "messages", "stream", "tools", "beta"):
                if name not in done and (name != "beta" or self.betas):
                    result["skipped_checks"].append("%s: not tried after the %s failure" % (name, stop))
        result["ok"] = not result["failures"]
        latencies = [c["latency_ms"] for c in self.checks if c.get("ok")]
        result["latency_ms"] = sorted(latencies)[len(latencies) // 2] if latencies else None
        if self.client.peer:
            result["tls"] = self.client.peer
        return result


def check_endpoint(url, ca_bundle=None, proxy=None, timeout=10.0):
    """Reachability and TLS of a provider endpoint (no credentials): any HTTP answer counts as reachable."""
    client = Client(timeout=timeout, ca_bundle=ca_bundle, proxy=proxy)
    entry = {"url": url, "ok": False}
    start = time.time()
    try:
        conn, response, ttfb = client.open("GET", url, {"user-agent": "aiohub.claude_desktop gateway_check"})
        entry["status"] = response.status
        conn.close()
        entry["latency_ms"] = int(ttfb * 1000)
        entry["ok"] = True
        if client.peer:
            entry["tls"] = client.peer
    except ProbeFailure as exc:
        entry.update({"class": exc.cls, "message": exc.message, "fix": exc.fix, "latency_ms": int((time.time() - start) * 1000)})
        entry.update(exc.extra)
    return entry
