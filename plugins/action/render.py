# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import hashlib
import os
import time

from ansible_collections.aiohub.claude_desktop.plugins.module_utils import placement as p
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _artifacts as a
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _fleet
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _output
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _teams
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import (
    ActionFailure, ClaudeDesktopAction, validate_or_fail)
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._argspecs import CONFIG, FLEET, PROFILE_IDENTITY, SCOPE, options
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import MalformedConfigFile, parse_reg
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import scrub

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
# Per-host variables read in fleet mode (hosts=...); each overrides the task option of the same role.
# The OS (option os) is placement.resolve_os of the host's variables (host_options).
HOST_OPTION_VARS = {
    "scope": "claude_desktop_scope",
    "identifier": "claude_desktop_identifier",
    "organization": "claude_desktop_organization",
    "signing_cert": "claude_desktop_signing_cert",
    "signing_key": "claude_desktop_signing_key",
    "signing_chain": "claude_desktop_signing_chain",
    "display_name": "claude_desktop_profile_display_name",
    "description": "claude_desktop_profile_description",
    "removal_disallowed": "claude_desktop_profile_removal_disallowed",
}


def reg_delete(existing, config):
    """Names for "name"=- lines: those the .reg rendered earlier (``existing``, its bytes or None) set
    or deleted and the config no longer sets. That file is the collection's record of what it
    delivered under the key; every other value there (another tool's) is left alone."""
    try:
        previous = set(parse_reg(existing)[1]) if existing else set()
    except ValueError:
        previous = set()
    return sorted(previous - set(config))


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
            return self.execute_fleet(params, result)
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
            options["reg_delete"] = reg_delete(options["existing"](a.FILE_NAMES["reg"]), validated.config)
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

    def execute_fleet(self, params, result):
        """Every host of the play in one task: each distinct artifact set rendered and stored once,
        then hard-linked into dest/<host>/. Hosts with findings are reported, not rendered."""
        hostvars = self.task_vars.get("hostvars")
        if hostvars is None:
            raise ActionFailure("hosts needs the play's hostvars (run the task in a play, with run_once: true)")
        started = time.perf_counter()
        hosts = params["hosts"]
        base = self._output_dir(params["dest"] or _output.default_dir(self.task_vars, "artifacts"),
                                "claude_desktop_artifacts_dir")
        store = self._output_dir(params["cache_dir"], "cache_dir") if params["cache_dir"] else os.path.join(base, ".by-config")
        findings = _fleet.Findings()
        named = []
        for host in hosts:
            problem = _fleet.host_name_problem(host)
            if host == _teams.BY_GROUP:
                problem = "inventory host name %r is the directory of the per-team sets; rename the host" % host
            if problem:
                findings.add_error(problem, [host])
            else:
                named.append(host)
        names = _fleet.VALIDATION_VARS + tuple(v for v in HOST_OPTION_VARS.values() if v not in _fleet.VALIDATION_VARS)
        names += _teams.TEAM_VARS
        entries = _fleet.collect(hostvars, named, names, findings)
        validation = _fleet.validate_entries(entries, findings)
        check = self._task.check_mode
        if not check:
            a.makedirs(base)
        sets, diffs = {}, []
        teams = {}
        changed_hosts = rendered = 0
        for host, values, _config in entries:
            validated = validation.results.get(host)
            if validated is None:
                continue
            host_params = host_options(params, values)
            try:
                if not params["formats"] and host_params["os"] not in a.OS_FORMATS:
                    raise ActionFailure("claude_desktop_os is %s: set it to macos, windows or linux (or render every format "
                                        "with claude_desktop_render_all_formats=true)"
                                        % ("not set" if host_params["os"] is None else repr(host_params["os"])))
                if host_params["signing_cert"] and not host_params["signing_key"]:
                    raise ActionFailure("claude_desktop_signing_cert needs claude_desktop_signing_key")
                formats, options = self._formats_and_options(host_params, validated.config)
                dest = os.path.join(base, host)
                if os.path.islink(dest) or (os.path.lexists(dest) and not os.path.isdir(dest)):
                    raise ActionFailure("%s exists and is not a directory; move it away" % dest)
                options["existing"] = lambda rel, dest=dest: a.read_existing(os.path.join(dest, rel))
                if host_params["reg_delete_absent"]:
                    options["reg_delete"] = reg_delete(options["existing"](a.FILE_NAMES["reg"]), validated.config)
                key = a.digest(validated.config, formats, options)
                if key not in sets:
                    files = a.add_firewall_hosts(a.render_set(validated.config, formats, options), validated.config)
                    stored, created = (None, False) if check else a.store_set(store, key, files, validated.secrets)
                    rendered += created
                    modes = {rel: 0o600 if a.holds_secret(data, validated.secrets) else 0o644 for rel, (fmt, data) in files.items()}
                    sets[key] = (files, stored, modes)
                files, stored, modes = sets[key]
                host_changed = self._place(dest, files, stored, modes, check, diffs, validated.secrets)
                add_to_team(teams, host, values, host_params, validated)
            except MalformedConfigFile as exc:
                findings.add_error("cannot merge into the existing file in %s: %s; the file was left untouched"
                                   % (os.path.join(base, host), exc), [host])
                continue
            except (ActionFailure, ValueError, OSError) as exc:
                findings.add_error(scrub(str(exc), validated.secrets), [host])
                continue
            changed_hosts += host_changed
        team_lines, teams_changed = self._write_teams(params, list(teams.values()), base, store, check, diffs, findings)
        failed = findings.failed_hosts()
        done = len(hosts) - len(failed)
        report = [
            "Rendered %d hosts in %.2f s: %d distinct artifact sets (%d newly rendered), %d hosts %s, %d unchanged, %d not rendered"
            % (len(hosts), time.perf_counter() - started, len(sets), rendered, changed_hosts,
               "would change" if check else "changed", done - changed_hosts, len(failed)),
        ] + findings.lines() + ["Artifacts: %s/<host>/ (each distinct set stored once in %s)" % (base, store)] + team_lines
        result.update(changed=changed_hosts > 0 or teams_changed > 0, hosts_total=len(hosts), changed_hosts=changed_hosts,
                      distinct_sets=len(sets), invalid_hosts=failed, dest=base, report=report,
                      teams=[{"name": t.name, "hosts": sorted(t.hosts), "identifier": t.identifier_used, "dir": t.dir}
                             for t in sorted(teams.values(), key=lambda t: t.name or "") if t.name is not None],
                      validation_seconds=round(validation.seconds, 4))
        if diffs:
            result["diff"] = diffs

    def _write_teams(self, params, teams, base, store, check, diffs, findings):
        """<base>/by-group/<team>/: one set per distinct config, named after the group that gives it."""
        return write_team_sets(self, params, teams, base, store, check, diffs, findings)

    def _place(self, dest, files, stored, modes, check, diffs, secrets):
        """Link each stored artifact into dest; True when anything differed."""
        changed = False
        for rel in sorted(files):
            path = os.path.join(dest, rel)
            mode = modes[rel]
            try:
                st = os.stat(path)
            except FileNotFoundError:
                st = None
            if st is not None and stored is not None:
                src = os.stat(os.path.join(stored, rel))
                if (st.st_ino, st.st_dev) == (src.st_ino, src.st_dev) and st.st_mode & 0o777 == mode:
                    continue  # already the stored artifact
            data = files[rel][1]
            before = a.read_existing(path) if st is not None else None
            if before == data and st.st_mode & 0o777 == mode:
                continue
            changed = True
            if not check:
                a.makedirs(os.path.dirname(path))
                a.link_or_copy(os.path.join(stored, rel), path)
                os.chmod(path, mode)
            if self._task.diff:
                texts = a.masked_pair(rel, files[rel][0], before, data, secrets)  # a rotated key: "******** (changed)"
                diffs.append({"before_header": path, "after_header": path, "before": texts[0], "after": texts[1]})
        return changed

    def _output_dir(self, path, variable):
        """path made absolute; refused inside an inventory source or the installed collection."""
        problem = _output.location_problem(path, self.task_vars, variable)
        if problem:
            raise ActionFailure(problem)
        return os.path.abspath(path)

    def _read_controller_file(self, path, option):
        try:
            with open(path, "rb") as f:
                return f.read()
        except OSError as exc:
            raise ActionFailure("%s: cannot read %s: %s" % (option, path, exc.strerror))


def host_options(params, values):
    """The task's parameters with a host's own option variables (claude_desktop_os, _identifier, ...)."""
    from ansible.module_utils.parsing.convert_bool import boolean

    host_params = dict(params)
    host_params["os"] = p.resolve_os(values, connection=False) or params.get("os")
    for option, var in HOST_OPTION_VARS.items():
        if values.get(var) not in (None, ""):
            host_params[option] = values[var]
    if not isinstance(host_params.get("removal_disallowed"), bool):
        try:
            host_params["removal_disallowed"] = boolean(host_params["removal_disallowed"])
        except TypeError:
            raise ActionFailure("claude_desktop_profile_removal_disallowed must be true or false, got %r"
                                % (host_params["removal_disallowed"],))
    return host_params


def add_to_team(teams, host, values, host_params, validated):
    key = _teams.team_key(validated.config, host_params)
    team = teams.get(key)
    if team is None:
        team = teams[key] = _teams.Team(key, validated.config, host_params, validated.secrets)
    team.hosts.append(host)
    team.values.append(values)
    if host_params.get("os"):
        team.oses.add(host_params["os"])


def team_render(action, params, team):
    """(formats, options) of a team's set; its profile has the team's identifier and display name."""
    first = team.values[0]
    tparams = _teams.team_params(team, first.get("claude_desktop_profile_identifier"),
                                 first.get("claude_desktop_profile_display_name"))
    formats = _teams.formats_for(team.oses, params["formats"])
    if not formats:
        raise ActionFailure("no format to render for the team (claude_desktop_os not set on its hosts)")
    formats, options = action._formats_and_options(dict(tparams, formats=formats), team.config)
    return formats, options


def write_team_sets(action, params, teams, base, store, check, diffs, findings):
    definitions = _teams.group_definitions(action.task_vars.get("hostvars"), _teams.DEFINING_VARS)
    notes = _teams.name_teams(teams, action.task_vars.get("groups") or {}, definitions)
    for text, hosts in notes:
        findings.add_warning(text, hosts)
    root = os.path.join(base, _teams.BY_GROUP)
    lines, changed = [], 0
    for team in sorted(teams, key=lambda t: t.name):
        team.dir = os.path.join(root, team.name)
        problem = _teams.name_problem(team.name)
        if problem:
            findings.add_error(problem, team.hosts)
            continue
        try:
            if os.path.islink(team.dir) or (os.path.lexists(team.dir) and not os.path.isdir(team.dir)):
                raise ActionFailure("%s exists and is not a directory; move it away" % team.dir)
            formats, options = team_render(action, params, team)
            options["existing"] = lambda rel, d=team.dir: a.read_existing(os.path.join(d, rel))
            team.identifier_used = options["identifier"]
            files = a.render_set(team.config, formats, options)
            key = a.digest(team.config, formats, options)
            stored = None if check else a.store_set(store, key, files, team.secrets)[0]
            modes = {rel: 0o600 if a.holds_secret(data, team.secrets) else 0o644 for rel, (fmt, data) in files.items()}
            changed += action._place(team.dir, files, stored, modes, check, diffs, team.secrets)
        except MalformedConfigFile as exc:
            findings.add_error("cannot merge into the existing file in %s: %s; the file was left untouched" % (team.dir, exc), team.hosts)
            continue
        except (ActionFailure, ValueError, OSError) as exc:
            findings.add_error(scrub(str(exc), team.secrets), team.hosts)
            continue
        how = {"group": "inventory group", "claude_desktop_team": "claude_desktop_team",
               "override": "the group's hosts with a host-level override",
               "fallback": "no group holds exactly these hosts: set claude_desktop_team to name it"}[team.named_by]
        lines.append("Team set %s/%s/ (%s; %s): %s, PayloadIdentifier %s"
                     % (_teams.BY_GROUP, team.name, how, _fleet.host_list(team.hosts), ", ".join(formats), team.identifier_used))
    if lines:
        lines.insert(0, "Per-team sets for MDM upload in %s/<team>/:" % root)
    return lines, changed
