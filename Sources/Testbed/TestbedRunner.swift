import BitcoinData
import Foundation

/// Progress of a run, reported after each block.
public struct TestbedProgress: Sendable {
    /// Height of the block just mined.
    public var height: Int
    /// Height the run ends at.
    public var finalHeight: Int
    /// Non-coinbase transactions so far.
    public var transactions: Int
    /// Addresses handed out so far (the labels file's lines).
    public var labelledAddresses: Int
}

/// Runs a scenario: builds the actors, mines the bootstrap blocks (funding, then coinbase maturity), funds every
/// wallet, and mines the activity blocks with every behaviour acting before each.
public struct TestbedRunner: Sendable {
    /// The scenario being run.
    public let scenario: Scenario
    /// The seed of every random choice.
    public let seed: UInt64
    /// Activity blocks after bootstrap.
    public let activityBlocks: Int

    /// Actor id of the solo miner that mines bootstrap blocks and every block no pool mines.
    public static let minerActor = "regtest-miner"

    /// Creates a runner; `blocks` overrides the scenario's activity block count.
    ///
    /// - Throws: ``ScenarioError`` when the scenario's values are out of range.
    public init(scenario: Scenario, seed: UInt64, blocks: Int? = nil) throws(ScenarioError) {
        try ScenarioValidator.validate(scenario)
        self.scenario = scenario
        self.seed = seed
        activityBlocks = blocks ?? scenario.blocks
        guard activityBlocks >= 1 else { throw ScenarioError("--blocks must be at least 1") }
    }

    /// Runs the scenario and returns the world at the end (chain, wallets, labels, statistics).
    public func run(progress: (TestbedProgress) -> Void = { _ in }) -> TestbedWorld {
        let rates = scenario.feeRate ?? [1, 20]
        let world = TestbedWorld(seed: seed, feeRate: rates[0]...rates[1])
        let miner = world.addWallet(actor: Self.minerActor, kind: .miner, addressType: .p2wpkh)
        let built = BehaviourFactory.make(scenario: scenario, world: world)
        let minerScript = world.newScript(for: miner)
        for behaviour in built.behaviours { behaviour.setUp(world: world, customers: built.customers) }

        var clock = TestbedClock(start: scenario.startTime ?? 1_700_000_000, mean: scenario.blockInterval ?? 600,
                                 timing: scenario.blockTiming ?? .exponential)
        let funding = built.behaviours.flatMap { behaviour in behaviour.wallets.map { ($0, behaviour.funding) } }
            .filter { $0.1 > 0 }
        let needed = funding.reduce(Int64(0)) { $0 + $1.1 }
        let fundingBlocks = Int(needed / RegtestChain.subsidy(height: 1)) + 1
        let bootstrap = fundingBlocks + RegtestChain.coinbaseMaturity + 1
        let finalHeight = bootstrap + activityBlocks
        for _ in 0..<(fundingBlocks + RegtestChain.coinbaseMaturity) {
            world.mineBlock(coinbaseTo: minerScript, time: clock.next(using: &world.random).time)
            progress(TestbedProgress(height: world.chain.height, finalHeight: finalHeight, transactions: 0,
                                     labelledAddresses: world.labels.count))
        }
        for start in stride(from: 0, to: funding.count, by: 100) {
            let outputs = funding[start..<min(start + 100, funding.count)].map { wallet, amount in
                world.newScript(for: wallet).output(amount)
            }
            world.pay(from: miner, to: outputs, change: minerScript)
        }
        world.mineBlock(coinbaseTo: minerScript, time: clock.next(using: &world.random).time)
        progress(TestbedProgress(height: world.chain.height, finalHeight: finalHeight,
                                 transactions: world.statistics.transactions, labelledAddresses: world.labels.count))

        let pools = built.behaviours.compactMap { $0 as? MiningPoolBehaviour }
        for _ in 0..<activityBlocks {
            let (time, interval) = clock.next(using: &world.random)
            for behaviour in built.behaviours {
                behaviour.step(world: world, customers: built.customers, interval: interval)
            }
            world.mineBlock(coinbaseTo: Self.blockMiner(pools: pools, solo: minerScript, world: world), time: time)
            progress(TestbedProgress(height: world.chain.height, finalHeight: finalHeight,
                                     transactions: world.statistics.transactions,
                                     labelledAddresses: world.labels.count))
        }
        return world
    }

    /// Who mines the next block: each pool with its hash-rate share, the solo miner otherwise.
    private static func blockMiner(pools: [MiningPoolBehaviour], solo: OwnedScript,
                                   world: TestbedWorld) -> OwnedScript {
        var draw = world.random.unit()
        for pool in pools {
            if draw < pool.hashrateShare, let script = pool.coinbaseScript { return script }
            draw -= pool.hashrateShare
        }
        return solo
    }
}

/// Block times: strictly increasing, fixed or exponential intervals of a given mean.
struct TestbedClock {
    private var time: UInt32
    private let mean: Double
    private let timing: Scenario.BlockTiming

    init(start: UInt32, mean: Double, timing: Scenario.BlockTiming) {
        time = start
        self.mean = mean
        self.timing = timing
    }

    /// The next block's time and the seconds since the previous block.
    mutating func next(using random: inout SeededRandom) -> (time: UInt32, interval: Double) {
        let draw = timing == .fixed ? mean : random.exponential(mean: mean)
        let interval = max(1, draw.rounded())
        time += UInt32(interval)
        return (time, interval)
    }
}
