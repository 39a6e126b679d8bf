// Addresses as users and the chain sidecar's control requests give them: base58check (P2PKH, P2SH, WIF keys) and
// bech32/bech32m segwit addresses. Whatever decodes re-encodes to an address that decodes to the same destination.
import BitcoinData
import FuzzSupport
import Glibc

func testOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let (destination, network) = try? Destination.decodeAnyNetwork(text) {
        let address = destination.address(on: network)
        precondition((try? Destination(address: address, network: network)) == destination, "address round trip")
        precondition(Destination(scriptPubKey: destination.scriptPubKey) == destination, "script round trip")
        _ = destination.kind
    }
    for network in [BitcoinNetwork.mainnet, .signet] {
        _ = try? Destination(address: text, network: network)
        _ = try? WalletImportFormat(text, network: network)
    }
    if let (hrp, values, variant) = try? Bech32.decode(text) {
        precondition(Bech32.encode(hrp: hrp, data: values, variant: variant) == text.lowercased(), "bech32 round trip")
    }
    if let payload = try? Base58.decodeCheck(text) {
        precondition(Base58.encodeCheck(payload) == text, "base58check round trip")
    }
    return 0
}

exit(fuzz_support_run(CommandLine.argc, CommandLine.unsafeArgv, testOne))
