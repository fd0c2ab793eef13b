"""The role's registry writes equal what Windows' own regedit makes of the collection's .reg file."""

from __future__ import annotations

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import render_reg
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import validate_config
from support.wine import import_and_read, wine_env

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
