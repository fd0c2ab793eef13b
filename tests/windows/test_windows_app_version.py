"""Issue 24 item 4 on Windows: config_facts reads the installed app from the MSIX package or the uninstall
entry (through win_powershell; the double answers the script from its JSON registry, see its _installed_app)."""

from __future__ import annotations

import json

from test_windows_role import CONFIG, SID
from test_windows_verify import audit

UNINSTALL = "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\{0C1A7D3E-CLAUDE}"
USER_UNINSTALL = "HKU\\%s\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\AnthropicClaude" % SID


def _seed(windows, keys=None, appx=None):
    windows.seed(users={"CORP\\alice": SID}, profiles={SID: "C:\\Users\\alice"}, loaded=[SID], keys=keys)
    if appx is not None:
        state = windows.state()
        state["appx"] = appx
        windows.registry.write_text(json.dumps(state))
    assert windows.run(CONFIG).returncode == 0


def test_an_uninstall_entry_older_than_the_inventory_says_is_an_error(windows):
    _seed(windows, keys={UNINSTALL: {"DisplayName": {"type": "REG_SZ", "data": "Claude"},
                                     "DisplayVersion": {"type": "REG_SZ", "data": "1.9659.1"}},
                         "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Other": {
                             "DisplayName": {"type": "REG_SZ", "data": "Claude Helper Tool"},
                             "DisplayVersion": {"type": "REG_SZ", "data": "0.1"}}})
    result = audit(windows, audit_min_app_version="1.19367.0")
    assert result["app"]["installed"] is True and result["app"]["version"] == "1.9659.1" and result["app"]["source"] == "uninstall"
    assert [(f["class"], f["severity"]) for f in result["app_findings"]] == [("app_outdated", "error")]
    assert result["state"] == "in_line" and result["findings"] == []  # the configuration itself is in line


def test_the_msix_package_is_read_and_the_newest_install_counts(windows):
    _seed(windows, keys={USER_UNINSTALL: {"DisplayName": {"type": "REG_SZ", "data": "Claude"},
                                          "DisplayVersion": {"type": "REG_SZ", "data": "1.24012.0"}}},
          appx=[{"name": "Claude", "version": "1.46388.4.0", "family": "Claude_pzs8sxrjxfjjc"},
                {"name": "Microsoft.WindowsCalculator", "version": "11.0.0.0", "family": "Microsoft.WindowsCalculator_8wekyb3d8bbwe"}])
    result = audit(windows, audit_min_app_version="1.46388.4")
    assert result["app"] == {"installed": True, "version": "1.46388.4.0", "source": "msix", "name": "Claude",
                             "family": "Claude_pzs8sxrjxfjjc", "path": "Claude_pzs8sxrjxfjjc"}
    assert result["app_findings"] == []


def test_not_installed_is_its_own_finding(windows):
    _seed(windows)
    result = audit(windows, audit_min_app_version="1.19367.0")
    assert result["app"]["installed"] is False
    assert [(f["class"], f["severity"]) for f in result["app_findings"]] == [("app_not_installed", "warning")]
