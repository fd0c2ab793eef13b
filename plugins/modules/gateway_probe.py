#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: gateway_probe
short_description: The calls behind M(aiohub.claude_desktop.gateway_check), with plain arguments
version_added: 0.2.0
author: AIOHub (@aiohub)
description:
  - The target-side half of M(aiohub.claude_desktop.gateway_check); use that module, which derives these
    arguments from a validated config. Use this one directly only where the controller has no pydantic.
  - Standard-library Python; see M(aiohub.claude_desktop.gateway_check) for the calls made and the
    failure classes.
options:
  provider:
    description: C(inferenceProvider).
    type: str
    default: ""
  base_url:
    description: Gateway root (C(inferenceGatewayBaseUrl)).
    type: str
  api_key:
    description: The gateway key (never logged).
    type: str
  credential:
    description: C(static) when O(api_key) is what the app sends; C(none) checks reachability and TLS only.
    type: str
    default: none
    choices: [static, none]
  auth_scheme:
    description: How the key is sent.
    type: str
    default: bearer
    choices: [bearer, x-api-key]
  headers:
    description: Custom headers sent on every call (never logged).
    type: dict
    default: {}
  models:
    description: The configured model IDs; the first is used for the messages calls.
    type: list
    elements: str
    default: []
  betas:
    description: C(anthropic-beta) values the app would send; non-empty adds a call with them.
    type: list
    elements: str
    default: []
  endpoints:
    description: URLs to check for reachability and TLS only (providers other than gateway).
    type: list
    elements: str
    default: []
  proxy:
    description: Proxy URL (never logged; may hold credentials).
    type: str
  skipped_checks:
    description: Notes on what was not checked, carried into the result.
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - aiohub.claude_desktop.gateway
attributes:
  check_mode:
    support: full
    description: Only reads; the calls are made in check mode too.
  diff_mode:
    support: none
    description: Nothing to diff.
  platform:
    support: full
    platforms: posix
    description: Any machine with Python 3.8+ (run it on the controller with delegate_to for Windows targets).
"""

EXAMPLES = r"""
- name: Probe a gateway without a config (no pydantic on the controller)
  aiohub.claude_desktop.gateway_probe:
    provider: gateway
    base_url: https://api.aiohub.org
    api_key: "{{ vault_aiohub_key }}"
    credential: static
    models: [claude-sonnet-4-5]
"""

RETURN = r"""
ok:
  description: True when every check passed.
  returned: always
  type: bool
failures:
  description: Each failure with its class, message and fix.
  returned: always
  type: list
  elements: dict
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.aiohub.claude_desktop.plugins.module_utils.gateway_probe import (
    GatewayCheck, check_endpoint, choose_proxy, proxy_label)


def run(params, environ=None):
    skipped = list(params.get("skipped_checks") or [])
    proxy = params.get("proxy")
    proxy_source = "egressProxyUrl" if proxy else None
    url_for_proxy = params.get("base_url") or next(iter(params.get("endpoints") or []), "https://localhost")
    if not proxy and params.get("use_env_proxy", True):
        proxy, proxy_source = choose_proxy(url_for_proxy, None, environ)
    common = {"ca_bundle": params.get("ca_bundle"), "proxy": proxy, "timeout": params.get("timeout") or 15.0}
    if params.get("provider") == "gateway" and params.get("credential") == "static":
        check = GatewayCheck(params["base_url"], api_key=params.get("api_key"), auth_scheme=params.get("auth_scheme"),
                             headers=params.get("headers"), anthropic_version=params.get("anthropic_version"),
                             models=params.get("models"), betas=params.get("betas"),
                             stream_timeout=params.get("stream_timeout") or 60.0, **common)
        result = check.run()
        result["skipped_checks"] = skipped + result["skipped_checks"]
    else:
        endpoints = params.get("endpoints") or ([params["base_url"]] if params.get("base_url") else [])
        entries = [check_endpoint(url, **common) for url in endpoints]
        failures = [{k: e[k] for k in ("class", "message", "fix") if k in e} for e in entries if not e["ok"]]
        oks = sorted(e["latency_ms"] for e in entries if e["ok"])
        result = {"checks": [dict(e, name="reachability", method="GET") for e in entries], "failures": failures,
                  "skipped_checks": skipped, "notes": [], "ok": not failures and bool(entries),
                  "latency_ms": oks[len(oks) // 2] if oks else None, "proxy": proxy_label(proxy)}
        if not entries:
            result["failures"].append({"class": "config", "message": "no endpoint to check for provider %r" % params.get("provider"),
                                       "fix": "Set inferenceProvider and its endpoint keys."})
        tls = [e["tls"] for e in entries if e.get("tls")]
        if tls:
            result["tls"] = tls[0]
    result["provider"] = params.get("provider")
    result["proxy_source"] = proxy_source
    return result


def main():
    module = AnsibleModule(
        argument_spec=dict(
            provider=dict(type="str", default=""),
            base_url=dict(type="str"),
            api_key=dict(type="str", no_log=True),
            credential=dict(type="str", default="none", choices=["static", "none"]),
            auth_scheme=dict(type="str", default="bearer", choices=["bearer", "x-api-key"]),
            headers=dict(type="dict", default={}, no_log=True),
            anthropic_version=dict(type="str", default="2023-06-01"),
            models=dict(type="list", elements="str", default=[]),
            betas=dict(type="list", elements="str", default=[]),
            endpoints=dict(type="list", elements="str", default=[]),
            proxy=dict(type="str", no_log=True),
            use_env_proxy=dict(type="bool", default=True),
            ca_bundle=dict(type="path"),
            timeout=dict(type="float", default=15.0),
            stream_timeout=dict(type="float", default=60.0),
            fail_on_error=dict(type="bool", default=True),
            skipped_checks=dict(type="list", elements="str", default=[]),
        ),
        supports_check_mode=True,
    )
    result = run(module.params)
    if not result["ok"] and module.params["fail_on_error"]:
        first = result["failures"][0] if result["failures"] else {"message": "check failed", "fix": ""}
        module.fail_json(msg="gateway check failed: %s. Fix: %s" % (first["message"], first.get("fix", "")), **result)
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
