"""The role's registry writes equal what Windows' own regedit makes of the collection's .reg file."""

from __future__ import annotations

import subprocess

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._artifacts import reg_delete
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._artifacts import render_set
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import parse_reg, render_reg
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import validate_config
from support.wine import WINE, import_and_read, wine_env

pytestmark = pytest.mark.realtools

CONFIGS = {
    "aiohub": {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org",
               "inferenceGatewayApiKey": "sk-test-wine-compare-1", "coworkEgressAllowedHosts": ["*"], "isDesktopExtensionEnabled": False},
    "escaping": {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://gw.example.com", "inferenceGatewayApiKey": "none",
                 "deploymentDisplayName": 'Zürich – 東京 "Ops" \\ x', "inferenceCustomHeaders": {"X-Team": 'a"b\\c'},
                 "inferenceModels": [{"name": "claude-model-%02d" % i, "labelOverride": "Model \"%d\" ü" % i} for i in range(40)],
                 "isDesktopExtensionEnabled": True, "autoUpdaterEnforcementHours": 12},
}


@pytest.fixture(scope="module")
def wine(tmp_path_factory):
    return wine_env(tmp_path_factory.mktemp("wineprefix"))


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_role_writes_equal_wine_import_of_the_reg(windows, wine, name, tmp_path):
    config = CONFIGS[name]
    run = windows.run(config)
    assert run.returncode == 0, run.stdout[-3000:]
    role_values = {n: v["data"] for n, v in windows.key("HKLM\\SOFTWARE\\Policies\\Claude").items()}
    assert all(v["type"] == "REG_SZ" for v in windows.key("HKLM\\SOFTWARE\\Policies\\Claude").values())
    reg = render_reg(validate_config(config).config)
    wine_values = import_and_read(wine, reg, "HKEY_LOCAL_MACHINE", tmp_path)
    assert wine_values == role_values
    if name == "escaping":
        assert len(role_values["inferenceModels"]) > 2048 and "東京" in role_values["deploymentDisplayName"]


def _reg_query(wine, key):
    return subprocess.run([WINE, "reg", "query", key], env=wine, capture_output=True, text=True, check=False)


def test_removal_reg_deletes_only_the_values_the_config_sets_in_wine(wine, tmp_path):
    """Issue 21 item 10: claude-desktop-remove.reg ("name"=- lines, spec §4.2) deletes our values and
    nothing else: another tool's value, the (Default) value, a sub-key and the key itself stay."""
    config = validate_config(CONFIGS["aiohub"]).config
    files = render_set(config, ["reg"], {"scope": "machine"})
    assert sorted(files) == ["claude-desktop-remove.reg", "claude-desktop.reg"]
    values = import_and_read(wine, files["claude-desktop.reg"][1], "HKEY_LOCAL_MACHINE", tmp_path)
    assert values["inferenceProvider"] == "gateway"
    subprocess.run([WINE, "reg", "add", "HKLM\\Software\\Policies\\Claude", "/v", "otherToolValue", "/d", "keep", "/f"], env=wine,
                   check=True, capture_output=True)
    subprocess.run([WINE, "reg", "add", "HKLM\\Software\\Policies\\Claude\\Sub", "/v", "x", "/d", "1", "/f"], env=wine, check=True,
                   capture_output=True)
    src = tmp_path / "remove.reg"
    src.write_bytes(files["claude-desktop-remove.reg"][1])
    key, deleted = parse_reg(src.read_bytes())
    assert key == "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude"
    assert deleted == {name: None for name in config}  # exactly the config's values, each "name"=-
    subprocess.run([WINE, "regedit", "/S", "Z:" + str(src).replace("/", "\\")], env=wine, check=True, capture_output=True, timeout=120)
    query = _reg_query(wine, "HKLM\\Software\\Policies\\Claude")
    assert query.returncode == 0 and "otherToolValue" in query.stdout
    assert not any(name in query.stdout for name in config)
    assert _reg_query(wine, "HKLM\\Software\\Policies\\Claude\\Sub").returncode == 0


def test_reg_delete_absent_deletes_only_what_the_previous_reg_delivered(wine, tmp_path):
    """A value another tool wrote (a documented key included) survives; one the last .reg delivered is deleted."""
    first = dict(CONFIGS["aiohub"], disableAutoUpdates=True)
    previous = tmp_path / "claude-desktop.reg"
    previous.write_bytes(render_reg(validate_config(first).config))
    import_and_read(wine, previous.read_bytes(), "HKEY_LOCAL_MACHINE", tmp_path)
    subprocess.run([WINE, "reg", "add", "HKLM\\Software\\Policies\\Claude", "/v", "autoUpdaterEnforcementHours", "/d", "12", "/f"],
                   env=wine, check=True, capture_output=True)
    second = validate_config(CONFIGS["aiohub"]).config
    delete = reg_delete(previous.read_bytes(), second)
    assert delete == ["disableAutoUpdates"]
    values = import_and_read(wine, render_reg(second, delete=delete), "HKEY_LOCAL_MACHINE", tmp_path, clear=False)
    assert "disableAutoUpdates" not in values and values["autoUpdaterEnforcementHours"] == "12"


def test_numbers_reach_the_registry_as_decimal_strings(wine, tmp_path):
    config = dict(CONFIGS["aiohub"], inferenceModelPricingMultiplier=1e-05)
    values = import_and_read(wine, render_reg(validate_config(config).config), "HKEY_LOCAL_MACHINE", tmp_path)
    assert values["inferenceModelPricingMultiplier"] == "0.00001"
