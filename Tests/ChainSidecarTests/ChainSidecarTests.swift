import BitcoinData
import ChainTestSupport
import Control
import Foundation
import Logging
import Testing
@testable import ChainSidecar

func configurationText(blocks: String, directory: TemporaryDirectory, extra: String = "") -> String {
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
    alerts = "\(directory.file("alerts.jsonl"))"
    pattern_window_blocks = 10
    pattern_windows = 3
    \(extra)
    [control]
    socket = "\(directory.file("chain.sock"))"
    """
}

func reply(_ sidecar: ChainSidecar, _ request: String) async throws -> [String: Any] {
    let data = await sidecar.handle(requestLine: Data(request.utf8))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

@Suite("Chain sidecar daemon")
struct ChainSidecarTests {
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
        #expect(!FileManager.default.fileExists(atPath: directory.file("alerts.jsonl")),
                "blocks present before the first cycle are not alerts")

        try writer.write(scenario.blocks)
        await sidecar.runCycle()
        status = try await reply(sidecar, #"{"cmd":"status"}"#)
        #expect(status["tip_height"] as? Int == 29)
        let alerts = try String(contentsOfFile: directory.file("alerts.jsonl"), encoding: .utf8)
            .split(separator: "\n")
        #expect(alerts.count >= 15, "the pool address is paid by every new block's coinbase")
        #expect(alerts.allSatisfy { $0.contains("\"host\":\"\(watched)\"") && $0.contains("\"verdict\":\"activity\"") })

        let address = try await reply(sidecar, #"{"cmd":"address","address":"\#(watched)"}"#)
        #expect(address["ok"] as? Bool == true)
        let features = try #require(address["features"] as? [String: Double])
        #expect(features["coinbase_share"] == 1)
        #expect(try await reply(sidecar, #"{"cmd":"address","address":"bcrt1qnothere"}"#)["ok"] as? Bool == false)
        let other = try #require(scenario.labels.first { $0.label == "wallet" }).address
        let watch = try await reply(sidecar, #"{"cmd":"watch","address":"\#(other)"}"#)
        #expect(watch["watched"] as? Int == 2)
        #expect(try String(contentsOfFile: directory.file("watch.txt"), encoding: .utf8).contains(other))
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
        server.start()
        defer { server.stop() }
        var info = stat()
        #expect(stat(configuration.controlSocket, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o660)
        let path = configuration.controlSocket
        // The client blocks, so it runs on a thread of its own: the sidecar's actor needs the cooperative pool free.
        let replies = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[JSONValue], Error>) in
            Thread {
                continuation.resume(with: Result {
                    try [ControlClient.request(["cmd": "status"], socket: path),
                         ControlClient.request(["cmd": "nonsense"], socket: path),
                         ControlClient.request(["cmd": "patterns"], socket: path)]
                })
            }.start()
        }
        #expect(replies[0]["ok"]?.bool == true)
        #expect(replies[0]["tip_height"]?.number == 4)
        #expect(replies[1]["ok"]?.bool == false)
        #expect(replies[2]["ok"]?.bool == true)
        #expect { try ControlClient.request(["cmd": "status"], socket: directory.file("absent.sock")) } throws: {
            ($0 as? ControlError)?.code == .notRunning
        }
    }
}
