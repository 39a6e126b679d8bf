/// Turns a scenario's actor specifications into wallets and behaviours, applying each behaviour's defaults.
enum BehaviourFactory {
    /// Default amounts, in BTC.
    static let paymentAmount = AmountDistribution(.lognormal, min: 0.0001, median: 0.05, sigma: 1.0)
    static let betAmount = AmountDistribution(.uniform, min: 0.001, max: 0.02)
    static let ransomAmount = AmountDistribution(.lognormal, min: 0.01, median: 0.15, sigma: 0.5)
    static let priceAmount = AmountDistribution(.lognormal, min: 0.0005, median: 0.01, sigma: 0.8)

    /// The behaviours in scenario order (the random population first) and the individuals' wallets.
    static func make(scenario: Scenario, world: TestbedWorld) -> (behaviours: [any Behaviour], customers: [Int]) {
        var behaviours = [any Behaviour]()
        var customers = [Int]()
        if let random = scenario.random {
            let types = random.addressTypes ?? OutputType.allCases
            let wallets = (0..<random.individuals).map { index in
                world.addWallet(actor: "person-\(index + 1)", kind: .individual, addressType: world.pick(types))
            }
            customers += wallets
            behaviours.append(IndividualBehaviour(
                wallets: wallets, funding: satoshis(random.funding ?? 2),
                timing: .poisson(meanInterval: random.paymentInterval ?? 3_600),
                amount: random.amount ?? paymentAmount,
                freshAddressProbability: random.freshAddressProbability ?? 0.8))
        }
        for spec in scenario.actors ?? [] {
            let type = spec.addressType ?? .p2wpkh
            let count = spec.count ?? 1
            let ids = count == 1 ? [spec.id] : (1...count).map { "\(spec.id)-\($0)" }
            let wallets = ids.map { world.addWallet(actor: $0, kind: spec.behaviour, addressType: type) }
            if spec.behaviour == .individual { customers += wallets }
            behaviours += make(spec, wallets: wallets, world: world)
        }
        return (behaviours, customers)
    }

    private static func make(_ spec: ActorSpec, wallets: [Int], world: TestbedWorld) -> [any Behaviour] {
        func funding(_ bitcoin: Double) -> Int64 { satoshis(spec.funding ?? bitcoin) }
        switch spec.behaviour {
        case .individual:
            return [IndividualBehaviour(wallets: wallets, funding: funding(2), timing: .perBlock(spec.activity ?? 0.3),
                                        amount: spec.amount ?? paymentAmount, freshAddressProbability: 0.8)]
        case .exchange:
            return wallets.map {
                ExchangeBehaviour(wallet: $0, funding: funding(20), depositsPerBlock: spec.perBlock ?? 2,
                                  consolidationInterval: spec.consolidationInterval ?? 6,
                                  withdrawalInterval: spec.withdrawalInterval ?? 3,
                                  withdrawalBatch: spec.withdrawalBatch ?? 8, amount: spec.amount ?? paymentAmount)
            }
        case .mixer:
            return wallets.map {
                MixerBehaviour(wallet: $0, funding: funding(1), denomination: satoshis(spec.denomination ?? 0.1),
                               depositsPerBlock: spec.perBlock ?? 1.5, roundInterval: spec.roundInterval ?? 4)
            }
        case .gambling:
            return wallets.map {
                GamblingBehaviour(wallet: $0, funding: funding(10), betsPerBlock: spec.perBlock ?? 3,
                                  bet: spec.amount ?? betAmount, winProbability: spec.winProbability ?? 0.45,
                                  payoutMultiplier: spec.payoutMultiplier ?? 2, betAddresses: spec.betAddresses ?? 3)
            }
        case .miningPool:
            return wallets.map {
                MiningPoolBehaviour(wallet: $0, funding: funding(0), hashrateShare: spec.hashrateShare ?? 0.5,
                                    payoutInterval: spec.payoutInterval ?? 4, members: spec.recipients ?? 8)
            }
        case .malware:
            return wallets.map { wallet in
                let operatorID = world.wallets[wallet].actor
                let payees = (1...(spec.recipients ?? 4)).map {
                    world.addWallet(actor: "\(operatorID)-payee-\($0)", kind: .malware,
                                    addressType: world.wallets[wallet].addressType)
                }
                return MalwareBehaviour(wallet: wallet, payees: payees, funding: funding(5),
                                        ransomsPerBlock: spec.perBlock ?? 0.3, ransom: spec.amount ?? ransomAmount,
                                        payoutInterval: spec.payoutInterval ?? 6, payout: satoshis(spec.payout ?? 0.05))
            }
        case .merchant:
            return wallets.map {
                MerchantBehaviour(wallet: $0, funding: funding(0), salesPerBlock: spec.perBlock ?? 2,
                                  price: spec.amount ?? priceAmount,
                                  settlementInterval: spec.settlementInterval ?? 10)
            }
        case .miner:
            return []
        }
    }
}
