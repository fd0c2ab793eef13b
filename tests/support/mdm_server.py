"""Shared plumbing of the stand-in MDM servers (fake_jamf, fake_graph): a test CA made with
cryptography, a threaded HTTPS server on loopback, one-shot fault injection and a request log.

    ca = LoopbackCA(tmp_path)                      # ca.pem (the ca_bundle), server.pem/key for 127.0.0.1
    server = FakeJamf(ca, clients={...}).start()
    server.url                                  # https://127.0.0.1:<port>
    server.inject("GET", "/JSSResource/", 429, {"Retry-After": "1"})   # the next matching request
    server.log                                  # [(method, path, authorised)], never a credential
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import os
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LoopbackCA(object):
    """A throw-away CA and a server certificate for 127.0.0.1 / localhost, written under directory."""

    def __init__(self, directory):
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        now = datetime.datetime.now(datetime.timezone.utc)
        ca_key = ec.generate_private_key(ec.SECP256R1())
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "aiohub.claude_desktop test CA")])
        ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
              .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
              .not_valid_after(now + datetime.timedelta(days=1))
              .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
              .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                                           key_encipherment=False, data_encipherment=False, key_agreement=False,
                                           encipher_only=False, decipher_only=False), critical=True)
              .sign(ca_key, hashes.SHA256()))
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
                .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
                .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]),
                               critical=False)
                .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
                .sign(ca_key, hashes.SHA256()))
        os.makedirs(str(directory), exist_ok=True)
        self.ca_pem = os.path.join(str(directory), "ca.pem")
        self.cert_pem = os.path.join(str(directory), "server.pem")
        self.key_pem = os.path.join(str(directory), "server-key.pem")
        with open(self.ca_pem, "wb") as f:
            f.write(ca.public_bytes(serialization.Encoding.PEM))
        with open(self.cert_pem, "wb") as f:
            f.write(cert.public_bytes(serialization.Encoding.PEM))
        with open(self.key_pem, "wb") as f:
            f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))

    def server_context(self):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert_pem, self.key_pem)
        return ctx


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    handler = None

    def __init__(self, ca):
        ThreadingHTTPServer.__init__(self, ("127.0.0.1", 0), self.handler)
        self.socket = ca.server_context().wrap_socket(self.socket, server_side=True)
        self.lock = threading.RLock()
        self.faults = []
        self.log = []
        self.thread = None

    @property
    def url(self):
        return "https://127.0.0.1:%d" % self.server_address[1]

    def start(self):
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.shutdown()
        self.server_close()

    def inject(self, method, prefix, status, headers=None, body=b"", times=1):
        """The next ``times`` requests of method whose path starts with prefix get this answer."""
        with self.lock:
            self.faults.append([method, prefix, status, dict(headers or {}), body, times])

    def take_fault(self, method, path):
        with self.lock:
            for fault in self.faults:
                if fault[0] == method and path.startswith(fault[1]) and fault[5] > 0:
                    fault[5] -= 1
                    return fault
        return None

    def writes(self):
        return [(m, p) for m, p, _ok in self.log if m in ("POST", "PUT", "PATCH", "DELETE") and "token" not in p]

    def handle_error(self, request, client_address):
        pass


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, status, body=b"", content_type="application/json", headers=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        if body or status not in (204,):
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(body)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def route(self):
        """(path, query) after fault injection; None when a fault answered."""
        path, _sep, query = self.path.partition("?")
        fault = self.server.take_fault(self.command, path)
        if fault is not None:
            self.body()
            self.server.log.append((self.command, path, "fault"))
            self.send(fault[2], fault[4], headers=fault[3])
            return None
        return path, query

    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def do_PUT(self):
        self.dispatch()

    def do_PATCH(self):
        self.dispatch()

    def do_DELETE(self):
        self.dispatch()
