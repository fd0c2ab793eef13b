# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The render action's fleet mode (``hosts=``): every host of the play in one task. PRIVATE: ONLY FOR ACTION PLUGINS.

Each host's variables are read once (_fleet), each distinct artifact set is rendered and stored once (_artifacts)
and linked into ``<dest>/<host>/``; the per-team sets for MDM upload go to ``<dest>/by-group/<team>/`` (_teams).
The action (``action/render.py``, and ``action/mdm.py`` through it) supplies its option handling:
``_formats_and_options``, ``_output_dir`` and ``task_vars``. A module of its own, not part of _fleet: _teams
imports _fleet, and this module imports both.
"""

from __future__ import annotations

import os
import time

from ansible_collections.aiohub.claude_desktop.plugins.module_utils import placement as p
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _artifacts as a
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _fleet
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _output
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _teams
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import ActionFailure
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import MalformedConfigFile
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import scrub

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


def render_fleet(action, params, result):
    """Every host of the play in one task: each distinct artifact set rendered and stored once,
    then hard-linked into dest/<host>/. Hosts with findings are reported, not rendered."""
    hostvars = action.task_vars.get("hostvars")
    if hostvars is None:
        raise ActionFailure("hosts needs the play's hostvars (run the task in a play, with run_once: true)")
    started = time.perf_counter()
    hosts = params["hosts"]
    base = action._output_dir(params["dest"] or _output.default_dir(action.task_vars, "artifacts"),
                              "claude_desktop_artifacts_dir")
    store = action._output_dir(params["cache_dir"], "cache_dir") if params["cache_dir"] else os.path.join(base, ".by-config")
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
    check = action._task.check_mode
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
            formats, options = action._formats_and_options(host_params, validated.config)
            dest = os.path.join(base, host)
            if os.path.islink(dest) or (os.path.lexists(dest) and not os.path.isdir(dest)):
                raise ActionFailure("%s exists and is not a directory; move it away" % dest)
            options["existing"] = lambda rel, dest=dest: a.read_existing(os.path.join(dest, rel))
            if host_params["reg_delete_absent"]:
                options["reg_delete"] = a.reg_delete(options["existing"](a.FILE_NAMES["reg"]), validated.config)
            key = a.digest(validated.config, formats, options)
            if key not in sets:
                files = a.add_firewall_hosts(a.render_set(validated.config, formats, options), validated.config)
                stored, created = (None, False) if check else a.store_set(store, key, files, validated.secrets)
                rendered += created
                modes = {rel: 0o600 if a.holds_secret(data, validated.secrets) else 0o644 for rel, (fmt, data) in files.items()}
                sets[key] = (files, stored, modes)
            files, stored, modes = sets[key]
            host_changed = a.place(dest, files, stored, modes, check, diffs if action._task.diff else None, validated.secrets)
            add_to_team(teams, host, values, host_params, validated)
        except MalformedConfigFile as exc:
            findings.add_error("cannot merge into the existing file in %s: %s; the file was left untouched"
                               % (os.path.join(base, host), exc), [host])
            continue
        except (ActionFailure, ValueError, OSError) as exc:
            findings.add_error(scrub(str(exc), validated.secrets), [host])
            continue
        changed_hosts += host_changed
    team_lines, teams_changed = write_team_sets(action, params, list(teams.values()), base, store, check, diffs, findings)
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
            changed += a.place(team.dir, files, stored, modes, check, diffs if action._task.diff else None, team.secrets)
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
