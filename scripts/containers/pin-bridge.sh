#!/usr/bin/env bash
# Creates the bridge of podman network $1 with a fixed MAC address and the network's gateway
# address, unless it exists already; prints the bridge name when it created it.
# netavark 1.4 (Debian 12) leaves the bridge's MAC to the kernel, which changes it whenever a
# container with a lower MAC joins: containers that resolved the gateway earlier then stop
# hearing back from it (DNS, published ports) until their ARP entry expires. netavark uses an
# existing bridge as it is and removes it when the network's last container leaves.
set -euo pipefail
read -r bridge subnet gateway < <(podman network inspect \
  --format '{{.NetworkInterface}} {{range .Subnets}}{{.Subnet}} {{.Gateway}}{{end}}' "$1")
[ -e "/sys/class/net/$bridge" ] && exit 0
mac="02:$(od -An -N5 -tx1 /dev/urandom | xargs | tr ' ' ':')"
ip link add "$bridge" type bridge
ip link set "$bridge" address "$mac"
ip addr add "$gateway/${subnet#*/}" dev "$bridge"
ip link set "$bridge" up
echo "$bridge"
