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
///
/// [testbed]                     # all optional
/// scenarios = "/usr/share/coinsentry/scenarios"
/// directory = "/var/lib/coinsentry/chain/testbed"   # default: beside the SQLite database
/// max_blocks = 1000
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
    public var metrics: ListenSettings?
    /// The scenario files testbed runs may be started from (`*.toml`, `*.json`).
    public var testbedScenarios: String
    /// Where testbed runs are written, each in a folder of its own.
    public var testbedDirectory: String
    /// The most activity blocks a testbed run may ask for.
    public var testbedMaximumBlocks: Int

    /// A configuration error naming the file, the section and key, and what is wrong.
    public typealias ConfigurationError = ConfigurationProblem

    private static let knownKeys: [String: Set<String>] = [
        "chain": ["db", "postgres", "network", "interval_seconds", "sensor_id"],
        "source": ["blocks", "rpc", "cookie", "rpc_user", "rpc_password"],
        "analysis": ["model", "watchlist", "pattern_window_blocks", "pattern_windows"],
        "alerts": ["journald", "json_file", "syslog", "syslog_facility"],
        "control": ["socket"],
        "metrics": ListenSettings.keys,
        "testbed": ["scenarios", "directory", "max_blocks"],
    ]

    /// Where the package installs the shipped scenarios.
    public static let defaultTestbedScenarios = "/usr/share/coinsentry/scenarios"

    /// Parses TOML text; `source` names it in errors.
    public init(toml text: String, source: String) throws {
        let table = try TOMLSections.parse(text, source: source)
        let reader = try TOMLSections(table: table, source: source, known: Self.knownKeys,
                                      hints: ["analysis.alerts": "the alert file is now [alerts] json_file"])
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
        metrics = try reader.listen("metrics", fallback: "127.0.0.1:9811")
        testbedScenarios = try reader.string("testbed", "scenarios") ?? Self.defaultTestbedScenarios
        testbedDirectory = try reader.string("testbed", "directory")
            ?? (postgres != nil ? "/var/lib/coinsentry/chain/testbed"
                                : ConfigurationPath.sibling("testbed", of: database))
        testbedMaximumBlocks = try reader.integer("testbed", "max_blocks") ?? 1000
        for (key, value) in [("[chain] interval_seconds", intervalSeconds),
                             ("[testbed] max_blocks", Double(testbedMaximumBlocks)),
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
        if testbedScenarios != running.testbedScenarios || testbedDirectory != running.testbedDirectory
            || testbedMaximumBlocks != running.testbedMaximumBlocks {
            changed.append("[testbed]")
        }
        return changed
    }
}
