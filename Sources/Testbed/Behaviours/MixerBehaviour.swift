import BitcoinData

/// A custodial mixer: customers deposit the denomination plus a fee to fresh deposit addresses; every round spends
/// the deposits in one many-in many-out transaction paying equal-value outputs to fresh addresses of the
/// participants, the mixer's fee to its reused fee address.
public final class MixerBehaviour: Behaviour {
    public let kind = BehaviourKind.mixer
    public let wallets: [Int]
    public let funding: Int64
    private var wallet: Int { wallets[0] }
    private let denomination: Int64
    private let depositsPerBlock: Double
    private let roundInterval: Int
    private var feeScript: OwnedScript?
    private var queue: [Int] = []
    private var blocks = 0

    /// The mixer's fee on each deposit, as a fraction of the denomination.
    public static let feeShare = 0.02

    /// Creates the behaviour for an existing wallet.
    public init(wallet: Int, funding: Int64, denomination: Int64, depositsPerBlock: Double, roundInterval: Int) {
        wallets = [wallet]
        self.funding = funding
        self.denomination = denomination
        self.depositsPerBlock = depositsPerBlock
        self.roundInterval = roundInterval
    }

    public func setUp(world: TestbedWorld, customers: [Int]) {
        feeScript = world.newScript(for: wallet)
    }

    public func step(world: TestbedWorld, customers: [Int], interval: Double) {
        guard let feeScript, !customers.isEmpty else { return }
        blocks += 1
        if blocks % roundInterval == 0 {
            let coins = Array(world.wallets[wallet].spendable(atHeight: world.nextHeight)
                .filter { $0.script.scriptPubKey != feeScript.scriptPubKey }.prefix(TestbedWorld.maximumInputs))
            let total = coins.reduce(Int64(0)) { $0 + $1.value }
            let participants = min(queue.count, Int(total / (denomination + denomination / 100)), 100)
            if participants >= 2 {
                var outputs = queue.prefix(participants).map { world.newScript(for: $0).output(denomination) }
                outputs.shuffle(using: &world.random)
                if world.spend(from: wallet, coins: coins, outputs: outputs, change: feeScript) != nil {
                    queue.removeFirst(participants)
                }
            }
        }
        for _ in 0..<world.random.poisson(mean: depositsPerBlock) {
            let customer = world.pick(customers)
            let deposit = world.newScript(for: wallet)
            let value = denomination + Int64(Double(denomination) * Self.feeShare)
            if world.pay(from: customer, to: [deposit.output(value)]) != nil { queue.append(customer) }
        }
    }
}
