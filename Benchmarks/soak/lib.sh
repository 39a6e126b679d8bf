# Shared by the soak, flood and rate benchmarks (sourced): a release coinsentryd listening on one end of a veth pair
# whose other end lives in a network namespace, where `blast` writes the traffic. As root.
[ "$(id -u)" = 0 ] || { echo "needs root (veth pair, network namespace, live capture)"; exit 1; }
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
work=Benchmarks/work/soak
mkdir -p "$work"
ns=cssoak; a=cssoaka; b=cssoakb
daemon_pid=""

bin="${BIN:-.build/release}"  # BIN=DIR takes the binaries from elsewhere (with SKIP_BUILD=1)
build() {  # SKIP_BUILD=1 uses the release binaries as they are
  [ "${SKIP_BUILD:-0}" = 1 ] || {
  swift build -c release --product coinsentryd >/dev/null || exit 1
  swift build -c release --product coinsentryctl >/dev/null || exit 1; }
  cc -O2 -Wall -o "$work/blast" Benchmarks/soak/blast.c || exit 1
}

teardown() {
  [ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  daemon_pid=""
  ip link del "$a" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
}

veth() {
  teardown
  ip netns add "$ns"
  ip link add "$a" type veth peer name "$b"
  ip link set "$b" netns "$ns"
  ip link set "$a" up
  ip netns exec "$ns" ip link set "$b" up
}

# start_daemon [EXTRA_CAPTURE_TOML]: the shipped model, flow tracking on, the capture thread on CPU 1, alerts to a
# JSON file (JSON_FILE="" for none); a new state directory unless KEEP_STATE=1; waits for the control socket.
start_daemon() {
  [ "${KEEP_STATE:-0}" = 1 ] || rm -rf "$work/state"
  rm -f "$work/alerts.jsonl"
  cat > "$work/coinsentry.toml" <<TOML
sensor_id = "soak"
state_directory = "$PWD/$work/state"
[capture]
interfaces = ["$a"]
local_networks = ["10.0.0.0/8", "fd00::/16"]
cpu = 1
track_flows = true
${1:-}
[model]
path = "$PWD/etc/coinsentry/model.json"
pool_path = "$PWD/etc/coinsentry/pool-model.json"
[alerts]
journald = false
json_file = "${JSON_FILE-$PWD/$work/alerts.jsonl}"
[metrics]
listen = ""
[control]
socket = "$PWD/$work/control.sock"
group = ""
TOML
  "$bin/coinsentryd" --config "$work/coinsentry.toml" >"$work/daemon.log" 2>&1 &
  daemon_pid=$!
  for _ in $(seq 100); do [ -S "$work/control.sock" ] && return 0; sleep 0.1; done
  echo "coinsentryd did not start:"; cat "$work/daemon.log"; exit 1
}

ctl() { local command=$1; shift; "$bin/coinsentryctl" "$command" --socket "$work/control.sock" "$@"; }
stats_json() { ctl stats --json; }
machine() { echo "$(lscpu | sed -n 's/^Model name:[[:space:]]*//p'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kib() { awk '/VmRSS/{print $2}' "/proc/$1/status"; }
