import BitcoinData

/// A behaviour driving one or more wallets of a testbed run, called once before each activity block is mined.
public protocol Behaviour: AnyObject {
    /// The class its wallets are labelled with.
    var kind: BehaviourKind { get }
    /// The wallets it drives, each funded with ``funding`` at the start.
    var wallets: [Int] { get }
    /// Starting balance of each wallet in satoshis.
    var funding: Int64 { get }
    /// Creates the behaviour's fixed addresses; called after every wallet exists (customers included).
    func setUp(world: TestbedWorld, customers: [Int])
    /// Makes this block's transactions.
    ///
    /// - Parameters:
    ///   - customers: the individuals' wallets, who deposit, bet, buy and receive withdrawals.
    ///   - interval: seconds since the previous block.
    func step(world: TestbedWorld, customers: [Int], interval: Double)
}

extension Behaviour {
    public func setUp(world: TestbedWorld, customers: [Int]) {}
}

extension OwnedScript {
    /// An output paying `value` satoshis to this script.
    public func output(_ value: Int64) -> TransactionOutput {
        TransactionOutput(value: value, scriptPubKey: scriptPubKey)
    }
}

/// Converts BTC to satoshis.
func satoshis(_ bitcoin: Double) -> Int64 { Int64((bitcoin * 100_000_000).rounded()) }
