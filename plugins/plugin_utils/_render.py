# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Byte-exact, deterministic encodings of a normalized config for each place the app reads.

PRIVATE, controller-only, no pydantic. Input everywhere is a validated, normalized config: key
names as the app spells them, values of native JSON types. Managed sources (plist, registry)
carry every value as a string (spec §2.1); JSON sources carry native types (§2.2).
"""

from __future__ import annotations

import decimal
import hashlib
import json
import plistlib
import re
import uuid

from ansible_collections.aiohub.claude_desktop.plugins.module_utils.placement import PREFERENCE_DOMAIN, REGISTRY_HIVES_LONG, REGISTRY_KEY  # noqa: F401
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._argspecs import DISPLAY_NAME, IDENTIFIER

REG_HEADER = "Windows Registry Editor Version 5.00"
HIVES = tuple(REGISTRY_HIVES_LONG.values())
# Namespace of the content-derived UUIDs (profile payloads, configLibrary entries).
_NAMESPACE = uuid.UUID("5b6d1c9e-3f0a-4e55-9a51-0c1a7d3e2b44")


class MalformedConfigFile(ValueError):
    """An existing JSON file cannot be merged. The message never quotes the file's content."""


def _compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def _decimal(value):
    """A float as a plain decimal string ("0.00001", never "1e-05"): the shortest text that round-trips."""
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(decimal.Decimal(text), "f")
    return text


def encode_managed_value(value):
    """The string a plist or REG_SZ value holds: "true"/"false", decimal integers, compact JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _decimal(value)
    if isinstance(value, str):
        return value
    if isinstance(value, (list, dict)):
        return _compact(value)
    raise TypeError("cannot encode a %s as a managed value" % type(value).__name__)


def decode_managed_value(text, kind):
    """Inverse of encode_managed_value for a key of the given kind."""
    if kind == "string":
        return text
    if kind == "boolean":
        lowered = text.strip().lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
        raise ValueError("not a boolean string")
    if kind == "integer":
        return int(text)
    if kind == "number":
        return float(text)
    if kind == "json":
        return json.loads(text)
    raise ValueError("unknown kind %r" % kind)


def managed_values(config):
    """Every key's managed string, sorted by key."""
    return {key: encode_managed_value(config[key]) for key in sorted(config)}


def _replace_cr(value, mark):
    if isinstance(value, str):
        return value.replace("\r", mark)
    if isinstance(value, dict):
        return {_replace_cr(k, mark): _replace_cr(v, mark) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_cr(v, mark) for v in value]
    return value


def _plist_xml(value):
    """plistlib.dumps (XML, sorted keys), keeping carriage returns: plistlib writes a CR as a line feed,
    so a CR is carried as the character reference &#13;, which XML parsers (plistlib's included) read
    back as U+000D. Same input, same bytes."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)  # escapes a CR as the two characters \\r
    if "\\r" not in text:
        return plistlib.dumps(value, fmt=plistlib.FMT_XML, sort_keys=True)
    mark = next(chr(c) for c in range(0xE000, 0xF900) if chr(c) not in text)  # a private-use character the data lacks
    data = plistlib.dumps(_replace_cr(value, mark), fmt=plistlib.FMT_XML, sort_keys=True)
    return data.replace(mark.encode("utf-8"), b"&#13;")


def render_managed_plist(config):
    """Flat plist for /Library/Managed Preferences/com.anthropic.claudefordesktop.plist (and Jamf upload)."""
    return _plist_xml(managed_values(config))


def _uuid(*parts):
    return str(uuid.uuid5(_NAMESPACE, "\x00".join(parts))).upper()


def render_mobileconfig(config, identifier=IDENTIFIER, organization="",
                        display_name=DISPLAY_NAME, description="",
                        scope="System", removal_disallowed=False):
    """A Configuration profile with one com.anthropic.claudefordesktop payload, values as strings.

    The payload UUIDs are derived from the identifier, the metadata and the values, so the same
    input gives the same bytes and any change gives new UUIDs.
    """
    if scope not in ("System", "User"):
        raise ValueError("scope must be System or User, not %r" % (scope,))
    values = managed_values(config)
    reserved = [k for k in values if k.startswith("Payload")]
    if reserved:
        raise ValueError("key %s collides with profile payload keys" % reserved[0])
    content = hashlib.sha256(_compact([values, identifier, organization, display_name, description, scope,
                                       bool(removal_disallowed)]).encode("utf-8")).hexdigest()
    payload = dict(values)
    payload.update({
        "PayloadType": PREFERENCE_DOMAIN,
        "PayloadVersion": 1,
        "PayloadIdentifier": identifier + ".settings",
        "PayloadUUID": _uuid(identifier, "payload", content),
        "PayloadDisplayName": display_name,
        "PayloadEnabled": True,
    })
    profile = {
        "PayloadType": "Configuration",
        "PayloadVersion": 1,
        "PayloadIdentifier": identifier,
        "PayloadUUID": _uuid(identifier, "profile", content),
        "PayloadDisplayName": display_name,
        "PayloadScope": scope,
        "PayloadRemovalDisallowed": bool(removal_disallowed),
        "PayloadContent": [payload],
    }
    if organization:
        profile["PayloadOrganization"] = organization
    if description:
        profile["PayloadDescription"] = description
    return _plist_xml(profile)


def sign_mobileconfig(data, cert_pem, key_pem, chain_pem=None):
    """CMS SignedData (DER, content embedded) over a profile, as MDMs and macOS accept.

    No signed attributes (no signing time), so with an RSA key the same input gives the same bytes.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs7

    cert = x509.load_pem_x509_certificate(cert_pem)
    key = serialization.load_pem_private_key(key_pem, password=None)
    builder = pkcs7.PKCS7SignatureBuilder().set_data(data).add_signer(cert, key, hashes.SHA256())
    for extra in x509.load_pem_x509_certificates(chain_pem) if chain_pem else []:
        builder = builder.add_certificate(extra)
    return builder.sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary, pkcs7.PKCS7Options.NoAttributes])


def _reg_escape(text):
    return text.replace("\\", "\\\\").replace('"', '\\"')


def render_reg(config, hive="HKEY_LOCAL_MACHINE", delete=()):
    """A .reg file: REG_SZ values directly under <hive>\\SOFTWARE\\Policies\\Claude, UTF-16LE with BOM, CRLF.

    ``delete`` names values to remove ("name"=-) when they are not in the config.
    """
    if hive not in HIVES:
        raise ValueError("hive must be one of %s, not %r" % (", ".join(HIVES), hive))
    lines = [REG_HEADER, "", "[%s\\%s]" % (hive, REGISTRY_KEY)]
    for name, value in managed_values(config).items():
        if "\n" in value or "\r" in value:
            raise ValueError("%s: a line break cannot be carried by a .reg REG_SZ value" % name)
        lines.append('"%s"="%s"' % (_reg_escape(name), _reg_escape(value)))
    for name in sorted(set(delete) - set(config)):
        lines.append('"%s"=-' % _reg_escape(name))
    return _reg_bytes(lines)


def render_reg_removal(hive="HKEY_LOCAL_MACHINE", names=()):
    """A .reg that deletes the values ``names`` (the keys the config sets) under <hive>\\SOFTWARE\\Policies\\Claude.

    One ``"name"=-`` line per value (spec §4.2 format): values another tool wrote under the key, and
    the key itself, stay. With no other value left the key holds nothing that makes machine policy
    "present" (§1.3: any value directly under it), so user policy applies again.
    """
    if hive not in HIVES:
        raise ValueError("hive must be one of %s, not %r" % (", ".join(HIVES), hive))
    lines = [REG_HEADER, "", "[%s\\%s]" % (hive, REGISTRY_KEY)]
    lines.extend('"%s"=-' % _reg_escape(name) for name in sorted(set(names)))
    return _reg_bytes(lines)


def _reg_bytes(lines):
    text = "\r\n".join(lines) + "\r\n"
    return b"\xff\xfe" + text.encode("utf-16-le")


_REG_LINE = re.compile(r'^"((?:[^"\\]|\\.)*)"=(?:"((?:[^"\\]|\\.)*)"|(-))$')


def _reg_unescape(text):
    return re.sub(r"\\(.)", lambda m: m.group(1), text)


def parse_reg(data):
    """Parse a .reg written by render_reg (or regedit's export of REG_SZ values).

    Returns (key path, {name: value, or None for a deletion}); a key deletion ([-KEY]) comes back
    as "-KEY" with no values. Raises ValueError otherwise.
    """
    if data.startswith(b"\xff\xfe"):
        text = data[2:].decode("utf-16-le")
    else:
        text = data.decode("utf-8-sig")
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0] != REG_HEADER:
        raise ValueError("not a version 5 .reg file")
    key, values = None, {}
    for line in lines[1:]:
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            if key is not None:
                raise ValueError("more than one key in the file")
            key = line[1:-1]
            continue
        m = _REG_LINE.match(line)
        if not m or key is None:
            raise ValueError("unsupported .reg line %d" % (lines.index(line) + 1))
        values[_reg_unescape(m.group(1))] = None if m.group(3) else _reg_unescape(m.group(2))
    if key is None:
        raise ValueError("no key in the file")
    return key, values


def _json_bytes(value):
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def render_linux_json(config):
    """/etc/claude-desktop/managed-settings.json: keys at top level, native JSON types."""
    return _json_bytes({key: config[key] for key in sorted(config)})


def _load_object(existing, what):
    if existing is None or not existing.strip():
        return {}
    try:
        text = existing.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedConfigFile("%s is not UTF-8 (byte %d)" % (what, exc.start))
    if text.startswith("\ufeff"):
        text = text[1:]  # a BOM written by Notepad; the app wants none, so it is dropped on write
    try:
        data = json.loads(text)
    except ValueError as exc:
        line, col = getattr(exc, "lineno", "?"), getattr(exc, "colno", "?")
        reason = getattr(exc, "msg", "invalid JSON")
        raise MalformedConfigFile("%s does not parse: %s at line %s column %s" % (what, reason, line, col))
    if not isinstance(data, dict):
        raise MalformedConfigFile("%s holds a JSON %s, not an object" % (what, type(data).__name__))
    return data


def merge_user_config(existing, config, deployment_mode=None):
    """claude_desktop_config.json with ``enterpriseConfig`` set; every other key kept in place."""
    data = _load_object(existing, "claude_desktop_config.json")
    data["enterpriseConfig"] = {key: config[key] for key in sorted(config)}
    if deployment_mode is not None:
        data["deploymentMode"] = deployment_mode
    return _json_bytes(data)


def remove_user_config(existing):
    """claude_desktop_config.json without ``enterpriseConfig``; everything else kept."""
    data = _load_object(existing, "claude_desktop_config.json")
    data.pop("enterpriseConfig", None)
    return _json_bytes(data)


def config_library_entry_id(identifier):
    """The configLibrary entry id of this collection's configuration: stable per identifier."""
    return str(uuid.uuid5(_NAMESPACE, "configLibrary\x00" + identifier))


def render_config_library_entry(config):
    """configLibrary/<id>.json: the keys with native JSON types."""
    return _json_bytes({key: config[key] for key in sorted(config)})


def merge_config_library_meta(existing, entry_id, name, apply=True):
    """configLibrary/_meta.json with our entry added or renamed (and applied); other entries kept."""
    data = _load_object(existing, "configLibrary/_meta.json")
    entries = data.get("entries")
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        raise MalformedConfigFile("configLibrary/_meta.json: 'entries' is not a list")
    for entry in entries:
        if isinstance(entry, dict) and entry.get("id") == entry_id:
            entry["name"] = name
            break
    else:
        entries.append({"id": entry_id, "name": name})
    data["entries"] = entries
    if apply:
        data["appliedId"] = entry_id
    return _json_bytes(data)


def remove_from_config_library_meta(existing, entry_id):
    """_meta.json without our entry. If ours was applied, appliedId is removed (no entry is applied)."""
    data = _load_object(existing, "configLibrary/_meta.json")
    entries = data.get("entries")
    if isinstance(entries, list):
        data["entries"] = [e for e in entries if not (isinstance(e, dict) and e.get("id") == entry_id)]
        if not data["entries"] and set(data) <= {"entries", "appliedId"}:
            data.pop("entries")
    if data.get("appliedId") == entry_id:
        data.pop("appliedId")
    return _json_bytes(data)
