#!/usr/bin/env bash
# Records one session of session.py over loopback with tcpdump: the pool (or near-miss server) on 127.0.0.1, the
# client bound to 127.0.0.2, so `--local-net 127.0.0.2/32` makes the client the one local host.
#   captures/tools/record.sh DIALECT PORT WORKER OUT.pcap     (root: tcpdump on lo)
set -euo pipefail
dialect="$1" port="$2" worker="$3" out="$4"
tools="$(cd "$(dirname "$0")" && pwd)"
tcpdump -i lo -U -s 0 -w "$out" "tcp port $port" 2>/dev/null &
dump=$!
sleep 1
python3 "$tools/session.py" serve "$dialect" --port "$port" &
server=$!
sleep 0.3
python3 "$tools/session.py" connect "$dialect" --port "$port" --source 127.0.0.2 --worker "$worker" --seconds 3
wait "$server"
sleep 0.5
kill -INT "$dump"
wait "$dump" || true
