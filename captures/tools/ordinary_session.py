#!/usr/bin/env python3
"""Long sessions of ordinary protocols that look most like a pool connection (periodic or sparse traffic on one
long-lived TCP connection), for the *ordinary* side of the pool-connection classifier. A server and a client over
loopback, in clear text or over TLS, with time compressed by K (rescale the capture with pcap_timescale.py after).

  ordinary_session.py server PROTOCOL --port P [--tls CERT KEY] --speed K --seconds S --seed X [--period T ...]
  ordinary_session.py client PROTOCOL --port P [--tls] [--sni NAME] --speed K --seconds S --seed X [--period T ...]

Both roles get the same arguments and draw the same session parameters (sizes, rates) from --seed, so each knows
what the other does; `client ... --describe` prints them. Times are session (uncompressed) seconds; every wait is
divided by K. The protocols (what the client and the server do; "answered" = the peer replies at once):

  poll       SCADA/Modbus/IEC 104-like polling: a fixed-size request every --period (± --jitter), answered with a
             fixed-size (or nearly fixed) reply; some sessions add rare spontaneous server reports the client acks.
  keepalive  MQTT subscriber: PINGREQ/PINGRESP after --period without a client message; the broker publishes as a
             Poisson process (variable sizes); QoS 1 publications are acked (PUBACK).
  xmpp       XMPP/chat server connection: whitespace keep-alive every --period (not answered); the user's messages
             (Poisson, variable) answered by a constant-size stream-management ack; incoming messages and presence
             (Poisson, variable) acked by the client.
  imap       IMAP IDLE: the client re-issues IDLE every --period (answered, constant size); the server announces new
             mail (Poisson, small constant push); the client then FETCHes it (the answer is the mail, 2-40 kB).
  chat       Messenger: both sides send Poisson messages of variable size, each acked with a constant size; a
             heartbeat every --period answered with a constant size.
  heartbeat  Bidirectional heartbeats (AMQP, SIP OPTIONS, game lobbies): the client beats every --period, the server
             every --period x 0.5-2 on its own clock; in some sessions each beat is answered.
  websocket  WebSocket feed: client ping every --period (pong of the same size); the server pushes data frames
             (tickers, scores) as a Poisson process or on a fixed clock, sizes nearly constant or variable.
  push       Push service (APNs/FCM/WeChat-like): a constant-size heartbeat every --period answered with a constant
             size; notifications pushed as a Poisson process (variable sizes) and acked with a constant size.

Wire format (clear text): 1-byte kind, 2-byte total length, 2-byte answer length (0: no answer), padding; the
receiver of a message with an answer length sends a message of that length back. Standard library only.
"""
import argparse
import heapq
import json
import random
import select
import socket
import ssl
import struct
import time

from loopback_server import accept_connections

PROTOCOLS = ("poll", "keepalive", "xmpp", "imap", "chat", "heartbeat", "websocket", "push")
HEADER = 5


def draw_parameters(protocol, seed, period, jitter):
    """The session's parameters, drawn from the seed the same way by both roles."""
    rng = random.Random(seed * 7919 + PROTOCOLS.index(protocol))
    p = {"protocol": protocol, "period": period, "jitter": jitter}
    size = lambda low, high: rng.randint(low, high)
    if protocol == "poll":
        p.update(request=size(12, 1200), reply=size(10, 600), reply_spread=rng.choice([0, 0, 0.05, 0.2]),
                 push_rate=rng.choice([0, 0, 2, 10, 30]), push_size=size(15, 120), push_ack=6)
    elif protocol == "keepalive":
        p.update(request=HEADER, reply=HEADER, push_rate=rng.choice([0, 4, 20, 60]), push_size=(20, size(60, 900)),
                 push_ack=rng.choice([0, 7]))
    elif protocol == "xmpp":
        p.update(request=HEADER, reply=0, message_rate=rng.choice([2, 10, 30]), message_size=(80, size(200, 900)),
                 message_ack=size(30, 60), push_rate=rng.choice([5, 20, 60]), push_size=(100, size(300, 1500)),
                 push_ack=size(30, 60))
    elif protocol == "imap":
        p.update(request=size(20, 40), reply=size(40, 80), push_rate=rng.choice([2, 6, 20]), push_size=size(14, 24),
                 fetch=size(30, 60), mail=(2000, size(8000, 40000)))
    elif protocol == "chat":
        p.update(request=size(20, 120), reply=size(20, 120), message_rate=rng.choice([5, 20, 60]),
                 message_size=(40, size(150, 1200)), message_ack=size(20, 80), push_rate=rng.choice([5, 20, 60]),
                 push_size=(40, size(150, 1200)), push_ack=size(20, 80))
    elif protocol == "heartbeat":
        answered = rng.random() < 0.5
        p.update(request=size(8, 200), reply=size(8, 200) if answered else 0, server_period=period * rng.uniform(0.5, 2),
                 server_beat=size(8, 200), server_beat_answer=size(8, 200) if answered else 0)
    elif protocol == "websocket":
        low = size(30, 400)
        p.update(request=size(6, 40), reply=0, push_rate=rng.choice([20, 60, 120]),
                 push_size=(low, low + rng.choice([0, 10, 200, 2000])), push_clock=rng.random() < 0.4, push_ack=0)
        p["reply"] = p["request"]
    elif protocol == "push":
        p.update(request=size(40, 1200), reply=size(30, 300), push_rate=rng.choice([2, 10, 40]),
                 push_size=(100, size(300, 2500)), push_ack=size(20, 80))
    return p


def spread(rng, size):
    """A size: a fixed int, or drawn uniformly from a (low, high) pair."""
    return rng.randint(*size) if isinstance(size, tuple) else size


class Peer:
    """One side of a connection: a scheduler of timed sends and a reader of the other side's messages, one thread
    (an SSL object must not be read and written from two threads at once)."""

    def __init__(self, sock, speed, rng, on_message):
        self.sock, self.speed, self.rng, self.on_message = sock, speed, rng, on_message
        self.start = time.time()
        self.events = []
        self.pending = b""
        self.closed = False
        self.last_sent = 0.0
        self.counter = 0

    def now(self):
        """Session seconds since the connection started."""
        return (time.time() - self.start) * self.speed

    def at(self, when, action):
        self.counter += 1
        heapq.heappush(self.events, (when, self.counter, action))

    def send(self, kind, size, answer=0):
        size = max(HEADER, min(size, 65535))
        data = struct.pack(">cHH", kind.encode(), size, max(0, min(answer, 65535))) + b"\x00" * (size - HEADER)
        self.sock.sendall(data)
        self.last_sent = self.now()

    def run(self, seconds):
        while not self.closed and self.now() < seconds:
            wake = min(seconds, self.events[0][0]) if self.events else seconds
            while not self.closed and self.now() < wake:
                self.read(min(1.0, (wake - self.now()) / self.speed))
            while self.events and self.events[0][0] <= self.now():
                _, _, action = heapq.heappop(self.events)
                action()

    def read(self, timeout):
        buffered = isinstance(self.sock, ssl.SSLSocket) and self.sock.pending() > 0
        if not buffered:
            ready, _, _ = select.select([self.sock], [], [], max(0.0, timeout))
            if not ready:
                return
        # Non-blocking for the read: a TLS 1.3 session ticket makes the socket readable without application data,
        # and a blocking recv would then wait for the peer's next message, holding up this side's own clock.
        self.sock.setblocking(False)
        try:
            chunk = self.sock.recv(65536)
        except (ssl.SSLWantReadError, BlockingIOError):
            return
        except (OSError, ssl.SSLError):
            chunk = b""
        finally:
            self.sock.setblocking(True)
        if not chunk:
            self.closed = True
            return
        self.pending += chunk
        while len(self.pending) >= HEADER:
            kind, size, answer = struct.unpack(">cHH", self.pending[:HEADER])
            if len(self.pending) < size:
                break
            self.pending = self.pending[size:]
            if answer:
                self.send(kind.decode().lower(), answer)
            self.on_message(kind.decode())


class Behaviour:
    """What one role of a protocol does on its clock and in response to the other side."""

    def __init__(self, role, p, peer):
        self.role, self.p, self.peer, self.rng = role, p, peer, peer.rng

    def periodic(self, period, action, first=None):
        """`action` every `period` session seconds ± jitter, from `first`."""
        def fire():
            action()
            self.peer.at(self.peer.now() + self.jittered(period), fire)
        self.peer.at(self.jittered(period) if first is None else first, fire)

    def poisson(self, per_hour, action):
        if per_hour <= 0:
            return
        def fire():
            action()
            self.peer.at(self.peer.now() + self.rng.expovariate(per_hour / 3600), fire)
        self.peer.at(self.rng.expovariate(per_hour / 3600), fire)

    def jittered(self, period):
        return max(0.5, period * (1 + self.rng.uniform(-self.p["jitter"], self.p["jitter"])))

    def start(self):
        p, peer = self.p, self.peer
        protocol = p["protocol"]
        if self.role == "client":
            if protocol == "poll":
                reply = lambda: max(HEADER, int(p["reply"] * (1 + self.rng.uniform(-p["reply_spread"], p["reply_spread"]))))
                self.periodic(p["period"], lambda: peer.send("Q", p["request"], reply()), first=1)
            elif protocol == "keepalive":
                def ping():
                    if peer.now() - peer.last_sent >= p["period"] * 0.95:
                        peer.send("P", p["request"], p["reply"])
                self.periodic(p["period"] / 4, ping)
            elif protocol == "imap":
                peer.send("I", p["request"], p["reply"])
                self.periodic(p["period"], lambda: peer.send("I", p["request"], p["reply"]))
            else:
                self.periodic(p["period"], lambda: peer.send("H", p["request"], p["reply"]))
            if "message_rate" in p:
                self.poisson(p["message_rate"], lambda: peer.send("M", spread(self.rng, p["message_size"]), p["message_ack"]))
        else:
            if p.get("push_clock"):
                self.periodic(3600 / p["push_rate"], lambda: peer.send("N", spread(self.rng, p["push_size"])))
            elif p.get("push_rate"):
                self.poisson(p["push_rate"], lambda: peer.send("N", spread(self.rng, p["push_size"]), p.get("push_ack", 0)))
            if "server_period" in p:
                self.periodic(p["server_period"], lambda: peer.send("B", p["server_beat"], p["server_beat_answer"]))

    def on_message(self, kind):
        # IMAP: new mail announced by the server makes the client fetch it (DONE, FETCH, the mail, IDLE again).
        if self.role == "client" and self.p["protocol"] == "imap" and kind == "N":
            self.peer.send("F", self.p["fetch"], spread(self.rng, self.p["mail"]))


def tls_context(arguments, server):
    if server:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(arguments.tls[0], arguments.tls[1])
        return context
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def session(sock, role, arguments, p, rng, seconds):
    peer = Peer(sock, arguments.speed, rng, None)
    behaviour = Behaviour(role, p, peer)
    peer.on_message = behaviour.on_message
    behaviour.start()
    peer.run(seconds)
    try:
        sock.close()
    except OSError:
        pass


def server(arguments, p):
    context = tls_context(arguments, True) if arguments.tls else None
    rng = random.Random(arguments.seed * 31 + 1)
    accept_connections(arguments.host, arguments.port, 4, context, arguments.seconds, arguments.speed,
                       lambda conn: session(conn, "server", arguments, p, random.Random(rng.getrandbits(64)),
                                            float("inf")))


def client(arguments, p):
    rng = random.Random(arguments.seed * 31 + 2)
    pieces = arguments.reconnects + 1
    for piece in range(pieces):
        raw = socket.create_connection((arguments.host, arguments.port), source_address=(arguments.source, 0))
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock = tls_context(arguments, False).wrap_socket(raw, server_hostname=arguments.sni) if arguments.tls else raw
        session(sock, "client", arguments, p, random.Random(rng.getrandbits(64)), arguments.seconds / pieces)
        if piece + 1 < pieces:
            time.sleep(rng.uniform(5, 30) / arguments.speed)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("role", choices=["server", "client"])
    parser.add_argument("protocol", choices=PROTOCOLS)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5555)
    parser.add_argument("--source", default="127.0.0.2")
    parser.add_argument("--tls", nargs="*", help="server: CERT KEY; client: no value")
    parser.add_argument("--sni", default="service.example.test", help="client over TLS: the server name sent")
    parser.add_argument("--period", type=float, default=60, help="the protocol's clock in session seconds")
    parser.add_argument("--jitter", type=float, default=0.0, help="fraction by which each period varies (uniform)")
    parser.add_argument("--reconnects", type=int, default=0)
    parser.add_argument("--speed", type=float, default=40.0, help="time compression factor K")
    parser.add_argument("--seconds", type=float, default=2400, help="session length in uncompressed seconds")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--describe", action="store_true", help="print the drawn session parameters as JSON and exit")
    arguments = parser.parse_args()
    if arguments.period <= 0 or not 0 <= arguments.jitter < 1:
        parser.error("--period must be positive and --jitter in [0, 1)")
    p = draw_parameters(arguments.protocol, arguments.seed, arguments.period, arguments.jitter)
    if arguments.describe:
        print(json.dumps(p, separators=(",", ":")))
        return
    if arguments.role == "server":
        server(arguments, p)
    else:
        if arguments.tls is not None and len(arguments.tls) == 0:
            arguments.tls = True
        client(arguments, p)


if __name__ == "__main__":
    main()
