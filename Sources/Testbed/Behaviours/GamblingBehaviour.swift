import BitcoinData

/// A gambling service: small bets to a few reused betting addresses; each winning bet is paid out in the next block
/// to a fresh address of the bettor, change back to the house address.
public final class GamblingBehaviour: Behaviour {
    public let kind = BehaviourKind.gambling
    public let wallets: [Int]
    public let funding: Int64
    private var wallet: Int { wallets[0] }
    private let betsPerBlock: Double
    private let bet: AmountDistribution
    private let winProbability: Double
    private let payoutMultiplier: Double
    private let betAddressCount: Int
    private var betScripts: [OwnedScript] = []
    private var house: OwnedScript?
    private var lastBets: [(customer: Int, value: Int64)] = []

    /// Creates the behaviour for an existing wallet.
    public init(wallet: Int, funding: Int64, betsPerBlock: Double, bet: AmountDistribution, winProbability: Double,
                payoutMultiplier: Double, betAddresses: Int) {
        wallets = [wallet]
        self.funding = funding
        self.betsPerBlock = betsPerBlock
        self.bet = bet
        self.winProbability = winProbability
        self.payoutMultiplier = payoutMultiplier
        betAddressCount = betAddresses
    }

    public func setUp(world: TestbedWorld, customers: [Int]) {
        house = world.newScript(for: wallet)
        betScripts = (0..<betAddressCount).map { _ in world.newScript(for: wallet) }
    }

    public func step(world: TestbedWorld, customers: [Int], interval: Double) {
        guard let house, !customers.isEmpty, !betScripts.isEmpty else { return }
        for (customer, value) in lastBets where world.random.chance(winProbability) {
            let payout = Int64(Double(value) * payoutMultiplier)
            world.pay(from: wallet, to: [world.newScript(for: customer).output(payout)], change: house)
        }
        lastBets = []
        for _ in 0..<world.random.poisson(mean: betsPerBlock) {
            let customer = world.pick(customers)
            let value = bet.sample(using: &world.random)
            if world.pay(from: customer, to: [world.pick(betScripts).output(value)]) != nil {
                lastBets.append((customer, value))
            }
        }
    }
}
