# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Structural masking of configuration files for diffs and messages. Standard library only.

Runs on targets (the apply module builds its diffs there) and on the controller. A value is
masked, whatever its length, when
  * its top-level key is a secret key of the model (``secret_keys``, passed by the controller),
  * it sits at a secret path inside a top-level key (``secret_paths``: the model's nested
    ``x-secret`` fields, e.g. managedMcpServers[].headers),
  * any key on its way down is named like a credential (api key, token, secret, password, ...),
  * any key on its way down is an MCP server's ``args``, ``env`` or ``headers`` (servers routinely
    take tokens there; the user's own ``mcpServers`` as well as ours),
  * or the value itself looks like a credential (``sk-...``, ``Bearer ...``, a JWT, an AWS key id,
    a URL with a password).
Strings that hold JSON (managed plists carry arrays and objects as JSON strings, spec §2.1) are
parsed and masked inside. Known secret strings are also scrubbed from any remaining text.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import plistlib
import re

# THE mask of the collection: every masked value, controller and target side, is this string.
MASK = "********"
# A masked value whose content differs between before and after (key rotation in --check --diff).
CHANGED = MASK + " (changed)"

# THE credential-name word list of the collection (one secret policy, issue 25): a key named like this
# is treated as a secret wherever a name decides (diffs and messages here, the drift audit's hashing
# on targets, unknown keys on the controller, header names in the validation rules). It is the union
# of the lists each of those places kept before (none of them masks less than it did): no exclusions,
# so e.g. inferenceCredentialHelper, tokenUrl and otlpHeadersHelper are masked in diffs too.
# tests/unit/plugins/module_utils/test_masking_policy.py guards that it stays the only one.
CREDENTIAL_NAME_RE = re.compile(
    r"(api[_-]?key|apikey|token|secret|passw(or)?d|passphrase|credential|bearer|^auth(orization)?$|"
    r"private[_-]?key|access[_-]?key|cookie|session[_-]?id|signature|headers)", re.I)
MASK_ALL_BELOW = frozenset(("args", "env", "headers", "environment"))
CREDENTIAL_VALUE_RE = re.compile(
    r"(\bsk-[A-Za-z0-9_-]{2,}|\b(bearer|basic|token)\s+\S+|\beyJ[A-Za-z0-9_-]{5,}\.|\b(AKIA|ASIA)[A-Z0-9]{12,}|"
    r"\bgh[pousr]_[A-Za-z0-9]{10,}|\bxox[abprs]-|\bAIza[0-9A-Za-z_-]{10,}|://[^/\s:@]*:[^/\s@]+@|-----BEGIN [A-Z ]*PRIVATE KEY)", re.I)


class Masker:
    def __init__(self, secret_keys=(), secret_paths=None, secret_values=()):
        self.secret_keys = frozenset(secret_keys)
        self.secret_paths = {k: [tuple(p) for p in v] for k, v in (secret_paths or {}).items()}
        self.secret_values = sorted((s for s in secret_values if isinstance(s, str) and s), key=len, reverse=True)

    # ----------------------------------------------------------------- objects
    def mask(self, data):
        """A masked copy of a parsed configuration object (dict at the top)."""
        if not isinstance(data, dict):
            return self._walk(data, False)
        out = {}
        for key, value in data.items():
            if key in self.secret_keys:
                out[key] = mask_structure(value)
            elif key == "enterpriseConfig" and isinstance(value, dict):
                out[key] = self.mask(value)  # generation-1 user file: the config sits one level down
            elif key in self.secret_paths:
                out[key] = self._walk(self._paths(value, self.secret_paths[key]), False)
            else:
                out[key] = self._walk(value, self._sensitive(key))
        return out

    @staticmethod
    def _sensitive(key):
        return isinstance(key, str) and (key in MASK_ALL_BELOW or bool(CREDENTIAL_NAME_RE.search(key)))

    def _walk(self, value, hide):
        if isinstance(value, dict):
            return {k: self._walk(v, hide or self._sensitive(k)) for k, v in value.items()}
        if isinstance(value, list):
            return [self._walk(v, hide) for v in value]
        if isinstance(value, str):
            if hide and value:
                return MASK
            inner = _json_container(value)
            if inner is not None:
                return json.dumps(self.mask(inner) if isinstance(inner, dict) else self._walk(inner, False),
                                  separators=(",", ":"), sort_keys=True, ensure_ascii=False)
            return MASK if CREDENTIAL_VALUE_RE.search(value) else value
        if hide and value is not None and not isinstance(value, bool):
            return MASK
        return value

    def _paths(self, value, paths):
        if isinstance(value, str):
            inner = _json_container(value)
            if inner is None:
                return value
            return json.dumps(self._paths(inner, paths), separators=(",", ":"), sort_keys=True, ensure_ascii=False)
        if isinstance(value, list):
            return [self._paths(v, paths) for v in value]
        if not isinstance(value, dict):
            return value
        out = dict(value)
        for path in paths:
            if path and path[0] in out:
                out[path[0]] = mask_structure(out[path[0]]) if len(path) == 1 else self._paths(out[path[0]], [path[1:]])
        return out

    # ----------------------------------------------------------------- text
    def scrub(self, text):
        for s in self.secret_values:
            if len(s) >= 4 and s in text:
                text = text.replace(s, MASK)
        return text

    def masked_text(self, data, fmt):
        """Masked, readable text of a file's bytes for a diff (``fmt``: json or plist)."""
        if data is None:
            return ""
        parsed = parse(data, fmt)
        if parsed is None:
            return "(%d bytes that do not parse as %s: not shown)\n" % (len(data), fmt)
        return self._dump(self.mask(parsed))

    def _dump(self, masked):
        return self.scrub(json.dumps(masked, indent=2, sort_keys=False, ensure_ascii=False, default=str) + "\n")

    def masked_pair(self, before, after, fmt):
        """Masked texts of a file before and after a change, for one diff. A masked value that
        differs between the two shows as ``******** (changed)`` after, so a rotated key is visible
        in --check --diff without showing either value."""
        parsed_before = parse(before, fmt) if before is not None else None
        parsed_after = parse(after, fmt) if after is not None else None
        if parsed_before is None or parsed_after is None:
            return self.masked_text(before, fmt), self.masked_text(after, fmt)
        return self._dump(self.mask(parsed_before)), self._dump(mark_changed(self.mask(parsed_after), parsed_after, parsed_before))


def mark_changed(masked, new, old):
    """``masked`` (the masked form of ``new``) with each MASK whose value differs in ``old`` (at the
    same place) replaced by CHANGED; JSON held in strings is compared inside."""
    if isinstance(masked, dict):
        if not (isinstance(new, dict) and isinstance(old, dict)):
            return masked
        return {k: mark_changed(v, new.get(k), old[k]) if k in old else v for k, v in masked.items()}
    if isinstance(masked, list):
        if not (isinstance(new, list) and isinstance(old, list)):
            return masked
        return [mark_changed(v, new[i], old[i]) if i < len(old) and i < len(new) else v for i, v in enumerate(masked)]
    if isinstance(masked, str) and MASK in masked and new != old:
        if masked == MASK:
            return CHANGED
        inner, inner_new = _json_container(masked), _json_container(new) if isinstance(new, str) else None
        inner_old = _json_container(old) if isinstance(old, str) else old if isinstance(old, (dict, list)) else None
        if inner is not None and inner_new is not None and inner_old is not None:
            return json.dumps(mark_changed(inner, inner_new, inner_old), separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return masked


def mask_structure(value):
    """value with every leaf replaced by MASK (None and empty strings kept), the structure kept."""
    if isinstance(value, dict):
        return {k: mask_structure(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_structure(v) for v in value]
    return MASK if value not in (None, "") else value


def _json_container(text):
    stripped = text.strip()
    if not stripped or stripped[0] not in "[{":
        return None
    try:
        value = json.loads(stripped)
    except ValueError:
        return None
    return value if isinstance(value, (dict, list)) else None


def parse(data, fmt):
    """Parse JSON or plist bytes; None when they do not parse."""
    try:
        if fmt == "plist":
            return plistlib.loads(data)
        text = data.decode("utf-8")
        return json.loads(text[1:] if text.startswith("\ufeff") else text)
    except Exception:
        return None
