"""The placement table: facts from the spec (sections cited) and the checks on inventory values."""

from __future__ import annotations

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.module_utils import placement as p


def test_managed_sources_match_spec_1_1():
    # spec §1.1/§1.2: machine and per-user plists in /Library/Managed Preferences, domain com.anthropic.claudefordesktop
    assert p.managed_source("macos")["path"] == "/Library/Managed Preferences/com.anthropic.claudefordesktop.plist"
    assert p.managed_source("macos", "user", "alice")["path"] == "/Library/Managed Preferences/alice/com.anthropic.claudefordesktop.plist"
    # spec §1.4: the single Linux file, root-owned, not group/world-writable
    linux = p.managed_source("linux")
    assert linux["path"] == "/etc/claude-desktop/managed-settings.json"
    assert linux["owner"] == "root" and linux["mode"] & p.MANAGED_FORBIDDEN_MODE_BITS == 0
    assert all(mode & 0o022 == 0 for _n, _o, _g, mode in linux["parents"])
    # spec §1.1: Linux has no per-user managed source
    with pytest.raises(p.PlacementError, match="no user-scope"):
        p.managed_source("linux", "user", "alice")
    # spec §1.3: HKLM / HKCU SOFTWARE\Policies\Claude
    assert p.registry_path("machine") == "HKLM:\\SOFTWARE\\Policies\\Claude"
    assert p.registry_path("user", "reg") == "HKCU\\SOFTWARE\\Policies\\Claude"
    assert p.registry_path("machine", "regfile") == "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude"


def test_user_config_paths_both_generations_spec_1_5():
    mac = p.user_config("macos", "alice", fmt="user_json")
    assert mac["path"] == "/Users/alice/Library/Application Support/Claude-3p/claude_desktop_config.json"
    assert [d for d, _m in mac["levels"]] == ["/Users/alice/Library", "/Users/alice/Library/Application Support",
                                              "/Users/alice/Library/Application Support/Claude-3p"]
    assert p.user_config("linux", "bob")["path"] == "/home/bob/.config/Claude-3p/configLibrary"
    assert p.user_config("linux", "bob", home="/srv/homes/bob", roots=["/srv/homes"])["path"] == "/srv/homes/bob/.config/Claude-3p/configLibrary"
    with pytest.raises(p.PlacementError, match="not below the home roots /home"):
        p.user_config("linux", "bob", home="/srv/homes/bob")
    win = p.user_config("windows", "Carol Smith")
    assert win["path"] == "C:\\Users\\Carol Smith\\AppData\\Local\\Claude-3p\\configLibrary"
    # AppData and Local are never created: only the app's own levels
    assert [d for d, _m in win["levels"]] == ["C:\\Users\\Carol Smith\\AppData\\Local\\Claude-3p",
                                              "C:\\Users\\Carol Smith\\AppData\\Local\\Claude-3p\\configLibrary"]
    assert p.user_config("windows", "carol", fmt="user_json", variant="roaming")["path"].endswith(
        "\\AppData\\Roaming\\Claude-3p\\claude_desktop_config.json")
    msix = p.user_config("windows", "carol", fmt="user_json", variant="msix_roaming")["path"]
    assert msix.endswith("\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc\\LocalCache\\Roaming\\Claude-3p\\claude_desktop_config.json")
    # every directory the collection creates below a home is private to the user
    assert all(mode == 0o700 or name == "Application Support" for os_name in ("macos", "linux")
               for name, mode in p.USER_CONFIG[os_name]["levels"])


@pytest.mark.parametrize("user", ["../root", "..", ".", "a/b", "", " alice", "x" * 40, "al\x00ice", "a\\b"])
def test_bad_posix_accounts_are_refused_naming_the_variable(user):
    with pytest.raises(p.PlacementError, match="claude_desktop_users"):
        p.user_config("linux", user)


@pytest.mark.parametrize("user", ["..\\x", "a/b", "a:b", "x.", ".."])
def test_bad_windows_accounts_are_refused(user):
    with pytest.raises(p.PlacementError, match="user_config_users"):
        p.user_config("windows", user, variable="user_config_users")


def test_managed_settings_user_is_checked():
    with pytest.raises(p.PlacementError, match="managed_settings_user"):
        p.managed_source("macos", "user", "../../etc/x")


@pytest.mark.parametrize("home", ["relative/home", "/", "/home", "/Users", "/home/../root", "C:\\"])
def test_bad_home_overrides(home):
    with pytest.raises(p.PlacementError, match="user_config_homes"):
        p.user_config("linux", "alice", home=home)


def test_confine_and_segments():
    assert p.confine("/home/a/./b", "/home/a", "linux") == "/home/a/b"
    for bad in ("/home/ab", "/home/a", "/etc/x", "home/a/b"):
        with pytest.raises(p.PlacementError):
            p.confine(bad, "/home/a", "linux")
    assert p.safe_segment("mac-01.example.org") == "mac-01.example.org"
    for bad in ("../../../../tmp/x", "..", "a/b", ""):
        with pytest.raises(p.PlacementError, match="inventory_hostname"):
            p.safe_segment(bad)


def test_shadow_sources_every_os():
    assert p.shadow_sources("macos", ["alice"]) == [
        "/Library/Managed Preferences/com.anthropic.claudefordesktop.plist",
        "/Library/Managed Preferences/alice/com.anthropic.claudefordesktop.plist"]
    assert p.shadow_sources("linux", ["alice"]) == ["/etc/claude-desktop/managed-settings.json"]
    assert p.shadow_sources("windows") == ["HKLM:\\SOFTWARE\\Policies\\Claude"]  # HKU\<SID> is read per user (config_file)
    with pytest.raises(p.PlacementError, match="claude_desktop_os"):
        p.shadow_sources("Darwin")
