#!/usr/bin/env bash
# coinsentry-web under wrk: p50 and p99 latency of the hosts, host and alerts endpoints with 10,000 hosts tracked by a
# live coinsentryd (traffic from `blast` on a veth pair) and 100,000 alerts in its store, against a static file
# served by the same process (the anchor), and the weight of each page (its HTML, scripts and style sheets).
#   Benchmarks/web/bench.sh [SECONDS]      (default 10 per endpoint; as root; needs wrk and curl)
# SKIP_BUILD=1 uses the release binaries as they are; BIN=DIR takes them from DIR.
set -uo pipefail
source "$(dirname "$0")/../soak/lib.sh"
seconds="${1:-10}"
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }
build
[ "${SKIP_BUILD:-0}" = 1 ] || swift build -c release --product coinsentry-web >/dev/null || exit 1
web_pid=""
trap '[ -n "$web_pid" ] && kill "$web_pid" 2>/dev/null; teardown' EXIT
veth
# 1. A store with a real alert (the stratum host), then 100,000 made from it: 2,000 hosts, levels and rules varied,
#    one every 30 s back from now. No sink, so none of them is delivered anywhere on the next start.
JSON_FILE="" start_daemon
ip netns exec "$ns" "$work/blast" "$b" 1000 5 steady 10 0 0 >/dev/null 2>&1
sleep 3
teardown
veth
db="$work/state/alerts.sqlite"
sqlite3 "$db" "
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
  INSERT INTO alerts (time_us, sensor, event, host, verdict, score, windows, model, evidence, action, requested_by,
                      level, rule, reason)
  SELECT a.time_us - n.i * 30000000, a.sensor, CASE n.i % 3 WHEN 0 THEN 'cleared' ELSE a.event END,
         '10.' || (n.i % 2000 / 256) || '.' || (n.i % 256) || '.7', a.verdict, a.score, a.windows, a.model,
         a.evidence, a.action, a.requested_by, CASE n.i % 4 WHEN 0 THEN 'suspect' ELSE a.level END,
         CASE n.i % 5 WHEN 0 THEN 'vote' WHEN 1 THEN 'pool-name' ELSE a.rule END, a.reason
  FROM n, (SELECT * FROM alerts ORDER BY id LIMIT 1) a;" || exit 1
echo "alerts in the store: $(sqlite3 "$db" 'SELECT count(*) FROM alerts')"
# 2. The daemon again on that store, 10,000 hosts sending throughout (20,000 packets/s, flow tracking on).
KEEP_STATE=1 JSON_FILE="" start_daemon
ip netns exec "$ns" "$work/blast" "$b" 20000 $((seconds * 8 + 120)) steady 10000 0 0 >/dev/null 2>&1 &
blast=$!
sleep 15
echo "hosts tracked by coinsentryd: $(stats_json | jq '.interfaces[0].counters.hosts_tracked')"
# 3. The console on loopback over the daemon's socket.
port=18810
cat > "$work/web.toml" <<TOML
[web]
listen = "127.0.0.1:$port"
assets = "$PWD/web"
vendor = "/usr/share/javascript"
[daemons]
sensor_socket = "$PWD/$work/control.sock"
chain_socket = "$PWD/$work/no-chain.sock"
TOML
"$bin/coinsentry-web" --config "$work/web.toml" >"$work/web.log" 2>&1 &
web_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/css/console.css" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"
host=$(curl -s "$base/api/v1/sensor/hosts?sort=bytes&limit=1" | jq -r '.hosts[0].host')
echo "machine: $(machine); wrk: 1 thread, 8 connections, $seconds s each"
printf "%-58s %10s %10s %12s %8s\n" "endpoint" "p50 ms" "p99 ms" "requests/s" "ratio"
anchor=""
run() {  # $1 label, $2 path
  local out p50 p99 rps
  out=$(wrk -t1 -c8 -d"${seconds}s" --latency "$base$2")
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  [ -n "$anchor" ] || anchor=$rps
  printf "%-58s %10s %10s %12s %8s%s\n" "$1" "$(ms "$p50")" "$(ms "$p99")" "$rps" \
    "$(awk -v a="$anchor" -v r="$rps" 'BEGIN{printf "%.3f", r / a}')" "${non2xx:+ ($non2xx not 2xx)}"
}
ms() { awk -v v="$1" 'BEGIN{ if (v ~ /us$/) {sub(/us/,"",v); printf "%.2f", v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v); printf "%.2f", v} else {sub(/s/,"",v); printf "%.0f", v*1000} }'; }
run "static file /css/console.css (anchor)" "/css/console.css"
run "hosts, first page of 50 by score" "/api/v1/sensor/hosts?limit=50"
run "hosts, page 100 of 50 by bytes" "/api/v1/sensor/hosts?sort=bytes&offset=5000&limit=50"
run "host $host" "/api/v1/sensor/hosts/$host"
run "host $host, the day by hour" "/api/v1/sensor/hosts/$host?span=86400"
run "alerts, latest 100" "/api/v1/sensor/alerts?limit=100"
run "alerts of one host" "/api/v1/sensor/alerts?host=10.0.1.7&limit=100"
run "alerts grouped by host and rule (every alert, by the store)" "/api/v1/sensor/alerts?group=host-rule"
run "overview" "/api/v1/overview"
echo "page weights (HTML, scripts and style sheets it loads, uncompressed; Bootstrap and Chart.js from Debian):"
for page in / /host.html /alerts.html /chain.html /testbed.html /login.html; do
  html=$(curl -s "$base$page")
  total=${#html}
  assets=$(echo "$html" | grep -oE '(href|src)="/[^"]+"' | sed -E 's/.*="([^"]+)"/\1/')
  script=$(echo "$assets" | grep '^/js/' | head -1)
  [ -n "$script" ] && assets="$assets"$'\n'"$(curl -s "$base$script" | grep -oE 'from "\./[^"]+"' | sed -E 's|from "\./|/js/|; s/"$//' | sort -u)"
  for asset in $(echo "$assets" | sort -u); do
    total=$((total + $(curl -s -o /dev/null -w '%{size_download}' "$base$asset")))
  done
  printf "  %-14s %8d bytes (%d files)\n" "$page" "$total" "$(( $(echo "$assets" | sort -u | grep -c .) + 1 ))"
done
kill "$blast" 2>/dev/null
