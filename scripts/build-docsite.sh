#!/usr/bin/env bash
# Build the collection's docsite with antsibull-docs, offline: plugin and role docs from the
# collection, plus the admin guides (docs/docsite/extra-docs.yml; pages generated from docs/*.md by
# scripts/docsite_pages.py, which pandoc runs). Intersphinx is switched off (it would fetch the
# inventories of docs.ansible.com and docs.python.org). Output: build/docsite/build/html/.
# Usage: scripts/build-docsite.sh   (BIN: the venv's bin directory)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$REPO/.venv/bin}
DEST=$REPO/build/docsite
export PATH=$BIN:$PATH
export ANSIBLE_COLLECTIONS_PATH=${ANSIBLE_COLLECTIONS_PATH:-$REPO/build/collections}
command -v pandoc >/dev/null || { echo "build-docsite: pandoc is not installed (scripts/ensure-system-deps.sh)" >&2; exit 1; }

# the generated pages must match their Markdown source (committed, so Galaxy users have them too)
"$BIN/python" "$REPO/scripts/docsite_pages.py" --check
# plugin docs, role argument specs and extra docs as the Ansible docsite checks them
(cd "$ANSIBLE_COLLECTIONS_PATH/ansible_collections/aiohub/claude_desktop" &&
  "$BIN/antsibull-docs" lint-collection-docs --plugin-docs --skip-rstcheck .)

rm -rf "$DEST"
mkdir -p "$(dirname "$DEST")"
mkdir -m 0755 "$DEST"
"$BIN/antsibull-docs" sphinx-init --use-current --fail-on-error --dest-dir "$DEST" aiohub.claude_desktop
# offline: no intersphinx inventories
printf '\nintersphinx_mapping = {}\n' >>"$DEST/conf.py"
cd "$DEST"
"$BIN/antsibull-docs" collection --use-current --fail-on-error --dest-dir rst aiohub.claude_desktop
"$BIN/sphinx-build" -M html rst build -c . -q -w warnings.txt
# Offline, references into docs.ansible.com and other collections cannot resolve (intersphinx is
# off); every other warning, and any undefined label of this collection, fails the build.
if grep -v "WARNING: undefined label: '" warnings.txt | grep . ||
   grep -E "undefined label: 'ansible_collections\.aiohub\.claude_desktop\." warnings.txt; then
  echo "build-docsite: Sphinx warnings above" >&2
  exit 1
fi
test -f build/html/collections/aiohub/claude_desktop/docsite/quickstart.html
echo "docsite: $DEST/build/html/collections/aiohub/claude_desktop/index.html"
