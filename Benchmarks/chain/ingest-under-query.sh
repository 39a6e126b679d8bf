#!/usr/bin/env bash
# The chain sidecar under load: a testbed chain of at least TRANSACTIONS transactions ingested by coinsentry-chaind
# from its block files into SQLite while its control socket (control_load.py: status and address look-ups from
# 4 clients, a connection per request as coinsentryctl makes them) and the REST API served by coinsentry-web over it
# (wrk: /api/v1/chain/status, /api/v1/chain/addresses/A and Kriptosare's /search_address and /database_update) are
# queried without pause. The anchor is the same chain ingested by the same daemon with no queries, in the same run;
# the reference store is an uninterrupted offline `coinsentry chain ingest` of the same block files.
#   Benchmarks/chain/ingest-under-query.sh [TRANSACTIONS]     (default 100000; needs wrk, jq, sqlite3, python3)
# SKIP_BUILD=1 uses the binaries as they are (BIN=.build/debug for a debug build); SEED (default 1) picks the
# testbed chain; TESTBED=DIR takes a chain made before (DIR/run.txt holding the testbed's summary line; the same
# scenario, seed and --blocks give the same bytes) instead of making it; CLIENTS (4) and CONNECTIONS (4) set the
# control-socket clients and wrk's connections.
set -uo pipefail
cd "$(dirname "$0")/../.."
transactions="${1:-100000}"
seed="${SEED:-1}"
clients="${CLIENTS:-4}"
connections="${CONNECTIONS:-4}"
for tool in wrk jq sqlite3 python3; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install $tool)"; exit 1; }
done
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  for product in coinsentry coinsentry-chaind coinsentry-web coinsentryctl; do
    swift build -c release --product "$product" >/dev/null || exit 1
  done
fi
bin="${BIN:-.build/release}"
work=Benchmarks/work/chain-load
rm -rf "$work" && mkdir -p "$work"
here=$PWD
pids=()
trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done' EXIT
machine() { echo "$(lscpu | sed -n 's/^Model name:[[:space:]]*//p'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"; }

# 1. The chain: rich.toml (every behaviour) runs about 24 transactions an activity block; more blocks until the
#    testbed has written at least TRANSACTIONS (its count leaves out the coinbases, one a block).
blocks=$((transactions / 23 + 1))
if [ -n "${TESTBED:-}" ]; then
  ln -s "$(cd "$TESTBED" && pwd)/testbed" "$work/testbed"
  line=$(grep -E '^[0-9]+ blocks' "$TESTBED/run.txt") || { echo "no testbed summary line in $TESTBED/run.txt"; exit 1; }
  written=$(echo "$line" | sed -E 's/.*, ([0-9]+) transactions,.*/\1/')
  blocks=$(jq .activity_blocks "$work/testbed/summary.json") seed=$(jq .seed "$work/testbed/summary.json")
else
  while :; do
    rm -rf "$work/testbed"
    line=$("$bin/coinsentry" testbed run etc/coinsentry/scenarios/rich.toml --out "$work/testbed" --seed "$seed" \
           --blocks "$blocks" 2>&1 | grep -E '^[0-9]+ blocks') || { echo "testbed run failed"; exit 1; }
    written=$(echo "$line" | sed -E 's/.*, ([0-9]+) transactions,.*/\1/')
    [ "$written" -ge "$transactions" ] && break
    blocks=$((blocks * transactions / written + 10))
  done
fi
chain_blocks=$(( $(jq .tip_height "$work/testbed/summary.json") + 1 ))
echo "machine: $(machine); $(date -u +%Y-%m-%dT%H:%MZ)"
echo "testbed: rich.toml seed $seed, --blocks $blocks: $line"
# Addresses to look up: 400 labelled ones spread over the chain (early ones are stored soon, late ones only at the
# end).
awk -F, 'NR > 1 {print $1}' "$work/testbed/labels.csv" > "$work/all-addresses"
count=$(wc -l < "$work/all-addresses")
awk -v n="$count" 'NR % int(n / 400 + 1) == 0' "$work/all-addresses" > "$work/addresses"
{
  echo "/api/v1/chain/status"
  echo "/database_update"
  while read -r address; do
    echo "/api/v1/chain/addresses/$address"
    echo "/search_address?address=$address"
  done < <(head -100 "$work/addresses")
} > "$work/paths"

# 2. The reference: an uninterrupted offline ingest.
offline=$("$bin/coinsentry" chain ingest --blocks "$work/testbed/blocks" --network regtest \
          --db "$work/offline.sqlite" --json 2>/dev/null) || { echo "offline ingest failed"; exit 1; }
offline_rate=$(echo "$offline" | jq '.transactionsPerSecond | floor')

config() {  # $1 name: the daemon's own configuration, store and socket under $work/$1
  mkdir -p "$work/$1"
  cat > "$work/$1/chain.toml" <<TOML
[chain]
db = "$here/$work/$1/chain.sqlite"
network = "regtest"
interval_seconds = 60
sensor_id = "load"
[source]
blocks = "$here/$work/testbed/blocks"
[analysis]
watchlist = "$here/$work/$1/watchlist.txt"
[alerts]
journald = false
json_file = ""
[control]
socket = "$here/$work/$1/chain.sock"
[metrics]
listen = ""
TOML
}

# Starts the daemon of $1 and waits until its first cycle has logged; sets daemon, cycle_seconds (start to the
# cycle's log line) and ingest_rate (the cycle's ingestion alone, as it logs it).
run_daemon() {
  local name=$1 started now
  started=$(date +%s.%N)
  "$bin/coinsentry-chaind" --config "$work/$name/chain.toml" 2>"$work/$name/chaind.log" &
  daemon=$!
  pids+=("$daemon")
  while ! grep -q 'tx_per_s=' "$work/$name/chaind.log"; do
    kill -0 "$daemon" 2>/dev/null || { echo "coinsentry-chaind ($name) exited:"; tail -5 "$work/$name/chaind.log"; exit 1; }
    sleep 0.05
  done
  now=$(date +%s.%N)
  cycle_seconds=$(awk -v a="$started" -v b="$now" 'BEGIN {printf "%.1f", b - a}')
  ingest_rate=$(grep -o 'tx_per_s=[0-9]*' "$work/$name/chaind.log" | head -1 | cut -d= -f2)
}

# Sets rss_peak_mib (the daemon's VmHWM, its peak resident memory over its life), then SIGTERM.
stop_daemon() {
  rss_peak_mib=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$daemon/status")
  kill -TERM "$daemon"
  wait "$daemon"
  local status=$?
  [ $status = 0 ] || echo "coinsentry-chaind exited $status on SIGTERM"
}

# 3. The anchor: the daemon ingests the chain with nothing querying it.
config anchor
run_daemon anchor
stop_daemon
anchor_rate=$ingest_rate anchor_seconds=$cycle_seconds anchor_rss=$rss_peak_mib

# 4. Under queries: coinsentry-web over the daemon's socket first, then the daemon, the control-socket clients
#    (waiting for the socket) and wrk (for the anchor's cycle time, so that every request falls while the slower
#    loaded daemon is still in its first cycle).
config load
port=18811
cat > "$work/load/web.toml" <<TOML
[web]
listen = "127.0.0.1:$port"
assets = "$here/web"
vendor = "/usr/share/javascript"
[daemons]
sensor_socket = "$here/$work/load/no-sensor.sock"
chain_socket = "$here/$work/load/chain.sock"
TOML
"$bin/coinsentry-web" --config "$work/load/web.toml" 2>"$work/load/web.log" &
web=$!
pids+=("$web")
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/api/v1/chain/status" && break; sleep 0.1; done
stop_file="$work/load/stop"
python3 Benchmarks/chain/control_load.py "$work/load/chain.sock" "$work/addresses" "$stop_file" "$clients" \
  "$work/load/chain.sqlite" > "$work/load/control.json" &
control=$!
pids+=("$control")
(
  while [ ! -S "$work/load/chain.sock" ]; do sleep 0.02; done
  PATHS_FILE="$work/paths" wrk -t1 -c"$connections" -d"$(printf '%.0f' "$anchor_seconds")s" --timeout 10s \
    -s Benchmarks/chain/api.lua "http://127.0.0.1:$port" > "$work/load/wrk.txt" 2>&1
  date +%s.%N > "$work/load/wrk-ended"
) &
wrk_job=$!
run_daemon load
load_ended=$(date +%s.%N)
touch "$stop_file"
wait "$control"
wait "$wrk_job"
# One request through coinsentryctl itself once the cycle is done.
ctl_status=$("$bin/coinsentryctl" chain status --socket "$work/load/chain.sock" --json | jq -c '{tip_height, blocks, transactions}')
stop_daemon
load_rate=$ingest_rate load_seconds=$cycle_seconds load_rss=$rss_peak_mib
kill "$web" 2>/dev/null
wrk_late=$(awk -v a="$(cat "$work/load/wrk-ended")" -v b="$load_ended" 'BEGIN {print (a > b) ? "yes" : "no"}')

# 5. Figures.
api=$(tail -1 "$work/load/wrk.txt")
socket=$(cat "$work/load/control.json")
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo
stored_expected=$((written + chain_blocks))
echo "chain: $chain_blocks blocks, $written transactions written by the testbed and $chain_blocks coinbases: $stored_expected"
echo "offline coinsentry chain ingest (reference store): $offline_rate tx/s"
printf "%-44s %12s %14s %14s\n" "" "ingest tx/s" "first cycle s" "RSS peak MiB"
printf "%-44s %12s %14s %14s\n" "coinsentry-chaind, no queries (anchor)" "$anchor_rate" "$anchor_seconds" "$anchor_rss"
printf "%-44s %12s %14s %14s\n" "coinsentry-chaind, queried" "$load_rate" "$load_seconds" "$load_rss"
printf "%-44s %12s %14s %14s\n" "ratio, queried / anchor" "$(ratio "$load_rate" "$anchor_rate")" \
  "$(ratio "$load_seconds" "$anchor_seconds")" "$(ratio "$load_rss" "$anchor_rss")"
echo "control socket ($clients clients, status and address in turn, a connection per request, for the whole first cycle):"
echo "  $(echo "$socket" | jq -c '{requests, requests_per_second, answered, not_found, failed, failures, p50_ms, p99_ms, max_ms, inconsistent_status, inconsistent_samples, tip_went_back, not_found_although_stored}')"
echo "REST API through coinsentry-web (wrk, 1 thread, $connections connections, the anchor's cycle time; ended after the loaded cycle: $wrk_late):"
echo "  $api"
grep -E 'Requests/sec' "$work/load/wrk.txt" | sed 's/^/  /'
echo "coinsentryctl chain status after the cycle: $ctl_status"

# 6. The stores: the loaded daemon's against the offline reference and the testbed's counts.
same=yes
for query in "SELECT COUNT(*) FROM block" "SELECT COUNT(*) FROM tx" "SELECT COUNT(*) FROM output" \
             "SELECT COUNT(*) FROM input" "SELECT COUNT(*) FROM address" \
             "SELECT hex(hash) FROM block ORDER BY height" "SELECT hex(txid) FROM tx ORDER BY block_height, position" \
             "SELECT a.address, o.value, hex(t.txid), o.n FROM output o JOIN tx t ON t.id = o.tx_id LEFT JOIN address a ON a.id = o.address_id ORDER BY t.block_height, t.position, o.n"; do
  mine=$(sqlite3 "$work/load/chain.sqlite" "$query" | md5sum)
  theirs=$(sqlite3 "$work/offline.sqlite" "$query" | md5sum)
  [ "$mine" = "$theirs" ] || { same=no; echo "differs from the offline store: $query"; }
done
stored_blocks=$(sqlite3 "$work/load/chain.sqlite" "SELECT COUNT(*) FROM block")
stored_tx=$(sqlite3 "$work/load/chain.sqlite" "SELECT COUNT(*) FROM tx")
echo "store after the loaded run: $stored_blocks blocks, $stored_tx transactions (testbed: $chain_blocks, $stored_expected);" \
  "equal to the offline ingest (counts, block hashes, txids, outputs): $same"
[ "$stored_blocks" = "$chain_blocks" ] && [ "$stored_tx" = "$stored_expected" ] && [ "$same" = yes ]
