#!/usr/bin/env python3
"""Writes the capture benchmark's input: N Ethernet frames (default 1,000,000) of TCP and UDP between 1,000 local
hosts in 10.1.0.0/16 and 5,000 remote hosts (each local host talks to its own four peers, the first most),
a few VLAN-tagged and IPv6, spread over 1,000 seconds: about one packet per host per second, the worst case for
per-host interval records (one record per packet).

Frames are complete (no snap-length cut), so the same file can be sent with tcpreplay for the live benchmark.
Deterministic (fixed seed). Usage: make_pcap.py OUT.pcap [PACKETS] [SECONDS]
"""
import random
import struct
import sys

out, packets = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 1000.0
rng = random.Random(2026)
start = 1_700_000_000
with open(out, 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    macs = b'\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01'
    for i in range(packets):
        t = start + seconds * i / packets
        host = rng.randrange(1000)
        local = 0x0A010000 | host
        peer = rng.choices((0, 1, 2, 3), weights=(60, 25, 10, 5))[0]
        remote = 0xC6330000 | ((host * 7 + peer) % 5000)  # 198.51.x.x
        payload = rng.randrange(0, 80)
        outgoing = rng.random() < 0.5
        src, dst = (local, remote) if outgoing else (remote, local)
        if i % 50 == 0:  # IPv6
            ip = struct.pack('>IHBB', 0x60000000, 20 + payload, 6, 64)
            def v6(address):  # local hosts in fd00::/16, remote ones in 2001:db8::/32
                prefix = b'\xfd\x00' + bytes(2) if address == local else b'\x20\x01\x0d\xb8'
                return prefix + bytes(8) + struct.pack('>I', address)
            ip += v6(src) + v6(dst)
            ethertype = b'\x86\xdd'
        else:
            proto = 17 if i % 7 == 0 else 6
            ip = struct.pack('>BBHHHBBH', 0x45, 0, 20 + (8 if proto == 17 else 20) + payload, i & 0xffff, 0x4000, 64,
                             proto, 0) + struct.pack('>II', src, dst)
            ethertype = b'\x08\x00'
        if ethertype == b'\x08\x00' and ip[9] == 17:
            l4 = struct.pack('>HHHH', 40000 + (i & 1023), 53, 8 + payload, 0)
        else:
            l4 = struct.pack('>HHIIBBHHH', 40000 + (i & 1023), 443, i, 0, 0x50, 0x18, 65535, 0, 0)
        vlan = b'\x81\x00\x00\x0a' if i % 10 == 3 else b''
        frame = macs + vlan + ethertype + ip + l4 + bytes(payload)
        sec = int(t)
        f.write(struct.pack('<IIII', sec, int((t - sec) * 1e6), len(frame), len(frame)))
        f.write(frame)
