/// The checks a node makes on a block before connecting it, short of scripts and amounts.
extension Block {
    /// The height a coinbase declares (BIP-34: the first push of its scriptSig) in a block of `version`, if any.
    public static func declaredHeight(version: Int32, coinbase: Transaction) -> Int? {
        guard version >= 2, let script = coinbase.inputs.first?.scriptSig, let first = script.first else { return nil }
        if first >= Script.Opcode.one && first <= Script.Opcode.sixteen { return Int(first) - 0x50 }
        guard first >= 1, first <= 8, script.count > Int(first) else { return nil }
        var value = 0
        for index in 0..<Int(first) { value |= Int(script[1 + index]) << (8 * index) }
        return value
    }

    /// The height the coinbase declares (BIP-34), if it declares one.
    public var coinbaseHeight: Int? {
        guard let coinbase = transactions.first?.transaction else { return nil }
        return Self.declaredHeight(version: header.version, coinbase: coinbase)
    }

    /// Checks the header's merkle root and, when the block has witness transactions, the witness commitment.
    ///
    /// - Throws: ``BitcoinDataError`` with code `.mismatch` naming which value disagrees.
    public func validateCommitments() throws(BitcoinDataError) {
        let computed = computedMerkleRoot
        guard computed == header.merkleRoot else {
            throw BitcoinDataError(.mismatch, "merkle root \(computed) computed, header says \(header.merkleRoot)")
        }
        let hasWitness = transactions.contains { $0.txid != $0.wtxid }
        guard hasWitness else { return }
        guard let declared = witnessCommitment, let computedCommitment = computedWitnessCommitment else {
            throw BitcoinDataError(.mismatch, "block has witness data but no witness commitment")
        }
        guard declared == computedCommitment else {
            throw BitcoinDataError(.mismatch, "witness commitment \(computedCommitment) computed, coinbase says "
                                   + "\(declared)")
        }
    }

    /// Checks that the coinbase starts with `height` as Bitcoin Core writes it (BIP-34), when the network enforces
    /// BIP-34 at that height.
    ///
    /// - Throws: ``BitcoinDataError`` with code `.mismatch` showing the push expected and the bytes found.
    public func checkCoinbaseHeight(_ height: Int, on network: BitcoinNetwork) throws(BitcoinDataError) {
        guard height >= network.bip34Height else { return }
        let expected = Script.pushNumber(height)
        let script = transactions.first?.transaction.inputs.first?.scriptSig ?? []
        guard script.starts(with: expected) else {
            throw BitcoinDataError(.mismatch, "coinbase does not start with height \(height) (BIP-34): expected "
                                   + "\(Hex.encode(expected)), found \(Hex.encode(script.prefix(expected.count + 1)))")
        }
    }

    /// Checks the block as a node does before connecting it at `height`: proof of work against the network's
    /// limit, the link to the previous block (when `previousBlockHash` is known), merkle root, witness commitment
    /// and the BIP-34 height.
    ///
    /// - Throws: ``BitcoinDataError`` saying which check failed and the values that disagree.
    public func check(height: Int, previousBlockHash: Hash256?, on network: BitcoinNetwork) throws(BitcoinDataError) {
        try header.checkProofOfWork(on: network)
        if let previousBlockHash, header.previousBlockHash != previousBlockHash {
            throw BitcoinDataError(.mismatch, "previous block \(header.previousBlockHash) in the header, but block "
                                   + "\(height - 1) is \(previousBlockHash)")
        }
        try validateCommitments()
        try checkCoinbaseHeight(height, on: network)
    }
}
