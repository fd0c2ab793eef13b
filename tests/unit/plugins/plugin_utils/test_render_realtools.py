"""Artifacts checked with the tools that consume them: plistutil (libplist), Wine's regedit, openssl.

A missing tool is a failure: run scripts/ensure-system-deps.sh (CI does, as root).
"""

from __future__ import annotations

import datetime
import os
import plistlib
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _render as r
from support.wine import import_and_read, wine_env

pytestmark = pytest.mark.realtools

LONG_JSON = [{"name": "claude-model-%03d" % i, "labelOverride": "Model \"%d\" \\ ü" % i} for i in range(40)]
CASES = {
    "gateway": {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org",
                "inferenceGatewayApiKey": "sk-test-real-0001", "disableAutoUpdates": True, "autoUpdaterEnforcementHours": 24},
    "escaping": {"deploymentDisplayName": 'Zürich – 東京 "quoted" \\ back\\slash & <tag>', "inferenceCustomHeaders": {"X-Team": 'a"b\\c'},
                 "coworkEgressAllowedHosts": ["*.example.com", "pypi.org"], "organizationInstructions": "ß∂ƒ © ☃ 𝄞 emoji 🚀"},
    "long_json": {"inferenceModels": LONG_JSON},
}


def need(tool):
    path = shutil.which(tool) or (tool if os.path.exists(tool) else None)
    if not path:
        pytest.fail("%s is not installed: run scripts/ensure-system-deps.sh" % tool)
    return path


def test_long_json_case_is_long():
    assert len(r.managed_values(CASES["long_json"])["inferenceModels"]) > 2048


@pytest.mark.parametrize("name", sorted(CASES))
def test_plistutil_reads_profile_and_plist_exactly(name, tmp_path):
    plistutil = need("plistutil")
    config = CASES[name]
    for data, values_of in ((r.render_mobileconfig(config), lambda p: p["PayloadContent"][0]), (r.render_managed_plist(config), lambda p: p)):
        src = tmp_path / "in.plist"
        src.write_bytes(data)
        # libplist converts to binary and back; plistlib reads both: the values must survive exactly
        subprocess.run([plistutil, "-i", str(src), "-o", str(tmp_path / "b.plist"), "-f", "bin"], check=True)
        subprocess.run([plistutil, "-i", str(tmp_path / "b.plist"), "-o", str(tmp_path / "x.plist"), "-f", "xml"], check=True)
        for parsed in (plistlib.loads((tmp_path / "b.plist").read_bytes()), plistlib.loads((tmp_path / "x.plist").read_bytes())):
            values = values_of(parsed)
            for key, expected in r.managed_values(config).items():
                assert values[key] == expected


@pytest.fixture(scope="session")
def wine(tmp_path_factory):
    return wine_env(tmp_path_factory.mktemp("wineprefix"))


@pytest.mark.parametrize("hive", ["HKEY_LOCAL_MACHINE", "HKEY_CURRENT_USER"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_wine_regedit_imports_every_value_exactly(wine, name, hive, tmp_path):
    config = CASES[name]
    values = import_and_read(wine, r.render_reg(config, hive=hive), hive, tmp_path)
    assert values == r.managed_values(config)


def test_wine_regedit_deletes_values_marked_minus(wine, tmp_path):
    first = dict(CASES["gateway"], chatTabEnabled=True)
    assert "chatTabEnabled" in import_and_read(wine, r.render_reg(first), "HKEY_LOCAL_MACHINE", tmp_path)
    values = import_and_read(wine, r.render_reg(CASES["gateway"], delete=["chatTabEnabled"]), "HKEY_LOCAL_MACHINE", tmp_path, clear=False)
    assert "chatTabEnabled" not in values and values == r.managed_values(CASES["gateway"])


# text regedit can carry in a REG_SZ line: no line breaks, no NUL, no lone surrogates
reg_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
configs = st.dictionaries(st.from_regex(r"[a-z][A-Za-z0-9]{2,20}", fullmatch=True),
                          st.one_of(reg_text, st.booleans(), st.integers(-10 ** 9, 10 ** 9), st.lists(reg_text, max_size=4),
                                    st.dictionaries(reg_text, reg_text, max_size=3)), min_size=1, max_size=8)


def kind_of(value):
    return {bool: "boolean", int: "integer", str: "string"}.get(type(value), "json")


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(configs)
def test_wine_round_trip_random_configs(wine, tmp_path, config):
    values = import_and_read(wine, r.render_reg(config), "HKEY_LOCAL_MACHINE", tmp_path)
    assert {k: r.decode_managed_value(v, kind_of(config[k])) for k, v in values.items()} == config


@settings(max_examples=300, deadline=None)
@given(configs)
def test_every_format_round_trips(config):
    managed = {k: r.decode_managed_value(v, kind_of(config[k])) for k, v in r.parse_reg(r.render_reg(config))[1].items()}
    assert managed == config
    plist = plistlib.loads(r.render_managed_plist(config))
    assert {k: r.decode_managed_value(v, kind_of(config[k])) for k, v in plist.items()} == config
    payload = plistlib.loads(r.render_mobileconfig(config))["PayloadContent"][0]
    assert {k: r.decode_managed_value(payload[k], kind_of(config[k])) for k in config} == config
    import json
    assert json.loads(r.render_linux_json(config)) == config
    assert json.loads(r.merge_user_config(None, config))["enterpriseConfig"] == config
    assert json.loads(r.render_config_library_entry(config)) == config


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    base = tmp_path_factory.mktemp("pki")
    now = datetime.datetime.now(datetime.timezone.utc)

    def make(name, issuer_key=None, issuer_name=None, ca=False):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer_name or subject)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30))
                   .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
        if not ca:
            builder = builder.add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
        cert = builder.sign(issuer_key or key, hashes.SHA256())
        return key, cert

    ca_key, ca = make("Test Root CA", ca=True)
    inter_key, inter = make("Test Intermediate", ca_key, ca.subject, ca=True)
    key, cert = make("Test MDM Signer", inter_key, inter.subject)

    def pem(c):
        return c.public_bytes(serialization.Encoding.PEM)

    (base / "ca.pem").write_bytes(pem(ca))
    return {
        "dir": base,
        "cert_pem": pem(cert),
        "chain_pem": pem(inter),
        "key_pem": key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
    }


def test_openssl_verifies_signed_profile_and_rejects_tampering(pki, tmp_path):
    openssl = need("openssl")
    profile = r.render_mobileconfig(CASES["escaping"], identifier="com.example.claude")
    signed = r.sign_mobileconfig(profile, cert_pem=pki["cert_pem"], key_pem=pki["key_pem"], chain_pem=pki["chain_pem"])
    assert signed == r.sign_mobileconfig(profile, cert_pem=pki["cert_pem"], key_pem=pki["key_pem"], chain_pem=pki["chain_pem"])
    (tmp_path / "signed.mobileconfig").write_bytes(signed)
    verify = [openssl, "smime", "-verify", "-inform", "DER", "-in", str(tmp_path / "signed.mobileconfig"),
              "-CAfile", str(pki["dir"] / "ca.pem"), "-purpose", "any", "-out", str(tmp_path / "out")]
    proc = subprocess.run(verify, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out").read_bytes() == profile
    tampered = bytearray(signed)
    index = bytes(tampered).index("Zürich".encode("utf-8"))
    tampered[index] ^= 0x01  # one bit of the embedded profile
    (tmp_path / "signed.mobileconfig").write_bytes(bytes(tampered))
    assert subprocess.run(verify, capture_output=True, check=False).returncode != 0
    (tmp_path / "signed.mobileconfig").write_bytes(signed)
    untrusted = [a if a != str(pki["dir"] / "ca.pem") else os.devnull for a in verify]
    assert subprocess.run(untrusted, capture_output=True, check=False).returncode != 0  # chain really checked
