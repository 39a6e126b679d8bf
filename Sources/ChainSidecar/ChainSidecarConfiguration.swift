import BitcoinData
import Foundation
import TOMLKit

/// The sidecar's configuration, read from TOML (`/etc/coinsentry/chain.toml` by default):
///
/// ```toml
/// [chain]
/// db = "/var/lib/coinsentry/chain/chain.sqlite"   # or postgres = "postgres://coinsentry@127.0.0.1/chain"
/// network = "mainnet"
/// interval_seconds = 60
/// sensor_id = "sensor-1"
///
/// [source]                      # exactly one of blocks / rpc
/// rpc = "http://127.0.0.1:8332/"
/// cookie = "/var/lib/bitcoind/.cookie"   # or rpc_user / rpc_password
/// # blocks = "/var/lib/bitcoind/blocks"
///
/// [analysis]                    # all optional
/// model = "/etc/coinsentry/chain-model.json"
/// watchlist = "/etc/coinsentry/chain-watchlist.txt"
/// alerts = "/var/log/coinsentry/chain-alerts.jsonl"
/// pattern_window_blocks = 144
/// pattern_windows = 7
///
/// [control]
/// socket = "/run/coinsentry-chain/chain.sock"
/// ```
public struct ChainSidecarConfiguration: Sendable, Equatable {
    /// SQLite file, or (when ``postgres`` is set) unused.
    public var database: String
    /// PostgreSQL URL; when set, the chain lives there instead of SQLite.
    public var postgres: String?
    public var network: BitcoinNetwork
    public var intervalSeconds: Double
    public var sensorId: String
    public var blocksDirectory: String?
    public var rpcURL: String?
    public var cookieFile: String?
    public var rpcUser: String?
    public var rpcPassword: String?
    public var modelPath: String?
    public var watchlistPath: String?
    public var alertsPath: String?
    public var patternWindowBlocks: Int
    public var patternWindows: Int
    public var controlSocket: String

    /// A configuration error naming the file and, when known, the line.
    public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Parses TOML text; `source` names it in errors.
    public init(toml text: String, source: String) throws {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError(description: "\(source):\(error.source.begin.line): \(error.description)")
        }
        func string(_ section: String, _ key: String) -> String? { table[section]?.table?[key]?.string }
        func int(_ section: String, _ key: String) -> Int? { table[section]?.table?[key]?.int }
        func fail(_ message: String) -> ConfigurationError { ConfigurationError(description: "\(source): \(message)") }
        postgres = string("chain", "postgres")
        guard let database = string("chain", "db") ?? postgres else {
            throw fail("[chain] db (SQLite file) or postgres (URL) is required")
        }
        self.database = database
        let networkName = string("chain", "network") ?? "mainnet"
        guard let network = BitcoinNetwork(name: networkName) else {
            throw fail("[chain] network '\(networkName)' is not mainnet, testnet, signet or regtest")
        }
        self.network = network
        intervalSeconds = table["chain"]?.table?["interval_seconds"]?.double
            ?? Double(int("chain", "interval_seconds") ?? 60)
        sensorId = string("chain", "sensor_id") ?? ProcessInfo.processInfo.hostName
        blocksDirectory = string("source", "blocks")
        rpcURL = string("source", "rpc")
        cookieFile = string("source", "cookie")
        rpcUser = string("source", "rpc_user")
        rpcPassword = string("source", "rpc_password")
        guard (blocksDirectory == nil) != (rpcURL == nil) else {
            throw fail("[source] needs exactly one of blocks = DIR or rpc = URL")
        }
        guard (rpcUser == nil) == (rpcPassword == nil), cookieFile == nil || rpcUser == nil else {
            throw fail("[source] takes cookie, or rpc_user with rpc_password")
        }
        modelPath = string("analysis", "model")
        watchlistPath = string("analysis", "watchlist")
        alertsPath = string("analysis", "alerts")
        patternWindowBlocks = int("analysis", "pattern_window_blocks") ?? 144
        patternWindows = int("analysis", "pattern_windows") ?? 7
        controlSocket = string("control", "socket") ?? "/run/coinsentry-chain/chain.sock"
        guard intervalSeconds > 0, patternWindowBlocks > 0, patternWindows > 0 else {
            throw fail("interval_seconds, pattern_window_blocks and pattern_windows must be positive")
        }
    }

    /// Reads a configuration file.
    public init(path: String) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationError(description: "cannot read the configuration \(path)")
        }
        try self.init(toml: text, source: path)
    }
}
