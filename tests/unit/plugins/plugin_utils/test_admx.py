"""ADMX/ADML templates from the model, read the way Group Policy reads them.

Spec §1.3: values directly under SOFTWARE\\Policies\\Claude, REG_SZ, never a sub-key, never
REG_EXPAND_SZ. §2.1: booleans "true"/"false", integers as decimal strings, JSON keys as one string.
The small policy engine below (``apply_policy``) follows the ADMX schema's rules for what an enabled
or disabled policy writes; it shares no code with the .reg renderer it is compared with.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _admx, _catalog
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _render as r
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._artifacts import render_set

NS = {"p": _admx.SCHEMA_NS}
CATALOG = _catalog.key_catalog()
PUBLIC = sorted(k for k, meta in CATALOG.items() if not meta["secret"])
SECRETS = sorted(k for k, meta in CATALOG.items() if meta["secret"])


@pytest.fixture(scope="module")
def templates():
    files = render_set({}, ["admx"], {"identifier": "org.example"})
    admx = ET.fromstring(files["admx/ClaudeDesktop.admx"][1])
    adml = ET.fromstring(files["admx/en-US/ClaudeDesktop.adml"][1])
    return admx, adml


def _policies(admx):
    return {p.get("name"): p for p in admx.findall("p:policies/p:policy", NS)}


def apply_policy(policy, state, entered=None):
    """Registry values ({name: (type, data)}) an ADMX policy writes when Enabled or Disabled.

    ``entered`` is what the admin sets in the policy's element: the item's value for a drop-down,
    the number for a decimal box, the text for a text box.
    """
    key = policy.get("key")
    out = {}
    if policy.get("valueName"):
        node = policy.find("p:%sValue/*" % ("enabled" if state == "Enabled" else "disabled"), NS)
        assert node is not None, "a policy with a valueName needs enabledValue/disabledValue"
        assert node.tag == "{%s}string" % _admx.SCHEMA_NS
        out[(key, policy.get("valueName"))] = ("REG_SZ", node.text)
    if state != "Enabled":
        return out
    for element in policy.findall("p:elements/*", NS):
        tag = element.tag.split("}")[1]
        name = (element.get("key") or key, element.get("valueName"))
        if tag == "enum":
            values = [i.find("p:value/p:string", NS).text for i in element.findall("p:item", NS)]
            assert entered in values
            out[name] = ("REG_SZ", entered)
        elif tag == "decimal":
            assert element.get("storeAsText") == "true"
            assert int(element.get("minValue")) <= entered <= int(element.get("maxValue"))
            out[name] = ("REG_SZ", str(entered))
        elif tag == "text":
            out[name] = ("REG_EXPAND_SZ" if element.get("expandable") == "true" else "REG_SZ", entered)
        else:
            raise AssertionError("unexpected element %s" % tag)
    return out


def sample_value(key, policy):
    """A value of the key's kind, with characters that need escaping in a .reg file."""
    kind = CATALOG[key]["kind"]
    enum = policy.find("p:elements/p:enum", NS)
    if kind == "boolean":
        return len(key) % 2 == 0
    if enum is not None:
        return enum.findall("p:item/p:value/p:string", NS)[-1].text
    if kind == "integer":
        return int(policy.find("p:elements/p:decimal", NS).get("minValue"))
    if kind == "number":
        return 1.5
    if kind == "json":
        return [{"name": key, "label": 'Zürich "q" \\ <t> & %PATH%'}]
    return 'C:\\Users\\%%USERNAME%%\\"%s" ü 東京' % key


def engine_values(policies, config):
    """{name: data} an admin gets by enabling each key's policy with the config's value."""
    out = {}
    for key, value in config.items():
        policy = policies[key]
        if isinstance(value, bool):
            written = apply_policy(policy, "Enabled" if value else "Disabled")
        elif isinstance(value, (list, dict)):
            written = apply_policy(policy, "Enabled", r.encode_managed_value(value))  # docs: type compact JSON
        elif isinstance(value, float):
            written = apply_policy(policy, "Enabled", repr(value))
        else:
            written = apply_policy(policy, "Enabled", value)
        for (path, name), (kind, data) in written.items():
            assert path == r.REGISTRY_KEY and kind == "REG_SZ", (key, path, kind)
            out[name] = data
    return out


def test_templates_are_well_formed_and_every_public_key_has_one_policy(templates):
    admx, adml = templates
    names = [p.get("name") for p in admx.findall("p:policies/p:policy", NS)]
    assert sorted(names) == PUBLIC and len(names) == len(set(names))
    assert not set(SECRETS) & set(names)
    assert admx.find("p:policyNamespaces/p:target", NS).get("namespace") == _admx.NAMESPACE
    # every $(string.x) and $(presentation.x) in the ADMX resolves in the ADML
    strings = {s.get("id") for s in adml.findall("p:resources/p:stringTable/p:string", NS)}
    presentations = {s.get("id") for s in adml.findall("p:resources/p:presentationTable/p:presentation", NS)}
    for node in admx.iter():
        for attr in ("displayName", "explainText", "presentation"):
            ref = node.get(attr, "")
            if ref.startswith("$(string."):
                assert ref[9:-1] in strings, ref
            elif ref.startswith("$(presentation."):
                assert ref[15:-1] in presentations, ref
    categories = {c.get("name") for c in admx.findall("p:categories/p:category", NS)}
    for policy in admx.findall("p:policies/p:policy", NS):
        assert policy.find("p:parentCategory", NS).get("ref") in categories
        assert CATALOG[policy.get("name")]["description"].strip() in \
            adml.find("p:resources/p:stringTable/p:string[@id='%s_Help']" % policy.get("name"), NS).text


def test_every_value_is_reg_sz_directly_under_the_policy_key(templates):
    admx = templates[0]
    for policy in admx.findall("p:policies/p:policy", NS):
        assert policy.get("key") == r.REGISTRY_KEY
        for element in policy.findall("p:elements/*", NS):
            assert element.get("key") is None, "no sub-key, no other key"
            assert element.get("valueName") == policy.get("name")
            assert element.get("expandable") in (None, "false")
            assert element.tag.split("}")[1] in ("enum", "decimal", "text")
            if element.tag.endswith("}decimal"):
                assert element.get("storeAsText") == "true", "REG_DWORD is not the portable encoding"
        assert policy.find("p:elements/p:list", NS) is None and policy.find("p:elements/p:multiText", NS) is None


def test_booleans_write_true_and_false_strings_and_enums_are_dropdowns(templates):
    admx, adml = templates
    policies = _policies(admx)
    for key in PUBLIC:
        if CATALOG[key]["kind"] == "boolean":
            assert apply_policy(policies[key], "Enabled") == {(r.REGISTRY_KEY, key): ("REG_SZ", "true")}
            assert apply_policy(policies[key], "Disabled") == {(r.REGISTRY_KEY, key): ("REG_SZ", "false")}
    provider = policies["inferenceProvider"].find("p:elements/p:enum", NS)
    items = [i.text for i in provider.findall("p:item/p:value/p:string", NS)]
    assert "gateway" in items and "bedrock" in items
    pres = adml.find("p:resources/p:presentationTable/p:presentation[@id='inferenceProvider']", NS)
    assert pres.find("p:dropdownList", NS).get("refId") == "inferenceProvider"


def test_policy_values_equal_the_reg_renderer_for_every_key(templates):
    admx = templates[0]
    policies = _policies(admx)
    config = {key: sample_value(key, policies[key]) for key in PUBLIC}
    key_path, reg_values = r.parse_reg(r.render_reg(config))
    assert key_path == "HKEY_LOCAL_MACHINE\\" + r.REGISTRY_KEY
    assert engine_values(policies, config) == reg_values


def test_templates_do_not_depend_on_the_config_and_are_deterministic():
    a = render_set({"inferenceProvider": "gateway"}, ["admx"], {"identifier": "a"})
    b = render_set({}, ["admx"], {"identifier": "b"})
    assert a == b and set(a) == {"admx/ClaudeDesktop.admx", "admx/en-US/ClaudeDesktop.adml"}


# one key per element kind (every key is compared with the .reg renderer above, without Wine)
WINE_KEYS = ("disableAutoUpdates", "modelDiscoveryEnabled", "inferenceProvider", "autoUpdaterEnforcementHours",
             "inferenceModels", "inferenceModelPricingMultiplier", "deploymentDisplayName")


@pytest.mark.realtools
@pytest.mark.parametrize("hive", ["HKEY_LOCAL_MACHINE", "HKEY_CURRENT_USER"])
def test_policy_written_with_wine_equals_reg_import(templates, tmp_path_factory, hive):
    """Enable each policy, write what the policy engine writes with Wine's `reg add`, read it back:
    the same values, all REG_SZ (parse_reg accepts nothing else), as regedit importing the .reg."""
    from support.wine import add_values, import_and_read, read_values, wine_env

    admx = templates[0]
    policies = _policies(admx)
    env = wine_env(tmp_path_factory.mktemp("wine-admx"))
    config = {key: sample_value(key, policies[key]) for key in WINE_KEYS}
    add_values(env, hive, engine_values(policies, config))
    via_policy = read_values(env, hive, tmp_path_factory.mktemp("policy"))
    via_reg = import_and_read(env, r.render_reg(config, hive=hive), hive, tmp_path_factory.mktemp("reg"))
    assert via_policy == via_reg == r.managed_values(config)
