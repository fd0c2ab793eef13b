"""`make bench` is a measurement, not a gate; this only proves the script runs and reports."""

from __future__ import annotations

import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_bench_script_smoke_prints_the_controller_table():
    proc = subprocess.run([sys.executable, os.path.join(REPO, "benchmarks", "bench.py"), "--smoke"], capture_output=True,
                          text=True, cwd=REPO, env=dict(os.environ, BIN=os.path.dirname(sys.executable)), timeout=600, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    out = proc.stdout
    assert "| 50 | validate.yml |" in out and "| 50 | render.yml |" in out
    assert "| 50 hosts: validation < 1 ms per distinct config |" in out
    assert "sk-test-bench-" not in out
