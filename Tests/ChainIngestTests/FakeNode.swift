import BitcoinData
import ChainTestSupport
import Foundation

/// A stand-in for a Bitcoin node's JSON-RPC interface: a small Python `http.server` process on 127.0.0.1 answering
/// `getblockchaininfo`, `getblockhash` and `getblock` (verbosity 2) from a JSON file of blocks this test writes, with
/// HTTP basic authentication as Bitcoin Core does. No bitcoind is installed here; this server only replays blocks
/// made by the test, so the RPC client is exercised over real HTTP against the node's reply format.
final class FakeNode: @unchecked Sendable {
    // @unchecked: `process` is only touched in init and deinit.
    let directory: TemporaryDirectory
    let url: URL
    private let process: Process
    private var fixture: String { directory.file("chain.json") }

    static let script = #"""
    import base64, json, sys
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    fixture_path, expected_auth, port_path = sys.argv[1], sys.argv[2], sys.argv[3]

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
            with open(fixture_path) as f:
                chain = json.load(f)
            blocks = chain["blocks"]
            by_hash = {b["hash"]: b for b in blocks}
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
    import os
    os.rename(port_path + ".tmp", port_path)
    server.serve_forever()
    """#

    /// Starts the server serving `blocks` (from `firstHeight`), accepting `user:password`.
    init(blocks: [Block], firstHeight: Int = 0, auth: String) throws {
        directory = try TemporaryDirectory()
        let scriptPath = directory.file("fake_node.py")
        try Self.script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let portPath = directory.file("port")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptPath, directory.file("chain.json"), auth, portPath]
        var port: String?
        try Self.writeFixture(blocks: blocks, firstHeight: firstHeight, to: directory.file("chain.json"))
        try process.run()
        for _ in 0..<200 {
            if let text = try? String(contentsOfFile: portPath, encoding: .utf8) {
                port = text
                break
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        guard let port else {
            kill(process.processIdentifier, SIGKILL)
            throw IngestTestError("the fake node did not start (python3 missing?)")
        }
        url = URL(string: "http://127.0.0.1:\(port)/")!
    }

    /// Replaces the served chain (a reorg, or new blocks).
    func serve(blocks: [Block], firstHeight: Int = 0) throws {
        try Self.writeFixture(blocks: blocks, firstHeight: firstHeight, to: fixture)
    }

    static func writeFixture(blocks: [Block], firstHeight: Int, to path: String) throws {
        let json: [String: Any] = [
            "chain": "regtest",
            "blocks": blocks.enumerated().map { verbose($1, height: firstHeight + $0) },
        ]
        let data = try JSONSerialization.data(withJSONObject: json)
        try data.write(to: URL(fileURLWithPath: path + ".tmp"))
        // rename(2) swaps the file atomically, so the server never reads a half-written chain.
        guard rename(path + ".tmp", path) == 0 else { throw IngestTestError("rename to \(path) failed") }
    }

    /// The shape of Bitcoin Core's `getblock` verbosity-2 reply, for the fields a client reads.
    static func verbose(_ block: Block, height: Int) -> [String: Any] {
        let header = block.header
        var json: [String: Any] = [
            "hash": block.hash.hex, "height": height, "version": Int(header.version),
            "merkleroot": header.merkleRoot.hex, "time": Int(header.time), "nonce": Int(header.nonce),
            "bits": String(format: "%08x", header.bits), "nTx": block.transactions.count,
            "tx": block.transactions.map { parsed in
                ["txid": parsed.txid.hex, "hash": parsed.wtxid.hex, "hex": Hex.encode(parsed.transaction.serialized())]
            },
        ]
        if header.previousBlockHash != .zero { json["previousblockhash"] = header.previousBlockHash.hex }
        return json
    }

    deinit {
        // SIGKILL: the child inherits the test runner's blocked-signal mask, so SIGTERM may never arrive.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

struct IngestTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
