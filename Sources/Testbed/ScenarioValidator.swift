/// Range checks on a decoded scenario, with errors that name the actor.
enum ScenarioValidator {
    static func validate(_ scenario: Scenario) throws(ScenarioError) {
        guard scenario.blocks >= 1 else { throw ScenarioError("blocks must be at least 1") }
        if let interval = scenario.blockInterval, interval <= 0 {
            throw ScenarioError("block_interval must be positive seconds")
        }
        if let rate = scenario.feeRate, rate.count != 2 || rate[0] < 1 || rate[1] < rate[0] {
            throw ScenarioError("fee_rate is [min, max] satoshis per vbyte with 1 <= min <= max")
        }
        if let random = scenario.random {
            guard random.individuals >= 2 else { throw ScenarioError("random.individuals must be at least 2") }
            if let interval = random.paymentInterval, interval <= 0 {
                throw ScenarioError("random.payment_interval must be positive seconds")
            }
            if let problem = random.amount?.problem { throw ScenarioError("random.amount: \(problem)") }
            if random.addressTypes?.isEmpty == true { throw ScenarioError("random.address_types is empty") }
            try probability(random.freshAddressProbability, "random.fresh_address_probability", actor: nil)
        }
        var ids = Set<String>()
        var individuals = scenario.random?.individuals ?? 0
        var totalFunding = Double(individuals) * (scenario.random?.funding ?? 2)
        var hashrate = 0.0
        for (index, actor) in (scenario.actors ?? []).enumerated() {
            try validate(actor, index: index)
            guard ids.insert(actor.id).inserted else { throw ScenarioError(actor: index, "duplicate id '\(actor.id)'") }
            if actor.behaviour == .individual { individuals += actor.count ?? 1 }
            totalFunding += (actor.funding ?? 20) * Double(actor.count ?? 1)
            if actor.behaviour == .miningPool { hashrate += (actor.hashrateShare ?? 0.5) * Double(actor.count ?? 1) }
        }
        guard hashrate <= 1 else { throw ScenarioError("the pools' hashrate_share values add up to more than 1") }
        guard totalFunding <= 2_000 else {
            throw ScenarioError("the actors' funding adds up to more than 2,000 BTC; the bootstrap must stay below "
                                + "the first regtest halving (height 150)")
        }
        let services = (scenario.actors ?? []).filter { $0.behaviour != .individual }
        if individuals < 2 && !services.isEmpty {
            throw ScenarioError("services need customers: add a [random] population or individual actors (2 or more)")
        }
    }

    private static func validate(_ actor: ActorSpec, index: Int) throws(ScenarioError) {
        let punctuation = "-_.".unicodeScalars
        let allowed = actor.id.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || punctuation.contains($0)
        }
        guard !actor.id.isEmpty, allowed else {
            throw ScenarioError(actor: index, "actor id '\(actor.id)' may hold only letters, digits, '-', '_', '.'")
        }
        if actor.behaviour == .miner {
            throw ScenarioError(actor: index, "'miner' is the testbed's own solo miner; use mining_pool")
        }
        if let count = actor.count, count < 1 || count > 1_000 {
            throw ScenarioError(actor: index, "count must be 1 to 1000")
        }
        if let funding = actor.funding, funding < 0 { throw ScenarioError(actor: index, "funding must be >= 0") }
        if let problem = actor.amount?.problem { throw ScenarioError(actor: index, "amount: \(problem)") }
        try probability(actor.activity, "activity", actor: index)
        try probability(actor.winProbability, "win_probability", actor: index)
        try probability(actor.hashrateShare, "hashrate_share", actor: index)
        if let perBlock = actor.perBlock, perBlock < 0 || perBlock > 50 {
            throw ScenarioError(actor: index, "per_block must be 0 to 50")
        }
        let intervals: [(Int?, String)] = [
            (actor.consolidationInterval, "consolidation_interval"), (actor.withdrawalInterval, "withdrawal_interval"),
            (actor.roundInterval, "round_interval"), (actor.payoutInterval, "payout_interval"),
            (actor.settlementInterval, "settlement_interval"),
        ]
        for (value, name) in intervals where value.map({ $0 < 1 }) == true {
            throw ScenarioError(actor: index, "\(name) must be at least 1 block")
        }
        let counts: [(Int?, String)] = [
            (actor.withdrawalBatch, "withdrawal_batch"), (actor.betAddresses, "bet_addresses"),
            (actor.recipients, "recipients"),
        ]
        for (value, name) in counts where value.map({ $0 < 1 || $0 > 500 }) == true {
            throw ScenarioError(actor: index, "\(name) must be 1 to 500")
        }
        let amounts: [(Double?, String)] = [
            (actor.denomination, "denomination"), (actor.payout, "payout"),
            (actor.payoutMultiplier, "payout_multiplier"),
        ]
        for (value, name) in amounts where value.map({ $0 <= 0 }) == true {
            throw ScenarioError(actor: index, "\(name) must be positive")
        }
    }

    private static func probability(_ value: Double?, _ name: String, actor: Int?) throws(ScenarioError) {
        guard let value, !(0...1).contains(value) else { return }
        let message = "\(name) is a probability, 0 to 1; got \(value)"
        throw actor.map { ScenarioError(actor: $0, message) } ?? ScenarioError(message)
    }
}
