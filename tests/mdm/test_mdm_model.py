"""Model-based test of the MDM planner against the stand-in Jamf Pro server (in process, real TLS):
whatever an admin does between runs (change a team, edit or rescope a profile in the console, add a
foreign profile, even one with our name, remove a team), a run leaves exactly one profile per present
team, holding that team's content and scope with the identity Jamf gave it, never touches a foreign
profile, and the next run sends no write."""

from __future__ import annotations

import plistlib

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from support.fake_jamf import FakeJamf
from support.mdm_server import LoopbackCA

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _mdm
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import render_mobileconfig

TEAMS = ("eng", "sales", "ops")
GROUPS = ("G1", "G2", "G3")
SECRET = "model-secret-1234"


def desired(team, version, group, state):
    config = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org",
              "inferenceGatewayApiKey": "sk-test-model", "inferenceMaxTokensPerWindow": 1000 + version}
    ident = "com.example.claude." + team
    return {"team": team, "identifier": ident, "name": "Claude: " + team, "platform": "macos", "state": state, "groups": [group],
            "payload": render_mobileconfig(config, identifier=ident, display_name="Claude: " + team), "description": "",
            "hosts": [team + "-mac"], "secrets": []}


class MdmModel(RuleBasedStateMachine):
    ca = None

    def __init__(self):
        RuleBasedStateMachine.__init__(self)
        self.server = FakeJamf(self.ca, clients={"c": {"secret": SECRET}}, groups=GROUPS).start()
        self.teams = {t: {"version": 0, "group": "G1", "state": "present"} for t in TEAMS}
        self.foreign = {}
        self.identities = {}

    def teardown(self):
        self.server.stop()

    def provider(self):
        http = _mdm.Http(_mdm.JAMF, ca_bundle=self.ca.ca_pem, retries=3, max_wait=0.01)
        return _mdm.Jamf(http, self.server.url, "c", SECRET)

    def want(self):
        return [desired(t, s["version"], s["group"], s["state"]) for t, s in sorted(self.teams.items())]

    @rule()
    def run(self):
        provider = self.provider()
        plans = _mdm.plan(provider, self.want(), provider.list_profiles())
        if any(p.action == "foreign" for p in plans):
            return  # the action stops before any write (tested end to end in test_mdm.py)
        _mdm.apply(provider, plans)
        before = len(self.server.writes())
        provider = self.provider()
        again = _mdm.plan(provider, self.want(), provider.list_profiles())
        assert [p.action for p in again] == ["none"] * len(again), [(p.profile["team"], p.reason) for p in again]
        assert len(self.server.writes()) == before
        for team, state in self.teams.items():
            held = self.server.by_name("Claude: " + team)
            if state["state"] == "absent":
                assert held is None or held["id"] in self.foreign
                self.identities.pop(team, None)
                continue
            assert held is not None and self.server.scope_names(held) == [state["group"]]
            data = plistlib.loads(held["payloads"].encode())
            assert data["PayloadContent"][0]["inferenceMaxTokensPerWindow"] == str(1000 + state["version"])
            self.identities.setdefault(team, data["PayloadUUID"])
            assert data["PayloadUUID"] == self.identities[team]  # the identity Jamf gave it is kept

    @rule(team=st.sampled_from(TEAMS))
    def change_team(self, team):
        self.teams[team]["version"] += 1

    @rule(team=st.sampled_from(TEAMS), group=st.sampled_from(GROUPS))
    def rescope_in_inventory(self, team, group):
        self.teams[team]["group"] = group

    @rule(team=st.sampled_from(TEAMS), state=st.sampled_from(("present", "absent")))
    def set_state(self, team, state):
        if state == "present" and any(self.server.profiles[f]["name"] == "Claude: " + team for f in self.foreign):
            return  # a foreign profile took the name: present would stop the run, covered in test_mdm.py
        self.teams[team]["state"] = state

    @rule(team=st.sampled_from(TEAMS), group=st.sampled_from(GROUPS))
    def console_edit(self, team, group):
        held = self.server.by_name("Claude: " + team)
        if held is None or held["id"] in self.foreign:
            return
        data = plistlib.loads(held["payloads"].encode())
        data["PayloadContent"][0]["inferenceGatewayBaseUrl"] = "https://console.example"
        self.server.profiles[held["id"]]["payloads"] = plistlib.dumps(data).decode()
        self.server.profiles[held["id"]]["groups"] = [gid for gid, g in self.server.groups.items() if g["name"] == group]

    @rule(team=st.sampled_from(TEAMS), same_name=st.booleans())
    def add_foreign(self, team, same_name):
        name = "Claude: " + team if same_name else "Other " + team
        if self.server.by_name(name) is not None:
            return
        if same_name and self.teams[team]["state"] == "present":
            return
        payload = plistlib.dumps({"PayloadType": "Configuration", "PayloadContent": [{"PayloadType": "com.anthropic.claudefordesktop"}]})
        pid = self.server.add_profile(name, payload, description="made in the console")
        self.foreign[pid] = self.server.profiles[pid]["payloads"]

    @rule(team=st.sampled_from(TEAMS))
    def retire_team_then_someone_reuses_its_name(self, team):
        self.teams[team]["state"] = "absent"
        self.run()
        self.add_foreign(team, True)

    @rule()
    def fault(self):
        if not any(f[5] for f in self.server.faults):  # one pending 503 at most: fewer than the 3 retries
            self.server.inject("GET", "/JSSResource/osxconfigurationprofiles", 503)

    @invariant()
    def foreign_profiles_untouched(self):
        for pid, payload in self.foreign.items():
            assert pid in self.server.profiles and self.server.profiles[pid]["payloads"] == payload
            assert self.server.profiles[pid]["description"] == "made in the console"

    @invariant()
    def identity_never_changed_by_an_update(self):
        assert self.server.identity_changes == 0


def test_mdm_runs_converge_whatever_the_admin_does(tmp_path):
    MdmModel.ca = LoopbackCA(tmp_path)
    MdmModel.TestCase.settings = settings(max_examples=25, stateful_step_count=12, deadline=None,
                                          suppress_health_check=[HealthCheck.too_slow])
    MdmModel.TestCase("runTest").runTest()
