"""Issue 24 item 4: the installed Claude Desktop build, read on the machine and compared with the inventory's.

Target side (module_utils/audit.read_app): a fake bundle's Info.plist (XML and binary), a package
manager answering through run_command as dpkg-query and rpm do. Controller side: findings and the
report's per-team oldest build.
"""

from __future__ import annotations

import plistlib

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.module_utils import audit
from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _audit, _report


def _bundle(tmp_path, info, fmt=plistlib.FMT_XML):
    contents = tmp_path / "Claude.app" / "Contents"
    contents.mkdir(parents=True)
    (contents / "Info.plist").write_bytes(plistlib.dumps(info, fmt=fmt) if isinstance(info, dict) else info)
    return str(tmp_path / "Claude.app")


@pytest.mark.parametrize("fmt", [plistlib.FMT_XML, plistlib.FMT_BINARY])
def test_macos_reads_cfbundleshortversionstring(tmp_path, fmt):
    bundle = _bundle(tmp_path, {"CFBundleShortVersionString": "1.46388.4", "CFBundleVersion": "46388.4"}, fmt)
    app = audit.read_app("macos", None, bundles=[str(tmp_path / "missing.app"), bundle])
    assert app == {"installed": True, "version": "1.46388.4", "build": "46388.4", "source": "bundle",
                   "path": bundle + "/Contents/Info.plist"}


def test_macos_not_installed_and_unreadable(tmp_path):
    assert audit.read_app("macos", None, bundles=[str(tmp_path / "Claude.app")]) == {
        "installed": False, "version": None, "checked": [str(tmp_path / "Claude.app")]}
    broken = audit.read_app("macos", None, bundles=[_bundle(tmp_path, b"not a plist")])
    assert broken["installed"] is True and broken["version"] is None and "cannot read Info.plist" in broken["error"]


class FakeCommands(object):
    """dpkg-query -W -f=... and rpm -q --qf ... as they answer: rc 1 and text on stderr for an unknown package."""

    def __init__(self, dpkg=None, rpm=None):
        self.dpkg, self.rpm, self.calls = dpkg or {}, rpm or {}, []

    def __call__(self, argv, environ_update=None):
        self.calls.append(argv)
        name = argv[-1]
        if argv[0] == "dpkg-query":
            if name in self.dpkg:
                return 0, "%s\t%s" % self.dpkg[name], ""
            return 1, "", "dpkg-query: no packages found matching %s\n" % name
        if name in self.rpm:
            return 0, self.rpm[name], ""
        return 1, "package %s is not installed\n" % name, ""


def test_linux_reads_the_package_manager(monkeypatch):
    monkeypatch.setattr(audit.shutil, "which", lambda tool: "/usr/bin/" + tool)
    run = FakeCommands(dpkg={"claude-desktop": ("installed", "1.40609.0-1")})
    assert audit.read_app("linux", run) == {"installed": True, "version": "1.40609.0-1", "source": "dpkg-query", "package": "claude-desktop"}
    # removed but its configuration kept ("config-files") is not installed; rpm is asked next
    run = FakeCommands(dpkg={"claude-desktop": ("config-files", "1.40609.0-1")}, rpm={"claude-desktop": "1.44121.1"})
    assert audit.read_app("linux", run)["version"] == "1.44121.1"
    assert audit.read_app("linux", FakeCommands())["installed"] is False


def test_version_key_compares_as_the_app_numbers_builds():
    assert _audit.version_key("1.46388.4.0") == _audit.version_key("1.46388.4") == _audit.version_key("1:1.46388.4-1")
    assert _audit.version_key("1.9659.1") < _audit.version_key("1.19367.0") < _audit.version_key("2.110.0.0")
    assert _audit.version_key("beta") is None


def test_findings_older_is_an_error_not_installed_is_its_own_warning():
    old = _audit.app_findings({"installed": True, "version": "1.9659.1", "source": "bundle", "path": "/A"}, "1.19367.0", "mac1")
    assert [(f["class"], f["severity"]) for f in old] == [("app_outdated", "error")]
    assert "older than claude_desktop_min_app_version 1.19367.0" in old[0]["message"] and "1.9659.1" in old[0]["fix"]
    assert _audit.app_findings({"installed": True, "version": "1.19367.0"}, "1.19367.0", "h") == []
    assert _audit.app_findings({"installed": True, "version": "1.46388.4.0"}, None, "h") == []
    none = _audit.app_findings({"installed": False, "version": None, "checked": ["/Applications/Claude.app"]}, "1.19367.0", "h")
    assert [(f["class"], f["severity"]) for f in none] == [("app_not_installed", "warning")]
    assert _audit.app_findings({"installed": None, "error": "boom"}, None, "h")[0]["class"] == "app_unknown"


def _host(name, team, app, minimum, firewall=None):
    audit_result = {"state": "in_line", "findings": [], "restart": {}, "app": app, "min_app_version": minimum,
                    "app_findings": _audit.app_findings(app, minimum, name), "firewall_hosts": firewall or []}
    return _report.host_entry(name, team, "macos", None, audit_result)


def test_report_shows_per_team_the_oldest_build_against_the_inventory():
    fw = [{"host": "api.aiohub.org", "label": "required", "reason": "inference", "cite": "§6"}]
    hosts = [
        _host("mac1", "eng", {"installed": True, "version": "1.24012.0"}, "1.19367.0", fw),
        _host("mac2", "eng", {"installed": True, "version": "1.9659.1"}, "1.19367.0", fw),
        _host("mac3", "eng", {"installed": False, "version": None, "checked": ["/Applications/Claude.app"]}, "1.19367.0", fw),
        _host("mac4", "design", {"installed": True, "version": "1.46388.4"}, "1.19367.0"),
    ]
    report = _report.build(hosts)
    teams = {t["team"]: t for t in report["app_versions"]}
    assert teams["eng"]["oldest"] == "1.9659.1" and teams["eng"]["oldest_hosts"] == ["mac2"]
    assert teams["eng"]["status"] == "error" and teams["eng"]["older_hosts"] == ["mac2"] and teams["eng"]["not_installed"] == ["mac3"]
    assert teams["design"]["status"] == "ok" and teams["design"]["oldest"] == "1.46388.4"
    by_host = {h["host"]: h for h in report["hosts"]}
    assert [f["class"] for f in by_host["mac2"]["findings"]] == ["app_outdated"]
    assert [f["class"] for f in by_host["mac3"]["findings"]] == ["app_not_installed"]
    assert report["firewall"] == [{"entries": fw, "hosts": ["mac1", "mac2", "mac3"]}]
    assert "firewall_hosts" not in by_host["mac1"]
    page = _report.render_html(report)
    assert 'id="app-versions"' in page and 'data-status="error"' in page and "1.9659.1" in page
    assert 'id="firewall-0"' in page and "api.aiohub.org" in page


def test_a_host_audited_without_the_app_check_has_no_app_line():
    entry = _report.host_entry("h", "t", "linux", None, {"state": "in_line", "findings": [], "restart": {}})
    assert "app" not in entry and _report.build([entry])["app_versions"] == []
