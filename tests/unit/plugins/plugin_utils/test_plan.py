"""plugin_utils/_plan.py (the apply action's plan): paths from the placement table, secrets only in the no_log payload."""

from __future__ import annotations

import base64
import json

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.action.apply import ARGS
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._plan import Planner
from ansible_collections.aiohub.claude_desktop.plugins.module_utils import placement as p
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import mask_config

KEY = "sk-test-plan-1a2b3c"
CONFIG = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "inferenceGatewayApiKey": KEY}


def params(**kw):
    out = {name: spec.get("default") for name, spec in ARGS.items()}
    out.update(managed=True, users=["alice"], state="present")
    out.update(kw)
    return out


@pytest.mark.parametrize("os_name", ["macos", "linux"])
def test_plan_paths_come_from_the_table_and_secrets_stay_in_the_payload(os_name):
    blobs = {}
    variant = Planner(params(), CONFIG, blobs).variant(os_name)
    paths = [item["path"] for item in variant["items"]]
    assert paths[0] == p.managed_source(os_name)["path"]
    assert p.user_config(os_name, "alice", fmt="user_json")["path"] in paths
    assert variant["state_dir"] == p.STATE_DIRS[os_name]
    assert KEY not in json.dumps(variant)
    assert any(KEY.encode() in base64.b64decode(b) for b in blobs.values())
    user = [i for i in variant["items"] if i["kind"] == "json_keys"][0]
    assert user["root"] == p.default_home(os_name, "alice")
    assert all(level["create"] for level in user["dirs"])  # every level below the home is documented
    assert [s["path"] for s in variant["shadow"]] == p.shadow_sources(os_name, ["alice"])


def test_linux_has_no_per_user_managed_source_and_bad_names_name_the_variable():
    with pytest.raises(p.PlacementError, match="managed_settings_user"):
        Planner(params(managed_user="alice"), CONFIG, {}).variant("linux")
    with pytest.raises(p.PlacementError, match="managed_settings_user"):
        Planner(params(managed_user="../../etc/x"), CONFIG, {}).variant("macos")
    with pytest.raises(p.PlacementError, match="claude_desktop_users"):
        Planner(params(users=["../root"]), CONFIG, {}).variant("linux")
    with pytest.raises(p.PlacementError, match="user_config_homes"):
        Planner(params(homes={"alice": "/home/../root"}), CONFIG, {}).variant("linux")


def test_absent_plan_carries_no_content():
    blobs = {}
    variant = Planner(params(state="absent"), {}, blobs).variant("linux")
    assert blobs == {} and all("blob" not in item for item in variant["items"])


def test_validate_output_masks_mcp_args():
    masked = mask_config({"managedMcpServers": [{"name": "gh", "command": "gh", "args": ["--token", "argtok-1"]}]})
    assert "argtok-1" not in json.dumps(masked)
