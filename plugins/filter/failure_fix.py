# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: failure_fix
short_description: Say what a host's failure is and how to fix it
version_added: 1.1.0
author: AIOHub (@aiohub)
description:
  - Reads the message of a failed or unreachable task result and returns what it is, with the fix.
  - Ansible reports a refused SSH or WinRM login as I(unreachable), like a machine that is off;
    this filter tells them apart (login refused, sudo refused, certificate not trusted, a collection
    or Python library missing on the controller, no Python on the host, unreachable), so the fix
    given is the real one and not a rerun.
options:
  _input:
    description: A task result (a mapping with C(msg)) or a message.
    type: raw
    required: true
  host:
    description: The host's name, used in the fix (e.g. C(--limit <host>)).
    type: str
    default: HOST
"""

EXAMPLES = r"""
- name: Fail with the real reason and fix
  ansible.builtin.fail:
    msg: "{{ inventory_hostname }}: {{ result | aiohub.claude_desktop.failure_fix(host=inventory_hostname) }}"
  when: result.unreachable | default(false)
"""

RETURN = r"""
_value:
  description: "The kind of failure, a colon and the fix, for example C(login refused: the host answered but refused the login ...)."
  type: str
"""

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._failures import classify


def _failure_fix(result, host="HOST"):
    msg = result.get("msg", "") if isinstance(result, dict) else result
    kind, fix = classify(msg, host)
    return "%s: %s" % (kind, fix)


class FilterModule(object):
    def filters(self):
        return {"failure_fix": _failure_fix}
