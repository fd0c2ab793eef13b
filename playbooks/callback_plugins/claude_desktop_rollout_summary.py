# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Loads aiohub.claude_desktop.rollout_summary for the playbooks in this directory (Ansible loads
callback plugins found next to a playbook); it reports only on plays marked with
claude_desktop_report_rollout, so deploy.yml and remove.yml print their summary even on failure."""

from __future__ import annotations

from ansible_collections.aiohub.claude_desktop.plugins.callback.rollout_summary import CallbackModule as _Summary


class CallbackModule(_Summary):
    CALLBACK_NAME = "claude_desktop_rollout_summary"
    CALLBACK_NEEDS_ENABLED = False
