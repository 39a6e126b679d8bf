#!/usr/bin/env bash
# Two builds of coinsentry against each other on the replay benchmark's inputs: each binary's `replay` (flow tracking
# on) and `tcpdump -r FILE -w /dev/null` run in turn, ROUNDS times, so that a shift in the machine's speed favours
# neither. Prints each one's best time, its ratio to tcpdump, and the median time of the second build over the first.
#   Benchmarks/capture/compare.sh BEFORE_BINARY AFTER_BINARY [ROUNDS]   (default 21 rounds)
# The inputs are the ones Benchmarks/capture/bench.sh makes (Benchmarks/work/{busy,nypto-mix}-1000000.pcap); run it
# once first. Build a binary to compare as bench.sh does (static release build), and copy it aside before changing
# the tree.
set -euo pipefail
cd "$(dirname "$0")/../.."
before=${1:?usage: Benchmarks/capture/compare.sh BEFORE_BINARY AFTER_BINARY [ROUNDS]}
after=${2:?usage: Benchmarks/capture/compare.sh BEFORE_BINARY AFTER_BINARY [ROUNDS]}
rounds=${3:-21}
for input in busy nypto-mix; do
  [ -f "Benchmarks/work/$input-1000000.pcap" ] || { echo "compare: run Benchmarks/capture/bench.sh first" >&2; exit 1; }
done
echo "machine: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p'), $(nproc) cores"
python3 - "$before" "$after" "$rounds" <<'PY'
import statistics, subprocess, sys, time
before, after, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
nets = ["--local-net", "10.1.0.0/16", "--local-net", "fd00::/16"]
for name in ["busy", "nypto-mix"]:
    path = f"Benchmarks/work/{name}-1000000.pcap"
    commands = {"before": [before, "replay", path] + nets + ["--json"],
                "after": [after, "replay", path] + nets + ["--json"],
                "tcpdump": ["tcpdump", "-r", path, "-w", "/dev/null"]}
    times = {key: [] for key in commands}
    for _ in range(rounds):
        for key, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times[key].append(time.perf_counter() - start)
    best = {key: min(values) for key, values in times.items()}
    median = {key: statistics.median(values) for key, values in times.items()}
    print(f"{name}: best before {best['before']:.4f} s, after {best['after']:.4f} s, tcpdump {best['tcpdump']:.4f} s; "
          f"ratio to tcpdump before {best['tcpdump'] / best['before']:.2f}, after {best['tcpdump'] / best['after']:.2f}; "
          f"median time after / before {median['after'] / median['before']:.3f}")
PY
