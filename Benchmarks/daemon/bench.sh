#!/usr/bin/env bash
# coinsentryd under load: CPU and memory of the daemon idle, and with 10k and 100k packets per second from
# 1,000 hosts sent by tcpreplay into a veth pair (as root). Prints absolute figures with the machine named.
#   Benchmarks/daemon/bench.sh [SECONDS_PER_RATE]     (default 20)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-20}"
[ "$(id -u)" = 0 ] || { echo "needs root (veth pair, live capture)"; exit 1; }
swift build -c release --product coinsentryd >/dev/null && swift build -c release --product coinsentryctl >/dev/null
work=Benchmarks/work; mkdir -p "$work"
ns=csdbench; a=csdbencha; b=csdbenchb
cleanup() { [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; ip link del "$a" 2>/dev/null || true; ip netns del "$ns" 2>/dev/null || true; }
trap cleanup EXIT
cleanup
ip netns add "$ns"; ip link add "$a" type veth peer name "$b"; ip link set "$b" netns "$ns"
ip link set "$a" up; ip netns exec "$ns" ip link set "$b" up
pcap="$work/daemon-bench.pcap"
[ -f "$pcap" ] || python3 Benchmarks/capture/make_pcap.py "$pcap" 1000000 100
cat > "$work/daemon-bench.toml" <<TOML
sensor_id = "bench"
state_directory = "$PWD/$work/daemon-state"
[capture]
interfaces = ["$a"]
local_networks = ["10.1.0.0/16", "fd00::/16"]
cpu = 1
[model]
path = "$PWD/etc/coinsentry/model.json"
[alerts]
journald = false
json_file = ""
[control]
socket = "$PWD/$work/daemon-bench.sock"
group = ""
TOML
.build/release/coinsentryd --config "$work/daemon-bench.toml" >"$work/daemon-bench.log" 2>&1 &
pid=$!
sleep 3
ticks=$(getconf CLK_TCK)
measure() {  # $1 label, $2 seconds; CPU share of one core and RSS while it runs
  local before after
  before=$(awk '{print $14 + $15}' /proc/$pid/stat)
  sleep "$2"
  after=$(awk '{print $14 + $15}' /proc/$pid/stat)
  local rss; rss=$(awk '/VmRSS/{print $2}' /proc/$pid/status)
  python3 -c "print(f'$1: CPU {100*($after-$before)/$ticks/$2:.1f} % of one core, RSS {$rss/1024:.1f} MiB')"
}
echo "machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p'), $(nproc) cores"
measure "idle" "$seconds"
for rate in 10000 100000; do
  ip netns exec "$ns" tcpreplay -i "$b" --pps="$rate" --duration="$seconds" --loop=0 "$pcap" >"$work/tcpreplay-$rate.log" 2>&1 &
  replay=$!
  sleep 1
  measure "$rate packets/s offered" "$((seconds - 2))"
  wait "$replay" || true
  sed -n 's/.*Rated: [0-9.]* Bps, [0-9.]* Mbps, \([0-9.]*\) pps.*/  tcpreplay achieved \1 pps/p' "$work/tcpreplay-$rate.log" | tail -1
done
.build/release/coinsentryctl stats --socket "$work/daemon-bench.sock" || true
.build/release/coinsentryctl status --socket "$work/daemon-bench.sock" | grep -E "hosts|packets" || true
