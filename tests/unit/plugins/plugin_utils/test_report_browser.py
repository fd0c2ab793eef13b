"""The fleet report at 10,000 hosts in headless Chromium (Debian's chromium): summary first, only flagged hosts as rows."""

from __future__ import annotations

import re

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils import _report
from support import browser

pytestmark = pytest.mark.realtools


def test_ten_thousand_hosts_read_top_down(tmp_path):
    ok_gw = {"ok": True, "latency_ms": 42, "failures": [], "provider": "gateway"}
    in_line = {"state": "in_line", "findings": [], "restart": {}, "os": "linux"}
    drift = {"state": "drifted", "os": "macos", "restart": {},
             "findings": [{"class": "value_drift", "severity": "error", "source": "/Library/Managed Preferences/x.plist",
                           "message": "coworkEgressAllowedHosts differs", "fix": "Redeploy", "key": "coworkEgressAllowedHosts"}]}
    hosts = [_report.host_entry("host%05d" % i, ("eng", "design", "finance")[i % 3], "linux", ok_gw, in_line) for i in range(10000)]
    hosts += [_report.host_entry("drift%02d" % i, "eng", "macos", ok_gw, drift) for i in range(25)]
    paths = _report.write(_report.build(hosts), str(tmp_path))
    dom = browser.dump_dom(paths["html"])
    assert re.search(r'id="count-in_line"[^>]*><b>10000</b>', dom) and re.search(r'id="count-drifted"[^>]*><b>25</b>', dom)
    assert len(re.findall(r'<tr class="host" id="host-drift\d\d">', dom)) == 25
    assert len(re.findall(r'<tr class="team">', dom)) == 3
    # the first screen holds the summary: the green and red cards are there, the 10,000 rows are folded away
    image = browser.screenshot(paths["html"], tmp_path / "fleet.png", width=1000, height=600)
    assert browser.count_colour(image, browser.hex_rgb(_report.COLOURS["in_line"])) > 2000
    assert browser.count_colour(image, browser.hex_rgb(_report.COLOURS["drifted"])) > 2000
    assert browser.count_colour(image, browser.hex_rgb(_report.COLOURS["needs_restart"])) == 0  # zero stays grey


def test_a_refused_key_is_never_shown_green(tmp_path):
    """Issue 21 item 11: machines in line whose gateway refuses the key are not counted (nor badged) "in line"."""
    refused = {"ok": False, "latency_ms": 9, "provider": "gateway",
               "failures": [{"class": "auth", "message": "the gateway refused the credentials (HTTP 401)", "fix": "Check the key"}]}
    in_line = {"state": "in_line", "findings": [], "restart": {}, "os": "linux"}
    hosts = [_report.host_entry("lin%02d" % i, "eng", "linux", refused, in_line) for i in range(3)]
    paths = _report.write(_report.build(hosts), str(tmp_path))
    dom = browser.dump_dom(paths["html"])
    assert re.search(r'id="count-in_line"[^>]*><b>0</b>', dom) and re.search(r'id="count-gateway_failing"[^>]*><b>3</b>', dom)
    assert len(re.findall(r'<tr class="host" id="host-lin\d\d">.*?data-state="gateway_failing"', dom)) == 3
    image = browser.screenshot(paths["html"], tmp_path / "refused.png", width=1000, height=700)
    assert browser.count_colour(image, browser.hex_rgb(_report.COLOURS["in_line"])) == 0  # no green anywhere
    assert browser.count_colour(image, browser.hex_rgb(_report.COLOURS["gateway_failing"])) > 2000
