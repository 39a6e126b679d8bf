import BitcoinData
import ChainAnalysis
import Testing
@testable import Testbed

@Suite("Recurring payouts")
struct RecurringPayoutTests {
    /// The small scenario's malware operator `locker` pays 0.02 BTC to each of three fixed addresses every three
    /// activity blocks; the chain must show exactly that structure and nothing else paying those addresses.
    @Test(arguments: [UInt64(7), 8])
    func malwarePaysTheSameAddressesAtAFixedPeriod(seed: UInt64) throws {
        let run = try TestbedFixtures.run("small.toml", seed: seed)
        let labels = try TestbedFixtures.labels(run)
        let payees = Set(labels.filter { $0.value.actor.hasPrefix("locker-payee-") }.map(\.key))
        #expect(payees.count == 3)
        var addressOf = [OutPoint: String]()
        var payouts = [(height: Int, amounts: [String: Int64], spenders: Set<String>)]()
        for (height, block) in run.world.chain.blocks.enumerated() {
            for parsed in block.transactions {
                let transaction = parsed.transaction
                var amounts = [String: Int64]()
                for (index, output) in transaction.outputs.enumerated() {
                    guard let address = Destination(scriptPubKey: output.scriptPubKey)?.address(on: .regtest) else {
                        continue
                    }
                    addressOf[OutPoint(txid: parsed.txid, index: UInt32(index))] = address
                    if payees.contains(address) { amounts[address, default: 0] += output.value }
                }
                guard !amounts.isEmpty else { continue }
                let spenders = Set(transaction.inputs.compactMap { addressOf[$0.previousOutput] }
                    .compactMap { labels[$0]?.actor })
                payouts.append((height, amounts, spenders))
            }
        }
        // The funding block pays nothing to the payees; the first activity block is right after it.
        let firstActivity = run.summary.bootstrapBlocks + 1
        let expectedHeights = stride(from: firstActivity + 2, through: run.summary.tipHeight, by: 3).map { $0 }
        #expect(payouts.map(\.height) == expectedHeights)
        for payout in payouts {
            #expect(Set(payout.amounts.keys) == payees)
            #expect(payout.amounts.values.allSatisfy { $0 == 2_000_000 })
            #expect(payout.spenders == ["locker"])
        }
    }

    /// The same chain through the sidecar's block-file ingestion and the graph pattern detection, windows as long as
    /// the payout period but not aligned to it: exactly the operator's fixed payee set is reported, once per payout,
    /// and no individual's address is in any reported pattern.
    @Test(arguments: [UInt64(7), 8])
    func graphDetectionFindsTheMalwarePayeesAndNoIndividual(seed: UInt64) async throws {
        let run = try TestbedFixtures.run("small.toml", seed: seed, blocks: 24)
        let labels = try TestbedFixtures.labels(run)
        let payees = Set(labels.filter { $0.value.actor.hasPrefix("locker-payee-") }.map(\.key))
        let individuals = Set(labels.filter { $0.value.behaviour == BehaviourKind.individual.rawValue }.map(\.key))
        #expect(payees.count == 3 && individuals.count > 20)
        let store = try await TestbedFixtures.ingest(run)
        var options = RecurringPatternDetector.Options()
        options.windowBlocks = 3
        let patterns = try await RecurringPatternDetector(options: options)
            .detect(store: store, heights: 0...run.summary.tipHeight)
        let payouts = 24 / 3
        let found = patterns.filter { Set($0.members) == payees }
        #expect(found.count == 1, "patterns: \(patterns.map(\.members))")
        #expect(found.first?.occurrences == payouts)
        for pattern in patterns {
            let wallets = Set(pattern.members).intersection(individuals)
            #expect(wallets.isEmpty, "individuals \(wallets.sorted()) in a pattern of \(pattern.occurrences) windows")
        }
    }
}
