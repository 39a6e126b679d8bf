import BitcoinData
import ChainIngest
import ChainStore
import Foundation
import GRDB
import ChainTestSupport
import Testing
@testable import Testbed

@Suite("Testbed end to end")
struct EndToEndTests {
    @Test func smallScenarioIngestsWithEveryInputResolvedAndEveryAddressLabelled() async throws {
        let run = try TestbedFixtures.run("small.toml", seed: 7)
        let source = try BlockFileSource(reader: BlockFileReader(directory: run.blocksDirectory, network: .regtest))
        let store = try ChainStore(path: ":memory:", network: .regtest)
        let ingested = try await ChainIngestor(store: store, source: source).run()
        #expect(ingested.tipHeight == run.summary.tipHeight)
        #expect(ingested.written.blocks == run.summary.tipHeight + 1)
        #expect(ingested.written.transactions == run.summary.statistics.transactions + run.summary.tipHeight + 1)
        #expect(ingested.written.inputs == run.summary.statistics.inputs + run.summary.tipHeight + 1)
        #expect(ingested.written.unresolvedInputs == 0)

        let labels = try TestbedFixtures.labels(run)
        let stored = try await TestbedFixtures.storedAddresses(store)
        #expect(try await store.addressHistory(TestbedFixtures.genesisAddress)?.balance == 50 * 100_000_000,
                "the genesis coinbase pays a key, found under its address")
        #expect(stored.count > 50)
        let unlabelled = stored.filter { labels[$0] == nil }
        #expect(unlabelled.isEmpty, "addresses on chain without a label: \(unlabelled.prefix(5))")
        let scenario = try ScenarioLoader.load(path: TestbedFixtures.scenarioPath("small.toml"))
        let behaviours = Set(stored.compactMap { labels[$0]?.behaviour })
        for actor in scenario.actors ?? [] {
            #expect(stored.contains { labels[$0]?.actor == actor.id }, "no address of \(actor.id) on chain")
            #expect(behaviours.contains(actor.behaviour.rawValue))
        }
        #expect(behaviours.contains("individual"))
    }

    @Test func everyBlockCommitsToItsTransactionsAndEverySignatureVerifies() throws {
        let run = try TestbedFixtures.run("small.toml", seed: 3)
        let blocks = try TestbedFixtures.readBlocks(run.blocksDirectory)
        #expect(blocks.count == run.summary.tipHeight + 1)
        var outputs = [OutPoint: TransactionOutput]()
        var verified = [ScriptKind: Int]()
        for (height, block) in blocks.enumerated() {
            try block.validateCommitments()
            #expect(block.header.hasValidProofOfWork && block.header.bits == 0x207f_ffff)
            if height > 0 { #expect(block.coinbaseHeight == height) }
            for parsed in block.transactions {
                let transaction = parsed.transaction
                if !transaction.isCoinbase {
                    var spent = [TransactionOutput]()
                    for input in transaction.inputs {
                        let output = outputs.removeValue(forKey: input.previousOutput)
                        spent.append(try #require(output, "input spends nothing"))
                    }
                    for index in transaction.inputs.indices {
                        let kind = Script.kind(of: spent[index].scriptPubKey)
                        #expect(Self.verify(transaction, index, spent), "\(kind) input \(index) of \(parsed.txid)")
                        verified[kind, default: 0] += 1
                    }
                }
                for (index, output) in transaction.outputs.enumerated() {
                    outputs[OutPoint(txid: parsed.txid, index: UInt32(index))] = output
                }
            }
        }
        let byType = run.summary.statistics.inputsByType
        #expect(verified[.p2wpkh] == byType["p2wpkh"] && (verified[.p2wpkh] ?? 0) > 0)
        #expect(verified[.p2tr] == byType["p2tr"] && (verified[.p2tr] ?? 0) > 0)
        #expect(verified[.p2pkh] == byType["p2pkh"] && verified[.p2sh] == byType["p2sh-multisig"])
    }

    /// Checks one input's signatures with libsecp256k1 against the sighash its type commits to.
    static func verify(_ transaction: Transaction, _ index: Int, _ spent: [TransactionOutput]) -> Bool {
        let input = transaction.inputs[index]
        let script = spent[index].scriptPubKey
        switch Script.kind(of: script) {
        case .p2wpkh:
            guard input.witness.count == 2, input.scriptSig.isEmpty,
                  Hashing.hash160(input.witness[1]) == Array(script[2...]) else { return false }
            let scriptCode = ScriptBuilder.p2wpkhScriptCode(keyHash: Array(script[2...]))
            let digest = SignatureHash.witnessV0(transaction, inputIndex: index, scriptCode: scriptCode,
                                                 value: spent[index].value)
            return SignatureVerifier.verifyECDSA(signature: Array(input.witness[0].dropLast()), digest: digest,
                                                 publicKey: input.witness[1])
        case .p2tr:
            guard input.witness.count == 1 else { return false }
            let outputs = spent.map { SpentOutput(value: $0.value, scriptPubKey: $0.scriptPubKey) }
            let digest = SignatureHash.taprootKeyPath(transaction, inputIndex: index, spent: outputs)
            return SignatureVerifier.verifySchnorr(signature: input.witness[0], message: digest,
                                                   xOnlyPublicKey: Array(script[2...]))
        case .p2pkh:
            // scriptSig: <signature+hashtype> <pubkey>, both direct pushes.
            let signatureLength = Int(input.scriptSig[0])
            let signature = Array(input.scriptSig[1..<signatureLength])
            let publicKey = Array(input.scriptSig[(signatureLength + 2)...])
            let digest = SignatureHash.legacy(transaction, inputIndex: index, scriptCode: script)
            return Hashing.hash160(publicKey) == Array(script[3..<23])
                && SignatureVerifier.verifyECDSA(signature: signature, digest: digest, publicKey: publicKey)
        case .p2sh:
            // Python's VerifyScript runs these scripts in full; here only the input's presence is checked.
            return !input.scriptSig.isEmpty && input.witness.isEmpty
        default:
            return false
        }
    }

    @Test(.enabled(if: TestbedFixtures.hasBitcoinlib,
                   "needs Debian's python3-bitcoinlib for /usr/bin/python3: apt-get install python3-bitcoinlib"))
    func pythonBitcoinlibValidatesEveryBlockAndLegacyScript() throws {
        let run = try TestbedFixtures.run("small.toml", seed: 5)
        let result = try TestbedFixtures.runProcess(TestbedFixtures.python,
                                                    [TestbedFixtures.validator, run.blocksDirectory])
        #expect(result.status == 0, "validator: \(result.error)")
        let counts = try #require(JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let verified = try #require(counts["verified"] as? [String: Int])
        let statistics = run.summary.statistics
        #expect(counts["blocks"] as? Int == run.summary.tipHeight + 1)
        #expect(counts["transactions"] as? Int == statistics.transactions)
        #expect((counts["fees"] as? NSNumber)?.int64Value == statistics.fees)
        #expect(verified["p2pkh"] == statistics.inputsByType["p2pkh"] && (verified["p2pkh"] ?? 0) > 0)
        #expect(verified["p2sh"] == statistics.inputsByType["p2sh-multisig"] && (verified["p2sh"] ?? 0) > 0)
        #expect(verified["p2wpkh"] == statistics.inputsByType["p2wpkh"])
        #expect(counts["unverified_p2tr"] as? Int == statistics.inputsByType["p2tr"])
    }

    @Test(.enabled(if: TestbedFixtures.hasBitcoinlib,
                   "needs Debian's python3-bitcoinlib for /usr/bin/python3: apt-get install python3-bitcoinlib"))
    func pythonValidatorRejectsATamperedSignature() throws {
        let run = try TestbedFixtures.run("small.toml", seed: 5)
        var blocks = run.world.chain.blocks
        // The last block with a legacy or P2SH input is mined again with one signature byte flipped, so that the
        // block itself stays well formed (merkle root, proof of work) and only the script check can catch it.
        let height = try #require(blocks.lastIndex { block in
            block.transactions.dropFirst().contains { $0.transaction.inputs.contains { !$0.scriptSig.isEmpty } }
        })
        let original = blocks[height]
        var assembler = BlockAssembler(network: .regtest, previousBlockHash: original.header.previousBlockHash,
                                       height: height, time: original.header.time)
        var tampered = false
        for parsed in original.transactions.dropFirst() {
            var transaction = parsed.transaction
            if !tampered, let index = transaction.inputs.firstIndex(where: { !$0.scriptSig.isEmpty }) {
                transaction.inputs[index].scriptSig[10] ^= 0x01
                tampered = true
            }
            assembler.add(transaction)
        }
        let coinbase = original.transactions[0].transaction.outputs[0]
        blocks = Array(blocks.prefix(height))
            + [assembler.assemble(coinbaseScript: coinbase.scriptPubKey, coinbaseValue: coinbase.value)]
        let directory = try TemporaryDirectory()
        try BlockFileWriter(directory: directory.path, network: .regtest).write(blocks)
        let result = try TestbedFixtures.runProcess(TestbedFixtures.python, [TestbedFixtures.validator, directory.path])
        #expect(result.status == 1)
        #expect(result.error.contains("VerifyScript"), "validator said: \(result.error)")
    }
}
