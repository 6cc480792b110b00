#!/usr/bin/env bash
# Builds the local base images that stand in for registry images on machines with no image
# registry: a Debian bookworm minbase (debootstrap), a Node base from the host's own Node,
# a Redis and an nginx from Debian's packages. Each is skipped when it already exists.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
podman_conf "$work"
node_version="$(node -p process.versions.node)"

node_base_current() {
  image_exists "$NODE_BASE_IMAGE" &&
    [ "$(podman image inspect --format '{{index .Labels "org.context-os.node-version"}}' "$NODE_BASE_IMAGE")" = "$node_version" ]
}

build_debian_base() {
  image_exists "$DEBIAN_BASE_IMAGE" && return 0
  log "debootstrap bookworm minbase -> $DEBIAN_BASE_IMAGE"
  local rootfs="$work/rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" "$DEBIAN_MIRROR" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; return 1; }
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb
  tar -C "$rootfs" -c . | podman import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV DEBIAN_FRONTEND=noninteractive' \
    --change 'CMD ["/bin/bash"]' \
    - "$DEBIAN_BASE_IMAGE" >/dev/null
  rm -rf "$rootfs"
}

build_node_base() {
  node_base_current && return 0
  log "building $NODE_BASE_IMAGE (Node $node_version)"
  local ctx="$work/node-base"
  mkdir -p "$ctx"
  cp "$here/images/node-base/Containerfile" "$ctx/"
  cp "$(command -v node)" "$ctx/node"
  cp -r "$(npm root -g)/npm" "$ctx/npm"
  local nodedir
  nodedir="$(npm config get nodedir 2>/dev/null || true)"
  if [ -z "$nodedir" ] || [ "$nodedir" = undefined ] || [ ! -d "$nodedir/include/node" ]; then
    nodedir="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  fi
  cp -r "$nodedir/include/node" "$ctx/include-node"
  cp /etc/ssl/certs/ca-certificates.crt "$ctx/ca-bundle.crt"
  podman build -q --format docker --build-arg BASE_IMAGE="$DEBIAN_BASE_IMAGE" \
    --build-arg NODE_VERSION="$node_version" -t "$NODE_BASE_IMAGE" "$ctx" >/dev/null
}

build_from_debian() {
  local image="$1" dir="$2"
  image_exists "$image" && return 0
  log "building $image"
  podman build -q --format docker --build-arg BASE_IMAGE="$DEBIAN_BASE_IMAGE" -t "$image" "$here/images/$dir" >/dev/null
}

if node_base_current && image_exists "$REDIS_LOCAL_IMAGE" && image_exists "$NGINX_LOCAL_IMAGE"; then
  log "base images present: $NODE_BASE_IMAGE $REDIS_LOCAL_IMAGE $NGINX_LOCAL_IMAGE"
  exit 0
fi
build_debian_base
build_node_base
build_from_debian "$REDIS_LOCAL_IMAGE" redis
build_from_debian "$NGINX_LOCAL_IMAGE" nginx
log "base images ready: $NODE_BASE_IMAGE $REDIS_LOCAL_IMAGE $NGINX_LOCAL_IMAGE"
