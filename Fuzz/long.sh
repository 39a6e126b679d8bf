#!/usr/bin/env bash
# The long fuzzing campaign: each target until ten million executions or an hour, whichever comes first, and one
# line of figures per target.
#   Fuzz/long.sh [TARGET...]          (every target when none is named)
# Settings (environment):
#   LONG_RUNS=10000000 LONG_SECONDS=3600   the two limits (libFuzzer's -runs and -max_total_time)
#   LONG_JOBS=1          targets fuzzed at the same time (one process each)
#   LONG_PRIORITY=idle   run the fuzzers under `chrt --idle 0` (SCHED_IDLE: only CPU nothing else wants); `normal`
#                        runs them as they are
#   LONG_SWIFT_BUILD=optimised   the Swift targets' build: `optimised` (debug configuration, so `@testable` imports
#                        still work, with -O; scratch path .build/fuzz-opt) or `debug` (run.sh's, .build/fuzz)
#   LONG_BUILD=1         build first (0: use the binaries already built)
#   FUZZ_BUILD_LOCK=FILE hold `flock FILE` around each `swift build` (a machine that allows one build at a time)
# Each target's log is Fuzz/out/long/<target>.log; new inputs go to Fuzz/out/<target>_corpus/ (shared with run.sh, so
# a campaign starts from what earlier runs found); crashes, leaks, time-outs and out-of-memory inputs to
# Fuzz/out/long/<target>-*. Each finished run appends a line to Fuzz/out/long/summary.tsv:
#   target  started(UTC)  executions  wall_s  cpu_s  exec/cpu_s  cov  ft  corpus_entries  crashes  stopped_by
# where wall_s is the time the run took (including any time the process was stopped or starved) and cpu_s the CPU
# time it used; stopped_by is `runs`, `time`, `interrupted` (SIGINT or SIGTERM) or `failure`.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${LONG_RUNS:-10000000}"
seconds="${LONG_SECONDS:-3600}"
jobs="${LONG_JOBS:-1}"
priority="${LONG_PRIORITY:-idle}"
swift_build="${LONG_SWIFT_BUILD:-optimised}"
out=Fuzz/out/long
mkdir -p "$out"
clang_bin="${CLANG:-$(command -v clang)}"
source Fuzz/c-targets.sh
swift_targets=(trace_file pool_model mining_model pool_domains bitcoin_block block_file bitcoin_address
               control_request toml_config)
# As in run.sh: the file-reading targets and toml_config run without LeakSanitizer's scans (Fuzz/README.md).
# toml_config's memory grows by what TOMLKit 0.6 leaks on every parse (1.5 to 4.5 KB an input, more as the corpus's
# inputs grow): 2 GB, libFuzzer's default limit, after about 700,000 inputs, 6 GB after one to two million, so its
# limit is raised for a long run (20 GB: an hour at 1,000 inputs a second stays below it).
declare -A flags=([block_file]=-detect_leaks=0 [trace_file]=-detect_leaks=0 [mining_model]=-detect_leaks=0
                  [pool_model]=-detect_leaks=0 [toml_config]="-detect_leaks=0 -rss_limit_mb=20480")
source Fuzz/swift/cxx-flags.sh
case "$swift_build" in
  optimised) scratch=.build/fuzz-opt; swift_flags=(-Xswiftc -O) ;;
  debug) scratch=.build/fuzz; swift_flags=() ;;
  *) echo "LONG_SWIFT_BUILD must be optimised or debug" >&2; exit 2 ;;
esac
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${c_targets[@]}" "${swift_targets[@]}")
is_c() { [[ " ${c_targets[*]} " == *" $1 "* ]]; }
binary() { if is_c "$1"; then echo "$out/$1_fuzz"; else echo "$scratch/debug/$1_fuzz"; fi; }
export SWIFT_BACKTRACE=enable=no
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/swift/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

if [ "${LONG_BUILD:-1}" = 1 ]; then
  for target in "${targets[@]}"; do
    log="$out/$target-build.log"
    if is_c "$target"; then
      "$clang_bin" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -D_GNU_SOURCE \
        -ISources/CCapture/include "Fuzz/${target}_fuzz.c" \
        $(printf 'Sources/CCapture/%s ' ${sources[$target]}) -o "$(binary "$target")" >"$log" 2>&1 \
        || { cat "$log" >&2; exit 1; }
    else
      [[ " ${swift_targets[*]} " == *" $target "* ]] || { echo "no fuzz target $target" >&2; exit 2; }
      echo "building ${target}_fuzz ($swift_build)"
      ${FUZZ_BUILD_LOCK:+flock "$FUZZ_BUILD_LOCK"} env COINSENTRY_FUZZ=1 swift build --scratch-path "$scratch" \
        ${swift_flags[@]+"${swift_flags[@]}"} "${swift_cxx_flags[@]}" --product "${target}_fuzz" >"$log" 2>&1 \
        || { grep -v "Cannot export local symbol" "$log" >&2; exit 1; }
    fi
  done
fi

# One target's run; its figures go to summary.tsv and to standard output.
fuzz() {
  local target=$1 log="$out/$1.log" started start end cpu
  local corpus="Fuzz/out/${target}_corpus"
  mkdir -p "$corpus"
  local -a run=("$(binary "$target")" -runs="$runs" -max_total_time="$seconds" -print_final_stats=1
                -artifact_prefix="$out/$target-" ${flags[$target]:-} "$corpus" "Fuzz/corpus/$target")
  [ "$priority" = idle ] && run=(chrt --idle 0 "${run[@]}")
  touch "$out/$target.start"
  started=$(date -u +%FT%TZ)
  start=$(date +%s.%N)
  local status=0
  # /usr/bin/time reports the fuzzer's own CPU time (user + system) after its standard error.
  /usr/bin/time -f "cpu_seconds %U %S" -o "$out/$target.time" "${run[@]}" 2>"$log" || status=$?
  end=$(date +%s.%N)
  local executions cov ft entries crashes stopped
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  entries=$(find "$corpus" -type f | wc -l)
  crashes=$(find "$out" -maxdepth 1 \( -name "$target-crash-*" -o -name "$target-leak-*" -o -name "$target-timeout-*" \
            -o -name "$target-oom-*" \) -newer "$out/$target.start" | wc -l)
  cpu=$(awk '/^cpu_seconds/ { printf "%.1f", $2 + $3 }' "$out/$target.time")
  # 72: libFuzzer's exit on SIGINT or SIGTERM (-interrupted_exit_code's default), its final figures printed.
  if [ "$status" = 72 ] && [ "$crashes" = 0 ]; then stopped=interrupted; status=0
  elif [ "$status" != 0 ]; then stopped=failure
  elif [ "${executions:-0}" -ge "$runs" ]; then stopped=runs
  else stopped=time; fi
  local wall; wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.0f", b - a }')
  local rate; rate=$(awk -v e="${executions:-0}" -v c="$cpu" 'BEGIN { printf "%.0f", (c > 0 ? e / c : 0) }')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$started" "${executions:-?}" "$wall" "$cpu" \
    "$rate" "${cov:-?}" "${ft:-?}" "$entries" "$crashes" "$stopped" | tee -a "$out/summary.tsv"
  [ "$status" = 0 ] || echo "fuzz target $target failed ($status); see $log and $out/$target-*" >&2
  return "$status"
}

echo "fuzzing ${targets[*]}: $runs executions or $seconds s each, $jobs at a time"
printf '# target\tstarted\texecutions\twall_s\tcpu_s\texec_per_cpu_s\tcov\tft\tcorpus\tcrashes\tstopped_by\n'
status=0
running=0
for target in "${targets[@]}"; do
  if [ "$running" -ge "$jobs" ]; then wait -n || status=1; running=$((running - 1)); fi
  fuzz "$target" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do wait -n || status=1; running=$((running - 1)); done
exit $status
