"""Issue 21 item 9: a rotated key is visible in --check --diff as ``******** (changed)``.

Both diff paths: the target side (module_utils masking, the apply module's diff of files on a
host) and the controller side (render's diff of artifacts). Neither value is ever shown: not the
new key, and not the old one held by the file being replaced (before this change render's diff
printed the old key in clear, because only the new config's secrets were scrubbed).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.aiohub.claude_desktop.plugins.module_utils.masking import CHANGED, MASK, Masker
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _artifacts as a
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _catalog
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import require_valid

OLD, NEW = "sk-rotation-old-7a6b5c4d3e", "sk-rotation-new-1f2e3d4c5b"


def _config(key, header="tenant-a", mcp_token="mcp-token-old-0001"):
    return {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "inferenceGatewayApiKey": key,
            "inferenceCustomHeaders": {"X-Tenant": header},
            "managedMcpServers": [{"name": "tickets", "transport": "http", "url": "https://mcp.example.com/mcp",
                                   "headers": {"X-Token": mcp_token}}],
            "coworkEgressAllowedHosts": ["docs.aiohub.org"]}


def _masker(*configs):
    catalog = _catalog.key_catalog()
    secrets = set()
    for c in configs:
        secrets.update(require_valid(c).secrets)
    return Masker(secret_keys=[k for k, m in catalog.items() if m["secret"]],
                  secret_paths={k: [list(p) for p in v] for k, v in _catalog.nested_secret_paths().items()},
                  secret_values=secrets)


def _plist(config):
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _render
    return _render.render_managed_plist(require_valid(config).config)


@pytest.mark.parametrize("fmt", ["json", "plist"])
def test_target_side_diff_marks_the_rotated_key_only(fmt):
    before_cfg, after_cfg = _config(OLD), _config(NEW)
    if fmt == "json":
        before, after = json.dumps(before_cfg).encode(), json.dumps(after_cfg).encode()
    else:
        before, after = _plist(before_cfg), _plist(after_cfg)
    masker = _masker(after_cfg)  # the target knows the new secrets only, as the apply module does
    old_text, new_text = masker.masked_pair(before, after, fmt)
    for text in (old_text, new_text):
        assert OLD not in text and NEW not in text
    assert CHANGED not in old_text
    parsed = json.loads(new_text)
    assert parsed["inferenceGatewayApiKey"] == CHANGED
    # unchanged: masked, not marked (a plist holds the map as one JSON string, masked whole)
    assert parsed["inferenceCustomHeaders"] in ({"X-Tenant": MASK}, MASK)
    # the old side is the plain masked text, exactly as before
    assert old_text == masker.masked_text(before, fmt)


def test_target_side_marks_a_change_inside_json_held_in_a_plist_string():
    before, after = _plist(_config(NEW)), _plist(_config(NEW, mcp_token="mcp-token-new-0002"))
    old_text, new_text = _masker(_config(NEW, mcp_token="mcp-token-new-0002")).masked_pair(before, after, "plist")
    assert "mcp-token" not in old_text + new_text
    servers = json.loads(json.loads(new_text)["managedMcpServers"])
    assert servers[0]["headers"] == {"X-Token": CHANGED}
    assert json.loads(new_text)["inferenceGatewayApiKey"] == MASK


def test_target_side_unparseable_file_falls_back_to_plain_masking():
    masker = _masker(_config(NEW))
    old_text, new_text = masker.masked_pair(b"{not json " + OLD.encode(), json.dumps(_config(NEW)).encode(), "json")
    assert OLD not in old_text and NEW not in new_text and "do not parse" in old_text


FORMATS = ["mobileconfig", "plist", "reg", "linux_json", "user_json", "config_library"]


def _files(config, formats):
    return a.render_set(require_valid(config).config, formats, {"existing": lambda rel: None, "identifier": "org.example.claude"})


@pytest.mark.parametrize("fmt", FORMATS)
def test_render_diff_shows_the_rotation_and_neither_key(fmt):
    before_files, after_files = _files(_config(OLD), [fmt]), _files(_config(NEW), [fmt])
    secrets = require_valid(_config(NEW)).secrets
    marked = 0
    for rel in after_files:
        fmt_of, after = after_files[rel]
        before = before_files[rel][1]
        old_text, new_text = a.masked_pair(rel, fmt_of, before, after, secrets)
        assert OLD not in old_text, (rel, old_text)  # the replaced file's own key is masked too
        assert NEW not in new_text and OLD not in new_text
        assert CHANGED not in old_text
        if before != after:
            marked += new_text.count(CHANGED)
            assert new_text.count(CHANGED) == new_text.count("sk-rotation") + 1 or CHANGED in new_text
    assert marked >= 1


def test_render_diff_of_an_unchanged_key_does_not_say_changed():
    before = _files(_config(NEW), ["linux_json"])["managed-settings.json"][1]
    after = _files(dict(_config(NEW), coworkEgressAllowedHosts=["docs.aiohub.org", "github.com"]), ["linux_json"])["managed-settings.json"][1]
    old_text, new_text = a.masked_pair("managed-settings.json", "linux_json", before, after, require_valid(_config(NEW)).secrets)
    assert CHANGED not in new_text and NEW not in new_text + old_text and "github.com" in new_text


def test_render_diff_hides_a_file_that_does_not_parse():
    old_text, _new = a.masked_pair("managed-settings.json", "linux_json", b'{"inferenceGatewayApiKey": "' + OLD.encode(),
                                   _files(_config(NEW), ["linux_json"])["managed-settings.json"][1], [NEW])
    assert OLD not in old_text and "not shown" in old_text


KEYS = st.text(st.characters(min_codepoint=0x30, max_codepoint=0x7a, exclude_characters="<>&\\\"'"), min_size=8, max_size=30)


@settings(max_examples=60, deadline=None)
@given(KEYS, KEYS, st.sampled_from(FORMATS))
def test_property_rotation_is_marked_exactly_when_the_key_changed(old, new, fmt):
    old, new = "sk-" + old, "sk-" + new
    before_files, after_files = _files(_config(old), [fmt]), _files(_config(new), [fmt])
    secrets = require_valid(_config(new)).secrets
    seen_changed = False
    for rel, (fmt_of, after) in after_files.items():
        old_text, new_text = a.masked_pair(rel, fmt_of, before_files[rel][1], after, secrets)
        assert old not in old_text and new not in new_text
        seen_changed = seen_changed or CHANGED in new_text
    assert seen_changed == (old != new)
