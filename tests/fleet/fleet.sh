#!/usr/bin/env bash
# A real multi-host SSH test fleet on one Linux machine, for Molecule and the fleet tests.
#
#   tests/fleet/fleet.sh up [N]          bring up N hosts (default 3): mac1, linux1, mac2, linux2, ...
#   tests/fleet/fleet.sh down [--purge]  tear everything down (--purge also deletes the test users)
#   tests/fleet/fleet.sh stop-host NAME  stop one host's sshd (it becomes unreachable)
#   tests/fleet/fleet.sh start-host NAME start it again
#   tests/fleet/fleet.sh status          which hosts answer on port 22
#   tests/fleet/fleet.sh id              this checkout's fleet id (subnet 10.231.<id>.0/24)
#   tests/fleet/fleet.sh exec NAME -- CMD...   run CMD inside that host's namespaces
#
# Design. Each host is a network namespace (cdfleet<id>-<name>) on a bridge (cdfleet<id>, 10.231.<id>.1/24)
# running OpenSSH's sshd inside a private mount namespace. In that mount namespace the host gets:
#   /Library, /Users, /home   bind mounts of per-host directories from the state dir, so every
#                             "Mac" has its own /Library/Managed Preferences and user homes;
#   /var/lib/aiohub-claude-desktop   a bind mount of a per-host directory (the collection's records);
#   /etc                      an overlay (lower: the real /etc, upper: a per-host directory), so
#                             /etc/passwd and friends are shared but /etc/claude-desktop can be
#                             created and deleted per host and never exists on the real machine.
# Every SSH session is a child of that sshd and inherits its namespaces. Hosts marked macOS run the
# collection's macOS code paths (managed plist, ~/Library/...) against their own /Library tree.
# Only addresses inside the namespaces created here are used. Needs root, iproute2, util-linux, sshd.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd -P)
STATE=${FLEET_STATE_DIR:-$REPO/build/fleet}
# Each checkout gets its own fleet (bridge, subnet, namespaces, veths), so fleets of two checkouts or
# two scenarios never touch each other. FLEET_ID (20..219) comes from the checkout's path unless set.
FLEET_ID=${FLEET_ID:-$(printf %s "$REPO" | cksum | awk '{print $1 % 200 + 20}')}
if ! [[ $FLEET_ID =~ ^[0-9]+$ ]] || ((FLEET_ID < 1 || FLEET_ID > 254)); then echo "fleet: FLEET_ID must be 1..254" >&2; exit 1; fi
BRIDGE=cdfleet$FLEET_ID
NET=10.231.$FLEET_ID
PREFIX=cdfleet$FLEET_ID-
VETH=cdf$FLEET_ID-
SSHD=${SSHD:-/usr/sbin/sshd}
TEST_USERS=(alice bob)

die() { echo "fleet: $*" >&2; exit 1; }
need_root() { [ "$(id -u)" -eq 0 ] || die "must run as root (network and mount namespaces)"; }
host_names() {
  local n=$1 i mac=0 lin=0
  for ((i = 0; i < n; i++)); do
    if ((i % 2 == 0)); then mac=$((mac + 1)); echo "mac$mac"; else lin=$((lin + 1)); echo "linux$lin"; fi
  done
}
host_os() { case $1 in mac*) echo macos ;; *) echo linux ;; esac; }
hosts_up() { if [ -f "$STATE/hosts" ]; then cat "$STATE/hosts"; fi; }
sshd_pid() { if [ -f "$STATE/$1/sshd.pid" ]; then cat "$STATE/$1/sshd.pid" 2>/dev/null || true; fi; }
alive() { local pid; pid=$(sshd_pid "$1"); [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

start_sshd() {
  local name=$1 dir="$STATE/$1"
  alive "$name" && return 0
  rm -f "$dir/sshd.pid"
  # the mount namespace is private to this sshd and its sessions
  # shellcheck disable=SC2016  # the script runs inside the namespace and expands its own $1..$n
  setsid ip netns exec "$PREFIX$name" unshare --mount --propagation private sh -c '
    set -e
    d=$1
    mount --bind "$d/Library" /Library
    mount --bind "$d/Users" /Users
    mount --bind "$d/home" /home
    mount -t overlay overlay -o lowerdir=/etc,upperdir="$d/etc-upper",workdir="$d/etc-work" /etc
    mount --bind "$d/state" /var/lib/aiohub-claude-desktop
    exec "$2" -D -f "$d/sshd_config" -E "$d/sshd.log"
  ' fleet-host "$dir" "$SSHD" </dev/null >/dev/null 2>&1 &
  local i
  for ((i = 0; i < 100; i++)); do
    [ -s "$dir/sshd.pid" ] && alive "$name" && return 0
    sleep 0.1
  done
  die "sshd of $name did not start; see $dir/sshd.log"
}

stop_sshd() {
  local pid
  # every process of the host goes (sessions too), as when a machine drops off the network
  ip netns pids "$PREFIX$1" 2>/dev/null | xargs -r kill 2>/dev/null || true
  pid=$(sshd_pid "$1")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$STATE/$1/sshd.pid"
}

cmd_up() {
  need_root
  local n=${1:-3}
  if ! [[ $n =~ ^[0-9]+$ ]] || ((n < 1 || n > 40)); then die "N must be 1..40"; fi
  for tool in ip unshare nsenter ssh-keygen "$SSHD"; do command -v "$tool" >/dev/null || [ -x "$tool" ] || die "missing $tool (run scripts/ensure-system-deps.sh)"; done
  if [ -f "$STATE/hosts" ] && [ "$(wc -l <"$STATE/hosts")" -ne "$n" ]; then cmd_down; fi
  mkdir -p "$STATE" /run/sshd
  chmod 700 "$STATE"
  # /var/lib/aiohub-claude-desktop: where the collection keeps its records on Linux (placement.STATE_DIRS)
  for mp in /Library /Users /var/lib/aiohub-claude-desktop; do
    [ -e "$mp" ] || mkdir "$mp"
  done
  for u in "${TEST_USERS[@]}"; do
    if ! id "$u" >/dev/null 2>&1; then
      useradd --no-create-home --shell /bin/sh "$u"
      echo "$u" >>"$STATE/created-users"
    fi
  done
  [ -f "$STATE/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C fleet -f "$STATE/id_ed25519"
  [ -f "$STATE/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -f "$STATE/ssh_host_ed25519_key"
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    ip addr add "$NET.1/24" dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up
  host_names "$n" >"$STATE/hosts"
  local i=0 name dir os
  while read -r name; do
    i=$((i + 1))
    dir="$STATE/$name"
    os=$(host_os "$name")
    mkdir -p "$dir"/{Library,Users,home,etc-upper,etc-work,state}
    chmod 700 "$dir/state"
    # a stock Mac has /Library/Application Support (the collection's records live below it)
    [ "$os" = macos ] && mkdir -p "$dir/Library/Application Support"
    # the account database is the host's: on a "Mac" the test users' homes are /Users/<user> (what dscl and
    # getpwnam report on macOS), written to the host's /etc overlay; Linux hosts keep /home/<user>
    if [ "$os" = macos ]; then
      awk -F: -v OFS=: -v users=" ${TEST_USERS[*]} " 'index(users, " " $1 " ") { $6 = "/Users/" $1 } { print }' \
        /etc/passwd >"$dir/etc-upper/passwd.new"
      chmod 644 "$dir/etc-upper/passwd.new"
      mv "$dir/etc-upper/passwd.new" "$dir/etc-upper/passwd"
    fi
    for u in "${TEST_USERS[@]}"; do
      local home="$dir/home/$u"
      [ "$os" = macos ] && home="$dir/Users/$u"
      mkdir -p "$home"
      chown "$u:" "$home"
      chmod 755 "$home"
    done
    if ! ip netns list | grep -qw "$PREFIX$name"; then
      ip netns add "$PREFIX$name"
      ip link add "$VETH$name" type veth peer name eth0 netns "$PREFIX$name"
      ip link set "$VETH$name" master "$BRIDGE" up
      ip -n "$PREFIX$name" addr add "$NET.$((10 + i))/24" dev eth0
      ip -n "$PREFIX$name" link set eth0 up
      ip -n "$PREFIX$name" link set lo up
    fi
    cat >"$dir/sshd_config" <<CFG
ListenAddress $NET.$((10 + i))
Port 22
HostKey $STATE/ssh_host_ed25519_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $STATE/id_ed25519.pub
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
AcceptEnv LANG LC_*
CFG
    start_sshd "$name"
  done <"$STATE/hosts"
  write_inventory
  for name in $(hosts_up); do wait_port "$name" || die "$name does not answer on port 22"; done
  echo "fleet: $(wc -l <"$STATE/hosts") hosts up; inventory: $STATE/inventory.yml"
}

host_ip() { local i; i=$(grep -nx "$1" "$STATE/hosts" | cut -d: -f1); echo "$NET.$((10 + i))"; }

wait_port() {
  local ip; ip=$(host_ip "$1")
  for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/$ip/22") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

write_inventory() {
  local name
  {
    echo "---"
    echo "# Written by tests/fleet/fleet.sh; do not edit."
    echo "fleet:"
    echo "  vars:"
    echo "    ansible_user: root"
    echo "    ansible_ssh_private_key_file: $STATE/id_ed25519"
    echo "    ansible_ssh_common_args: -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=5"
    echo "    ansible_python_interpreter: /usr/bin/python3"
    echo "  children:"
    for os in macos linux; do
      echo "    $os:"
      echo "      vars:"
      echo "        claude_desktop_os: $os"
      echo "      hosts:"
      for name in $(hosts_up); do
        [ "$(host_os "$name")" = "$os" ] || continue
        echo "        $name:"
        echo "          ansible_host: $(host_ip "$name")"
      done
    done
  } >"$STATE/inventory.yml"
}

cmd_down() {
  need_root
  local purge=${1:-}
  for name in $(hosts_up); do stop_sshd "$name"; done
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$PREFIX" || true); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  for link in $(ip -o link show 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1 | grep "^$VETH" || true); do
    ip link del "$link" 2>/dev/null || true
  done
  ip link del "$BRIDGE" 2>/dev/null || true
  # The /Library and /Users mount points stay: another fleet may have bind mounts on them, and
  # removing a mount point would detach those.
  if [ "$purge" = --purge ] && [ -f "$STATE/created-users" ]; then
    while read -r u; do userdel "$u" 2>/dev/null || true; done <"$STATE/created-users"
    rm -f "$STATE/created-users"
  fi
  if [ -d "$STATE" ]; then
    local keep=""
    [ -f "$STATE/created-users" ] && keep=$(cat "$STATE/created-users")
    rm -rf "$STATE"
    if [ -n "$keep" ]; then mkdir -p "$STATE" && echo "$keep" >"$STATE/created-users"; fi
  fi
  echo "fleet: down"
}

cmd_status() {
  local name
  for name in $(hosts_up); do
    if wait_port "$name" 2>/dev/null; then echo "$name $(host_ip "$name") up"; else echo "$name $(host_ip "$name") down"; fi
  done
}

cmd_exec() {
  need_root
  local name=$1; shift
  [ "${1:-}" = -- ] && shift
  alive "$name" || die "$name is not running"
  nsenter --target "$(sshd_pid "$name")" --mount --net -- "$@"
}

case ${1:-} in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  stop-host) need_root; [ -n "${2:-}" ] || die "stop-host NAME"; stop_sshd "$2"; echo "fleet: $2 stopped" ;;
  start-host) need_root; [ -n "${2:-}" ] || die "start-host NAME"; start_sshd "$2"; wait_port "$2"; echo "fleet: $2 started" ;;
  status) cmd_status ;;
  id) echo "$FLEET_ID" ;;
  exec) shift; cmd_exec "$@" ;;
  *) sed -n '2,10p' "$0"; exit 2 ;;
esac
