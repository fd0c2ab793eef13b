"""Issue 22 and issue 21 item 4: rules that depend on the host's machine, judged host by host in fleet mode.

Run as AWX runs a playbook: ansible-runner (AWX's runner) executes the real validate.yml / render.yml /
deploy.yml, and the assertions read its job events and the per-host stats AWX turns into the job's host
summary (a host with failures > 0 is red). Also the plain ansible-playbook recap.

- Every row of the spec conformance table (tests/unit/spec_conformance.yml) runs through fleet mode: one
  inventory host per case (claude_desktop_os, claude_desktop_min_app_version per host), and each host's
  verdict must be the row's and the single-config validator's; exactly the invalid hosts fail.
- Every path-valued key (the model's x-path marks) has a case valid on one OS and invalid on another.
- Hosts share a verdict only when their merged config, OS and oldest build agree.
- With only lin1 invalid, lin1 and only lin1 is the failed host (validate.yml, render.yml, deploy.yml).
"""

from __future__ import annotations

import json
import ntpath
import os
import re
import sys

import pytest
import yaml

from test_playbooks import REPO, run

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _catalog
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._validation import validate_config

sys.path.insert(0, os.path.join(REPO, "tests", "unit"))
import test_spec_conformance as conformance  # noqa: E402  (the table and its helpers)

KEY = "sk-test-host-os-rules-9d8c7b6a"
GATEWAY = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org", "isDesktopExtensionEnabled": False}
WINDOWS_HELPER = "C:\\Program Files\\Acme\\claude-helper.exe"
VALIDATE_TASK = "Validate the layered configuration of every host, each distinct config once"
RENDER_TASK = "Render the artifacts of every host, each distinct set once"


def awx_run(tmp_path, playbook, inventory, *cmdline):
    """validate.yml etc. through ansible-runner, as AWX runs a job: (stats, job events)."""
    import ansible_runner

    # the caller's collections path (the matrix adds the collections deploy needs), else the checkout's link
    collections = os.environ.get("ANSIBLE_COLLECTIONS_PATH", os.path.join(REPO, "build", "collections"))
    env = {"ANSIBLE_CONFIG": os.path.join(REPO, "ansible.cfg"), "ANSIBLE_COLLECTIONS_PATH": collections,
           "ANSIBLE_NOCOLOR": "1", "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}
    (tmp_path / "runner").mkdir(exist_ok=True)
    runner = ansible_runner.run(private_data_dir=str(tmp_path / "runner"), project_dir=REPO, playbook=os.path.join("playbooks", playbook),
                                inventory=inventory, cmdline=" ".join(cmdline) or None, envvars=env, quiet=True)
    events = list(runner.events)
    stats = next((e["event_data"] for e in events if e["event"] == "playbook_on_stats"), None)
    assert stats is not None, runner.stdout.read()[-3000:]
    return stats, events


def failed_hosts(stats, events):
    """The hosts AWX marks failed (stats) and the hosts with a failed task event; both must agree."""
    by_stats = set(h for h, n in (stats.get("failures") or {}).items() if n)
    by_events = set(e["event_data"]["host"] for e in events if e["event"] == "runner_on_failed" and not e["event_data"].get("ignore_errors"))
    assert by_stats == by_events, (by_stats, by_events)
    return by_stats


def task_result(events, task):
    found = [e["event_data"]["res"] for e in events if e["event"] == "runner_on_ok" and e["event_data"].get("task") == task]
    assert len(found) == 1, [e["event_data"].get("task") for e in events if e["event"] == "runner_on_ok"]
    return found[0]


def recap(stdout):
    """{host: {ok: n, failed: n, ...}} from the PLAY RECAP of the default callback."""
    out = {}
    for line in stdout[stdout.rindex("PLAY RECAP"):].splitlines()[1:]:
        m = re.match(r"^(\S+)\s+: (.*)$", line.strip())
        if m:
            out[m.group(1)] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(2))}
    return out


def write_inventory(tmp_path, hosts, org=None, name="inventory.yml"):
    data = {"all": {"hosts": hosts}}
    if org is not None:
        data["all"]["vars"] = {"claude_desktop_config": org}
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))  # inventory order kept: mac1 first
    return str(path)


# ---------------------------------------------------------------------------------------------- the table
def _carriable(value):
    """A case an inventory can carry as is: no Jinja markers (Ansible would template them), string keys only."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _carriable(k) and _carriable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_carriable(v) for v in value)
    if isinstance(value, str):
        return not any(marker in value for marker in ("{{", "{%", "{#"))
    return True


def table_hosts():
    """One inventory host per case of every row that the validator answers (no known_gap rows)."""
    hosts, cases = {}, {}
    for r, row in enumerate(conformance.ROWS):
        if row.get("known_gap"):
            continue
        for c, case in enumerate(row["cases"]):
            config = conformance.case_config(row, case)
            if not _carriable(config):
                continue
            name = "r%03dc%02d" % (r, c)
            hostvars = {"claude_desktop_config": config}
            if case.get("target_os"):
                hostvars["claude_desktop_os"] = case["target_os"]
            version = case.get("min_app_version", row.get("min_app_version"))
            if version is not None:
                hostvars["claude_desktop_min_app_version"] = str(version)
            hosts[name] = hostvars
            cases[name] = (row, case, config, version)
    return hosts, cases


def _names_in(message, names):
    key = message.split(": ", 1)[0]
    return any(key == n or key.startswith((n + ".", n + "[")) or conformance._word(n, message) for n in names)


def test_every_conformance_row_in_fleet_mode(tmp_path):
    """Each case of the table is one host of one validate.yml run (fleet mode, its OS and oldest build as host
    variables): its verdict is the row's and the single-config validator's, and exactly the invalid hosts fail."""
    hosts, cases = table_hosts()
    assert len(hosts) > 900  # the whole table, not a sample
    stats, events = awx_run(tmp_path, "validate.yml", write_inventory(tmp_path, hosts))
    result = task_result(events, VALIDATE_TASK)
    invalid = result["invalid_hosts"]
    assert result["hosts_total"] == len(hosts)
    wrong = []
    for name, (row, case, config, version) in sorted(cases.items()):
        single = validate_config(config, min_app_version=version, target_os=case.get("target_os"))
        names = conformance.case_names(row, case)
        where = "%s %s case %s (%s, target_os=%s)" % (name, row["id"], case["config"], case["expect"], case.get("target_os"))
        if (name in invalid) == single.ok:
            fleet, alone = ("invalid" if name in invalid else "valid"), ("valid" if single.ok else "invalid")
            wrong.append("%s: fleet mode says %s, the single-config validator %s" % (where, fleet, alone))
        if case["expect"] == "error" and not (name in invalid and any(_names_in(m, names) for m in invalid[name])):
            wrong.append("%s: expected an error naming %s, got %s" % (where, names, invalid.get(name)))
        elif case["expect"] == "flagged" and name in invalid and not any(_names_in(m, names) for m in invalid[name]):
            wrong.append("%s: errors name other keys: %s" % (where, invalid[name]))
        elif case["expect"] in ("clean", "accept", "warning") and name in invalid:
            wrong.append("%s: rejected: %s" % (where, invalid[name]))
    assert not wrong, "\n".join(wrong[:40] + ["(%d wrong of %d)" % (len(wrong), len(cases))])
    # the recap (AWX's host summary): each invalid host, and only it, failed
    assert failed_hosts(stats, events) == set(invalid)


def _holds(value, path):
    """The values at a path_fields() location (``key``, ``key[].field``, ``key[].a.b``) inside a config value."""
    parts = path.replace("[]", "").split(".")
    found = [value]
    for part in parts:
        nxt = []
        for item in found:
            items = item if isinstance(item, list) else [item]
            nxt.extend(i[part] for i in items if isinstance(i, dict) and part in i)
        found = nxt
    return found


def test_every_path_valued_key_is_valid_on_one_os_and_invalid_on_another():
    """From the model's x-path marks, not a hand list: for every path-valued location the table has one value
    that a case accepts on one OS and a case rejects on another."""
    locations = [loc for loc, _mark in _catalog.path_fields()]
    assert {"inferenceCredentialHelper", "inferenceBedrockAwsCliPath", "managedMcpServers[].command", "managedMcpServers[].headersHelper",
            "otlpHeadersHelper", "bootstrapHeadersHelper", "inferenceVertexCredentialsFile", "allowedWorkspaceFolders[]"} <= set(locations)
    missing = []
    for loc in locations:
        verdicts = {}
        for row in conformance.ROWS:
            for case in row["cases"]:
                if not case.get("target_os") or row.get("known_gap"):
                    continue
                for value in _holds(case["config"], loc):
                    verdicts.setdefault(json.dumps(value, sort_keys=True), {}).setdefault(case["expect"], set()).add(case["target_os"])
        if not any(v.get("error") and (v.get("clean", set()) | v.get("accept", set())) - v["error"] for v in verdicts.values()):
            missing.append(loc)
    assert not missing, "path-valued keys without a value valid on one OS and invalid on another: %s" % missing


# ---------------------------------------------------------------------------------------------- grouping
def test_hosts_share_a_verdict_only_with_the_same_config_os_and_oldest_build(tmp_path):
    """One org config for a mixed fleet: the Windows path is right on the Windows hosts only, the external-idp
    kind only where the oldest build understands it; each host gets its own verdict and message."""
    org = dict(GATEWAY, inferenceCredentialKind="external-idp", inferenceCredentialHelper=WINDOWS_HELPER,
               inferenceIdpOidc={"clientId": "idp", "issuer": "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0"})
    new, old = "2.8000.0", "1.40609.0"
    hosts = {
        "mac1": {"claude_desktop_os": "macos", "claude_desktop_min_app_version": new},
        "mac2": {"claude_desktop_os": "macos", "claude_desktop_min_app_version": new},
        "win1": {"claude_desktop_os": "windows", "claude_desktop_min_app_version": new},
        "win2": {"claude_desktop_os": "windows", "claude_desktop_min_app_version": new},
        "winold": {"claude_desktop_os": "windows", "claude_desktop_min_app_version": old},
        "lin1": {"claude_desktop_os": "linux", "claude_desktop_min_app_version": new},
        "nos1": {"claude_desktop_min_app_version": new},
        "linfix": {"claude_desktop_os": "linux", "claude_desktop_min_app_version": new,
                   "claude_desktop_host_config": {"inferenceCredentialHelper": "/usr/local/bin/claude-helper"}},
    }
    stats, events = awx_run(tmp_path, "validate.yml", write_inventory(tmp_path, hosts, org=org))
    result = task_result(events, VALIDATE_TASK)
    invalid = result["invalid_hosts"]
    assert sorted(invalid) == ["lin1", "mac1", "mac2", "winold"]
    assert failed_hosts(stats, events) == {"lin1", "mac1", "mac2", "winold"}
    # (config, OS, oldest build): mac, win, winold, lin1, nos1, linfix
    assert result["distinct_configs"] == 6
    for host, os_name in (("mac1", "macOS"), ("mac2", "macOS"), ("lin1", "Linux")):
        assert invalid[host] == ["inferenceCredentialHelper: is a Windows path, which is not absolute on %s (read by POSIX path rules, posixpath: "
                                 "a relative name there, so the app cannot find it). Fix: give the %s hosts their own value starting with /, "
                                 "e.g. /usr/local/bin/helper (in the group_vars of a %s group, or claude_desktop_host_config)."
                                 % (os_name, os_name, os_name)]
    assert len(invalid["winold"]) == 1 and invalid["winold"][0].startswith("inferenceCredentialKind: external-idp is first understood by 2.7032.0")
    report = "\n".join(result["report"])
    assert "ERROR   2 hosts (mac1, mac2): inferenceCredentialHelper: is a Windows path, which is not absolute on macOS" in report
    assert "ERROR   lin1: inferenceCredentialHelper: is a Windows path, which is not absolute on Linux" in report
    assert "win1" not in report and "nos1" not in report and "linfix" not in report


def test_provider_scoping_comes_before_the_os_rules_in_fleet_mode(tmp_path):
    """Org keys for other providers (a team on Bedrock, another on Foundry) inherited by a Linux gateway host:
    unused there, so a warning, never a failure; the Bedrock host on macOS is judged by its own provider."""
    org = dict(GATEWAY, inferenceGatewayApiKey=KEY, inferenceBedrockAwsCliPath="C:\\Program Files\\Amazon\\AWSCLIV2\\aws.exe",
               inferenceFoundryAuthFlow="broker", inferenceVertexCredentialsFile="C:\\ProgramData\\Acme\\sa.json")
    bedrock = {"inferenceProvider": "bedrock", "inferenceBedrockRegion": "us-east-1", "inferenceBedrockBearerToken": "test-bedrock-token",
               "inferenceGatewayBaseUrl": None, "inferenceGatewayApiKey": None}
    hosts = {"lin1": {"claude_desktop_os": "linux"}, "mac1": {"claude_desktop_os": "macos"},
             "macbedrock": {"claude_desktop_os": "macos", "claude_desktop_team_config": bedrock},
             "winbedrock": {"claude_desktop_os": "windows", "claude_desktop_team_config": bedrock}}
    stats, events = awx_run(tmp_path, "validate.yml", write_inventory(tmp_path, hosts, org=org))
    result = task_result(events, VALIDATE_TASK)
    assert sorted(result["invalid_hosts"]) == ["macbedrock"]
    assert result["invalid_hosts"]["macbedrock"][0].startswith("inferenceBedrockAwsCliPath: is a Windows path, which is not absolute on macOS")
    assert failed_hosts(stats, events) == {"macbedrock"}
    report = "\n".join(result["report"])
    assert "WARNING 2 hosts (lin1, mac1): inferenceFoundryAuthFlow: ignored because inferenceProvider is gateway" in report
    assert "WARNING 2 hosts (lin1, mac1): inferenceBedrockAwsCliPath: ignored because inferenceProvider is gateway" in report
    assert KEY not in json.dumps(result)


# ---------------------------------------------------------------------------------------------- the blamed host
@pytest.fixture
def only_lin1_invalid(tmp_path):
    """Issue 21 item 4: three hosts, lin1 alone invalid (its own host variable), mac1 first in the inventory."""
    hosts = {"mac1": {"claude_desktop_os": "macos"}, "win1": {"claude_desktop_os": "windows"},
             "lin1": {"claude_desktop_os": "linux", "claude_desktop_host_config": {"inferenceGatewayBaseUrl": "http://api.aiohub.org"}}}
    return write_inventory(tmp_path, hosts, org=dict(GATEWAY, inferenceGatewayApiKey=KEY), name="only-lin1.yml")


@pytest.mark.parametrize("playbook,extra", [("validate.yml", ()), ("render.yml", ("-e", "claude_desktop_artifacts_dir={tmp}/artifacts")),
                                            ("deploy.yml", ("--tags", "validate"))])
def test_only_the_invalid_host_is_the_failed_host(tmp_path, only_lin1_invalid, playbook, extra):
    args = [a.format(tmp=tmp_path) for a in extra]
    stats, events = awx_run(tmp_path, playbook, only_lin1_invalid, *args)
    assert failed_hosts(stats, events) == {"lin1"}
    assert not (stats.get("dark") or {})
    failed = [e["event_data"] for e in events if e["event"] == "runner_on_failed"]
    assert "inferenceGatewayBaseUrl: must use https" in failed[0]["res"]["msg"]
    proc = run(playbook, *args, inventory=only_lin1_invalid)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out[-3000:]
    assert "fatal: [lin1]" in out and "fatal: [mac1]" not in out and "fatal: [win1]" not in out
    summary = recap(proc.stdout)
    assert summary["lin1"]["failed"] == 1
    assert all(counts["failed"] == 0 for host, counts in summary.items() if host != "lin1"), summary
    assert KEY not in out
    if playbook == "render.yml":
        assert sorted(p.name for p in (tmp_path / "artifacts").iterdir()) == [".by-config", "by-group", "mac1", "win1"]


def test_a_valid_fleet_fails_no_host_and_warns_about_no_pattern(tmp_path):
    hosts = {"mac1": {"claude_desktop_os": "macos"}, "win1": {"claude_desktop_os": "windows"}}
    proc = run("validate.yml", inventory=write_inventory(tmp_path, hosts, org=dict(GATEWAY, inferenceGatewayApiKey=KEY)))
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "Could not match supplied host pattern" not in proc.stdout + proc.stderr
    assert all(counts["failed"] == 0 for counts in recap(proc.stdout).values())


# ---------------------------------------------------------------------------------------------- properties
def test_a_format_does_not_decide_the_hosts_os():
    """A .reg rendered beside other formats (render without os) keeps the registry's limits, but only a host known
    to be Windows (os, registry_policy) has its paths read by Windows rules."""
    from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._action import ActionFailure, validate_or_fail

    params = {"config": dict(GATEWAY, inferenceCredentialHelper="/usr/local/bin/claude-helper"), "min_app_version": None,
              "allow_unknown_keys": False}
    validate_or_fail(dict(params), "any", registry=True)
    for extra, kwargs in (({"os": "windows"}, {}), ({}, {"registry": True, "target_os": "windows"})):
        with pytest.raises(ActionFailure) as exc:
            validate_or_fail(dict(params, **extra), "win1", **kwargs)
        assert "inferenceCredentialHelper: is not an absolute path on Windows" in str(exc.value)


def _path_strategy():
    from hypothesis import strategies as st

    piece = st.sampled_from(["Program Files", "Acme", "bin", "helper.exe", "x", "..", ".", "%APPDATA%", "$HOME", "a b", "~"])
    sep = st.sampled_from(["/", "\\"])
    start = st.sampled_from(["", "/", "\\", "\\\\", "C:", "C:\\", "C:/", "d:", "Z:\\", "~", "~/", "\\\\srv\\share\\", "//srv/share/", "%APPDATA%\\"])
    return st.builds(lambda s, parts, seps: s + "".join(p + q for p, q in zip(parts, seps)).rstrip("/\\"),
                     start, st.lists(piece, min_size=1, max_size=4), st.lists(sep, min_size=4, max_size=4))


def test_path_verdicts_by_os_hold_their_invariants():
    """For any path built from drives, UNC roots, separators, ~ and variables, in a key the host's provider reads
    and in one it ignores: macOS and Linux agree (both POSIX); POSIX accepts exactly what starts with /; Windows
    exactly a drive or share followed by a separator; every OS message names its OS; an ignored provider's key gets
    the OS-neutral verdict on every OS (provider scoping first)."""
    from hypothesis import given, settings

    names = {"macos": "macOS", "linux": "Linux", "windows": "Windows"}

    def verdict(config, os_name, key):
        result = validate_config(config, target_os=os_name)
        return [str(p) for p in result.problems if p.key == key]

    @settings(max_examples=400, deadline=None)
    @given(_path_strategy())
    def check(path):
        read = dict(GATEWAY, inferenceCredentialHelper=path)
        got = {os_name: verdict(read, os_name, "inferenceCredentialHelper") for os_name in (None, "macos", "linux", "windows")}
        assert bool(got["macos"]) == bool(got["linux"])
        env_var = "$" in path or "%" in path
        if not path.startswith("~"):
            assert (not got["macos"]) == path.startswith("/"), got
            drive, rest = ntpath.splitdrive(path)
            assert (not got["windows"]) == (bool(drive) and rest[:1] in ("\\", "/")), got
        for os_name, problems in got.items():
            if os_name and problems and not path.startswith("~") and not env_var:
                assert all(("on %s" % names[os_name]) in p for p in problems), problems
        ignored = dict(GATEWAY, inferenceGatewayApiKey=KEY, inferenceBedrockAwsCliPath=path)
        neutral = bool(verdict(ignored, None, "inferenceBedrockAwsCliPath"))
        for os_name in ("macos", "linux", "windows"):
            assert bool(verdict(ignored, os_name, "inferenceBedrockAwsCliPath")) == neutral, (path, os_name)

    check()


def test_what_an_artifact_cannot_carry_stays_an_error_for_an_ignored_key():
    """Provider scoping stops at the artifact: the app ignores a Foundry key on a gateway host, but the .reg we write
    still carries it, and a line break there breaks the file for every key (registry limits are not an app rule)."""
    config = dict(GATEWAY, inferenceGatewayApiKey=KEY, inferenceFoundryResource="my-foundry", inferenceVertexOAuthScopes="openid\nemail")
    result = validate_config(config, target_os="windows")
    assert [p.key for p in result.problems] == ["inferenceVertexOAuthScopes"]
    assert "registry REG_SZ" in str(result.problems[0])
    assert any(w.startswith("inferenceVertexOAuthScopes: ignored because inferenceProvider is gateway") for w in result.warnings)
    assert validate_config(config, target_os="linux").ok
