# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Controller side of aiohub.claude_desktop.render: one host's set here; fleet mode (hosts=) in plugin_utils/_fleet_render.py."""

from __future__ import annotations

import hashlib
import os

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _artifacts as a
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import (
    ActionFailure, ClaudeDesktopAction, validate_or_fail)
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._argspecs import CONFIG, FLEET, PROFILE_IDENTITY, SCOPE, options
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._fleet_render import render_fleet
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._output import location_problem
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import MalformedConfigFile

ARGS = options(
    CONFIG, FLEET, SCOPE, PROFILE_IDENTITY, config={"required": False},
    formats={"type": "list", "elements": "str", "choices": list(a.FORMATS)},
    os={"type": "str", "choices": sorted(a.OS_FORMATS)},
    dest={"type": "path"},
    config_name={"type": "str"},
    reg_delete_absent={"type": "bool", "default": False},
    signing_cert={"type": "path"},
    signing_key={"type": "path", "no_log": False},
    signing_chain={"type": "path"},
    cache_dir={"type": "path"},
)


class ActionModule(ClaudeDesktopAction):
    ARGUMENT_SPEC = ARGS
    REQUIRED_TOGETHER = [["signing_cert", "signing_key"]]
    MUTUALLY_EXCLUSIVE = [["config", "hosts"]]
    REQUIRED_ONE_OF = [["config", "hosts"]]

    def _formats_and_options(self, params, config):
        formats = params["formats"] or (a.OS_FORMATS[params["os"]] if params["os"] else None)
        if not formats:
            raise ActionFailure("set formats (any of %s) or os (macos, windows, linux)" % ", ".join(a.FORMATS))
        options = {k: params[k] for k in ("scope", "identifier", "organization", "display_name", "description",
                                          "removal_disallowed", "config_name")}
        if params["signing_cert"]:
            if "mobileconfig" not in formats:
                raise ActionFailure("signing applies to the mobileconfig format; add it to formats")
            paths = (params["signing_cert"], params["signing_key"], params["signing_chain"])
            signers = self.__dict__.setdefault("_signers", {})  # read each set of signing files once
            if paths not in signers:
                signers[paths] = {
                    "cert_pem": self._read_controller_file(params["signing_cert"], "signing_cert"),
                    "key_pem": self._read_controller_file(params["signing_key"], "signing_key"),
                    "chain_pem": self._read_controller_file(params["signing_chain"], "signing_chain") if params["signing_chain"] else None,
                }
            options["signer"] = signers[paths]
        return formats, options

    def execute(self, params, result):
        if params["hosts"] is not None:
            return render_fleet(self, params, result)
        formats = params["formats"] or (a.OS_FORMATS[params["os"]] if params["os"] else None)
        validated = validate_or_fail(params, self.host, registry=bool(formats) and "reg" in formats, target_os=params["os"])
        formats, options = self._formats_and_options(params, validated.config)
        if not params["dest"]:
            raise ActionFailure("dest is required with config (one host per task)")
        dest = self._output_dir(params["dest"], "dest")
        if params["cache_dir"]:
            self._output_dir(params["cache_dir"], "cache_dir")
        options["existing"] = lambda rel: a.read_existing(os.path.join(dest, rel))
        if params["reg_delete_absent"]:
            options["reg_delete"] = a.reg_delete(options["existing"](a.FILE_NAMES["reg"]), validated.config)
        secrets = validated.secrets

        try:
            files = a.add_firewall_hosts(a.render_set(validated.config, formats, options), validated.config)
        except MalformedConfigFile as exc:
            raise ActionFailure("cannot merge into the existing file in %s: %s; the file was left untouched" % (dest, exc))
        except ValueError as exc:
            raise ActionFailure(str(exc))
        rendered = True
        if params["cache_dir"]:
            key = a.digest(validated.config, formats, options)
            stored, rendered = a.store_set(os.path.abspath(params["cache_dir"]), key, files, secrets)
            result["config_digest"] = key

        artifacts, diffs, changed = [], [], False
        for rel in sorted(files):
            fmt, data = files[rel]
            path = os.path.join(dest, rel)
            before = a.read_existing(path)
            mode = 0o600 if a.holds_secret(data, secrets) else 0o644
            differs = before != data or (before is not None and (os.stat(path).st_mode & 0o777) != mode)
            if differs and not self._task.check_mode:
                if params["cache_dir"]:
                    a.link_or_copy(os.path.join(stored, rel), path)
                    os.chmod(path, mode)
                else:
                    a.write_atomic(path, data, mode)
            changed = changed or differs
            artifacts.append({"format": fmt, "path": path, "sha256": hashlib.sha256(data).hexdigest(),
                              "changed": differs, "mode": "%04o" % mode})
            if differs and self._task.diff:
                texts = a.masked_pair(rel, fmt, before, data, secrets)  # a rotated key: "******** (changed)"
                diffs.append({"before_header": path, "after_header": path, "before": texts[0], "after": texts[1]})
        result.update(changed=changed, artifacts=artifacts, dest=dest, rendered=rendered,
                      warnings=validated.masked_warnings())
        if diffs:
            result["diff"] = diffs

    def _output_dir(self, path, variable):
        """path made absolute; refused inside an inventory source or the installed collection."""
        problem = location_problem(path, self.task_vars, variable)
        if problem:
            raise ActionFailure(problem)
        return os.path.abspath(path)

    def _read_controller_file(self, path, option):
        try:
            with open(path, "rb") as f:
                return f.read()
        except OSError as exc:
            raise ActionFailure("%s: cannot read %s: %s" % (option, path, exc.strerror))
