import BitcoinData

/// A mining pool: mines its share of blocks to one reused coinbase address and, every payout interval, pays its
/// mature balance out to a fixed set of member addresses in one many-output transaction.
public final class MiningPoolBehaviour: Behaviour {
    public let kind = BehaviourKind.miningPool
    public let wallets: [Int]
    public let funding: Int64
    /// Share of activity blocks this pool mines.
    public let hashrateShare: Double
    private var wallet: Int { wallets[0] }
    private let payoutInterval: Int
    private let memberCount: Int
    private var members: [OwnedScript] = []
    private var weights: [Double] = []
    private var blocks = 0
    /// The reused address coinbases pay to.
    public private(set) var coinbaseScript: OwnedScript?

    /// Creates the behaviour for an existing wallet.
    public init(wallet: Int, funding: Int64, hashrateShare: Double, payoutInterval: Int, members: Int) {
        wallets = [wallet]
        self.funding = funding
        self.hashrateShare = hashrateShare
        self.payoutInterval = payoutInterval
        memberCount = members
    }

    public func setUp(world: TestbedWorld, customers: [Int]) {
        coinbaseScript = world.newScript(for: wallet)
        guard !customers.isEmpty else { return }
        for _ in 0..<memberCount {
            members.append(world.newScript(for: world.pick(customers)))
            weights.append(0.2 + world.random.unit())
        }
    }

    public func step(world: TestbedWorld, customers: [Int], interval: Double) {
        blocks += 1
        guard blocks % payoutInterval == 0, !members.isEmpty else { return }
        let balance = world.wallets[wallet].balance(atHeight: world.nextHeight)
        // Keep a margin for the fee; members' shares follow their (fixed) hash rates.
        let distributable = Double(balance) * 0.98
        let total = weights.reduce(0, +)
        let outputs = zip(members, weights).map { $0.output(Int64(distributable * $1 / total)) }
            .filter { $0.value >= 1_000 }
        guard !outputs.isEmpty else { return }
        world.pay(from: wallet, to: outputs, change: coinbaseScript)
    }
}
