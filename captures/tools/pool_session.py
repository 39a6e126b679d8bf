#!/usr/bin/env python3
"""Long, realistic mining sessions for the pool-connection classifier: a pool and miners for each dialect, in clear
text or over TLS, with time compressed by a factor K (rescale the capture with pcap_timescale.py afterwards).

  pool_session.py pool DIALECT --port 4444 [--tls CERT KEY] --speed K --seconds S
  pool_session.py miner DIALECT --port 4444 [--tls] [--sni NAME] --threads N --throttle F --pause F
                  --reconnects R --speed K --seconds S --seed X

Times given are session (uncompressed) seconds; every sleep is divided by K. Pool behaviour: variable difficulty
aiming at one share every --share-target seconds (10-60 s, drawn per connection), a new job every 30-150 s, replies
to shares and keepalives. Miner behaviour: hash rate = threads x 800 H/s x throttle; shares arrive as a Poisson
process at hash rate / difficulty; keepalives after 60 s of silence (XMRig's keepalived / stratum keepalive);
pauses (no shares) for the fraction --pause of the session; --reconnects new connections over the session.
Standard library only (ssl for TLS).
"""
import argparse
import json
import random
import select
import socket
import ssl
import threading
import time

from loopback_server import accept_connections

MINING = ("stratum", "monero", "eth-getwork")
PER_THREAD = 800.0


def send(sock, lock, message):
    data = (json.dumps(message, separators=(",", ":")) + "\n").encode()
    with lock:
        sock.sendall(data)


class Reader:
    """Newline-delimited JSON from a socket, read by the one thread that also writes (an SSL object must not be read
    and written from two threads at once)."""

    def __init__(self, sock):
        self.sock, self.pending, self.closed = sock, b"", False

    def poll(self, timeout):
        """Waits up to `timeout` real seconds for data; returns the complete messages that arrived."""
        has_buffered = isinstance(self.sock, ssl.SSLSocket) and self.sock.pending() > 0
        if not has_buffered:
            ready, _, _ = select.select([self.sock], [], [], max(0.0, timeout))
            if not ready:
                return []
        try:
            chunk = self.sock.recv(4096)
        except ssl.SSLWantReadError:
            return []
        except (OSError, ssl.SSLError):
            chunk = b""
        if not chunk:
            self.closed = True
            return []
        self.pending += chunk
        messages = []
        while b"\n" in self.pending:
            line, self.pending = self.pending.split(b"\n", 1)
            if line.strip():
                messages.append(json.loads(line))
        return messages


def job_message(dialect, number, rng, difficulty):
    if dialect == "stratum":
        branches = ["%064x" % rng.getrandbits(256) for _ in range(rng.randint(8, 12))]
        return {"id": None, "method": "mining.notify",
                "params": ["%x" % number, "%064x" % rng.getrandbits(256),
                           "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff20" +
                           "%040x" % rng.getrandbits(160), "ffffffff0100f2052a010000001976a914" +
                           "%040x" % rng.getrandbits(160) + "88ac00000000", branches, "20000000", "1703a30c",
                           "%08x" % int(time.time()), True]}
    if dialect == "monero":
        target = "%08x" % max(1, int(0xffffffff / max(difficulty, 1)))
        return {"jsonrpc": "2.0", "method": "job",
                "params": {"blob": "1010" + "%0148x" % rng.getrandbits(592), "job_id": "%d%06d" % (number, rng.randint(0, 999999)),
                           "target": target, "algo": "rx/0", "height": 3000000 + number,
                           "seed_hash": "%064x" % rng.getrandbits(256), "id": "c0ffee"}}
    return {"id": 0, "jsonrpc": "2.0",
            "result": ["0x%064x" % rng.getrandbits(256), "0x%064x" % rng.getrandbits(256),
                       "0x%064x" % int(2 ** 256 / max(difficulty * 1000, 1))]}


class PoolConnection:
    def __init__(self, conn, dialect, speed, rng):
        self.conn, self.dialect, self.speed, self.rng = conn, dialect, speed, rng
        self.lock = threading.Lock()
        self.difficulty = 4000.0
        self.target = rng.uniform(10, 60)
        self.shares = []
        self.number = 0
        self.alive = True

    def push_job(self):
        self.number += 1
        send(self.conn, self.lock, job_message(self.dialect, self.number, self.rng, self.difficulty))

    def retarget(self):
        """Vardiff: after a few shares, set the difficulty so that shares come every `target` seconds."""
        if len(self.shares) < 4:
            return
        span = (self.shares[-1] - self.shares[0]) * self.speed
        rate = (len(self.shares) - 1) * self.difficulty / max(span, 1e-3)
        new = max(100.0, rate * self.target)
        self.shares = self.shares[-1:]
        if abs(new - self.difficulty) / self.difficulty < 0.2:
            return
        self.difficulty = new
        if self.dialect == "stratum":
            send(self.conn, self.lock, {"id": None, "method": "mining.set_difficulty", "params": [round(new / 1000, 3)]})
        self.push_job()

    def serve(self):
        reader = Reader(self.conn)
        next_job = time.time() + self.rng.uniform(30, 150) / self.speed
        try:
            while not reader.closed:
                if time.time() >= next_job:
                    self.push_job()
                    next_job = time.time() + self.rng.uniform(30, 150) / self.speed
                for message in reader.poll(next_job - time.time()):
                    self.handle(message)
        except OSError:
            pass
        self.alive = False
        try:
            self.conn.close()
        except OSError:
            pass

    def handle(self, message):
        method = message.get("method")
        reply = {"id": message.get("id"), "jsonrpc": "2.0", "error": None}
        if method == "mining.subscribe":
            reply["result"] = [[["mining.set_difficulty", "1"], ["mining.notify", "1"]], "%08x" % self.rng.getrandbits(32), 4]
            send(self.conn, self.lock, reply)
        elif method == "mining.authorize":
            reply["result"] = True
            send(self.conn, self.lock, reply)
            send(self.conn, self.lock, {"id": None, "method": "mining.set_difficulty", "params": [self.difficulty / 1000]})
            self.push_job()
        elif method == "login":
            self.number += 1
            reply["result"] = {"id": "c0ffee", "job": job_message("monero", self.number, self.rng, self.difficulty)["params"],
                               "extensions": ["algo", "keepalive"], "status": "OK"}
            send(self.conn, self.lock, reply)
        elif method == "eth_submitLogin":
            reply["result"] = True
            send(self.conn, self.lock, reply)
        elif method == "eth_getWork":
            reply["result"] = job_message("eth-getwork", self.number, self.rng, self.difficulty)["result"]
            send(self.conn, self.lock, reply)
        elif method in ("mining.submit", "submit", "eth_submitWork"):
            reply["result"] = {"status": "OK"} if method == "submit" else True
            send(self.conn, self.lock, reply)
            self.shares.append(time.time())
            self.retarget()
        elif method in ("keepalived", "mining.ping", "eth_submitHashrate"):
            reply["result"] = {"status": "KEEPALIVED"} if method == "keepalived" else True
            send(self.conn, self.lock, reply)
        else:
            reply["result"] = None
            send(self.conn, self.lock, reply)


def pool(arguments):
    context = None
    if arguments.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(arguments.tls[0], arguments.tls[1])
    rng = random.Random(arguments.seed)

    def handle(conn):
        handler = PoolConnection(conn, arguments.dialect, arguments.speed, random.Random(rng.getrandbits(64)))
        threading.Thread(target=handler.serve, daemon=True).start()

    accept_connections(arguments.host, arguments.port, 16, context, arguments.seconds, arguments.speed, handle)


class Miner:
    def __init__(self, arguments, rng):
        self.a, self.rng = arguments, rng
        self.hashrate = arguments.threads * PER_THREAD * arguments.throttle
        self.difficulty = 4000.0
        self.lock = threading.Lock()
        self.last_sent = time.time()
        self.job = 0

    def sleep(self, seconds):
        time.sleep(seconds / self.a.speed)

    def send(self, sock, message):
        send(sock, self.lock, message)
        self.last_sent = time.time()

    def receive(self, messages):
        for message in messages:
            method = message.get("method")
            if method == "mining.set_difficulty":
                self.difficulty = float(message["params"][0]) * 1000
            elif method == "job":
                self.difficulty = 0xffffffff / max(1, int(message["params"]["target"], 16))
            elif self.a.dialect == "eth-getwork" and isinstance(message.get("result"), list) and len(message["result"]) == 3:
                self.difficulty = 2 ** 256 / max(1, int(message["result"][2], 16)) / 1000
            self.job += 1

    def login(self, sock):
        a = self.a
        if a.dialect == "stratum":
            self.send(sock, {"id": 1, "method": "mining.subscribe", "params": ["cgminer/4.11.1"]})
            self.send(sock, {"id": 2, "method": "mining.authorize", "params": [a.worker, "x"]})
        elif a.dialect == "monero":
            self.send(sock, {"id": 1, "jsonrpc": "2.0", "method": "login",
                             "params": {"login": a.worker, "pass": "x", "agent": "XMRig/6.21.0 (Linux x86_64) libuv/1.44.2",
                                        "algo": ["rx/0", "cn/r"]}})
        else:
            self.send(sock, {"id": 1, "jsonrpc": "2.0", "method": "eth_submitLogin", "worker": a.worker,
                             "params": ["0x" + "5a" * 20, "x"]})
            self.send(sock, {"id": 2, "jsonrpc": "2.0", "method": "eth_getWork", "params": []})

    def share(self, sock, number):
        a = self.a
        if a.dialect == "stratum":
            self.send(sock, {"id": 10 + number, "method": "mining.submit",
                             "params": [a.worker, "%x" % self.job, "%08x" % self.rng.getrandbits(32),
                                        "%08x" % int(time.time()), "%08x" % self.rng.getrandbits(32)]})
        elif a.dialect == "monero":
            self.send(sock, {"id": 10 + number, "jsonrpc": "2.0", "method": "submit",
                             "params": {"id": "c0ffee", "job_id": "%d" % self.job, "nonce": "%08x" % self.rng.getrandbits(32),
                                        "result": "%064x" % self.rng.getrandbits(256), "algo": "rx/0"}})
        else:
            self.send(sock, {"id": 10 + number, "jsonrpc": "2.0", "method": "eth_submitWork",
                             "params": ["0x%016x" % self.rng.getrandbits(64), "0x%064x" % self.rng.getrandbits(256),
                                        "0x%064x" % self.rng.getrandbits(256)]})

    def keepalive(self, sock, number):
        if self.a.dialect == "monero":
            self.send(sock, {"id": 10 + number, "jsonrpc": "2.0", "method": "keepalived", "params": {"id": "c0ffee"}})
        elif self.a.dialect == "stratum":
            self.send(sock, {"id": 10 + number, "method": "mining.ping", "params": []})
        else:
            self.send(sock, {"id": 10 + number, "jsonrpc": "2.0", "method": "eth_submitHashrate",
                             "params": ["0x%x" % int(self.hashrate), "0x" + "ab" * 32]})

    def connection(self, seconds, pauses):
        a = self.a
        raw = socket.create_connection((a.host, a.port), source_address=(a.source, 0))
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock = raw
        if a.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            sock = context.wrap_socket(raw, server_hostname=a.sni)
        reader = Reader(sock)
        self.login(sock)
        start = time.time()
        number = 0
        next_share = self.rng.expovariate(self.hashrate / self.difficulty)
        elapsed = 0.0
        step = 1.0
        while elapsed < seconds and not reader.closed:
            wake = time.time() + step / a.speed
            while time.time() < wake:
                self.receive(reader.poll(wake - time.time()))
            elapsed = (time.time() - start) * a.speed
            paused = any(begin <= elapsed < end for begin, end in pauses)
            if not paused:
                next_share -= step
                if next_share <= 0:
                    number += 1
                    self.share(sock, number)
                    next_share = self.rng.expovariate(self.hashrate / self.difficulty)
            if (time.time() - self.last_sent) * a.speed >= 60:
                number += 1
                self.keepalive(sock, number)
        sock.close()

    def run(self):
        a = self.a
        pieces = a.reconnects + 1
        for piece in range(pieces):
            length = a.seconds / pieces
            pauses = []
            if a.pause > 0:
                begin = self.rng.uniform(0, length * (1 - a.pause))
                pauses.append((begin, begin + length * a.pause))
            self.connection(length, pauses)
            if piece + 1 < pieces:
                self.sleep(self.rng.uniform(5, 30))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("role", choices=["pool", "miner"])
    parser.add_argument("dialect", choices=MINING)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4444)
    parser.add_argument("--source", default="127.0.0.2")
    parser.add_argument("--tls", nargs="*", help="pool: CERT KEY; miner: no value")
    parser.add_argument("--sni", default="pool.example.test", help="miner over TLS: the server name sent")
    parser.add_argument("--worker", default="rig1")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--throttle", type=float, default=1.0)
    parser.add_argument("--pause", type=float, default=0.0, help="fraction of each connection spent paused")
    parser.add_argument("--reconnects", type=int, default=0)
    parser.add_argument("--speed", type=float, default=30.0, help="time compression factor K")
    parser.add_argument("--seconds", type=float, default=1800, help="session length in uncompressed seconds")
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args()
    if arguments.role == "pool":
        pool(arguments)
    else:
        if arguments.tls is not None and len(arguments.tls) == 0:
            arguments.tls = True
        Miner(arguments, random.Random(arguments.seed)).run()


if __name__ == "__main__":
    main()
