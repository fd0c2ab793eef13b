"""Property tests: valid configs survive round trips; junk never raises anything but problems."""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._catalog import key_catalog
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import encode_managed_value
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import validate_config

BASE = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org",
        "inferenceGatewayApiKey": "sk-test-prop-0000", "isDesktopExtensionEnabled": False}
CATALOG = key_catalog()
# Optional keys of simple kinds, with value strategies that respect each key's documented range.
RANGES = {"autoUpdaterEnforcementHours": (1, 72), "inferenceCredentialHelperTimeoutSec": (1, 600), "configRecheckIntervalMinutes": (2, 30),
          "relaunchEnforcementHours": (0, 336), "inferenceCredentialHelperTtlSec": (0, 10 ** 6), "mcpToolTimeoutSec": (1, 10 ** 4),
          "inferenceSessionLifetimeSec": (1, 10 ** 6), "inferenceStreamIdleTimeoutSec": (1, 3600)}
BOOL_KEYS = sorted(k for k, m in CATALOG.items() if m["kind"] == "boolean" and not m["deprecated"]
                   and k not in ("coworkTabEnabled", "isClaudeCodeForDesktopEnabled", "modelDiscoveryEnabled", "toolSearchEnabled"))
label = st.from_regex(r"[a-z][a-z0-9]{0,10}", fullmatch=True)
host = st.one_of(st.just("*"), st.builds(lambda a, b: "%s.%s" % (a, b), label, label),
                 st.builds(lambda a, b: "*.%s.%s" % (a, b), label, label))
# NUL and the other characters XML 1.0 cannot hold are refused where a plist may be rendered (format limits)
XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
model = st.from_regex(r"claude-[a-z0-9.-]{1,20}", fullmatch=True)


@st.composite
def valid_configs(draw):
    config = dict(BASE)
    for key in draw(st.lists(st.sampled_from(BOOL_KEYS), unique=True, max_size=8)):
        config[key] = draw(st.booleans())
    for key in draw(st.lists(st.sampled_from(sorted(RANGES)), unique=True, max_size=4)):
        config[key] = draw(st.integers(*RANGES[key]))
    if draw(st.booleans()):
        config["coworkEgressAllowedHosts"] = draw(st.lists(host, min_size=1, max_size=6, unique=True).filter(lambda h: "*" not in h or len(h) == 1))
    if draw(st.booleans()):
        config["inferenceModels"] = draw(st.lists(model, min_size=1, max_size=4, unique=True))
    if draw(st.booleans()):
        config["deploymentDisplayName"] = draw(st.text(min_size=1, max_size=60).filter(lambda s: s.strip() and not XML_UNSAFE.search(s)))
    if draw(st.booleans()):
        config["inferenceCustomHeaders"] = draw(st.dictionaries(st.from_regex(r"X-[A-Za-z0-9-]{1,12}", fullmatch=True),
                                                                # header values: no control/invisible characters, no
                                                                # whitespace around them (credential hygiene, issue 21)
                                                                st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp")),
                                                                        max_size=20).filter(lambda v: v == v.strip()),
                                                                max_size=3))
    return config


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_configs())
def test_valid_configs_validate_and_round_trip(config):
    first = validate_config(config)
    assert first.ok, first.error_message()
    assert validate_config(first.config).config == first.config
    # the managed encodings (every scalar as a string) normalise back to the same config
    as_strings = {k: (encode_managed_value(v) if CATALOG[k]["kind"] in ("boolean", "integer", "string") else v)
                  for k, v in first.config.items()}
    again = validate_config(as_strings)
    assert again.ok and again.config == first.config
    # and a JSON round trip of the normalized config is lossless
    assert validate_config(json.loads(json.dumps(first.config))).config == first.config


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
keys = st.one_of(st.sampled_from(sorted(CATALOG)), st.text(max_size=20), st.integers(), st.none(), st.booleans())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.dictionaries(keys, json_values, max_size=8), json_values), st.one_of(st.none(), st.text(max_size=12)))
def test_junk_never_raises(config, version):
    result = validate_config(config, min_app_version=version)
    assert result.ok or result.problems
    for problem in result.problems:
        assert problem.key and problem.rule and problem.fix
