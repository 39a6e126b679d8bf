#!/bin/sh
# Times `coinsentry chain similarity` (release build) against the networkx reference on one random graph and
# checks both print the same pairs. Needs python3 with networkx (pip install networkx).
# usage: Benchmarks/similarity.sh [NODES] [EDGES] [DEPTH]
set -eu
nodes=${1:-400}
edges=${2:-800}
depth=${3:-2}
here=$(cd "$(dirname "$0")/.." && pwd)
work="$here/Benchmarks/work"
mkdir -p "$work"
python3 "$here/Benchmarks/random_graph.py" "$nodes" "$edges" > "$work/edges.txt"
binary="$here/.build/release/coinsentry"
[ -x "$binary" ] || { echo "build first: swift build -c release --product coinsentry" >&2; exit 1; }
start=$(date +%s.%N)
"$binary" chain similarity --edges "$work/edges.txt" --depth "$depth" > "$work/swift.txt"
end=$(date +%s.%N)
swift_seconds=$(echo "$end - $start" | bc)
python_seconds=$(python3 "$here/Benchmarks/walk_signature_networkx.py" "$work/edges.txt" --depth "$depth" \
    --out "$work/python.txt" 2>&1)
# Compare pair by pair (ties may sort differently), values to a relative 1e-9.
same=$(python3 - "$work/swift.txt" "$work/python.txt" <<'PY'
import math, sys
def load(path):
    return {(a, b): float(d) for a, b, d in (line.split() for line in open(path))}
s, p = load(sys.argv[1]), load(sys.argv[2])
bad = [k for k in p if k not in s or not (s[k] == p[k] or math.isclose(s[k], p[k], rel_tol=1e-9))]
print("identical (every pair within 1e-9)" if len(s) == len(p) and not bad else f"DIFFERENT ({len(bad)} pairs)")
PY
)
echo "graph: $nodes nodes, $edges edges, depth $depth; outputs $same"
echo "swift (whole command, parse to print): ${swift_seconds} s"
echo "networkx (distances and sort only):    ${python_seconds} s"
echo "ratio: $(echo "scale=1; $python_seconds / $swift_seconds" | bc)x"
