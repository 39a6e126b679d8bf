import BitcoinData
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
}
