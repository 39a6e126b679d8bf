#!/bin/sh
# Peak memory and time of `coinsentry chain similarity` (release build) on a large random graph, one node against
# all (--from 0), undirected and directed. Defaults: 1,000,000 edges on 250,000 nodes.
# usage: [COINSENTRY_BINARY=PATH] Benchmarks/similarity-memory.sh [NODES] [EDGES] [DEPTH]
set -eu
nodes=${1:-250000}
edges=${2:-1000000}
depth=${3:-2}
here=$(cd "$(dirname "$0")/.." && pwd)
work="$here/Benchmarks/work"
binary=${COINSENTRY_BINARY:-$here/.build/release/coinsentry}
[ -x "$binary" ] || { echo "build first: swift build -c release --product coinsentry" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs GNU time (apt-get install time)" >&2; exit 1; }
mkdir -p "$work"
python3 "$here/Benchmarks/random_graph.py" "$nodes" "$edges" > "$work/large-edges.txt"
echo "graph: $nodes nodes, $edges edges, depth $depth, distances from node 0 to every node"
for variant in "" "--directed"; do
    /usr/bin/time -f "%M %e" -o "$work/time.txt" "$binary" chain similarity --edges "$work/large-edges.txt" \
        --depth "$depth" --from 0 $variant > /dev/null
    read -r kilobytes seconds < "$work/time.txt"
    echo "${variant:-undirected}: peak RSS $((kilobytes / 1024)) MiB, ${seconds} s"
done
