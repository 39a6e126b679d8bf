#!/usr/bin/env python3
"""Queries coinsentry-chaind's control socket from several clients at once until a stop file appears, one connection
per request as coinsentryctl makes them: `status` and `address` look-ups in turn. Prints one JSON summary.

  control_load.py SOCKET ADDRESSES STOP_FILE [CLIENTS] [DATABASE]

ADDRESSES holds one address a line. A request is answered when the reply is a JSON object with "ok": true, or
"ok": false with reason "not_found" for an address (not stored yet); anything else (no connection once the daemon
answered, no reply within 10 s as coinsentryctl waits, a reply that is not JSON, any other refusal) is a failure,
counted by what it was. A status reply whose block count is not its tip height plus one is counted as inconsistent.
With DATABASE (the store, read after the run) every "not found" is checked against the height the same client saw
in its latest status reply before asking: an address stored at or below that height and not found is a failure.
"""
import json
import os
import random
import re
import socket
import sqlite3
import sys
import threading
import time

TIMEOUT = 10.0


def ask(path, request):
    """One request on its own connection; returns the reply as parsed JSON (or raises)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(TIMEOUT)
        connection.connect(path)
        connection.sendall((json.dumps(request) + "\n").encode())
        data = b""
        while not data.endswith(b"\n"):
            chunk = connection.recv(65536)
            if not chunk:
                raise ConnectionError("closed without a reply")
            data += chunk
    return json.loads(data)


def client(number, path, addresses, stop_file, results, lock, started):
    rng = random.Random(number)
    seen_tip = -1
    answered_once = False
    turn = number
    while not os.path.exists(stop_file):
        turn += 1
        if turn % 2 == 0:
            command, request = "status", {"cmd": "status"}
        else:
            address = rng.choice(addresses)
            command, request = "address", {"cmd": "address", "address": address}
        begun = time.monotonic()
        try:
            reply = ask(path, request)
        except (FileNotFoundError, ConnectionRefusedError) as error:
            if not answered_once:  # the daemon is not up yet: not a query
                time.sleep(0.01)
                continue
            outcome, detail = "failed", type(error).__name__
            reply = None
        except socket.timeout:
            outcome, detail, reply = "failed", "no reply within 10 s", None
        except (OSError, ValueError) as error:
            outcome, detail, reply = "failed", f"{type(error).__name__}: {error}", None
        else:
            answered_once = True
            if not isinstance(reply, dict):
                outcome, detail = "failed", "reply is not a JSON object"
            elif reply.get("ok") is True:
                outcome, detail = "answered", None
            elif command == "address" and reply.get("reason") == "not_found":
                outcome, detail = "not_found", None
            else:
                said = re.sub(r"\b[A-Za-z0-9]{25,}\b", "ADDRESS", str(reply.get("error")))
                outcome, detail = "failed", f"refused: {said}"
        elapsed = time.monotonic() - begun
        with lock:
            if started[0] is None and reply is not None:
                started[0] = begun
            results["latencies"].append(elapsed)
            results["by_command"].setdefault(command, {}).setdefault(outcome, 0)
            results["by_command"][command][outcome] += 1
            results[outcome] += 1
            if detail:
                results["failures"][detail] = results["failures"].get(detail, 0) + 1
            if outcome == "not_found":
                results["misses"].append((request["address"], seen_tip))
            if command == "status" and outcome == "answered":
                tip = reply.get("tip_height")
                if tip is not None:
                    if reply.get("blocks") != tip + 1:
                        results["inconsistent_status"] += 1
                        sample = f"tip {tip}, blocks {reply.get('blocks')}"
                        results["inconsistent_samples"] = (results["inconsistent_samples"] + [sample])[:5]
                    if tip < seen_tip:
                        results["tip_went_back"] += 1
                    seen_tip = max(seen_tip, tip)


def percentile(values, share):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main():
    path, addresses_file, stop_file = sys.argv[1:4]
    clients = int(sys.argv[4]) if len(sys.argv) > 4 else 4
    database = sys.argv[5] if len(sys.argv) > 5 else None
    addresses = [line.strip() for line in open(addresses_file) if line.strip()]
    results = {"answered": 0, "not_found": 0, "failed": 0, "failures": {}, "latencies": [], "by_command": {},
               "misses": [], "inconsistent_status": 0, "inconsistent_samples": [], "tip_went_back": 0}
    lock = threading.Lock()
    started = [None]
    threads = [threading.Thread(target=client, args=(n, path, addresses, stop_file, results, lock, started))
               for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ended = time.monotonic()
    latencies = results.pop("latencies")
    misses = results.pop("misses")
    results["requests"] = len(latencies)
    results["seconds"] = round(ended - started[0], 2) if started[0] else 0
    results["requests_per_second"] = round(len(latencies) / results["seconds"], 1) if results["seconds"] else 0
    results["p50_ms"] = round(percentile(latencies, 0.50) * 1000, 2) if latencies else None
    results["p99_ms"] = round(percentile(latencies, 0.99) * 1000, 2) if latencies else None
    results["max_ms"] = round(max(latencies) * 1000, 2) if latencies else None
    if database:
        store = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        wrong = 0
        for address, seen in misses:
            row = store.execute("SELECT MIN(t.block_height) FROM output o JOIN address a ON a.id = o.address_id "
                                "JOIN tx t ON t.id = o.tx_id WHERE a.address = ?", (address,)).fetchone()
            if row[0] is not None and row[0] <= seen:
                wrong += 1
        results["not_found_although_stored"] = wrong
        if wrong:
            results["failed"] += wrong
            results["failures"]["not found although stored"] = wrong
    print(json.dumps(results, sort_keys=True))


if __name__ == "__main__":
    main()
