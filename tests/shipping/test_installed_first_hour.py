"""Issue 21 items 6, 7, 8, 9: a new admin's first hour, on the installed collection by FQCN.

Each test builds a project as a user would (inventory/ with group_vars/ and host_vars/, a Vault
file encrypted with ansible-vault) and runs `ansible-playbook aiohub.claude_desktop.<playbook>`
from the tarball installed apart, without the repository's ansible.cfg. No root and no fleet:
validate and render touch no host; the WinRM test talks to a stand-in on 127.0.0.1 that refuses
every login as a Windows host with wrong credentials does (HTTP 401).
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml

from shipping_helpers import BIN, REPO, installed_env

KEY = "sk-test-first-hour-8c7b6a5d4e"
ROTATED = "sk-test-first-hour-rotated-1a2b3c"
VAULT_PASSWORD = "first-hour-vault-password"
CHANGED = "******** (changed)"
_NO_ANSIBLE_ENV = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}  # not the checkout's ansible.cfg


def _vault(text, path, password_file):
    """ansible-vault encrypt of a file's whole text (what `ansible-vault create` writes)."""
    path.write_text(text)
    proc = subprocess.run([os.path.join(BIN, "ansible-vault"), "encrypt", "--vault-password-file", str(password_file), str(path)],
                          capture_output=True, text=True, check=False, env=_NO_ANSIBLE_ENV,
                          cwd=str(password_file.parent))
    assert proc.returncode == 0, proc.stderr


def _encrypt_string(value, name, password_file):
    """`<value> | ansible-vault encrypt_string --stdin-name <name>` (value exactly as piped, e.g. echo's newline)."""
    proc = subprocess.run([os.path.join(BIN, "ansible-vault"), "encrypt_string", "--vault-password-file", str(password_file),
                           "--stdin-name", name], input=value, capture_output=True, text=True, check=False,
                          env=_NO_ANSIBLE_ENV, cwd=str(password_file.parent))
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


class Project(object):
    def __init__(self, root, collections, hosts, config=None):
        self.root, self.collections = root, collections
        self.inventory = root / "inventory"
        (self.inventory / "group_vars" / "all").mkdir(parents=True)
        (self.inventory / "host_vars").mkdir()
        self.password = root / "vault-pass.txt"
        self.password.write_text(VAULT_PASSWORD + "\n")
        (self.inventory / "hosts.yml").write_text(yaml.safe_dump({"all": {"hosts": hosts}}))
        self.set_config(config or {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org",
                                   "inferenceGatewayApiKey": "{{ vault_aiohub_api_key }}", "coworkEgressAllowedHosts": ["docs.aiohub.org"]})
        self.set_key(KEY)

    def set_config(self, config, **extra):
        (self.inventory / "group_vars" / "all" / "claude_desktop.yml").write_text(yaml.safe_dump(dict(extra, claude_desktop_config=config)))

    def set_key(self, key):
        _vault("vault_aiohub_api_key: %s\n" % key, self.inventory / "group_vars" / "all" / "vault.yml", self.password)

    def run(self, playbook, *args, env=None):
        cmd = [os.path.join(BIN, "ansible-playbook"), "-i", str(self.inventory), "--vault-password-file", str(self.password),
               "aiohub.claude_desktop." + playbook, *args]
        environ = installed_env(self.collections, self.root)
        environ.update(env or {})
        return subprocess.run(cmd, capture_output=True, text=True, env=environ, cwd=str(self.root), check=False, timeout=300)


LINUX_HOSTS = {"lin1": {"claude_desktop_os": "linux"}, "mac1": {"claude_desktop_os": "macos"}}


@pytest.fixture
def project(installed, tmp_path):
    return Project(tmp_path, installed, dict(LINUX_HOSTS))


def _out(proc):
    return proc.stdout + proc.stderr


# ------------------------------------------------------------------ item 6: key hygiene
def test_a_vault_key_with_echos_newline_is_refused_naming_the_key(project):
    encrypted = _encrypt_string(KEY + "\n", "vault_aiohub_api_key", project.password)  # echo sk-... | ansible-vault encrypt_string
    (project.inventory / "group_vars" / "all" / "vault.yml").write_text(encrypted)
    proc = project.run("validate")
    out = _out(proc)
    assert proc.returncode != 0, out[-3000:]
    assert "inferenceGatewayApiKey: ends with a line feed (U+000A)" in out, out[-3000:]
    assert "printf '%s'" in out
    assert KEY not in out
    # the same key without the newline validates
    project.set_key(KEY)
    assert project.run("validate").returncode == 0


@pytest.mark.parametrize("value,said", [("  %s  " % KEY, "starts with a space"), ("Bearer %s" % KEY, "starts with 'Bearer'")])
def test_a_host_key_with_spaces_or_a_scheme_word_is_refused_on_that_host(project, value, said):
    (project.inventory / "host_vars" / "lin1.yml").write_text(yaml.safe_dump({"claude_desktop_host_config": {"inferenceGatewayApiKey": value}}))
    proc = project.run("validate")
    out = _out(proc)
    assert proc.returncode != 0
    line = [ln for ln in out.splitlines() if "inferenceGatewayApiKey" in ln and said in ln]
    assert line and "lin1" in line[0] and "mac1" not in line[0], out[-3000:]
    assert KEY not in out


# ------------------------------------------------------------------ item 7: claude_desktop_strict
def test_strict_makes_warnings_fail_validate_render_and_deploy(project, tmp_path):
    config = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org/v1",
              "inferenceGatewayApiKey": "{{ vault_aiohub_api_key }}"}
    project.set_config(config)
    artifacts = "claude_desktop_artifacts_dir=%s" % (tmp_path / "out")
    relaxed = project.run("validate")
    assert relaxed.returncode == 0, _out(relaxed)[-3000:]
    assert "ends with /v1" in relaxed.stdout  # a warning: vendors report it, the app's documentation does not
    project.set_config(config, claude_desktop_strict=True)
    for playbook, args in (("validate", ()), ("render", ("-e", artifacts)), ("deploy", ("--check",))):
        proc = project.run(playbook, *args)
        out = _out(proc)
        assert proc.returncode != 0, (playbook, out[-3000:])
        assert "claude_desktop_strict makes it fail this host" in out, (playbook, out[-3000:])
        assert "UNREACHABLE" not in out  # deploy stopped in its validation play, before any connection
    assert not (tmp_path / "out" / "lin1").exists()
    # -e wins over the inventory, as the docs say
    assert project.run("validate", "-e", "claude_desktop_strict=false").returncode == 0


# ------------------------------------------------------------------ item 9: key rotation in --check --diff
def test_render_check_diff_shows_a_rotated_key_as_changed_and_neither_key(project, tmp_path):
    artifacts = tmp_path / "out"
    first = project.run("render", "-e", "claude_desktop_artifacts_dir=%s" % artifacts)
    assert first.returncode == 0, _out(first)[-3000:]
    before = (artifacts / "lin1" / "managed-settings.json").read_bytes()
    project.set_key(ROTATED)
    proc = project.run("render", "--check", "--diff", "-e", "claude_desktop_artifacts_dir=%s" % artifacts)
    out = _out(proc)
    assert proc.returncode == 0, out[-3000:]
    assert '"inferenceGatewayApiKey": "%s"' % CHANGED in out, out[-3000:]
    assert '"inferenceGatewayApiKey": "********"' in out  # the before side
    assert KEY not in out and ROTATED not in out
    assert (artifacts / "lin1" / "managed-settings.json").read_bytes() == before  # check mode wrote nothing
    # an unchanged key is not "changed"
    project.set_key(KEY)
    again = project.run("render", "--check", "--diff", "-e", "claude_desktop_artifacts_dir=%s" % artifacts)
    assert CHANGED not in _out(again) and again.returncode == 0


# ------------------------------------------------------------------ item 8: what the controller needs, failures as what they are
def test_missing_windows_collection_is_named_with_the_install_command(installed, tmp_path):
    pc1 = {"claude_desktop_os": "windows", "ansible_connection": "winrm", "ansible_host": "127.0.0.1",
           "ansible_port": 9, "ansible_user": "x", "ansible_password": "y"}
    hosts = dict(LINUX_HOSTS, pc1=pc1)
    project = Project(tmp_path, installed, hosts)
    # a controller whose only collections are the installed tarball (no `ansible` package's bundle)
    bare = {"ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false"}
    proc = project.run("validate", env=bare)
    out = _out(proc)
    assert proc.returncode == 0, out[-3000:]  # validate.yml: a warning, the configs are fine
    assert re.search(r"WARNING +pc1: the collection ansible\.windows is not installed on this controller", out), out[-3000:]
    assert "ansible-galaxy collection install ansible.windows" in out
    deploy = project.run("deploy", "--check", "--limit", "pc1", env=bare)
    out = _out(deploy)
    assert deploy.returncode != 0
    assert "ansible-galaxy collection install ansible.windows" in out and "UNREACHABLE" not in out, out[-3000:]
    # with the collection present (the `ansible` package here), no such finding
    assert "ansible.windows is not installed" not in _out(project.run("validate"))


class _RefusingWinRM(BaseHTTPRequestHandler):
    """A WinRM listener that refuses every login (HTTP 401 with the Basic/Negotiate challenges a
    Windows host sends for bad credentials)."""

    def do_POST(self):  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="WSMAN"')
        self.send_header("WWW-Authenticate", "Negotiate")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def refusing_winrm():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RefusingWinRM)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_a_refused_winrm_login_is_reported_as_such_not_as_unreachable(installed, tmp_path, refusing_winrm):
    hosts = {"pc1": {"claude_desktop_os": "windows", "ansible_connection": "winrm", "ansible_host": "127.0.0.1",
                     "ansible_port": refusing_winrm, "ansible_winrm_scheme": "http", "ansible_winrm_transport": "basic",
                     "ansible_user": "CORP\\ansible-deploy", "ansible_password": "wrong-password"}}
    project = Project(tmp_path, installed, hosts)
    proc = project.run("deploy")
    out = _out(proc)
    assert proc.returncode != 0
    summary = out[out.rindex("CLAUDE DESKTOP ROLLOUT SUMMARY"):]
    assert "1 failed, 0 unreachable" in summary, summary
    assert "login refused" in summary and "ansible_password" in summary, summary
    assert "a rerun will not help" in out
    assert "Rerun the playbook with --limit" not in out and "rerun with --limit" not in summary
    assert "wrong-password" not in out


# ------------------------------------------------------------------ item 8: the quickstart, followed literally
def _blocks(text, lang):
    return re.findall(r"```%s\n(.*?)```" % lang, text, re.S)


def test_quickstart_inventory_sets_become_and_winrm_credentials(installed, tmp_path):
    with open(os.path.join(REPO, "docs", "quickstart.md"), encoding="utf-8") as f:
        guide = f.read()
    yamls = _blocks(guide, "yaml")
    hosts = next(b for b in yamls if b.startswith("all:"))
    windows = next(b for b in yamls if "ansible_connection: winrm" in b)
    org = next(b for b in yamls if b.startswith("claude_desktop_config:"))
    vault = next(b for b in yamls if b.startswith("vault_aiohub_api_key:"))
    inventory = tmp_path / "claude-fleet" / "inventory"
    (inventory / "group_vars" / "all").mkdir(parents=True)
    (inventory / "group_vars" / "windows").mkdir()
    (inventory / "hosts.yml").write_text(hosts)
    (inventory / "group_vars" / "windows" / "connection.yml").write_text(windows)
    (inventory / "group_vars" / "all" / "claude_desktop.yml").write_text(org)
    password = tmp_path / "pass.txt"
    password.write_text(VAULT_PASSWORD)
    _vault(vault.replace("sk-...", KEY).replace("vault_winrm_password: ...", "vault_winrm_password: pc-secret-0001"),
           inventory / "group_vars" / "all" / "vault.yml", password)
    env = installed_env(installed, tmp_path / "claude-fleet")
    inv = subprocess.run([os.path.join(BIN, "ansible-inventory"), "-i", str(inventory), "--vault-password-file", str(password), "--list"],
                         capture_output=True, text=True, env=env, check=False)
    assert inv.returncode == 0, inv.stderr
    hostvars = __import__("json").loads(inv.stdout)["_meta"]["hostvars"]
    assert hostvars["test-mac"]["ansible_become"] is True and hostvars["test-linux"]["ansible_become"] is True
    assert hostvars["test-pc"]["ansible_password"] == "{{ vault_winrm_password }}" and "ansible_user" in hostvars["test-pc"]
    proc = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-i", str(inventory), "--vault-password-file", str(password),
                           "aiohub.claude_desktop.validate"], capture_output=True, text=True, env=env, cwd=str(tmp_path / "claude-fleet"),
                          check=False)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "3 valid" in proc.stdout and KEY not in proc.stdout
