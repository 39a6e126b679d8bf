#!/usr/bin/env python3
"""A small mining pool and miner speaking each protocol dialect CoinSentry recognises, plus near-misses.

Used to record the captures in captures/ (see captures/README.md). Standard library only.

  session.py serve DIALECT --host 127.0.0.1 --port 3333            answers one connection, then exits
  session.py connect DIALECT --host 127.0.0.1 --port 3333 --source 127.0.0.2 --worker rig1

DIALECT: stratum, monero, eth-getwork (mining); jsonrpc, jsonrpc-mining-words, http (near-misses).
Each session lasts about --seconds (default 3): the pool pushes a job every half second, the miner submits a share
after every second job.
"""
import argparse
import json
import socket
import time

MINING = ("stratum", "monero", "eth-getwork")


def send(sock, message):
    sock.sendall((json.dumps(message, separators=(",", ":")) + "\n").encode())


def lines(sock):
    """Yields the newline-delimited messages arriving on the socket until it closes."""
    pending = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            return
        pending += chunk
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            if line.strip():
                yield json.loads(line)


def job(dialect, number):
    if dialect == "stratum":
        return {"id": None, "method": "mining.notify",
                "params": ["%x" % number, "00" * 32, "01000000", "ffffffff", [], "20000000", "1d00ffff",
                           "%08x" % int(time.time()), number == 1]}
    if dialect == "monero":
        return {"jsonrpc": "2.0", "method": "job",
                "params": {"blob": "0e0e" + "ab" * 38, "job_id": "j%d" % number, "target": "b88d0600",
                           "id": "c0ffee"}}
    return {"id": 0, "jsonrpc": "2.0", "result": ["0x%064x" % number, "0x" + "11" * 32, "0x" + "00ff" * 16]}


def serve(dialect, host, port, seconds):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(1)
    conn, _ = listener.accept()
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if dialect == "http":
        request = conn.recv(4096)
        body = b'{"status":"ok","note":"mining.subscribe is a stratum method"}'
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                     b"Connection: close\r\n\r\n%s" % (len(body), body))
        conn.close()
        return
    try:
        answer(conn, dialect)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the miner hung up first: the session is over
    conn.close()


def answer(conn, dialect):
    number = 0
    for message in lines(conn):
        method = message.get("method")
        reply = {"id": message.get("id"), "jsonrpc": "2.0", "error": None}
        if dialect == "stratum" and method == "mining.subscribe":
            reply["result"] = [[["mining.set_difficulty", "1"], ["mining.notify", "1"]], "08000002", 4]
            send(conn, reply)
        elif dialect == "stratum" and method == "mining.authorize":
            reply["result"] = True
            send(conn, reply)
            send(conn, {"id": None, "method": "mining.set_difficulty", "params": [0.5]})
            number += 1
            send(conn, job(dialect, number))
        elif dialect == "monero" and method == "login":
            number += 1
            reply["result"] = {"id": "c0ffee", "job": job(dialect, number)["params"], "status": "OK"}
            send(conn, reply)
        elif dialect == "eth-getwork" and method in ("eth_submitLogin", "eth_getWork"):
            reply["result"] = True if method == "eth_submitLogin" else job(dialect, number)["result"]
            send(conn, reply)
        elif method in ("mining.submit", "submit", "eth_submitWork"):
            reply["result"] = {"status": "OK"} if dialect == "monero" else True
            send(conn, reply)
            number += 1
            time.sleep(0.5)
            send(conn, job(dialect, number))
        else:
            reply["result"] = message.get("params")
            send(conn, reply)


def connect(dialect, host, port, source, worker, seconds):
    sock = socket.create_connection((host, port), source_address=(source, 0))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if dialect == "http":
        sock.sendall(b"POST /api HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 44\r\n\r\n"
                     b'{"method":"mining.subscribe","params":[]}   ' % host.encode())
        while sock.recv(4096):
            pass
        sock.close()
        return
    if dialect == "stratum":
        send(sock, {"id": 1, "method": "mining.subscribe", "params": ["cpuminer/2.5.1"]})
        time.sleep(0.05)
        send(sock, {"id": 2, "method": "mining.authorize", "params": [worker, "x"]})
    elif dialect == "monero":
        send(sock, {"id": 1, "jsonrpc": "2.0", "method": "login",
                    "params": {"login": worker, "pass": "x", "agent": "XMRig/6.21.0 (Linux x86_64) libuv/1.44.2",
                               "algo": ["rx/0"]}})
    elif dialect == "eth-getwork":
        send(sock, {"id": 1, "jsonrpc": "2.0", "method": "eth_submitLogin", "worker": worker,
                    "params": ["0x" + "5a" * 20, "x"]})
        send(sock, {"id": 2, "jsonrpc": "2.0", "method": "eth_getWork", "params": []})
    else:
        replies = lines(sock)
        for number in range(1, 4):
            if dialect == "jsonrpc":
                send(sock, {"jsonrpc": "2.0", "id": number, "method": "echo", "params": ["hello %d" % number]})
            else:
                send(sock, {"jsonrpc": "2.0", "id": number, "method": "post",
                            "params": {"text": "mining.subscribe and mining.notify are stratum methods",
                                       "method": "mining.subscribe", "login": "not-a-miner"}})
            next(replies)
            time.sleep(0.3)
        sock.close()
        return
    deadline = time.time() + seconds
    shares = 0
    received = 0
    sock.settimeout(seconds)
    try:
        for message in lines(sock):
            received += 1
            if time.time() > deadline:
                break
            is_job = message.get("method") in ("mining.notify", "job") or (
                dialect == "monero" and isinstance(message.get("result"), dict) and "job" in message["result"]) or (
                dialect == "eth-getwork" and isinstance(message.get("result"), list))
            if not is_job:
                continue
            shares += 1
            time.sleep(0.2)
            if dialect == "stratum":
                send(sock, {"id": 10 + shares, "method": "mining.submit",
                            "params": [worker, "%x" % shares, "00000000", "%08x" % int(time.time()), "%08x" % shares]})
            elif dialect == "monero":
                send(sock, {"id": 10 + shares, "jsonrpc": "2.0", "method": "submit",
                            "params": {"id": "c0ffee", "job_id": "j%d" % shares, "nonce": "%08x" % shares,
                                       "result": "ab" * 32}})
            else:
                send(sock, {"id": 10 + shares, "jsonrpc": "2.0", "method": "eth_submitWork",
                            "params": ["0x%016x" % shares, "0x" + "11" * 32, "0x" + "22" * 32]})
                time.sleep(0.3)
                send(sock, {"id": 2, "jsonrpc": "2.0", "method": "eth_getWork", "params": []})
    except socket.timeout:
        pass
    sock.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["serve", "connect"])
    parser.add_argument("dialect", choices=MINING + ("jsonrpc", "jsonrpc-mining-words", "http"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3333)
    parser.add_argument("--source", default="127.0.0.2")
    parser.add_argument("--worker", default="rig1")
    parser.add_argument("--seconds", type=float, default=3)
    arguments = parser.parse_args()
    if arguments.action == "serve":
        serve(arguments.dialect, arguments.host, arguments.port, arguments.seconds)
    else:
        connect(arguments.dialect, arguments.host, arguments.port, arguments.source, arguments.worker,
                arguments.seconds)


if __name__ == "__main__":
    main()
