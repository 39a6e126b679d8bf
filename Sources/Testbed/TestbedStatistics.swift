import BitcoinData

/// Per-actor counters for the scenario summary.
public struct ActorStatistics: Codable, Sendable, Equatable {
    /// Actor id.
    public var id: String
    /// Behaviour class.
    public var kind: BehaviourKind
    /// Addresses handed out.
    public var addresses = 0
    /// Transactions the actor signed.
    public var transactions = 0
    /// Satoshis received (coinbases included).
    public var received: Int64 = 0
    /// Satoshis spent (inputs of its transactions).
    public var spent: Int64 = 0
    /// Fees paid in satoshis.
    public var fees: Int64 = 0

    enum CodingKeys: String, CodingKey {
        case id, addresses, transactions, received, spent, fees
        case kind = "class"
    }
}

/// Counters of a testbed run.
public struct TestbedStatistics: Codable, Sendable, Equatable {
    /// Blocks mined after genesis.
    public var blocks = 0
    /// Non-coinbase transactions.
    public var transactions = 0
    /// Their inputs.
    public var inputs = 0
    /// Their outputs.
    public var outputs = 0
    /// Fees paid in satoshis.
    public var fees: Int64 = 0
    /// Inputs spent by output type (`p2pkh`, `p2wpkh`, `p2sh-multisig`, `p2tr`).
    public var inputsByType: [String: Int] = [:]
    /// Transactions by the spending actor's class.
    public var transactionsByClass: [String: Int] = [:]
    /// Per-actor counters, in creation order.
    public var actors: [ActorStatistics] = []

    enum CodingKeys: String, CodingKey {
        case blocks, transactions, inputs, outputs, fees, actors
        case inputsByType = "inputs_by_type", transactionsByClass = "transactions_by_class"
    }

    mutating func record(_ transaction: Transaction, by actor: Int, fee: Int64, spent: [Coin]) {
        transactions += 1
        inputs += transaction.inputs.count
        outputs += transaction.outputs.count
        fees += fee
        for coin in spent { inputsByType[coin.script.type.rawValue, default: 0] += 1 }
        transactionsByClass[actors[actor].kind.rawValue, default: 0] += 1
        actors[actor].transactions += 1
        actors[actor].spent += spent.reduce(0) { $0 + $1.value }
        actors[actor].fees += fee
    }
}
