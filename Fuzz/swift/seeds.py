#!/usr/bin/env python3
"""Writes the seed inputs of the Swift fuzz targets to Fuzz/corpus/<target>/ (run from anywhere; rerun after a format
change). Blocks, transactions and addresses are generated here; the model seeds are the shipped models cut down to a
few kilobytes; the rest are small hand-written examples of each format."""
import hashlib
import json
import os
import struct

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
corpus = os.path.join(root, "Fuzz", "corpus")


def write(target, name, data):
    os.makedirs(os.path.join(corpus, target), exist_ok=True)
    with open(os.path.join(corpus, target, name), "wb") as file:
        file.write(data.encode() if isinstance(data, str) else data)


def sha256d(data):
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def compact(n):
    if n < 0xFD:
        return bytes([n])
    if n <= 0xFFFF:
        return b"\xfd" + struct.pack("<H", n)
    return b"\xfe" + struct.pack("<I", n)


def var(data):
    return compact(len(data)) + data


def transaction(inputs, outputs, witnesses=None, version=2, lock_time=0):
    """inputs: (txid, index, scriptSig, sequence); outputs: (value, scriptPubKey); witnesses: one stack per input."""
    body = compact(len(inputs)) + b"".join(t + struct.pack("<I", i) + var(s) + struct.pack("<I", q)
                                           for t, i, s, q in inputs)
    body += compact(len(outputs)) + b"".join(struct.pack("<q", v) + var(s) for v, s in outputs)
    stripped = struct.pack("<i", version) + body + struct.pack("<I", lock_time)
    if not witnesses:
        return stripped, stripped
    stacks = b"".join(compact(len(stack)) + b"".join(var(item) for item in stack) for stack in witnesses)
    full = struct.pack("<i", version) + b"\x00\x01" + body + stacks + struct.pack("<I", lock_time)
    return full, stripped


def merkle(hashes):
    while len(hashes) > 1:
        if len(hashes) % 2:
            hashes.append(hashes[-1])
        hashes = [sha256d(hashes[i] + hashes[i + 1]) for i in range(0, len(hashes), 2)]
    return hashes[0]


def block(height, previous, spends):
    """A version-4 block: a coinbase (BIP-34 height, witness commitment) and the given (full, stripped) transactions."""
    reserved = bytes(32)
    wtxids = [bytes(32)] + [sha256d(full) for full, _ in spends]
    commitment = sha256d(merkle(wtxids) + reserved)
    height_push = bytes([3]) + struct.pack("<I", height)[:3]
    coinbase = transaction([(bytes(32), 0xFFFFFFFF, height_push + b"fuzz", 0xFFFFFFFF)],
                           [(50_0000_0000, p2wpkh(1)), (0, b"\x6a\x24\xaa\x21\xa9\xed" + commitment)],
                           witnesses=[[reserved]] if spends else None)
    transactions = [coinbase] + spends
    root = merkle([sha256d(stripped) for _, stripped in transactions])
    header = struct.pack("<i", 4) + previous + root + struct.pack("<III", 1_700_000_000 + height, 0x207FFFFF, height)
    return header + compact(len(transactions)) + b"".join(full for full, _ in transactions)


def p2wpkh(n): return b"\x00\x14" + bytes([n]) * 20
def p2pkh(n): return b"\x76\xa9\x14" + bytes([n]) * 20 + b"\x88\xac"
def p2sh(n): return b"\xa9\x14" + bytes([n]) * 20 + b"\x87"
def p2tr(n): return b"\x51\x20" + bytes([n]) * 32


multisig = b"\x51\x21\x02" + bytes([7]) * 32 + b"\x21\x03" + bytes([8]) * 32 + b"\x52\xae"
legacy = transaction([(bytes([9]) * 32, 0, b"\x47" + bytes(71), 0xFFFFFFFE)],
                     [(12_000, p2pkh(2)), (3_000, p2sh(3)), (1_000, multisig)], lock_time=700_000)
segwit = transaction([(bytes([10]) * 32, 1, b"", 0xFFFFFFFD), (bytes([11]) * 32, 2, b"", 0xFFFFFFFF)],
                     [(80_000, p2tr(4)), (5_000, b"\x00\x20" + bytes([5]) * 32), (0, b"\x6a\x04fuzz"),
                      (900, b"\x52\x02\x01\x02")],
                     witnesses=[[bytes(71), bytes([2]) * 33], [bytes([1]) * 64]])
first = block(1, bytes(32), [])
second = block(2, sha256d(first[:80]), [legacy, segwit])
write("bitcoin_block", "coinbase-only-block", first)
write("bitcoin_block", "block-with-legacy-and-segwit", second)
write("bitcoin_block", "legacy-transaction", legacy[0])
write("bitcoin_block", "segwit-transaction", segwit[0])

regtest = bytes.fromhex("fabfb5da")
records = b"".join(regtest + struct.pack("<I", len(b)) + b for b in (first, second))
write("block_file", "two-records", b"\x00" + records)
write("block_file", "garbage-between-records-skipped", b"\x01" + regtest + struct.pack("<I", len(first)) + first
      + b"garbage" + regtest + struct.pack("<I", len(second)) + second + bytes(16))
key = bytes([0x5A, 0x13, 0x00, 0xFF, 0x42, 0x99, 0x01, 0x7E])
write("block_file", "obfuscated", b"\x02" + key + bytes(b ^ key[i & 7] for i, b in enumerate(records)))

alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58check(payload):
    data = payload + sha256d(payload)[:4]
    number = int.from_bytes(data, "big")
    text = ""
    while number:
        number, digit = divmod(number, 58)
        text = alphabet[digit] + text
    return "1" * (len(data) - len(data.lstrip(b"\x00"))) + text


write("bitcoin_address", "p2pkh-mainnet", base58check(b"\x00" + bytes([2]) * 20))
write("bitcoin_address", "p2sh-testnet", base58check(b"\xc4" + bytes([3]) * 20))
write("bitcoin_address", "wif-compressed-mainnet", base58check(b"\x80" + bytes([1]) * 32 + b"\x01"))
# From the BIP-173 and BIP-350 test vectors (Tests/BitcoinDataTests/AddressTests.swift).
write("bitcoin_address", "p2wpkh-mainnet-upper", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4")
write("bitcoin_address", "p2wsh-testnet", "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7")
write("bitcoin_address", "p2tr-mainnet", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0")
write("bitcoin_address", "witness-v16", "BC1SW50QGDZ25J")

write("trace_file", "mining-like", "".join(f"{600 + 7 * i} {420 + 3 * i} 3 2\n" for i in range(12)))
write("trace_file", "blank-lines-tabs-crlf", "0 0 0 0\r\n\n1500\t60\t1\t1\r\n  40 40 1 1  \n")
write("trace_file", "large-counters", "18446744073709551615 0 1 0\n65535 65535 1 1\n")

write("pool_domains", "plain", "# pools\nnanopool.org\n*.supportxmr.com\nxmr-eu1.nanopool.org.\nsolo.ckpool.org # ok\n")
write("pool_domains", "hosts-file", "127.0.0.1 localhost\n0.0.0.0 coinhive.com\n::1 ip6-localhost\n"
      "0.0.0.0 a.example b.example\n127.0.0.1 pool.example 10.0.0.1\n")
write("pool_domains", "adblock", "[Adblock Plus 2.0]\n! comment\n||coinhive.com^\n||miner.example^$third-party\n"
      "example.net##.ad\n||example.org/path\n")


def rounded(value):
    if isinstance(value, float):
        return float(f"{value:.4g}")
    if isinstance(value, list):
        return [rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    return value


with open(os.path.join(root, "etc", "coinsentry", "model.json")) as file:
    model = json.load(file)
model.pop("metrics", None)
model["pca"]["components"] = model["pca"]["components"][:2]
model["pca"]["explainedVarianceRatio"] = model["pca"]["explainedVarianceRatio"][:2]
model["svc"]["weights"] = model["svc"]["weights"][:2]
model["training"]["traces"] = model["training"]["traces"][:1]
model["training"]["untrainedTraces"] = model["training"]["untrainedTraces"][:1]
classes = model.pop("classes")
classes.pop("metrics", None)
classes["classes"] = [dict(c, weights=c["weights"][:2]) for c in classes["classes"][:2]]
classes["traces"] = classes["traces"][:2]
write("mining_model", "binary", json.dumps(rounded(model), separators=(",", ":")))
write("mining_model", "with-classes", json.dumps(rounded(dict(model, classes=classes)), indent=1))
# Once a trap: a window of more intervals than an Int holds.
write("mining_model", "window-of-1e30-seconds",
      json.dumps(rounded(dict(model, windows=dict(model["windows"], windowSeconds=[1e30]))), separators=(",", ":")))

with open(os.path.join(root, "etc", "coinsentry", "pool-model.json")) as file:
    pool = json.load(file)
for key in ("poolCaptures", "ordinaryCaptures"):
    pool["training"][key] = pool["training"][key][:1]
write("pool_model", "shipped-cut-down", json.dumps(rounded(pool), separators=(",", ":")))
write("pool_model", "with-confidence", json.dumps(rounded(dict(pool, confidenceMessages=20, minimumAge=0)), indent=1))

write("control_request", "sensor-commands", '{"cmd":"status"}\n{"cmd":"hosts","top":5,"level":"alert"}\n'
      '{"cmd":"alerts","since":"2026-12-01T00:00:00Z","host":"10.0.0.5"}\n{"cmd":"alerts","since":1764547200}\n'
      '{"cmd":"benign","target":"10.0.0.7","reason":"lab miner","seconds":3600}\n{"cmd":"ack","id":42}\n')
write("control_request", "chain-commands", '{"cmd":"address","address":"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2'
      'e72q4k9hcz7vqzk5jj0"}\n{"cmd":"watch","address":"1111111111111111111114oLvT2"}\n{"cmd":"watchlist"}\n')
write("control_request", "testbed-commands", '{"cmd":"testbed-scenarios"}\n{"cmd":"testbed-start","scenario":"small",'
      '"seed":3,"blocks":6}\n{"cmd":"testbed-run","id":"run-1"}\n{"cmd":"testbed-labels","id":"run-1"}\n'
      '{"cmd":"testbed-train","id":"run-1"}\n{"cmd":"testbed-start","scenario":"small","seed":-1,"blocks":1e30}\n')
write("control_request", "bad-requests", '{"cmd":"block","host":7}\n[1,2]\n{"cmd":"label","host":"h","label":null}\n'
      '{"cmd":"nope"}\n' + "x" * 300 + "\n" + '{"cmd":"close","id":1.5e300,"extra":[true,false,null,{"a":"\\u00e9"}]}')

# The shipped configurations, and small ones with each kind of mistake the readers name.
for name in ("coinsentry.toml", "chain.toml", "web.toml"):
    with open(os.path.join(root, "etc", "coinsentry", name)) as file:
        write("toml_config", "shipped-" + name.replace(".toml", ""), file.read())
write("toml_config", "wrong-types", '[capture]\ninterfaces = "eth1"\nsnaplen = 1e400\n[chain]\ndb = 7\n'
      'interval_seconds = -inf\n[web]\nlisten = ["a", 1]\n[metrics]\nlisten = "[::1]:99999"\n')
write("toml_config", "odd-values", 'state_directory = 1979-05-27T07:32:00Z\n[alerts]\n'
      'syslog = ["udp:h:0", "tcp:[::1]:514"]\nepisode_hold_seconds = 9223372036854775807\n[verdict]\n'
      'evidence_hold_seconds = nan\n[x.y.z]\na = {b = [[1]]}\n')
write("toml_config", "not-toml", '[chain\ndb = "x\n[[source]]\nblocks = \'\'\'\n')
# Once aborts in the TOML parser (toml++ asserts on a table name starting with a character no key starts with, and
# on a date with a T and no time).
write("toml_config", "no-time-after-t", 'a = 1979-05-27T:00\nb = [1979-05-27tx:]\n')
write("toml_config", "bad-table-names",
      '[chain]\ndb = "x"\n[.web]\nlisten = "127.0.0.1:1"\n[ \u00e9]\n[[ @]]\n[\nweb]\n')
# The long runs' finds: a date, a space and one digit ending the value (also when U+FEFF, whitespace to toml++, ends
# it); a '}' where an array's value belongs; a bad table name after a byte order mark, which toml++ skips (the header
# is then the first line's), with the bytes it had (0xFF, decoded as U+FFFD); characters beyond ASCII where toml++
# tests them for whitespace (after a value, inside a value that starts with a digit, quotes included, and after a
# backslash in a string), which reaches TOML_UNREACHABLE.
write("toml_config", "date-space-digit", 's= 1979-05-2= 1# x\nstate_directory = "/var/lib/coinsentry"\n')
write("toml_config", "brace-in-array", 'state_directory = 1979-05-27T07:32:00Z\n\na = {b = [}][1]\n')
write("toml_config", "bom-then-bad-table-name", b'\xef\xbb\xbf[' + b'\xff' * 120 + b'"\n\x9e.we"x\n')
write("toml_config", "date-space-digit-bom", 's= 1979-05-2= 1\ufeff\x07\nstate_directory = "/var/lib/coinsentry"\n')
write("toml_config", "beyond-ascii-after-value", 'sensor_id = 1\u3002\n[capture]\nsnaplen = 1.5 \u00a1\n')
write("toml_config", "beyond-ascii-in-value", b"statectory = 1e'_h=\xad\xcf\xa2\xa2}o\n"
      + 's= 39="3\u0263"\n'.encode())
write("toml_config", "beyond-ascii-after-backslash", ' ["""psi\\\ufee6\\\\ue\nb = """x \\\n\n \u00e9"""\n')
# A one-character relative database path, on which Foundation's deletingLastPathComponent trapped while the chain
# sidecar derived its testbed folder's default from it.
write("toml_config", "one-character-db", '[chain]\ndb = "e"\n[source]\nblocks = "/b"\n')
