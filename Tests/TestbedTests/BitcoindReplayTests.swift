import BitcoinData
import ChainIngest
import ChainStore
import ChainTestSupport
import Foundation
import Testing
@testable import Testbed

/// The `--bitcoind` mode: the plan that turns a simulated run into wallet actions (runs everywhere), and the replay
/// through real regtest nodes (needs a bitcoind on the PATH; none is installed on the project's build machines).
@Suite("bitcoind replay")
struct BitcoindReplayTests {
    @Test func planHasOneWalletActionPerTransactionAndOneMiningPerBlock() throws {
        let run = try TestbedFixtures.run("small.toml", seed: 7)
        let plan = ReplayPlan(world: run.world)
        let labels = try TestbedFixtures.labels(run)
        var mined = 0, actions = 0, sweeps = 0
        var lockerPayouts = 0
        for step in plan.steps {
            switch step {
            case .mine(let to):
                mined += 1
                #expect(plan.owners[to] != nil, "coinbase to an address nobody owns")
            case .sweep(let wallet, let inputs, let to):
                actions += 1
                sweeps += 1
                #expect(run.world.wallets[wallet].actor == "exchange-a", "only the exchange consolidates here")
                #expect(plan.owners[to]?.wallet == wallet)
                #expect(inputs.allSatisfy { plan.owners[$0]?.wallet == wallet })
            case .pay(let wallet, let inputs, let payments, let change):
                actions += 1
                #expect(!inputs.isEmpty && inputs.allSatisfy { plan.owners[$0]?.wallet == wallet })
                #expect(change.map { plan.owners[$0]?.wallet == wallet } ?? true)
                #expect(payments.allSatisfy { plan.owners[$0.address] != nil && $0.satoshis > 0 })
                if run.world.wallets[wallet].actor == "locker",
                   payments.contains(where: { labels[$0.address]?.actor.hasPrefix("locker-payee-") == true }) {
                    lockerPayouts += 1
                    #expect(payments.count == 3 && payments.allSatisfy { $0.satoshis == 2_000_000 })
                }
            }
        }
        #expect(mined == run.summary.tipHeight)
        #expect(actions == run.summary.statistics.transactions)
        #expect(sweeps > 0)
        #expect(lockerPayouts == run.summary.activityBlocks / 3)
    }

    @Test func amountsGoToTheNodeAsExactDecimalStrings() {
        #expect(BitcoindReplayer.bitcoin(2_000_000) == "0.02000000")
        #expect(BitcoindReplayer.bitcoin(5_000_000_000) == "50.00000000")
        #expect(BitcoindReplayer.bitcoin(123_456_789) == "1.23456789")
        #expect(BitcoindReplayer.bitcoin(1_000) == "0.00001000")
    }

    @Test(.enabled(if: RegtestNodes.bitcoindPath != nil,
                   "needs Bitcoin Core's bitcoind on the PATH (an operator's own); none is installed here"))
    func replayThroughTwoNodesIsIngestedOverRPCWithEveryAddressLabelled() async throws {
        let run = try TestbedFixtures.run("small.toml", seed: 7, blocks: 6)
        let directory = try TemporaryDirectory()
        let nodes = try await RegtestNodes(count: 2, directory: directory.path, basePort: 18_700)
        do {
            let summary = try await BitcoindReplayer(world: run.world, nodes: nodes).run()
            #expect(summary.blocks == run.summary.tipHeight)
            #expect(summary.failedSteps == 0, "\(summary.failures)")
            try await nodes.waitForSameTip()
            let source = RPCBlockSource(client: nodes.nodes[1].client())
            #expect(try await source.network() == .regtest)
            #expect(try await source.chainTip().height == run.summary.tipHeight)
            let store = try ChainStore(path: directory.file("chain.sqlite"), network: .regtest)
            let ingested = try await ChainIngestor(store: store, source: source).run()
            #expect(ingested.written.unresolvedInputs == 0)
            let onChain = try await TestbedFixtures.storedAddresses(store)
            let payees = summary.labels.filter { $0.actor.hasPrefix("locker-payee-") }
            #expect(payees.count == 3 && payees.allSatisfy { $0.kind.behaviourClass == .automatedPayouts })
            #expect(Set(payees.map(\.address)).isSubset(of: onChain), "the malware payees were paid on chain")
        } catch {
            await nodes.stop()
            throw error
        }
        await nodes.stop()
    }
}
