# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Windows through Intune: the collection's ADMX ingested by OMA-URI, one ADMX-backed setting per key.

PRIVATE, controller-only. A windows10CustomConfiguration (Graph v1.0) carries omaSettings: first the
ADMX the collection renders (_admx) under ./Device/Vendor/MSFT/Policy/ConfigOperations/ADMXInstall/,
then one setting per key under ./Device/Vendor/MSFT/Policy/Config/<app>~Policy~<category path>/<policy>
with the ADMX-backed SyncML value (<enabled/><data id=".." value=".."/>). Each policy of that ADMX
writes one REG_SZ value directly under HKLM\\SOFTWARE\\Policies\\Claude (spec §1.3), the same values as
the .reg render writes. Secret keys have no policy in the ADMX (_admx): such a config is refused
with the fix (inferenceCredentialHelper, or WinRM delivery).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _admx
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _render as r

APP = "ClaudeDesktop"
INSTALL_URI = "./Device/Vendor/MSFT/Policy/ConfigOperations/ADMXInstall/%s/Policy/%sAdmx" % (APP, APP)
CONFIG_URI = "./Device/Vendor/MSFT/Policy/Config/%s~Policy~%s/%s"
NS = {"p": _admx.SCHEMA_NS}


def _templates():
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._catalog import key_catalog
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._schema import json_schema

    return _admx.render_templates(key_catalog(), json_schema()["properties"])


def category_path(admx_root, ref):
    """root~child~... of a category, as the Policy CSP names ingested ADMX categories."""
    parents = {c.get("name"): (c.find("p:parentCategory", NS).get("ref") if c.find("p:parentCategory", NS) is not None else None)
               for c in admx_root.findall("p:categories/p:category", NS)}
    path = [ref]
    while parents.get(path[0]):
        path.insert(0, parents[path[0]])
    return "~".join(path)


def _attr(text):
    return escape(text, {'"': "&quot;"})


def oma_settings(config):
    """The omaSettings list (JSON bytes, deterministic) delivering config through the ingested ADMX."""
    admx = _templates()[_admx.ADMX_NAME]
    root = ET.fromstring(admx)
    policies = {p.get("name"): p for p in root.findall("p:policies/p:policy", NS)}
    values = r.managed_values(config)
    missing = [key for key in values if key not in policies]
    if missing:
        raise ValueError("%s: no policy in the collection's ADMX (secret keys never get one, since any admin can read a policy), "
                         "so Intune cannot deliver it to Windows through ADMX ingestion; use inferenceCredentialHelper for the "
                         "credential, or deliver these Windows hosts with deploy.yml over WinRM" % ", ".join(sorted(missing)))
    out = [{"@odata.type": "#microsoft.graph.omaSettingString", "displayName": "Claude Desktop ADMX (ingestion)",
            "description": "aiohub.claude_desktop ADMX, revision %s" % _admx.REVISION, "omaUri": INSTALL_URI,
            "value": admx.decode("utf-8")}]
    for key in sorted(values):
        policy = policies[key]
        if policy.find("p:enabledValue", NS) is not None:
            data = "<enabled/>" if values[key] == "true" else "<disabled/>"
        else:
            data = '<enabled/><data id="%s" value="%s"/>' % (_attr(key), _attr(values[key]))
        uri = CONFIG_URI % (APP, category_path(root, policy.find("p:parentCategory", NS).get("ref")), key)
        out.append({"@odata.type": "#microsoft.graph.omaSettingString", "displayName": key, "omaUri": uri, "value": data})
    return json.dumps(out, sort_keys=True, ensure_ascii=False).encode("utf-8")
