#!/usr/bin/env bash
# Prints the path of an nginx binary for `nginx -t` on the shipped configs: the installed one,
# else Debian's package unpacked into a temporary directory without installing the service.
set -euo pipefail
for bin in "$(command -v nginx 2>/dev/null || true)" /usr/sbin/nginx; do
  if [ -n "$bin" ] && [ -x "$bin" ]; then echo "$bin"; exit 0; fi
done
dir="$(mktemp -d "${TMPDIR:-/tmp}/cos-nginx-bin-XXXXXX")"
cd "$dir"
if ! apt-get -o DPkg::Lock::Timeout=900 download -qq nginx >/dev/null 2>&1; then
  apt-get -o DPkg::Lock::Timeout=900 update -qq
  apt-get download -qq nginx >/dev/null
fi
dpkg -x nginx_*.deb root
"$dir/root/usr/sbin/nginx" -v 2>/dev/null
echo "$dir/root/usr/sbin/nginx"
