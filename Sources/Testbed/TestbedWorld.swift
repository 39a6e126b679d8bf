import BitcoinData
import Foundation

/// One address of the labels file.
public struct AddressLabel: Sendable, Equatable {
    /// The regtest address.
    public var address: String
    /// The behaviour class of its owner.
    public var kind: BehaviourKind
    /// The owner's actor id.
    public var actor: String
}

/// The simulation state: the chain, the wallets, the transactions waiting for the next block and the labels.
///
/// Behaviours act through ``pay(from:to:)`` and ``spend(from:coins:outputs:change:)``; ``mineBlock(coinbaseTo:)``
/// confirms everything waiting and credits the outputs to their owners.
public final class TestbedWorld {
    /// The seeded generator every random choice draws from.
    public var random: SeededRandom
    /// The chain so far.
    public private(set) var chain = RegtestChain()
    /// Every wallet, in creation order.
    public private(set) var wallets: [Wallet] = []
    /// Every address handed out, in creation order.
    public private(set) var labels: [AddressLabel] = []
    /// Fee rate range, satoshis per virtual byte.
    public let feeRate: ClosedRange<Double>
    /// Counters for the summary.
    public internal(set) var statistics = TestbedStatistics()

    private var owners: [[UInt8]: (wallet: Int, script: Int)] = [:]
    private var waiting: [Transaction] = []
    private var waitingFees: Int64 = 0

    /// Creates an empty world at the regtest genesis block.
    public init(seed: UInt64, feeRate: ClosedRange<Double>) {
        random = SeededRandom(seed: seed)
        self.feeRate = feeRate
    }

    /// Height the next block will have.
    public var nextHeight: Int { chain.height + 1 }

    /// Transactions waiting for the next block.
    public var waitingCount: Int { waiting.count }

    /// Adds a wallet and returns its index.
    public func addWallet(actor: String, kind: BehaviourKind, addressType: OutputType) -> Int {
        wallets.append(Wallet(actor: actor, kind: kind, addressType: addressType))
        statistics.actors.append(ActorStatistics(id: actor, kind: kind))
        return wallets.count - 1
    }

    /// A new script of `type` (default: the wallet's own type) for wallet `index`, with fresh random keys; its
    /// address goes into the labels.
    public func newScript(for index: Int, type: OutputType? = nil) -> OwnedScript {
        let wallet = wallets[index]
        let type = type ?? wallet.addressType
        let keyCount = type == .p2shMultisig ? OwnedScript.multisigKeys : 1
        var keys = [PrivateKey]()
        while keys.count < keyCount {
            // A random 32-byte string is an invalid key with probability about 2^-128; draw again then.
            if let key = try? PrivateKey(bytes: random.bytes32()) { keys.append(key) }
        }
        guard let script = try? OwnedScript(type: type, keys: keys) else {
            // A taproot tweak out of range has probability about 2^-128: try other keys.
            return newScript(for: index, type: type)
        }
        owners[script.scriptPubKey] = (index, wallet.scripts.count)
        wallet.scripts.append(script)
        labels.append(AddressLabel(address: script.address, kind: wallet.kind, actor: wallet.actor))
        statistics.actors[index].addresses += 1
        return script
    }

    /// An existing script of wallet `index`, chosen at random, or a new one when it has none.
    public func reusedScript(for index: Int) -> OwnedScript {
        let scripts = wallets[index].scripts
        guard !scripts.isEmpty else { return newScript(for: index) }
        return scripts[Int(random.next() % UInt64(scripts.count))]
    }

    /// Pays `outputs` from wallet `index`, choosing coins largest first and sending the change to `change` (default:
    /// a new address of the wallet); returns nil (and changes nothing) when the spendable balance does not cover
    /// amounts and fee.
    @discardableResult
    public func pay(from index: Int, to outputs: [TransactionOutput], change: OwnedScript? = nil) -> Transaction? {
        let target = outputs.reduce(Int64(0)) { $0 + $1.value }
        let rate = drawFeeRate()
        let candidates = wallets[index].spendable(atHeight: nextHeight).enumerated()
            .sorted { ($0.element.value, -$0.offset) > ($1.element.value, -$1.offset) }.map(\.element)
        var selected = [Coin]()
        var total: Int64 = 0
        for coin in candidates where selected.count < Self.maximumInputs {
            selected.append(coin)
            total += coin.value
            if total >= target + fee(inputs: selected, outputs: outputs, change: true, rate: rate) { break }
        }
        guard total >= target + fee(inputs: selected, outputs: outputs, change: false, rate: rate) else { return nil }
        return spend(from: index, coins: selected, outputs: outputs, change: change ?? newScript(for: index),
                     rate: rate)
    }

    /// Most inputs one transaction takes (keeps every transaction well under the standard size limit).
    public static let maximumInputs = 150

    /// Spends exactly `coins` of wallet `index` to `outputs`, the rest minus the fee to `change` (dropped into the
    /// fee when below 1,000 satoshis); returns nil when the coins do not cover outputs and fee.
    @discardableResult
    public func spend(from index: Int, coins: [Coin], outputs: [TransactionOutput], change: OwnedScript?,
                      rate: Double? = nil) -> Transaction? {
        guard !coins.isEmpty else { return nil }
        let rate = rate ?? drawFeeRate()
        let total = coins.reduce(Int64(0)) { $0 + $1.value }
        let target = outputs.reduce(Int64(0)) { $0 + $1.value }
        var allOutputs = outputs
        var fee = fee(inputs: coins, outputs: outputs, change: false, rate: rate)
        guard total >= target + fee else { return nil }
        if let change {
            let withChange = self.fee(inputs: coins, outputs: outputs, change: true, rate: rate)
            let rest = total - target - withChange
            if rest >= 1_000 {
                fee = withChange
                // Bitcoin Core puts change at a random position; so does the testbed.
                let position = Int(random.next() % UInt64(allOutputs.count + 1))
                allOutputs.insert(TransactionOutput(value: rest, scriptPubKey: change.scriptPubKey), at: position)
            } else {
                fee = total - target
            }
        } else {
            fee = total - target
        }
        guard !allOutputs.isEmpty else { return nil }
        var transaction = Transaction(
            version: 2,
            inputs: coins.map { TransactionInput(previousOutput: $0.outpoint, scriptSig: [], sequence: 0xffff_fffd) },
            outputs: allOutputs,
            lockTime: UInt32(chain.height))
        do {
            try TransactionSigner.sign(&transaction, spending: coins)
        } catch {
            return nil
        }
        wallets[index].remove(coins)
        waiting.append(transaction)
        waitingFees += fee
        statistics.record(transaction, by: index, fee: fee, spent: coins)
        return transaction
    }

    /// Mines the next block with every waiting transaction, coinbase to `coinbaseScript`, at `time`; credits every
    /// output to its owner.
    @discardableResult
    public func mineBlock(coinbaseTo coinbaseScript: OwnedScript, time: UInt32) -> Block {
        let block = chain.mine(waiting, fees: waitingFees, coinbaseScript: coinbaseScript.scriptPubKey, time: time)
        waiting = []
        waitingFees = 0
        let height = chain.height
        for parsed in block.transactions {
            for (position, output) in parsed.transaction.outputs.enumerated() {
                guard let owner = owners[output.scriptPubKey] else { continue }
                let script = wallets[owner.wallet].scripts[owner.script]
                wallets[owner.wallet].coins.append(
                    Coin(outpoint: OutPoint(txid: parsed.txid, index: UInt32(position)), value: output.value,
                         script: script, height: height, isCoinbase: parsed.transaction.isCoinbase))
                statistics.actors[owner.wallet].received += output.value
            }
        }
        statistics.blocks += 1
        return block
    }

    /// A uniformly chosen element of a non-empty array.
    public func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }

    /// A fee rate drawn uniformly from ``feeRate``.
    public func drawFeeRate() -> Double {
        feeRate.lowerBound + (feeRate.upperBound - feeRate.lowerBound) * random.unit()
    }

    /// Fee for a transaction of these inputs and outputs (plus one change output of the spending wallet's type)
    /// at `rate`, from an upper bound of its virtual size.
    func fee(inputs: [Coin], outputs: [TransactionOutput], change: Bool, rate: Double) -> Int64 {
        var size = 11 + inputs.reduce(0) { $0 + $1.script.type.inputVirtualSize }
        size += outputs.reduce(0) { $0 + 9 + $1.scriptPubKey.count }
        if change, let type = inputs.first?.script.type { size += type.outputSize }
        return Int64((Double(size) * rate).rounded(.up))
    }
}
