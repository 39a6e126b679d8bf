import BitcoinData

/// An exchange: one deposit address per customer, deposits consolidated periodically into a reused hot-wallet
/// address, and batched withdrawals to many customers at once.
public final class ExchangeBehaviour: Behaviour {
    public let kind = BehaviourKind.exchange
    public let wallets: [Int]
    public let funding: Int64
    private var wallet: Int { wallets[0] }
    private let depositsPerBlock: Double
    private let consolidationInterval: Int
    private let withdrawalInterval: Int
    private let withdrawalBatch: Int
    private let amount: AmountDistribution
    private var depositScripts: [Int: OwnedScript] = [:]
    private var hot: OwnedScript?
    private var blocks = 0

    /// Creates the behaviour for an existing wallet.
    public init(wallet: Int, funding: Int64, depositsPerBlock: Double, consolidationInterval: Int,
                withdrawalInterval: Int, withdrawalBatch: Int, amount: AmountDistribution) {
        wallets = [wallet]
        self.funding = funding
        self.depositsPerBlock = depositsPerBlock
        self.consolidationInterval = consolidationInterval
        self.withdrawalInterval = withdrawalInterval
        self.withdrawalBatch = withdrawalBatch
        self.amount = amount
    }

    public func setUp(world: TestbedWorld, customers: [Int]) {
        hot = world.newScript(for: wallet)
    }

    public func step(world: TestbedWorld, customers: [Int], interval: Double) {
        guard let hot, !customers.isEmpty else { return }
        blocks += 1
        for _ in 0..<world.random.poisson(mean: depositsPerBlock) {
            let customer = world.pick(customers)
            let deposit = depositScripts[customer] ?? world.newScript(for: wallet)
            depositScripts[customer] = deposit
            world.pay(from: customer, to: [deposit.output(amount.sample(using: &world.random))])
        }
        if blocks % consolidationInterval == 0 {
            let deposits = world.wallets[wallet].spendable(atHeight: world.nextHeight)
                .filter { $0.script.scriptPubKey != hot.scriptPubKey }
            for start in stride(from: 0, to: deposits.count, by: TestbedWorld.maximumInputs) {
                let chunk = Array(deposits[start..<min(start + TestbedWorld.maximumInputs, deposits.count)])
                world.spend(from: wallet, coins: chunk, outputs: [], change: hot)
            }
        }
        if blocks % withdrawalInterval == 0 {
            var outputs = [TransactionOutput]()
            for _ in 0..<withdrawalBatch {
                let customer = world.pick(customers)
                outputs.append(world.newScript(for: customer).output(amount.sample(using: &world.random)))
            }
            world.pay(from: wallet, to: outputs, change: hot)
        }
    }
}
