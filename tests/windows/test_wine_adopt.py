"""Issue 24: adopt reads what Windows' own tools export (Wine's regedit and reg as the stand-in for Windows)."""

from __future__ import annotations

import subprocess

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _adopt
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import render_reg
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import validate_config
from support.wine import WINE, _winpath, import_and_read, wine_env

pytestmark = pytest.mark.realtools

CONFIG = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "inferenceGatewayApiKey": "sk-test-wine-adopt-1",
          "deploymentDisplayName": 'Zürich – 東京 "Ops" \\ x', "inferenceCustomHeaders": {"X-Team": 'a"b\\c'},
          "inferenceModels": ["claude-sonnet-4-5", {"name": "claude-opus-4-1", "supports1m": True}], "autoUpdaterEnforcementHours": 12,
          "isDesktopExtensionEnabled": False}


@pytest.fixture(scope="module")
def wine(tmp_path_factory):
    return wine_env(tmp_path_factory.mktemp("wineprefix-adopt"))


def _export(wine, key, tmp_path):
    out = tmp_path / "export.reg"
    subprocess.run([WINE, "reg", "export", key, _winpath(out), "/y"], env=wine, check=True, capture_output=True, timeout=120)
    return out


@pytest.mark.parametrize("hive", ["HKEY_LOCAL_MACHINE", "HKEY_CURRENT_USER"])
def test_a_regedit_export_of_our_reg_adopts_to_the_same_config(wine, tmp_path, hive):
    config = validate_config(CONFIG).config
    import_and_read(wine, render_reg(config, hive=hive), hive, tmp_path)
    source = _adopt.read_source(str(_export(wine, "%s\\Software\\Policies\\Claude" % hive, tmp_path)))
    adopted, findings = _adopt.decode(source)
    assert adopted == config
    assert source.options.get("scope") == ("user" if hive == "HKEY_CURRENT_USER" else None)


def test_values_written_with_reg_add_types_and_all(wine, tmp_path):
    key = "HKEY_CURRENT_USER\\Software\\Policies\\Claude"
    subprocess.run([WINE, "reg", "delete", key, "/f"], env=wine, capture_output=True, check=False)
    for name, kind, data in (("inferenceProvider", "REG_SZ", "gateway"), ("inferenceGatewayBaseUrl", "REG_SZ", "https://gw.corp.test"),
                             ("inferenceGatewayApiKey", "REG_SZ", "none"), ("isDesktopExtensionEnabled", "REG_DWORD", "1"),
                             ("autoUpdaterEnforcementHours", "REG_DWORD", "48"), ("coworkEgressAllowedHosts", "REG_MULTI_SZ", "a.corp.test"),
                             ("legacy", "REG_EXPAND_SZ", "%TEMP%")):
        subprocess.run([WINE, "reg", "add", key, "/v", name, "/t", kind, "/d", data, "/f"], env=wine, check=True, capture_output=True, timeout=120)
    source = _adopt.read_source(str(_export(wine, key, tmp_path)))
    adopted, findings = _adopt.decode(source)
    assert adopted == {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://gw.corp.test", "inferenceGatewayApiKey": "none",
                       "isDesktopExtensionEnabled": True, "autoUpdaterEnforcementHours": 48}
    text = " | ".join("%s %s" % (f["severity"], f["message"]) for f in source.findings)
    assert "coworkEgressAllowedHosts is a REG_MULTI_SZ, invisible to the app" in text
    assert "error legacy is a REG_EXPAND_SZ" in text
