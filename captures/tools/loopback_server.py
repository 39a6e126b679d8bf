"""The accept loop of the recording tools' servers (pool_session.py, ordinary_session.py)."""
import socket
import ssl
import time


def accept_connections(host, port, backlog, context, seconds, speed, handle):
    """Accepts TCP connections on host:port for `seconds / speed` seconds of wall time. Each gets TCP_NODELAY and, when
    `context` is given, a TLS handshake as the server (a failed handshake skips the connection); then `handle(conn)`
    takes it."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(backlog)
    listener.settimeout(1)
    deadline = time.time() + seconds / speed
    while time.time() < deadline:
        try:
            conn, _ = listener.accept()
        except socket.timeout:
            continue
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if context is not None:
            try:
                conn = context.wrap_socket(conn, server_side=True)
            except (ssl.SSLError, OSError):
                continue
        handle(conn)
    listener.close()
