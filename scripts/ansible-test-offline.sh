#!/usr/bin/env bash
# Run ansible-test sanity without reaching ci-files.testing.ansible.com.
#
# ansible-test bootstraps pip into each sanity venv with a get-pip script it downloads from
# ci-files.testing.ansible.com (unreachable here and in CI). It first looks for a cached copy at
# ~/.ansible/test/cache/get_pip_<version>.py, so we place a stand-in there that installs the pip
# wheel from PyPI (downloaded once with `pip download`). Everything else ansible-test installs comes
# from PyPI as usual. ansible-test must run from .../ansible_collections/<ns>/<name> and resolves
# symlinks, so the collection is copied (tracked and untracked, not ignored files) to a temp dir.
#
# Usage: scripts/ansible-test-offline.sh [ansible-test sanity options...]
set -euo pipefail
# ansible-test skips its shellcheck test without a word when shellcheck is missing: fail instead.
command -v shellcheck >/dev/null || { echo "ansible-test-offline: shellcheck is not installed (scripts/ensure-system-deps.sh)" >&2; exit 1; }
REPO=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$REPO/.venv/bin}
PY=$BIN/python
# pip (and, for ansible-core < 2.17, setuptools and wheel) versions ansible-test bootstraps
BOOTSTRAP=$("$PY" - <<'PY'
import re, inspect
from ansible_test._internal import python_requirements as p
source = inspect.getsource(p.get_venv_packages)
block = source[source.index("default_packages"):]
block = block[:block.index(")")]
print(" ".join("%s==%s" % m for m in re.findall(r"(\w+)='([0-9.]+)'", block)))
PY
)
PIP_VERSION=${BOOTSTRAP#pip==}
PIP_VERSION=${PIP_VERSION%% *}
CACHE=$HOME/.ansible/test/cache
STANDIN=$CACHE/get_pip_${PIP_VERSION//./_}.py
mkdir -p "$CACHE"
for req in $BOOTSTRAP; do
  if ! ls "$CACHE/${req%%==*}-${req#*==}"-*.whl >/dev/null 2>&1; then
    "$PY" -m pip download --quiet --no-deps --only-binary :all: --dest "$CACHE" "$req"
  fi
done
if ! grep -q "aiohub stand-in" "$STANDIN" 2>/dev/null; then
  cat >"$STANDIN" <<PY
# aiohub stand-in for get-pip.py: installs pip ${PIP_VERSION} from the wheel cached beside it.
import glob, os, sys
here = os.path.dirname(os.path.abspath(__file__))
wheel = glob.glob(os.path.join(here, "pip-${PIP_VERSION}-*.whl"))[0]
sys.path.insert(0, wheel)
from pip._internal.cli.main import main
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]
sys.exit(main(["install", "--no-index", "--find-links", here] + args))
PY
fi

# outside the repository: inside it, ansible-test would ask git and skip the ignored build/ tree
# (a fresh directory per run, so two checkouts running sanity at once never share one)
ROOT=${ANSIBLE_TEST_ROOT:-$(mktemp -d "${TMPDIR:-/tmp}/aiohub-claude-desktop-sanity.XXXXXX")}
DEST=$ROOT/ansible_collections/aiohub/claude_desktop
rm -rf "$DEST"
mkdir -p "$DEST"
git -C "$REPO" ls-files -z --cached --others --exclude-standard | (cd "$REPO" && xargs -0 -I{} cp --parents -P {} "$DEST"/ 2>/dev/null) || true
cd "$DEST"
export PATH=$BIN:$PATH
exec "$BIN/ansible-test" sanity --python "${PYTHON_VERSION:-3.11}" --color no "$@"
