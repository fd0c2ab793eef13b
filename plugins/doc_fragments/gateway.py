# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment(object):
    """Options shared by gateway_check and gateway_probe."""

    DOCUMENTATION = r"""
options:
  use_env_proxy:
    description: Honour C(HTTPS_PROXY)/C(NO_PROXY) of the machine when no proxy is configured (C(egressProxyUrl) or O(proxy)).
    type: bool
    default: true
  ca_bundle:
    description: PEM bundle to trust instead of the system store (TLS-inspecting proxies), a path on the machine that runs the check.
    type: path
  timeout:
    description: Seconds to wait for a connection or an answer.
    type: float
    default: 15
  stream_timeout:
    description: Seconds a streaming reply may take to reach C(message_stop).
    type: float
    default: 60
  anthropic_version:
    description: The C(anthropic-version) header.
    type: str
    default: "2023-06-01"
  fail_on_error:
    description: Fail the task when any check fails (false - report only, as playbooks/verify.yml does).
    type: bool
    default: true
"""
