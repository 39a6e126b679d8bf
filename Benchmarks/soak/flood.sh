#!/usr/bin/env bash
# The flood: SYNs from new source ports at RATE packets/s, a source address never seen before every 16th frame, for
# SECONDS, while one host that was there before the flood keeps speaking clear-text stratum. Prints whether the host
# and flow tables stayed within their bounds, what was refused and evicted (counted), drops, RSS, and whether the
# staying host's alert was raised.
#   Benchmarks/soak/flood.sh [SECONDS] [RATE]      (default 120 100000; as root)
set -uo pipefail
source "$(dirname "$0")/lib.sh"
seconds="${1:-120}" rate="${2:-100000}"
max_hosts=16384
build
trap teardown EXIT
veth
start_daemon "max_hosts = $max_hosts"
echo "machine: $(machine)"
echo "flood: $seconds s at $rate packets/s; host table $max_hosts"
rss_start=$(rss_kib "$daemon_pid")
start=$(date +%s.%N)
# The miner starts at 0 s: it is in the host table before the flood fills it.
ip netns exec "$ns" "$work/blast" "$b" "$rate" "$seconds" flood 1 0 0 >"$work/blast.out" 2>"$work/blast.log"
sleep 12
stats_json | jq -r --arg rss0 "$rss_start" --arg rss "$(rss_kib "$daemon_pid")" --arg max "$max_hosts" '
  .interfaces[0].counters as $c |
  "hosts tracked \($c.hosts_tracked) (bound \($max): \(if $c.hosts_tracked <= ($max | tonumber) then "within" else "EXCEEDED" end)), packets of further hosts refused and counted (host_table_full) \($c.host_table_full)",
  "flows tracked \($c.flows_tracked), evicted \($c.flows_evicted), expired \($c.flows_expired), not tracked \($c.flows_not_tracked)",
  "packets \($c.packets), kernel received \($c.kernel_received); drops: kernel \($c.kernel_dropped), interface \($c.interface_dropped), ring \($c.ring_dropped)",
  "RSS \(($rss0 | tonumber) / 1024 | floor) MiB before, \(($rss | tonumber) / 1024 | floor) MiB after"'
cat "$work/blast.out"
raised=$(jq -r 'select(.coinsentry.host == "10.255.0.1") | .timestamp' "$work/alerts.jsonl" 2>/dev/null | head -1)
if [ -n "$raised" ]; then
  echo "the staying host's alert: raised $(python3 -c "from datetime import datetime; print(f'{datetime.fromisoformat(\"$raised\".replace(\"Z\", \"+00:00\")).timestamp() - $start:.1f}')") s after its first stratum message"
else
  echo "the staying host's alert: NOT raised"
fi
