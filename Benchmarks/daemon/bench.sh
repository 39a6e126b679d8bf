#!/usr/bin/env bash
# coinsentryd under load: CPU and memory of the daemon idle, and with 10k and 100k packets per second from
# 1,000 hosts sent by tcpreplay into a veth pair (as root). Prints absolute figures with the machine named.
#   Benchmarks/daemon/bench.sh [SECONDS_PER_RATE]     (default 20)
set -euo pipefail
source "$(dirname "$0")/../soak/lib.sh"
seconds="${1:-20}"
build
trap teardown EXIT
veth
pcap="Benchmarks/work/daemon-bench.pcap"
[ -f "$pcap" ] || python3 Benchmarks/capture/make_pcap.py "$pcap" 1000000 100
JSON_FILE="" start_daemon
pid=$daemon_pid
sleep 3
ticks=$(getconf CLK_TCK)
measure() {  # $1 label, $2 seconds; CPU share of one core and RSS while it runs
  local before after
  before=$(cpu_ticks "$pid")
  sleep "$2"
  after=$(cpu_ticks "$pid")
  python3 -c "print(f'$1: CPU {100*($after-$before)/$ticks/$2:.1f} % of one core, RSS {$(rss_kib "$pid")/1024:.1f} MiB')"
}
echo "machine: $(machine)"
measure "idle" "$seconds"
for rate in 10000 100000; do
  ip netns exec "$ns" tcpreplay -i "$b" --pps="$rate" --duration="$seconds" --loop=0 "$pcap" >"$work/tcpreplay-$rate.log" 2>&1 &
  replay=$!
  sleep 1
  measure "$rate packets/s offered" "$((seconds - 2))"
  wait "$replay" || true
  sed -n 's/.*Rated: [0-9.]* Bps, [0-9.]* Mbps, \([0-9.]*\) pps.*/  tcpreplay achieved \1 pps/p' "$work/tcpreplay-$rate.log" | tail -1
done
ctl stats || true
ctl status | grep -E "hosts|packets" || true
