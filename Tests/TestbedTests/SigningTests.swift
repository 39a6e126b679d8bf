import BitcoinData
import Testing
@testable import Testbed

@Suite("Keys, signatures and the genesis block")
struct SigningTests {
    @Test func regtestGenesisBlockHasBitcoinCoresHash() throws {
        let genesis = RegtestGenesis.block
        #expect(genesis.hash.hex == "0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206")
        #expect(genesis.computedMerkleRoot.hex == "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b")
        #expect(genesis.header.hasValidProofOfWork)
    }

    /// BIP-340's first test vector: secret key 3, zero auxiliary randomness, zero message.
    @Test func schnorrSignatureMatchesBIP340VectorZero() throws {
        let key = try PrivateKey(bytes: [UInt8](repeating: 0, count: 31) + [3])
        #expect(Hex.encode(key.xOnlyPublicKey) == "f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9")
        let signature = try key.signSchnorr(message: [UInt8](repeating: 0, count: 32), tweak: nil)
        #expect(Hex.encode(signature) == "e907831f80848d1069a5371b402410364bdf1c5f8307b0084c55f1ce2dca8215"
                + "25f66a4a85ea8b71e482a74f382d2ce5ebeee8fdb2172f477df4900d310536c0")
        #expect(SignatureVerifier.verifySchnorr(signature: signature, message: [UInt8](repeating: 0, count: 32),
                                                xOnlyPublicKey: key.xOnlyPublicKey))
    }

    @Test func invalidPrivateKeysAreRefused() {
        #expect(throws: Secp256k1Error.self) { try PrivateKey(bytes: [UInt8](repeating: 0, count: 32)) }
        #expect(throws: Secp256k1Error.self) { try PrivateKey(bytes: [UInt8](repeating: 0xff, count: 32)) }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func ecdsaSignaturesAreDERAndVerifyOnlyForTheirDigest(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let key = try PrivateKey(bytes: random.bytes32())
        let digest = random.bytes32()
        let signature = key.signECDSA(digest: digest)
        #expect(signature.first == 0x30 && Int(signature[1]) == signature.count - 2)
        #expect(SignatureVerifier.verifyECDSA(signature: signature, digest: digest, publicKey: key.publicKey))
        var other = digest
        other[0] ^= 1
        #expect(!SignatureVerifier.verifyECDSA(signature: signature, digest: other, publicKey: key.publicKey))
    }

    @Test func taprootKeyPathSignatureVerifiesAgainstTheTweakedOutputKeyOnly() throws {
        var random = SeededRandom(seed: 9)
        let script = try OwnedScript(type: .p2tr, keys: [PrivateKey(bytes: random.bytes32())])
        #expect(script.scriptPubKey == [0x51, 0x20] + script.publicKey)
        #expect(script.address.hasPrefix("bcrt1p"))
        let message = random.bytes32()
        let signature = try script.keys[0].signSchnorr(message: message, tweak: script.tweak)
        #expect(SignatureVerifier.verifySchnorr(signature: signature, message: message,
                                                xOnlyPublicKey: script.publicKey))
        #expect(!SignatureVerifier.verifySchnorr(signature: signature, message: message,
                                                 xOnlyPublicKey: script.keys[0].xOnlyPublicKey))
    }

    @Test func addressesOfEachTypeDecodeBackToTheirScripts() throws {
        var random = SeededRandom(seed: 11)
        for type in OutputType.allCases {
            let keys = try (0..<(type == .p2shMultisig ? 3 : 1)).map { _ in try PrivateKey(bytes: random.bytes32()) }
            let script = try OwnedScript(type: type, keys: keys)
            let decoded = try Destination(address: script.address, network: .regtest)
            #expect(decoded.scriptPubKey == script.scriptPubKey, "\(type)")
        }
    }
}
