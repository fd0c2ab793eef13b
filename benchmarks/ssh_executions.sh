#!/usr/bin/env bash
# Remote executions per host: `SSH: EXEC` lines of `ansible-playbook -vvv` (every ssh or sftp
# process Ansible starts) for deploy.yml (first run, rerun) and remove.yml, managed settings plus
# one user's local config (claude_desktop_mode: both), on the network-namespace SSH fleet.
# With a git ref, the same runs for that ref's collection side by side (e.g. the release before the
# apply module). Also prints wall times. Needs root.
#   benchmarks/ssh_executions.sh [N_HOSTS] [BASELINE_REF]
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$REPO/.venv/bin}
N=${1:-3}
BASE_REF=${2:-}
WORK=$(mktemp -d)
export FLEET_STATE_DIR=$WORK/fleet ANSIBLE_NOCOLOR=1
cleanup() {
  bash "$REPO/tests/fleet/fleet.sh" down >/dev/null 2>&1 || true
  [ -z "$BASE_REF" ] || git -C "$REPO" worktree remove --force "$WORK/base" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
bash "$REPO/tests/fleet/fleet.sh" up "$N" >/dev/null
INV=$FLEET_STATE_DIR/inventory.yml
cat >"$WORK/vars.yml" <<VARS
claude_desktop_config:
  inferenceProvider: gateway
  inferenceGatewayBaseUrl: https://api.aiohub.org
  inferenceGatewayApiKey: sk-test-benchmark-0000
  isDesktopExtensionEnabled: false
  coworkEgressAllowedHosts: [docs.aiohub.org]
claude_desktop_mode: both
claude_desktop_users: [alice]
claude_desktop_batches: [$N]
VARS

measure() {  # label checkout
  local label=$1 tree=$2 cols=$WORK/cols-$1
  mkdir -p "$cols/ansible_collections/aiohub"
  ln -sfn "$tree" "$cols/ansible_collections/aiohub/claude_desktop"
  for step in deploy:first deploy:rerun remove:remove; do
    local book=${step%%:*} name=${step##*:} log start end
    log=$WORK/$label-$name.log
    start=$(date +%s.%N)
    (cd "$tree" && ANSIBLE_CONFIG=$tree/ansible.cfg ANSIBLE_COLLECTIONS_PATH=$cols \
      "$BIN/ansible-playbook" -vvv -i "$INV" "playbooks/$book.yml" -e @"$WORK/vars.yml" >"$log" 2>&1) || true
    end=$(date +%s.%N)
    local per_host
    per_host=$(grep -o '^<[0-9.]*> SSH: EXEC' "$log" | sort | uniq -c | awk '{print $1}' | sort -n | uniq | paste -sd/)
    printf '%-10s %-8s %8s %10.1f  %s\n' "$label" "$name" "${per_host:-0}" "$(echo "$end - $start" | bc)" \
      "$(grep -A$((N + 1)) 'PLAY RECAP' "$log" | grep -o 'changed=[0-9]*' | sort | uniq -c | paste -sd' ')"
  done
}

printf '%-10s %-8s %8s %10s  %s\n' checkout run exec/host wall_s "recap changed counts"
if [ -n "$BASE_REF" ]; then
  git -C "$REPO" worktree add -q --detach "$WORK/base" "$BASE_REF"
  measure "$BASE_REF" "$WORK/base"
fi
measure current "$REPO"
