"""Issue 25 step 3: "which config" is resolved once, in Python (_layers.layered_config).

The playbooks (playbooks/vars/claude_desktop.yml claude_desktop_effective_config), the role defaults, the
actions (ClaudeDesktopAction.LAYERED_CONFIG, a task without ``config``) and fleet mode (_fleet.collect, as
validate/render/mdm with ``hosts`` read hostvars) must give the same merged config for the same inventory:
organisation (all vars) <- team (group vars) <- host (host vars), mappings merged key by key, ``<key>_extra``
appended, ``null`` removing a key, templates templated in the host's own context.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import yaml
from hypothesis import given, settings, strategies as st

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._layers import LAYER_VARS, layered_config

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))

PROBE = '''
import json
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _fleet
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import CONFIG_ARGS, ClaudeDesktopAction


class ActionModule(ClaudeDesktopAction):
    ARGUMENT_SPEC = dict(CONFIG_ARGS, out={"type": "path", "required": True}, playbook={"type": "raw"})
    LAYERED_CONFIG = True

    def execute(self, params, result):
        findings = _fleet.Findings()
        entries = _fleet.collect(self.task_vars["hostvars"], [self.host], _fleet.VALIDATION_VARS, findings)
        fleet = entries[0][2] if entries else {"errors": findings.lines()}
        with open(params["out"], "w") as handle:
            json.dump({"action": params["config"], "fleet": fleet, "playbook": params["playbook"]}, handle, sort_keys=True)
'''

ORG = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "isDesktopExtensionEnabled": False,
       "inferenceGatewayHeaders": {"X-Org": "a", "X-Team": "b"}, "coworkEgressAllowedHosts": ["a.example.com"],
       "inferenceModels": ["model-one"]}
TEAM = {"inferenceGatewayHeaders": {"X-Team": None, "X-Extra": "{{ team_tag }}"}, "isDesktopExtensionEnabled": None,
        "coworkEgressAllowedHosts_extra": ["b.example.com", "a.example.com"]}
HOSTS = {
    "plain": {},
    "dropper": {"claude_desktop_host_config": {"inferenceModels": None, "inferenceGatewayHeaders": {"X-Org": None},
                                               "coworkEgressAllowedHosts_extra": ["c.example.com"]}},
    "nulllayer": {"claude_desktop_host_config": None},
    "replacer": {"claude_desktop_host_config": {"inferenceGatewayHeaders": None, "inferenceModels": ["model-{{ team_tag }}"]}},
}
EXPECTED_TEAM = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org",
                 "inferenceGatewayHeaders": {"X-Org": "a", "X-Extra": "t-1"},
                 "coworkEgressAllowedHosts": ["a.example.com", "b.example.com"], "inferenceModels": ["model-one"]}
EXPECTED = {
    "plain": EXPECTED_TEAM,
    "nulllayer": EXPECTED_TEAM,
    "dropper": {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org",
                "inferenceGatewayHeaders": {"X-Extra": "t-1"},
                "coworkEgressAllowedHosts": ["a.example.com", "b.example.com", "c.example.com"]},
    "replacer": {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org",
                 "coworkEgressAllowedHosts": ["a.example.com", "b.example.com"], "inferenceModels": ["model-t-1"]},
}


def test_playbook_action_and_fleet_mode_merge_the_layers_alike(tmp_path):
    (tmp_path / "action_plugins").mkdir()
    (tmp_path / "action_plugins" / "layers_probe.py").write_text(PROBE)
    (tmp_path / "out").mkdir()
    inventory = {"all": {"vars": {"claude_desktop_config": ORG, "team_tag": "t-0"},
                         "children": {"team": {"vars": {"claude_desktop_team_config": TEAM, "team_tag": "t-1"},
                                               "hosts": {h: dict(v, ansible_connection="local") for h, v in HOSTS.items()}}}}}
    (tmp_path / "inventory.yml").write_text(yaml.safe_dump(inventory))
    play = [{"hosts": "all", "gather_facts": False, "vars_files": [os.path.join(REPO, "playbooks", "vars", "claude_desktop.yml")],
             "tasks": [{"name": "probe", "layers_probe": {"out": str(tmp_path / "out") + "/{{ inventory_hostname }}.json",
                                                          "playbook": "{{ claude_desktop_effective_config }}"}}]}]
    (tmp_path / "play.yml").write_text(yaml.safe_dump(play))
    env = dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
               ANSIBLE_COLLECTIONS_PATH=os.path.join(REPO, "build", "collections"))
    env["ANSIBLE_ACTION_PLUGINS"] = str(tmp_path / "action_plugins")
    proc = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", str(tmp_path / "inventory.yml"),
                           str(tmp_path / "play.yml")], capture_output=True, text=True, env=env, cwd=REPO, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    for host, expected in EXPECTED.items():
        got = json.loads((tmp_path / "out" / (host + ".json")).read_text())
        assert got["playbook"] == expected, host
        assert got["action"] == expected, host
        assert got["fleet"] == expected, host


def test_role_defaults_and_playbook_vars_are_one_call():
    """No Jinja copy of the merge: every default that holds a config is the resolve lookup, nothing else."""
    call = "{{ lookup('aiohub.claude_desktop.resolve', 'config') }}"
    files = {os.path.join("playbooks", "vars", "claude_desktop.yml"): "claude_desktop_effective_config"}
    files.update({os.path.join("roles", r, "defaults", "main.yml"): r + "_config" for r in ("managed_settings", "user_config", "windows_policy")})
    for path, var in files.items():
        with open(os.path.join(REPO, path)) as handle:
            data = yaml.safe_load(handle)
        assert data[var] == call, path
    for top in ("playbooks", "roles"):
        for root, _dirs, names in os.walk(os.path.join(REPO, top)):
            for name in names:
                if name.endswith((".yml", ".yaml", ".j2")) and os.path.basename(root) != "meta":  # meta: docs
                    with open(os.path.join(root, name)) as handle:
                        code = "\n".join(line.split("#", 1)[0] for line in handle)
                    for layer in LAYER_VARS[1:]:
                        assert layer not in code, "%s reads %s itself" % (os.path.join(root, name), layer)
                    assert "merge_layers" not in code, os.path.join(root, name)


# ---------------------------------------------------------------------- the rule against a reference model
KEYS = st.sampled_from(["a", "b", "c", "a_extra", "b_extra"])
LEAF = st.one_of(st.none(), st.integers(0, 3), st.sampled_from(["x", "y"]), st.lists(st.integers(0, 3), max_size=3))
LAYER = st.one_of(st.none(), st.dictionaries(KEYS, st.one_of(LEAF, st.dictionaries(st.sampled_from(["p", "q"]), LEAF, max_size=2)), max_size=4))


def reference(layers):
    """The rule as _layers' docstring states it, written independently: replace, merge mappings, _extra appends, null drops."""
    def merge(base, layer):
        out = dict(base)
        for key, value in layer.items():
            if value is None:
                out.pop(key, None)
            elif isinstance(value, dict) and isinstance(out.get(key), dict):
                out[key] = merge(out[key], value)
            else:
                out[key] = value
        return out

    merged = {}
    for layer in layers:
        if not layer:
            continue
        merged = merge(merged, {k: v for k, v in layer.items() if not k.endswith("_extra")})
        for key, extra in layer.items():
            if key.endswith("_extra") and extra is not None:
                if not isinstance(extra, list) or not isinstance(merged.get(key[:-6], []), list):
                    return "error"
                current = merged.get(key[:-6], [])
                merged[key[:-6]] = current + [i for i in extra if i not in current]
    return merged


@settings(max_examples=300, deadline=None)
@given(st.tuples(LAYER, LAYER, LAYER))
def test_layered_config_follows_the_documented_rule(layers):
    variables = dict(zip(LAYER_VARS, layers))
    want = reference(layers)
    try:
        got = layered_config(variables)
    except ValueError:
        got = "error"
    assert got == want
    # an action's templar (identity here) changes nothing
    try:
        templated = layered_config(variables, template=lambda v: v)
    except ValueError:
        templated = "error"
    assert templated == want
