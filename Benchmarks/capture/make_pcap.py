#!/usr/bin/env python3
"""Writes the capture benchmark's inputs. Deterministic (fixed seeds).

Usage: make_pcap.py OUT.pcap [PACKETS] [SECONDS] [--profile sparse|busy]

sparse (default; PACKETS 1,000,000 over SECONDS 1,000): TCP and UDP between 1,000 local hosts in 10.1.0.0/16 (and
  their IPv6 twins in fd00::/16) and 5,000 remote hosts (each local host talks to its own four peers, the first
  most), a few VLAN-tagged, about one packet per host per second: the worst case for per-host interval records (one
  record per packet), and a new source port on every packet (every TCP packet a flow seen mid-stream). Frames are
  complete (no snap-length cut), so the same file can be sent with tcpreplay for the live benchmark.

busy (PACKETS over SECONDS 180): a headers-only capture (snap length 96) of a busier network: 250 local hosts whose
  activity falls off as 1/rank, each with six long-lived connections (TLS on 443, HTTP, SSH, IMAPS, XMPP, DNS over
  UDP) whose sequence numbers advance with their data; data segments of 1-1,400 bytes (TLS ones start with a TLS
  record header) and pure ACKs, both directions, a few VLAN-tagged and IPv6. About 70 active hosts per second, so a
  few dozen packets per interval record.
"""
import random
import struct
import sys

args = [a for a in sys.argv[1:] if not a.startswith('--profile')]
profile = 'sparse'
for i, a in enumerate(sys.argv):
    if a.startswith('--profile'):
        profile = a.split('=', 1)[1] if '=' in a else sys.argv[i + 1]
        if '=' not in a:
            args.remove(profile)
out = args[0]
packets = int(args[1]) if len(args) > 1 else 1_000_000
seconds = float(args[2]) if len(args) > 2 else (1000.0 if profile == "sparse" else 180.0)
start = 1_700_000_000
MACS = b'\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01'


def v6(address, local):  # local hosts in fd00::/16, remote ones in 2001:db8::/32
    prefix = b'\xfd\x00' + bytes(2) if local else b'\x20\x01\x0d\xb8'
    return prefix + bytes(8) + struct.pack('>I', address)


def frame(ipv6, vlan, proto, src, dst, src_local, sport, dport, seq, payload, ident):
    """(captured frame, its length on the wire): IP total length counts the whole payload."""
    if proto == 17:
        l4 = struct.pack('>HHHH', sport, dport, 8 + len(payload), 0)
    else:
        l4 = struct.pack('>HHIIBBHHH', sport, dport, seq & 0xffffffff, 0, 0x50, 0x18, 65535, 0, 0)
    if ipv6:
        ip = struct.pack('>IHBB', 0x60000000, len(l4) + len(payload), proto, 64)
        ip += v6(src, src_local) + v6(dst, not src_local)
        ethertype = b'\x86\xdd'
    else:
        ip = struct.pack('>BBHHHBBH', 0x45, 0, 20 + len(l4) + len(payload), ident & 0xffff, 0x4000, 64, proto, 0)
        ip += struct.pack('>II', src, dst)
        ethertype = b'\x08\x00'
    return MACS + (b'\x81\x00\x00\x0a' if vlan else b'') + ethertype + ip + l4 + payload


def write(f, t, data, snaplen=None):
    sec = int(t)
    caplen = len(data) if snaplen is None else min(len(data), snaplen)
    f.write(struct.pack('<IIII', sec, int((t - sec) * 1e6), caplen, len(data)))
    f.write(data[:caplen])


def sparse(f):
    rng = random.Random(2026)
    for i in range(packets):
        t = start + seconds * i / packets
        host = rng.randrange(1000)
        local = 0x0A010000 | host
        peer = rng.choices((0, 1, 2, 3), weights=(60, 25, 10, 5))[0]
        remote = 0xC6330000 | ((host * 7 + peer) % 5000)  # 198.51.x.x
        payload = bytes(rng.randrange(0, 80))
        outgoing = rng.random() < 0.5
        src, dst = (local, remote) if outgoing else (remote, local)
        ipv6 = i % 50 == 0
        proto = 6 if ipv6 or i % 7 != 0 else 17
        dport = 53 if proto == 17 else 443
        write(f, t, frame(ipv6, i % 10 == 3, proto, src, dst, outgoing, 40000 + (i & 1023), dport, i, payload, i))


def busy(f):
    rng = random.Random(2027)
    hosts = 250
    services = [(6, 443, 0.40), (6, 80, 0.15), (6, 22, 0.10), (6, 993, 0.10), (6, 5222, 0.10), (17, 53, 0.15)]
    flows = []  # per host: [(proto, remote, client port, server port, [seq to server, seq to client])]
    for host in range(hosts):
        flows.append([(proto, 0xC6330000 | rng.randrange(5000), 32768 + rng.randrange(28000), port, [rng.getrandbits(32),
                       rng.getrandbits(32)]) for proto, port, _ in services])
    host_weights = [1 / (rank + 1) for rank in range(hosts)]
    service_weights = [w for _, _, w in services]
    chosen_hosts = rng.choices(range(hosts), weights=host_weights, k=packets)
    for i in range(packets):
        t = start + seconds * i / packets
        host = chosen_hosts[i]
        proto, remote, client_port, server_port, seqs = flows[host][rng.choices(range(6), weights=service_weights)[0]]
        local = 0x0A010000 | host
        outgoing = rng.random() < 0.5
        if proto == 17:
            size = rng.randrange(30, 120)
            payload = bytes(size)
        elif rng.random() < 0.4:
            size, payload = 0, b''
        else:
            size = rng.randrange(1, 1401)
            header = struct.pack('>BHH', 0x17, 0x0303, max(size - 5, 0)) if server_port == 443 and size >= 5 else b''
            payload = (header + bytes(size))[:size]
        direction = 0 if outgoing else 1
        seq = seqs[direction]
        seqs[direction] = (seq + size) & 0xffffffff
        src, dst = (local, remote) if outgoing else (remote, local)
        sport, dport = (client_port, server_port) if outgoing else (server_port, client_port)
        data = frame(host % 50 == 7, i % 10 == 3, proto, src, dst, outgoing, sport, dport, seq, payload, i)
        write(f, t, data, snaplen=96)


with open(out, 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535 if profile == 'sparse' else 96, 1))
    {'sparse': sparse, 'busy': busy}[profile](f)
