import Testing
@testable import BitcoinData

@Suite("Base58 and base58check", .enabled(if: SharedData.isAvailable, "needs ../shared/data/bitcoin"))
struct Base58VectorTests {
    @Test func encodeDecodeVectors() throws {
        let vectors = try #require(try SharedData.json("bitcoin/base58_encode_decode.json") as? [[String]])
        #expect(vectors.count == 12)
        for vector in vectors {
            let bytes = try Hex.decode(vector[0])
            #expect(Base58.encode(bytes) == vector[1])
            #expect(try Base58.decode(vector[1]) == bytes)
        }
    }

    @Test func validKeysAndAddressesDecodeToTheirPayload() throws {
        let vectors = try #require(try SharedData.json("bitcoin/base58_keys_valid.json") as? [[Any]])
        #expect(vectors.count == 50)
        for vector in vectors {
            let text = try #require(vector[0] as? String)
            let payload = try Hex.decode(try #require(vector[1] as? String))
            let meta = try #require(vector[2] as? [String: Any])
            let network: BitcoinNetwork = meta["isTestnet"] as? Bool == true ? .testnet : .mainnet
            let other: BitcoinNetwork = network == .mainnet ? .testnet : .mainnet
            if meta["isPrivkey"] as? Bool == true {
                let secret = try WalletImportFormat(text, network: network)
                #expect(secret.key == payload, "\(text)")
                #expect(secret.isCompressed == (meta["isCompressed"] as? Bool), "\(text)")
                #expect(throws: BitcoinDataError.self, "\(text) is a key, not an address") {
                    _ = try Destination(address: text, network: network)
                }
            } else {
                let destination = try Destination(address: text, network: network)
                let expected: Destination = meta["addrType"] as? String == "script"
                    ? .scriptHash(payload) : .pubkeyHash(payload)
                #expect(destination == expected, "\(text)")
                #expect(destination.address(on: network) == text)
                #expect(throws: BitcoinDataError.self, "\(text) on the other network") {
                    _ = try Destination(address: text, network: other)
                }
                #expect(throws: BitcoinDataError.self) { _ = try WalletImportFormat(text, network: network) }
            }
        }
    }

    @Test func everyInvalidVectorIsRejectedAsAddressAndAsKey() throws {
        let vectors = try #require(try SharedData.json("bitcoin/base58_keys_invalid.json") as? [[String]])
        #expect(vectors.count == 50)
        for vector in vectors {
            let text = vector[0]
            for network in BitcoinNetwork.allCases {
                #expect(throws: BitcoinDataError.self, "\(text) accepted as an address of \(network)") {
                    _ = try Destination(address: text, network: network)
                }
                #expect(throws: BitcoinDataError.self, "\(text) accepted as a key of \(network)") {
                    _ = try WalletImportFormat(text, network: network)
                }
            }
        }
    }
}

@Suite("Bech32 and bech32m (BIP-173, BIP-350 test vectors)")
struct Bech32VectorTests {
    static let validBech32 = [
        "A12UEL5L", "a12uel5l",
        "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
        "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
        "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
        "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w", "?1ezyfcl",
    ]
    static let validBech32m = [
        "A1LQFN3A", "a1lqfn3a",
        "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
        "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
        "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
        "split1checkupstagehandshakeupstreamerranterredcaperredlc445v", "?1v759aa",
    ]
    static let invalidBech32 = [
        "\u{20}1nwldj5", "\u{7f}1axkwrx", "\u{80}1eym55h",
        "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
        "pzry9x0s0muk", "1pzry9x0s0muk", "x1b4n0q5v", "li1dgmt3", "de1lg7wt\u{ff}", "A1G7SGD8", "10a06t8", "1qzzfhee",
    ]
    static let invalidBech32m = [
        "\u{20}1xj0phk", "\u{7f}1g6xzxy", "\u{80}1vctc34",
        "an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4",
        "qyrz8wqd2c9m", "1qyrz8wqd2c9m", "y1b0jsk6g", "lt1igcx5c0", "in1muywd", "mm1crxm3i", "au1s5cgom",
        "M1VUXWEZ", "16plkw9", "1p2gdwpf",
    ]

    @Test(arguments: validBech32) func validBech32Strings(text: String) throws {
        let decoded = try Bech32.decode(text)
        #expect(decoded.variant == .bech32)
        #expect(Bech32.encode(hrp: decoded.hrp, data: decoded.data, variant: .bech32) == text.lowercased())
    }

    @Test(arguments: validBech32m) func validBech32mStrings(text: String) throws {
        let decoded = try Bech32.decode(text)
        #expect(decoded.variant == .bech32m)
        #expect(Bech32.encode(hrp: decoded.hrp, data: decoded.data, variant: .bech32m) == text.lowercased())
    }

    @Test(arguments: invalidBech32 + invalidBech32m) func invalidStringsAreRejected(text: String) {
        // A string valid under the other variant would decode with that variant, so check the variant too.
        let decoded = try? Bech32.decode(text)
        let isInvalidBech32 = Self.invalidBech32.contains(text)
        #expect(decoded == nil || decoded?.variant == (isInvalidBech32 ? .bech32m : .bech32))
        #expect(decoded == nil, "\(text.debugDescription) decoded")
    }

    static let validSegwit: [(String, String)] = [
        ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6"),
        ("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
         "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"),
        ("bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
         "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"),
        ("BC1SW50QGDZ25J", "6002751e"),
        ("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323"),
        ("tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy",
         "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"),
        ("tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c",
         "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"),
        ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
         "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"),
    ]

    @Test(arguments: validSegwit) func validSegwitAddressesGiveTheirScript(address: String, scriptHex: String) throws {
        let network: BitcoinNetwork = address.lowercased().hasPrefix("bc1") ? .mainnet : .testnet
        let destination = try Destination(address: address, network: network)
        #expect(Hex.encode(destination.scriptPubKey) == scriptHex)
        #expect(destination.address(on: network) == address.lowercased())
        #expect(Destination(scriptPubKey: try Hex.decode(scriptHex)) == destination)
    }

    /// BIP-173's superseded v1+ examples (bech32 checksums), BIP-173's invalid list and BIP-350's invalid list.
    static let invalidSegwit = [
        "tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5",
        "BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2", "bc1rw5uspcuh",
        "bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90",
        "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",
        "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7",
        "bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du",
        "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv", "bc1gmk9yu",
        "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx", "BC1SW50QA3JX3S",
        "bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj",
        "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
        "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",
        "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
        "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",
        "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",
        "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R", "bc1pw5dgrnzv",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
        "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",
        "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",
    ]

    @Test(arguments: invalidSegwit) func invalidSegwitAddressesAreRejected(address: String) {
        for network in BitcoinNetwork.allCases {
            #expect(throws: BitcoinDataError.self, "\(address) accepted on \(network)") {
                _ = try Destination(address: address, network: network)
            }
        }
    }

    @Test func p2trKeyPathAddressOfBIP86() throws {
        // BIP-86's first receiving address (m/86'/0'/0'/0/0) and its output key.
        let destination = try Destination(
            address: "bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr", network: .mainnet)
        #expect(destination == .witness(version: 1, program: try Hex.decode(
            "a60869f0dbcf1dc659c9cecbaf8050135ea9e8cdc487053f1dc6880949dc684c")))
        #expect(destination.kind == .p2tr)
    }
}

@Suite("Script classification")
struct ScriptTests {
    @Test func nonStandardScriptsHaveNoDestinationButAreClassified() throws {
        #expect(Script.kind(of: [0x6a, 0x04, 1, 2, 3, 4]) == .nullData)
        #expect(Script.kind(of: [0x51]) == .nonStandard)
        #expect(Script.kind(of: []) == .nonStandard)
        #expect(Destination(scriptPubKey: [0x51, 0x87]) == nil)
        let p2pk = [0x21, 0x02] + [UInt8](repeating: 9, count: 32) + [0xac]
        #expect(Script.kind(of: p2pk) == .p2pk)
        let multisig = [0x51, 0x21, 0x02] + [UInt8](repeating: 9, count: 32) + [0x51, 0xae]
        #expect(Script.kind(of: multisig) == .multisig)
        #expect(Script.kind(of: [0x00, 0x10] + [UInt8](repeating: 0, count: 16)) == .nonStandard)
        #expect(Script.kind(of: [0x52, 0x02, 0x4e, 0x73]) == .witnessUnknown)
    }
}
