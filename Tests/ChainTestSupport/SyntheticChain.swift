import BitcoinData
import Foundation

/// Builds small valid regtest chains for tests: every block mined at regtest difficulty with correct merkle roots and
/// witness commitments, transactions spending earlier outputs across every standard script kind. Signatures are
/// placeholders (nothing here verifies scripts); the regtest testbed makes real ones.
public struct SyntheticChain: Sendable {
    /// Blocks from the first to the tip.
    public private(set) var blocks: [Block] = []
    /// Height of the first block.
    public let startHeight: Int
    /// Unspent outputs available to spend, oldest first.
    public private(set) var unspent: [(OutPoint, TransactionOutput)] = []
    private var counter: Int

    /// Starts a chain whose first block has height `startHeight` and extends `parent`.
    public init(startHeight: Int = 0, parent: Hash256 = .zero, seed: Int = 0) {
        self.startHeight = startHeight
        self.parentOfFirst = parent
        counter = seed * 1_000_000
    }

    private let parentOfFirst: Hash256

    /// A deterministic 20-byte hash standing for a key number `index`.
    public static func keyHash(_ index: Int) -> [UInt8] { Hashing.hash160(Array("key \(index)".utf8)) }

    /// The output script kinds cycled through by ``extend(transactions:)``.
    public static func script(for index: Int) -> [UInt8] {
        let hash = keyHash(index)
        switch index % 7 {
        case 0: return Destination.pubkeyHash(hash).scriptPubKey
        case 1: return Destination.scriptHash(hash).scriptPubKey
        case 2: return Destination.witness(version: 0, program: hash).scriptPubKey
        case 3: return Destination.witness(version: 0, program: Hashing.sha256(hash)).scriptPubKey
        case 4: return Destination.witness(version: 1, program: Hashing.sha256(hash)).scriptPubKey
        case 5: return [0x6a, 0x04] + Array(hash.prefix(4))
        default: return [0x51, 0x52, 0x93] + Array(hash.prefix(2))
        }
    }

    /// The tip's hash (the parent of the first block when empty).
    public var tipHash: Hash256 { blocks.last?.hash ?? parentOfFirst }
    /// The next block's height.
    public var nextHeight: Int { startHeight + blocks.count }

    /// Appends a block paying its coinbase to key `coinbaseKey` and holding up to `transactions` spends of the oldest
    /// unspent outputs, each paying two outputs of cycling script kinds.
    @discardableResult
    public mutating func extend(transactions: Int = 2, coinbaseKey: Int? = nil) -> Block {
        var assembler = BlockAssembler(network: .regtest, previousBlockHash: tipHash, height: nextHeight,
                                       time: 1_700_000_000 + UInt32(nextHeight) * 600)
        var created = [(OutPoint, TransactionOutput)]()
        for _ in 0..<transactions {
            guard let index = unspent.firstIndex(where: { $0.1.value > 2_000 && Script.kind(of: $0.1.scriptPubKey)
                != .nullData }) else { break }
            let (outpoint, output) = unspent.remove(at: index)
            counter += 1
            let segwit = Script.witnessProgram(output.scriptPubKey) != nil
            let input = TransactionInput(previousOutput: outpoint,
                                         scriptSig: segwit ? [] : [0x01, UInt8(truncatingIfNeeded: counter)],
                                         witness: segwit ? [[0x30, UInt8(truncatingIfNeeded: counter)], [0x02]] : [])
            let half = (output.value - 1_000) / 2
            let transaction = Transaction(
                version: 2, inputs: [input],
                outputs: [TransactionOutput(value: half, scriptPubKey: Self.script(for: counter)),
                          TransactionOutput(value: output.value - 1_000 - half,
                                            scriptPubKey: Self.script(for: counter + 1))],
                lockTime: 0)
            assembler.add(transaction)
            for (position, out) in transaction.outputs.enumerated() {
                created.append((OutPoint(txid: transaction.txid, index: UInt32(position)), out))
            }
        }
        counter += 1
        let block = assembler.assemble(
            coinbaseScript: Destination.pubkeyHash(Self.keyHash(coinbaseKey ?? counter)).scriptPubKey)
        let coinbase = block.transactions[0]
        unspent.append((OutPoint(txid: coinbase.txid, index: 0), coinbase.transaction.outputs[0]))
        unspent += created
        blocks.append(block)
        return block
    }

    /// A copy of this chain cut back to its first `count` blocks, to build a competing branch on (a reorg). The
    /// unspent set is rebuilt from the kept blocks.
    public func truncated(to count: Int, seed: Int) -> SyntheticChain {
        var copy = SyntheticChain(startHeight: startHeight, parent: parentOfFirst, seed: seed)
        copy.blocks = Array(blocks.prefix(count))
        var spent = Set<OutPoint>()
        var outputs = [(OutPoint, TransactionOutput)]()
        for block in copy.blocks {
            for parsed in block.transactions {
                for input in parsed.transaction.inputs where !input.previousOutput.isNull {
                    spent.insert(input.previousOutput)
                }
                for (position, out) in parsed.transaction.outputs.enumerated() {
                    outputs.append((OutPoint(txid: parsed.txid, index: UInt32(position)), out))
                }
            }
        }
        copy.unspent = outputs.filter { !spent.contains($0.0) && Script.kind(of: $0.1.scriptPubKey) != .nullData }
        return copy
    }
}

/// A temporary directory removed when the value is released.
public final class TemporaryDirectory: Sendable {
    /// Its path.
    public let path: String

    /// Creates a fresh directory under the system temporary directory.
    public init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("coinsentry-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path inside the directory.
    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
