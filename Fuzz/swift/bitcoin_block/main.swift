// Blocks and transactions from their wire serialisation: whatever decodes re-serialises to the same bytes, and the
// derived values (ids, commitments, coinbase height, proof of work, output destinations) are computed without a trap.
import BitcoinData
import FuzzSupport
import Glibc

func testOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let block = try? Block(bytes: bytes) {
        precondition(block.serialized == bytes, "a decoded block re-serialises differently")
        precondition(block.size == bytes.count)
        _ = try? block.validateCommitments()
        _ = block.coinbaseHeight
        _ = block.header.hasValidProofOfWork
        _ = block.header.work
        for parsed in block.transactions { check(parsed) }
    }
    if let parsed = try? ParsedTransaction(bytes: bytes) {
        precondition(parsed.transaction.serialized() == bytes, "a decoded transaction re-serialises differently")
        check(parsed)
    }
    return 0
}

func check(_ parsed: ParsedTransaction) {
    let transaction = parsed.transaction
    precondition(parsed.txid == transaction.txid && parsed.wtxid == transaction.wtxid, "ids differ from the bytes'")
    precondition(parsed.size == transaction.size)
    for output in transaction.outputs {
        _ = Script.kind(of: output.scriptPubKey)
        guard let destination = Destination(scriptPubKey: output.scriptPubKey) else { continue }
        precondition(destination.scriptPubKey == output.scriptPubKey, "destination script differs")
        let address = destination.address(on: .mainnet)
        precondition((try? Destination(address: address, network: .mainnet)) == destination, "address round trip")
    }
}

exit(fuzz_support_run(CommandLine.argc, CommandLine.unsafeArgv, testOne))
