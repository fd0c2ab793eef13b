"""Issue 21 item 12: `make demo`, the README's main command, from a fresh clone in at most 30 s on a
warm package cache: it installs only the runtime set (ansible-core and meta/ee-requirements.txt's
packages at requirements.txt's pins), never the development and test toolchain."""

from __future__ import annotations

import os
import subprocess
import time

from packaging.requirements import Requirement

from shipping_helpers import REPO

DEMO_SECONDS = 30


def _lines(path):
    with open(os.path.join(REPO, path), encoding="utf-8") as f:
        return [line.split("#")[0].strip() for line in f if line.split("#")[0].strip()]


def _runtime_pins():
    out = subprocess.run(["python3", os.path.join(REPO, "scripts", "runtime_requirements.py")], capture_output=True, text=True, check=True)
    return [Requirement(line) for line in out.stdout.split()]


def test_the_runtime_set_is_ansible_core_and_the_ee_requirements_at_the_dev_pins():
    pins = {r.name.lower(): r for r in _runtime_pins()}
    ranges = [Requirement(line) for line in _lines("meta/ee-requirements.txt")]
    assert set(pins) == {"ansible-core"} | {r.name.lower() for r in ranges}
    for wanted in ranges:  # each pin lies inside the range users get
        version = next(iter(pins[wanted.name.lower()].specifier)).version
        assert wanted.specifier.contains(version), (wanted, version)
    dev = {Requirement(line).name.lower(): line for line in _lines("requirements.txt")}
    assert all(str(r) == dev[name] for name, r in pins.items())


def test_make_demo_from_a_fresh_clone_installs_only_the_runtime_set_within_30_seconds(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", REPO, str(clone)], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "VIRTUAL_ENV", "FLEET_"))}
    env["PATH"] = ":".join(p for p in env.get("PATH", "").split(":") if "/.venv/" not in p)  # the clone makes its own venv
    start = time.monotonic()
    proc = subprocess.run(["make", "demo"], cwd=str(clone), capture_output=True, text=True, env=env, check=False, timeout=600)
    elapsed = time.monotonic() - start
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "demo: done" in proc.stdout
    assert (clone / "build" / "artifacts" / "mac-eng-01" / "claude-desktop.mobileconfig").is_file()
    freeze = subprocess.run([str(clone / ".venv" / "bin" / "python"), "-c",
                             "import importlib.metadata as m; print('\\n'.join(sorted(d.metadata['Name'].lower() for d in m.distributions())))"],
                            capture_output=True, text=True, check=True).stdout.split()
    for tool in ("pytest", "molecule", "ansible-lint", "hypothesis", "ansible", "sphinx", "galaxy-importer"):
        assert tool not in freeze, "%s is a development tool, not part of the demo's runtime set" % tool
    assert {"ansible-core", "pydantic"} <= set(freeze)
    assert elapsed <= DEMO_SECONDS, "make demo took %.1f s (at most %d s with a warm package cache)" % (elapsed, DEMO_SECONDS)
