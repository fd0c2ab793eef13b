# -*- coding: utf-8 -*-
# Copyright: (c) 2026, aiohub.claude_desktop contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json
import time

from ansible_collections.aiohub.claude_desktop.plugins.action.render import ActionModule as RenderAction
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _artifacts as a
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _fleet
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _mdm
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _teams
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import ActionFailure
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._argspecs import FLEET, PROFILE_IDENTITY, SCOPE, options
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._fleet_render import HOST_OPTION_VARS, add_to_team, host_options, team_render
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._secrets import scrub

MDM_SPEC = {
    "provider": {"type": "str", "required": True, "choices": ["jamf", "intune"]},
    "url": {"type": "str"},
    "client_id": {"type": "str", "required": True},
    "client_secret": {"type": "str", "required": True, "no_log": True},
    "tenant_id": {"type": "str"},
    "token_url": {"type": "str"},
    "ca_bundle": {"type": "path"},
    "timeout": {"type": "int", "default": 30},
    "retries": {"type": "int", "default": 5},
    "max_retry_wait": {"type": "float", "default": 60.0},
}
ARGS = options(
    FLEET, SCOPE, PROFILE_IDENTITY, hosts={"required": True},
    mdm={"type": "dict", "required": True, "no_log": False, "options": MDM_SPEC},
    mode={"type": "str", "default": "apply", "choices": ["apply", "verify"]},
)
MDM_VARS = ("claude_desktop_mdm_groups", "claude_desktop_mdm_state")
DEFAULT_URLS = {"intune": "https://graph.microsoft.com"}


class ActionModule(RenderAction):
    ARGUMENT_SPEC = ARGS
    REQUIRED_TOGETHER = []
    MUTUALLY_EXCLUSIVE = []
    REQUIRED_ONE_OF = []

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        mdm = self._task.args.get("mdm") if isinstance(self._task.args.get("mdm"), dict) else {}
        return scrub(result, [str(mdm.get("client_secret"))] if mdm.get("client_secret") else [])

    def execute(self, params, result):
        started = time.perf_counter()
        hostvars = self.task_vars.get("hostvars")
        if hostvars is None:
            raise ActionFailure("the mdm action needs the play's hostvars (run it in a play, with run_once: true)")
        conf = params["mdm"]
        if conf["provider"] == "intune" and not (conf.get("tenant_id") or conf.get("token_url")):
            raise ActionFailure("claude_desktop_mdm.tenant_id is required for provider intune (the Entra tenant of the app registration)")
        url = conf.get("url") or DEFAULT_URLS.get(conf["provider"])
        if not url or not url.startswith("https://"):
            raise ActionFailure("claude_desktop_mdm.url must be the https:// address of the %s server (got %r)"
                                % ("Jamf Pro" if conf["provider"] == "jamf" else "Microsoft Graph", url))
        http = _mdm.Http(_mdm.PROVIDERS[conf["provider"]].NAME, ca_bundle=conf.get("ca_bundle"), timeout=conf["timeout"],
                         retries=conf["retries"], max_wait=conf["max_retry_wait"])
        provider = _mdm.PROVIDERS[conf["provider"]](http, url, conf["client_id"], conf["client_secret"], token_url=conf.get("token_url"),
                                                    tenant_id=conf.get("tenant_id"))
        findings = _fleet.Findings()
        desired, secrets, skipped = self._desired(params, hostvars, provider, findings)
        if findings.errors:
            lines = findings.lines()
            raise ActionFailure("\n".join(["%s: nothing was sent; fix the inventory first:" % provider.NAME] + lines),
                                report=lines, invalid_hosts=findings.failed_hosts())
        try:
            plans = _mdm.plan(provider, desired, provider.list_profiles())
            foreign = [p for p in plans if p.action == "foreign"]
            if foreign and params["mode"] == "apply":
                raise _mdm.MdmError("; ".join("team %s: %s" % (p.profile["team"], p.reason) for p in foreign))
            if params["mode"] == "apply" and not self._task.check_mode:
                _mdm.apply(provider, plans)
        except _mdm.MdmError as exc:
            raise ActionFailure(scrub(str(exc), secrets + [conf["client_secret"]]), requests=len(http.requests))
        result.update(self._report(params, provider, plans, skipped, secrets, started, http))

    def _desired(self, params, hostvars, provider, findings):
        """One desired profile per (team, platform) among the play's hosts."""
        names = _fleet.VALIDATION_VARS + tuple(v for v in HOST_OPTION_VARS.values() if v not in _fleet.VALIDATION_VARS)
        names += _teams.TEAM_VARS + MDM_VARS
        entries = _fleet.collect(hostvars, params["hosts"], names, findings)
        validation = _fleet.validate_entries(entries, findings)
        teams, skipped = {}, {}
        base = dict(params, formats=None, cache_dir=None, dest="", config_name=None, reg_delete_absent=False,
                    signing_cert=None, signing_key=None, signing_chain=None, os=None)
        for host, values, _config in entries:
            validated = validation.results.get(host)
            if validated is None:
                continue
            try:
                host_params = host_options(base, values)
            except ActionFailure as exc:
                findings.add_error(str(exc), [host])
                continue
            os_name = host_params.get("os")
            if os_name not in provider.PLATFORMS:
                if os_name in ("macos", "windows", "linux"):
                    skipped.setdefault(os_name, []).append(host)
                else:
                    findings.add_error("claude_desktop_os is not set: set it to macos or windows so %s knows which profile the "
                                       "host takes" % provider.NAME, [host])
                continue
            add_to_team(teams, host, values, host_params, validated)
        team_list = list(teams.values())
        definitions = _teams.group_definitions(hostvars, _teams.DEFINING_VARS)
        for text, hosts in _teams.name_teams(team_list, self.task_vars.get("groups") or {}, definitions):
            findings.add_warning(text, hosts)
        desired, secrets = [], []
        for team in sorted(team_list, key=lambda t: t.name):
            groups = set(json.dumps(v.get("claude_desktop_mdm_groups"), sort_keys=True) for v in team.values)
            states = set(v.get("claude_desktop_mdm_state") or "present" for v in team.values)
            if len(groups) > 1 or len(states) > 1:
                findings.add_error("the hosts sharing this config (team %s) set different claude_desktop_mdm_groups or "
                                   "claude_desktop_mdm_state; set them once for the team (group_vars)" % team.name, team.hosts)
                continue
            group_list = team.values[0].get("claude_desktop_mdm_groups")
            state = states.pop()
            if state not in ("present", "absent"):
                findings.add_error("claude_desktop_mdm_state must be present or absent, got %r" % (state,), team.hosts)
                continue
            if not group_list and state == "present":
                kind = "Jamf Pro computer" if provider.NAME == _mdm.JAMF else "Entra"
                findings.add_error("no claude_desktop_mdm_groups for this config (team %s): set the %s groups its profile is "
                                   "scoped to (group_vars/%s)" % (team.name, kind, team.name), team.hosts)
                continue
            if not isinstance(group_list or [], list) or not all(isinstance(g, str) and g for g in group_list or []):
                findings.add_error("claude_desktop_mdm_groups must be a list of group names", team.hosts)
                continue
            secrets.extend(team.secrets)
            for platform in sorted(team.oses & set(provider.PLATFORMS)):
                try:
                    desired.append(self._profile(params, team, platform, group_list or [], state, provider))
                except (ActionFailure, ValueError) as exc:
                    findings.add_error(scrub(str(exc), team.secrets), team.hosts)
        seen = {}
        for want in desired:
            other = seen.get(want["name"])
            if other is not None:
                findings.add_error("teams %s and %s would both be named %r in %s; give them different "
                                   "claude_desktop_profile_display_name values" % (other["team"], want["team"], want["name"], provider.NAME),
                                   want["hosts"])
            seen[want["name"]] = want
        return desired, secrets, skipped

    def _profile(self, params, team, platform, groups, state, provider):
        formats, options = team_render(self, dict(params, formats=["mobileconfig"] if platform == "macos" else ["reg"]), team)
        files = a.render_set(team.config, formats, options)
        name = options.get("display_name")
        if platform == "macos":
            signed = files.get(a.SIGNED_NAME)
            payload = files[a.FILE_NAMES["mobileconfig"]][1]
            if signed is not None and provider.NAME == _mdm.INTUNE:
                payload = signed[1]  # Intune stores the upload as is; Jamf Pro signs profiles itself
        else:
            from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _intune_windows

            payload = _intune_windows.oma_settings(team.config)
            name = "%s (Windows)" % name
        return {"team": team.name, "hosts": sorted(team.hosts), "identifier": options["identifier"] + ("" if platform == "macos" else ".windows"),
                "name": name, "payload": payload, "payload_name": options.get("display_name"), "groups": list(groups),
                "file_name": "claude-desktop-%s.mobileconfig" % _teams.slug(team.name), "platform": platform, "state": state,
                "secrets": team.secrets, "description": ""}

    def _report(self, params, provider, plans, skipped, secrets, started, http):
        verify = params["mode"] == "verify"
        check = self._task.check_mode
        lines, diffs, teams, drift = [], [], [], []
        verbs = {"create": "would create" if check or verify else "created", "update": "would update" if check or verify else "updated",
                 "delete": "would delete" if check or verify else "deleted", "none": "unchanged", "foreign": "not ours"}
        for p in plans:
            want = p.profile
            label = "%s (%s)" % (want["team"], want["platform"])
            text = "%-9s %s: profile %r, %s: %s" % (verbs[p.action], label, want["name"], provider.NAME, p.reason)
            if want.get("group_ids") is not None and p.action != "delete":
                text += "; scoped to %s" % ", ".join(sorted(want["group_ids"]))
            lines.append(text)
            teams.append({"team": want["team"], "platform": want["platform"], "name": want["name"], "action": p.action,
                          "reason": p.reason, "id": want.get("mdm_id") or (p.held or {}).get("id"), "hosts": want["hosts"],
                          "identifier": want["identifier"], "groups": sorted(want["groups"]), "state": want["state"]})
            if p.action in ("create", "update", "foreign") or (p.action == "delete"):
                drift.append("%s: %s" % (label, p.reason))
            if self._task.diff and p.action in ("create", "update", "delete"):
                before = a.masked_text("p", p.held["payload"], secrets) if p.held else ""
                after = a.masked_text("p", want["payload"], secrets) if p.action != "delete" else ""
                diffs.append({"before_header": "%s: %s" % (provider.NAME, (p.held or {}).get("name") or want["name"]),
                              "after_header": "%s: %s" % (provider.NAME, want["name"]),
                              "before": before + ("scope: %s\n" % ", ".join(map(str, p.held.get("groups") or p.held["targets"])) if p.held else ""),
                              "after": after + ("scope: %s\n" % ", ".join(sorted(want.get("group_ids") or {})) if p.action != "delete" else "")})
        for os_name, hosts in sorted(skipped.items()):
            lines.append("skipped   %s: %s hosts are not delivered by %s (deploy them over SSH/WinRM)"
                         % (_fleet.host_list(hosts), os_name, provider.NAME))
        changes = [p for p in plans if p.action in ("create", "update", "delete")]
        head = "%s %s: %d profiles, %d %s, %d unchanged, %d requests in %.2f s" % (
            provider.NAME, provider.url, len(plans), len(changes),
            "drifted" if verify else ("would change" if check else "changed"), len(plans) - len(changes), len(http.requests),
            time.perf_counter() - started)
        out = {"changed": bool(changes) and not verify, "report": [scrub(line, secrets) for line in [head] + lines],
               "profiles": teams, "requests": len(http.requests)}
        if verify:
            out["drift"] = [scrub(d, secrets) for d in drift]
        if diffs:
            out["diff"] = diffs
        return out
