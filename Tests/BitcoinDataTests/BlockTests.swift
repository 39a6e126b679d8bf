import Testing
@testable import BitcoinData

/// The shared copy of mainnet block 413567 is damaged: inside transaction 513 (input 44, from byte 255,631) the
/// signature's r value declares 32 bytes but 31 are there before the next DER marker, and no single inserted byte
/// there restores the header's merkle root, so the copy differs from the real block in more than that one byte.
/// The header is intact (its hash is the published one), and the 513 transactions before the damage decode.
/// The tests below check everything the damaged file can still prove, and record the full-block check as a known
/// issue that fails loudly once an intact copy is in place.
@Suite("Real mainnet block 413567", .enabled(if: SharedData.isAvailable, "needs ../shared/data/bitcoin"))
struct RealBlockTests {
    let bytes: [UInt8]

    init() throws {
        bytes = try SharedData.bytes("bitcoin/block413567.raw")
    }

    /// Decodes transactions one by one until the first error.
    func decodeLeadingTransactions() throws -> (header: BlockHeader, count: Int, transactions: [ParsedTransaction],
                                                 ranges: [Range<Int>]) {
        var reader = ByteReader(bytes)
        let header = try BlockHeader(from: &reader)
        let count = try reader.readCount("transaction count")
        var transactions = [ParsedTransaction]()
        var ranges = [Range<Int>]()
        while transactions.count < count {
            let start = reader.offset
            guard let parsed = try? ParsedTransaction(from: &reader) else { break }
            transactions.append(parsed)
            ranges.append(start..<reader.offset)
        }
        return (header, count, transactions, ranges)
    }

    @Test func headerHashAndPreviousHashMatchThePublishedOnes() throws {
        var reader = ByteReader(bytes)
        let header = try BlockHeader(from: &reader)
        #expect(header.hash.hex == "0000000000000000025aff8be8a55df8f89c77296db6198f272d6577325d4069")
        #expect(header.previousBlockHash.hex == "00000000000000000542b54d29b12b523ff6c6474e0e86085bd3005ec6c5ce11")
        #expect(header.version == 4)
        #expect(header.time == 1_464_307_123)
        #expect(header.hasValidProofOfWork)
        #expect(try reader.readCompactSize() == 1557)
    }

    @Test func fullBlockDecodesAndItsMerkleRootMatches() throws {
        withKnownIssue("shared block413567.raw is damaged in transaction 513 (see the suite's comment)") {
            let block = try Block(bytes: bytes)
            #expect(block.transactions.count == 1557)
            #expect(block.computedMerkleRoot == block.header.merkleRoot)
            try block.validateCommitments()
        }
    }

    @Test func damageIsReportedWithTransactionIndexAndOffset() {
        #expect {
            _ = try Block(bytes: bytes)
        } throws: { error in
            guard let error = error as? BitcoinDataError, let offset = error.offset else { return false }
            return error.context == "transaction 513" && offset > 255_631 && offset < bytes.count
        }
    }

    @Test func txidsAreConfirmedByTheBlocksOwnSpends() throws {
        let decoded = try decodeLeadingTransactions()
        #expect(decoded.transactions.count == 513)
        let txids = Dictionary(uniqueKeysWithValues: decoded.transactions.enumerated().map { ($1.txid, $0) })
        // A later transaction naming an earlier one of this block as its input's previous transaction was written
        // by the real spender: each such reference confirms the txid computed here.
        var confirmed = 0
        for (index, parsed) in decoded.transactions.enumerated() {
            for input in parsed.transaction.inputs {
                if let spent = txids[input.previousOutput.txid] {
                    #expect(spent < index)
                    confirmed += 1
                }
            }
        }
        #expect(confirmed == 127)
        #expect(decoded.transactions.allSatisfy { $0.txid == $0.wtxid && $0.size == $0.strippedSize })
    }

    @Test func decodedTransactionsReserialiseByteForByte() throws {
        let decoded = try decodeLeadingTransactions()
        for (parsed, range) in zip(decoded.transactions, decoded.ranges) {
            #expect(parsed.transaction.serialized() == Array(bytes[range]))
            #expect(parsed.transaction.txid == parsed.txid)
        }
    }

    @Test func coinbaseDeclaresItsHeight() throws {
        let decoded = try decodeLeadingTransactions()
        let block = Block(header: decoded.header, transactions: decoded.transactions.map(\.transaction))
        #expect(block.transactions[0].transaction.isCoinbase)
        #expect(block.transactions.dropFirst().allSatisfy { !$0.transaction.isCoinbase })
        #expect(block.coinbaseHeight == 413_567)
    }

    @Test func everyOutputScriptIsClassifiedAndAddressesRoundTrip() throws {
        var kinds: [ScriptKind: Int] = [:]
        for output in try decodeLeadingTransactions().transactions.flatMap(\.transaction.outputs) {
            let kind = Script.kind(of: output.scriptPubKey)
            kinds[kind, default: 0] += 1
            if let destination = Destination(scriptPubKey: output.scriptPubKey) {
                #expect(destination.scriptPubKey == output.scriptPubKey)
                let text = destination.address(on: .mainnet)
                #expect((try? Destination(address: text, network: .mainnet)) == destination)
            }
        }
        #expect(kinds[.p2pkh, default: 0] > 500)
        #expect(kinds[.p2sh, default: 0] > 0)
    }

    @Test func truncatedBlockIsRejectedWithTheOffset() {
        #expect {
            _ = try Block(bytes: Array(bytes.prefix(200_000)))
        } throws: { error in
            guard let error = error as? BitcoinDataError else { return false }
            return error.code == .truncated && error.offset != nil && error.context?.hasPrefix("transaction ") == true
        }
    }
}

@Suite("Segwit serialisation")
struct SegwitTests {
    /// The signed "Native P2WPKH" transaction of BIP-143's examples.
    static let bip143SignedHex = "01000000000102fff7f7881a8099afa6940d42d1e7f6362bec38171ea3edf433541db4e4ad969f0000"
        + "0000494830450221008b9d1dc26ba6a9cb62127b02742fa9d754cd3bebf337f7a55d114c8e5cdd30be022040529b194ba3f928"
        + "1a99f2b1c0a19c0489bc22ede944ccf4ecbab4cc618ef3ed01eeffffffef51e1b804cc89d182d279655c3aa89e815b1b309fe2"
        + "87d9b2b55d57b90ec68a0100000000ffffffff02202cb206000000001976a9148280b37df378db99f66f85c95a783a76ac7a6d"
        + "5988ac9093510d000000001976a9143bde42dbee7e4dbe6a21b2d50ce2f0167faa815988ac000247304402203609e17b84f6a7"
        + "d30c80bfa610b5b4542f32a8a0d5447a12fb1366d7f01cc44a0220573a954c4518331561406f90300e8f3358f51928d43c212a"
        + "8caed02de67eebee0121025476c2e83188368da1ff3e292e7acafcdb3566bb0ad253f62fc70f07aeee635711000000"

    /// The same transaction without marker, flag and witness, assembled from BIP-143's field-by-field listing.
    static let bip143StrippedHex = "01000000" + "02"
        + "fff7f7881a8099afa6940d42d1e7f6362bec38171ea3edf433541db4e4ad969f" + "00000000"
        + "494830450221008b9d1dc26ba6a9cb62127b02742fa9d754cd3bebf337f7a55d114c8e5cdd30be022040529b194ba3f9281a99f2"
        + "b1c0a19c0489bc22ede944ccf4ecbab4cc618ef3ed01" + "eeffffff"
        + "ef51e1b804cc89d182d279655c3aa89e815b1b309fe287d9b2b55d57b90ec68a" + "01000000" + "00" + "ffffffff"
        + "02" + "202cb20600000000" + "1976a9148280b37df378db99f66f85c95a783a76ac7a6d5988ac"
        + "9093510d00000000" + "1976a9143bde42dbee7e4dbe6a21b2d50ce2f0167faa815988ac" + "11000000"

    @Test func bip143NativeP2WPKHParsesWithWitness() throws {
        let bytes = try Hex.decode(Self.bip143SignedHex)
        let parsed = try ParsedTransaction(bytes: bytes)
        let transaction = parsed.transaction
        #expect(transaction.inputs.count == 2)
        #expect(transaction.outputs.map(\.value) == [112_340_000, 223_450_000])
        #expect(transaction.lockTime == 17)
        #expect(transaction.inputs[0].witness.isEmpty)
        #expect(transaction.inputs[1].witness.count == 2)
        #expect(transaction.inputs[1].witness[1].count == 33)
        #expect(transaction.serialized() == bytes)
        let stripped = try Hex.decode(Self.bip143StrippedHex)
        #expect(transaction.serialized(includingWitness: false) == stripped)
        #expect(parsed.txid == Hashing.hash256(stripped))
        #expect(parsed.wtxid == Hashing.hash256(bytes))
        #expect(parsed.txid != parsed.wtxid)
        #expect(parsed.strippedSize == stripped.count)
        #expect(transaction.weight == 3 * stripped.count + bytes.count)
    }

    @Test func bip143WitnessPublicKeyHashesToTheSpentProgram() throws {
        let transaction = try ParsedTransaction(bytes: Hex.decode(Self.bip143SignedHex)).transaction
        let spentScript = try Hex.decode("00141d0f172a0ecb48aee1be1f2687d2963ae33f71a1")
        #expect(Script.kind(of: spentScript) == .p2wpkh)
        #expect(Destination(scriptPubKey: spentScript)
            == .witness(version: 0, program: Hashing.hash160(transaction.inputs[1].witness[1])))
    }

    @Test func segwitFlagOtherThanOneIsRejected() throws {
        var bytes = try Hex.decode(Self.bip143SignedHex)
        bytes[5] = 2
        #expect(throws: BitcoinDataError.self) { _ = try ParsedTransaction(bytes: bytes) }
    }

    @Test func witnessCommitmentIsComputedAndChecked() throws {
        let spend = try ParsedTransaction(bytes: Hex.decode(Self.bip143SignedHex)).transaction
        var assembler = BlockAssembler(network: .regtest, previousBlockHash: .zero, height: 1, time: 1_700_000_000)
        assembler.add(spend)
        let block = assembler.assemble(coinbaseScript: Destination.pubkeyHash([UInt8](repeating: 7, count: 20))
            .scriptPubKey)
        #expect(block.witnessCommitment != nil)
        #expect(block.witnessCommitment == block.computedWitnessCommitment)
        try block.validateCommitments()
        let reparsed = try Block(bytes: block.serialized)
        #expect(reparsed.hash == block.hash)
        try reparsed.validateCommitments()

        var tampered = block
        tampered.transactions[1].wtxid = Hashing.hash256([1, 2, 3])
        #expect(throws: BitcoinDataError.self) { try tampered.validateCommitments() }
    }
}

@Suite("Hashes")
struct HashTests {
    @Test(arguments: [
        ("", "9c1185a5c5e9fc54612808977ee8f548b2258d31"),
        ("a", "0bdc9d2d256b3ee9daae347be6f4dc835a467ffe"),
        ("abc", "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc"),
        ("message digest", "5d0689ef49d2fae572b881b123a85ffa21595f36"),
        ("abcdefghijklmnopqrstuvwxyz", "f71c27109c692c1b56bbdceb5b9d2865b3708dbc"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "12a053384a9c0c88e405a06c27dcf49ada62eb2b"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "b0e20b6e3116640286ed3a87a5713079b21f5189"),
        (String(repeating: "1234567890", count: 8), "9b752e45573d4b39f4dbd3323cab82bf63326bfb"),
    ])
    func ripemd160MatchesThePublishedVectors(message: String, digest: String) {
        #expect(Hex.encode(RIPEMD160.hash(Array(message.utf8))) == digest)
    }

    @Test func ripemd160OfAMillionAs() {
        #expect(Hex.encode(RIPEMD160.hash([UInt8](repeating: 0x61, count: 1_000_000)))
            == "52783243c1697bdbe16d37f97f68f08325dc1528")
    }

    @Test func hashDisplayFormIsByteReversed() throws {
        let hash = try Hash256(hex: "00000000000000000542b54d29b12b523ff6c6474e0e86085bd3005ec6c5ce11")
        #expect(hash.bytes.first == 0x11)
        #expect(hash.bytes.last == 0x00)
        #expect(try Hash256(hex: hash.hex) == hash)
        #expect(throws: BitcoinDataError.self) { _ = try Hash256(hex: "00ff") }
    }

    @Test func merkleRootOfOddLevelsDuplicatesTheLastNode() {
        let leaves = (1...3).map { Hashing.hash256([UInt8($0)]) }
        let left = Hashing.hash256(leaves[0].bytes + leaves[1].bytes)
        let right = Hashing.hash256(leaves[2].bytes + leaves[2].bytes)
        #expect(MerkleTree.root(leaves) == Hashing.hash256(left.bytes + right.bytes))
        #expect(MerkleTree.root([leaves[0]]) == leaves[0])
    }
}
