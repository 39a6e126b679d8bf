import BitcoinData

/// One actor's wallet: the scripts it owns and its unspent coins, in the order they were created (never in
/// dictionary order, so that runs are reproducible).
public final class Wallet {
    /// The owning actor's id.
    public let actor: String
    /// The actor's behaviour class.
    public let kind: BehaviourKind
    /// The address type the wallet uses for its own new addresses.
    public let addressType: OutputType
    /// Every script the wallet has handed out, oldest first.
    public internal(set) var scripts: [OwnedScript] = []
    /// Unspent coins, oldest first; coins being spent by a transaction waiting for the next block are removed.
    public internal(set) var coins: [Coin] = []

    init(actor: String, kind: BehaviourKind, addressType: OutputType) {
        self.actor = actor
        self.kind = kind
        self.addressType = addressType
    }

    /// Coins a transaction in the block at `height` may spend (confirmed, and mature if from a coinbase).
    public func spendable(atHeight height: Int) -> [Coin] {
        coins.filter { RegtestChain.isSpendable(coinHeight: $0.height, isCoinbase: $0.isCoinbase, spendHeight: height) }
    }

    /// Sum of the spendable coins at `height`.
    public func balance(atHeight height: Int) -> Int64 {
        spendable(atHeight: height).reduce(0) { $0 + $1.value }
    }

    func remove(_ spent: [Coin]) {
        var gone = Set<OutPoint>()
        for coin in spent { gone.insert(coin.outpoint) }
        coins.removeAll { gone.contains($0.outpoint) }
    }
}
