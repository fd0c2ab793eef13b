"""Start tests/support/fake_gateway.py and make certificates for it (openssl CLI)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FAKE_GATEWAY = os.path.join(HERE, "fake_gateway.py")


def _openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


def make_certificates(directory, names=("127.0.0.1",), ca_name="Fake Corp Root CA"):
    """A CA, a server certificate signed by it for names, and an unrelated self-signed certificate.

    Returns {"ca": path, "cert": path, "key": path, "self_cert": path, "self_key": path}.
    """
    d = str(directory)
    paths = {k: os.path.join(d, v) for k, v in {"ca": "ca.pem", "ca_key": "ca.key", "cert": "server.pem", "key": "server.key",
                                                "self_cert": "self.pem", "self_key": "self.key", "csr": "server.csr",
                                                "ext": "server.ext"}.items()}
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/O=Fake Corp/CN=" + ca_name,
             "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-keyout", paths["ca_key"], "-out", paths["ca"])
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=%s" % names[0], "-keyout", paths["key"], "-out", paths["csr"])
    alt = ",".join(("IP:%s" if n.replace(".", "").isdigit() else "DNS:%s") % n for n in names)
    with open(paths["ext"], "w") as handle:
        handle.write("subjectAltName=%s\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
                     "extendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n" % alt)
    _openssl("x509", "-req", "-in", paths["csr"], "-CA", paths["ca"], "-CAkey", paths["ca_key"], "-CAcreateserial",
             "-days", "2", "-extfile", paths["ext"], "-out", paths["cert"])
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/O=Intercepting Proxy Inc/CN=Self Signed Gateway",
             "-addext", "subjectAltName=%s" % alt, "-keyout", paths["self_key"], "-out", paths["self_cert"])
    return paths


def start_gateway(directory, key, *, bind="127.0.0.1", auth="both", cert=None, cert_key=None, proxy=False,
                  python=sys.executable, prefix=(), models=None):
    """Run the fake gateway (optionally through a command prefix such as fleet.sh exec HOST --).

    Returns (process, {"port": n[, "proxy_port": n]}, log_path).
    """
    d = str(directory)
    tag = "%s-%s-%s" % (bind, auth, os.path.basename(cert) if cert else "plain")
    ready = os.path.join(d, "ready-%s-%d.json" % (tag, time.time_ns()))
    log = os.path.join(d, "requests-%s.jsonl" % tag)
    cmd = [*prefix, python, FAKE_GATEWAY, "--bind", bind, "--key", key, "--auth", auth, "--ready-file", ready, "--log", log]
    if cert:
        cmd += ["--cert", cert, "--key-file", cert_key]
    if proxy:
        cmd += ["--proxy-port", "0"]
    if models:
        cmd += ["--models", ",".join(models)]
    errors = open(os.path.join(d, "gateway-%s.err" % tag), "w")
    # its own process group: stop() ends the wrapper (fleet.sh exec) and the gateway together
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True)
    errors.close()
    for dummy in range(200):
        if os.path.exists(ready):
            with open(ready) as handle:
                return proc, json.load(handle), log
        if proc.poll() is not None:
            with open(os.path.join(d, "gateway-%s.err" % tag)) as handle:
                raise RuntimeError("fake gateway exited: %s" % handle.read())
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("fake gateway did not start")


def stop(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def requests_seen(log):
    if not os.path.exists(log):
        return []
    with open(log) as handle:
        return [json.loads(line) for line in handle if line.strip()]
