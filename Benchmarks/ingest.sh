#!/bin/sh
# Ingestion rate of `coinsentry chain ingest` (release build) from block files and over JSON-RPC from the stand-in
# node (fake_node.py, Python http.server), on one synthetic regtest chain.
# usage: Benchmarks/ingest.sh [BLOCKS] [TX_PER_BLOCK]
set -eu
blocks=${1:-200}
per_block=${2:-200}
here=$(cd "$(dirname "$0")/.." && pwd)
work="$here/Benchmarks/work/ingest"
binary="$here/.build/release/coinsentry"
[ -x "$binary" ] || { echo "build first: swift build -c release --product coinsentry" >&2; exit 1; }
rm -rf "$work" && mkdir -p "$work/blocks"
python3 "$here/Benchmarks/make_regtest_blocks.py" "$work/blocks" --blocks "$blocks" --tx-per-block "$per_block"
echo "block files:"
"$binary" chain ingest --blocks "$work/blocks" --network regtest --db "$work/files.sqlite" --json 2>/dev/null
python3 "$here/Benchmarks/fake_node.py" "$work/blocks/chain.json" "bench:bench" "$work/port" &
node=$!
trap 'kill $node 2>/dev/null' EXIT
while [ ! -s "$work/port" ]; do sleep 0.1; done
echo "JSON-RPC (stand-in node on 127.0.0.1):"
"$binary" chain ingest --rpc "http://127.0.0.1:$(cat "$work/port")/" --rpc-user bench --rpc-password bench \
    --db "$work/rpc.sqlite" --json 2>/dev/null
if [ -n "${COINSENTRY_BENCH_POSTGRES:-}" ]; then
    echo "block files into PostgreSQL ($COINSENTRY_BENCH_POSTGRES, tables dropped first):"
    psql "$COINSENTRY_BENCH_POSTGRES" -q -c \
        "DROP TABLE IF EXISTS input, output, address, tx, block, meta, analysis_state CASCADE" >/dev/null
    "$binary" chain ingest --blocks "$work/blocks" --network regtest --postgres "$COINSENTRY_BENCH_POSTGRES" \
        --json 2>/dev/null
fi
