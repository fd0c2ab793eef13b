# -*- coding: utf-8 -*-
"""One secret policy (issue 25): one credential-name word list, one MASK, one structural mask, and the
secret / app-behaviour key names derived from the model's marks.

The old lists are kept here, verbatim from commit cdb5cf7, as the record of what each place masked; the
policy that replaced them must mask (hash, warn about) every name any of them caught, in every place.
"""

from __future__ import annotations

import os
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.aiohub.claude_desktop.plugins.module_utils import audit, masking
from ansible_collections.aiohub.claude_desktop.plugins.module_utils.masking import CREDENTIAL_NAME_RE, MASK, Masker, mask_structure
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _catalog, _model, _secrets
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import validate_config

OLD_LISTS = {
    # plugin_utils/_secrets.py: unknown top-level keys of a config (controller messages, secret_values)
    "_secrets": re.compile(r"(api_?key|token|secret|password|credential(?!helper|kind|sfile)|bearer)", re.I),
    # module_utils/audit.py: top-level keys hashed on the target by the drift audit
    "audit": re.compile(r"(api_?key|token|secret|password|credential(?!helper|kind|sfile)|bearer|headers)", re.I),
    # module_utils/masking.py: any key at any depth in diffs
    "masking": re.compile(
        r"(api[_-]?key|apikey|token(?!url)|secret|passw(or)?d|passphrase|credential(?!helper|kind|sfile)|bearer|^auth(orization)?$|"
        r"private[_-]?key|access[_-]?key|cookie|session[_-]?id|signature)", re.I),
    # plugin_utils/_model.py (now _rules.py): header names the no-credentials-in-headers rule warns about
    "_model header rule": re.compile(r"(^authorization$|api[-_]?key|token|secret|password|bearer|credential)", re.I),
}
# the hand-built key lists the derived names replace
OLD_APPLY_SECRET_KEYS_EXTRA = {"inferenceGatewayHeaders"}  # action/apply.py, action/config_file.py
OLD_CONFIG_FACTS_EXTRA = {"inferenceCustomHeaders", "otlpHeaders", "bootstrapHeaders"}  # action/config_facts.py
OLD_APP_BEHAVIOUR_KEYS = {"disableAutoUpdates", "autoUpdaterEnforcementHours", "updateViaUpdatesHost",  # module_utils/placement.py
                          "relaunchEnforcementHours", "configRecheckIntervalMinutes", "egressProxyUrl", "egressProxyPacUrl"}

WORDS = ["api_key", "api-key", "apikey", "ApiKey", "token", "tokenUrl", "secret", "password", "passwd", "passphrase",
         "credential", "CredentialHelper", "credentialKind", "credentialsFile", "bearer", "auth", "Authorization",
         "private_key", "PrivateKey", "access-key", "cookie", "session_id", "SessionId", "signature", "headers", "Headers",
         "x", "X-", "_", "-", "inference", "Url", "Helper", "Kind", "Sec", "otlp", "bootstrap", "tenant"]


def _model_names():
    """Every field name of the model, top level and nested."""
    names, seen, stack = set(), set(), [_model.EnterpriseConfig]
    while stack:
        model = stack.pop()
        for name, field in model.model_fields.items():
            names.add(name)
            for inner in _catalog._models_in(field.annotation):
                if inner not in seen:
                    seen.add(inner)
                    stack.append(inner)
    return names


CORPUS = sorted(_model_names() | set(WORDS) | {"X-Api-Key", "x-auth-token", "Cookie", "X-Session-Id", "X-Signature",
                                               "bootstrapHeadersHelper", "otlpHeadersHelper", "X-Org-Id"})


def _caught_by_an_old_list(name):
    return [label for label, old in OLD_LISTS.items() if old.search(name)]


def _check_name(name):
    old = _caught_by_an_old_list(name)
    if not old:
        return
    assert CREDENTIAL_NAME_RE.search(name), "%r was masked by %s, the one list misses it" % (name, old)
    # every place that decides by name: diffs, the audit's hashing, unknown keys on the controller
    assert Masker().mask({name: "plain-value"})[name] == MASK
    assert Masker().mask({"wrapper": {name: "plain-value"}})["wrapper"][name] == MASK
    assert "__digest__" in audit.protect({name: "plain-value"}, (), "salt")[name]
    if name not in _catalog.key_catalog():
        assert _secrets.is_secret_key(name)


def test_the_union_masks_every_model_and_known_name_any_old_list_masked():
    for name in CORPUS:
        _check_name(name)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map("".join), st.sampled_from([str, str.lower, str.upper]))
def test_the_union_masks_every_name_any_old_list_masked(name, case):
    _check_name(case(name))


def test_header_rule_warns_about_every_header_the_old_rule_did():
    gw = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "inferenceGatewayApiKey": "sk-test-policy-1"}
    for name in ["Authorization", "X-Api-Key", "x-auth-token", "X-Client-Secret", "X-Password", "X-Bearer", "X-Credential-Kind",
                 "Cookie", "X-Session-Id"]:
        warnings = validate_config(dict(gw, inferenceCustomHeaders={name: "v"})).warnings
        assert any("looks like a credential" in str(w) and name in str(w) for w in warnings), (name, warnings)
    assert not [w for w in validate_config(dict(gw, inferenceCustomHeaders={"X-Org-Id": "t"})).warnings if "looks like a credential" in str(w)]


def test_derived_key_names_cover_the_hand_built_lists():
    catalog = _catalog.key_catalog()
    marked = {k for k, meta in catalog.items() if meta["secret"]}
    assert marked | OLD_APPLY_SECRET_KEYS_EXTRA <= set(_secrets.secret_key_names())
    assert marked | OLD_CONFIG_FACTS_EXTRA | set(_catalog.nested_secret_paths()) <= set(_secrets.secret_key_names(nested=True))
    # a whole-value secret key masks everything below it: keys holding secrets only inside stay path-masked
    assert "managedMcpServers" not in _secrets.secret_key_names()
    assert set(_secrets.app_behaviour_keys()) == OLD_APP_BEHAVIOUR_KEYS == {k for k, m in catalog.items() if m["app_behaviour"]}


def test_one_structural_mask():
    value = {"a": ["x", "", None, 3, {"b": True}], "c": ""}
    assert mask_structure(value) == {"a": [MASK, "", None, MASK, {"b": MASK}], "c": ""}
    assert _secrets.mask_config({"inferenceCustomHeaders": value})["inferenceCustomHeaders"] == mask_structure(value)
    assert _secrets.MASK is masking.MASK


# ------------------------------------------------------------------------------------------- the guard
PLUGINS = os.path.join(os.path.dirname(__file__), *[os.pardir] * 4, "plugins")
POLICY = os.path.normpath(os.path.join(PLUGINS, "module_utils", "masking.py"))
# A word list: three credential words as alternatives of one regular expression (``token|secret|passw...``)
# or as three consecutive quoted names (``("token", "secret", "password")``). Two are not a list: option
# choices such as ("bearer", "x-api-key") and single names in messages stay allowed.
_WORD = r"(api.?key|token|secret|passw|bearer|credential|cookie|passphrase|authorization|signature)"
_ALT = r"[^\s\"',]*"
SECOND_LIST = re.compile(r"%s%s\|%s%s%s\|%s%s" % (_WORD, _ALT, _ALT, _WORD, _ALT, _ALT, _WORD), re.I)
_QUOTED = r"[\"'][^\"'\n]*%s[^\"'\n]*[\"']" % _WORD
NAME_SET = re.compile(r"%s\s*,\s*%s\s*,\s*%s" % (_QUOTED, _QUOTED, _QUOTED), re.I)
# Not name lists: the words a key's value may start with when pasted with its header (spec §3.3), which
# the value checks strip ("Authorization: Bearer sk-..."); they name no key.
ALLOWED = ('for w in ("authorization", "x-api-key", "bearer", "basic")',)
# A mask: an assignment to a MASK-like name, or a literal run of asterisks in code (comments excepted).
SECOND_MASK = re.compile(r"(\bMASK\w*\s*=(?!=)|[\"']\*{6,})")


def _plugin_files():
    for dirpath, dirnames, filenames in os.walk(PLUGINS):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        for name in filenames:
            if name.endswith((".py", ".ps1", ".psm1", ".yml", ".yaml", ".j2")):
                yield os.path.normpath(os.path.join(dirpath, name))


def _offences(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if (SECOND_LIST.search(line) or NAME_SET.search(line)) and not any(a in line for a in ALLOWED):
            found.append("%s:%d: a credential-name word list: %s" % (path, number, line.strip()))
        code = line.split("  #")[0]
        if SECOND_MASK.search(code) and not code.lstrip().startswith("#") and "sample:" not in code:
            found.append("%s:%d: a mask constant: %s" % (path, number, line.strip()))
    return found


def test_no_second_word_list_or_mask_in_plugins():
    files = list(_plugin_files())
    assert POLICY in files and len(files) > 50
    offences = [o for path in files if path != POLICY for o in _offences(path)]
    assert not offences, "\n".join(offences)
    # the guard sees what it guards against
    policy = _offences(POLICY)
    assert any("word list" in o for o in policy) and any("mask constant" in o for o in policy)


def test_guard_catches_the_old_lists(tmp_path):
    for old in ['_SECRET_NAME_RE = re.compile(r"(api_?key|token|secret|password|credential(?!helper|kind|sfile)|bearer)", re.I)',
                'MASK = "********"', 'CHANGED = "******** (changed)"', 'text.replace(variant, "********")',
                'SECRET_WORDS = frozenset(("token", "secret", "password"))']:
        path = tmp_path / "x.py"
        path.write_text(old + "\n")
        assert _offences(str(path)), old
