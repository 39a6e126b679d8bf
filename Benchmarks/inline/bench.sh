#!/usr/bin/env bash
# Inline mode cost: added latency per packet and throughput with the NFQUEUE consumer in monitor and block mode,
# against plain forwarding, on the same three-namespace setup (root needed):
#
#   client ns (10.78.1.2) ── veth ── router ns (forwards; the NFQUEUE rule is here) ── veth ── server ns (10.78.2.2)
#
#   Benchmarks/inline/bench.sh [SECONDS]        (default 3 s per throughput run)
#
# Latency: median and 99th percentile round trip of 2000 UDP echoes (Python on both ends, so absolute figures include
# the interpreter; the difference between modes is the queue's cost, two traversals per round trip). Throughput: one
# TCP stream for SECONDS. Block mode installs 256 rules for other hosts, so every packet is looked up and accepted.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-3}"
[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces, iptables)" >&2; exit 1; }
flock /tmp/coinsentry-swift-build.lock swift build -c release --product coinsentry-bench-inline >/dev/null
consumer="$(swift build -c release --show-bin-path)/coinsentry-bench-inline"
tag="csb$$"
client="${tag}c" router="${tag}r" server="${tag}s"
cleanup() {
  for ns in "$client" "$router" "$server"; do ip netns del "$ns" 2>/dev/null || true; done
}
trap cleanup EXIT
for ns in "$client" "$router" "$server"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
ip link add "${tag}a" netns "$client" type veth peer name "${tag}b" netns "$router"
ip link add "${tag}d" netns "$router" type veth peer name "${tag}e" netns "$server"
ip -n "$client" addr add 10.78.1.2/24 dev "${tag}a"; ip -n "$client" link set "${tag}a" up
ip -n "$router" addr add 10.78.1.1/24 dev "${tag}b"; ip -n "$router" link set "${tag}b" up
ip -n "$router" addr add 10.78.2.1/24 dev "${tag}d"; ip -n "$router" link set "${tag}d" up
ip -n "$server" addr add 10.78.2.2/24 dev "${tag}e"; ip -n "$server" link set "${tag}e" up
ip -n "$client" route add default via 10.78.1.1
ip -n "$server" route add default via 10.78.2.1
ip netns exec "$router" sysctl -qw net.ipv4.ip_forward=1

in_ns() { ip netns exec "$1" "${@:2}"; }

echo_server='
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("10.78.2.2", 7000))
while True:
    data, peer = s.recvfrom(2048); s.sendto(data, peer)'
pinger='
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(1)
rtts = []
for i in range(2200):
    t = time.perf_counter_ns(); s.sendto(b"x" * 64, ("10.78.2.2", 7000)); s.recvfrom(2048)
    if i >= 200: rtts.append((time.perf_counter_ns() - t) / 1000)
rtts.sort(); print("%.1f %.1f" % (rtts[len(rtts) // 2], rtts[int(len(rtts) * 0.99)]))'
sink='
import socket
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); l.bind(("10.78.2.2", 7001)); l.listen(1)
while True:
    c, _ = l.accept()
    while c.recv(1 << 20): pass
    c.close()'
streamer="
import socket, time
s = socket.create_connection(('10.78.2.2', 7001)); chunk = b'x' * 65536; sent = 0
end = time.time() + $seconds; start = time.time()
while time.time() < end: s.sendall(chunk); sent += len(chunk)
s.close(); print('%.0f' % (sent * 8 / (time.time() - start) / 1e6))"

in_ns "$server" python3 -c "$echo_server" & echo_pid=$!
in_ns "$server" python3 -c "$sink" & sink_pid=$!
sleep 0.5

run_mode() {
  local mode="$1" feed consumer_pid line
  if [ "$mode" != plain ]; then
    in_ns "$router" iptables -I FORWARD -j NFQUEUE --queue-num 0 --queue-bypass
    coproc CONSUMER { in_ns "$router" "$consumer" 0 "$mode" 10.78.1.0/24; }
    read -r line <&"${CONSUMER[0]}"
  fi
  read -r median p99 < <(in_ns "$client" python3 -c "$pinger")
  megabits=$(in_ns "$client" python3 -c "$streamer")
  local counters=""
  if [ "$mode" != plain ]; then
    exec {feed}>&"${CONSUMER[1]}"; exec {feed}>&-; eval "exec ${CONSUMER[1]}>&-"
    read -r counters <&"${CONSUMER[0]}" || true
    wait "$CONSUMER_PID" 2>/dev/null || true
    in_ns "$router" iptables -D FORWARD -j NFQUEUE --queue-num 0 --queue-bypass
  fi
  printf "%-8s  RTT median %7s µs  p99 %7s µs  TCP %6s Mbit/s  %s\n" "$mode" "$median" "$p99" "$megabits" "$counters"
}

echo "machine: $(uname -n), $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r)"
for mode in plain monitor block; do run_mode "$mode"; done
kill "$echo_pid" "$sink_pid" 2>/dev/null || true
