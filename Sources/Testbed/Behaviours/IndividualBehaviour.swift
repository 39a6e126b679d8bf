import BitcoinData

/// Individuals' wallets paying each other: the random generator's population (Poisson payment times) and
/// scripted individuals (a probability per block).
public final class IndividualBehaviour: Behaviour {
    /// When an individual pays.
    public enum Timing: Sendable {
        /// With this probability in each block.
        case perBlock(Double)
        /// At exponentially distributed intervals of this mean in seconds.
        case poisson(meanInterval: Double)
    }

    public let kind = BehaviourKind.individual
    public let wallets: [Int]
    public let funding: Int64
    private let timing: Timing
    private let amount: AmountDistribution
    private let freshAddressProbability: Double

    /// Creates the behaviour for existing wallets.
    public init(wallets: [Int], funding: Int64, timing: Timing, amount: AmountDistribution,
                freshAddressProbability: Double) {
        self.wallets = wallets
        self.funding = funding
        self.timing = timing
        self.amount = amount
        self.freshAddressProbability = freshAddressProbability
    }

    public func setUp(world: TestbedWorld, customers: [Int]) {
        for wallet in wallets { _ = world.newScript(for: wallet) }
    }

    public func step(world: TestbedWorld, customers: [Int], interval: Double) {
        for wallet in wallets {
            let payments: Int
            switch timing {
            case .perBlock(let probability): payments = world.random.chance(probability) ? 1 : 0
            case .poisson(let mean): payments = world.random.poisson(mean: interval / mean)
            }
            for _ in 0..<payments {
                let payees = customers.filter { $0 != wallet }
                guard !payees.isEmpty else { return }
                let payee = world.pick(payees)
                let script = world.random.chance(freshAddressProbability)
                    ? world.newScript(for: payee) : world.reusedScript(for: payee)
                world.pay(from: wallet, to: [script.output(amount.sample(using: &world.random))])
            }
        }
    }
}
