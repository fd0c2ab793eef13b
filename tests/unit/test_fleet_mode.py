"""validate.yml / render.yml in fleet mode (one run_once task for every host): readable findings,
every failure fails the gate, unsafe host names, explicit directory modes, Vault values."""

from __future__ import annotations

import os
import subprocess

import yaml

from test_playbooks import DEMO_KEYS, run

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _fleet

KEY = "sk-test-fleet-mode-5e6f7a8b"
BASE = {"inferenceProvider": "gateway", "inferenceGatewayBaseUrl": "https://api.aiohub.org",
        "inferenceGatewayApiKey": KEY, "isDesktopExtensionEnabled": False}


def _inventory(tmp_path, hosts, org=None):
    path = tmp_path / "inventory.yml"
    path.write_text(yaml.safe_dump({"all": {"vars": {"claude_desktop_config": org if org is not None else BASE,
                                                     "claude_desktop_os": "linux"},
                                            "hosts": hosts}}))
    return str(path)


def test_a_finding_shared_by_many_hosts_is_one_line_with_its_count(tmp_path):
    hosts = {"h%02d" % i: {"claude_desktop_host_config": {"inferenceProvder": "gateway"}} for i in range(30)}
    hosts.update({"ok%02d" % i: None for i in range(20)})
    hosts["lone"] = {"claude_desktop_host_config": {"inferenceGatewayBaseUrl": "http://api.aiohub.org"}}
    proc = run("validate.yml", inventory=_inventory(tmp_path, hosts))
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and KEY not in out
    report = proc.stdout[proc.stdout.rindex("Print the findings"):proc.stdout.index("PLAY [Fail each host")]  # each invalid host's own failure follows
    assert "Validated 51 hosts: 3 distinct configs" in report and "20 valid" in report and "31 invalid" in report
    assert report.count("inferenceProvder: unknown key") == 1
    assert "ERROR   30 hosts (h00, h01, h02, h03, h04 +25 more): inferenceProvder: unknown key" in report
    assert "ERROR   lone: inferenceGatewayBaseUrl: must use https" in report
    assert "ok00" not in report  # hosts without findings are counted, not listed
    assert "31 of 51 hosts have an invalid configuration" in out


def test_every_failure_fails_the_gate_and_names_the_variable(tmp_path):
    """Issue 14 item 7 and 8: a bad allow_unknown_keys, a layer of the wrong type or an undefined
    variable in a layer fail validate.yml (they passed as "skipped" before), naming the variable."""
    hosts = {
        "badallow": {"claude_desktop_allow_unknown_keys": "yes please"},
        "listlayer": {"claude_desktop_team_config": ["inferenceProvider"]},
        "undefined": {"claude_desktop_host_config": {"inferenceGatewayApiKey": "{{ no_such_vault_var }}"}},
        "fine": None,
    }
    proc = run("validate.yml", "-vvvv", inventory=_inventory(tmp_path, hosts))
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and KEY not in out and "Traceback" not in out
    assert "badallow: claude_desktop_allow_unknown_keys must be true, false or a list of key names, got str" in out
    assert "listlayer: claude_desktop_team_config must be a mapping of enterpriseConfig keys, got a list" in out
    assert "undefined: claude_desktop_host_config.inferenceGatewayApiKey cannot be templated" in out and "no_such_vault_var" in out
    assert "3 of 4 hosts have an invalid configuration" in out


def test_render_refuses_unsafe_host_names_and_writes_nothing_outside(tmp_path):
    """Issue 14 item 5: a host name becomes one directory under the artifacts directory."""
    out_dir = tmp_path / "artifacts"
    escape = tmp_path / "escaped"
    hosts = {"../escaped": None, ".hidden": None, "good-01": None}
    proc = run("render.yml", "-e", "claude_desktop_artifacts_dir=%s" % out_dir, inventory=_inventory(tmp_path, hosts))
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and KEY not in out
    assert "inventory host name '../escaped' cannot be used as an artifact directory name" in out
    assert "inventory host name '.hidden' cannot be used" in out
    assert not escape.exists()
    assert sorted(p.name for p in out_dir.iterdir()) == [".by-config", "by-group", "good-01"]
    assert (out_dir / "good-01" / "managed-settings.json").is_file()


def test_render_directories_get_explicit_modes_whatever_the_umask(tmp_path):
    out_dir = tmp_path / "artifacts"
    inventory = _inventory(tmp_path, {"mac": {"claude_desktop_os": "macos"}})
    script = "umask 000 && exec \"$@\""
    proc = subprocess.run(["sh", "-c", script, "-", *_render_cmd(inventory, out_dir)], capture_output=True, text=True,
                          env=_env(), check=False)
    assert proc.returncode == 0, proc.stdout[-2000:]
    modes = {str(p.relative_to(out_dir)): oct(p.stat().st_mode & 0o777) for p in [out_dir, *out_dir.rglob("*")] if p.is_dir()}
    assert modes.pop(".by-config") == "0o700"
    assert all(mode == "0o755" for name, mode in modes.items() if not name.startswith(".by-config")), modes
    for f in (out_dir / "mac").rglob("*"):
        if f.is_file():
            assert f.stat().st_mode & 0o777 in (0o600, 0o644)
    assert (out_dir / "mac" / "claude-desktop.mobileconfig").stat().st_mode & 0o777 == 0o600


def _env():
    from test_playbooks import REPO
    return dict(os.environ, ANSIBLE_CONFIG=os.path.join(REPO, "ansible.cfg"), ANSIBLE_NOCOLOR="1",
                ANSIBLE_COLLECTIONS_PATH=os.environ.get("ANSIBLE_COLLECTIONS_PATH", os.path.join(REPO, "build", "collections")))


def _render_cmd(inventory, out_dir):
    import sys
    from test_playbooks import REPO
    return [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), os.path.join(REPO, "playbooks", "render.yml"),
            "-i", inventory, "-e", "claude_desktop_artifacts_dir=%s" % out_dir]


def test_vault_values_reach_the_artifacts_and_never_the_output(tmp_path):
    proc = run("render.yml", "-vvvv", "--diff", "-e", "claude_desktop_artifacts_dir=%s" % tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:]
    for key in DEMO_KEYS:
        assert key not in proc.stdout + proc.stderr
    assert DEMO_KEYS[0].encode() in (tmp_path / "mac-design-01" / "claude-desktop.mobileconfig").read_bytes()
    assert DEMO_KEYS[1].encode() in (tmp_path / "win-fin-01" / "claude-desktop.reg").read_bytes().decode("utf-16").encode()
    assert "Rendered 5 hosts" in proc.stdout and "Artifacts: %s/<host>/" % tmp_path in proc.stdout


def test_host_list_names_a_few_and_counts_the_rest():
    assert _fleet.host_list(["b"]) == "b"
    assert _fleet.host_list(["c", "a", "b"]) == "3 hosts (a, b, c)"
    assert _fleet.host_list(["h%d" % i for i in range(8)]) == "8 hosts (h0, h1, h2, h3, h4 +3 more)"
    findings = _fleet.Findings()
    findings.add_warning("w", ["a", "b"])
    findings.add_error("e", ["c"])
    assert findings.lines() == ["ERROR   c: e", "WARNING 2 hosts (a, b): w"]
    assert findings.failed_hosts() == {"c": ["e"]}


def test_host_name_rule():
    for bad in ("..", ".", "../x", "a/b", "a\\b", ".hidden", "", "a\x00b", "a b"):
        assert _fleet.host_name_problem(bad), bad
    for good in ("mac-eng-01", "host.example.com", "10.0.0.1", "fe80::1", "user@host"):
        assert _fleet.host_name_problem(good) is None, good


def test_each_host_sees_its_own_templated_values(tmp_path):
    """Hosts are templated once per distinct set of raw values and referenced variables: a layer
    referring to a per-host variable, to inventory_hostname or to a lookup still resolves per host."""
    org = dict(BASE, inferenceGatewayApiKey="{{ team_key }}", deploymentDisplayName="{{ label }}")
    hosts = {
        "a1": {"team_key": "sk-test-team-a-1111", "label": "A"},
        "a2": {"team_key": "sk-test-team-a-1111", "label": "A"},
        "b1": {"team_key": "sk-test-team-b-2222", "label": "B"},
        "n1": {"team_key": "sk-test-team-a-1111", "label": "{{ inventory_hostname }}"},
        "n2": {"team_key": "sk-test-team-a-1111", "label": "{{ inventory_hostname }}"},
        "l1": {"team_key": "sk-test-team-a-1111", "label": "{{ lookup('ansible.builtin.env', 'BENCH_LABEL') }}"},
    }
    out_dir = tmp_path / "artifacts"
    proc = subprocess.run([*_render_cmd(_inventory(tmp_path, hosts, org=org), out_dir), "-vvvv"], capture_output=True, text=True,
                          env=dict(_env(), BENCH_LABEL="from-env"), check=False)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "sk-test-team" not in proc.stdout + proc.stderr
    import json
    got = {h: json.loads((out_dir / h / "managed-settings.json").read_text()) for h in hosts}
    assert {h: c["inferenceGatewayApiKey"] for h, c in got.items()} == {
        "a1": "sk-test-team-a-1111", "a2": "sk-test-team-a-1111", "b1": "sk-test-team-b-2222",
        "n1": "sk-test-team-a-1111", "n2": "sk-test-team-a-1111", "l1": "sk-test-team-a-1111"}
    assert {h: c["deploymentDisplayName"] for h, c in got.items()} == {
        "a1": "A", "a2": "A", "b1": "B", "n1": "n1", "n2": "n2", "l1": "from-env"}


def test_hosts_with_equal_inputs_are_templated_once(tmp_path):
    hosts = {"t%02d" % i: {"team_key": "sk-test-team-a-1111"} for i in range(12)}
    hosts["odd"] = {"team_key": "sk-test-team-b-2222"}
    proc = run("validate.yml", inventory=_inventory(tmp_path, hosts, org=dict(BASE, inferenceGatewayApiKey="{{ team_key }}")))
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "Validated 13 hosts: 2 distinct configs" in proc.stdout
    assert "(2 templated)" in proc.stdout


def test_validate_yml_checks_what_each_hosts_format_can_carry(tmp_path):
    hosts = {"win": {"claude_desktop_os": "windows"}, "mac": {"claude_desktop_os": "macos"}, "odd": {"claude_desktop_os": "beos"}}
    org = dict(BASE, deploymentDisplayName="Example\nCorp")
    proc = run("validate.yml", inventory=_inventory(tmp_path, hosts, org=org))
    assert proc.returncode != 0
    assert "ERROR   win: deploymentDisplayName: contains a line feed (U+000A), which a registry REG_SZ value" in proc.stdout
    assert "ERROR   odd: claude_desktop_os must be macos, windows or linux, got 'beos'" in proc.stdout
    assert "mac:" not in proc.stdout


def test_a_broken_template_never_shows_the_secret_beside_it(tmp_path):
    hosts = {"broken": {"claude_desktop_host_config": {"inferenceGatewayApiKey": KEY + "{{ oops("}}}
    proc = run("validate.yml", "-vvvv", inventory=_inventory(tmp_path, hosts))
    assert proc.returncode != 0
    assert "broken: claude_desktop_host_config.inferenceGatewayApiKey cannot be templated" in proc.stdout
    assert KEY not in proc.stdout + proc.stderr
