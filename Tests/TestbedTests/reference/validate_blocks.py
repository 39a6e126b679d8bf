#!/usr/bin/python3
"""Independent validation of a testbed chain with Debian's python3-bitcoinlib (a library nobody here wrote).

Usage: validate_blocks.py BLOCKS_DIR

Reads every record of BLOCKS_DIR/blk*.dat (regtest magic), deserialises each block and transaction with
python-bitcoinlib, and checks: the regtest genesis block comes first; each block extends the previous one;
CheckBlock (proof of work at regtest difficulty, merkle root, witness commitment, transaction sanity); the BIP-34
height in each coinbase; every input spends an existing unspent output (no double spends), coinbase outputs only
after 100 blocks; inputs cover outputs; the coinbase claims no more than subsidy plus fees; every P2PKH and P2SH
input's script with VerifyScript; every P2WPKH input's BIP-143 signature with python-bitcoinlib's SignatureHash and
CPubKey.verify. P2TR inputs are counted (python-bitcoinlib has no Schnorr); the Swift tests verify those.

Prints one JSON object of counts on standard output; exits 1 with the first problem on standard error.
"""
import glob
import json
import os
import struct
import sys

import bitcoin
from bitcoin.core import CBlock, CheckBlock, Hash160, b2lx
from bitcoin.core.key import CPubKey
from bitcoin.core.script import (CScript, SIGHASH_ALL, SIGVERSION_WITNESS_V0, SignatureHash)
from bitcoin.core.scripteval import SCRIPT_VERIFY_CLEANSTACK, SCRIPT_VERIFY_P2SH, VerifyScript

REGTEST_MAGIC = bytes.fromhex("fabfb5da")
REGTEST_GENESIS = "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206"
COINBASE_MATURITY = 100
HALVING_INTERVAL = 150


class Invalid(Exception):
    pass


def read_blocks(directory):
    for path in sorted(glob.glob(os.path.join(directory, "blk*.dat"))):
        data = open(path, "rb").read()
        offset = 0
        while offset + 8 <= len(data):
            if data[offset:offset + 4] != REGTEST_MAGIC:
                raise Invalid("%s offset %d: not the regtest magic" % (path, offset))
            (length,) = struct.unpack("<I", data[offset + 4:offset + 8])
            yield path, offset, CBlock.deserialize(data[offset + 8:offset + 8 + length])
            offset += 8 + length
        if offset != len(data):
            raise Invalid("%s: %d trailing bytes" % (path, len(data) - offset))


def subsidy(height):
    halvings = height // HALVING_INTERVAL
    return 0 if halvings >= 64 else (50 * 100_000_000) >> halvings


def coinbase_height(block):
    script = block.vtx[0].vin[0].scriptSig
    first = script[0]
    if 0x51 <= first <= 0x60:
        return first - 0x50
    return int.from_bytes(script[1:1 + first], "little")


def kind(script):
    script = CScript(script)
    if script.is_p2sh():
        return "p2sh"
    if len(script) == 25 and script[:3] == b"\x76\xa9\x14" and script[23:] == b"\x88\xac":
        return "p2pkh"
    if len(script) == 22 and script[:2] == b"\x00\x14":
        return "p2wpkh"
    if len(script) == 34 and script[:2] == b"\x51\x20":
        return "p2tr"
    return "other"


def validate(directory):
    bitcoin.SelectParams("regtest")
    utxo = {}
    counts = {"blocks": 0, "transactions": 0, "fees": 0}
    previous = None
    for path, offset, block in read_blocks(directory):
        where = "%s offset %d (block %s)" % (path, offset, b2lx(block.GetHash()))
        height = counts["blocks"]
        if height == 0:
            if b2lx(block.GetHash()) != REGTEST_GENESIS:
                raise Invalid(where + ": the first block is not the regtest genesis block")
        else:
            if block.hashPrevBlock != previous:
                raise Invalid(where + ": does not extend the previous block")
            if coinbase_height(block) != height:
                raise Invalid(where + ": coinbase declares height %d, block is at %d"
                              % (coinbase_height(block), height))
        try:
            CheckBlock(block, fCheckPoW=True, fCheckMerkleRoot=True, cur_time=block.nTime + 1)
        except Exception as error:
            raise Invalid(where + ": CheckBlock: %s" % error)
        fees = 0
        for position, tx in enumerate(block.vtx):
            txid = tx.GetTxid()
            if position > 0:
                fees += validate_transaction(tx, utxo, height, where)
                counts["transactions"] += 1
            for index, out in enumerate(tx.vout):
                utxo[(txid, index)] = (out.nValue, bytes(out.scriptPubKey), height, position == 0)
        if height > 0:
            claimed = sum(out.nValue for out in block.vtx[0].vout)
            if claimed > subsidy(height) + fees:
                raise Invalid(where + ": coinbase claims %d, subsidy plus fees is %d"
                              % (claimed, subsidy(height) + fees))
        counts["fees"] += fees
        counts["blocks"] += 1
        previous = block.GetHash()
    for kind_name, count in tally(utxo).items():
        counts.setdefault("unspent", {})[kind_name] = count
    return counts


def validate_transaction(tx, utxo, height, where):
    total_in = 0
    txid = b2lx(tx.GetTxid())
    for index, txin in enumerate(tx.vin):
        key = (txin.prevout.hash, txin.prevout.n)
        if key not in utxo:
            raise Invalid("%s tx %s input %d: spends a missing or already spent output" % (where, txid, index))
        value, script, coin_height, is_coinbase = utxo.pop(key)
        if is_coinbase and height - coin_height < COINBASE_MATURITY:
            raise Invalid("%s tx %s input %d: immature coinbase (%d blocks)" % (where, txid, index,
                                                                             height - coin_height))
        total_in += value
        verify_input(tx, index, value, script, "%s tx %s input %d" % (where, txid, index))
    total_out = sum(out.nValue for out in tx.vout)
    if total_out > total_in:
        raise Invalid("%s tx %s: outputs %d exceed inputs %d" % (where, txid, total_out, total_in))
    return total_in - total_out


VERIFIED = {"p2pkh": 0, "p2sh": 0, "p2wpkh": 0, "p2tr": 0}


def verify_input(tx, index, value, script, where):
    script_kind = kind(script)
    txin = tx.vin[index]
    if script_kind in ("p2pkh", "p2sh"):
        try:
            VerifyScript(txin.scriptSig, CScript(script), tx, index,
                         flags=(SCRIPT_VERIFY_P2SH, SCRIPT_VERIFY_CLEANSTACK))
        except Exception as error:
            raise Invalid("%s: VerifyScript: %s" % (where, error))
    elif script_kind == "p2wpkh":
        stack = tx.wit.vtxinwit[index].scriptWitness.stack
        if len(stack) != 2 or len(txin.scriptSig) != 0:
            raise Invalid("%s: a P2WPKH spend has two witness items and an empty scriptSig" % where)
        signature, pubkey = stack
        if Hash160(pubkey) != script[2:]:
            raise Invalid("%s: witness public key does not match the program" % where)
        if signature[-1] != SIGHASH_ALL:
            raise Invalid("%s: sighash type %d, expected SIGHASH_ALL" % (where, signature[-1]))
        script_code = CScript(b"\x76\xa9\x14" + script[2:] + b"\x88\xac")
        digest = SignatureHash(script_code, tx, index, SIGHASH_ALL, amount=value, sigversion=SIGVERSION_WITNESS_V0)
        if not CPubKey(pubkey).verify(digest, signature[:-1]):
            raise Invalid("%s: BIP-143 signature does not verify" % where)
    elif script_kind == "p2tr":
        stack = tx.wit.vtxinwit[index].scriptWitness.stack
        if len(stack) != 1 or len(stack[0]) != 64:
            raise Invalid("%s: a key-path P2TR spend has one 64-byte witness item" % where)
    else:
        raise Invalid("%s: spends a script the testbed never makes (%s)" % (where, script.hex()))
    VERIFIED[script_kind] += 1


def tally(utxo):
    result = {}
    for _, script, _, _ in utxo.values():
        name = kind(script)
        result[name] = result.get(name, 0) + 1
    return result


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        counts = validate(sys.argv[1])
    except Invalid as error:
        print("invalid: %s" % error, file=sys.stderr)
        return 1
    counts["verified"] = {name: VERIFIED[name] for name in ("p2pkh", "p2sh", "p2wpkh")}
    counts["unverified_p2tr"] = VERIFIED["p2tr"]
    print(json.dumps(counts, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
