#!/usr/bin/env python3
"""Stretches a classic pcap's timestamps by a factor K around its first packet: t' = t0 + (t - t0) * K.

Undoes the time compression of pool_session.py (--speed K). Reads and writes classic pcap (microsecond or
nanosecond, either byte order); standard library only.
  pcap_timescale.py IN.pcap OUT.pcap K
"""
import struct
import sys


def main():
    source, target, factor = sys.argv[1], sys.argv[2], float(sys.argv[3])
    data = open(source, "rb").read()
    magic = data[:4]
    orders = {b"\xd4\xc3\xb2\xa1": ("<", 1e6), b"\xa1\xb2\xc3\xd4": (">", 1e6),
              b"\x4d\x3c\xb2\xa1": ("<", 1e9), b"\xa1\xb2\x3c\x4d": (">", 1e9)}
    if magic not in orders:
        sys.exit(f"{source}: not a classic pcap file (pcapng is not supported)")
    order, units = orders[magic]
    out = bytearray(data[:24])
    position, first = 24, None
    while position + 16 <= len(data):
        seconds, fraction, captured, original = struct.unpack(order + "IIII", data[position:position + 16])
        stamp = seconds * units + fraction
        first = stamp if first is None else first
        scaled = int(round(first + (stamp - first) * factor))
        out += struct.pack(order + "IIII", scaled // int(units), scaled % int(units), captured, original)
        out += data[position + 16:position + 16 + captured]
        position += 16 + captured
    open(target, "wb").write(bytes(out))


if __name__ == "__main__":
    main()
