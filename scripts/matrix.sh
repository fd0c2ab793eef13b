#!/usr/bin/env bash
# The ansible-core / Python matrix: sanity and unit tests on the oldest ansible-core that
# meta/runtime.yml's requires_ansible claims and on the newest release, each in its own venv on a
# Python it supports (pyenv provides 3.12/3.13 for ansible-core 2.20+).
#
# Usage: scripts/matrix.sh [core=python ...]   (default: the MATRIX below; the last entry is the newest)
# Each entry: venv build/matrix/core-<core>-py<python>, `pytest tests/unit -m "not realtools"`
# (the realtools checks do not depend on ansible-core and run in the main suite), then
# `ansible-test sanity` offline (scripts/ansible-test-offline.sh) with that venv's ansible-test.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
MATRIX=${*:-"2.21.5=3.13"}
PYENV_ROOT=${PYENV_ROOT:-$HOME/.pyenv}

find_python() {
  local want=$1 candidate
  for candidate in "$PYENV_ROOT"/versions/"$want".*/bin/python "$(command -v "python$want" || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; return 0; fi
  done
  echo "matrix: no Python $want found (pyenv install $want or apt install python$want)" >&2
  return 1
}

newest=${MATRIX##* }
# The matrix venvs hold ansible-core only; the collections the tests deploy with (ansible.windows, ...) come,
# as on a controller where they are installed apart, from the main venv's `ansible` package.
bundled=$("$REPO/.venv/bin/python" -c 'import ansible_collections, os; print(os.path.dirname(list(ansible_collections.__path__)[0]))')
SECONDS=0
for entry in $MATRIX; do
  core=${entry%%=*}
  py=${entry##*=}
  venv=$REPO/build/matrix/core-$core-py$py
  stamp=$venv/.installed-$(sha256sum "$REPO/tests/matrix/requirements.txt" | cut -c1-12)
  if [ ! -e "$stamp" ]; then
    rm -rf "$venv"
    "$(find_python "$py")" -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "ansible-core==$core" -r "$REPO/tests/matrix/requirements.txt"
    touch "$stamp"
  fi
  echo "== matrix: ansible-core $core on Python $py: unit tests"
  (cd "$REPO" && env -u ANSIBLE_COLLECTIONS_PATH ANSIBLE_COLLECTIONS_PATH="$REPO/build/collections:$bundled" PATH="$venv/bin:$PATH" \
    "$venv/bin/python" -m pytest tests/unit -q -p no:cacheprovider -m "not realtools")
  echo "== matrix: ansible-core $core on Python $py: sanity"
  # ShellCheck runs (same binary) in `make sanity`; there is no PowerShell for pslint. pylint, the
  # slowest test, runs on the newest core here and on the pinned core in `make sanity`.
  skip=(--skip-test shellcheck --skip-test pslint)
  [ "$entry" = "$newest" ] || skip+=(--skip-test pylint)
  BIN=$venv/bin PYTHON_VERSION=$py \
    bash "$REPO/scripts/ansible-test-offline.sh" "${skip[@]}"
done
echo "matrix: passed for $MATRIX in ${SECONDS}s"
