#!/usr/bin/env bash
# Records the ordinary long sessions of captures/ordinary/ (see captures/README.md): for each line of the plan below,
# a server and a client of ordinary_session.py over loopback (server 127.0.0.1, client 127.0.0.2), in clear text or
# over TLS with a self-signed certificate made here by `openssl req`, time compressed by K (the same K as the pool
# sessions, so that loopback delays are stretched alike); tcpdump on lo per session port (TLS: whole packets, since
# the flow summary follows record headers anywhere in a segment; clear text: the first 96 bytes, headers and a few
# payload bytes, since only lengths are read); then the timestamps are stretched back by K (pcap_timescale.py).
# Sessions run BATCH at a time (default 12), to keep the 2-core machine's scheduling delays (multiplied by K) small.
# The drawn session parameters of every line are written to OUTDIR/sessions.txt; ONLY=REGEX records only the
# sessions whose names match (the others' files are kept as they are).
#   [ONLY=REGEX] captures/tools/record_ordinary.sh OUTDIR [K] [BATCH]        (root: tcpdump on lo)
set -euo pipefail
out="$1"; speed="${2:-40}"; batch="${3:-12}"
tools="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=service.example.test" \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
# name protocol tls port period jitter reconnects seed seconds
plan="
poll-clear-10s-train          poll      no  5601   10 0.0  0 101 2400
poll-tls-30s-train            poll      yes 5602   30 0.05 0 102 3600
poll-clear-60s-train          poll      no  5603   60 0.0  0 103 3600
poll-tls-60s-train            poll      yes 5604   60 0.1  1 104 3600
poll-clear-120s-train         poll      no  5605  120 0.02 0 105 3600
poll-tls-300s-train           poll      yes 5606  300 0.3  0 106 3600
poll-tls-20s-train            poll      yes 5607   20 0.01 0 107 2400
poll-clear-90s-train          poll      no  5608   90 0.2  0 108 3600
keepalive-clear-30s-train     keepalive no  5609   30 0.0  0 109 2400
keepalive-tls-60s-train       keepalive yes 5610   60 0.0  1 110 3600
keepalive-tls-120s-train      keepalive yes 5611  120 0.0  0 111 3600
keepalive-clear-300s-train    keepalive no  5612  300 0.0  0 112 3600
xmpp-tls-60s-train            xmpp      yes 5613   60 0.0  0 113 3600
xmpp-clear-120s-train         xmpp      no  5614  120 0.1  0 114 3600
xmpp-tls-300s-train           xmpp      yes 5615  300 0.0  1 115 3600
imap-tls-600s-train           imap      yes 5616  600 0.0  0 116 3600
imap-clear-1200s-train        imap      no  5617 1200 0.0  0 117 3600
imap-tls-1740s-train          imap      yes 5618 1740 0.0  0 118 3600
chat-tls-60s-train            chat      yes 5619   60 0.1  0 119 3600
chat-tls-180s-train           chat      yes 5620  180 0.0  1 120 3600
chat-clear-300s-train         chat      no  5621  300 0.2  0 121 3600
heartbeat-clear-15s-train     heartbeat no  5622   15 0.0  0 122 2400
heartbeat-tls-30s-train       heartbeat yes 5623   30 0.05 0 123 3600
heartbeat-tls-60s-train       heartbeat yes 5624   60 0.0  0 124 3600
heartbeat-clear-90s-train     heartbeat no  5625   90 0.1  0 125 3600
websocket-tls-20s-train       websocket yes 5626   20 0.0  0 126 2400
websocket-tls-30s-train       websocket yes 5627   30 0.0  1 127 3600
websocket-clear-60s-train     websocket no  5628   60 0.0  0 128 3600
push-tls-60s-train            push      yes 5629   60 0.0  0 129 3600
push-tls-180s-train           push      yes 5630  180 0.05 0 130 3600
push-tls-270s-train           push      yes 5631  270 0.0  0 131 3600
push-clear-300s-train         push      no  5632  300 0.1  0 132 3600
push-tls-600s-train           push      yes 5633  600 0.0  1 133 3600
poll-tls-45s-heldout          poll      yes 5641   45 0.02 0 201 3600
poll-clear-75s-heldout        poll      no  5642   75 0.0  0 202 3600
keepalive-tls-45s-heldout     keepalive yes 5643   45 0.0  0 203 3600
push-tls-240s-heldout         push      yes 5644  240 0.0  0 204 3600
websocket-tls-25s-heldout     websocket yes 5645   25 0.0  0 205 3600
chat-tls-120s-heldout         chat      yes 5646  120 0.1  0 206 3600
imap-tls-900s-heldout         imap      yes 5647  900 0.0  0 207 3600
heartbeat-tls-40s-heldout     heartbeat yes 5648   40 0.0  0 208 3600
poll-tls-15s-train2           poll      yes 5651   15 0.05 0 301 2400
poll-clear-45s-train2         poll      no  5652   45 0.1  0 302 3600
keepalive-tls-20s-train2      keepalive yes 5653   20 0.0  0 303 2400
keepalive-clear-90s-train2    keepalive no  5654   90 0.05 1 304 3600
xmpp-tls-30s-train2           xmpp      yes 5655   30 0.1  0 305 3600
imap-tls-300s-train2          imap      yes 5656  300 0.0  0 306 3600
chat-tls-30s-train2           chat      yes 5657   30 0.1  0 307 3600
chat-tls-90s-train2           chat      yes 5658   90 0.2  1 308 3600
chat-clear-150s-train2        chat      no  5659  150 0.0  0 309 3600
heartbeat-tls-20s-train2      heartbeat yes 5660   20 0.0  0 310 2400
heartbeat-tls-120s-train2     heartbeat yes 5661  120 0.1  0 311 3600
websocket-tls-15s-train2      websocket yes 5662   15 0.0  0 312 2400
websocket-tls-45s-train2      websocket yes 5663   45 0.1  0 313 3600
websocket-tls-60s-train2      websocket yes 5664   60 0.0  1 314 3600
push-tls-90s-train2           push      yes 5665   90 0.0  0 315 3600
push-tls-420s-train2          push      yes 5666  420 0.1  0 316 3600
poll-tls-25s-fresh            poll      yes 5671   25 0.0  0 401 3600
keepalive-tls-75s-fresh       keepalive yes 5672   75 0.05 0 402 3600
xmpp-tls-90s-fresh            xmpp      yes 5673   90 0.0  0 403 3600
imap-tls-1500s-fresh          imap      yes 5674 1500 0.0  0 404 3600
chat-tls-45s-fresh            chat      yes 5675   45 0.1  0 405 3600
heartbeat-tls-50s-fresh       heartbeat yes 5676   50 0.0  0 406 3600
websocket-tls-35s-fresh       websocket yes 5677   35 0.05 0 407 3600
push-tls-150s-fresh           push      yes 5678  150 0.0  1 408 3600
chat-clear-240s-fresh         chat      no  5679  240 0.1  0 409 3600
websocket-clear-40s-fresh     websocket no  5680   40 0.0  0 410 3600
poll-clear-20s-fresh2         poll      no  5681   20 0.05 0 501 3600
keepalive-clear-60s-fresh2    keepalive no  5682   60 0.0  0 502 3600
xmpp-clear-45s-fresh2         xmpp      no  5683   45 0.05 0 503 3600
imap-clear-900s-fresh2        imap      no  5684  900 0.0  0 504 3600
chat-tls-75s-fresh2           chat      yes 5685   75 0.1  0 505 3600
chat-clear-100s-fresh2        chat      no  5686  100 0.0  0 506 3600
heartbeat-clear-25s-fresh2    heartbeat no  5687   25 0.05 0 507 3600
websocket-tls-50s-fresh2      websocket yes 5688   50 0.0  0 508 3600
websocket-clear-30s-fresh2    websocket no  5689   30 0.02 1 509 3600
websocket-tls-90s-fresh2      websocket yes 5690   90 0.05 0 510 3600
push-tls-300s-fresh2          push      yes 5691  300 0.05 0 511 3600
push-clear-120s-fresh2        push      no  5692  120 0.0  0 512 3600
poll-tls-40s-fresh3           poll      yes 5693   40 0.02 0 601 3600
keepalive-tls-30s-fresh3      keepalive yes 5694   30 0.0  0 602 3600
xmpp-tls-120s-fresh3          xmpp      yes 5695  120 0.0  0 603 3600
imap-tls-1200s-fresh3         imap      yes 5696 1200 0.0  0 604 3600
chat-tls-150s-fresh3          chat      yes 5697  150 0.1  0 605 3600
chat-clear-60s-fresh3         chat      no  5698   60 0.05 0 606 3600
heartbeat-tls-35s-fresh3      heartbeat yes 5699   35 0.0  0 607 3600
websocket-tls-120s-fresh3     websocket yes 5700  120 0.0  0 608 3600
websocket-clear-20s-fresh3    websocket no  5701   20 0.05 0 609 3600
websocket-tls-40s-fresh3      websocket yes 5702   40 0.0  1 610 3600
push-tls-500s-fresh3          push      yes 5703  500 0.0  0 611 3600
push-clear-200s-fresh3        push      no  5704  200 0.05 0 612 3600
poll-clear-30s-fresh4         poll      no  5705   30 0.05 0 613 3600
keepalive-tls-90s-fresh4      keepalive yes 5706   90 0.0  0 614 3600
xmpp-tls-30s-fresh4           xmpp      yes 5707   30 0.0  0 615 3600
imap-tls-450s-fresh4          imap      yes 5708  450 0.0  0 616 3600
chat-tls-40s-fresh4           chat      yes 5709   40 0.1  0 617 3600
chat-clear-200s-fresh4        chat      no  5710  200 0.05 1 618 3600
heartbeat-clear-45s-fresh4    heartbeat no  5711   45 0.05 0 619 3600
websocket-tls-60s-fresh4      websocket yes 5712   60 0.0  0 620 3600
websocket-tls-15s-fresh4      websocket yes 5713   15 0.0  0 621 3600
websocket-clear-100s-fresh4   websocket no  5714  100 0.0  0 622 3600
push-tls-45s-fresh4           push      yes 5715   45 0.0  0 623 3600
push-tls-360s-fresh4          push      yes 5716  360 0.05 1 624 3600
"
record() {
  local name=$1 protocol=$2 tls=$3 port=$4 period=$5 jitter=$6 reconnects=$7 seed=$8 seconds=$9
  local common=(--port "$port" --speed "$speed" --period "$period" --jitter "$jitter" --seed "$seed")
  local snap=96 tls_server=() tls_client=()
  if [ "$tls" = yes ]; then
    snap=0; tls_server=(--tls "$work/cert.pem" "$work/key.pem"); tls_client=(--tls --sni service.example.test)
  fi
  tcpdump -i lo -U -s "$snap" -w "$work/$name.raw.pcap" "tcp port $port" 2>/dev/null &
  local dump=$!
  sleep 1
  python3 "$tools/ordinary_session.py" server "$protocol" "${common[@]}" "${tls_server[@]}" \
    --seconds "$((seconds + 200))" &
  local server=$!
  sleep 0.5
  python3 "$tools/ordinary_session.py" client "$protocol" "${common[@]}" "${tls_client[@]}" \
    --reconnects "$reconnects" --seconds "$seconds"
  sleep 0.5
  kill -INT "$dump"; wait "$dump" || true
  kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true
  python3 "$tools/pcap_timescale.py" "$work/$name.raw.pcap" "$out/$name.pcap" "$speed"
  echo "$name: $(stat -c %s "$out/$name.pcap") bytes"
}
: >"$out/sessions.txt"
pids=()
while read -r name protocol tls port period jitter reconnects seed seconds; do
  [ -n "$name" ] || continue
  echo "$name tls=$tls reconnects=$reconnects seconds=$seconds $(python3 "$tools/ordinary_session.py" client \
    "$protocol" --period "$period" --jitter "$jitter" --seed "$seed" --describe)" >>"$out/sessions.txt"
  [[ "$name" =~ ${ONLY:-.} ]] || continue
  record "$name" "$protocol" "$tls" "$port" "$period" "$jitter" "$reconnects" "$seed" "$seconds" &
  pids+=($!)
  if [ "${#pids[@]}" -ge "$batch" ]; then
    for pid in "${pids[@]}"; do wait "$pid"; done
    pids=()
  fi
done <<<"$plan"
for pid in "${pids[@]}"; do wait "$pid"; done
