#!/usr/bin/env bash
# The soak: coinsentryd on a veth pair for MINUTES at RATE packets/s from HOSTS local hosts, CHURN of them replaced
# every second (new addresses appear, the replaced ones go silent and expire), flow tracking on, one clear-text
# stratum miner starting after two minutes. Samples the daemon every 30 s (RSS, CPU, its counters) into
# Benchmarks/work/soak/soak.csv and prints: RSS after warm-up (spread, against the 5 % target), CPU, kernel,
# interface and ring drops, hosts tracked and expired, flows, the alerts raised and the miner's alert latency.
#   Benchmarks/soak/soak.sh [MINUTES] [RATE] [HOSTS] [CHURN]      (default 30 100000 10000 5; as root)
set -uo pipefail
source "$(dirname "$0")/lib.sh"
minutes="${1:-30}" rate="${2:-100000}" hosts="${3:-10000}" churn="${4:-5}"
seconds=$((minutes * 60)) miner_start=120 sample=30
build
trap teardown EXIT
veth
start_daemon
csv="$work/soak.csv"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "seconds,rss_kib,cpu_percent,packets,kernel_received,kernel_dropped,interface_dropped,ring_dropped,hosts_tracked,hosts_expired,host_table_full,flows_tracked,flows_evicted,flows_expired,flows_not_tracked,windows_decided,alerts" > "$csv"
echo "machine: $(machine)"
echo "soak: $minutes min at $rate packets/s, $hosts hosts, $churn replaced a second (coinsentryd pid $daemon_pid)"
start=$(date +%s.%N)
ip netns exec "$ns" "$work/blast" "$b" "$rate" "$seconds" steady "$hosts" "$churn" "$miner_start" \
  >"$work/blast.out" 2>"$work/blast.log" &
blast=$!
ticks=$(getconf CLK_TCK)
before=$(cpu_ticks "$daemon_pid")
for ((t = sample; t <= seconds + sample; t += sample)); do
  sleep "$sample"
  after=$(cpu_ticks "$daemon_pid") || { echo "coinsentryd exited"; tail "$work/daemon.log"; exit 1; }
  cpu=$(awk -v a="$after" -v b="$before" -v k="$ticks" -v s="$sample" 'BEGIN{printf "%.1f", 100*(a-b)/k/s}')
  before=$after
  alerts=$( [ -f "$work/alerts.jsonl" ] && wc -l < "$work/alerts.jsonl" || echo 0)
  stats_json | jq -r --arg t "$t" --arg rss "$(rss_kib "$daemon_pid")" --arg cpu "$cpu" --arg alerts "$alerts" \
    '.interfaces[0].counters as $c | [$t, $rss, $cpu, $c.packets, $c.kernel_received, $c.kernel_dropped,
     $c.interface_dropped, $c.ring_dropped, $c.hosts_tracked, $c.hosts_expired, $c.host_table_full, $c.flows_tracked,
     $c.flows_evicted, $c.flows_expired, $c.flows_not_tracked, .interfaces[0].windows_decided, $alerts] | join(",")' \
    >> "$csv"
  tail -1 "$csv"
done
wait "$blast"
cat "$work/blast.out"
python3 Benchmarks/soak/summary.py "$csv" "$work/alerts.jsonl" "$start" "$miner_start" "$(cat "$work/blast.out")"
