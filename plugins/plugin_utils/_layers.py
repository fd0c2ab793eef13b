# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Layered configuration: organisation -> team -> host. PRIVATE, controller-only, no pydantic.

One rule, applied layer by layer in order:
* a key's value replaces the value from earlier layers (lists included);
* mappings merge key by key, recursively (a team adds one header without repeating the others);
* ``<key>_extra`` appends its items to the list ``<key>`` built so far, skipping items already
  present (a team adds egress hosts or models without repeating the organisation's list);
* ``null`` removes the key (a host drops a team setting).
"""

from __future__ import annotations

import copy
import re

EXTRA_SUFFIX = "_extra"
# The inventory variables of the three layers, lowest precedence first (named in errors).
LAYER_VARS = ("claude_desktop_config", "claude_desktop_team_config", "claude_desktop_host_config")


class LayerError(ValueError):
    pass


_TYPE_NAMES = {"list": "a list", "tuple": "a list", "str": "a string", "int": "a number", "float": "a number", "bool": "a boolean"}


def _kind(value):
    name = type(value).__name__
    for base in type(value).__mro__:  # tagged/templated subclasses read as their plain type
        if base.__name__ in _TYPE_NAMES:
            return _TYPE_NAMES[base.__name__]
    return "a " + name


def _where(path):
    return "".join(("[%d]" % p) if isinstance(p, int) else ("." if i else "") + str(p) for i, p in enumerate(path))


def _read_all(value, path, label):
    """Read every nested value of a layer. Ansible templates inventory values lazily, on access, so a
    published config's ``{{PLACEHOLDER}}`` text fails here; the error then names the key that holds it."""
    if isinstance(value, dict):
        items = list(value.keys())
        out = {}
        for key in items:
            out[key] = _read_all(_access(value, key, path + [key], label), path + [key], label)
        return out
    if isinstance(value, list):
        return [_read_all(_access(value, i, path + [i], label), path + [i], label) for i in range(len(value))]
    return value


def _access(container, key, path, label):
    try:
        return container[key]
    except Exception as exc:  # noqa: BLE001 - Ansible's undefined-variable errors have no common importable base
        if "undefined" not in ("%s %s" % (type(exc).__name__, exc)).lower():
            raise
        raise LayerError(
            "%s: %s holds a template whose variable is undefined (%s). A value copied from a published config may carry "
            "{{PLACEHOLDER}} text: replace it with the real value, or mark the literal text !unsafe (see docs/field-configs.md)"
            % (label, _where(path), str(exc).splitlines()[0][:200])
        )


def _template_paths(value, path, needle):
    """Key paths of the strings in an untemplated value that hold a template (mentioning ``needle`` if given)."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _template_paths(v, path + [k], needle)]
    if isinstance(value, (list, tuple)):
        return [p for i, v in enumerate(value) for p in _template_paths(v, path + [i], needle)]
    if isinstance(value, str) and "{{" in value and (not needle or needle in value):
        return [_where(path)]
    return []


def locate_failure(raw, name, error=""):
    """Where in layer variable ``name`` a template fails: ``name`` and the key path(s) holding it, read from the
    untemplated value ``raw`` (e.g. ``claude_desktop_config.managedMcpServers[0].url``). An undefined
    placeholder is found by the variable name the error gives."""
    match = re.search(r"'([^']+)' is undefined", str(error))
    paths = _template_paths(raw, [name], match.group(1) if match else None) if raw is not None else []
    return ", ".join(paths) if paths else name


def _merge_dict(base, layer):
    out = dict(base)
    for key, value in layer.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge_dict(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def merge_layers(layers, names=None):
    """Merge a list of config layers (dicts; None or {} layers are skipped) into one config."""
    if not isinstance(layers, (list, tuple)):
        raise LayerError("merge_layers expects a list of mappings (organisation, team, host)")
    merged = {}
    for index, layer in enumerate(layers):
        label = names[index] if names and index < len(names) else "layer %d" % index
        if layer in (None, ""):
            continue
        if not isinstance(layer, dict):
            raise LayerError("%s must be a mapping of enterpriseConfig keys, got %s" % (label, _kind(layer)))
        layer = _read_all(layer, [], label)
        plain = {k: v for k, v in layer.items() if not (isinstance(k, str) and k.endswith(EXTRA_SUFFIX))}
        merged = _merge_dict(merged, plain)
        for key, extra in layer.items():
            if not (isinstance(key, str) and key.endswith(EXTRA_SUFFIX)) or extra is None:
                continue
            target = key[: -len(EXTRA_SUFFIX)]
            if not isinstance(extra, list):
                raise LayerError("%s: %s must be a list (items appended to %s), got %s" % (label, key, target, _kind(extra)))
            current = merged.get(target, [])
            if not isinstance(current, list):
                raise LayerError("%s: %s appends to %s, which is not a list" % (label, key, target))
            merged[target] = current + [copy.deepcopy(item) for item in extra if item not in current]
    return merged


def layered_config(variables, template=None):
    """"Which config": a host's three layers (LAYER_VARS, read from its variables) merged. The one place that
    names them for playbooks and roles (the resolve lookup), actions (ClaudeDesktopAction) and fleet mode (_fleet).

    ``template``: turns a raw inventory value into data (an action's or lookup's templar); a layer that fails
    to template is named with the key path that holds the failing template (locate_failure). Without it the
    values are already templated (fleet mode's HostVarReader).
    """
    layers = []
    for name in LAYER_VARS:
        value = variables.get(name)
        if template is not None and value is not None:
            try:
                value = template(value)
            except Exception as exc:  # noqa: BLE001 - an undefined variable, a missing vault secret: named, never shown
                text = str(getattr(exc, "message", None) or exc).strip().splitlines()
                raise LayerError("%s cannot be templated: %s" % (locate_failure(value, name, exc), text[0][:300] if text else type(exc).__name__))
        layers.append(value)
    return merge_layers(layers, names=list(LAYER_VARS))
