#!/usr/bin/env python3
"""Stand-in for a Bitcoin node's JSON-RPC (getblockchaininfo, getblockhash, getblock verbosity 2) serving
chain.json; the same server the RPC tests start. usage: fake_node.py CHAIN_JSON USER:PASSWORD PORT_FILE
"""
import base64, json, os, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

fixture_path, expected_auth, port_path = sys.argv[1], sys.argv[2], sys.argv[3]

cache = {}


def load():
    # Re-read only when the file changes (a test or benchmark swaps it to simulate a reorg).
    stamp = os.stat(fixture_path).st_mtime_ns
    if cache.get("stamp") != stamp:
        with open(fixture_path) as f:
            chain = json.load(f)
        cache.update(stamp=stamp, chain=chain, by_hash={b["hash"]: b for b in chain["blocks"]})
    return cache["chain"], cache["chain"]["blocks"], cache["by_hash"]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.headers.get("Authorization") != "Basic " + base64.b64encode(expected_auth.encode()).decode():
            self.send_response(401)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        chain, blocks, by_hash = load()
        method, params = request["method"], request.get("params", [])
        result, error = None, None
        if method == "getblockchaininfo":
            result = {"chain": chain["chain"], "blocks": blocks[-1]["height"],
                      "bestblockhash": blocks[-1]["hash"]}
        elif method == "getblockhash":
            matches = [b["hash"] for b in blocks if b["height"] == params[0]]
            if matches:
                result = matches[0]
            else:
                error = {"code": -8, "message": "Block height out of range"}
        elif method == "getblock" and params[0] in by_hash and params[1] == 2:
            result = by_hash[params[0]]
        else:
            error = {"code": -32601, "message": "Method not found"}
        self.reply(200 if error is None else 500, {"result": result, "error": error, "id": request["id"]})

server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_path + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(port_path + ".tmp", port_path)
server.serve_forever()
