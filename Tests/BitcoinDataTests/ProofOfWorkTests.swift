import ChainTestSupport
import Testing
@testable import BitcoinData

@Suite("Proof of work and BIP-34 heights")
struct ProofOfWorkTests {
    static func header(bits: UInt32) -> BlockHeader {
        BlockHeader(version: 4, previousBlockHash: .zero, merkleRoot: .zero, time: 0, bits: bits, nonce: 0)
    }

    @Test func regtestTargetIsAboveTheMainnetLimit() throws {
        var header = Self.header(bits: 0x207f_ffff)
        while !header.hasValidProofOfWork { header.nonce += 1 }
        try header.checkProofOfWork(on: .regtest)
        #expect {
            try header.checkProofOfWork(on: .mainnet)
        } throws: { error in
            "\(error)" == "malformed: bits 0x207fffff encode target 7fffff" + String(repeating: "0", count: 58)
                + ", above the mainnet limit 00000000" + String(repeating: "f", count: 56)
        }
    }

    @Test(arguments: [UInt32(0x0480_0001), 0x2300_0001, 0x0100_0000])
    func bitsEncodingNoPositiveTargetAreRefused(bits: UInt32) {
        #expect {
            try Self.header(bits: bits).checkProofOfWork(on: .regtest)
        } throws: { error in
            "\(error)" == "malformed: bits 0x\(String(bits, radix: 16)) encode no positive target"
        }
    }

    @Test func hashAboveTheTargetFails() {
        var header = Self.header(bits: 0x207f_ffff)
        while header.hasValidProofOfWork { header.nonce += 1 }
        #expect {
            try header.checkProofOfWork(on: .regtest)
        } throws: { error in
            "\(error)".hasPrefix("mismatch: proof of work fails: hash \(header.hash) above target 7fffff00")
        }
    }

    /// Bitcoin Core's `CScript() << n`: small numbers as opcodes, others little-endian with a sign byte when needed.
    @Test(arguments: [(0, "00"), (1, "51"), (16, "60"), (17, "0111"), (127, "017f"), (128, "028000"),
                      (255, "02ff00"), (256, "020001"), (227_931, "035b7a03"), (8_388_608, "0400008000")])
    func heightsArePushedAsMinimalScriptNumbers(height: Int, hex: String) {
        #expect(Hex.encode(Script.pushNumber(height)) == hex)
    }

    @Test func coinbaseHeightIsEnforcedFromTheNetworksBIP34Height() throws {
        let block = BlockAssembler(network: .mainnet, previousBlockHash: .zero, height: 100, time: 0)
            .assemble(coinbaseScript: [0x51])
        try block.checkCoinbaseHeight(100, on: .mainnet)
        try block.checkCoinbaseHeight(227_930, on: .mainnet)  // BIP-34 not yet active: anything goes
        #expect(throws: BitcoinDataError.self) { try block.checkCoinbaseHeight(227_931, on: .mainnet) }
        #expect(throws: BitcoinDataError.self) { try block.checkCoinbaseHeight(101, on: .regtest) }
    }
}

@Suite("Genesis blocks and output listings")
struct GenesisTests {
    @Test(arguments: [
        (BitcoinNetwork.mainnet, "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f"),
        (.testnet, "000000000933ea01ad0ee984209779baaec3ced90fa3f408719526f8d77f4943"),
        (.signet, "00000008819873e925422c1ff0f99f7cc9bbb232af63a077a480a3633bee1ef6"),
        (.regtest, "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206"),
    ])
    func genesisBlocksHaveTheirPublishedHashesAndPassTheChecks(network: BitcoinNetwork, hash: String) throws {
        let genesis = network.genesisBlock
        #expect(genesis.hash.hex == hash)
        try genesis.check(height: 0, previousBlockHash: .zero, on: network)
    }

    @Test func keyOutputsAreListedUnderTheirKeysP2PKHAddresses() {
        let genesisScript = BitcoinNetwork.genesisCoinbase.outputs[0].scriptPubKey
        #expect(OutputListing(scriptPubKey: genesisScript).owner?.address(on: .mainnet)
                == "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")
        let key = [UInt8](repeating: 0x02, count: 33)
        let other = [0x03] + [UInt8](repeating: 0x07, count: 32)
        let multisig = [0x51, 33] + key + [33] + other + [33] + key + [0x53, 0xae]
        let listing = OutputListing(scriptPubKey: multisig)
        #expect(listing.owner == nil)
        #expect(listing.keys == [.pubkeyHash(Hashing.hash160(key)), .pubkeyHash(Hashing.hash160(other))],
                "each key once, in script order")
        #expect(OutputListing(scriptPubKey: [0x6a, 0x01, 0x00]).isUnlisted)
    }
}
