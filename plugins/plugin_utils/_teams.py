# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Teams: one named artifact set per distinct config, for MDM uploads. PRIVATE, controller-only.

Fleet mode groups hosts by what they would produce (_fleet). An MDM admin uploads one profile per
team, not per host, so each distinct config (with the profile options that change its bytes) is
also given a name: the inventory group that gives it, i.e. the group whose hosts in the play are
exactly the hosts holding that config (``claude_desktop_team`` set on those hosts names it
explicitly). The name becomes ``<artifacts>/by-group/<team>/`` and part of the team's profile
PayloadIdentifier (``<claude_desktop_identifier>.<team>``), so each team's profile is a profile of
its own on a Mac and in the MDM.
"""

from __future__ import annotations

import re

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _formats
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._argspecs import DISPLAY_NAME
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._fleet import canonical

BY_GROUP = "by-group"
# Read per host in fleet mode, beside render's HOST_OPTION_VARS.
TEAM_VARS = ("claude_desktop_team", "claude_desktop_profile_identifier")
DEFAULT_DISPLAY_NAME = DISPLAY_NAME  # plugin_utils/_argspecs.py
# Options that change a team profile's bytes: hosts that differ in one of them are different teams.
PROFILE_OPTIONS = ("scope", "identifier", "organization", "display_name", "description", "removal_disallowed",
                   "signing_cert", "signing_key", "signing_chain")
# A group "gives" a config when its group vars set one of these.
DEFINING_VARS = ("claude_desktop_config", "claude_desktop_team_config", "claude_desktop_team", "claude_desktop_identifier",
                 "claude_desktop_profile_identifier", "claude_desktop_profile_display_name", "claude_desktop_profile_description",
                 "claude_desktop_profile_removal_disallowed", "claude_desktop_organization", "claude_desktop_scope")
_SEGMENT = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.@+=,-]{0,127}$")


class Team(object):
    """One distinct config and the hosts holding it, with its name and render parameters."""

    def __init__(self, key, config, params, secrets):
        self.key = key
        self.config = config
        self.params = params  # render parameters of the first host (profile options equal for all)
        self.secrets = secrets
        self.hosts = []
        self.oses = set()
        self.name = None
        self.named_by = None  # "claude_desktop_team", "group" or "fallback"
        self.values = []  # each host's variables (for claude_desktop_mdm_* and the like)
        self.dir = None
        self.identifier_used = None

    def identifier(self, explicit=None):
        return explicit or "%s.%s" % (self.params["identifier"], slug(self.name))


def slug(name):
    """A group name as a reverse-DNS identifier component: lower case letters, digits and hyphens."""
    text = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return text or "team"


def team_key(config, params):
    return canonical([config, [params.get(k) for k in PROFILE_OPTIONS]])


def name_problem(name):
    if not isinstance(name, str) or not _SEGMENT.match(name) or name in (".", ".."):
        return ("claude_desktop_team %r cannot name a directory under %s/ (one path segment of letters, digits and "
                ". _ - @ + = , not starting with a dot)" % (name, BY_GROUP))
    return None


def group_definitions(hostvars, names):
    """{group: (depth, defines any of names)} from the inventory behind hostvars (its group_vars and
    inline group vars, as Ansible's vars plugins read them); None when that cannot be read."""
    inventory = getattr(hostvars, "_inventory", None)
    loader = getattr(hostvars, "_loader", None)
    if inventory is None or loader is None:
        return None
    try:
        from ansible.vars.plugins import get_vars_from_inventory_sources

        out = {}
        for name, group in inventory.groups.items():
            data = dict(group.get_vars())
            for stage in ("inventory", "task"):  # a vars plugin runs at one of them (RUN_VARS_PLUGINS, its stage option)
                data.update(get_vars_from_inventory_sources(loader, inventory._sources, [group], stage) or {})
            out[name] = (group.depth, any(n in data for n in names))
        return out
    except Exception:  # an inventory without sources (a test double), a vars plugin failing: guess from membership
        return None


def name_teams(teams, groups, definitions=None):
    """Give each team its name; returns [(message, hosts)] for names that could not be decided well.

    ``groups``: the inventory's {group: [host, ...]} (the play's ``groups`` variable);
    ``definitions``: group_definitions() of the config variables, or None. A team is named after
    the deepest group that holds all its hosts and sets one of its config variables (its layer);
    without that knowledge, after the group whose play hosts are exactly its hosts. When two
    configs fall to one group (a host_vars override), the larger keeps the name and the other gets
    ``<group>-<host>`` (or ``<group>-<digest>``).
    """
    notes = []
    play_hosts = set(h for t in teams for h in t.hosts)
    members = {g: set(hs) & play_hosts for g, hs in groups.items()}
    sizes = {g: len(hs) for g, hs in groups.items()}
    for team in teams:
        hosts = set(team.hosts)
        explicit = set(v.get("claude_desktop_team") for v in team.values)
        if explicit != {None} and len(explicit) == 1:
            team.name, team.named_by = explicit.pop(), "claude_desktop_team"
            continue
        if len(explicit) > 1:
            notes.append(("hosts sharing one config set different claude_desktop_team values (%s); set one value for them"
                          % ", ".join(sorted(str(e) for e in explicit)), sorted(hosts)))
        holding = [g for g, hs in members.items() if hosts <= hs and g != "ungrouped"]
        if definitions:
            giving = [g for g in holding if definitions.get(g, (0, False))[1]]
            giving.sort(key=lambda g: (-definitions[g][0], sizes.get(g, 0), g))
        else:
            giving = sorted((g for g in holding if members[g] == hosts and g != "all"), key=lambda g: (sizes[g], g))
        if giving:
            team.name, team.named_by = giving[0], "group"
        elif hosts == play_hosts:
            team.name, team.named_by = "all", "group"
        else:
            team.name, team.named_by = (sorted(hosts)[0] if len(hosts) == 1 else "config-" + _short(team.key)), "fallback"
    by_name = {}
    for team in teams:
        by_name.setdefault(team.name, []).append(team)
    for name, same in by_name.items():
        if len(same) < 2 or same[0].named_by == "claude_desktop_team":
            if len(same) > 1:
                notes.append(("claude_desktop_team %r is set on hosts with different configs; give each config its own name"
                              % name, sorted(h for t in same for h in t.hosts)))
                for team in same[1:]:
                    team.name = "%s-%s" % (name, _short(team.key))
            continue
        same.sort(key=lambda t: (-len(t.hosts), sorted(t.hosts)))
        for team in same[1:]:
            team.name = "%s-%s" % (name, sorted(team.hosts)[0] if len(team.hosts) == 1 else _short(team.key))
            team.named_by = "override"
    return notes


def _short(key):
    import hashlib

    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]


def team_params(team, explicit_identifier, explicit_display_name):
    """Render parameters of a team's set: its own identifier and display name."""
    params = dict(team.params)
    params["identifier"] = team.identifier(explicit_identifier)
    if not explicit_display_name:
        params["display_name"] = "%s: %s" % (params.get("display_name") or DEFAULT_DISPLAY_NAME, team.name)
    params["reg_delete_absent"] = False
    return params


def formats_for(oses, explicit):
    """Formats of a team's set: the union of its hosts' OS formats (or the formats the task lists)."""
    if explicit:
        return list(explicit)
    wanted = set(f for os_name in oses for f in _formats.OS_FORMATS.get(os_name, ()))
    return [f for f in _formats.NAMES if f in wanted]
