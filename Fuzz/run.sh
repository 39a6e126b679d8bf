#!/usr/bin/env bash
# Builds the libFuzzer targets with AddressSanitizer (and UBSan for the C ones) and runs each for a bounded time.
#   Fuzz/run.sh [SECONDS_PER_TARGET [TARGET...]]   (default $FUZZ_SECONDS, else 60 s; CI runs it with a short budget)
# The C targets run SECONDS_PER_TARGET each, the Swift targets SWIFT_FUZZ_SECONDS each (default: the same). Naming
# targets runs only those (e.g. `Fuzz/run.sh 600 bitcoin_block`); SWIFT_FUZZ_SKIP="NAME ..." leaves Swift targets out
# of a run that names none. New inputs found go to Fuzz/out/ (ignored by git);
# the committed seeds in Fuzz/corpus/ are read, never written. FUZZ_BUILD_ONLY=1 builds the selected targets and
# runs none (scripts/test builds them ahead, while its test suites run). See Fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-${FUZZ_SECONDS:-60}}"
swift_seconds="${SWIFT_FUZZ_SECONDS:-$seconds}"
shift $(( $# > 0 ? 1 : 0 ))
clang_bin="${CLANG:-$(command -v clang)}"
mkdir -p Fuzz/out
status=0
source Fuzz/c-targets.sh
# The Swift targets: Fuzz/swift/<target>/main.swift, declared in Package.swift when COINSENTRY_FUZZ=1.
swift_targets=(bitcoin_block block_file bitcoin_address trace_file pool_domains mining_model pool_model control_request
               toml_config)
# The targets whose parsers read files run without LeakSanitizer's scans: Foundation's file reading leaves allocations
# behind (and leaks on empty files) so that most inputs set off a full scan, which more than halves their speed; the
# parsers themselves are Swift without manual memory management.
declare -A flags=([block_file]=-detect_leaks=0 [trace_file]=-detect_leaks=0 [mining_model]=-detect_leaks=0
                  [pool_model]=-detect_leaks=0)
requested=("$@")
skipped=" ${SWIFT_FUZZ_SKIP:-} "
selected() {
  if [ ${#requested[@]} -eq 0 ]; then [[ "$skipped" != *" $1 "* ]]; else [[ " ${requested[*]} " == *" $1 "* ]]; fi
}
# Swift's own crash handler would hold a crashing target for its backtrace; libFuzzer reports crashes itself.
export SWIFT_BACKTRACE=enable=no
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/swift/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

run() {
  local target=$1 binary=$2 budget=$3
  [ "${FUZZ_BUILD_ONLY:-0}" = 1 ] && return
  mkdir -p "Fuzz/out/${target}_corpus"
  echo "fuzzing ${target} for ${budget} s"
  if ! "$binary" -max_total_time="$budget" -print_final_stats=1 -artifact_prefix="Fuzz/out/${target}-" \
      ${flags[$target]:-} "Fuzz/out/${target}_corpus" "Fuzz/corpus/${target}" 2>"Fuzz/out/${target}.log"; then
    echo "fuzz target ${target} failed; see Fuzz/out/${target}.log and the crash input in Fuzz/out/" >&2
    tail -40 "Fuzz/out/${target}.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "Fuzz/out/${target}.log" | tail -2
  fi
}

for target in "${c_targets[@]}"; do
  selected "$target" || continue
  binary="Fuzz/out/${target}_fuzz"
  "$clang_bin" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -D_GNU_SOURCE \
    -ISources/CCapture/include "Fuzz/${target}_fuzz.c" \
    $(printf 'Sources/CCapture/%s ' ${sources[$target]}) -o "$binary" \
    >"Fuzz/out/${target}-build.log" 2>&1 || { cat "Fuzz/out/${target}-build.log" >&2; exit 1; }
  run "$target" "$binary" "$seconds"
done

# A scratch path of their own: the instrumented build never invalidates the ordinary one in .build/debug.
scratch=.build/fuzz
source Fuzz/swift/cxx-flags.sh
for target in "${swift_targets[@]}"; do
  selected "$target" || continue
  [ "$swift_seconds" = 0 ] && continue
  log="Fuzz/out/${target}-build.log"
  # The linker's warnings about ASan's local symbols are many and harmless; the rest of a failed build's log is shown.
  COINSENTRY_FUZZ=1 swift build --scratch-path "$scratch" "${swift_cxx_flags[@]}" --product "${target}_fuzz" \
    >"$log" 2>&1 \
    || { grep -v "Cannot export local symbol" "$log" >&2; exit 1; }
  run "$target" "$scratch/debug/${target}_fuzz" "$swift_seconds"
done
exit $status
