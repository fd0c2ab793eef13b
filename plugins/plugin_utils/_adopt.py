# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Adopt (and lint) an existing artifact: read it as the app reads it, give back the config.

PRIVATE, controller-only. Formats: a .mobileconfig (signed or not; direct payload or the legacy
ManagedClient form), a managed plist (XML or binary, plistlib), a .reg (UTF-16 or UTF-8, HKLM or
HKCU; _regfile), a Linux managed-settings.json, a claude_desktop_config.json (enterpriseConfig) and a
configLibrary/ directory (the applied entry). Values are decoded with _render.decode_managed_value
and the model's key kinds, the same code the drift audit uses, so render -> adopt gives the same
config. Every finding is a (severity, message) pair that quotes no value.
"""

from __future__ import annotations

import json
import os
import plistlib
import re

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _cms, _formats, _regfile
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _render as r
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import MASK, mask_config

LEGACY_PAYLOAD = "com.apple.ManagedClient.preferences"
# Formats as named by the render action, and the OS whose rules apply to each (from the formats table).
FORMAT_OS = _formats.FORMAT_OS
POLICY_KEY = r.REGISTRY_KEY.lower()


class AdoptError(ValueError):
    """The source cannot be read at all; the message never quotes its content."""


class Source(object):
    def __init__(self, fmt, values, managed, options=None, findings=None):
        self.format = fmt
        self.values = values          # key -> value as stored (strings in managed sources)
        self.managed = managed
        self.options = options or {}  # inventory variables the source implies (identifier, scope, ...)
        self.findings = findings or []

    def note(self, severity, message):
        self.findings.append({"severity": severity, "message": message})


# ----------------------------------------------------------------------------------- reading
def _read_bytes(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as exc:
        raise AdoptError("cannot read %s: %s" % (path, exc.strerror))


def _json(data, what):
    try:
        return r._load_object(data, what)
    except r.MalformedConfigFile as exc:
        raise AdoptError(str(exc))


def read_source(path):
    """Detect the format of path and read its values. Raises AdoptError."""
    if os.path.isdir(path):
        return _read_config_library(path)
    data = _read_bytes(path)
    head = data.lstrip()[:64]
    if _looks_reg(data):
        return _read_reg(data)
    if _cms.is_signed(data) and not head.startswith((b"<", b"bplist", b"{")):
        try:
            content = _cms.signed_content(data)
        except _cms.CmsError as exc:
            raise AdoptError("%s looks like a signed profile but its content cannot be read: %s" % (path, exc))
        source = _read_plist(content, path)
        who = _cms.signers(data)
        source.note("info", "signed profile (CMS SignedData%s); the signature was not verified, the content was read as "
                            "'openssl smime -verify -noverify' prints it" % ((", signer " + "; ".join(who)) if who else ""))
        source.options["signed"] = True
        return source
    if head.startswith((b"<?xml", b"<plist", b"<!DOCTYPE", b"bplist")):
        return _read_plist(data, path)
    if head.startswith(b"{") or data.startswith(b"\xef\xbb\xbf{"):
        return _read_json_file(data, path)
    raise AdoptError("%s is not a .mobileconfig, plist, .reg, managed-settings.json, claude_desktop_config.json or "
                     "configLibrary directory" % path)


def _looks_reg(data):
    try:
        text = _regfile.decode_text(data[:400])
    except (_regfile.RegFileError, UnicodeDecodeError):
        return False
    return text.lstrip().startswith(_regfile.HEADERS)


def _read_plist(data, path):
    try:
        top = plistlib.loads(data)
    except Exception as exc:  # plistlib raises several types (InvalidFileException, ExpatError, ...)
        raise AdoptError("%s is not a readable plist: %s" % (path, type(exc).__name__))
    if not isinstance(top, dict):
        raise AdoptError("%s holds a plist %s, not a dictionary" % (path, type(top).__name__))
    binary = data.startswith(b"bplist")
    if top.get("PayloadType") == "Configuration" or "PayloadContent" in top:
        source = _read_profile(top)
    else:
        source = Source("plist", dict(top), managed=True)
    if binary:
        source.note("info", "binary plist (read with plistlib, as the app reads it through CFPreferences)")
    return source


def _read_profile(top):
    values, found = {}, 0
    source = Source("mobileconfig", values, managed=True)
    for index, payload in enumerate(top.get("PayloadContent") or []):
        if not isinstance(payload, dict):
            continue
        kind = payload.get("PayloadType")
        if kind == r.PREFERENCE_DOMAIN:
            found += 1
            values.update((k, v) for k, v in payload.items() if not k.startswith("Payload"))
            if payload.get("PayloadEnabled") is False:
                source.note("warning", "payload %d (%s) has PayloadEnabled false: macOS does not apply it" % (index, kind))
        elif kind == LEGACY_PAYLOAD:
            domain = (payload.get("PayloadContent") or {}).get(r.PREFERENCE_DOMAIN)
            if isinstance(domain, dict):
                found += 1
                source.note("info", "legacy %s payload (Forced mcx_preference_settings; spec §4.1): read as the direct payload" % LEGACY_PAYLOAD)
                for entry in domain.get("Forced") or []:
                    if isinstance(entry, dict) and isinstance(entry.get("mcx_preference_settings"), dict):
                        values.update(entry["mcx_preference_settings"])
                if domain.get("Set-Once") or domain.get("Often"):
                    source.note("warning", "Set-Once/Often preferences are not managed (only Forced is); they were not adopted")
        else:
            source.note("info", "payload %d of type %s is not Claude Desktop's; not adopted" % (index, kind))
    if not found:
        raise AdoptError("the profile has no %s payload" % r.PREFERENCE_DOMAIN)
    if found > 1:
        source.note("warning", "%d payloads for %s: merged in file order (a later one wins per key)" % (found, r.PREFERENCE_DOMAIN))
    source.options.update(identifier=top.get("PayloadIdentifier"), organization=top.get("PayloadOrganization"),
                          display_name=top.get("PayloadDisplayName"), description=top.get("PayloadDescription"),
                          scope="user" if top.get("PayloadScope") == "User" else "machine",
                          removal_disallowed=top.get("PayloadRemovalDisallowed"))
    return source


def _read_reg(data):
    try:
        keys = _regfile.parse(data)
    except _regfile.RegFileError as exc:
        raise AdoptError(".reg: %s" % exc)
    hives = {}
    source = Source("reg", {}, managed=True)
    for path, deleted, values in keys:
        hive, dummy, rest = path.partition("\\")
        lowered = rest.lower()
        if lowered == POLICY_KEY:
            if deleted:
                source.note("warning", "[-%s] deletes the policy key (a removal file); its values were not adopted" % path)
                continue
            hives.setdefault(hive, []).extend(values)
        elif lowered.startswith(POLICY_KEY + "\\"):
            if values:
                source.note("warning", "%d value(s) under the sub-key %s: the app never reads sub-keys (spec §1.3); not adopted"
                            % (len(values), path))
        else:
            source.note("info", "key %s is not Claude Desktop's policy key; not adopted" % path)
    if not hives:
        raise AdoptError(".reg: no values under HKEY_LOCAL_MACHINE or HKEY_CURRENT_USER\\%s" % r.REGISTRY_KEY)
    if len(hives) > 1:
        names = sorted(hives)
        source.note("warning", "values under both %s: from 1.19367.0 the app ignores HKEY_CURRENT_USER whenever HKEY_LOCAL_MACHINE "
                               "holds any value (spec §1.3); the HKEY_LOCAL_MACHINE values were adopted" % " and ".join(names))
    hive = "HKEY_LOCAL_MACHINE" if "HKEY_LOCAL_MACHINE" in hives else sorted(hives)[0]
    if hive == "HKEY_CURRENT_USER":
        source.note("info", "HKEY_CURRENT_USER policy (the app's own export; spec §4): adopted with claude_desktop_scope: user; "
                            "fleets usually deliver the same values under HKEY_LOCAL_MACHINE (render with scope machine)")
        source.options["scope"] = "user"
    elif hive != "HKEY_LOCAL_MACHINE":
        raise AdoptError(".reg: the policy key is under %s, which the app does not read" % hive)
    for value in hives[hive]:
        if value.type == "DELETE":
            continue
        if value.name == "":
            source.note("warning", "the key's (Default) value is set: it counts as policy present (spec §1.3) but is no setting")
        elif value.type == "REG_SZ":
            source.values[value.name] = value.data
        elif value.type == "REG_DWORD":
            source.values[value.name] = value.data
            source.note("info", "%s is a REG_DWORD: read as its decimal value for boolean and integer keys only (spec §1.3)" % value.name)
        elif value.type == "REG_EXPAND_SZ":
            source.note("error", "%s is a REG_EXPAND_SZ: counted as machine policy present but its contents cannot be read "
                                 "(spec §1.3); not adopted, write it as REG_SZ" % value.name)
        else:
            source.note("warning", "%s is a %s, invisible to the app (spec §1.3); not adopted" % (value.name, value.type))
    return source


def _read_json_file(data, path):
    doc = _json(data, os.path.basename(path))
    name = os.path.basename(path)
    if "enterpriseConfig" in doc:
        inner = doc["enterpriseConfig"]
        if not isinstance(inner, dict):
            raise AdoptError("%s: enterpriseConfig is not an object" % name)
        source = Source("user_json", dict(inner), managed=False)
        extra = sorted(k for k in doc if k != "enterpriseConfig")
        if extra:
            source.note("info", "other keys of %s are the app's own preferences, not configuration: %s" % (name, ", ".join(extra)))
        return source
    if name == "_meta.json" or ("appliedId" in doc and "entries" in doc):
        return _read_config_library(os.path.dirname(os.path.abspath(path)))
    fmt = "config_library" if os.path.basename(os.path.dirname(os.path.abspath(path))) == "configLibrary" else "linux_json"
    return Source(fmt, dict(doc), managed=(fmt == "linux_json"))


def _read_config_library(path):
    directory = path
    if not os.path.isfile(os.path.join(directory, "_meta.json")) and os.path.isfile(os.path.join(directory, "configLibrary", "_meta.json")):
        directory = os.path.join(directory, "configLibrary")
    meta_path = os.path.join(directory, "_meta.json")
    if not os.path.isfile(meta_path):
        raise AdoptError("%s is a directory without configLibrary/_meta.json" % path)
    meta = _json(_read_bytes(meta_path), "configLibrary/_meta.json")
    applied = meta.get("appliedId")
    entries = [e for e in meta.get("entries") or [] if isinstance(e, dict)]
    if not applied:
        names = ", ".join("%s (%s)" % (e.get("id"), e.get("name")) for e in entries) or "none"
        raise AdoptError("configLibrary/_meta.json applies no entry (no appliedId), so the app uses none; entries: %s" % names)
    if not isinstance(applied, str) or not re.match(r"^[A-Za-z0-9-]{1,64}$", applied):
        raise AdoptError("configLibrary/_meta.json: appliedId is not an entry id")
    entry = os.path.join(directory, applied + ".json")
    if not os.path.isfile(entry):
        raise AdoptError("configLibrary/_meta.json applies %s but %s.json is missing" % (applied, applied))
    source = Source("config_library", dict(_json(_read_bytes(entry), "configLibrary/%s.json" % applied)), managed=False)
    name = next((e.get("name") for e in entries if e.get("id") == applied), None)
    if name:
        source.options["config_name"] = name
    others = [e for e in entries if e.get("id") != applied]
    if others:
        source.note("info", "%d other saved configuration(s) in configLibrary are not applied; not adopted" % len(others))
    return source


# ---------------------------------------------------------------------------------- decoding
def _catalog():
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._catalog import key_catalog

    return key_catalog()


def _known_names():
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._catalog import FIRST_PARTY_ONLY_KEYS, UNVERIFIED_KEYS, removed_keys

    return set(_catalog()) | set(removed_keys()) | set(FIRST_PARTY_ONLY_KEYS) | set(UNVERIFIED_KEYS)


def decode(source):
    """The config the app reads from the source's stored values: (config, findings)."""
    catalog = _catalog()
    known = _known_names()
    config, findings = {}, []

    def note(severity, message):
        findings.append({"severity": severity, "message": message})

    dotted = {}
    for key in sorted(source.values):
        value = source.values[key]
        if "." in key and key not in known:
            dotted.setdefault(key.split(".", 1)[0], []).append(key)
            continue
        meta = catalog.get(key)
        kind = meta["kind"] if meta else None
        if source.format in ("mobileconfig", "plist") and isinstance(value, (list, dict)):
            note("warning", "%s is a native %s in the %s: the app's docs say JSON strings are the portable encoding and early builds "
                            "ignored native structures (spec §2.1, claude-code#53818); re-render to write it as one JSON string"
                 % (key, "<array>" if isinstance(value, list) else "<dict>", "profile" if source.format == "mobileconfig" else "plist"))
        elif source.format in ("mobileconfig", "plist") and isinstance(value, (bool, int, float)):
            note("info", "%s is a native plist %s: the spec says to write strings (spec §2.1); re-render writes the string form"
                 % (key, type(value).__name__))
        elif isinstance(value, (bytes, bytearray)) or type(value).__name__ == "datetime":
            note("error", "%s holds plist %s data, which no key of the app takes; not adopted" % (key, type(value).__name__))
            continue
        config[key] = _decode_value(key, value, kind, note)
    for prefix, keys in sorted(dotted.items()):
        where = (" the fields belong inside the JSON object %s" % prefix) if prefix in catalog else ""
        note("error", "dotted sub-key%s %s: never read by the app (spec §2.1);%s" % ("s" if len(keys) > 1 else "", ", ".join(keys),
                                                                                     where or " not adopted"))
    return config, findings


def _decode_value(key, value, kind, note):
    if kind is None or not isinstance(value, str):
        if kind == "boolean" and isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
            return bool(value)  # REG_DWORD 0/1 (spec §1.3)
        return value
    if kind == "string":
        return value
    if kind == "json":
        try:
            parsed = json.loads(value)
        except ValueError:
            return value  # a legacy string form (e.g. "Name=value,...") or a mistake: the validator says which
        return parsed if isinstance(parsed, (list, dict)) else value
    try:
        return r.decode_managed_value(value, kind)
    except ValueError:
        note("error", "%s cannot be read as %s %s (spec §2.1); adopted as the text it holds" % (key, "an" if kind[0] in "aeiou" else "a", kind))
        return value


# ------------------------------------------------------------------------------ placeholders
_PLACEHOLDERS = (
    (re.compile(r"REPLACE_[A-Za-z0-9_]*"), "a REPLACE_* template placeholder"),
    (re.compile(r"<your[-_ ][^<>]{0,40}>|<key>|<token>|<api[-_ ]?key>", re.I), "an angle-bracket placeholder such as <your-key>"),
    (re.compile(r"\bsk-your-api-key\b"), "the AIOHub guide's sample API key (sk-your-api-key in its text)"),
    (re.compile(r"\bYOUR_[A-Z0-9_]+\b"), "a YOUR_* placeholder"),
    (re.compile(r"(?<![A-Za-z0-9-])(?:[A-Za-z0-9*-]+\.)*example\.com(?![A-Za-z0-9-]|\.[A-Za-z0-9])", re.I), "an example.com host (documentation only)"),
)


def _leaves(value, path):
    if isinstance(value, dict):
        for k in sorted(value, key=str):
            yield from _leaves(value[k], "%s.%s" % (path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaves(v, "%s[%d]" % (path, i))
    elif isinstance(value, str):
        yield path, value


def placeholders(config):
    """Leftover placeholders: [(key path, what)], no values quoted."""
    out = []
    for key in sorted(config):
        for path, text in _leaves(config[key], key):
            for pattern, what in _PLACEHOLDERS:
                if pattern.search(text):
                    out.append((path, what))
    return out


# ---------------------------------------------------------------------------------- secrets
def _var_name(path):
    snake = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", path)
    return "claude_desktop_secret_" + re.sub(r"[^a-z0-9]+", "_", snake.lower()).strip("_")


def split_secrets(config):
    """(config with each secret leaf replaced by a variable reference, {variable: secret value}).

    A leaf is secret where the collection's masking (_secrets.mask_config, the one rule for output)
    would hide it, wholly or in part.
    """
    masked = mask_config(config)
    secrets = {}

    def walk(value, shown, path):
        if isinstance(value, dict):
            return {k: walk(v, shown.get(k) if isinstance(shown, dict) else None, "%s.%s" % (path, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, shown[i] if isinstance(shown, list) and i < len(shown) else None, "%s[%d]" % (path, i))
                    for i, v in enumerate(value)]
        if isinstance(value, str) and value and shown != value and (shown is None or MASK in str(shown)):
            name = base = _var_name(path)
            n = 2
            while name in secrets:
                name, n = "%s_%d" % (base, n), n + 1
            secrets[name] = value
            return "{{ %s }}" % name
        return value

    out = {k: walk(config[k], masked.get(k), k) for k in sorted(config)}
    return out, secrets


# ------------------------------------------------------------------------------ group_vars
class Unsafe(str):
    """Text Ansible must not template (it holds {{, {% or {#): written with the !unsafe tag. Only such text:
    ansible-core 2.19 resolves an !unsafe scalar's implicit type even when quoted (!unsafe '00' loads as 0),
    which text holding a template mark can never match."""


def _yaml_dumper():
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def style(data):
        # YAML folds line breaks (NEL, LS, PS, CR, LF) and cannot hold other controls in plain or single-quoted
        # scalars: such text is written double-quoted, where the emitter escapes them (\N, \L, \P, \r, \x..)
        return '"' if not data or _YAML_FRAGILE.search(data) else None

    def unsafe(dumper, data):
        if not data:  # Ansible loads !unsafe "" as null; empty text holds no template anyway
            return text(dumper, "")
        return dumper.represent_scalar("!unsafe", str(data), style=style(data) or "'")

    def text(dumper, data):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style(data))

    Dumper.add_representer(Unsafe, unsafe)
    Dumper.add_representer(str, text)
    return Dumper


_YAML_FRAGILE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")


_TEMPLATE_CHARS = re.compile(r"\{\{|\{%|\{#")


def _protect(value, refs=()):
    if isinstance(value, dict):
        return {k: _protect(v, refs) for k, v in value.items()}
    if isinstance(value, list):
        return [_protect(v, refs) for v in value]
    if isinstance(value, str) and value not in refs and _TEMPLATE_CHARS.search(value):
        return Unsafe(value)
    return value


def dump_yaml(data):
    import yaml

    return yaml.dump(data, Dumper=_yaml_dumper(), default_flow_style=False, allow_unicode=True, sort_keys=True, width=10000)


def group_vars_files(config, options, source_name, fmt):
    """{file name: (text, secret?)} for a group_vars/all directory: claude_desktop.yml with the config
    (each secret replaced by a variable) and one claude_desktop_secret_<name>.yml per secret."""
    with_refs, secrets = split_secrets(config)
    refs = set("{{ %s }}" % name for name in secrets)
    head = ("---\n# Adopted from %s (%s) by aiohub.claude_desktop.adopt. Use this directory as group_vars/all\n"
            "# (or copy the keys into your inventory); secrets are in the claude_desktop_secret_*.yml files beside it.\n"
            % (re.sub(r"[\r\n]", " ", source_name), fmt))
    main = {"claude_desktop_config": _protect(with_refs, refs)}
    for option, var in (("identifier", "claude_desktop_identifier"), ("organization", "claude_desktop_organization"),
                        ("scope", "claude_desktop_scope")):
        if options.get(option) not in (None, ""):
            main[var] = _protect(options[option])
    files = {"claude_desktop.yml": (head + dump_yaml(main), False)}
    for name, value in sorted(secrets.items()):
        text = "---\n# A secret adopted by aiohub.claude_desktop.adopt (mode 0600; encrypt it: ansible-vault encrypt <file>).\n"
        files["%s.yml" % name] = (text + dump_yaml({name: _protect(value)}), True)
    return files
