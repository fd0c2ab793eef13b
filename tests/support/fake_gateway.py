"""A fake Anthropic-Messages gateway for the tests (standard library only: http.server + ssl).

    python3 tests/support/fake_gateway.py --bind 127.0.0.1 --port 0 --key sk-test-... \
        [--auth bearer|x-api-key|both] [--cert cert.pem --key-file key.pem] [--ready-file path]
        [--proxy-port N]   also run a CONNECT proxy on that port (records the tunnels it opened)

Endpoints, as Claude Desktop uses them (spec §5):
    GET  /v1/models      {"data": [{"id": ...}, ...]}
    POST /v1/messages    plain JSON, streaming SSE (message_start ... message_stop), tool use
Anything else is a 404, so a base URL that already ends in /v1 (-> /v1/v1/messages) fails as with a
real gateway. Failure behaviours are chosen per request by a path prefix, so one server drives every
failure class: <base>/scenario/<name>/v1/... with name one of
    500, 429         that status on every request
    slow             sleeps past any sane client timeout (30 s) before answering
    cut-stream       a streaming reply that stops after the first delta (connection closed)
    stall-stream     a streaming reply that sends one delta and then nothing (never message_stop)
    strict-beta      400 on any request that carries an anthropic-beta header (strict gateway)
    no-models        404 on /v1/models only (discovery not implemented)
The server prints its port on stdout (and to --ready-file) once it listens. Every request it saw is
appended to --log as one JSON line (method, path, headers with credentials replaced by "present").
"""

from __future__ import annotations

import argparse
import json
import os
import select
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODELS = ["claude-sonnet-4-5", "claude-opus-4-1", "claude-haiku-4-5"]
SLOW_SECONDS = 30


class Gateway(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, api_key, auth, models, log_path=None):
        ThreadingHTTPServer.__init__(self, address, Handler)
        self.api_key = api_key
        self.auth = auth
        self.models = models
        self.log_path = log_path
        self.lock = threading.Lock()

    def handle_error(self, request, client_address):  # a client hanging up mid-reply is part of the tests
        pass


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeGateway/1.0"

    def log_message(self, fmt, *args):  # quiet
        pass

    # -------------------------------------------------------------- plumbing
    def _send_json(self, status, body, extra=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status, kind, message, extra=None):
        self._send_json(status, {"type": "error", "error": {"type": kind, "message": message}}, extra)

    def _record(self, path, scenario):
        if not self.server.log_path:
            return
        headers = {}
        for name, value in self.headers.items():
            lowered = name.lower()
            headers[lowered] = "present" if lowered in ("authorization", "x-api-key") else value
        line = json.dumps({"method": self.command, "path": path, "scenario": scenario, "headers": headers})
        with self.server.lock:
            with open(self.server.log_path, "a") as handle:
                handle.write(line + "\n")

    def _authorised(self):
        key = self.server.api_key
        bearer = self.headers.get("Authorization", "")
        xkey = self.headers.get("x-api-key", "")
        if self.server.auth in ("bearer", "both") and bearer == "Bearer " + key:
            return True
        if self.server.auth in ("x-api-key", "both") and xkey == key:
            return True
        return False

    def _route(self):
        path = self.path.split("?", 1)[0]
        scenario = ""
        if path.startswith("/scenario/"):
            parts = path.split("/", 3)
            scenario = parts[2]
            path = "/" + (parts[3] if len(parts) > 3 else "")
        self._record(path, scenario)
        return path, scenario

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw.decode() or "{}")
        except ValueError:
            return None

    def _common(self, scenario):
        """Answer the scenario's failure; True when the request was answered."""
        if scenario == "slow":
            time.sleep(SLOW_SECONDS)
        if scenario == "500":
            self._error(500, "api_error", "upstream provider failed")
            return True
        if scenario == "429":
            self._error(429, "rate_limit_error", "rate limit reached for this key", {"retry-after": "17"})
            return True
        if not self._authorised():
            self._error(401, "authentication_error", "invalid x-api-key or bearer token")
            return True
        if scenario == "strict-beta" and self.headers.get("anthropic-beta"):
            self._error(400, "invalid_request_error",
                        "Unexpected value(s) `%s` for the `anthropic-beta` header" % self.headers.get("anthropic-beta"))
            return True
        return False

    # -------------------------------------------------------------- endpoints
    def do_GET(self):
        path, scenario = self._route()
        if path != "/v1/models" or scenario == "no-models":
            self._error(404, "not_found_error", "Not Found: %s" % path)
            return
        if self._common(scenario):
            return
        data = [{"type": "model", "id": name, "display_name": name, "created_at": "2026-01-01T00:00:00Z"} for name in self.server.models]
        self._send_json(200, {"data": data, "has_more": False, "first_id": data[0]["id"] if data else None})

    def do_POST(self):
        path, scenario = self._route()
        if path != "/v1/messages":
            self._body()
            self._error(404, "not_found_error", "Not Found: %s" % path)
            return
        body = self._body()
        if self._common(scenario):
            return
        if self.headers.get("anthropic-version") is None:
            self._error(400, "invalid_request_error", "anthropic-version header is required")
            return
        if not isinstance(body, dict) or not body.get("model") or not body.get("messages"):
            self._error(400, "invalid_request_error", "model and messages are required")
            return
        if body["model"] not in self.server.models:
            self._error(404, "not_found_error", "model: %s" % body["model"])
            return
        tools = body.get("tools") or []
        if tools:
            tool = tools[0]
            if not isinstance(tool, dict) or "name" not in tool or "input_schema" not in tool:
                self._error(400, "invalid_request_error", "tools.0: name and input_schema are required")
                return
            block = {"type": "tool_use", "id": "toolu_fake01", "name": tool["name"], "input": {"city": "Paris"}}
            stop = "tool_use"
        else:
            block = {"type": "text", "text": "pong"}
            stop = "end_turn"
        message = {"id": "msg_fake01", "type": "message", "role": "assistant", "model": body["model"],
                   "content": [block], "stop_reason": stop, "stop_sequence": None,
                   "usage": {"input_tokens": 5, "output_tokens": 1}}
        if body.get("stream"):
            self._stream(message, scenario)
        else:
            self._send_json(200, message)

    def _event(self, name, data):
        payload = ("event: %s\ndata: %s\n\n" % (name, json.dumps(data))).encode()
        self.wfile.write(b"%x\r\n%s\r\n" % (len(payload), payload))
        self.wfile.flush()

    def _stream(self, message, scenario):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        start = dict(message, content=[], stop_reason=None)
        self._event("message_start", {"type": "message_start", "message": start})
        block = message["content"][0]
        if block["type"] == "text":
            self._event("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}})
            self._event("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "po"}})
        else:
            self._event("content_block_start", {"type": "content_block_start", "index": 0,
                                                "content_block": dict(block, input={})})
            self._event("content_block_delta", {"type": "content_block_delta", "index": 0,
                                                "delta": {"type": "input_json_delta", "partial_json": "{\"city\": "}})
        if scenario == "cut-stream":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if scenario == "stall-stream":
            time.sleep(SLOW_SECONDS)
            self.close_connection = True
            return
        if block["type"] == "text":
            self._event("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "ng"}})
        else:
            self._event("content_block_delta", {"type": "content_block_delta", "index": 0,
                                                "delta": {"type": "input_json_delta", "partial_json": "\"Paris\"}"}})
        self._event("content_block_stop", {"type": "content_block_stop", "index": 0})
        self._event("message_delta", {"type": "message_delta", "delta": {"stop_reason": message["stop_reason"]},
                                      "usage": {"output_tokens": 2}})
        self._event("message_stop", {"type": "message_stop"})
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


# ------------------------------------------------------------------ CONNECT proxy
def _pipe(a, b):
    sockets = [a, b]
    try:
        while True:
            ready, dummy, dummy = select.select(sockets, [], [], 60)
            if not ready:
                return
            for sock in ready:
                data = sock.recv(65536)
                if not data:
                    return
                (b if sock is a else a).sendall(data)
    except OSError:
        return
    finally:
        a.close()
        b.close()


def serve_proxy(bind, port, log_path):
    """A minimal HTTPS CONNECT proxy; each tunnel target is appended to log_path."""
    listener = socket.socket(socket.AF_INET6 if ":" in bind else socket.AF_INET)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((bind, port))
    listener.listen(16)

    def handle(client):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = client.recv(4096)
            if not chunk:
                client.close()
                return
            data += chunk
        line = data.split(b"\r\n", 1)[0].decode("latin-1").split()
        if len(line) < 2 or line[0] != "CONNECT":
            client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            client.close()
            return
        host, dummy, port_text = line[1].rpartition(":")
        if log_path:
            with open(log_path, "a") as handle_:
                handle_.write(json.dumps({"connect": line[1]}) + "\n")
        try:
            upstream = socket.create_connection((host.strip("[]"), int(port_text)), timeout=10)
        except OSError:
            client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            client.close()
            return
        upstream.settimeout(None)
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        _pipe(client, upstream)

    def loop():
        while True:
            client, dummy = listener.accept()
            threading.Thread(target=handle, args=(client,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    return listener.getsockname()[1]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--key", required=True, help="the API key the gateway accepts")
    parser.add_argument("--auth", choices=["bearer", "x-api-key", "both"], default="both")
    parser.add_argument("--cert")
    parser.add_argument("--key-file")
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--log")
    parser.add_argument("--ready-file")
    parser.add_argument("--proxy-port", type=int)
    args = parser.parse_args(argv)
    server = Gateway((args.bind, args.port), args.key, args.auth, [m for m in args.models.split(",") if m], args.log)
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key_file)
        # the handshake happens in the handler thread, so a client that rejects the certificate
        # never blocks the accept loop
        server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    port = server.server_address[1]
    ready = {"port": port}
    if args.proxy_port is not None:
        ready["proxy_port"] = serve_proxy(args.bind, args.proxy_port, args.log)
    text = json.dumps(ready)
    if args.ready_file:
        tmp = args.ready_file + ".tmp"
        with open(tmp, "w") as handle:
            handle.write(text)
        os.replace(tmp, args.ready_file)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
