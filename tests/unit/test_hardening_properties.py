"""Issue 14, hardening: 10,000 generated configs and inventory values through validate and render.

Never a traceback (only problems), never a secret in any output: error and warning text, masked
configs, masked artifact text. Inventory values that become paths are either refused with a message
naming the variable, or stay one segment / strictly under their documented root.
"""

from __future__ import annotations

import json
import posixpath

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.aiohub.claude_desktop.plugins.module_utils import placement as p
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _artifacts as a
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._fleet import host_name_problem
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._catalog import key_catalog
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import validate_config

CATALOG = key_catalog()
SECRET_KEYS = sorted(k for k, m in CATALOG.items() if m.get("secret"))
# Long enough to be recognisable in any output, distinct per example.
secrets = st.from_regex(r"sk-test-hyp-[A-Za-z0-9]{16}", fullmatch=True)
scalars = st.none() | st.booleans() | st.integers(-10, 10 ** 6) | st.floats(allow_nan=True) | st.text(max_size=40)
values = st.recursive(scalars, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=12), c, max_size=3),
                      max_leaves=8)
BASES = [
    {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org"},
    {"inferenceProvider": "bedrock", "inferenceBedrockRegion": "eu-central-1"},
    {"inferenceProvider": "vertex", "inferenceVertexProjectId": "p-1", "inferenceVertexRegion": "global"},
    {"inferenceProvider": "foundry", "inferenceFoundryResource": "res"},
    {},
]
# With the OS unknown, every format but the ADMX pair (the same for every config) and the .reg: line
# breaks, which a .reg cannot carry, are checked once the OS is known to be Windows.
FORMATS_UNKNOWN_OS = tuple(f for f in a.FORMATS if f not in ("admx", "reg"))


BOOL_KEYS = sorted(k for k, m in CATALOG.items() if m["kind"] == "boolean" and not m["deprecated"])


@st.composite
def configs_with_secret(draw):
    """Half junk (random catalog keys with random values), half valid-shaped gateway configs (which
    reach the renderers); the secret sits in a secret key and in nested places."""
    secret = draw(secrets)
    if draw(st.booleans()):
        config = dict(draw(st.sampled_from(BASES)))
        for key in draw(st.lists(st.sampled_from(sorted(CATALOG)), max_size=6, unique=True)):
            config[key] = draw(values)
        config[draw(st.sampled_from(SECRET_KEYS))] = secret
    else:
        config = dict(BASES[0], inferenceGatewayApiKey=secret)
        for key in draw(st.lists(st.sampled_from(BOOL_KEYS), max_size=6, unique=True)):
            config[key] = draw(st.booleans() | st.sampled_from(["true", "false"]))
        if draw(st.booleans()):
            config["deploymentDisplayName"] = draw(st.text(min_size=1, max_size=40))
    if draw(st.booleans()):
        config["managedMcpServers"] = [{"name": "srv", "transport": "stdio", "command": "/usr/bin/srv",
                                        "args": ["--token", secret], "env": {"TOKEN": secret}}]
    if draw(st.booleans()):
        config["inferenceCustomHeaders"] = {"X-Api-Token": secret}
    return secret, config


@pytest.mark.parametrize("half", [0, 1])
@settings(max_examples=5000, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
@given(case=configs_with_secret(), version=st.one_of(st.none(), st.sampled_from(["1.19367.0", "1.40609.0", "2.7032.0"]), st.text(max_size=8)),
       target=st.sampled_from([None, "macos", "linux", "windows"]))
def test_validate_and_render_never_raise_and_never_leak(half, case, version, target):
    """Two halves of 5,000 examples each: 10,000 generated configs."""
    secret, config = case
    result = validate_config(config, min_app_version=version, target_os=target)
    outputs = [result.error_message("host-1"), json.dumps(result.masked_warnings()),
               json.dumps(result.masked_problems(), default=str), json.dumps(result.masked_config, default=str)]
    for problem in result.problems:
        assert problem.key and problem.rule and problem.fix
    if result.ok:
        options = {"identifier": "org.example.claude", "organization": "Example", "scope": "machine"}
        formats = a.OS_FORMATS[target] if target else FORMATS_UNKNOWN_OS
        for name, (fmt, data) in a.render_set(result.config, formats, options).items():
            outputs.append(a.masked_text(name, data, result.secrets))
    for text in outputs:
        assert secret not in text


@settings(max_examples=10000, deadline=None, database=None)
@given(name=st.one_of(st.text(max_size=40), st.from_regex(r"[a-z./\\-]{1,12}", fullmatch=True),
                      st.sampled_from(["..", ".", "../root", "../../etc/x", "alice", "CORP\\alice", "a/b", "~root"])),
       os_name=st.sampled_from(p.OSES))
def test_inventory_values_that_become_paths_are_refused_or_confined(name, os_name):
    """10,000 generated user and host names: refused with the variable named, or confined."""
    try:
        entry = p.user_config(os_name, name, variable="claude_desktop_users")
    except p.PlacementError as exc:
        assert "claude_desktop_users" in str(exc)
    else:
        home_root = p.DEFAULT_HOME_ROOTS[os_name]
        sep = "\\" if os_name == "windows" else "/"
        assert entry["path"].lower().startswith(home_root.lower() + sep)
        assert ".." not in entry["path"].replace("\\", "/").split("/")
    problem = host_name_problem(name)
    if problem is None:
        assert posixpath.normpath(posixpath.join("/out", name)).startswith("/out/")
        assert "/" not in name and "\\" not in name and name not in (".", "..")
    else:
        assert "inventory host name" in problem
