#!/usr/bin/env python3
"""Writes a synthetic regtest chain for ingestion benchmarks: blk00000.dat (regtest magic) and chain.json (the
getblock verbosity-2 replies the stand-in node of fake_node.py serves).

Blocks are mined at regtest difficulty with correct merkle roots; each transaction spends one earlier P2WPKH output
into two new ones (placeholder witnesses: nothing here verifies scripts).

usage: make_regtest_blocks.py OUTDIR [--blocks N] [--tx-per-block K]
"""
import argparse
import hashlib
import json
import os
import struct


def dsha(data):
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def compact(n):
    if n < 0xfd:
        return bytes([n])
    if n <= 0xffff:
        return b"\xfd" + struct.pack("<H", n)
    return b"\xfe" + struct.pack("<I", n)


def p2wpkh(i):
    return b"\x00\x14" + hashlib.new("sha256", b"bench key %d" % i).digest()[:20]


def tx_bytes(inputs, outputs, witness):
    body = compact(len(inputs)) + b"".join(txid + struct.pack("<I", n) + b"\x00" + b"\xff\xff\xff\xff"
                                           for txid, n in inputs)
    body += compact(len(outputs)) + b"".join(struct.pack("<q", v) + compact(len(s)) + s for v, s in outputs)
    stripped = struct.pack("<i", 2) + body + b"\x00\x00\x00\x00"
    if not witness:
        return stripped, stripped
    wit = b"".join(compact(len(items)) + b"".join(compact(len(x)) + x for x in items) for items in witness)
    full = struct.pack("<i", 2) + b"\x00\x01" + body + wit + b"\x00\x00\x00\x00"
    return full, stripped


def merkle(hashes):
    while len(hashes) > 1:
        if len(hashes) % 2:
            hashes.append(hashes[-1])
        hashes = [dsha(hashes[i] + hashes[i + 1]) for i in range(0, len(hashes), 2)]
    return hashes[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--blocks", type=int, default=200)
    parser.add_argument("--tx-per-block", type=int, default=100)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    unspent = []
    key = 0
    prev = b"\x00" * 32
    records = []
    replies = []
    for height in range(args.blocks):
        txs = []
        for _ in range(min(args.tx_per_block, len(unspent))):
            txid, n, value = unspent.pop(0)
            half = (value - 500) // 2
            key += 2
            full, stripped = tx_bytes([(txid, n)], [(half, p2wpkh(key)), (value - 500 - half, p2wpkh(key + 1))],
                                      [[b"\x30" * 71, b"\x02" * 33]])
            new_txid = dsha(stripped)
            unspent += [(new_txid, 0, half), (new_txid, 1, value - 500 - half)]
            txs.append((full, stripped))
        if height == 0:
            script_sig = b"\x00\x00"
        elif height <= 16:
            script_sig = bytes([0x50 + height, 0])
        else:
            number = height.to_bytes((height.bit_length() + 8) // 8, "little")  # minimal, sign bit clear
            script_sig = bytes([len(number)]) + number
        wtxids = [b"\x00" * 32] + [dsha(full) for full, _ in txs]
        commitment = dsha(merkle(wtxids) + b"\x00" * 32)
        coinbase_in = compact(1) + b"\x00" * 32 + b"\xff\xff\xff\xff" + compact(len(script_sig)) + script_sig \
            + b"\xff\xff\xff\xff"
        coinbase_out = compact(2) + struct.pack("<q", 50 * 10 ** 8) + compact(22) + p2wpkh(10 ** 9 + height) \
            + struct.pack("<q", 0) + compact(38) + b"\x6a\x24\xaa\x21\xa9\xed" + commitment
        coinbase_stripped = struct.pack("<i", 2) + coinbase_in + coinbase_out + b"\x00\x00\x00\x00"
        coinbase_full = struct.pack("<i", 2) + b"\x00\x01" + coinbase_in + coinbase_out + b"\x01\x20" \
            + b"\x00" * 32 + b"\x00\x00\x00\x00"
        coinbase_txid = dsha(coinbase_stripped)
        unspent.append((coinbase_txid, 0, 50 * 10 ** 8))
        all_txs = [(coinbase_full, coinbase_stripped)] + txs
        root = merkle([dsha(s) for _, s in all_txs])
        time_ = 1_700_000_000 + height * 600
        nonce = 0
        while True:
            header = struct.pack("<i", 0x20000000) + prev + root + struct.pack("<III", time_, 0x207fffff, nonce)
            block_hash = dsha(header)
            if int.from_bytes(block_hash, "little") <= 0x7fffff << (8 * (0x20 - 3)):
                break
            nonce += 1
        block = header + compact(len(all_txs)) + b"".join(full for full, _ in all_txs)
        records.append(b"\xfa\xbf\xb5\xda" + struct.pack("<I", len(block)) + block)
        reply = {"hash": block_hash[::-1].hex(), "height": height, "version": 0x20000000,
                 "merkleroot": root[::-1].hex(), "time": time_, "nonce": nonce, "bits": "207fffff",
                 "tx": [{"txid": dsha(s)[::-1].hex(), "hex": full.hex()} for full, s in all_txs]}
        if height > 0:
            reply["previousblockhash"] = prev[::-1].hex()
        replies.append(reply)
        prev = block_hash
    with open(os.path.join(args.out, "blk00000.dat"), "wb") as f:
        f.write(b"".join(records))
    with open(os.path.join(args.out, "chain.json"), "w") as f:
        json.dump({"chain": "regtest", "blocks": replies}, f)
    print(f"{args.blocks} blocks, {sum(len(r['tx']) for r in replies)} transactions")


if __name__ == "__main__":
    main()
