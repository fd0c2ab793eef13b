# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Finding and masking secrets in an enterpriseConfig. PRIVATE, controller-only.

Secret fields are marked ``x-secret`` in the model; this module reads those marks, so a new
secret key is masked as soon as the model says so. It works on raw, unvalidated input as well
(wrong types, unknown keys), because error messages are built from such input.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

MASK = "********"

# Unknown keys whose name looks like a credential are treated as secrets too.
_SECRET_NAME_RE = re.compile(r"(api_?key|token|secret|password|credential(?!helper|kind|sfile)|bearer)", re.I)
# Secret parts of nested objects: (top-level key, nested field) pairs, "*" for every list item.
_NESTED_SECRETS = {
    "managedMcpServers": ("headers", "env", ("oauth", "clientSecret")),
}


def _key_sets():
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._model import HAS_PYDANTIC, REMOVED_KEYS, key_catalog

    catalog = key_catalog() if HAS_PYDANTIC else {}
    secret = {name for name, meta in catalog.items() if meta["secret"]} | {"inferenceGatewayHeaders"}
    return secret, set(catalog) | set(REMOVED_KEYS)


_KEY_SETS = []


def is_secret_key(name):
    """True for keys the model marks secret, and for unknown keys named like a credential."""
    if not _KEY_SETS:
        _KEY_SETS.append(_key_sets())
    secret, known = _KEY_SETS[0]
    return name in secret or (name not in known and isinstance(name, str) and bool(_SECRET_NAME_RE.search(name)))


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
        nested = _NESTED_SECRETS.get(key)
        if nested and isinstance(value, list):
            for item in value:
                if not isinstance(item, dict):
                    continue
                for path in nested:
                    if isinstance(path, tuple):
                        inner = item.get(path[0])
                        if isinstance(inner, dict):
                            found.update(_strings(inner.get(path[1])))
                    else:
                        found.update(_strings(item.get(path)))
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
            out[key] = _mask_structure(value)
        elif key in _NESTED_SECRETS and isinstance(value, list):
            out[key] = [_mask_nested(item, _NESTED_SECRETS[key]) for item in value]
        else:
            out[key] = value
    return scrub(out, secret_values(config))


def _mask_structure(value):
    if isinstance(value, dict):
        return {k: _mask_structure(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask_structure(v) for v in value]
    return MASK if value not in (None, "") else value


def _mask_nested(item, paths):
    if not isinstance(item, dict):
        return item
    item = dict(item)
    for path in paths:
        if isinstance(path, tuple):
            if isinstance(item.get(path[0]), dict) and path[1] in item[path[0]]:
                item[path[0]] = dict(item[path[0]], **{path[1]: MASK})
        elif path in item:
            item[path] = _mask_structure(item[path])
    return item


def scrub(value, secrets):
    """Replace every occurrence of the given secret strings inside value (str, dict, list)."""
    if not secrets:
        return value
    if isinstance(value, str):
        for s in secrets:
            if s in value:
                value = value.replace(s, MASK)
        return value
    if isinstance(value, dict):
        return {scrub(k, secrets) if isinstance(k, str) else k: scrub(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, secrets) for v in value]
    if isinstance(value, tuple):
        return tuple(scrub(v, secrets) for v in value)
    return value
