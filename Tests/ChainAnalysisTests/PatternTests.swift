import BitcoinData
import ChainStore
import ChainTestSupport
import Foundation
import Testing
@testable import ChainAnalysis

/// A chain where a "malware" payer pays the same five addresses every five blocks, while a noise funder pays five
/// fresh addresses every block (the same shape, never the same members).
func payoutChain(blocks: Int) -> (blocks: [Block], payees: [String], noise: Set<String>) {
    func destination(_ name: String) -> Destination {
        .witness(version: 0, program: Hashing.hash160(Array(name.utf8)))
    }
    let payees = (0..<5).map { destination("payee \($0)") }
    var result = [Block]()
    var payerCoins = [(OutPoint, Int64)]()
    var funderCoins = [(OutPoint, Int64)]()
    var noise = Set<String>()
    for height in 0..<blocks {
        var assembler = BlockAssembler(network: .regtest, previousBlockHash: result.last?.hash ?? .zero,
                                       height: height, time: 1_700_000_000 + UInt32(height) * 600)
        if let (outpoint, value) = funderCoins.popLast() {
            let outputs = (0..<5).map { index -> TransactionOutput in
                let fresh = destination("noise \(height) \(index)")
                noise.insert(fresh.address(on: .regtest))
                return TransactionOutput(value: (value - 1_000) / 5, scriptPubKey: fresh.scriptPubKey)
            }
            assembler.add(Transaction(version: 2, inputs: [TransactionInput(previousOutput: outpoint, scriptSig: [],
                                                                            witness: [[1], [2]])],
                                      outputs: outputs, lockTime: 0))
        }
        if height % 5 == 4, let (outpoint, value) = payerCoins.popLast() {
            let outputs = payees.map { TransactionOutput(value: (value - 1_000) / 5, scriptPubKey: $0.scriptPubKey) }
            assembler.add(Transaction(version: 2, inputs: [TransactionInput(previousOutput: outpoint, scriptSig: [],
                                                                            witness: [[1], [2]])],
                                      outputs: outputs, lockTime: 0))
        }
        let paysPayer = height % 5 != 4
        let block = assembler.assemble(coinbaseScript: destination(paysPayer && height % 2 == 0 ? "payer" : "funder")
            .scriptPubKey)
        let coinbase = block.transactions[0]
        let coin = (OutPoint(txid: coinbase.txid, index: 0), coinbase.transaction.outputs[0].value)
        if paysPayer && height % 2 == 0 { payerCoins.append(coin) } else { funderCoins.append(coin) }
        result.append(block)
    }
    return (result, payees.map { $0.address(on: .regtest) }, noise)
}

@Suite("Recurring patterns and watchlists")
struct PatternTests {
    @Test func periodicPayoutsToAFixedSetAreFoundAndFreshPayeesAreNot() async throws {
        let (blocks, payees, noise) = payoutChain(blocks: 40)
        let store = try ChainStore(path: ":memory:", network: .regtest)
        try store.append(blocks, firstHeight: 0)
        var options = RecurringPatternDetector.Options()
        options.windowBlocks = 5
        let patterns = try await RecurringPatternDetector(options: options).detect(store: store, heights: 0...39)
        let found = try #require(patterns.first)
        #expect(Set(found.members) == Set(payees))
        #expect(found.occurrences >= 6)
        #expect(found.lastSeen > found.firstSeen)
        for pattern in patterns { #expect(Set(pattern.members).isDisjoint(with: noise)) }
    }

    @Test func aFixedSetStaysLinkedWhileChangeAndLookalikesComeAndGoAndItsMembersAreTheFixedOnes() {
        let payees: Set<String> = ["p1", "p2", "p3"]
        var groups = (0..<6).map { window in
            RecurringPatternDetector.Group(members: payees.union(["change\(window)"]), window: window,
                                           firstTime: 100 * window, lastTime: 100 * window + 10)
        }
        // In window 3 five other same-shaped addresses join the payees' group: still the same pattern.
        groups[3].members.formUnion((0..<5).map { "lookalike\($0)" })
        // A group of fresh addresses each window, never the same members: not a pattern.
        groups += (0..<6).map { window in
            RecurringPatternDetector.Group(members: Set((0..<4).map { "fresh\(window)-\($0)" }), window: window,
                                           firstTime: 100 * window, lastTime: 100 * window)
        }
        let detector = RecurringPatternDetector()
        let patterns = detector.recurring(groups)
        #expect(patterns.count == 1)
        #expect(patterns.first?.members == payees.sorted())
        #expect(patterns.first?.transientMembers == 6 + 5)
        #expect(patterns.first?.occurrences == 6 && patterns.first?.windows == Array(0..<6))
        #expect(patterns.first?.firstSeen == 0 && patterns.first?.lastSeen == 510)
        let shuffled = detector.recurring(groups.reversed())
        #expect(shuffled.map(\.members) == patterns.map(\.members), "the order groups come in changes nothing")
    }

    @Test func groupsNeedSameShapeWithinTheWindow() async throws {
        let (blocks, payees, noise) = payoutChain(blocks: 10)
        let store = try ChainStore(path: ":memory:", network: .regtest)
        try store.append(blocks, firstHeight: 0)
        let groups = RecurringPatternDetector().groups(in: try store.flows(heights: 0...9), window: 0)
        #expect(groups.contains { $0.members == Set(payees) })
        #expect(groups.contains { $0.members.isSubset(of: noise) }, "noise payees look alike within one window")
    }

    @Test func watchlistReportsActivityAndClassChanges() async throws {
        let (blocks, payees, _) = payoutChain(blocks: 12)
        let store = try ChainStore(path: ":memory:", network: .regtest)
        try store.append(Array(blocks.prefix(5)), firstHeight: 0)
        var monitor = WatchlistMonitor(watchlist: Watchlist(text: "# payees\n\(payees[0])  # first\n\n"), after: 4)
        var calls = 0
        let classify: (String) -> (label: String, confidence: Double)? = { _ in
            calls += 1
            return (calls == 1 ? "wallet" : "automated_payouts", 0.8)
        }
        let none = try await monitor.check(store: store, sensorId: "s1", modelId: "m1", classify: classify)
        #expect(none.isEmpty)
        try store.append(Array(blocks.dropFirst(5)), firstHeight: 5)
        let alerts = try await monitor.check(store: store, sensorId: "s1", modelId: "m1", classify: classify)
        #expect(alerts.count == 1)
        #expect(alerts.first?.verdict == "activity" && alerts.first?.host == payees[0])
        #expect(alerts.first?.evidence["height"] == "9")
        try store.append([], firstHeight: 12)
        #expect(monitor.checkedHeight == 11)
        var more = payoutChain(blocks: 20).blocks
        more.removeFirst(12)
        try store.append(more, firstHeight: 12)
        let next = try await monitor.check(store: store, sensorId: "s1", modelId: "m1", classify: classify)
        // Paid at heights 14 and 19, then classified differently than at height 9.
        #expect(next.map(\.verdict) == ["activity", "activity", "class:automated_payouts"])
        let line = String(decoding: try JSONEncoder().encode(next[2]), as: UTF8.self)
        #expect(line.contains("\"sensor_id\":\"s1\"") && line.contains("\"previous_class\":\"wallet\""))
    }
}
