import ChainAnalysis

/// The behaviours an actor of a scenario can have (the scenario file's `behaviour` names). The labels file gives each
/// address its ``behaviourClass`` in the chain classifier's vocabulary and keeps this name in its `behaviour` column.
public enum BehaviourKind: String, Codable, Sendable, CaseIterable {
    /// Many deposit addresses, periodic consolidations, batched withdrawals.
    case exchange
    /// Custodial mixing: deposits, then many-in many-out rounds of equal-value outputs.
    case mixer
    /// Small bets in to a few reused addresses, quick payouts to winners.
    case gambling
    /// Receives coinbases, pays its members periodically.
    case miningPool = "mining_pool"
    /// Ransom payments in, periodic automated payouts to a fixed set of addresses.
    case malware
    /// One fresh address per sale, periodic settlement sweeps.
    case merchant
    /// An individual's wallet: occasional payments to others.
    case individual
    /// The solo miner that mines whatever the pools do not (and funds every actor at the start).
    case miner
}

extension BehaviourKind {
    /// The chain classifier's class of this behaviour: the one mapping between the two vocabularies.
    ///
    /// Merchants are the `service` class, individuals `wallet`, malware (operator and its fixed payees)
    /// `automated_payouts`; the bootstrap solo miner, which mines coinbases to one reused address and pays them out in
    /// many-output funding transactions, `mining_pool`.
    public var behaviourClass: BehaviourClass {
        switch self {
        case .exchange: .exchange
        case .mixer: .mixer
        case .gambling: .gambling
        case .miningPool, .miner: .miningPool
        case .malware: .automatedPayouts
        case .merchant: .service
        case .individual: .wallet
        }
    }
}

/// A scenario: the chain's cadence and the actors with their behaviours.
public struct Scenario: Codable, Sendable {
    /// Name written into the summary.
    public var name: String
    /// Seed used when the command line gives none.
    public var seed: UInt64?
    /// Blocks of activity after the bootstrap blocks (funding and coinbase maturity).
    public var blocks: Int
    /// Time of the first block after genesis, seconds since 1970 (default 1,700,000,000).
    public var startTime: UInt32?
    /// Mean seconds between blocks (default 600).
    public var blockInterval: Double?
    /// `fixed` or `exponential` block intervals (default exponential, as mining is).
    public var blockTiming: BlockTiming?
    /// Fee rate range in satoshis per virtual byte, `[min, max]` (default `[1, 20]`).
    public var feeRate: [Double]?
    /// Random generator: a population of individuals paying each other.
    public var random: RandomPopulationSpec?
    /// Scripted actors.
    public var actors: [ActorSpec]?

    /// How block intervals are drawn.
    public enum BlockTiming: String, Codable, Sendable {
        case fixed, exponential
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, seed, blocks, random, actors
        case startTime = "start_time", blockInterval = "block_interval", blockTiming = "block_timing"
        case feeRate = "fee_rate"
    }
}

/// The random generator's population.
public struct RandomPopulationSpec: Codable, Sendable {
    /// Number of individuals.
    public var individuals: Int
    /// Mean seconds between one individual's payments (exponential inter-arrival times; default 3,600).
    public var paymentInterval: Double?
    /// Payment amounts (default log-normal, median 0.05 BTC, sigma 1).
    public var amount: AmountDistribution?
    /// Address types the individuals use (default all four).
    public var addressTypes: [OutputType]?
    /// Starting balance of each individual in BTC (default 2).
    public var funding: Double?
    /// Probability that a payment goes to a fresh address of the payee rather than one it used before (0.8).
    public var freshAddressProbability: Double?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case individuals, amount, funding
        case paymentInterval = "payment_interval", addressTypes = "address_types"
        case freshAddressProbability = "fresh_address_probability"
    }
}

/// One scripted actor (or `count` alike) and its behaviour's parameters; absent parameters take defaults.
public struct ActorSpec: Codable, Sendable {
    /// Actor id, used in the labels file (with `-1`, `-2`, ... appended when `count` > 1).
    public var id: String
    /// The behaviour.
    public var behaviour: BehaviourKind
    /// Number of actors alike (individuals mostly; default 1).
    public var count: Int?
    /// Starting balance in BTC.
    public var funding: Double?
    /// Address type for the actor's own addresses.
    public var addressType: OutputType?
    /// Amounts of payments, deposits, bets, sales or ransoms.
    public var amount: AmountDistribution?
    /// individual: probability of making a payment in a block.
    public var activity: Double?
    /// exchange: mean customer deposits per block; merchant: mean sales per block; gambling: mean bets per block;
    /// malware: mean ransom payments per block; mixer: mean deposits per block.
    public var perBlock: Double?
    /// exchange: blocks between consolidations of deposit addresses.
    public var consolidationInterval: Int?
    /// exchange: blocks between batched withdrawals.
    public var withdrawalInterval: Int?
    /// exchange: withdrawals per batch.
    public var withdrawalBatch: Int?
    /// mixer: the equal output value in BTC.
    public var denomination: Double?
    /// mixer: blocks between rounds.
    public var roundInterval: Int?
    /// gambling: probability a bet wins.
    public var winProbability: Double?
    /// gambling: payout as a multiple of the bet.
    public var payoutMultiplier: Double?
    /// gambling: number of reused betting addresses.
    public var betAddresses: Int?
    /// mining_pool: share of blocks the pool mines.
    public var hashrateShare: Double?
    /// mining_pool and malware: blocks between payouts.
    public var payoutInterval: Int?
    /// mining_pool: members paid; malware: fixed payout addresses.
    public var recipients: Int?
    /// malware: BTC paid to each fixed address per payout.
    public var payout: Double?
    /// merchant: blocks between settlements to cold storage.
    public var settlementInterval: Int?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, behaviour, count, funding, amount, activity, denomination, recipients, payout
        case addressType = "address_type", perBlock = "per_block"
        case consolidationInterval = "consolidation_interval", withdrawalInterval = "withdrawal_interval"
        case withdrawalBatch = "withdrawal_batch", roundInterval = "round_interval"
        case winProbability = "win_probability", payoutMultiplier = "payout_multiplier"
        case betAddresses = "bet_addresses", hashrateShare = "hashrate_share", payoutInterval = "payout_interval"
        case settlementInterval = "settlement_interval"
    }
}
