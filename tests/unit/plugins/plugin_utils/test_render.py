"""Renderers: encodings, determinism, merges that keep foreign keys, malformed input."""

from __future__ import annotations

import json
import plistlib

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _render as r

KEY = "sk-test-render-1234567890"
CONFIG = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "inferenceGatewayApiKey": KEY,
          "disableAutoUpdates": True, "autoUpdaterEnforcementHours": 24, "coworkEgressAllowedHosts": ["*.example.com", "a.io"],
          "inferenceCustomHeaders": {"X-Org": "team \"1\" \\ 東京"}, "deploymentDisplayName": "A & B <Corp>"}


def test_managed_string_encoding_and_inverse():
    values = r.managed_values(CONFIG)
    assert list(values) == sorted(CONFIG)
    assert values["disableAutoUpdates"] == "true" and values["autoUpdaterEnforcementHours"] == "24"
    assert values["coworkEgressAllowedHosts"] == '["*.example.com","a.io"]'
    assert json.loads(values["inferenceCustomHeaders"]) == CONFIG["inferenceCustomHeaders"]
    assert r.decode_managed_value("false", "boolean") is False and r.decode_managed_value("1", "boolean") is True
    assert r.decode_managed_value("24", "integer") == 24 and r.decode_managed_value("1.5", "number") == 1.5
    with pytest.raises(ValueError):
        r.decode_managed_value("yes", "boolean")


def test_mobileconfig_structure_strings_and_determinism():
    data = r.render_mobileconfig(CONFIG, identifier="com.example.claude", organization="Example", scope="User")
    assert data == r.render_mobileconfig(CONFIG, identifier="com.example.claude", organization="Example", scope="User")
    profile = plistlib.loads(data)
    assert profile["PayloadType"] == "Configuration" and profile["PayloadScope"] == "User"
    assert profile["PayloadOrganization"] == "Example" and len(profile["PayloadContent"]) == 1
    payload = profile["PayloadContent"][0]
    assert payload["PayloadType"] == r.PREFERENCE_DOMAIN and payload["PayloadIdentifier"] == "com.example.claude.settings"
    for key, value in r.managed_values(CONFIG).items():
        assert payload[key] == value and isinstance(payload[key], str)
    assert b"A &amp; B &lt;Corp&gt;" in data
    changed = plistlib.loads(r.render_mobileconfig(dict(CONFIG, disableAutoUpdates=False), identifier="com.example.claude",
                                                   organization="Example", scope="User"))
    assert changed["PayloadUUID"] != profile["PayloadUUID"]
    assert changed["PayloadContent"][0]["PayloadUUID"] != payload["PayloadUUID"]
    assert profile["PayloadUUID"] == profile["PayloadUUID"].upper()
    with pytest.raises(ValueError):
        r.render_mobileconfig(CONFIG, scope="Machine")


def test_managed_plist_is_flat_strings():
    assert plistlib.loads(r.render_managed_plist(CONFIG)) == r.managed_values(CONFIG)


def test_reg_encoding_escaping_and_deletions():
    data = r.render_reg(CONFIG, delete=["chatTabEnabled", "disableAutoUpdates"])
    assert data.startswith(b"\xff\xfe")
    text = data[2:].decode("utf-16-le")
    assert text.startswith("Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]\r\n")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert '"inferenceCustomHeaders"="{\\"X-Org\\":\\"team \\\\\\"1\\\\\\" \\\\\\\\ 東京\\"}"' in text
    assert '"chatTabEnabled"=-' in text and '"disableAutoUpdates"=-' not in text
    key, values = r.parse_reg(data)
    assert key == "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude"
    assert {k: v for k, v in values.items() if v is not None} == r.managed_values(CONFIG) and values["chatTabEnabled"] is None
    assert r.parse_reg(r.render_reg(CONFIG, hive="HKEY_CURRENT_USER"))[0].startswith("HKEY_CURRENT_USER\\")
    with pytest.raises(ValueError):
        r.render_reg(CONFIG, hive="HKEY_USERS")
    with pytest.raises(ValueError):
        r.render_reg({"organizationInstructions": "two\nlines"})


def test_linux_json_native_types():
    data = r.render_linux_json(CONFIG)
    assert json.loads(data) == CONFIG and data.endswith(b"\n") and list(json.loads(data)) == sorted(CONFIG)


def test_user_config_merge_keeps_foreign_keys_and_order():
    existing = json.dumps({"mcpServers": {"fs": {"command": "/bin/fs"}}, "preferences": {"theme": "dark"},
                           "enterpriseConfig": {"old": 1}}).encode()
    merged = json.loads(r.merge_user_config(existing, CONFIG))
    assert list(merged) == ["mcpServers", "preferences", "enterpriseConfig"]
    assert merged["enterpriseConfig"] == CONFIG and merged["preferences"] == {"theme": "dark"}
    removed = json.loads(r.remove_user_config(r.merge_user_config(existing, CONFIG)))
    assert removed == {"mcpServers": {"fs": {"command": "/bin/fs"}}, "preferences": {"theme": "dark"}}
    assert json.loads(r.merge_user_config(None, CONFIG, deployment_mode="3p"))["deploymentMode"] == "3p"
    assert json.loads(r.merge_user_config(b"\xef\xbb\xbf{}", CONFIG))["enterpriseConfig"] == CONFIG


@pytest.mark.parametrize("existing", [b'{"mcpServers": {"a": ', b"[1, 2]", b"\xff\xfe{}", ('{"inferenceGatewayApiKey": "%s",' % KEY).encode()])
def test_malformed_user_config_raises_without_content(existing):
    with pytest.raises(r.MalformedConfigFile) as err:
        r.merge_user_config(existing, CONFIG)
    assert KEY not in str(err.value) and "mcpServers" not in str(err.value)
    with pytest.raises(r.MalformedConfigFile):
        r.remove_user_config(existing)


def test_config_library_entries():
    entry_id = r.config_library_entry_id("com.example.claude")
    assert entry_id == r.config_library_entry_id("com.example.claude") != r.config_library_entry_id("other")
    assert len(entry_id) == 36 and entry_id == entry_id.lower()
    assert json.loads(r.render_config_library_entry(CONFIG)) == CONFIG
    foreign = json.dumps({"appliedId": "f" * 8, "entries": [{"id": "f" * 8, "name": "Mine"}], "extra": True}).encode()
    meta = json.loads(r.merge_config_library_meta(foreign, entry_id=entry_id, name="Corp"))
    assert meta["appliedId"] == entry_id and meta["extra"] is True
    assert meta["entries"] == [{"id": "f" * 8, "name": "Mine"}, {"id": entry_id, "name": "Corp"}]
    renamed = json.loads(r.merge_config_library_meta(json.dumps(meta).encode(), entry_id=entry_id, name="New", apply=False))
    assert [e["name"] for e in renamed["entries"]] == ["Mine", "New"]
    back = json.loads(r.remove_from_config_library_meta(json.dumps(meta).encode(), entry_id=entry_id))
    assert back == {"entries": [{"id": "f" * 8, "name": "Mine"}], "extra": True}
    only_ours = r.merge_config_library_meta(None, entry_id=entry_id, name="Corp")
    assert json.loads(r.remove_from_config_library_meta(only_ours, entry_id=entry_id)) == {}
    with pytest.raises(r.MalformedConfigFile):
        r.merge_config_library_meta(b'{"entries": {}}', entry_id=entry_id, name="x")
