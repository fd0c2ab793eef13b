# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: rollout_summary
type: aggregate
short_description: Print what a Claude Desktop rollout changed where, on success and on failure
version_added: 0.2.0
author: AIOHub (@aiohub)
description:
  - At the end of a run of C(playbooks/deploy.yml) or C(playbooks/remove.yml) prints which hosts
    changed (and which files or values), which were unchanged, which failed (with the reason),
    which were unreachable and which were never reached because the rollout stopped
    (C(max_fail_percentage)) before their batch.
  - It prints from the end-of-run statistics, so it appears also when a failed batch ends the
    run ("NO MORE HOSTS LEFT"), exactly when it is needed.
  - The collection's playbooks load it by themselves (C(playbooks/callback_plugins/)); it reports
    only on plays that set C(claude_desktop_report_rollout=true) in their play C(vars).
    Enable it for your own playbooks with C(callbacks_enabled = aiohub.claude_desktop.rollout_summary).
  - Reasons are the messages of the failed tasks, which the collection's actions keep free of
    secrets; results of C(no_log) tasks are not shown.
"""

from ansible import context
from ansible.plugins.callback import CallbackBase

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._failures import UNREACHABLE, classify

MARKER = "claude_desktop_report_rollout"
NAMES_SHOWN = 5
_printed = set()  # one summary per run even if loaded twice (adjacent copy and callbacks_enabled)


def _host_list(hosts):
    hosts = sorted(set(hosts))
    if len(hosts) == 1:
        return hosts[0]
    more = " +%d more" % (len(hosts) - NAMES_SHOWN) if len(hosts) > NAMES_SHOWN else ""
    return "%d hosts (%s%s)" % (len(hosts), ", ".join(hosts[:NAMES_SHOWN]), more)


def _changed_items(res):
    """The files or values a collection task reports as changed."""
    out = []
    for item in res.get("results") or []:
        if isinstance(item, dict):
            out.extend(_changed_items(item))
    for f in res.get("files") or []:
        if isinstance(f, dict) and f.get("changed") and f.get("path"):
            out.append(str(f["path"]))
    for v in res.get("changed_values") or []:
        out.append(str(v))
    return out


def _reason(task_name, res):
    if res.get("_ansible_no_log") or res.get("censored"):
        return "%s: (output hidden by no_log)" % task_name
    msg = res.get("msg") or res.get("reason") or res.get("stderr") or "failed"
    msg = " ".join(str(msg).split())
    if len(msg) > 400:
        msg = msg[:400] + "..."
    return "%s: %s" % (task_name, msg)


def _tag_selection():
    """'--tags validate' / '--skip-tags deploy' when the command line narrows the tasks, else ''."""
    args = getattr(context, "CLIARGS", None) or {}
    tags = [t for t in (args.get("tags") or ()) if t != "all"]
    skip = list(args.get("skip_tags") or ())
    words = (["--tags " + ",".join(tags)] if tags else []) + (["--skip-tags " + ",".join(skip)] if skip else [])
    return " ".join(words)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "aiohub.claude_desktop.rollout_summary"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.active = False
        self.in_rollout = False
        self.targets = []
        self.reached = set()
        self.changed = {}
        self.failed = {}
        self.unreachable = {}
        self.left = {}
        self.rollout_tasks = 0

    def v2_playbook_on_task_start(self, task, is_conditional):
        if self.in_rollout:
            self.rollout_tasks += 1

    def v2_playbook_on_play_start(self, play):
        self.in_rollout = bool(play.vars.get(MARKER)) if isinstance(play.vars, dict) else False
        if not self.in_rollout:
            return
        self.active = True
        manager = play.get_variable_manager()
        inventory = getattr(manager, "_inventory", None)
        if inventory is not None:
            for host in inventory.get_hosts(play.hosts, ignore_restrictions=True):  # every batch, --limit kept
                if host.name not in self.targets:
                    self.targets.append(host.name)

    def _seen(self, result):
        host = result._host.get_name()
        if self.in_rollout:
            self.reached.add(host)
        return host

    def _note_left(self, host, res):
        """apply's removal left these in place (not provably written by the collection)."""
        for item in res.get("left") or []:
            entry = self.left.setdefault(host, [])
            if str(item) not in entry:
                entry.append(str(item))

    def v2_runner_on_ok(self, result):
        host = self._seen(result)
        res = result._result
        if self.in_rollout:
            self._note_left(host, res)
        if self.in_rollout and res.get("changed"):
            items = _changed_items(res)
            entry = self.changed.setdefault(host, [])
            if items:
                entry.extend(i for i in items if i not in entry)
            elif not entry:
                entry.append("(%s)" % result._task.get_name())

    def v2_runner_item_on_ok(self, result):
        pass  # the loop's final result (v2_runner_on_ok) carries every item

    def v2_runner_on_skipped(self, result):
        self._seen(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        host = self._seen(result)
        if not ignore_errors and host not in self.failed:
            reason = _reason(result._task.get_name(), result._result)
            kind, fix = classify(reason, host)
            if kind != UNREACHABLE:  # a missing collection or library, sudo refused: say what it is and the fix
                reason = "%s: %s. Fix: %s" % (kind, reason, fix)
            self.failed[host] = reason

    def v2_runner_on_unreachable(self, result):
        host = self._seen(result)
        msg = " ".join(str(result._result.get("msg", "unreachable")).split())[:300]
        kind, fix = classify(msg, host)
        if kind == UNREACHABLE:
            self.unreachable.setdefault(host, msg)
        elif host not in self.failed:
            # Ansible calls a refused login "unreachable"; it is a failure with another fix than a rerun
            self.failed[host] = "%s: %s. Fix: %s" % (kind, msg, fix)

    def v2_playbook_on_stats(self, stats):
        if not self.active or "done" in _printed:
            return
        _printed.add("done")
        for line in self.summary_lines():
            self._display.display(line)

    def summary_lines(self):
        failed = {h: r for h, r in self.failed.items() if h not in self.unreachable}
        changed = {h: c for h, c in self.changed.items() if h not in failed and h not in self.unreachable}
        unchanged = [h for h in self.targets if h in self.reached and h not in changed and h not in failed and h not in self.unreachable]
        missed = [h for h in self.targets if h not in self.reached and h not in failed and h not in self.unreachable]
        selection = _tag_selection()
        if missed and not self.rollout_tasks and selection:
            # --tags validate (or a --skip-tags) selected no rollout task: nothing was meant to be deployed
            lines = ["", "CLAUDE DESKTOP ROLLOUT SUMMARY: %d hosts: no rollout task selected by %s; nothing was deployed%s"
                     % (len(self.targets), selection, "" if failed or self.unreachable else " (not a failure)")]
            for label, table in (("failed", failed), ("unreachable", self.unreachable)):
                for host, detail in sorted(table.items()):
                    lines.append("  %-12s %s: %s" % (label, host, detail))
            lines.append("  %-12s %s: run without %s to deploy" % ("not selected", _host_list(missed), selection))
            return lines
        lines = ["", "CLAUDE DESKTOP ROLLOUT SUMMARY: %d hosts: %d changed, %d unchanged, %d failed, %d unreachable, %d not reached"
                 % (len(self.targets), len(changed), len(unchanged), len(failed), len(self.unreachable), len(missed))]
        for label, table in (("changed", {h: ", ".join(c) for h, c in changed.items()}),
                             ("failed", failed), ("unreachable", self.unreachable)):
            groups = {}
            for host, detail in table.items():
                groups.setdefault(detail, []).append(host)
            for detail, hosts in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
                lines.append("  %-12s %s: %s" % (label, _host_list(hosts), detail))
        groups = {}
        for host, items in self.left.items():
            groups.setdefault("; ".join(items), []).append(host)
        for detail, hosts in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
            lines.append("  %-12s %s: %s" % ("left", _host_list(hosts), detail))
        if unchanged:
            lines.append("  %-12s %s" % ("unchanged", _host_list(unchanged)))
        if missed:
            why = ("the rollout stopped before their batch (failures exceeded claude_desktop_max_fail_percentage)"
                   if failed or self.unreachable else "the run ended before their batch")
            lines.append("  %-12s %s: %s" % ("not reached", _host_list(missed), why))
        return lines
