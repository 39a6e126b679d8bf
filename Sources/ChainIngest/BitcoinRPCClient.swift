import BitcoinData
import Foundation

/// A client of Bitcoin Core's JSON-RPC interface (any node speaking it), with cookie-file or user/password
/// authentication.
public struct BitcoinRPCClient: Sendable {
    /// How to authenticate.
    public enum Credentials: Sendable {
        /// The `.cookie` file a node writes in its data directory (`__cookie__:password`); read at every call
        /// because the node rewrites it when it restarts.
        case cookieFile(String)
        /// `rpcuser` / `rpcpassword` from the node's configuration.
        case userPassword(String, String)
        /// No authentication header.
        case none
    }

    /// The node's RPC URL, for example `http://127.0.0.1:8332/`.
    public let url: URL
    /// The credentials.
    public let credentials: Credentials
    /// Per-request timeout in seconds.
    public let timeout: TimeInterval

    /// Creates a client.
    public init(url: URL, credentials: Credentials, timeout: TimeInterval = 60) {
        self.url = url
        self.credentials = credentials
        self.timeout = timeout
    }

    private func authorization() throws -> String? {
        let pair: String
        switch credentials {
        case .none: return nil
        case .userPassword(let user, let password): pair = "\(user):\(password)"
        case .cookieFile(let path):
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw IngestError("cannot read the RPC cookie file \(path): is the node running, and is the file "
                                  + "readable by this user?")
            }
            pair = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return "Basic " + Data(pair.utf8).base64EncodedString()
    }

    /// Calls `method` with `params` and returns the JSON `result`.
    ///
    /// - Throws: ``IngestError`` naming the method and the URL for transport failures, HTTP 401 (bad credentials),
    ///   non-JSON replies and RPC errors (with the node's code and message).
    public func call(_ method: String, _ params: [Any] = []) async throws -> Any {
        var headers = [("Content-Type", "application/json")]
        if let authorization = try authorization() { headers.append(("Authorization", authorization)) }
        let body: [String: Any] = ["jsonrpc": "1.0", "id": "coinsentry", "method": method, "params": params]
        let answer: HTTPPost.Reply
        do {
            answer = try await HTTPPost(url: url, timeout: timeout)
                .send(headers: headers, body: [UInt8](try JSONSerialization.data(withJSONObject: body)))
        } catch {
            throw IngestError("\(method) to \(url.absoluteString) failed: \(error)")
        }
        let status = answer.status
        let data = Data(answer.body)
        if status == 401 || status == 403 {
            throw IngestError("\(url.absoluteString) refused the credentials (HTTP \(status)); check --cookie or "
                              + "--rpc-user/--rpc-password")
        }
        guard let reply = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw IngestError("\(method) to \(url.absoluteString): HTTP \(status), reply is not JSON-RPC")
        }
        if let error = reply["error"] as? [String: Any] {
            throw IngestError("\(method) to \(url.absoluteString): RPC error \(error["code"] ?? "?"): "
                              + "\(error["message"] ?? "?")")
        }
        guard let result = reply["result"] else {
            throw IngestError("\(method) to \(url.absoluteString): reply has no result (HTTP \(status))")
        }
        return result
    }
}

/// Serves blocks from a node over JSON-RPC: `getblockchaininfo`, `getblockhash` and `getblock` with verbosity 2.
///
/// The block is rebuilt from the verbosity-2 reply (header fields and each transaction's `hex`) and its header hash
/// must equal the `hash` the node reports, so a node reply that does not describe the block exactly is an error.
public struct RPCBlockSource: BlockSource {
    /// The client.
    public let client: BitcoinRPCClient

    /// Creates a source over `client`.
    public init(client: BitcoinRPCClient) { self.client = client }

    private func info() async throws -> [String: Any] {
        guard let info = try await client.call("getblockchaininfo") as? [String: Any] else {
            throw IngestError("getblockchaininfo returned no object")
        }
        return info
    }

    public func network() async throws -> BitcoinNetwork {
        let name = try await info()["chain"] as? String ?? "?"
        guard let network = BitcoinNetwork(name: name) else {
            throw IngestError("the node reports an unknown chain '\(name)'")
        }
        return network
    }

    public func chainTip() async throws -> (height: Int, hash: Hash256) {
        let info = try await info()
        guard let height = info["blocks"] as? Int, let hash = info["bestblockhash"] as? String else {
            throw IngestError("getblockchaininfo lacks blocks or bestblockhash")
        }
        return (height, try Hash256(hex: hash))
    }

    public func lowestHeight() async throws -> Int {
        let info = try await info()
        return info["pruneheight"] as? Int ?? 0
    }

    public func blockHash(at height: Int) async throws -> Hash256 {
        guard let hex = try await client.call("getblockhash", [height]) as? String else {
            throw IngestError("getblockhash \(height) returned no string")
        }
        return try Hash256(hex: hex)
    }

    public func block(at height: Int) async throws -> Block {
        let hash = try await blockHash(at: height)
        guard let json = try await client.call("getblock", [hash.hex, 2]) as? [String: Any] else {
            throw IngestError("getblock \(hash.hex) 2 returned no object")
        }
        return try Self.block(fromVerbose: json, expectedHash: hash)
    }

    /// Rebuilds a block from `getblock` verbosity-2 JSON.
    public static func block(fromVerbose json: [String: Any], expectedHash: Hash256) throws -> Block {
        func field<T>(_ name: String, _ type: T.Type) throws -> T {
            guard let value = json[name] as? T else {
                throw IngestError("getblock \(expectedHash.hex): field '\(name)' missing or of the wrong type")
            }
            return value
        }
        let bitsHex = try field("bits", String.self)
        guard let bits = UInt32(bitsHex, radix: 16) else { throw IngestError("getblock: bits '\(bitsHex)' not hex") }
        let previous = try (json["previousblockhash"] as? String).map { try Hash256(hex: $0) } ?? .zero
        let header = BlockHeader(version: Int32(truncatingIfNeeded: try field("version", Int.self)),
                                 previousBlockHash: previous,
                                 merkleRoot: try Hash256(hex: try field("merkleroot", String.self)),
                                 time: UInt32(try field("time", Int.self)), bits: bits,
                                 nonce: UInt32(truncatingIfNeeded: try field("nonce", Int.self)))
        guard header.hash == expectedHash else {
            throw IngestError("getblock \(expectedHash.hex): the header fields hash to \(header.hash.hex)")
        }
        let transactions = try field("tx", [[String: Any]].self)
        var parsed = [Transaction]()
        parsed.reserveCapacity(transactions.count)
        for (index, entry) in transactions.enumerated() {
            guard let hex = entry["hex"] as? String else {
                throw IngestError("getblock \(expectedHash.hex): transaction \(index) has no 'hex' (verbosity 2?)")
            }
            do {
                parsed.append(try ParsedTransaction(bytes: try Hex.decode(hex)).transaction)
            } catch {
                throw error.within("getblock \(expectedHash.hex): transaction \(index)")
            }
        }
        return Block(header: header, transactions: parsed)
    }
}
