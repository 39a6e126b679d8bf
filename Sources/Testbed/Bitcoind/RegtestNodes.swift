import ChainIngest
import Foundation

/// Regtest `bitcoind` processes started by the testbed: each with its own data directory, bound to 127.0.0.1,
/// RPC through its cookie file, connected to the others with `addnode`.
public final class RegtestNodes {
    /// One running node.
    public struct Node {
        /// Its data directory (the chain is in `regtest/` under it).
        public let directory: String
        /// Peer-to-peer port on 127.0.0.1.
        public let port: Int
        /// RPC port on 127.0.0.1.
        public let rpcPort: Int
        let process: Process

        /// The node's RPC URL.
        public var rpcURL: URL { URL(string: "http://127.0.0.1:\(rpcPort)/")! }
        /// The cookie file the node writes at start-up.
        public var cookie: String { (directory as NSString).appendingPathComponent("regtest/.cookie") }

        /// A client of the node, or of one of its wallets.
        public func client(wallet: String? = nil) -> BitcoinRPCClient {
            let url = wallet.map { rpcURL.appendingPathComponent("wallet").appendingPathComponent($0) } ?? rpcURL
            return BitcoinRPCClient(url: url, credentials: .cookieFile(cookie))
        }
    }

    /// The nodes, in start order.
    public private(set) var nodes: [Node] = []

    /// The `bitcoind` on the PATH, nil when there is none.
    public static var bitcoindPath: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/bitcoind" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts `count` nodes under `directory` (`node0`, `node1`, ...), node i listening on `basePort + 2i` and
    /// answering RPC on `basePort + 2i + 1`, waits until each answers, and connects every pair.
    ///
    /// - Throws: ``BitcoindError`` when no `bitcoind` is on the PATH or a node does not come up within `timeout`
    ///   seconds (its `debug.log` says why).
    public init(count: Int, directory: String, basePort: Int, timeout: TimeInterval = 60) async throws {
        guard let bitcoind = Self.bitcoindPath else {
            throw BitcoindError("--bitcoind needs a bitcoind on the PATH (Bitcoin Core); none was found")
        }
        for index in 0..<count {
            let nodeDirectory = (directory as NSString).appendingPathComponent("node\(index)")
            try FileManager.default.createDirectory(atPath: nodeDirectory, withIntermediateDirectories: true)
            let port = basePort + 2 * index
            let process = Process()
            process.executableURL = URL(fileURLWithPath: bitcoind)
            process.arguments = [
                "-regtest", "-datadir=\(nodeDirectory)", "-server=1", "-listen=1", "-bind=127.0.0.1",
                "-port=\(port)", "-rpcbind=127.0.0.1", "-rpcallowip=127.0.0.1", "-rpcport=\(port + 1)",
                "-dnsseed=0", "-fixedseeds=0", "-discover=0", "-listenonion=0", "-upnp=0", "-natpmp=0",
                "-fallbackfee=0.0002", "-printtoconsole=0",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            nodes.append(Node(directory: nodeDirectory, port: port, rpcPort: port + 1, process: process))
        }
        do {
            for node in nodes { try await Self.waitUntilAnswering(node, timeout: timeout) }
            for node in nodes {
                for peer in nodes where peer.port != node.port {
                    _ = try await node.client().call("addnode", ["127.0.0.1:\(peer.port)", "add"])
                }
            }
        } catch {
            await stop()
            throw error
        }
    }

    private static func waitUntilAnswering(_ node: Node, timeout: TimeInterval) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            // The cookie appears and RPC answers only once the node has finished loading ("warming up" before).
            if (try? await node.client().call("getblockchaininfo")) != nil { return }
            guard node.process.isRunning else {
                throw BitcoindError("bitcoind in \(node.directory) exited with status "
                                    + "\(node.process.terminationStatus); see \(node.directory)/regtest/debug.log")
            }
            guard Date() < deadline else {
                throw BitcoindError("bitcoind in \(node.directory) did not answer RPC within \(Int(timeout)) s")
            }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
    }

    /// Waits until every node has the same best block (blocks travel between nodes over their connections) and its
    /// wallets have seen it.
    public func waitForSameTip(timeout: TimeInterval = 60) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            var tips = Set<String>()
            for node in nodes { tips.insert(try await node.client().call("getbestblockhash") as? String ?? "") }
            if tips.count == 1 {
                // Wallets learn of a block through the node's notification queue, after the tip moves; the next
                // listunspent must see the block's coins.
                for node in nodes { _ = try await node.client().call("syncwithvalidationinterfacequeue") }
                return
            }
            guard Date() < deadline else { throw BitcoindError("the nodes did not agree on a tip within \(timeout) s") }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
    }

    /// Asks every node to stop and waits for its process to exit (terminating it after 30 s).
    public func stop() async {
        for node in nodes where node.process.isRunning { _ = try? await node.client().call("stop") }
        for node in nodes {
            let deadline = Date().addingTimeInterval(30)
            while node.process.isRunning && Date() < deadline { try? await Task.sleep(nanoseconds: 100_000_000) }
            if node.process.isRunning {
                node.process.terminate()
                node.process.waitUntilExit()
            }
        }
    }
}
