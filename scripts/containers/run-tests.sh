#!/usr/bin/env bash
# `npm run test:containers`: installs what is missing, builds the local base images (cached),
# starts podman's Docker-compatible socket, runs the container suites and, whatever their
# outcome, removes the containers, networks and volumes of this run and stops the socket by pid.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=scripts/containers
# shellcheck source=lib.sh
source "$here/lib.sh"

# podman, runc, netavark, aardvark-dns, catatonit, iptables (podman's networking), docker-compose...:
# installed here when missing, checked again after installing (scripts/ci/ensure-packages.sh).
bash scripts/ci/ensure-packages.sh containers

run_dir="$(mktemp -d "${TMPDIR:-/tmp}/cos-containers-XXXXXX")"
run_id="$(basename "$run_dir" | tr 'A-Z' 'a-z' | tr -cd 'a-z0-9')"
export CONTAINERS_RUN_ID="$run_id"
export COMPOSE_PROJECT_NAME="cosct${run_id#coscontainers}"
socket_pid=""
vitest_pid=""
pinned_bridge=""

remove_run_resources() {
  local ids
  ids="$(podman ps -aq --filter "label=org.context-os.test-run=$run_id" 2>/dev/null || true)"
  ids+=" $(podman ps -aq --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" 2>/dev/null || true)"
  ids="$(echo "$ids" | xargs)"
  if [ -n "$ids" ]; then
    log "removing leftover containers: $ids"
    # shellcheck disable=SC2086
    podman rm -f -v -t 2 $ids >/dev/null 2>&1 || true
  fi
  local vols nets
  vols="$(podman volume ls -q --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" 2>/dev/null | xargs)"
  # shellcheck disable=SC2086
  [ -z "$vols" ] || podman volume rm -f $vols >/dev/null 2>&1 || true
  local net bridge
  for net in $(podman network ls -q --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" 2>/dev/null) \
    $(podman network ls -q --filter "label=org.context-os.test-run=$run_id" 2>/dev/null); do
    bridge="$(podman network inspect --format '{{.NetworkInterface}}' "$net" 2>/dev/null || true)"
    podman network rm -f "$net" >/dev/null 2>&1 || true
    # The stack test creates its network's bridge itself (see tests/containers/helpers/network.ts).
    if [ -n "$bridge" ] && [ -e "/sys/class/net/$bridge" ]; then ip link del "$bridge" 2>/dev/null || true; fi
  done
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$vitest_pid" ] && kill -0 "$vitest_pid" 2>/dev/null; then
    kill -TERM "$vitest_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$vitest_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$vitest_pid" 2>/dev/null || true
  fi
  remove_run_resources
  if [ -n "$pinned_bridge" ] && [ -e "/sys/class/net/$pinned_bridge" ] &&
    [ -z "$(podman ps -q --filter network=podman 2>/dev/null)" ]; then
    ip link del "$pinned_bridge" 2>/dev/null || true
  fi
  if [ -n "$socket_pid" ] && kill -0 "$socket_pid" 2>/dev/null; then
    kill -TERM "$socket_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$socket_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$socket_pid" 2>/dev/null || true
    wait "$socket_pid" 2>/dev/null || true
  fi
  rm -rf "$run_dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

podman_conf "$run_dir"
bash "$here/build-base-images.sh"
# Each run retags the app images; the untagged ones left by earlier runs go after an hour
# (the build cache, held by intermediate images, stays).
podman image prune -f --filter until=1h >/dev/null 2>&1 || true

# testcontainers puts its containers on podman's default network.
pinned_bridge="$(bash "$here/pin-bridge.sh" podman)"

socket="$run_dir/podman.sock"
podman system service --time 0 "unix://$socket" >"$run_dir/podman-service.log" 2>&1 &
socket_pid=$!
export DOCKER_HOST="unix://$socket"
for _ in $(seq 100); do
  node -e "require('http').get({socketPath:process.argv[1],path:'/_ping'},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))" "$socket" && break
  kill -0 "$socket_pid" 2>/dev/null || { cat "$run_dir/podman-service.log" >&2; exit 1; }
  sleep 0.1
done
log "podman socket up (pid $socket_pid) at $DOCKER_HOST"

export TESTCONTAINERS_RYUK_DISABLED=true
export TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1
export CONTAINERS_WORK_DIR="$run_dir"
# In the background so that a signal to this script is handled at once (cleanup above).
node_modules/.bin/vitest run --config vitest.containers.config.ts "$@" &
vitest_pid=$!
wait "$vitest_pid"
