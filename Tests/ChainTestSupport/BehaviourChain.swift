import BitcoinData
import ChainAnalysis
import Randomness

/// A small regtest chain with labelled behaviours, for classifier tests beside the regtest testbed:
/// a mining pool paying miners, an exchange (fresh deposit addresses, consolidations, batched withdrawals), a mixer
/// (many in, equal-value outputs) and individual wallets. Scripts are P2WPKH with placeholder witnesses.
public struct BehaviourChain: Sendable {
    /// The blocks.
    public private(set) var blocks: [Block] = []
    /// Address label pairs (`address`, class name).
    public private(set) var labels: [(address: String, label: String)] = []

    private struct Coin: Sendable {
        var outpoint: OutPoint
        var value: Int64
        var key: Int
    }

    private var generator: SplitMix64
    private var nextKey: Int
    private var labelled: [Int: String] = [:]
    private var wallets: [Coin] = []
    private var walletKeys: [Int] = []
    private var pool: [Coin] = []
    private var deposits: [Coin] = []
    private var hot: [Coin] = []
    private var mixerIn: [Coin] = []
    private let poolKey: Int
    private let hotKey: Int
    private var pending: [Transaction] = []

    /// Builds `blockCount` blocks; `seed` changes every random choice and the key space.
    public init(seed: UInt64, blockCount: Int) {
        generator = SplitMix64(seed: seed)
        nextKey = Int(seed % 1000) * 1_000_000
        poolKey = nextKey
        hotKey = nextKey + 1
        nextKey += 2
        labelled[poolKey] = "mining_pool"
        labelled[hotKey] = "exchange"
        for _ in 0..<blockCount { mine() }
        labels = labelled.sorted { $0.key < $1.key }.map { (Self.address($0.key), $0.value) }
    }

    static func destination(_ key: Int) -> Destination {
        .witness(version: 0, program: Hashing.hash160(Array("behaviour key \(key)".utf8)))
    }

    static func address(_ key: Int) -> String { destination(key).address(on: .regtest) }

    private mutating func freshKey(_ label: String?) -> Int {
        defer { nextKey += 1 }
        if let label { labelled[nextKey] = label }
        return nextKey
    }

    private mutating func random(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }

    /// Adds a transaction spending `coins` to `outputs` (key, value); returns the new coins.
    @discardableResult
    private mutating func pay(_ coins: [Coin], _ outputs: [(Int, Int64)]) -> [Coin] {
        let inputs = coins.map {
            TransactionInput(previousOutput: $0.outpoint, scriptSig: [], witness: [[0x30, UInt8($0.key & 0xff)], [2]])
        }
        let transaction = Transaction(
            version: 2, inputs: inputs,
            outputs: outputs.map { TransactionOutput(value: $0.1, scriptPubKey: Self.destination($0.0).scriptPubKey) },
            lockTime: 0)
        pending.append(transaction)
        let txid = transaction.txid
        return outputs.enumerated().map {
            Coin(outpoint: OutPoint(txid: txid, index: UInt32($0)), value: $1.1, key: $1.0)
        }
    }

    private mutating func mine() {
        let height = blocks.count
        // Pool pays ten miners from its previous reward.
        if let reward = pool.popLast() {
            var outputs = [(Int, Int64)]()
            let share = (reward.value - 10_000) / 10
            for _ in 0..<10 {
                let key = walletKeys.count < 40 || random(0...2) == 0 ? freshKey("wallet") : walletKeys.randomElement(
                    using: &generator)!
                if !walletKeys.contains(key) { walletKeys.append(key) }
                outputs.append((key, share))
            }
            wallets += pay([reward], outputs)
        }
        // Wallets: deposits to the exchange, coins into the mixer, payments to each other with change.
        wallets.shuffle(using: &generator)
        for _ in 0..<min(6, wallets.count) {
            let coin = wallets.removeLast()
            let choice = random(0...2)
            let amount = Int64(random(1...9)) * coin.value / 10 / 100_000 * 100_000
            let fee: Int64 = 2_000
            guard amount > 0, coin.value - amount - fee > 0 else { continue }
            let destination: Int
            switch choice {
            case 0: destination = freshKey("exchange")
            case 1: destination = freshKey("mixer")
            default: destination = walletKeys.randomElement(using: &generator)!
            }
            let change = freshKey("wallet")
            walletKeys.append(change)
            let made = pay([coin], [(destination, amount), (change, coin.value - amount - fee)])
            switch choice {
            case 0: deposits.append(made[0])
            case 1: mixerIn.append(made[0])
            default: wallets.append(made[0])
            }
            wallets.append(made[1])
        }
        // Exchange: consolidate deposits every third block, then pay out a batch of withdrawals.
        if height % 3 == 2, deposits.count >= 2 {
            let total = deposits.reduce(0) { $0 + $1.value } - 5_000
            hot += pay(deposits, [(hotKey, total)])
            deposits = []
        }
        if let coin = hot.popLast(), coin.value > 2_000_000 {
            var outputs = [(Int, Int64)]()
            var remaining = coin.value - 8_000
            for _ in 0..<6 {
                let value = remaining / 20
                outputs.append((walletKeys.randomElement(using: &generator)!, value))
                remaining -= value
            }
            outputs.append((hotKey, remaining))
            let made = pay([coin], outputs)
            wallets += made.dropLast()
            hot.append(made[made.count - 1])
        } else if let coin = hot.popLast() {
            hot.append(coin)
        }
        // Mixer: all coins in, equal-value outputs to fresh wallet addresses, remainder to a fresh mixer address.
        if mixerIn.count >= 3 {
            let total = mixerIn.reduce(0) { $0 + $1.value } - 6_000
            let count = mixerIn.count + 2
            let piece = total / Int64(count) / 100_000 * 100_000
            var outputs = (0..<count).map { _ -> (Int, Int64) in
                let key = freshKey("wallet")
                walletKeys.append(key)
                return (key, piece)
            }
            if total - piece * Int64(count) > 0 {
                outputs.append((freshKey("mixer"), total - piece * Int64(count)))
            }
            let made = pay(mixerIn, outputs)
            wallets += made.prefix(count)
            mixerIn = Array(made.dropFirst(count))
        }
        var assembler = BlockAssembler(network: .regtest, previousBlockHash: blocks.last?.hash ?? .zero,
                                       height: height, time: 1_700_000_000 + UInt32(height) * 600)
        for transaction in pending { assembler.add(transaction) }
        pending = []
        let block = assembler.assemble(coinbaseScript: Self.destination(poolKey).scriptPubKey)
        pool.append(Coin(outpoint: OutPoint(txid: block.transactions[0].txid, index: 0),
                         value: block.transactions[0].transaction.outputs[0].value, key: poolKey))
        blocks.append(block)
    }
}
