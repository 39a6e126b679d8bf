#!/usr/bin/env bash
# The highest rate held without a drop: coinsentryd, then tcpdump (-w /dev/null, the same veth pair and traffic),
# each for SECONDS at each RATE (steady traffic of 10,000 hosts, flow tracking on for coinsentryd). A rate counts as
# held when nothing was dropped (kernel, interface or ring) and the sender reached it.
#   Benchmarks/soak/max-rate.sh [SECONDS] [RATES...]    (default 20; 100000 200000 300000 400000 600000 800000)
set -uo pipefail
source "$(dirname "$0")/lib.sh"
seconds="${1:-20}"; shift || true
rates=("${@:-}")
[ -n "${rates[0]}" ] || rates=(100000 200000 300000 400000 600000 800000)
build
trap teardown EXIT
echo "machine: $(machine)"
printf "%-10s %-34s %-34s\n" "offered" "coinsentryd: sent / received / dropped" "tcpdump: sent / received / dropped"
best_daemon=0 best_tcpdump=0
for rate in "${rates[@]}"; do
  veth
  start_daemon
  ip netns exec "$ns" "$work/blast" "$b" "$rate" "$seconds" steady 10000 5 >"$work/blast.out" 2>/dev/null
  sleep 2
  daemon=$(stats_json | jq -r '.interfaces[0].counters | "\(.kernel_received) \(.kernel_dropped + .interface_dropped + .ring_dropped)"')
  sent=$(sed -n 's/^sent \([0-9]*\) frames.*(\([0-9]*\)\/s).*/\1 \2/p' "$work/blast.out")
  teardown
  veth
  tcpdump -i "$a" -n -w /dev/null 2>"$work/tcpdump.log" &
  dump=$!
  sleep 1
  ip netns exec "$ns" "$work/blast" "$b" "$rate" "$seconds" steady 10000 5 >"$work/blast-tcpdump.out" 2>/dev/null
  sleep 2
  kill -INT "$dump"; wait "$dump" 2>/dev/null
  dumped=$(awk '/packets received by filter/{r=$1} /packets dropped by kernel/{d=$1} END{print r, d}' "$work/tcpdump.log")
  sent_dump=$(sed -n 's/^sent \([0-9]*\) frames.*(\([0-9]*\)\/s).*/\1 \2/p' "$work/blast-tcpdump.out")
  teardown
  read -r d_sent d_rate <<<"$sent"; read -r d_received d_dropped <<<"$daemon"
  read -r t_sent t_rate <<<"$sent_dump"; read -r t_received t_dropped <<<"$dumped"
  printf "%-10s %-34s %-34s\n" "$rate" "$d_sent ($d_rate/s) / $d_received / $d_dropped" \
    "$t_sent ($t_rate/s) / $t_received / $t_dropped"
  reached() { awk -v r="$1" -v o="$rate" 'BEGIN{exit !(r >= 0.98 * o)}'; }
  [ "$d_dropped" = 0 ] && reached "$d_rate" && best_daemon=$rate
  [ "$t_dropped" = 0 ] && reached "$t_rate" && best_tcpdump=$rate
done
echo "highest rate held without a drop: coinsentryd $best_daemon packets/s, tcpdump $best_tcpdump packets/s" \
  "(of the rates tried; 0: none)"
