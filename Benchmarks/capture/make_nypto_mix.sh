#!/usr/bin/env bash
# The `nypto-mix` benchmark input: a network of 200 local hosts whose traffic is real traffic profiles, the Nypto
# traces in ../shared/data/nypto (per-interval bytes and packets measured on real machines), each rendered by
# `coinsentry synth` from its own starting row, merged in time order, cut to headers (snap length 96, as a sensor's
# capture would be) and to PACKETS packets. Made in the benchmark run, never committed.
#   52 busy users: 4 YouTube, 8 Netflix, 16 social network, 24 browsing;
#   148 light hosts: CPU and GPU miners (NiceHash), and mining and Netflix inside a VPN.
# Usage: Benchmarks/capture/make_nypto_mix.sh COINSENTRY OUT.pcap [PACKETS]
set -euo pipefail
bin="$1"; out="$2"; packets="${3:-1000000}"
traces="$(cd "$(dirname "$0")/../.." && pwd)/../shared/data/nypto"
[ -d "$traces/datasets" ] || { echo "make_nypto_mix: $traces is absent (the shared data beside the checkout)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
rows=300  # 0.5 s rows: 150 s, about 1.3 million packets; cut to PACKETS below
plan="youtube 4 443
netflix 8 443
social-network 16 443
browsing 24 443
mining_2t_nicehash 40 3333
mining_4t_nicehash 40 3333
mining_gpu_nicehash_equihash_1070_60p 20 3357
mining_gpu_nicehash_equihash_1080ti_85p 20 3357
vpn-mining-4t 14 1194
vpn-netflix 14 1194"
host=0
while read -r name count port; do
  file="$traces/datasets/$name.dat"
  [ -f "$file" ] || file="$traces/vpn-datasets/$name.dat"
  for _ in $(seq "$count"); do
    host=$((host + 1))
    "$bin" synth "$file" --interval 0.5 --local "10.1.$((host / 250)).$((host % 250 + 1))" \
      --remote "203.0.113.$((host % 200 + 1)):$port" --local-port $((40000 + host)) \
      --rows "$rows" --skip-rows $(( (host * 389) % 11000 )) -o "$work/host-$host.pcap" >/dev/null 2>"$work/synth.log" \
      || { cat "$work/synth.log" >&2; exit 1; }
    editcap -s 96 "$work/host-$host.pcap" "$work/cut-$host.pcap"
    rm "$work/host-$host.pcap"
  done
done <<<"$plan"
mergecap -F pcap -w "$work/merged.pcap" "$work"/cut-*.pcap
total=$(capinfos -M -c "$work/merged.pcap" | sed -n 's/^Number of packets:[[:space:]]*//p')
[ "$total" -ge "$packets" ] || { echo "make_nypto_mix: only $total packets" >&2; exit 1; }
editcap -r "$work/merged.pcap" "$out" "1-$packets"
echo "nypto-mix: $host hosts, $packets of $total packets, $(( $(stat -c %s "$out") >> 20 )) MiB" >&2
