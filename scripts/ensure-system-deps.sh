#!/usr/bin/env bash
# Installs the real tools the test suite drives: plistutil, Wine, OpenSSH server, iproute2, openssl,
# ShellCheck (ansible-test sanity skips its shellcheck test silently when it is missing), and pandoc
# for the docsite pages.
# A missing tool is a failure, never a skip: without root and without the tools, this exits non-zero.
set -euo pipefail
declare -A need=(
  [plistutil]=libplist-utils
  [wine64]=wine64
  [sshd]=openssh-server
  [ssh]=openssh-client
  [ip]=iproute2
  [openssl]=openssl
  [unshare]=util-linux
  [rsync]=rsync
  [shellcheck]=shellcheck
  [pandoc]=pandoc
  [chromium]=chromium
)
missing=()
for cmd in "${!need[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || [ -x "/usr/lib/wine/$cmd" ] || missing+=("${need[$cmd]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-system-deps: missing packages: ${missing[*]} (run as root or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
