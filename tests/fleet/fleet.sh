#!/usr/bin/env bash
# A real multi-host SSH test fleet on one Linux machine, for Molecule and the fleet tests.
#
#   tests/fleet/fleet.sh up [N]          bring up N hosts (default 3): mac1, linux1, mac2, linux2, ...
#   tests/fleet/fleet.sh down            tear everything down
#   tests/fleet/fleet.sh stop-host NAME  stop one host's sshd (it becomes unreachable)
#   tests/fleet/fleet.sh start-host NAME start it again
#   tests/fleet/fleet.sh status          which hosts answer on port 22
#   tests/fleet/fleet.sh id              this checkout's fleet id (subnet 10.231.<id>.0/24)
#   tests/fleet/fleet.sh exec NAME -- CMD...   run CMD inside that host's namespaces
#   tests/fleet/fleet.sh app-version NAME VERSION|none   the fake Claude Desktop build the host reports
#
# Design. Each host is a network namespace (cdfleet<id>-<name>) on a bridge (cdfleet<id>, 10.231.<id>.1/24)
# running OpenSSH's sshd inside a private mount namespace. In that mount namespace the host gets:
#   /Library, /Users, /home   bind mounts of per-host directories from the state dir, so every
#                             "Mac" has its own /Library/Managed Preferences and user homes;
#   /var/lib/aiohub-claude-desktop   a bind mount of a per-host directory (the collection's records);
#   /Applications             a bind mount of a per-host directory holding a fake Claude.app (Info.plist with
#                             CFBundleShortVersionString $FLEET_APP_VERSION) on "Macs", for the drift audit;
#   /var/lib/dpkg             an overlay whose status file lists a fake claude-desktop package of that version
#                             on Linux hosts (dpkg-query reads it; nothing is installed on the real machine);
#   /etc                      an overlay (lower: the real /etc, upper: a per-host directory), so
#                             /etc/claude-desktop can be created and deleted per host and never
#                             exists on the real machine. The test users (alice, bob) exist only in
#                             the hosts' /etc/passwd, /etc/group and /etc/shadow (copies in the upper
#                             directory): the real machine gets no user, and `down` leaves none.
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
FIRST_TEST_UID=61001
# The Claude Desktop build the fleet's fake app reports (tests change it per host with fleet.sh app-version).
FLEET_APP_VERSION=${FLEET_APP_VERSION:-1.46388.4}

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
    mount --bind "$d/Applications" /Applications
    mount -t overlay overlay -o lowerdir=/var/lib/dpkg,upperdir="$d/dpkg-upper",workdir="$d/dpkg-work" /var/lib/dpkg
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

# The test users: a real user of that name is used as is (not ours); otherwise a free uid/gid from
# FIRST_TEST_UID on, recorded in $STATE/test-users ("name uid"), for the hosts' /etc only.
assign_test_users() {
  local u uid=$FIRST_TEST_UID
  [ -f "$STATE/test-users" ] && return 0
  : >"$STATE/test-users.new"
  for u in "${TEST_USERS[@]}"; do
    if id "$u" >/dev/null 2>&1; then
      echo "$u $(id -u "$u") real" >>"$STATE/test-users.new"
      continue
    fi
    while getent passwd "$uid" >/dev/null || getent group "$uid" >/dev/null; do uid=$((uid + 1)); done
    echo "$u $uid" >>"$STATE/test-users.new"
    uid=$((uid + 1))
  done
  mv "$STATE/test-users.new" "$STATE/test-users"
}

test_uid() { awk -v u="$1" '$1 == u {print $2}' "$STATE/test-users"; }

# Write the hosts' copies of passwd, group and shadow with the test users (before the overlay is mounted).
add_test_users() {
  local upper=$1 u uid
  for f in passwd group shadow; do
    [ -f "$upper/$f" ] || cp -p "/etc/$f" "$upper/$f"
  done
  while read -r u uid real; do
    [ -n "$real" ] && continue
    grep -q "^$u:" "$upper/passwd" || echo "$u:x:$uid:$uid:fleet test user:/home/$u:/bin/sh" >>"$upper/passwd"
    grep -q "^$u:" "$upper/group" || echo "$u:x:$uid:" >>"$upper/group"
    grep -q "^$u:" "$upper/shadow" || echo "$u:!:19000::::::" >>"$upper/shadow"
  done <"$STATE/test-users"
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
  for mp in /Library /Users /Applications /var/lib/aiohub-claude-desktop; do
    [ -e "$mp" ] || mkdir "$mp"
  done
  assign_test_users
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
    mkdir -p "$dir"/{Library,Users,home,etc-upper,etc-work,state,Applications,dpkg-upper,dpkg-work}
    chmod 700 "$dir/state"
    alive "$name" || add_test_users "$dir/etc-upper"
    set_app_version "$name" "$FLEET_APP_VERSION"
    # a stock Mac has /Library/Application Support (the collection's records live below it)
    [ "$os" = macos ] && mkdir -p "$dir/Library/Application Support"
    # the account database is the host's: on a "Mac" the test users' homes are /Users/<user> (what dscl and
    # getpwnam report on macOS), rewritten in the host's /etc overlay copy (add_test_users made it); Linux hosts keep
    # /home/<user>
    if [ "$os" = macos ]; then
      awk -F: -v OFS=: -v users=" ${TEST_USERS[*]} " 'index(users, " " $1 " ") { $6 = "/Users/" $1 } { print }' \
        "$dir/etc-upper/passwd" >"$dir/etc-upper/passwd.new"
      chmod 644 "$dir/etc-upper/passwd.new"
      mv "$dir/etc-upper/passwd.new" "$dir/etc-upper/passwd"
    fi
    for u in "${TEST_USERS[@]}"; do
      local home="$dir/home/$u"
      [ "$os" = macos ] && home="$dir/Users/$u"
      mkdir -p "$home"
      chown "$(test_uid "$u"):$(test_uid "$u")" "$home"
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

# The fake installed app of a host: VERSION, or "none" for not installed. macOS hosts: the bundle's
# Info.plist; Linux hosts: a claude-desktop stanza in the overlaid dpkg status file.
set_app_version() {
  local name=$1 version=$2 dir="$STATE/$1"
  if [ "$(host_os "$name")" = macos ]; then
    rm -rf "$dir/Applications/Claude.app"
    [ "$version" = none ] && return 0
    mkdir -p "$dir/Applications/Claude.app/Contents"
    cat >"$dir/Applications/Claude.app/Contents/Info.plist" <<PLIST
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
<key>CFBundleIdentifier</key><string>com.anthropic.claudefordesktop</string>
<key>CFBundleName</key><string>Claude</string>
<key>CFBundleShortVersionString</key><string>$version</string>
<key>CFBundleVersion</key><string>$version</string>
</dict></plist>
PLIST
  else
    local stanza="" filter='BEGIN{RS=""; ORS="\n\n"} !/^Package: claude-desktop\n/'
    [ "$version" = none ] || stanza=$(printf 'Package: claude-desktop\nStatus: install ok installed\nPriority: optional\nSection: misc\nMaintainer: fleet test <fleet@test.invalid>\nArchitecture: all\nVersion: %s\nDescription: fake Claude Desktop of the test fleet' "$version")
    # shellcheck disable=SC2016  # expanded by the inner sh
    local script='awk "$1" "$2" >"$3.new" && { [ -z "$4" ] || printf "%s\n\n" "$4" >>"$3.new"; } && mv "$3.new" "$3"'
    if alive "$name"; then
      # a running host: write through its mount namespace (the overlay copies the file up)
      nsenter --target "$(sshd_pid "$name")" --mount -- sh -c "$script" fleet "$filter" /var/lib/dpkg/status /var/lib/dpkg/status "$stanza"
    else
      local lower=/var/lib/dpkg/status
      [ -f "$dir/dpkg-upper/status" ] && lower="$dir/dpkg-upper/status"
      sh -c "$script" fleet "$filter" "$lower" "$dir/dpkg-upper/status" "$stanza"
    fi
  fi
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
  # Users added to the real machine by an earlier version of this script (created-users): only those go.
  if [ -f "$STATE/created-users" ]; then
    while read -r u; do userdel "$u" 2>/dev/null || true; done <"$STATE/created-users"
  fi
  rm -rf "$STATE"
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
  app-version) [ -n "${3:-}" ] || die "app-version NAME VERSION|none"; set_app_version "$2" "$3"; echo "fleet: $2 app $3" ;;
  *) sed -n '2,11p' "$0"; exit 2 ;;
esac
