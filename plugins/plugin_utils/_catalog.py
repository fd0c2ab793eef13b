# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The key catalog derived from the model: what docs, masking, encodings and rules read about each key.

PRIVATE, controller-only. Everything here is read from the fields of _model (their marks in
``json_schema_extra``) or lists keys that are not model fields (removed, first-party-only,
unverified, known mistakes). Computed once per process.
"""

from __future__ import annotations

import functools
import typing as t

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._checks import HAS_PYDANTIC, field_kind

if HAS_PYDANTIC:
    from pydantic import BaseModel

    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._model import EnterpriseConfig

# Keys removed outright (spec §3.7), with the key that replaces them (None). Not model fields.
REMOVED_KEYS = {
    "disableDefaultPlugins": (None, "removed in 1.18286.0"),
}
# Renamed keys are not listed here: the new key's field carries ``renamed_from`` (see removed_keys()).

# Keys documented for standard (first-party) Claude Desktop only: read but without effect in 3P.
FIRST_PARTY_ONLY_KEYS = ("forceLoginOrgUUID", "loginSsoOrgDomain", "secureVmFeaturesEnabled", "isDesktopExtensionDirectoryEnabled")
# Keys seen only in third-party tooling, unverified (spec §3.12): a warning, not deployed unless allowed.
UNVERIFIED_KEYS = (
    "inferenceCredentialHelperWindows", "dictationEnabled", "coworkVmIpv6Enabled", "dangerousMaxVersion", "disableWslSessions",
    "claudeCodeProcessWrapperEnabled", "relocateUncUserData", "effortLevel", "otlpAttrMaxChars",
)
UNVERIFIED_KEY_PREFIXES = ("builtinBrowser",)  # spec §3.12 lists the family as `builtinBrowser*`


def is_unverified_key(key):
    return key in UNVERIFIED_KEYS or key.startswith(UNVERIFIED_KEY_PREFIXES)


# Keys published samples invent, with what the spec offers instead (issue 15: a hint only where the spec has one).
KNOWN_MISTAKES = {
    "coworkWebSearchEnabled": ("spec §3.7", "web search is a built-in managedMcpServers entry: {name: ..., server: websearch, provider: ...}"),
    "coworkOAuthClientId": ("spec §3.10", "bootstrap sign-in is bootstrapOidc: {clientId: ..., issuer: ...}"),
    "coworkOAuthIssuer": ("spec §3.10", "bootstrap sign-in is bootstrapOidc: {clientId: ..., issuer: ...}"),
}


@functools.lru_cache(maxsize=None)
def key_catalog():
    """Every key of the model: name -> dict(kind, area, since, secret, deprecated, description, app_default).

    Built once per process (validation reads it several times per host); treat it as read-only.
    """
    catalog = {}
    for name, field in EnterpriseConfig.model_fields.items():
        extra = field.json_schema_extra or {}
        catalog[name] = {
            "kind": field_kind(field.annotation),
            "area": extra.get("x-area"),
            "since": extra.get("x-since", "base"),
            "secret": bool(extra.get("x-secret")),
            "deprecated": extra.get("x-deprecated"),
            "description": field.description or "",
            "app_default": extra.get("x-app-default"),
            "providers": tuple(extra.get("x-providers", ())),
            "app_behaviour": bool(extra.get("x-app-behaviour")),
            "renamed_from": extra.get("x-renamed-from"),
            "blank": extra.get("x-blank"),
        }
    return catalog


@functools.lru_cache(maxsize=None)
def removed_keys():
    """Old key names the app no longer honours -> (new name or None, why, build of the rename or None).

    Renamed keys come from the ``x-renamed-from`` property of the new key; keys removed outright
    are listed in REMOVED_KEYS.
    """
    out = {old: (new, why, None) for old, (new, why) in REMOVED_KEYS.items()}
    for name, meta in key_catalog().items():
        renamed = meta["renamed_from"]
        if renamed:
            since = " in %s" % renamed["in"] if renamed["in"] else ""
            out[renamed["key"]] = (name, "renamed to %s%s; the old name stopped working after the 2026-10-07 cut-off" % (name, since), renamed["in"])
    return out


def _models_in(annotation):
    """The pydantic models an annotation can hold (through Optional, List, Union, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found = []
    for arg in t.get_args(annotation):
        found.extend(_models_in(arg))
    return found


@functools.lru_cache(maxsize=None)
def nested_secret_paths():
    """Top-level key -> paths (tuples of field names) of the secret fields inside its objects.

    Read from the ``x-secret`` marks of the nested models, e.g. managedMcpServers -> [("headers",),
    ("env",), ("oauth", "clientSecret")].
    """

    def walk(model, prefix, seen):
        paths = []
        for name, field in model.model_fields.items():
            if (field.json_schema_extra or {}).get("x-secret"):
                paths.append(prefix + (name,))
            for inner in _models_in(field.annotation):
                if inner not in seen:
                    paths.extend(walk(inner, prefix + (name,), seen | {inner}))
        return paths

    out = {}
    for name, field in EnterpriseConfig.model_fields.items():
        paths = [p for model in _models_in(field.annotation) for p in walk(model, (), {model})]
        if paths:
            out[name] = paths
    return out


@functools.lru_cache(maxsize=None)
def path_fields():
    """Every path-valued field, from the ``x-path`` marks: (location, mark), the location as
    ``key`` or ``key[].field`` / ``key[].field.field`` inside lists and objects, e.g.
    ("managedMcpServers[].command", {"names": "executable"}). Sorted by location."""

    def walk(model, prefix, seen):
        found = []
        for name, field in model.model_fields.items():
            mark = (field.json_schema_extra or {}).get("x-path")
            listed = t.get_origin(field.annotation) is list or any(t.get_origin(a) is list for a in t.get_args(field.annotation))
            here = prefix + name + ("[]" if listed else "")
            if mark:
                found.append((here, mark))
            for inner in _models_in(field.annotation):
                if inner not in seen:
                    found.extend(walk(inner, here + ".", seen | {inner}))
        return found

    return tuple(sorted(walk(EnterpriseConfig, "", {EnterpriseConfig})))


def nested_since(key, value):
    """(path, since) of every nested field or value in ``value`` first honoured later than its key (x-since /
    x-value-since on the nested models' fields), e.g. ("inferenceModels[0].prefer1m", "1.21459.0")."""
    field = EnterpriseConfig.model_fields.get(key)
    if field is None:
        return []
    found = []

    def walk(models, val, path):
        if isinstance(val, list):
            for i, item in enumerate(val):
                walk(models, item, "%s[%d]" % (path, i))
            return
        if not isinstance(val, dict):
            return
        model = next((mdl for mdl in models if set(val) <= set(mdl.model_fields)), None)
        if model is None:
            return
        for name, sub in model.model_fields.items():
            if name not in val:
                continue
            extra = sub.json_schema_extra or {}
            if extra.get("x-since"):
                found.append(("%s.%s" % (path, name), extra["x-since"]))
            since = (extra.get("x-value-since") or {}).get(val[name]) if isinstance(val[name], str) else None
            if since:
                found.append(("%s.%s=%s" % (path, name, val[name]), since))
            walk(_models_in(sub.annotation), val[name], "%s.%s" % (path, name))

    walk(_models_in(field.annotation), value, key)
    return found
