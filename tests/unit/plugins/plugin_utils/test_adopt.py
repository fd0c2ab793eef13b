"""Issue 24 item 1: adopt reads every artifact format as the app reads it, and render -> adopt is the identity.

The configs: every host of the embedded example inventory (its effective layered config), every valid
config of ../shared/peer-configs, and hand-written ones with secrets in nested places. The formats:
every file the render action writes (profile, signed profile, plist, .reg HKLM and HKCU, Linux file,
claude_desktop_config.json, configLibrary/) plus the variants admins have (a binary plist, a binary
profile, a UTF-8 .reg). The group_vars written for each are loaded with Ansible's own YAML loader.
"""

from __future__ import annotations

import datetime
import glob
import json
import os
import plistlib
import stat

import pytest
import yaml

from ansible.parsing.yaml.loader import AnsibleLoader

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _adopt, _cms
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _artifacts as a
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _render as r
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._layers import merge_layers
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import secret_values
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import validate_config

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
# ../shared beside the clone (CI); a git worktree under <checkout>/wt/<name> finds it two levels up
CORPUS = next((p for p in (os.path.join(os.path.dirname(REPO), "shared", "peer-configs"),
                           os.path.join(os.path.dirname(os.path.dirname(REPO)), "shared", "peer-configs")) if os.path.isdir(p)),
              os.path.join(os.path.dirname(REPO), "shared", "peer-configs"))
INVENTORY = os.path.join(REPO, "examples", "inventory")
DEMO_KEY = "sk-test-adopt-demo-key-0a1b2c"
FAKE_SECRET = "7f3a9c1e-secret"

HANDWRITTEN = {
    "gateway-mcp-secrets": {
        "inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "inferenceGatewayApiKey": "sk-test-adopt-1",
        "inferenceCustomHeaders": {"X-Org-Id": "team1"}, "deploymentDisplayName": 'Zürich "Ops" {{ not a template }} \\ x',
        "managedMcpServers": [
            {"name": "docs", "transport": "http", "url": "https://mcp.corp.test/mcp", "headers": {"Authorization": "Bearer tok-adopt-2"}},
            {"name": "local", "transport": "stdio", "command": "/usr/local/bin/mcp", "args": ["--token", "tok-adopt-3"],
             "env": {"API_TOKEN": "tok-adopt-4"}},
        ],
        "inferenceModels": [{"name": "claude-sonnet-4-5", "supports1m": True}, "claude-haiku-4-5"],
        "autoUpdaterEnforcementHours": 12, "disableAutoUpdates": False, "otlpEndpoint": "https://otel.corp.test",
    },
    "bedrock-sso": {
        "inferenceProvider": "bedrock", "inferenceBedrockRegion": "eu-west-1",
        "inferenceBedrockSsoStartUrl": "https://corp.awsapps.com/start", "inferenceBedrockSsoRegion": "us-east-1",
        "inferenceBedrockSsoAccountId": "123456789012", "inferenceBedrockSsoRoleName": "ClaudeUsers",
        "inferenceModels": ["eu.anthropic.claude-sonnet-4-5-20250929-v1:0"],
    },
    "vertex-workforce": {
        "inferenceProvider": "vertex", "inferenceVertexProjectId": "corp-ai", "inferenceVertexRegion": "europe-west4",
        "inferenceCredentialKind": "workforce",
        "inferenceVertexWorkforceAudience": "//iam.googleapis.com/locations/global/workforcePools/p/providers/okta",
        "inferenceVertexWorkforceOidc": {"clientId": "0oa1", "issuer": "https://corp.okta.com", "redirectPort": 53180},
        "inferenceModels": ["claude-sonnet-4@20250514"], "disableEssentialTelemetry": True,
    },
}


def _example_configs():
    """Each example host's effective config (organisation <- team <- host), vault value replaced."""
    hosts = yaml.safe_load(open(os.path.join(INVENTORY, "hosts.yml")))["all"]["children"]
    groups = {h: [g for g, d in hosts.items() if h in (d.get("hosts") or {})] for d in hosts.values() for h in (d.get("hosts") or {})}

    def layer(path, var):
        try:
            with open(path) as f:
                data = yaml.load(f, Loader=AnsibleLoader) or {}
        except FileNotFoundError:
            return {}
        return data.get(var) or {}

    out = {}
    for host, member in sorted(groups.items()):
        layers = [layer(os.path.join(INVENTORY, "group_vars", "all", "claude_desktop.yml"), "claude_desktop_config")]
        layers += [layer(os.path.join(INVENTORY, "group_vars", g, "claude_desktop.yml"), "claude_desktop_team_config") for g in member]
        layers.append(layer(os.path.join(INVENTORY, "host_vars", host, "claude_desktop.yml"), "claude_desktop_host_config"))
        text = json.dumps(merge_layers(layers), default=str).replace("{{ claude_desktop_vault_gateway_api_key }}", DEMO_KEY)
        assert "{{" not in text, (host, text)
        out["example-" + host] = json.loads(text)
    return out


def _peer_configs():
    out = {}
    for path in sorted(glob.glob(os.path.join(CORPUS, "valid", "*.json"))):
        with open(path, encoding="utf-8") as f:
            out["peer-" + os.path.splitext(os.path.basename(path))[0]] = json.load(f)["config"]
    return out


CONFIGS = dict(HANDWRITTEN, **_example_configs(), **_peer_configs())


def test_every_example_config_is_there():
    assert len([c for c in CONFIGS if c.startswith("example-")]) == 5
    assert len([c for c in CONFIGS if c.startswith("peer-")]) >= 22


@pytest.fixture(scope="module")
def signer(tmp_path_factory):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Adopt Test Signer")])
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key()).serial_number(7)
            .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=3650)).sign(key, hashes.SHA256()))
    d = tmp_path_factory.mktemp("signer")
    (d / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (d / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return {"cert_pem": (d / "cert.pem").read_bytes(), "key_pem": (d / "key.pem").read_bytes(), "dir": d}


def _write(directory, files):
    for rel, (fmt, data) in files.items():
        path = os.path.join(str(directory), rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)


def _variants(tmp_path, config, signer):
    """{label: path} of every artifact an admin may hold for this config."""
    machine = tmp_path / "machine"
    _write(machine, a.render_set(config, ["mobileconfig", "plist", "reg", "linux_json", "user_json", "config_library"],
                                 {"identifier": "com.example.adopt", "organization": "Example", "signer": signer}))
    user = tmp_path / "user"
    _write(user, a.render_set(config, ["mobileconfig", "reg"], {"identifier": "com.example.adopt", "scope": "user"}))
    out = {
        "mobileconfig": machine / "claude-desktop.mobileconfig", "signed": machine / "claude-desktop.signed.mobileconfig",
        "plist": machine / "com.anthropic.claudefordesktop.plist", "reg-hklm": machine / "claude-desktop.reg",
        "linux": machine / "managed-settings.json", "user-json": machine / "claude_desktop_config.json",
        "config-library": machine / "configLibrary", "meta-json": machine / "configLibrary" / "_meta.json",
        "user-profile": user / "claude-desktop.mobileconfig", "reg-hkcu": user / "claude-desktop.reg",
    }
    binary = tmp_path / "binary.plist"
    binary.write_bytes(plistlib.dumps(plistlib.loads(out["plist"].read_bytes()), fmt=plistlib.FMT_BINARY))
    out["binary-plist"] = binary
    bprofile = tmp_path / "binary.mobileconfig"
    bprofile.write_bytes(plistlib.dumps(plistlib.loads(out["mobileconfig"].read_bytes()), fmt=plistlib.FMT_BINARY))
    out["binary-profile"] = bprofile
    utf8 = tmp_path / "utf8.reg"
    utf8.write_bytes(r._reg_bytes([r.REG_HEADER, "", "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]"])[2:].decode("utf-16-le")
                     .encode("utf-8") + out["reg-hklm"].read_bytes()[2:].decode("utf-16-le").split("\r\n", 3)[3].encode("utf-8"))
    out["reg-utf8"] = utf8
    pem = tmp_path / "signed.pem.mobileconfig"
    import base64

    pem.write_bytes(b"-----BEGIN PKCS7-----\n" + base64.encodebytes(out["signed"].read_bytes()) + b"-----END PKCS7-----\n")
    out["signed-pem"] = pem
    return out


def _load_group_vars(files):
    """claude_desktop_config as Ansible would see it with these files in group_vars/all: each file loaded
    with Ansible's YAML loader (!unsafe included), the secret variables substituted where referenced."""
    data = {}
    for name, (text, secret) in files.items():
        data.update(yaml.load(text, Loader=AnsibleLoader))
    refs = {"{{ %s }}" % k: v for k, v in data.items() if k.startswith("claude_desktop_secret_")}

    def resolve(value):
        if isinstance(value, dict):
            return {k: resolve(v) for k, v in value.items()}
        if isinstance(value, list):
            return [resolve(v) for v in value]
        if isinstance(value, str):
            return str(refs.get(value, value))
        return value

    return resolve(data["claude_desktop_config"]), data


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_render_then_adopt_gives_the_same_config_for_every_format(name, tmp_path, signer):
    validated = validate_config(CONFIGS[name])
    assert validated.ok, validated.error_message(name)
    config = validated.config
    secrets = secret_values(config)
    for label, path in _variants(tmp_path, config, signer).items():
        source = _adopt.read_source(str(path))
        adopted, findings = _adopt.decode(source)
        assert adopted == config, (name, label)
        assert not [f for f in findings if f["severity"] == "error"], (name, label, findings)
        # the adopted config is valid as the original was, and the group_vars give it back
        # with the format's OS rules the adopted config gets the verdict the original gets (a POSIX MCP command is
        # invalid for Windows either way)
        target = _adopt.FORMAT_OS.get(source.format)
        again, before = validate_config(adopted, target_os=target), validate_config(config, target_os=target)
        assert (again.config, [str(p) for p in again.problems]) == (before.config, [str(p) for p in before.problems]), (name, label)
        files = _adopt.group_vars_files(adopted, source.options, os.path.basename(str(path)), source.format)
        loaded, variables = _load_group_vars(files)
        assert loaded == config, (name, label)
        main = files["claude_desktop.yml"][0]
        for secret in secrets:
            assert secret not in main, (name, label)
        secret_texts = [text for text, is_secret in files.values() if is_secret]
        assert all(any(s in text for text in secret_texts) for s in secrets), (name, label)
        assert sum(1 for f in files.values() if f[1]) == len([k for k in variables if k.startswith("claude_desktop_secret_")])
        if label in ("user-profile", "reg-hkcu"):
            assert source.options["scope"] == "user"
        if label.startswith("signed"):
            assert source.options["signed"] and any("signed profile" in f["message"] for f in source.findings)
        assert FAKE_SECRET not in main


def test_every_secret_gets_its_own_file_and_no_secret_is_elsewhere():
    config = validate_config(HANDWRITTEN["gateway-mcp-secrets"]).config
    files = _adopt.group_vars_files(config, {}, "x.reg", "reg")
    secret_files = sorted(k for k, (t, s) in files.items() if s)
    # what the collection masks in output is what moves: header values and every MCP args entry too (_secrets.mask_config)
    assert secret_files == ["claude_desktop_secret_inference_custom_headers_x_org_id.yml",
                            "claude_desktop_secret_inference_gateway_api_key.yml",
                            "claude_desktop_secret_managed_mcp_servers_0_headers_authorization.yml",
                            "claude_desktop_secret_managed_mcp_servers_1_args_0.yml",
                            "claude_desktop_secret_managed_mcp_servers_1_args_1.yml",
                            "claude_desktop_secret_managed_mcp_servers_1_env_api_token.yml"]
    for rel in secret_files:
        assert len(yaml.load(files[rel][0], Loader=AnsibleLoader)) == 1
    main = files["claude_desktop.yml"][0]
    for value in ("sk-test-adopt-1", "tok-adopt-2", "tok-adopt-3", "tok-adopt-4"):
        assert value not in main
    # text that looks like a template is carried literally (!unsafe), the references are templated
    assert "!unsafe" in main and "{{ not a template }}" in main
    assert "!unsafe" not in "".join(t for t, secret in files.values() if secret)  # no template marks in these secrets
    assert "'{{ claude_desktop_secret_inference_gateway_api_key }}'" in main


def test_a_signed_profile_content_is_what_openssl_prints(tmp_path, signer):
    config = validate_config(HANDWRITTEN["vertex-workforce"]).config
    files = a.render_set(config, ["mobileconfig"], {"identifier": "com.example.adopt", "signer": signer})
    signed = files[a.SIGNED_NAME][1]
    assert _cms.signed_content(signed) == files["claude-desktop.mobileconfig"][1]
    assert _cms.signers(signed) == ["CN=Adopt Test Signer"]


@pytest.mark.realtools
def test_profiles_signed_by_openssl_ber_streamed_and_der_are_read(tmp_path, signer):
    import subprocess

    config = validate_config(HANDWRITTEN["bedrock-sso"]).config
    plain = tmp_path / "p.mobileconfig"
    plain.write_bytes(a.render_set(config, ["mobileconfig"], {"identifier": "com.example.adopt"})["claude-desktop.mobileconfig"][1])
    for extra in ([], ["-stream"]):  # -stream: BER indefinite lengths, as some signing tools write
        out = tmp_path / ("signed%s.mobileconfig" % len(extra))
        subprocess.run(["openssl", "cms", "-sign", "-binary", "-nodetach", "-outform", "DER", "-in", str(plain), "-signer",
                        str(signer["dir"] / "cert.pem"), "-inkey", str(signer["dir"] / "key.pem"), "-out", str(out)] + extra, check=True)
        printed = subprocess.run(["openssl", "smime", "-verify", "-noverify", "-inform", "DER", "-in", str(out)],
                                 capture_output=True, check=True).stdout
        assert _cms.signed_content(out.read_bytes()) == printed == plain.read_bytes()
        source = _adopt.read_source(str(out))
        assert _adopt.decode(source)[0] == config


def test_broken_cms_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.mobileconfig"
    bad.write_bytes(b"\x30\x82\x01\x00" + b"\x00" * 10)
    with pytest.raises(_adopt.AdoptError, match="signed profile but its content cannot be read"):
        _adopt.read_source(str(bad))


def _plist_file(tmp_path, payload, name="p.mobileconfig", profile=True):
    if profile:
        payload = dict(payload, PayloadType=r.PREFERENCE_DOMAIN, PayloadIdentifier="x.settings", PayloadUUID="U", PayloadVersion=1)
        doc = {"PayloadType": "Configuration", "PayloadIdentifier": "x", "PayloadContent": [payload], "PayloadVersion": 1}
    else:
        doc = payload
    path = tmp_path / name
    path.write_bytes(plistlib.dumps(doc))
    return str(path)


def _lint(path, **kwargs):
    source = _adopt.read_source(path)
    config, findings = _adopt.decode(source)
    return source, config, findings + source.findings, validate_config(config, **kwargs)


def test_native_arrays_dotted_sub_keys_and_unknown_keys_are_reported(tmp_path):
    path = _plist_file(tmp_path, {
        "inferenceProvider": "gateway", "inferenceCredentialKind": "interactive", "inferenceGatewayBaseUrl": "https://gw.corp.test",
        "inferenceModels": ["claude-sonnet-4-5"], "coworkEgressAllowedHosts": ["docs.corp.test"],
        "inferenceGatewayOidc.clientId": "abc", "inferenceGatewayOidc.issuer": "https://corp.okta.com",
        "disableAutoUpdates": True, "fooBarEnabled": "true"})
    source, config, findings, result = _lint(path)
    messages = [f["message"] for f in findings]
    assert config["inferenceModels"] == ["claude-sonnet-4-5"] and config["disableAutoUpdates"] is True
    assert any(m.startswith("inferenceModels is a native <array> in the profile") for m in messages)
    assert any(m.startswith("coworkEgressAllowedHosts is a native <array>") for m in messages)
    dotted = [f for f in findings if "dotted sub-keys" in f["message"]]
    assert dotted and dotted[0]["severity"] == "error"
    assert "inferenceGatewayOidc.clientId, inferenceGatewayOidc.issuer" in dotted[0]["message"]
    assert "inferenceGatewayOidc.clientId" not in config
    assert any("disableAutoUpdates is a native plist bool" in m for m in messages)
    assert "fooBarEnabled" in config and any(p.key == "fooBarEnabled" and p.rule == "unknown key" for p in result.problems)


def test_leftover_placeholders_are_found(tmp_path):
    # the AIOHub guide's own example, exported as the app's window would (spec file 000_...: sk-your-api-key, *.example.com)
    guide = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "inferenceGatewayApiKey": "sk-your-api-key",
             "coworkEgressAllowedHosts": ["docs.aiohub.org", "*.example.com"]}
    reg = tmp_path / "guide.reg"
    reg.write_bytes(r.render_reg(validate_config(guide).config, hive="HKEY_CURRENT_USER"))
    marks = dict(_adopt.placeholders(_adopt.decode(_adopt.read_source(str(reg)))[0]))
    assert marks == {"inferenceGatewayApiKey": "the AIOHub guide's sample API key (sk-your-api-key in its text)",
                     "coworkEgressAllowedHosts[1]": "an example.com host (documentation only)"}
    templated = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://REPLACE_GATEWAY_HOST", "inferenceGatewayApiKey": "<your-key>",
                 "managedMcpServers": [{"name": "m", "transport": "http", "url": "https://mcp.example.com/x"}],
                 "deploymentDisplayName": "Example.com.au is fine", "inferenceModels": ["YOUR_MODEL_ID"]}
    marks = _adopt.placeholders(templated)
    assert sorted(p for p, w in marks) == ["inferenceGatewayApiKey", "inferenceGatewayBaseUrl", "inferenceModels[0]", "managedMcpServers[0].url"]


REG_TEXT = "\r\n".join([
    "Windows Registry Editor Version 5.00", "",
    "; exported by hand", "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]",
    '"inferenceProvider"="gateway"', '"inferenceGatewayBaseUrl"="https://gw.corp.test"', '"inferenceGatewayApiKey"="none"',
    '"isDesktopExtensionEnabled"=dword:00000001', '"autoUpdaterEnforcementHours"=dword:00000018',
    '"inferenceModels"="[\\"claude-sonnet-4-5\\"]"',
    '"coworkEgressAllowedHosts"=hex(7):64,00,6f,00,63,00,73,00,00,00,\\', "  00,00",
    '"legacy"=hex(2):25,00,54,00,00,00', '@="x"',
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude\\Nested]", '"inferenceProvider"="vertex"',
    "[HKEY_CURRENT_USER\\SOFTWARE\\Policies\\Claude]", '"disableAutoUpdates"="true"',
    "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Other]", '"x"="y"', ""])


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-8-sig"])
def test_a_reg_file_is_read_as_regedit_and_the_app_do(tmp_path, encoding):
    path = tmp_path / "x.reg"
    path.write_bytes(REG_TEXT.encode(encoding) if encoding != "utf-16" else b"\xff\xfe" + REG_TEXT.encode("utf-16-le"))
    source, config, findings, result = _lint(str(path))
    assert config == {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://gw.corp.test", "inferenceGatewayApiKey": "none",
                      "isDesktopExtensionEnabled": True, "autoUpdaterEnforcementHours": 24, "inferenceModels": ["claude-sonnet-4-5"]}
    text = "\n".join("%s %s" % (f["severity"], f["message"]) for f in findings)
    assert "warning coworkEgressAllowedHosts is a REG_MULTI_SZ, invisible to the app" in text
    assert "error legacy is a REG_EXPAND_SZ" in text
    assert "sub-key HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude\\Nested" in text
    assert "values under both HKEY_CURRENT_USER and HKEY_LOCAL_MACHINE" in text
    assert "(Default) value is set" in text
    assert "disableAutoUpdates" not in config  # HKCU is ignored while HKLM holds values (spec §1.3)
    assert result.ok, result.error_message()


def test_unreadable_sources_fail_clearly(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(_adopt.AdoptError, match="without configLibrary/_meta.json"):
        _adopt.read_source(str(tmp_path / "empty"))
    lib = tmp_path / "lib" / "configLibrary"
    lib.mkdir(parents=True)
    (lib / "_meta.json").write_text('{"entries": [{"id": "a", "name": "Pilot"}]}')
    with pytest.raises(_adopt.AdoptError, match="applies no entry"):
        _adopt.read_source(str(tmp_path / "lib"))
    (tmp_path / "x.txt").write_text("hello")
    with pytest.raises(_adopt.AdoptError, match="is not a .mobileconfig"):
        _adopt.read_source(str(tmp_path / "x.txt"))
    (tmp_path / "bad.reg").write_text("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]\r\n\"a\"=\"b\r\n")
    with pytest.raises(_adopt.AdoptError, match="line 4: unterminated string"):
        _adopt.read_source(str(tmp_path / "bad.reg"))
    (tmp_path / "other.mobileconfig").write_bytes(plistlib.dumps({"PayloadType": "Configuration", "PayloadContent": []}))
    with pytest.raises(_adopt.AdoptError, match="no com.anthropic.claudefordesktop payload"):
        _adopt.read_source(str(tmp_path / "other.mobileconfig"))


def test_legacy_managed_client_payload_is_read(tmp_path):
    inner = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://gw.corp.test", "inferenceGatewayApiKey": "none",
             "disableDeploymentModeChooser": "true"}
    doc = {"PayloadType": "Configuration", "PayloadIdentifier": "legacy", "PayloadContent": [
        {"PayloadType": _adopt.LEGACY_PAYLOAD, "PayloadContent": {r.PREFERENCE_DOMAIN: {"Forced": [{"mcx_preference_settings": inner}]}}}]}
    path = tmp_path / "legacy.mobileconfig"
    path.write_bytes(plistlib.dumps(doc, fmt=plistlib.FMT_BINARY))
    source, config, findings, result = _lint(str(path))
    assert config == dict(inner, disableDeploymentModeChooser=True) and result.ok
    assert source.options["identifier"] == "legacy"


def test_undecodable_values_are_errors_not_silently_dropped(tmp_path):
    path = _plist_file(tmp_path, {"inferenceProvider": "gateway", "disableAutoUpdates": "yes", "autoUpdaterEnforcementHours": "12h"},
                       name="m.plist", profile=False)
    source, config, findings, result = _lint(path)
    errors = [f["message"] for f in findings if f["severity"] == "error"]
    assert any(m.startswith("disableAutoUpdates cannot be read as a boolean") for m in errors)
    assert any(m.startswith("autoUpdaterEnforcementHours cannot be read as an integer") for m in errors)
    assert not result.ok


def test_secret_files_are_0600_and_rewriting_is_idempotent(tmp_path):
    """Through the action's writer: mode 0600 per secret file, 0644 for the config, a second run changes nothing."""
    from ansible_collections.aiohub.claude_desktop.plugins.action.adopt import ActionModule

    class Task(object):
        check_mode = False

    action = ActionModule.__new__(ActionModule)
    action._task = Task()
    config = validate_config(HANDWRITTEN["gateway-mcp-secrets"]).config
    source = _adopt.Source("reg", {}, True)
    params = {"dest": str(tmp_path / "gv"), "vault_id": None, "force": False}
    files, changed = action._write(params, config, source, "x.reg")
    assert changed and len(files) == 7
    for f in files:
        mode = stat.S_IMODE(os.stat(f["path"]).st_mode)
        assert mode == (0o600 if f["secret"] else 0o644), f
    files, changed = action._write(params, config, source, "x.reg")
    assert not changed
    other = dict(config, inferenceGatewayApiKey="sk-test-adopt-other")
    with pytest.raises(Exception, match="dest already holds different files"):
        action._write(params, other, source, "x.reg")
    assert "sk-test-adopt-1" in open(os.path.join(str(tmp_path / "gv"), "claude_desktop_secret_inference_gateway_api_key.yml")).read()


# --------------------------------------------------------------------------- generated configs
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from test_hardening_properties import configs_with_secret  # noqa: E402
from test_properties import valid_configs  # noqa: E402

ROUND_TRIP_FORMATS = ["mobileconfig", "plist", "reg", "linux_json", "user_json", "config_library"]


def _adopt_all(directory, config, scope):
    # a value the registry cannot carry (a line break) is refused for Windows, so no .reg exists for it
    registry = validate_config(config, target_os="windows").ok
    formats = [f for f in ROUND_TRIP_FORMATS if registry or f != "reg"]
    _write(directory, a.render_set(config, formats, {"identifier": "com.example.hyp", "scope": scope}))
    for rel in ("claude-desktop.mobileconfig", "com.anthropic.claudefordesktop.plist", "claude-desktop.reg", "managed-settings.json",
                "claude_desktop_config.json", "configLibrary"):
        if rel.endswith(".reg") and not registry:
            continue
        source = _adopt.read_source(os.path.join(str(directory), rel))
        yield rel, source, _adopt.decode(source)


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(config=valid_configs(), scope=st.sampled_from(["machine", "user"]))
def test_generated_configs_round_trip_through_every_format(tmp_path_factory, config, scope):
    validated = validate_config(config)
    assert validated.ok
    d = tmp_path_factory.mktemp("hyp")
    for rel, source, (adopted, findings) in _adopt_all(d, validated.config, scope):
        assert adopted == validated.config, (rel, str(d), source.values, sorted(os.listdir(str(d))))
        assert _load_group_vars(_adopt.group_vars_files(adopted, source.options, rel, source.format))[0] == validated.config, rel


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much])
@given(case=configs_with_secret())
def test_generated_secrets_never_reach_the_config_file(tmp_path_factory, case):
    secret, config = case
    validated = validate_config(config)
    if not validated.ok:
        return
    for rel, source, (adopted, findings) in _adopt_all(tmp_path_factory.mktemp("hyp"), validated.config, "machine"):
        assert adopted == validated.config, rel
        files = _adopt.group_vars_files(adopted, source.options, rel, source.format)
        assert secret not in files["claude_desktop.yml"][0]
        assert secret not in json.dumps(findings + source.findings)
        assert any(secret in text for text, is_secret in files.values() if is_secret)


def test_a_carriage_return_survives_the_plist_and_profile(tmp_path):
    """Found by the generated round trip: plistlib writes a CR as a line feed; the renderer carries it as &#13;."""
    config = validate_config({"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org",
                              "inferenceGatewayApiKey": "none", "deploymentDisplayName": "a\rb\r\nc"}).config
    for data in (r.render_managed_plist(config), r.render_mobileconfig(config, identifier="x")):
        assert b"&#13;" in data and b"\r" not in data
        path = tmp_path / "p.plist"
        path.write_bytes(data)
        assert _adopt.decode(_adopt.read_source(str(path)))[0]["deploymentDisplayName"] == "a\rb\r\nc"
    plain = validate_config(dict(config, deploymentDisplayName="ab")).config
    assert r.render_managed_plist(plain) == plistlib.dumps(r.managed_values(plain), fmt=plistlib.FMT_XML, sort_keys=True)


@settings(max_examples=3000, deadline=None, database=None)
@given(text=st.text(max_size=30))
def test_any_text_survives_the_group_vars_yaml(text):
    """Found by the generated round trip: U+0085 (NEL) came back as a space (now double-quoted), and Ansible's
    !unsafe resolves implicit types even when quoted (!unsafe '00' loads as 0: only template text gets the tag)."""
    for value in (text, "{{ %s" % text, "%s{%%" % text):
        loaded = yaml.load(_adopt.dump_yaml({"k": _adopt._protect(value)}), Loader=AnsibleLoader)["k"]
        assert isinstance(loaded, str) and str(loaded) == value
