"""registry_policy's pure parts: "present" as the app decides it, the masked diff lines, the plan."""

from __future__ import annotations

import json

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.action.registry_policy import (
    DEFAULT_KIND_SCRIPT, plan_changes, presence, resolve_default_kind, shown)
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import MASK


@pytest.mark.parametrize("props, expected", [
    # spec §1.3: any REG_SZ, REG_EXPAND_SZ or REG_DWORD value, an empty string included
    ({"a": {"type": "REG_SZ", "raw_value": ""}}, ["a (an empty string)"]),
    ({"a": {"type": "REG_SZ", "raw_value": "x"}}, ["a (REG_SZ)"]),
    ({"a": {"type": "REG_DWORD", "raw_value": 0}}, ["a (REG_DWORD)"]),
    ({"a": {"type": "REG_EXPAND_SZ", "raw_value": "%TEMP%"}}, ["a (REG_EXPAND_SZ, never read by the app but counted as present)"]),
    # "including the key's unnamed (Default) value when set": win_reg_stat reports it as REG_SZ, data as stored
    ({"": {"type": "REG_SZ", "raw_value": ""}}, ["(Default) (an empty string)"]),
    # an Int32 (Default) may be a REG_DWORD or a REG_QWORD (win_reg_stat.ps1:32-35 types it REG_SZ): left
    # unresolved it counts, as the REG_DWORD it may be would
    ({"": {"type": "REG_SZ", "raw_value": 1}},
     ["(Default) (a number, REG_DWORD or REG_QWORD: its type could not be read (win_reg_stat reports every (Default) as "
      "REG_SZ), so it is counted as a REG_DWORD)"]),
    ({"": {"type": "REG_SZ", "raw_value": -1, "kind_error": "Cannot invoke method."}},
     ["(Default) (a number, REG_DWORD or REG_QWORD: its type could not be read (Cannot invoke method.), so it is counted as a REG_DWORD)"]),
    # outside the Int32 range only a REG_QWORD can hold it; typed (resolve_default_kind, the user hives script) it is decided
    ({"": {"type": "REG_SZ", "raw_value": 2 ** 31}}, []),
    ({"": {"type": "REG_SZ", "raw_value": -2 ** 31 - 1}}, []),
    ({"": {"type": "REG_QWORD", "raw_value": 1}}, []),
    ({"": {"type": "REG_QWORD", "raw_value": None}}, []),
    ({"": {"type": "REG_BINARY", "raw_value": None}}, []),
    ({"": {"type": "REG_DWORD", "raw_value": 1}}, ["(Default) (REG_DWORD)"]),
    ({"": {"type": "REG_EXPAND_SZ", "raw_value": "%TEMP%"}}, ["(Default) (REG_EXPAND_SZ, never read by the app but counted as present)"]),
    ({"": {"type": "REG_SZ", "raw_value": "v"}}, ["(Default) (set)"]),
    # REG_QWORD, REG_MULTI_SZ, REG_BINARY are invisible to the app; a list-valued (Default) is one of those
    ({"q": {"type": "REG_QWORD", "raw_value": 1}, "m": {"type": "REG_MULTI_SZ", "raw_value": ["a"]},
      "b": {"type": "REG_BINARY", "raw_value": ["0x01"]}, "": {"type": "REG_SZ", "raw_value": ["a"]}}, []),
    ({}, []),
])
def test_presence_follows_the_spec_definition(props, expected):
    assert presence(props) == expected


def test_the_default_type_is_asked_only_when_win_reg_stat_leaves_it_open():
    calls = []

    def run(kind, failed=False):
        def runner(args):
            calls.append(args)
            return {"failed": True, "error": [{"output": "Cannot invoke method."}]} if failed else {"output": [kind] if kind else []}
        return runner

    key = "HKLM:\\SOFTWARE\\Policies\\Claude"
    for props in ({}, {"a": {"type": "REG_DWORD", "raw_value": 1}}, {"": {"type": "REG_SZ", "raw_value": "x"}},
                  {"": {"type": "REG_SZ", "raw_value": 2 ** 40}}, {"": {"type": "REG_SZ", "raw_value": [1]}}):
        assert resolve_default_kind(run("QWord"), key, props) == props
    assert calls == []
    props = {"": {"type": "REG_SZ", "raw_value": 7}, "a": {"type": "REG_SZ", "raw_value": ""}}
    assert resolve_default_kind(run("QWord"), key, props)[""]["type"] == "REG_QWORD"
    assert calls == [{"script": DEFAULT_KIND_SCRIPT, "parameters": {"Key": "SOFTWARE\\Policies\\Claude"}}]
    assert presence(resolve_default_kind(run("QWord"), key, props)) == ["a (an empty string)"]
    assert presence(resolve_default_kind(run("DWord"), key, props)) == ["(Default) (REG_DWORD)", "a (an empty string)"]
    unread = resolve_default_kind(run(None, failed=True), key, props)
    assert unread[""]["type"] == "REG_SZ" and unread[""]["kind_error"] == "Cannot invoke method."
    assert presence(unread)[0].startswith("(Default) (a number, REG_DWORD or REG_QWORD: its type could not be read (Cannot invoke")
    assert resolve_default_kind(run(None), key, props)[""]["kind_error"] == "the value is gone"
    assert resolve_default_kind(run("QWord"), "HKU:\\S-1-5-18\\X", props)[""]["kind_error"]


def test_shown_masks_nested_secrets_of_any_value_before_or_after():
    servers = [{"name": "a", "headers": {"Authorization": "Bearer sk-test-1111"}}, {"name": "b", "env": {"T": "sk-test-2222"}},
               {"name": "c", "oauth": {"clientId": "id", "clientSecret": "sk-test-3333"}}]
    line = shown("managedMcpServers", json.dumps(servers), [])
    assert "sk-test-" not in line
    assert '"oauth":{"clientId":"id","clientSecret":"********"}' in line and '"name":"a"' in line
    assert shown("inferenceGatewayApiKey", "sk-test-4444", []) == "inferenceGatewayApiKey = " + MASK
    assert shown("otlpHeaders", '{"Authorization":"Bearer sk-test-5555"}', []) == "otlpHeaders = " + MASK
    assert shown("managedMcpServers", '[{"headers": {"X": "sk-test-6666"', ["sk-test-6666"]) == 'managedMcpServers = [{"headers": {"X": "%s"' % MASK
    assert shown("deploymentDisplayName", "Ops", []) == "deploymentDisplayName = Ops"


def test_plan_deletes_only_recorded_values():
    current = {"disableAutoUpdates": {"type": "REG_SZ", "raw_value": "true"}, "inferenceModels": {"type": "REG_SZ", "raw_value": "[]"}}
    warnings = []
    plan = plan_changes({"inferenceProvider": "gateway"}, current, {"inferenceModels"}, warnings)
    assert plan == {"set": ["inferenceProvider"], "remove": ["inferenceModels"]}
    assert warnings == ["disableAutoUpdates is set under the policy key but not by this collection; it was left as is"]
