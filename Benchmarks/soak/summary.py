#!/usr/bin/env python3
"""The soak's summary from its samples: summary.py SOAK.csv ALERTS.jsonl START_EPOCH MINER_START BLAST_LINE"""
import csv
import json
import sys
from datetime import datetime

rows = list(csv.DictReader(open(sys.argv[1])))
alerts_path, start, miner_start, blast = sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
if not rows:
    sys.exit("no samples")
num = lambda row, key: float(row[key])
# Warm-up: the host table fills until the first replaced hosts expire (ten minutes of silence), and a host's state
# reaches its full size at its first window (the shipped model: 120 s after its first traffic); replaced hosts keep
# arriving, so a state that grew with a host's age would never settle in a churning run. The first 20 minutes, or half
# of a run shorter than 25 minutes.
last = num(rows[-1], "seconds")
warm = [r for r in rows if num(r, "seconds") >= (1200 if last >= 1500 else last / 2)]
rss = [num(r, "rss_kib") / 1024 for r in warm] or [num(rows[-1], "rss_kib") / 1024]
cpu = [num(r, "cpu_percent") for r in rows if num(r, "seconds") <= last - 30]
spread = (max(rss) - min(rss)) / min(rss) * 100
end = rows[-1]
print(f"RSS after warm-up: {min(rss):.1f} to {max(rss):.1f} MiB (spread {spread:.1f} %, target within 5 %:"
      f" {'met' if spread <= 5 else 'MISSED'}); first sample {num(rows[0], 'rss_kib') / 1024:.1f} MiB")
print(f"CPU of coinsentryd: mean {sum(cpu) / max(len(cpu), 1):.1f} % of one core, highest {max(cpu or [0]):.1f} %")
received = int(num(end, "kernel_received"))
drops = {k: int(num(end, k)) for k in ("kernel_dropped", "interface_dropped", "ring_dropped")}
print(f"packets: {int(num(end, 'packets')):,} counted, {received:,} received by the kernel socket; drops: "
      + ", ".join(f"{k.replace('_dropped', '')} {v:,}" for k, v in drops.items()))
print(f"hosts: at most {max(int(num(r, 'hosts_tracked')) for r in rows):,} tracked at once, "
      f"{int(num(end, 'hosts_expired')):,} expired, {int(num(end, 'host_table_full')):,} packets refused by a full table;"
      f" flows: at most {max(int(num(r, 'flows_tracked')) for r in rows):,} tracked, "
      f"{int(num(end, 'flows_evicted')):,} evicted, {int(num(end, 'flows_expired')):,} expired, "
      f"{format(int(num(end, 'flows_not_tracked')), ',') if 'flows_not_tracked' in end else 'uncounted'} packets of flows"
      " that found the table full; "
      f"windows decided {int(num(end, 'windows_decided')):,}")
alerts = []
try:
    alerts = [json.loads(line) for line in open(alerts_path) if line.strip()]
except FileNotFoundError:
    pass
host = lambda alert: alert.get("coinsentry", {}).get("host")
miner = [a for a in alerts if host(a) == "10.255.0.1"]
others = {host(a) for a in alerts if host(a) != "10.255.0.1"}
if miner:
    when = datetime.fromisoformat(miner[0]["timestamp"].replace("Z", "+00:00")).timestamp()
    first = miner[0]["coinsentry"]
    print(f"the miner's first alert: {first.get('level')} by rule {first.get('rule')},"
          f" {when - start - miner_start:.1f} s after its first stratum message")
else:
    print("the miner raised NO alert")
print(f"alerts: {len(alerts)} in all, {len(others)} other hosts alerted (synthetic TLS-like traffic, not real)")
print(f"traffic: {blast}")
