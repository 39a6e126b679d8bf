import Alerting
import BitcoinData
import DaemonSupport
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
/// pattern_window_blocks = 144
/// pattern_windows = 7
///
/// [alerts]                      # the sensor's sinks, in the sensor's alert schema
/// journald = true
/// json_file = "/var/log/coinsentry/chain-alerts.json"
/// syslog = ["unix:/dev/log"]
/// syslog_facility = "daemon"
///
/// [control]
/// socket = "/run/coinsentry-chain/chain.sock"
/// ```
///
/// Unknown sections and keys are refused, so a misspelt key never silently falls back to a default.
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
    public var patternWindowBlocks: Int
    public var patternWindows: Int
    /// Alerts to journald (`SYSLOG_IDENTIFIER=coinsentry-chaind`).
    public var journald: Bool
    /// Alerts as JSON lines, or nil for none.
    public var jsonFile: String?
    /// RFC 5424 syslog destinations: `unix:PATH`, `udp:HOST:PORT`, `tcp:HOST:PORT`.
    public var syslogTargets: [String]
    public var syslogFacility: SyslogFacility
    public var controlSocket: String
    /// Where and how `/metrics` is served (default 127.0.0.1:9811), or nil for nowhere.
    public var metrics: MetricsSettings?

    /// A configuration error naming the file, the section and key, and what is wrong.
    public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    private static let knownKeys: [String: Set<String>] = [
        "chain": ["db", "postgres", "network", "interval_seconds", "sensor_id"],
        "source": ["blocks", "rpc", "cookie", "rpc_user", "rpc_password"],
        "analysis": ["model", "watchlist", "pattern_window_blocks", "pattern_windows"],
        "alerts": ["journald", "json_file", "syslog", "syslog_facility"],
        "control": ["socket"],
        "metrics": MetricsSettings.keys,
    ]

    /// Parses TOML text; `source` names it in errors.
    public init(toml text: String, source: String) throws {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigurationError(description: "\(source):\(error.source.begin.line): \(error.description)")
        }
        let reader = try Reader(table: table, source: source, known: Self.knownKeys)
        postgres = try reader.string("chain", "postgres")
        guard let database = try reader.string("chain", "db") ?? postgres else {
            throw reader.fail("[chain] db (SQLite file) or postgres (URL) is required")
        }
        self.database = database
        let networkName = try reader.string("chain", "network") ?? "mainnet"
        guard let network = BitcoinNetwork(name: networkName) else {
            throw reader.fail("[chain] network '\(networkName)' is not mainnet, testnet, signet or regtest")
        }
        self.network = network
        intervalSeconds = try reader.number("chain", "interval_seconds") ?? 60
        sensorId = try reader.string("chain", "sensor_id") ?? ProcessInfo.processInfo.hostName
        blocksDirectory = try reader.string("source", "blocks")
        rpcURL = try reader.string("source", "rpc")
        cookieFile = try reader.string("source", "cookie")
        rpcUser = try reader.string("source", "rpc_user")
        rpcPassword = try reader.string("source", "rpc_password")
        guard (blocksDirectory == nil) != (rpcURL == nil) else {
            throw reader.fail("[source] needs exactly one of blocks = DIR or rpc = URL")
        }
        guard (rpcUser == nil) == (rpcPassword == nil), cookieFile == nil || rpcUser == nil else {
            throw reader.fail("[source] takes cookie, or rpc_user with rpc_password")
        }
        modelPath = try reader.string("analysis", "model")
        watchlistPath = try reader.string("analysis", "watchlist")
        patternWindowBlocks = try reader.integer("analysis", "pattern_window_blocks") ?? 144
        patternWindows = try reader.integer("analysis", "pattern_windows") ?? 7
        journald = try reader.bool("alerts", "journald") ?? true
        jsonFile = try reader.string("alerts", "json_file").flatMap { $0.isEmpty ? nil : $0 }
        syslogTargets = try reader.strings("alerts", "syslog") ?? []
        for target in syslogTargets where SyslogSink.Transport(target: target) == nil {
            throw reader.fail("[alerts] syslog: '\(target)' is not unix:PATH, udp:HOST:PORT or tcp:HOST:PORT")
        }
        let facilityName = try reader.string("alerts", "syslog_facility") ?? "daemon"
        guard let facility = SyslogFacility(name: facilityName) else {
            throw reader.fail("[alerts] syslog_facility: '\(facilityName)' is not a syslog facility "
                              + "(daemon, user, local0 ... local7, ...)")
        }
        syslogFacility = facility
        controlSocket = try reader.string("control", "socket") ?? "/run/coinsentry-chain/chain.sock"
        let listen = try reader.string("metrics", "listen")
        let certificate = try reader.string("metrics", "tls_certificate")
        let privateKey = try reader.string("metrics", "tls_key")
        let tokenFile = try reader.string("metrics", "token_file")
        do throws(MetricsSettings.Problem) {
            metrics = try MetricsSettings.parse(listen: listen, certificate: certificate, privateKey: privateKey,
                                                tokenFile: tokenFile, fallback: "127.0.0.1:9811")
        } catch {
            let key = error.key.split(separator: ".").last.map(String.init) ?? error.key
            throw reader.fail("[metrics] \(key): \(error.message)")
        }
        for (key, value) in [("[chain] interval_seconds", intervalSeconds),
                             ("[analysis] pattern_window_blocks", Double(patternWindowBlocks)),
                             ("[analysis] pattern_windows", Double(patternWindows))] where value <= 0 {
            throw reader.fail("\(key) must be positive, not \(value)")
        }
    }

    /// Reads a configuration file.
    public init(path: String) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationError(description: "cannot read the configuration \(path)")
        }
        try self.init(toml: text, source: path)
    }

    /// The settings that differ from `running` but only take effect after a restart (store, source, socket).
    public func restartOnlyChanges(from running: ChainSidecarConfiguration) -> [String] {
        var changed = [String]()
        if database != running.database || postgres != running.postgres { changed.append("[chain] db/postgres") }
        if network != running.network { changed.append("[chain] network") }
        if blocksDirectory != running.blocksDirectory || rpcURL != running.rpcURL || cookieFile != running.cookieFile
            || rpcUser != running.rpcUser || rpcPassword != running.rpcPassword {
            changed.append("[source]")
        }
        if controlSocket != running.controlSocket { changed.append("[control] socket") }
        if metrics != running.metrics { changed.append("[metrics]") }
        return changed
    }
}

/// Typed access to `[section] key` values, every mistake named by section and key.
private struct Reader {
    let table: TOMLTable
    let source: String

    init(table: TOMLTable, source: String, known: [String: Set<String>]) throws {
        self.table = table
        self.source = source
        for section in table.keys.sorted() {
            guard let keys = known[section] else {
                throw fail("[\(section)] is not a known section (known: "
                           + "\(known.keys.sorted().map { "[\($0)]" }.joined(separator: ", ")))")
            }
            guard let entries = table[section]?.table else { throw fail("\(section) must be a section ([\(section)])") }
            for key in entries.keys.sorted() where !keys.contains(key) {
                let hint = section == "analysis" && key == "alerts" ? "; the alert file is now [alerts] json_file" : ""
                throw fail("[\(section)] \(key) is not a known key (known here: "
                           + "\(keys.sorted().joined(separator: ", ")))\(hint)")
            }
        }
    }

    func fail(_ message: String) -> ChainSidecarConfiguration.ConfigurationError {
        ChainSidecarConfiguration.ConfigurationError(description: "\(source): \(message)")
    }

    private func value(_ section: String, _ key: String) -> (any TOMLValueConvertible)? {
        table[section]?.table?[key]
    }

    func string(_ section: String, _ key: String) throws -> String? {
        guard let value = value(section, key) else { return nil }
        guard let text = value.string else { throw fail("[\(section)] \(key) must be a string") }
        return text
    }

    func strings(_ section: String, _ key: String) throws -> [String]? {
        guard let value = value(section, key) else { return nil }
        guard let array = value.array, array.allSatisfy({ $0.string != nil }) else {
            throw fail("[\(section)] \(key) must be a list of strings")
        }
        return array.compactMap(\.string)
    }

    func number(_ section: String, _ key: String) throws -> Double? {
        guard let value = value(section, key) else { return nil }
        guard let number = value.double ?? value.int.map(Double.init), number.isFinite else {
            throw fail("[\(section)] \(key) must be a number")
        }
        return number
    }

    func integer(_ section: String, _ key: String) throws -> Int? {
        guard let value = value(section, key) else { return nil }
        guard let integer = value.int else { throw fail("[\(section)] \(key) must be a whole number") }
        return integer
    }

    func bool(_ section: String, _ key: String) throws -> Bool? {
        guard let value = value(section, key) else { return nil }
        guard let flag = value.bool else { throw fail("[\(section)] \(key) must be true or false") }
        return flag
    }
}
