"""Fixtures for tests against the network-namespace SSH fleet (tests/fleet/fleet.sh)."""

from __future__ import annotations

import os
import shutil
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/, for support.*
from support.fleet import fleet  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "fleet: needs root and brings up SSH hosts in network namespaces")


@pytest.fixture(scope="session")
def fleet_inventory(tmp_path_factory):
    if os.geteuid() != 0:
        pytest.fail("the fleet tests need root (network and mount namespaces); CI runs them as root")
    for tool in ("ip", "unshare", "nsenter", "ssh"):
        if not shutil.which(tool):
            pytest.fail("%s is missing: run scripts/ensure-system-deps.sh" % tool)
    if not os.path.exists("/usr/sbin/sshd"):
        pytest.fail("sshd is missing: run scripts/ensure-system-deps.sh")
    state = str(tmp_path_factory.mktemp("fleet-state"))
    os.environ["FLEET_STATE_DIR"] = state
    fleet("up", "3")
    try:
        yield os.path.join(state, "inventory.yml")
    finally:
        fleet("down", check=False)
        os.environ.pop("FLEET_STATE_DIR", None)
