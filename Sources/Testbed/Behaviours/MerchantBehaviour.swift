import BitcoinData

/// A merchant: one fresh invoice address per sale, and periodic settlement sweeping every paid invoice into a
/// reused cold-storage address.
public final class MerchantBehaviour: Behaviour {
    public let kind = BehaviourKind.merchant
    public let wallets: [Int]
    public let funding: Int64
    private var wallet: Int { wallets[0] }
    private let salesPerBlock: Double
    private let price: AmountDistribution
    private let settlementInterval: Int
    private var cold: OwnedScript?
    private var blocks = 0

    /// Creates the behaviour for an existing wallet.
    public init(wallet: Int, funding: Int64, salesPerBlock: Double, price: AmountDistribution,
                settlementInterval: Int) {
        wallets = [wallet]
        self.funding = funding
        self.salesPerBlock = salesPerBlock
        self.price = price
        self.settlementInterval = settlementInterval
    }

    public func setUp(world: TestbedWorld, customers: [Int]) {
        cold = world.newScript(for: wallet)
    }

    public func step(world: TestbedWorld, customers: [Int], interval: Double) {
        guard let cold else { return }
        blocks += 1
        if !customers.isEmpty {
            for _ in 0..<world.random.poisson(mean: salesPerBlock) {
                let invoice = world.newScript(for: wallet)
                world.pay(from: world.pick(customers), to: [invoice.output(price.sample(using: &world.random))])
            }
        }
        if blocks % settlementInterval == 0 {
            let paid = world.wallets[wallet].spendable(atHeight: world.nextHeight)
                .filter { $0.script.scriptPubKey != cold.scriptPubKey }.prefix(TestbedWorld.maximumInputs)
            world.spend(from: wallet, coins: Array(paid), outputs: [], change: cold)
        }
    }
}
