import BitcoinData

/// An unspent output a wallet owns.
public struct Coin: Sendable {
    /// Where the output is.
    public var outpoint: OutPoint
    /// Its amount in satoshis.
    public var value: Int64
    /// The script it is locked to, with the keys to spend it.
    public var script: OwnedScript
    /// Height of the block that holds it.
    public var height: Int
    /// Whether it is a coinbase output (spendable only after ``RegtestChain/coinbaseMaturity`` blocks).
    public var isCoinbase: Bool

    /// Creates a coin record.
    public init(outpoint: OutPoint, value: Int64, script: OwnedScript, height: Int, isCoinbase: Bool) {
        self.outpoint = outpoint
        self.value = value
        self.script = script
        self.height = height
        self.isCoinbase = isCoinbase
    }
}

/// Fills in the unlocking scripts and witnesses of a transaction spending ``Coin``s.
public enum TransactionSigner {
    /// Signs every input of `transaction`, whose inputs spend `coins` in order: legacy sighash for P2PKH and P2SH
    /// multisig, BIP-143 for P2WPKH, BIP-341 key path for P2TR.
    public static func sign(_ transaction: inout Transaction, spending coins: [Coin]) throws(Secp256k1Error) {
        precondition(coins.count == transaction.inputs.count, "one coin per input")
        let unsigned = transaction
        let spent = coins.map { SpentOutput(value: $0.value, scriptPubKey: $0.script.scriptPubKey) }
        for (index, coin) in coins.enumerated() {
            let script = coin.script
            switch script.type {
            case .p2pkh:
                let digest = SignatureHash.legacy(unsigned, inputIndex: index, scriptCode: script.scriptPubKey)
                let signature = script.keys[0].signECDSA(digest: digest) + [SignatureHash.all]
                transaction.inputs[index].scriptSig = ScriptBuilder.push(signature)
                    + ScriptBuilder.push(script.publicKey)
            case .p2shMultisig:
                let redeem = script.redeemScript ?? []
                let digest = SignatureHash.legacy(unsigned, inputIndex: index, scriptCode: redeem)
                // OP_CHECKMULTISIG pops one extra item (the historical off-by-one), hence the leading OP_0; the
                // signatures must follow the order of their keys in the redeem script.
                var scriptSig = [Script.Opcode.zero]
                for key in script.keys.prefix(OwnedScript.multisigRequired) {
                    scriptSig += ScriptBuilder.push(key.signECDSA(digest: digest) + [SignatureHash.all])
                }
                transaction.inputs[index].scriptSig = scriptSig + ScriptBuilder.push(redeem)
            case .p2wpkh:
                let scriptCode = ScriptBuilder.p2wpkhScriptCode(keyHash: Hashing.hash160(script.publicKey))
                let digest = SignatureHash.witnessV0(unsigned, inputIndex: index, scriptCode: scriptCode,
                                                     value: coin.value)
                transaction.inputs[index].witness = [script.keys[0].signECDSA(digest: digest) + [SignatureHash.all],
                                                     script.publicKey]
            case .p2tr:
                let digest = SignatureHash.taprootKeyPath(unsigned, inputIndex: index, spent: spent)
                transaction.inputs[index].witness = [try script.keys[0].signSchnorr(message: digest,
                                                                                    tweak: script.tweak)]
            }
        }
    }
}
