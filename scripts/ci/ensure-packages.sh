#!/usr/bin/env bash
# Installs the Debian packages that a CI stage relies on, only those that are missing.
#   ensure-packages.sh test        what `npm test` uses (Redis, Chromium, a CJK font, Tesseract with
#                                  Chinese and English, poppler for rendering scanned PDF pages)
#   ensure-packages.sh containers  what `npm run test:containers` uses (podman and its helpers,
#                                  iptables among them: podman's netavark networking needs it)
#   ensure-packages.sh --list STAGE  prints a stage's packages and installs nothing
# Each line of a stage is "<path or command that proves it is there> <package> [no-recommends]".
set -euo pipefail

stage_test() {
  cat <<'LIST'
redis-server redis-server
/usr/bin/chromium chromium no-recommends
/usr/share/fonts/truetype/wqy/wqy-microhei.ttc fonts-wqy-microhei no-recommends
tesseract tesseract-ocr no-recommends
/usr/share/tesseract-ocr/5/tessdata/eng.traineddata tesseract-ocr-eng no-recommends
/usr/share/tesseract-ocr/5/tessdata/chi_sim.traineddata tesseract-ocr-chi-sim no-recommends
pdftoppm poppler-utils no-recommends
LIST
}

stage_containers() {
  cat <<'LIST'
podman podman
runc runc
podman-compose podman-compose
docker-compose docker-compose no-recommends
debootstrap debootstrap
/usr/libexec/podman/catatonit catatonit
/usr/lib/podman/netavark netavark
/usr/lib/podman/aardvark-dns aardvark-dns
/usr/sbin/iptables iptables
ip iproute2
LIST
}

present() {
  case "$1" in
    /*) [ -e "$1" ] ;;
    *) command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ] ;;
  esac
}

stage() {
  case "${1:-}" in
    test) stage_test ;;
    containers) stage_containers ;;
    *) echo "usage: $0 [--list] test|containers" >&2; exit 2 ;;
  esac
}

# --list: the stage's packages, one a line, nothing installed (what the tests check).
if [ "${1:-}" = --list ]; then
  stage "${2:-}" | while read -r _ pkg _; do [ -z "$pkg" ] || echo "$pkg"; done
  exit 0
fi
list="$(stage "${1:-}")"

with=()
without=()
while read -r probe pkg flag; do
  [ -n "$probe" ] || continue
  present "$probe" && continue
  # docker-compose recommends a whole Docker engine, which podman replaces here.
  if [ "${flag:-}" = no-recommends ]; then without+=("$pkg"); else with+=("$pkg"); fi
done <<<"$list"

[ $((${#with[@]} + ${#without[@]})) -eq 0 ] && exit 0
echo "[ci] installing for '$1': ${with[*]} ${without[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt run (unattended upgrades, a parallel job) instead of failing on its lock.
apt=(apt-get -o DPkg::Lock::Timeout=900 -qq)
"${apt[@]}" update
[ ${#with[@]} -eq 0 ] || "${apt[@]}" install -y "${with[@]}" >/dev/null
[ ${#without[@]} -eq 0 ] || "${apt[@]}" install -y --no-install-recommends "${without[@]}" >/dev/null

missing=()
while read -r probe pkg _; do
  [ -n "$probe" ] || continue
  present "$probe" || missing+=("$pkg ($probe)")
done <<<"$list"
if [ ${#missing[@]} -gt 0 ]; then
  echo "[ci] still missing after install: ${missing[*]}" >&2
  exit 1
fi
