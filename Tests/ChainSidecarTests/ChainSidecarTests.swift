import Alerting
import BitcoinData
import ChainTestSupport
import Control
import Foundation
import Logging
import Testing
@testable import ChainSidecar

/// A sidecar configuration in `directory`; `/metrics` is off unless `metrics` gives `HOST:PORT`.
func configurationText(blocks: String, directory: TemporaryDirectory, extra: String = "", metrics: String = "")
    -> String {
    """
    [chain]
    db = "\(directory.file("chain.sqlite"))"
    network = "regtest"
    interval_seconds = 5
    sensor_id = "test-sensor"

    [source]
    blocks = "\(blocks)"

    [analysis]
    watchlist = "\(directory.file("watch.txt"))"
    pattern_window_blocks = 10
    pattern_windows = 3

    [alerts]
    journald = false
    json_file = "\(directory.file("alerts.jsonl"))"
    \(extra)
    [control]
    socket = "\(directory.file("chain.sock"))"
    [metrics]
    listen = "\(metrics)"
    """
}

/// The JSON lines of an alert file once it has at least `count` of them (the dispatcher writes asynchronously), or
/// what it has after 20 s.
func jsonLines(_ path: String, atLeast count: Int) async throws -> [[String: Any]] {
    let deadline = ContinuousClock.now + .seconds(20)
    while true {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        if lines.count >= count || ContinuousClock.now > deadline { return lines }
        try await Task.sleep(for: .milliseconds(100))
    }
}

func reply(_ sidecar: ChainSidecar, _ request: String) async throws -> [String: Any] {
    let answer = await sidecar.controlRouter.respond(to: Data(request.utf8), peer: PeerCredentials(pid: 1, uid: 0, gid: 0))
    return try #require(try JSONSerialization.jsonObject(with: Data(answer.line.utf8)) as? [String: Any])
}

@Suite("Chain sidecar daemon")
struct ChainSidecarTests {
    /// The testbed folder's default sits beside the database, whatever its path: a one-character relative path trapped
    /// in Foundation's `deletingLastPathComponent` (an input the `toml_config` fuzz target found).
    @Test func theTestbedFolderDefaultsToBesideAnyDatabasePath() throws {
        for (database, testbed) in [("e", "testbed"), ("e/", "testbed"), ("db/chain.db", "db/testbed"),
                                    ("/var/lib/x/chain.db", "/var/lib/x/testbed")] {
            let configuration = try ChainSidecarConfiguration(
                toml: "[chain]\ndb = \"\(database)\"\n[source]\nblocks = \"/b\"\n", source: "c.toml")
            #expect(configuration.testbedDirectory == testbed, "db = \(database)")
        }
    }

    @Test func configurationIsReadFromTOMLAndMistakesAreNamed() async throws {
        let directory = try TemporaryDirectory()
        let configuration = try ChainSidecarConfiguration(
            toml: configurationText(blocks: "/var/lib/bitcoind/blocks", directory: directory), source: "chain.toml")
        #expect(configuration.network == .regtest)
        #expect(configuration.intervalSeconds == 5)
        #expect(configuration.blocksDirectory == "/var/lib/bitcoind/blocks")
        #expect(configuration.patternWindowBlocks == 10)
        #expect(configuration.controlSocket == directory.file("chain.sock"))
        #expect { try ChainSidecarConfiguration(toml: "[chain]\nnetwork = \"regtest\"\n", source: "c.toml") } throws: {
            "\($0)" == "c.toml: [chain] db (SQLite file) or postgres (URL) is required"
        }
        #expect {
            try ChainSidecarConfiguration(toml: "[chain]\ndb = \"x\"\n[source]\nblocks = \"a\"\nrpc = \"b\"\n",
                                          source: "c.toml")
        } throws: { "\($0)".contains("exactly one of blocks") }
        #expect { try ChainSidecarConfiguration(toml: "[chain]\ndb = \n", source: "c.toml") } throws: {
            "\($0)".hasPrefix("c.toml:2:")
        }
        let base = configurationText(blocks: "/b", directory: directory)
        let mistakes: [(String, String)] = [
            (base.replacingOccurrences(of: "journald = false", with: "jornald = false"),
             "[alerts] jornald is not a known key"),
            (base.replacingOccurrences(of: "journald = false", with: "journald = \"no\""),
             "[alerts] journald must be true or false"),
            (base.replacingOccurrences(of: "journald = false", with: "syslog = [\"udp:nowhere\"]"),
             "[alerts] syslog: 'udp:nowhere' is not unix:PATH, udp:HOST:PORT or tcp:HOST:PORT"),
            (base.replacingOccurrences(of: "journald = false", with: "syslog_facility = \"kitchen\""),
             "[alerts] syslog_facility: 'kitchen' is not a syslog facility"),
            (base.replacingOccurrences(of: "pattern_windows = 3", with: "pattern_windows = 0"),
             "[analysis] pattern_windows must be positive"),
            (base.replacingOccurrences(of: "pattern_windows = 3", with: "alerts = \"/x.jsonl\""),
             "the alert file is now [alerts] json_file"),
            (base + "\n[sinks]\nx = 1\n", "[sinks] is not a known section"),
        ]
        for (text, message) in mistakes {
            #expect { try ChainSidecarConfiguration(toml: text, source: "c.toml") } throws: {
                "\($0)".hasPrefix("c.toml: ") && "\($0)".contains(message)
            }
        }
        #expect { try ChainSidecarConfiguration(toml: base + "\n[.sinks]\n", source: "c.toml") } throws: {
            "\($0)".contains("c.toml:") && "\($0)".contains("a table name cannot start with '.'")
        }
        let full = try ChainSidecarConfiguration(
            toml: base.replacingOccurrences(of: "journald = false", with: """
                journald = true
                syslog = ["udp:127.0.0.1:514", "unix:/dev/log"]
                syslog_facility = "local3"
                """), source: "c.toml")
        #expect(full.journald && full.syslogTargets.count == 2 && full.syslogFacility == SyslogFacility(name: "local3"))
        #expect(full.jsonFile == directory.file("alerts.jsonl"))
        let shipped = try ChainSidecarConfiguration(
            path: ChainDaemonProcess.root.appendingPathComponent("etc/coinsentry/chain.toml").path)
        #expect(shipped.journald && shipped.jsonFile == "/var/log/coinsentry/chain/alerts.json")
    }

    @Test func cyclesIngestAlertOnWatchedAddressesAndAnswerControlRequests() async throws {
        let directory = try TemporaryDirectory()
        let blocks = directory.file("blocks")
        let scenario = BehaviourChain(seed: 3, blockCount: 30)
        let writer = try BlockFileWriter(directory: blocks, network: .regtest)
        try writer.write(Array(scenario.blocks.prefix(15)))
        let watched = try #require(scenario.labels.first { $0.label == "mining_pool" }).address
        try "\(watched)\n".write(toFile: directory.file("watch.txt"), atomically: true, encoding: .utf8)
        let configuration = try ChainSidecarConfiguration(toml: configurationText(blocks: blocks, directory: directory),
                                                          source: "chain.toml")
        let sidecar = try await ChainSidecar(configuration: configuration, logger: Logger(label: "test"))
        await sidecar.runCycle()
        var status = try await reply(sidecar, #"{"cmd":"status"}"#)
        #expect(status["ok"] as? Bool == true)
        #expect(status["tip_height"] as? Int == 14)
        #expect(status["last_error"] == nil)
        #expect(status["alerts"] as? Int == 0, "blocks present before the first cycle are not alerts")

        try writer.write(scenario.blocks)
        await sidecar.runCycle()
        status = try await reply(sidecar, #"{"cmd":"status"}"#)
        #expect(status["tip_height"] as? Int == 29)
        let alerts = try await jsonLines(directory.file("alerts.jsonl"), atLeast: 15)
        #expect(alerts.count >= 15, "the pool address is paid by every new block's coinbase")
        for alert in alerts {
            let record = try #require(alert["coinsentry"] as? [String: Any])
            #expect(record["event"] as? String == "watchlist")
            #expect(record["host"] as? String == watched)
            #expect(record["verdict"] as? String == "active")
            #expect(record["sensor"] as? String == "test-sensor")
            let evidence = try #require(record["evidence"] as? [[String: Any]])
            #expect(evidence.contains { $0["kind"] as? String == "txid" && ($0["name"] as? String)?.count == 64 })
        }

        let address = try await reply(sidecar, #"{"cmd":"address","address":"\#(watched)"}"#)
        #expect(address["ok"] as? Bool == true)
        let features = try #require(address["features"] as? [String: Double])
        #expect(features["coinbase_share"] == 1)
        #expect(try await reply(sidecar, #"{"cmd":"address","address":"bcrt1qnothere"}"#)["ok"] as? Bool == false)
        let other = try #require(scenario.labels.first { $0.label == "wallet" }).address
        let watch = try await reply(sidecar, #"{"cmd":"watch","address":"\#(other)"}"#)
        #expect(watch["watched"] as? Int == 2)
        #expect(try String(contentsOfFile: directory.file("watch.txt"), encoding: .utf8).contains(other))
        let list = try await reply(sidecar, #"{"cmd":"watchlist"}"#)
        #expect(list["addresses"] as? [String] == [watched, other].sorted())
        #expect(try await reply(sidecar, #"{"cmd":"unwatch","address":"\#(other)"}"#)["watched"] as? Int == 1)
        #expect(try String(contentsOfFile: directory.file("watch.txt"), encoding: .utf8) == "\(watched)\n")
        #expect(try await reply(sidecar, #"{"cmd":"unwatch","address":"\#(other)"}"#)["ok"] as? Bool == false)
        #expect(try await reply(sidecar, #"{"cmd":"watch","address":"1notanaddress"}"#)["ok"] as? Bool == false)
        #expect(try await reply(sidecar, #"{"cmd":"patterns"}"#)["ok"] as? Bool == true)
        let unknown = try await reply(sidecar, #"{"cmd":"reboot"}"#)
        #expect(unknown["ok"] as? Bool == false && (unknown["error"] as? String)?.contains("unknown command") == true)
        #expect(try await reply(sidecar, "not json")["ok"] as? Bool == false)
    }

    @Test func controlSocketSpeaksJSONLines() async throws {
        let directory = try TemporaryDirectory()
        let blocks = directory.file("blocks")
        try BlockFileWriter(directory: blocks, network: .regtest).write(BehaviourChain(seed: 4, blockCount: 5).blocks)
        let configuration = try ChainSidecarConfiguration(toml: configurationText(blocks: blocks, directory: directory),
                                                          source: "chain.toml")
        let sidecar = try await ChainSidecar(configuration: configuration, logger: Logger(label: "test"))
        await sidecar.runCycle()
        let server = try sidecar.controlServer(path: configuration.controlSocket)
        let serving = Task { try await server.run() }
        defer { serving.cancel() }
        var info = stat()
        #expect(stat(configuration.controlSocket, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o660)
        let path = configuration.controlSocket
        let replies = try await [ControlClient.request(["cmd": "status"], socket: path),
                                 ControlClient.request(["cmd": "nonsense"], socket: path),
                                 ControlClient.request(["cmd": "patterns"], socket: path)]
        let typed = try await ControlClient.send(ChainRequest.Status(), socket: path)
        #expect(typed.tipHeight == 4)
        #expect(sidecar.controlRouter.unrouted.isEmpty, "every command has a handler")
        #expect(replies[0]["ok"]?.bool == true)
        #expect(replies[0]["tip_height"]?.number == 4)
        #expect(replies[1]["ok"]?.bool == false)
        #expect(replies[2]["ok"]?.bool == true)
        await #expect { try await ControlClient.request(["cmd": "status"], socket: directory.file("absent.sock")) } throws: {
            ($0 as? ControlError)?.code == .notRunning
        }
    }
}
