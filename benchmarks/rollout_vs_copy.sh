#!/usr/bin/env bash
# Rollout speed: playbooks/deploy.yml (validate + render + deploy, managed mode) against a plain
# copy playbook (benchmarks/plain_copy.yml) on the same network-namespace SSH fleet, side by side
# in one run. Prints wall times of a first (changing) and a second (no change) run, and the ratios.
# Target: deploy.yml <= 1.5x the plain copy. Needs root. Usage: benchmarks/rollout_vs_copy.sh [N] [ROUNDS]
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$REPO/.venv/bin}
N=${1:-3}
ROUNDS=${2:-3}
export ANSIBLE_CONFIG=$REPO/ansible.cfg ANSIBLE_COLLECTIONS_PATH=$REPO/build/collections ANSIBLE_NOCOLOR=1
WORK=$(mktemp -d)
export FLEET_STATE_DIR=$WORK/fleet
trap 'bash "$REPO/tests/fleet/fleet.sh" down >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
bash "$REPO/tests/fleet/fleet.sh" up "$N" >/dev/null
INV=$FLEET_STATE_DIR/inventory.yml
cat >"$WORK/vars.yml" <<VARS
claude_desktop_config:
  inferenceProvider: gateway
  inferenceGatewayBaseUrl: https://api.aiohub.org
  inferenceGatewayApiKey: sk-test-benchmark-0000
  isDesktopExtensionEnabled: false
  coworkEgressAllowedHosts: [docs.aiohub.org, github.com]
claude_desktop_batches: [$N]
VARS
# the baseline copies the same bytes the collection would write
"$BIN/ansible-playbook" -i "$INV" "$REPO/playbooks/render.yml" -e @"$WORK/vars.yml" -e claude_desktop_artifacts_dir="$WORK/artifacts" -e '{"claude_desktop_render_all_formats": true}' >/dev/null

clean() {
  local hosts h
  mapfile -t hosts <"$FLEET_STATE_DIR/hosts"
  for h in "${hosts[@]}"; do
    bash "$REPO/tests/fleet/fleet.sh" exec "$h" -- rm -rf /etc/claude-desktop "/Library/Managed Preferences"
  done
}
timed() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); echo "$end - $start" | bc; }
declare -A total=([copy1]=0 [copy2]=0 [deploy1]=0 [deploy2]=0)
for ((r = 1; r <= ROUNDS; r++)); do
  clean
  total[copy1]=$(echo "${total[copy1]} + $(timed "$BIN/ansible-playbook" -i "$INV" "$REPO/benchmarks/plain_copy.yml" -e bench_artifacts="$WORK/artifacts")" | bc)
  total[copy2]=$(echo "${total[copy2]} + $(timed "$BIN/ansible-playbook" -i "$INV" "$REPO/benchmarks/plain_copy.yml" -e bench_artifacts="$WORK/artifacts")" | bc)
  clean
  total[deploy1]=$(echo "${total[deploy1]} + $(timed "$BIN/ansible-playbook" -i "$INV" "$REPO/playbooks/deploy.yml" -e @"$WORK/vars.yml")" | bc)
  total[deploy2]=$(echo "${total[deploy2]} + $(timed "$BIN/ansible-playbook" -i "$INV" "$REPO/playbooks/deploy.yml" -e @"$WORK/vars.yml")" | bc)
done
printf 'hosts=%s rounds=%s (mean wall seconds)\n' "$N" "$ROUNDS"
for run in 1 2; do
  c=$(echo "scale=2; ${total[copy$run]} / $ROUNDS" | bc); d=$(echo "scale=2; ${total[deploy$run]} / $ROUNDS" | bc)
  printf '%s run: plain copy %6.2fs  deploy.yml %6.2fs  ratio %.2f\n' "$([ $run = 1 ] && echo first || echo second)" "$c" "$d" "$(echo "scale=3; $d / $c" | bc)"
done
