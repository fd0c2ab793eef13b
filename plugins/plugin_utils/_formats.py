# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The artifact formats, one row each: name -> renderer, file names, OSes. PRIVATE, controller-only.

A new format is one row of ``TABLE`` (and its encoder in _render). Everything that lists formats reads
this table: the render action's ``formats`` choices and per-OS defaults (_artifacts.FORMATS, OS_FORMATS,
FILE_NAMES), the per-team sets (_teams.formats_for), adopt's "which OS's rules apply"
(_adopt.FORMAT_OS); tests/unit/plugins/plugin_utils/test_formats.py holds the doc stubs, the roles and
playbooks/render.yml to it.

Columns:
- ``render(config, options, existing)``: the format's files as ``[(relative path, bytes)]``; ``options``
  as _artifacts.render_set documents; ``existing(rel)`` the current bytes of a file the format merges.
- ``files``: the relative paths it writes (``fnmatch`` patterns where a name derives from the options).
- ``merges``: those of ``files`` merged into what exists (their bytes enter the set's content address).
- ``oses``: the target OSes whose default set (the render action's ``os`` option) holds it.
- ``kind``: ``managed`` (a managed source, spec §1), ``user`` (the user config, placement.FORMATS) or
  ``template`` (describes every key, not a config; nothing to adopt).
"""

from __future__ import annotations

from collections import namedtuple

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _admx
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _render as r
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._argspecs import DISPLAY_NAME

Format = namedtuple("Format", "name render files merges oses kind")


def _scope(options):
    return "user" if options.get("scope") == "user" else "machine"


def _mobileconfig(config, options, existing):
    data = r.render_mobileconfig(
        config, identifier=options["identifier"], organization=options.get("organization") or "",
        display_name=options.get("display_name") or DISPLAY_NAME,
        description=options.get("description") or "",
        scope="User" if _scope(options) == "user" else "System",
        removal_disallowed=bool(options.get("removal_disallowed")))
    name, signed_name = BY_NAME["mobileconfig"].files
    out = [(name, data)]
    signer = options.get("signer")
    if signer:
        out.append((signed_name, r.sign_mobileconfig(data, cert_pem=signer["cert_pem"], key_pem=signer["key_pem"],
                                                     chain_pem=signer.get("chain_pem"))))
    return out


def _plist(config, options, existing):
    return [(BY_NAME["plist"].files[0], r.render_managed_plist(config))]


def _reg(config, options, existing):
    # the removal file deletes the values the config sets, and only those (never the whole key: other
    # tools' values under it stay), e.g. to hand HKLM back to user policy
    hive = "HKEY_CURRENT_USER" if _scope(options) == "user" else "HKEY_LOCAL_MACHINE"
    name, removal_name = BY_NAME["reg"].files
    return [(name, r.render_reg(config, hive=hive, delete=options.get("reg_delete") or ())),
            (removal_name, r.render_reg_removal(hive, names=sorted(config)))]


def _linux_json(config, options, existing):
    return [(BY_NAME["linux_json"].files[0], r.render_linux_json(config))]


def _user_json(config, options, existing):
    name = BY_NAME["user_json"].files[0]
    return [(name, r.merge_user_config(existing(name), config))]


def _config_library(config, options, existing):
    entry_id = r.config_library_entry_id(options["identifier"])
    meta = BY_NAME["config_library"].merges[0]
    return [("configLibrary/%s.json" % entry_id, r.render_config_library_entry(config)),
            (meta, r.merge_config_library_meta(existing(meta), entry_id=entry_id,
                                               name=options.get("config_name") or options.get("display_name") or "Managed"))]


def _admx_templates(config, options, existing):
    # the template pair describes every key, not this config: same bytes for every host
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._catalog import key_catalog
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._schema import json_schema

    return [("admx/" + rel, data) for rel, data in _admx.render_templates(key_catalog(), json_schema()["properties"]).items()]


TABLE = (
    Format("mobileconfig", _mobileconfig, ("claude-desktop.mobileconfig", "claude-desktop.signed.mobileconfig"), (),
           ("macos",), "managed"),
    Format("plist", _plist, (r.PREFERENCE_DOMAIN + ".plist",), (), ("macos",), "managed"),
    Format("reg", _reg, ("claude-desktop.reg", "claude-desktop-remove.reg"), (), ("windows",), "managed"),
    Format("linux_json", _linux_json, ("managed-settings.json",), (), ("linux",), "managed"),
    Format("user_json", _user_json, ("claude_desktop_config.json",), ("claude_desktop_config.json",),
           ("macos", "windows"), "user"),
    Format("config_library", _config_library, ("configLibrary/*.json", "configLibrary/_meta.json"),
           ("configLibrary/_meta.json",), ("macos", "windows", "linux"), "user"),
    Format("admx", _admx_templates, ("admx/*.admx", "admx/*/*.adml"), (), (), "template"),
)
BY_NAME = {f.name: f for f in TABLE}
NAMES = tuple(f.name for f in TABLE)
TARGET_OSES = ("macos", "windows", "linux")
# Formats to render by target OS when the caller does not list them (table order).
OS_FORMATS = {os_name: tuple(f.name for f in TABLE if os_name in f.oses) for os_name in TARGET_OSES}
# The main file of each format whose name does not depend on the options.
FILE_NAMES = {f.name: f.files[0] for f in TABLE if "*" not in f.files[0]}
MERGED_FILES = tuple(name for f in TABLE for name in f.merges)
# The OS whose rules apply to a source read in the format (None: the user config, any OS); adopt reads these.
FORMAT_OS = {f.name: (f.oses[0] if len(f.oses) == 1 else None) for f in TABLE if f.kind != "template"}
