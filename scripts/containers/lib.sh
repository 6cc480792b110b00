#!/usr/bin/env bash
# Shared settings for the container scripts: podman configuration for this kind of sandbox
# (runc + cgroupfs; crun and systemd cgroups are refused) and the local image names.
# Source it; it only defines variables and functions.

# Local stand-ins for the registry images, used where no registry is reachable.
: "${NODE_BASE_IMAGE:=localhost/node-base:$(node -p 'process.versions.node.split(".")[0]')}"
: "${REDIS_LOCAL_IMAGE:=localhost/redis-local:7}"
: "${NGINX_LOCAL_IMAGE:=localhost/nginx-local:1}"
: "${DEBIAN_BASE_IMAGE:=localhost/debian-minbase:bookworm}"
: "${DEBIAN_MIRROR:=http://deb.debian.org/debian}"
export NODE_BASE_IMAGE REDIS_LOCAL_IMAGE NGINX_LOCAL_IMAGE DEBIAN_BASE_IMAGE

log() { printf '[containers] %s\n' "$*" >&2; }

# Writes a containers.conf into $1 and exports CONTAINERS_CONF, unless one is already set.
podman_conf() {
  if [ -n "${CONTAINERS_CONF:-}" ] && [ -f "$CONTAINERS_CONF" ]; then return 0; fi
  cat >"$1/containers.conf" <<'CONF'
[containers]
default_ulimits = []
[engine]
cgroup_manager = "cgroupfs"
runtime = "runc"
CONF
  export CONTAINERS_CONF="$1/containers.conf"
}

image_exists() { podman image exists "$1"; }
