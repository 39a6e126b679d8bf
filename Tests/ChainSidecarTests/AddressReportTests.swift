import BitcoinData
import ChainAnalysis
import ChainStore
import ChainTestSupport
import Control
import Foundation
import Logging
import Testing
import TestSupport
@testable import ChainSidecar

/// The `coinsentry` executable of the debug build, nil when it is not built.
let coinsentryExecutable: String? = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let path = root.appendingPathComponent(".build/debug/coinsentry").path
    return FileManager.default.isExecutableFile(atPath: path) ? path : nil
}()

/// A JSON value as sorted-keys JSON text, to compare decoded objects.
func canonical(_ value: Any?) throws -> String {
    guard let value else { return "absent" }
    let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
    return String(decoding: data, as: UTF8.self)
}

/// The address reply, from the sidecar and from `coinsentry chain address` offline, over a chain whose outputs pay
/// keys; and the transaction graph `coinsentry chain graph` exports.
@Suite("Address reports and the exported graph")
struct AddressReportTests {
    static let coin: Int64 = 100_000_000

    /// A sidecar that has ingested ``KeyOutputChain`` from block files.
    static func sidecar(_ directory: TemporaryDirectory) async throws -> ChainSidecar {
        let blocks = directory.file("blocks")
        try BlockFileWriter(directory: blocks, network: .regtest).write(KeyOutputChain().blocks)
        let sidecar = try await ChainSidecar(
            configuration: try ChainSidecarConfiguration(toml: configurationText(blocks: blocks, directory: directory),
                                                         source: "t"),
            logger: Logger(label: "test"))
        await sidecar.runCycle()
        return sidecar
    }

    @Test func theSidecarReportsBalanceAndHistoryOfAMultisigKeysAddress() async throws {
        let directory = try TemporaryDirectory()
        let sidecar = try await Self.sidecar(directory)
        let keyB = KeyOutputChain.address(KeyOutputChain.keyB)
        let reply = try await reply(sidecar, #"{"cmd":"address","address":"\#(keyB)"}"#)
        let history = try #require(reply["history"] as? [String: Any])
        #expect(history["balance"] as? Int == Int(10 * Self.coin))
        #expect(history["received"] as? Int == Int(40 * Self.coin))
        #expect(history["shared_outputs"] as? Int == 1)
        let transactions = try #require(history["transactions"] as? [[String: Any]])
        #expect(transactions.map { $0["height"] as? Int } == [102, 103])
        #expect(reply["cluster_size"] as? Int == 1)
    }

    @Test func theTextFormShowsBalanceTransactionsAndFeatures() throws {
        var report = AddressReport(address: "a1", watched: false, features: ["reuse": 0.5])
        report.history = AddressReport.History(received: 40, sent: 30, balance: 10, outputs: 2, unspentOutputs: 1,
                                               sharedOutputs: 1,
                                               transactions: [.init(txid: "ab", height: 7, time: 0, received: 40,
                                                                    sent: 0)])
        let text = report.text
        #expect(text.contains("balance (sat)   10"), "\(text)")
        #expect(text.contains("outputs         2 (1 unspent)"), "\(text)")
        #expect(text.contains("1970-01-01T00:00:00Z"), "\(text)")
        #expect(text.contains("reuse"), "\(text)")
    }

    /// `coinsentry chain address --json` reads the database the sidecar wrote and gives the sidecar's reply.
    @Test(.enabled(if: coinsentryExecutable != nil, "the coinsentry executable is not built (swift build)"))
    func theOfflineCommandGivesTheSidecarsReply() async throws {
        let directory = try TemporaryDirectory()
        let sidecar = try await Self.sidecar(directory)
        for address in [KeyOutputChain.address(KeyOutputChain.keyA), KeyOutputChain.address(KeyOutputChain.keyB)] {
            var daemon = try await reply(sidecar, #"{"cmd":"address","address":"\#(address)"}"#)
            daemon["ok"] = nil
            let output = try Shell.run([coinsentryExecutable!, "chain", "address", address, "--db",
                                        directory.file("chain.sqlite"), "--network", "regtest", "--json",
                                        "--window-blocks", "10"])
            let offline = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            for key in Set(offline.keys).union(daemon.keys) {
                #expect(try canonical(offline[key]) == (try canonical(daemon[key])), "\(address) \(key)")
            }
        }
        #expect(throws: Shell.Failure.self) {
            _ = try Shell.run([coinsentryExecutable!, "chain", "address", "mzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
                               "--db", directory.file("chain.sqlite"), "--network", "regtest"])
        }
    }

    /// `coinsentry chain graph` writes the pattern detector's graph: its arcs as the edge list similarity reads,
    /// and the addresses by id.
    @Test(.enabled(if: coinsentryExecutable != nil, "the coinsentry executable is not built (swift build)"))
    func theExportedGraphIsTheOnePatternsComputeOn() async throws {
        let directory = try TemporaryDirectory()
        let store = try ChainStore(path: directory.file("chain.sqlite"), network: .regtest)
        let chain = BehaviourChain(seed: 3, blockCount: 40)
        try store.append(chain.blocks, firstHeight: 0)
        let edges = directory.file("graph.txt")
        _ = try Shell.run([coinsentryExecutable!, "chain", "graph", "--db", directory.file("chain.sqlite"),
                           "--network", "regtest", "--window-blocks", "20", "-o", edges])
        let expected = TransactionGraph(flows: try store.flows(heights: 20...39))
        #expect(!expected.arcs.isEmpty)
        let (arcs, _) = try EdgeListParser.parse(try String(contentsOfFile: edges, encoding: .utf8), source: edges)
        #expect(arcs.map { [$0.0, $0.1] } == expected.arcs.map { [$0.0, $0.1] })
        let map = try String(contentsOfFile: edges + ".addresses", encoding: .utf8)
        #expect(map == expected.addresses.enumerated().map { "\($0.offset) \($0.element)\n" }.joined())
    }
}
