"""Issue 21 item 13: `fleet.sh up` adds no user to the real machine and `down` leaves none.

A separate one-host fleet (FLEET_ID 250, outside the 20..219 range derived from checkout paths, its
own state directory), so the session fleet of the other tests is not touched. The test users exist
inside the host (its /etc is an overlay whose passwd/group/shadow copies carry them); on the real
machine `id alice` answers only if something else made alice (then the fleet uses that user as is).
"""

from __future__ import annotations

import os
import pwd
import subprocess

import pytest

from support.fleet import FLEET

pytestmark = pytest.mark.fleet
OTHER_ID = "250"


def _fleet(state, *args):
    env = dict(os.environ, FLEET_ID=OTHER_ID, FLEET_STATE_DIR=str(state))
    return subprocess.run(["bash", FLEET, *args], capture_output=True, text=True, env=env, check=False, timeout=120)


def _real_users():
    return set(p.pw_name for p in pwd.getpwall())


def test_fleet_users_live_in_the_hosts_only_and_down_removes_only_what_it_added(tmp_path):
    if os.geteuid() != 0:
        pytest.fail("needs root (network and mount namespaces), as CI runs it")
    state = tmp_path / "fleet"
    before = _real_users()
    up = _fleet(state, "up", "1")
    try:
        assert up.returncode == 0, up.stdout + up.stderr
        ours = [line.split() for line in (state / "test-users").read_text().splitlines()]
        assert [u[0] for u in ours] == ["alice", "bob"]
        for name, uid, *real in ours:
            if not real:  # made by this fleet: only inside the host
                assert name not in _real_users() - before, "%s was added to the real machine" % name
                assert int(uid) >= 61001
            inside = _fleet(state, "exec", "mac1", "--", "id", "-u", name)
            assert inside.returncode == 0 and inside.stdout.strip() == uid, inside.stdout + inside.stderr
            owner = _fleet(state, "exec", "mac1", "--", "stat", "-c", "%U", "/Users/%s" % name)
            assert owner.stdout.strip() == name, owner.stdout + owner.stderr
        made = set(line[0] for line in ours if len(line) == 2)  # "name uid"; a real user is "name uid real"
        assert not (_real_users() - before) & made
        # a user an older fleet.sh added with useradd (listed in created-users) goes with down, and only it
        legacy = "cdf%slegacy" % OTHER_ID
        subprocess.run(["useradd", "--no-create-home", "--shell", "/bin/sh", legacy], check=True)
        (state / "created-users").write_text(legacy + "\n")
    finally:
        down = _fleet(state, "down")
    assert down.returncode == 0, down.stdout + down.stderr
    assert not state.exists()
    after = _real_users()
    assert "cdf%slegacy" % OTHER_ID not in after
    assert before <= after  # nothing that was there is gone
    assert not (after - before) & made, after - before
    assert subprocess.run(["ip", "link", "show", "cdfleet" + OTHER_ID], capture_output=True, check=False).returncode != 0
