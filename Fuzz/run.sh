#!/usr/bin/env bash
# Builds the libFuzzer targets with AddressSanitizer and UBSan and runs each for a bounded time.
#   Fuzz/run.sh [SECONDS_PER_TARGET]        (default 60; CI runs it with a short budget)
# New inputs found go to Fuzz/out/ (ignored by git); the committed seeds in Fuzz/corpus/ are read, never written.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
clang_bin="${CLANG:-$(command -v clang)}"
mkdir -p Fuzz/out
status=0
# Each target and the one pure C file it exercises.
declare -A sources=([packet_parser]=packet_parse.c [stratum_match]=stratum_match.c [dns_parse]=dns_parse.c
                   [tls_sni]="tls_parse.c domain_table.c")
for target in packet_parser stratum_match dns_parse tls_sni; do
  binary="Fuzz/out/${target}_fuzz"
  "$clang_bin" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -D_GNU_SOURCE \
    -ISources/CCapture/include "Fuzz/${target}_fuzz.c" \
    $(printf 'Sources/CCapture/%s ' ${sources[$target]}) -o "$binary" \
    >"Fuzz/out/${target}-build.log" 2>&1 || { cat "Fuzz/out/${target}-build.log" >&2; exit 1; }
  mkdir -p "Fuzz/out/${target}_corpus"
  echo "fuzzing ${target} for ${seconds} s"
  if ! "$binary" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="Fuzz/out/${target}-" \
      "Fuzz/out/${target}_corpus" "Fuzz/corpus/${target}" 2>"Fuzz/out/${target}.log"; then
    echo "fuzz target ${target} failed; see Fuzz/out/${target}.log and the crash input in Fuzz/out/" >&2
    tail -40 "Fuzz/out/${target}.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "Fuzz/out/${target}.log" | tail -2
  fi
done
exit $status
