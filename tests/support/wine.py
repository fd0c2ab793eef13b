"""Wine as a stand-in for Windows' registry: import a .reg with regedit /S, read it back exactly.

Used by the render tests and the Windows role tests. A missing Wine is a test failure
(run scripts/ensure-system-deps.sh), never a skip.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from ansible_collections.aiohub.claude_desktop.plugins.plugin_utils._render import parse_reg

WINE = shutil.which("wine64") or "/usr/lib/wine/wine64"


def wine_env(prefix):
    """Boot a fresh Wine prefix and return the environment that uses it."""
    if not os.path.exists(WINE):
        pytest.fail("Wine (wine64) is not installed: run scripts/ensure-system-deps.sh")
    env = dict(os.environ, WINEPREFIX=str(prefix), WINEDEBUG="-all")
    subprocess.run([WINE, "wineboot", "-i"], env=env, check=True, capture_output=True, timeout=300)
    return env


def _winpath(path):
    return "Z:" + str(path).replace("/", "\\")


def import_and_read(env, data, hive, tmp_path, clear=True):
    """Import .reg bytes with regedit /S and read <hive>\\Software\\Policies\\Claude back via reg export.

    reg query's console output goes through a code page and can mangle non-ASCII text; the
    export is a UTF-16 file, so it carries every value exactly.
    """
    key = "%s\\Software\\Policies\\Claude" % hive
    if clear:
        subprocess.run([WINE, "reg", "delete", key, "/f"], env=env, capture_output=True, check=False)
    src = tmp_path / "in.reg"
    src.write_bytes(data)
    subprocess.run([WINE, "regedit", "/S", _winpath(src)], env=env, check=True, capture_output=True, timeout=120)
    return read_values(env, hive, tmp_path)


def add_values(env, hive, values, clear=True):
    """Write each value as REG_SZ with `reg add`, as a policy engine writes a policy's values."""
    key = "%s\\Software\\Policies\\Claude" % hive
    if clear:
        subprocess.run([WINE, "reg", "delete", key, "/f"], env=env, capture_output=True, check=False)
    for name, data in values.items():
        subprocess.run([WINE, "reg", "add", key, "/v", name, "/t", "REG_SZ", "/d", data, "/f"],
                       env=env, check=True, capture_output=True, timeout=120)


def read_values(env, hive, tmp_path):
    """<hive>\\Software\\Policies\\Claude as {name: value}, read back through `reg export`."""
    key = "%s\\Software\\Policies\\Claude" % hive
    out = tmp_path / "out.reg"
    subprocess.run([WINE, "reg", "export", key, _winpath(out), "/y"], env=env, check=True, capture_output=True, timeout=120)
    exported_key, values = parse_reg(out.read_bytes())
    assert exported_key.lower() == key.lower()
    return values
