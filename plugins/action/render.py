# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import hashlib
import os

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _artifacts as a
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import (
    ActionFailure, CONFIG_ARGS, ClaudeDesktopAction, validate_or_fail)
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import MalformedConfigFile, parse_reg

ARGS = dict(CONFIG_ARGS)
ARGS.update(
    formats={"type": "list", "elements": "str", "choices": list(a.FORMATS)},
    os={"type": "str", "choices": sorted(a.OS_FORMATS)},
    dest={"type": "path", "required": True},
    scope={"type": "str", "default": "machine", "choices": ["machine", "user"]},
    identifier={"type": "str", "default": "org.aiohub.claude-desktop"},
    organization={"type": "str", "default": ""},
    display_name={"type": "str", "default": "Claude Desktop (third-party inference)"},
    description={"type": "str", "default": ""},
    removal_disallowed={"type": "bool", "default": False},
    config_name={"type": "str"},
    reg_delete_absent={"type": "bool", "default": False},
    signing_cert={"type": "path"},
    signing_key={"type": "path", "no_log": False},
    signing_chain={"type": "path"},
    cache_dir={"type": "path"},
)


def previous_reg_names(path):
    """Value names (set or deleted) in the .reg rendered earlier at path; empty when none or unreadable."""
    data = _read(path)
    if not data:
        return set()
    try:
        return set(parse_reg(data)[1])
    except ValueError:
        return set()


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


class ActionModule(ClaudeDesktopAction):
    ARGUMENT_SPEC = ARGS
    REQUIRED_TOGETHER = [["signing_cert", "signing_key"]]

    def execute(self, params, result):
        formats = params["formats"] or (a.OS_FORMATS[params["os"]] if params["os"] else None)
        validated = validate_or_fail(params, self.host, registry=bool(formats) and "reg" in formats)
        if not formats:
            raise ActionFailure("set formats (any of %s) or os (macos, windows, linux)" % ", ".join(a.FORMATS))
        dest = os.path.abspath(params["dest"])
        options = {k: params[k] for k in ("scope", "identifier", "organization", "display_name", "description",
                                          "removal_disallowed", "config_name")}
        if params["reg_delete_absent"]:
            # only names the collection delivered before (the .reg it rendered last time, its record of
            # what it owns there), never every documented key: another tool's values stay
            options["reg_delete"] = sorted(previous_reg_names(os.path.join(dest, a.FILE_NAMES["reg"])) - set(validated.config))
        if params["signing_cert"]:
            if "mobileconfig" not in formats:
                raise ActionFailure("signing applies to the mobileconfig format; add it to formats")
            options["signer"] = {
                "cert_pem": self._read_controller_file(params["signing_cert"], "signing_cert"),
                "key_pem": self._read_controller_file(params["signing_key"], "signing_key"),
                "chain_pem": self._read_controller_file(params["signing_chain"], "signing_chain") if params["signing_chain"] else None,
            }
        options["existing"] = lambda rel: _read(os.path.join(dest, rel))
        secrets = validated.secrets

        try:
            files = a.render_set(validated.config, formats, options)
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
            before = _read(path)
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
                diffs.append({"before_header": path, "after_header": path,
                              "before": a.masked_text(rel, before, secrets) if before is not None else "",
                              "after": a.masked_text(rel, data, secrets)})
        result.update(changed=changed, artifacts=artifacts, dest=dest, rendered=rendered,
                      warnings=validated.masked_warnings())
        if diffs:
            result["diff"] = diffs

    def _read_controller_file(self, path, option):
        try:
            with open(path, "rb") as f:
                return f.read()
        except OSError as exc:
            raise ActionFailure("%s: cannot read %s: %s" % (option, path, exc.strerror))
