#!/usr/bin/env bash
# Records the long pool sessions of captures/pool/ (see captures/README.md): for each line of the plan below, a pool
# and a miner of pool_session.py over loopback (pool 127.0.0.1, miner 127.0.0.2), in clear text or over TLS with a
# self-signed certificate made here by `openssl req`, time compressed by K; tcpdump on lo per session port; then the
# timestamps are stretched back by K (pcap_timescale.py). All sessions run in parallel; ONLY=REGEX records only the
# sessions whose names match.
#   [ONLY=REGEX] captures/tools/record_pool.sh OUTDIR [K]        (root: tcpdump on lo)
set -euo pipefail
out="$1"; speed="${2:-40}"
tools="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=pool.example.test" \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
# name dialect tls port threads throttle pause reconnects seed seconds sni
plan="
stratum-clear-train   stratum     no  4441  4 1.0  0.0 0 1  2400 -
stratum-tls-train     stratum     yes 4442  8 0.5  0.2 1 2  2400 pool.example.test
monero-clear-train    monero      no  4443  2 1.0  0.1 0 3  2400 -
monero-tls-train      monero      yes 4444 16 0.75 0.0 2 4  2400 pool.example.test
eth-getwork-clear-train eth-getwork no 4445 1 1.0  0.3 0 5  2400 -
eth-getwork-tls-train eth-getwork yes 4446  6 1.0  0.0 1 6  2400 pool.example.test
stratum-tls-heldout   stratum     yes 4451  2 0.5  0.1 0 11 2400 stratum.braiins.com
monero-tls-heldout    monero      yes 4452  4 1.0  0.2 1 12 2400 xmr-eu1.nanopool.org
eth-getwork-tls-heldout eth-getwork yes 4453 12 0.25 0.0 0 13 2400 eth-eu1.nanopool.org
stratum-tls-fresh     stratum     yes 4461  4 0.75 0.0 0 21 2400 btc.f2pool.com
monero-tls-fresh      monero      yes 4462  2 0.5  0.1 0 22 2400 pool.supportxmr.com
eth-getwork-tls-fresh eth-getwork yes 4463  8 1.0  0.0 1 23 2400 etc.2miners.com
stratum-clear-fresh   stratum     no  4464  1 1.0  0.2 0 24 2400 -
stratum-tls-fresh2    stratum     yes 4471  1 0.5  0.4 0 31 2400 stratum.slushpool.com
monero-tls-fresh2     monero      yes 4472  8 0.75 0.0 1 32 2400 gulf.moneroocean.stream
eth-getwork-tls-fresh2 eth-getwork yes 4473 2 1.0  0.2 0 33 2400 us1.ethermine.org
monero-clear-fresh2   monero      no  4474  3 1.0  0.1 0 34 2400 -
stratum-tls-fresh3    stratum     yes 4481  6 1.0  0.1 1 41 2400 eu.stratum.slushpool.com
monero-tls-fresh3     monero      yes 4482  1 0.25 0.3 0 42 2400 xmr.2miners.com
eth-getwork-tls-fresh3 eth-getwork yes 4483 4 0.5  0.0 0 43 2400 etc.f2pool.com
stratum-clear-fresh3  stratum     no  4484  2 0.75 0.0 0 44 2400 -
stratum-tls-fresh4    stratum     yes 4491  3 0.75 0.1 0 51 2400 relay.example.net
monero-tls-fresh4     monero      yes 4492  6 0.5  0.2 1 52 2400 node.example.org
eth-getwork-tls-fresh4 eth-getwork yes 4493 2 1.0  0.1 0 53 2400 eu1.ethermine.org
monero-tls-nameless-fresh4 monero  yes 4494  2 1.0  0.0 0 54 2400 cdn.example.com
"
pids=()
while read -r name dialect tls port threads throttle pause reconnects seed seconds sni; do
  [ -n "$name" ] || continue
  [[ "$name" =~ ${ONLY:-.} ]] || continue
  (
    trap - EXIT  # the temporary directory belongs to the main shell
    tcpdump -i lo -U -s 0 -w "$work/$name.raw.pcap" "tcp port $port" 2>/dev/null &
    dump=$!
    sleep 1
    tls_pool=(); tls_miner=()
    if [ "$tls" = yes ]; then tls_pool=(--tls "$work/cert.pem" "$work/key.pem"); tls_miner=(--tls --sni "$sni"); fi
    python3 "$tools/pool_session.py" pool "$dialect" --port "$port" "${tls_pool[@]}" --speed "$speed" \
      --seconds "$((seconds + 200))" --seed "$seed" &
    pool=$!
    sleep 0.5
    python3 "$tools/pool_session.py" miner "$dialect" --port "$port" "${tls_miner[@]}" --threads "$threads" \
      --throttle "$throttle" --pause "$pause" --reconnects "$reconnects" --speed "$speed" --seconds "$seconds" \
      --seed "$seed" --worker "rig-$seed"
    sleep 0.5
    kill -INT "$dump"; wait "$dump" || true
    kill "$pool" 2>/dev/null || true; wait "$pool" 2>/dev/null || true
    python3 "$tools/pcap_timescale.py" "$work/$name.raw.pcap" "$out/$name.pcap" "$speed"
    echo "$name: $(stat -c %s "$out/$name.pcap") bytes"
  ) &
  pids+=($!)
done <<<"$plan"
for pid in "${pids[@]}"; do wait "$pid"; done
