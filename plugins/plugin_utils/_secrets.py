# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Finding and masking secrets in an enterpriseConfig. PRIVATE, controller-only.

Secret fields are marked ``x-secret`` in the model; this module reads those marks, so a new
secret key is masked as soon as the model says so. It works on raw, unvalidated input as well
(wrong types, unknown keys), because error messages are built from such input.
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

# One secret policy (issue 25): the mask, the credential-name word list and the structural mask are
# module_utils/masking.py's (stdlib, imported by targets as well); this module adds what needs the model.
from ansible_collections.aiohub.claude_desktop.plugins.module_utils.masking import CREDENTIAL_NAME_RE, MASK, mask_structure


@functools.lru_cache(maxsize=None)
def _key_sets():
    """(secret top-level keys, known keys, nested secret paths), all read from the model's marks."""
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._catalog import REMOVED_KEYS, key_catalog, nested_secret_paths
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._checks import HAS_PYDANTIC

    if not HAS_PYDANTIC:
        return set(), set(REMOVED_KEYS), {}
    catalog = key_catalog()
    secret = {name for name, meta in catalog.items() if meta["secret"]}
    # an old name of a secret key (renamed_from on the new key's field) holds the same secret
    old_names = {meta["renamed_from"]["key"]: name for name, meta in catalog.items() if meta["renamed_from"]}
    secret |= {old for old, new in old_names.items() if new in secret}
    return secret, set(catalog) | set(REMOVED_KEYS) | set(old_names), nested_secret_paths()


def secret_key_names(nested=False):
    """Top-level keys whose whole value is secret, from the model's ``x-secret`` marks (an old name of
    a secret key included, e.g. inferenceGatewayHeaders). ``nested``: also the keys that hold a secret
    field inside (managedMcpServers), for the drift audit, which can only hash a top-level value.

    Targets have no model (module_utils cannot import pydantic): the actions pass these names as module
    arguments (apply's plan, config_read's secret_keys) rather than keeping a generated copy on the target
    side, so a new secret key reaches every target with the next run and no copy can fall behind."""
    secret, dummy, paths = _key_sets()
    return sorted(set(secret) | (set(paths) if nested else set()))


@functools.lru_cache(maxsize=None)
def _app_behaviour():
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._catalog import HAS_PYDANTIC, key_catalog

    return frozenset(k for k, meta in key_catalog().items() if meta["app_behaviour"]) if HAS_PYDANTIC else frozenset()


def app_behaviour_keys():
    """Keys a managed source may set without owning the device (spec §1.6 rule 2), from the model's
    ``x-app-behaviour`` marks; passed to targets as a module argument like secret_key_names()."""
    return sorted(_app_behaviour())


def _nested(key):
    return _key_sets()[2].get(key, [])


def _at(value, path):
    """Values at a field path inside an object (or a list of objects)."""
    if isinstance(value, list):
        return [found for item in value for found in _at(item, path)]
    if not isinstance(value, dict) or path[0] not in value:
        return []
    return [value[path[0]]] if len(path) == 1 else _at(value[path[0]], path[1:])


def is_secret_key(name):
    """True for keys the model marks secret, and for unknown keys named like a credential."""
    secret, known = _key_sets()[:2]
    return name in secret or (name not in known and isinstance(name, str) and bool(CREDENTIAL_NAME_RE.search(name)))


def _strings(value):
    if isinstance(value, str):
        if value:
            yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)
    elif value is not None and not isinstance(value, bool):
        yield str(value)


def _url_passwords(value):
    for s in _strings(value):
        if "@" in s and "://" in s:
            try:
                parts = urlsplit(s.strip())
            except ValueError:
                continue
            if parts.password:
                yield parts.password
            if parts.username:
                yield parts.username


def secret_values(config):
    """Every secret string in a (possibly invalid) config, longest first."""
    found = set()
    if not isinstance(config, dict):
        return []
    for key, value in config.items():
        if is_secret_key(key):
            found.update(_strings(value))
        for path in _nested(key):
            for inner in _at(value, path):
                found.update(_strings(inner))
    found.update(_url_passwords(config))
    # very short values (e.g. "x") would mask unrelated text; they are masked structurally only
    return sorted((s for s in found if len(s) >= 4), key=len, reverse=True)


def mask_config(config):
    """A copy of config with every secret value replaced by MASK (structure kept)."""
    if not isinstance(config, dict):
        return config
    out = {}
    for key, value in config.items():
        if is_secret_key(key):
            out[key] = mask_structure(value)
        elif _nested(key):
            # MCP servers routinely take tokens as arguments: their args are masked with env and headers
            paths = _nested(key) + ([("args",)] if ("env",) in _nested(key) else [])
            out[key] = _mask_paths(value, paths)
        else:
            out[key] = value
    return scrub(out, secret_values(config))


def _mask_paths(value, paths):
    """A copy of an object (or list of objects) with the values at the given paths masked."""
    if isinstance(value, list):
        return [_mask_paths(item, paths) for item in value]
    if not isinstance(value, dict):
        return value
    out = dict(value)
    for path in paths:
        if path[0] in out:
            out[path[0]] = mask_structure(out[path[0]]) if len(path) == 1 else _mask_paths(out[path[0]], [path[1:]])
    return out


# Fixed wording of the collection's own messages about credentials ("user:password@host", "remove the
# user-info part and pass credentials ..."), registered by the rules that use it (own_wording). A URL's
# user name or password is often a plain word ("user", "pass"); an occurrence of a secret that lies
# wholly inside such wording is that wording, not an echoed value, and is not masked (issue 21 item 11).
# Any occurrence elsewhere in the same text still is.
OWN_WORDING = set()


def own_wording(text):
    """Register a fixed message text (no value in it) whose words must survive masking; returns it."""
    OWN_WORDING.add(text)
    return text


def _protected_spans(text):
    spans = []
    for phrase in OWN_WORDING:
        start = text.find(phrase)
        while start != -1:
            spans.append((start, start + len(phrase)))
            start = text.find(phrase, start + 1)
    return spans


def _scrub_text(value, secrets):
    hits = [s for s in secrets if s in value]
    if not hits:
        return value
    spans = _protected_spans(value) if OWN_WORDING else []
    if not spans:
        for s in hits:
            value = value.replace(s, MASK)
        return value
    masked = [False] * len(value)
    for s in hits:
        start = value.find(s)
        while start != -1:
            end = start + len(s)
            if not any(a <= start and end <= b for a, b in spans):
                masked[start:end] = [True] * len(s)
            start = value.find(s, start + 1)
    out, i = [], 0
    while i < len(value):
        if masked[i]:
            while i < len(value) and masked[i]:
                i += 1
            out.append(MASK)
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def scrub(value, secrets):
    """Replace every occurrence of the given secret strings inside value (str, dict, list)."""
    if not secrets:
        return value
    if isinstance(value, str):
        return _scrub_text(value, secrets)
    if isinstance(value, dict):
        return {scrub(k, secrets) if isinstance(k, str) else k: scrub(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, secrets) for v in value]
    if isinstance(value, tuple):
        return tuple(scrub(v, secrets) for v in value)
    return value
