/// Builds valid blocks from transactions: coinbase with its BIP-34 height, witness commitment when needed, merkle
/// root, and a nonce meeting the target (practical at regtest difficulty only).
///
/// Used to make block files for tests and by the regtest testbed; it checks no scripts or amounts.
public struct BlockAssembler: Sendable {
    /// The network whose difficulty the block is mined at (regtest: compact target 0x207fffff).
    public var network: BitcoinNetwork
    /// Hash of the block this one extends.
    public var previousBlockHash: Hash256
    /// The height written into the coinbase.
    public var height: Int
    /// Block time.
    public var time: UInt32
    /// Compact target.
    public var bits: UInt32
    /// Transactions after the coinbase, in block order.
    public private(set) var transactions: [Transaction] = []

    /// Creates an assembler for the block at `height` on top of `previousBlockHash`.
    public init(network: BitcoinNetwork, previousBlockHash: Hash256, height: Int, time: UInt32,
                bits: UInt32 = 0x207f_ffff) {
        self.network = network
        self.previousBlockHash = previousBlockHash
        self.height = height
        self.time = time
        self.bits = bits
    }

    /// Appends a transaction.
    public mutating func add(_ transaction: Transaction) { transactions.append(transaction) }

    /// The coinbase scriptSig: the height as a minimal script number push (BIP-34), padded with a zero byte to the
    /// two bytes a coinbase script needs at least, followed by `extraNonce`.
    public static func coinbaseScriptSig(height: Int, extraNonce: [UInt8] = []) -> [UInt8] {
        let push = Script.pushNumber(height)
        return push + (push.count < 2 ? [0x00] : []) + extraNonce
    }

    /// Assembles and mines the block, paying `coinbaseValue` satoshis to `coinbaseScript`.
    ///
    /// - Parameter maximumTries: nonces tried before giving up (a precondition failure): at regtest difficulty
    ///   about half of all nonces succeed.
    public func assemble(coinbaseScript: [UInt8], coinbaseValue: Int64 = 50 * 100_000_000,
                         maximumTries: UInt32 = 1_000_000) -> Block {
        let hasWitness = transactions.contains(where: \.hasWitness)
        var coinbase = Transaction(
            version: 2,
            inputs: [TransactionInput(previousOutput: .null, scriptSig: Self.coinbaseScriptSig(height: height),
                                      witness: hasWitness ? [[UInt8](repeating: 0, count: 32)] : [])],
            outputs: [TransactionOutput(value: coinbaseValue, scriptPubKey: coinbaseScript)],
            lockTime: 0)
        if hasWitness {
            let root = MerkleTree.root([.zero] + transactions.map(\.wtxid))
            let commitment = Hashing.hash256(root.bytes + [UInt8](repeating: 0, count: 32))
            coinbase.outputs.append(TransactionOutput(value: 0,
                                                      scriptPubKey: Block.witnessCommitmentPrefix + commitment.bytes))
        }
        let all = [coinbase] + transactions
        var header = BlockHeader(version: 0x2000_0000, previousBlockHash: previousBlockHash,
                                 merkleRoot: MerkleTree.root(all.map(\.txid)), time: time, bits: bits, nonce: 0)
        while !header.hasValidProofOfWork {
            precondition(header.nonce < maximumTries, "no nonce found in \(maximumTries) tries")
            header.nonce += 1
        }
        return Block(header: header, transactions: all)
    }
}
