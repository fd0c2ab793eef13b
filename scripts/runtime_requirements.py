"""Print the runtime set's pins: ansible-core and the packages of meta/ee-requirements.txt, at the
versions requirements.txt pins (what `make demo` installs; the test targets install the rest).

Standard library only: it runs before the venv has anything in it.
"""

from __future__ import annotations

import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _lines(path):
    with open(os.path.join(REPO, path), encoding="utf-8") as f:
        return [line.split("#")[0].strip() for line in f if line.split("#")[0].strip()]


def name(requirement):
    return re.split(r"[<>=!~ ;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def runtime_pins():
    wanted = ["ansible-core"] + [name(line) for line in _lines("meta/ee-requirements.txt")]
    pins = {name(line): line for line in _lines("requirements.txt") if "==" in line}
    missing = [n for n in wanted if n not in pins]
    if missing:
        raise SystemExit("requirements.txt pins no version of %s (a runtime requirement)" % ", ".join(missing))
    return [pins[n] for n in wanted]


if __name__ == "__main__":
    sys.stdout.write("".join(line + "\n" for line in runtime_pins()))
