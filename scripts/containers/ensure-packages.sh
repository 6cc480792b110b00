#!/usr/bin/env bash
# Installs the Debian packages the container suites need, only when some are missing.
set -euo pipefail
need=()
for cmd in podman runc podman-compose docker-compose debootstrap; do
  command -v "$cmd" >/dev/null 2>&1 || need+=("$cmd")
done
# catatonit backs `init: true`; netavark and aardvark-dns give compose networks their DNS.
[ -e /usr/libexec/podman/catatonit ] || need+=(catatonit)
[ -e /usr/lib/podman/netavark ] || need+=(netavark)
[ -e /usr/lib/podman/aardvark-dns ] || need+=(aardvark-dns)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
[ ${#need[@]} -eq 0 ] && exit 0
echo "[containers] installing: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
with_recommends=()
without=()
for pkg in "${need[@]}"; do
  # docker-compose recommends a whole Docker engine, which podman replaces here.
  if [ "$pkg" = docker-compose ]; then without+=("$pkg"); else with_recommends+=("$pkg"); fi
done
[ ${#with_recommends[@]} -eq 0 ] || apt-get install -y -qq "${with_recommends[@]}" >/dev/null
[ ${#without[@]} -eq 0 ] || apt-get install -y -qq --no-install-recommends "${without[@]}" >/dev/null
