#!/usr/bin/env bash
# Reloads under load: coinsentryd on a veth pair at RATE packets/s from 10,000 hosts for SECONDS, `coinsentryctl
# reload` every 5 s (configuration, model, pool lists); prints how long each reload took, and the drops.
#   Benchmarks/soak/reload.sh [SECONDS] [RATE]      (default 60 100000; as root)
set -uo pipefail
source "$(dirname "$0")/lib.sh"
seconds="${1:-60}" rate="${2:-100000}"
build
trap teardown EXIT
veth
JSON_FILE="" start_daemon
echo "machine: $(machine); load average $(cut -d' ' -f1-3 /proc/loadavg)"
ip netns exec "$ns" "$work/blast" "$b" "$rate" "$seconds" steady 10000 5 >"$work/blast.out" 2>/dev/null &
sender=$!
reloads=0
while kill -0 "$sender" 2>/dev/null; do
  sleep 5
  kill -0 "$sender" 2>/dev/null || break
  started=$(date +%s.%N)
  summary=$(ctl reload 2>&1 | head -1)
  echo "reload $((++reloads)): $(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN{printf "%.0f ms", 1000*(e-s)}'): $summary"
done
wait "$sender"
sleep 2
cat "$work/blast.out"
stats_json | jq -r '.interfaces[0].counters | "packets \(.packets), kernel received \(.kernel_received); drops: kernel \(.kernel_dropped), interface \(.interface_dropped), ring \(.ring_dropped)"'
