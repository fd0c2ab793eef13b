# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: gateway_check
short_description: Check from a machine that the inference gateway answers as Claude Desktop needs
version_added: 0.2.0
author: AIOHub (@aiohub)
description:
  - "Calls C(GET <base>/v1/models) and C(POST <base>/v1/messages) three ways (plain, streaming SSE read to
    C(message_stop), and streaming with a tool definition), with the configured auth scheme
    (C(Authorization: Bearer) or C(x-api-key)), the custom headers and C(anthropic-version), as the app
    does (spec section 5). When the config makes the app send C(anthropic-beta) (C(toolSearchEnabled),
    models with C(supports1m)) a fourth call sends those betas."
  - Runs on the target (the machine's own DNS, proxy and CA store are what is tested) or on the
    controller with C(delegate_to). The proxy is the config's C(egressProxyUrl), else C(HTTPS_PROXY)
    (C(NO_PROXY) honoured) when O(use_env_proxy=true).
  - Each failure has a class, a message and a fix - C(dns), C(connect), C(proxy), C(tls) (naming the
    issuer of the certificate seen), C(timeout), C(auth) (401/403), C(base_url_v1) (404 from a base URL
    ending in C(/v1)), C(not_found), C(model), C(beta_rejected) (400 on C(anthropic-beta)), C(bad_request),
    C(rate_limited) (429), C(server_error) (5xx), C(stream) (a stream cut or stalled before
    C(message_stop)), C(http).
  - Providers other than C(gateway) get reachability and TLS of their endpoints only; the result says
    what was skipped.
  - Standard-library Python on the target. The action plugin of the same name validates O(config) on the
    controller and passes the key to the module with C(no_log); the key is never printed.
options:
  config:
    description: The C(enterpriseConfig) to check (validated on the controller; never logged).
    type: dict
    required: true
  min_app_version:
    description: Oldest app version the fleet runs (validation only).
    type: str
  allow_unknown_keys:
    description: Accept keys the model does not know (validation only).
    type: raw
    default: false
  base_url:
    description: Use this base URL instead of C(inferenceGatewayBaseUrl) (e.g. the address the gateway has inside a lab).
    type: str
  proxy:
    description: Proxy URL to use instead of C(egressProxyUrl).
    type: str
extends_documentation_fragment:
  - aiohub.claude_desktop.gateway
  - aiohub.claude_desktop.config.attributes
attributes:
  check_mode:
    support: full
    details: Only reads; the calls are made in check mode too.
  diff_mode:
    support: none
"""

EXAMPLES = r"""
- name: Check the gateway from every machine
  aiohub.claude_desktop.gateway_check:
    config: "{{ claude_desktop_effective_config }}"
    fail_on_error: false
  register: gateway

- name: Check it once from the controller, trusting the corporate CA
  aiohub.claude_desktop.gateway_check:
    config: "{{ claude_desktop_effective_config }}"
    ca_bundle: /etc/ssl/corp-ca.pem
  delegate_to: localhost
  run_once: true
"""

RETURN = r"""
ok:
  description: True when every check passed.
  returned: always
  type: bool
provider:
  description: The configured C(inferenceProvider).
  returned: always
  type: str
checks:
  description: One entry per call - name, method, path, ok, status, latency_ms and, on failure, class, message and fix.
  returned: always
  type: list
  elements: dict
failures:
  description: Each failure with its class, message and fix.
  returned: always
  type: list
  elements: dict
  sample: [{"class": "base_url_v1", "message": "HTTP 404 on /v1/v1/models ...", "fix": "Set inferenceGatewayBaseUrl to the gateway root without /v1 ..."}]
models_listed:
  description: Model IDs the gateway lists on C(/v1/models).
  returned: when the gateway answered /v1/models
  type: list
  elements: str
models_configured:
  description: Each C(inferenceModels) entry and whether the gateway lists it (null - unknown).
  returned: provider gateway
  type: list
  elements: dict
latency_ms:
  description: Median time to the response headers over the successful calls.
  returned: always
  type: int
tls:
  description: Subject and issuer of the certificate the machine saw.
  returned: for https endpoints that answered
  type: dict
skipped_checks:
  description: What was not checked, and why.
  returned: always
  type: list
  elements: str
"""
