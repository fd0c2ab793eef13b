# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Base class for this collection's action plugins. PRIVATE: ONLY FOR ACTION PLUGINS.

Validates the task arguments against an argument spec, turns every failure into a plain,
secret-free message (never a traceback), and gives subclasses the host name for errors.
"""

from __future__ import annotations

from ansible.errors import AnsibleConnectionFailure
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.aiohub.claude_desktop.plugins.module_utils import placement
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _argspecs, _model
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._fleet import plain
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._layers import LAYER_VARS, LayerError, layered_config
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import scrub, secret_values

POWERSHELL = "ansible.windows.win_powershell"


class ActionFailure(Exception):
    """A failure whose message is meant for the user as is."""

    def __init__(self, msg, **extra):
        super(ActionFailure, self).__init__(msg)
        self.extra = extra


class ClaudeDesktopAction(ActionBase):
    TRANSFERS_FILES = False
    ARGUMENT_SPEC = {}
    MUTUALLY_EXCLUSIVE = []
    REQUIRED_TOGETHER = []
    REQUIRED_ONE_OF = []

    # True: a task that does not pass ``config`` (state=present) gets the host's layered config from its
    # variables (layered_config), the rule the roles, the playbooks and fleet mode share.
    LAYERED_CONFIG = False

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(ClaudeDesktopAction, self).run(tmp, task_vars)
        self.task_vars = task_vars
        args = self._task.args
        if self.LAYERED_CONFIG and args.get("config") is None and args.get("state", "present") == "present":
            try:
                args = dict(args, config=self.layered_config())
            except LayerError as exc:
                result.update(failed=True, msg="%s: %s" % (task_vars.get("inventory_hostname"), self._raw_scrub(str(exc))))
                return result
        secrets = secret_values(args.get("config"))
        validator = ArgumentSpecValidator(self.ARGUMENT_SPEC, mutually_exclusive=self.MUTUALLY_EXCLUSIVE,
                                          required_together=self.REQUIRED_TOGETHER, required_one_of=self.REQUIRED_ONE_OF)
        checked = validator.validate(args)
        if checked.error_messages:
            result.update(failed=True, msg=scrub("; ".join(checked.error_messages), secrets))
            return result
        if not _model.HAS_PYDANTIC:
            result.update(failed=True, msg="pydantic v2 is required on the Ansible controller (not on targets): "
                                           "pip install pydantic (see requirements.txt or meta/ee-requirements.txt)")
            return result
        self.host = task_vars.get("inventory_hostname")
        try:
            self.execute(checked.validated_parameters, result)
        except ActionFailure as exc:
            result.update(exc.extra)
            result.update(failed=True, msg=str(exc))
        except AnsibleConnectionFailure:
            raise  # Ansible reports the host unreachable
        except Exception as exc:  # never let a traceback (which may show values) reach the user
            result.update(failed=True, msg="%s failed: %s: %s" % (self._task.action, type(exc).__name__, exc))
        return scrub(result, secrets)

    def execute(self, params, result):
        raise NotImplementedError

    def layered_config(self):
        """"Which config": this host's organisation, team and host layers merged (_layers.layered_config)."""
        return layered_config(self.task_vars, template=lambda value: plain(self._templar.template(value)))

    def resolve_os(self):
        """"Which OS": placement.resolve_os over this host's variables and its connection's shell."""
        names = [n for n in placement.OS_VARS if self.task_vars.get(n) is not None]
        values = {n: self._templar.template(self.task_vars[n]) for n in names}
        facts = self.task_vars.get("ansible_facts")
        if facts:
            values["ansible_facts"] = self._templar.template(facts)
        return placement.resolve_os(values, shell_family=getattr(self._connection._shell, "SHELL_FAMILY", None))

    def _raw_scrub(self, text):
        """Mask the literal secrets of the raw layers in a templating error (it may quote the template)."""
        secrets = []
        for name in LAYER_VARS:
            try:
                secrets.extend(secret_values(plain(self.task_vars.get(name))))
            except Exception:  # noqa: BLE001 - a layer too broken to read has no secrets to find
                pass
        return scrub(text, secrets)

    def _powershell(self, args):
        """ansible.windows.win_powershell on the target, its result as is (the caller reads failed/output/error)."""
        return self._execute_module(module_name=POWERSHELL, module_args=args, task_vars=self.task_vars)

    def _run_module(self, name, args, doing):
        """Run a stock module on the target; a failure ends the task with "cannot <doing>: <reason>"."""
        res = self._execute_module(module_name=name, module_args=args, task_vars=self.task_vars)
        if res.get("failed"):
            raise ActionFailure("cannot %s: %s" % (doing, failure_text(res)))
        return res


def failure_text(res):
    """Why a module failed: its msg or, for win_powershell, which sets failed without msg on a terminating
    error (win_powershell.ps1:957), the error records' text."""
    if res.get("msg"):
        return res["msg"]
    records = [e.get("output") or (e.get("exception") or {}).get("message") for e in res.get("error") or [] if isinstance(e, dict)]
    text = "; ".join(r.strip().splitlines()[0] for r in records if r and r.strip())
    return text or res.get("module_stderr") or "no reason given"


CONFIG_ARGS = _argspecs.CONFIG  # the config option block (plugin_utils/_argspecs.py, doc fragment config)


def validate_or_fail(params, host, registry=False, target_os=None):
    """Validate params['config'] or raise ActionFailure listing every problem (secrets masked).

    ``registry``: the config goes to the Windows registry, which cannot carry some characters.
    ``target_os`` (macos, windows, linux) adds that OS's rules (registry=True implies windows).
    """
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import validate_config

    if params.get("config") is None:
        raise ActionFailure("config is required with state=present")
    allow = params.get("allow_unknown_keys")
    if not isinstance(allow, (bool, list)):
        raise ActionFailure("allow_unknown_keys must be true, false or a list of key names")
    if target_os is None and params.get("os") in ("macos", "windows", "linux"):
        target_os = params["os"]  # actions that know the target OS (render, apply): the per-OS rules (spec §3.3)
    known = target_os is not None  # the host's OS, not one implied by a format: paths are read by its rules (issue 22)
    if registry and target_os is None:
        target_os = "windows"  # the registry's limits (registry_value_problems) come with the Windows rules
    result = validate_config(params["config"], min_app_version=params.get("min_app_version"), allow_unknown_keys=allow, target_os=target_os,
                             os_paths=known)
    if not result.ok:
        raise ActionFailure(result.error_message(host), problems=result.masked_problems(), warnings=result.masked_warnings())
    return result
