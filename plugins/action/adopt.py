# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import os

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _adopt, _fleet
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _artifacts as a
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _firewall
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import ActionFailure, ClaudeDesktopAction
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._argspecs import CONFIG, options
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import mask_config, scrub, secret_values

ARGS = options({k: CONFIG[k] for k in ("min_app_version", "allow_unknown_keys")}, **{
    "src": {"type": "path", "required": True},
    "dest": {"type": "path"},
    "vault_id": {"type": "str"},
    "force": {"type": "bool", "default": False},
    "os": {"type": "str", "choices": ["macos", "windows", "linux"]},
})
VAULT_HEADER = b"$ANSIBLE_VAULT"


class ActionModule(ClaudeDesktopAction):
    """Read an artifact as the app does, validate it, and (with dest) write group_vars for it."""

    ARGUMENT_SPEC = ARGS

    def execute(self, params, result):
        from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import validate_config

        src = os.path.abspath(params["src"])
        try:
            source = _adopt.read_source(src)
        except _adopt.AdoptError as exc:
            raise ActionFailure(str(exc))
        config, decode_findings = _adopt.decode(source)
        secrets = secret_values(config)
        allow = params["allow_unknown_keys"]
        if not isinstance(allow, (bool, list)):
            raise ActionFailure("allow_unknown_keys must be true, false or a list of key names")
        target = params["os"] or _adopt.FORMAT_OS.get(source.format)
        validation = validate_config(config, min_app_version=params["min_app_version"], allow_unknown_keys=allow, target_os=target)
        name = os.path.basename(src.rstrip(os.sep)) or src
        findings = _fleet.Findings()
        for problem in validation.problems:
            findings.add_error(str(problem), [name])
        for warning in validation.warnings:
            findings.add_warning(warning, [name])
        for f in source.findings + decode_findings:
            (findings.add_error if f["severity"] == "error" else findings.add_warning)(f["message"], [name])
        marks = _adopt.placeholders(config)
        for path, what in marks:
            findings.add_error("%s: holds %s; replace it with the real value before deploying" % (path, what), [name])
        unknown = sorted(p.key for p in validation.problems if p.rule == "unknown key" or p.rule.startswith("is not a key of the app"))
        valid = validation.ok and not findings.errors
        report = ["%s: %s read as %s, %d keys; %s" % (
            "Linted" if not params["dest"] else "Adopted", name, source.format, len(config),
            "valid" if valid else "%d error(s)" % len(findings.errors))] + findings.lines()
        result.update(
            changed=False, format=source.format, valid=valid, config=mask_config(config),
            problems=validation.masked_problems(), warnings_found=validation.masked_warnings(), unknown_keys=unknown,
            findings=source.findings + decode_findings, placeholders=[{"key": p, "what": w} for p, w in marks],
            options={k: v for k, v in source.options.items() if v not in (None, "")},
            firewall_hosts=_firewall.firewall_hosts(config),
        )
        if params["dest"]:
            result["files"], result["changed"] = self._write(params, config, source, name)
            report.append("group_vars written to %s (%d file(s)%s)" % (
                os.path.abspath(params["dest"]), len(result["files"]),
                ", secrets vault-encrypted with id %s" % params["vault_id"] if params["vault_id"] else
                ", secret files mode 0600: encrypt them with ansible-vault encrypt" if len(result["files"]) > 1 else ""))
        result["report"] = scrub(report, secrets)

    # ------------------------------------------------------------------------------ writing
    def _vault(self, vault_id):
        from ansible.parsing.vault import VaultLib

        vault = getattr(self._loader, "_vault", None)
        pairs = list(getattr(vault, "secrets", None) or [])
        match = [(label, secret) for label, secret in pairs if label == vault_id]
        if not match:
            raise ActionFailure("vault_id %s: no vault secret with that id was given to this run (add --vault-id %s@<password file>)"
                                % (vault_id, vault_id))
        return VaultLib(pairs), match[0]

    def _write(self, params, config, source, name):
        dest = os.path.abspath(params["dest"])
        if os.path.exists(dest) and not os.path.isdir(dest):
            raise ActionFailure("dest %s exists and is not a directory" % dest)
        files = _adopt.group_vars_files(config, source.options, name, source.format)
        vault = self._vault(params["vault_id"]) if params["vault_id"] else None
        planned, clashes = [], []
        for rel in sorted(files):
            text, secret = files[rel]
            path = os.path.join(dest, rel)
            data = text.encode("utf-8")
            before = a.read_existing(path)
            same = before == data
            if secret and vault and before is not None and before.lstrip().startswith(VAULT_HEADER):
                try:
                    same = vault[0].decrypt(before) == data
                except Exception:  # noqa: BLE001 - another password: the file differs
                    same = False
            if secret and vault and not same:
                label, secret_obj = vault[1]
                data = vault[0].encrypt(data, secret_obj, vault_id=label)
            mode = 0o600 if secret else 0o644
            if before is not None and not same and not params["force"]:
                clashes.append(path)
            planned.append((rel, path, data, mode, same and (os.stat(path).st_mode & 0o777) == mode))
        if clashes:
            raise ActionFailure("dest already holds different files: %s; nothing was written (force: true replaces them)"
                                % ", ".join(clashes))
        out, changed = [], False
        for rel, path, data, mode, unchanged in planned:
            if not unchanged and not self._task.check_mode:
                a.write_atomic(path, data, mode)
            changed = changed or not unchanged
            out.append({"path": path, "mode": "%04o" % mode, "secret": mode == 0o600, "changed": not unchanged,
                        "encrypted": bool(vault) and mode == 0o600})
        return out, changed
