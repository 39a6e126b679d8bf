// Configuration files as the three daemons read them: the same TOML text parsed as the sensor's (coinsentry.toml),
// the chain sidecar's (chain.toml) and the web console's (web.toml) configuration. Each either parses or throws an
// error that names the file; nothing traps, whatever the types, sizes or nesting of the values.
import Appliance
import ChainSidecar
import FuzzSupport
import Glibc
import Web

/// Parses `text` with `parse`, which must either succeed or throw an error naming `file`.
func check(_ file: String, _ parse: () throws -> Void) {
    do {
        try parse()
    } catch {
        precondition("\(error)".contains(file), "an error that does not name \(file): \(error)")
    }
}

func testOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    check("coinsentry.toml") { _ = try SensorConfiguration.parse(text, file: "coinsentry.toml") }
    check("chain.toml") { _ = try ChainSidecarConfiguration(toml: text, source: "chain.toml") }
    check("web.toml") { _ = try WebSettings(toml: text, source: "web.toml") }
    return 0
}

exit(fuzz_support_run(CommandLine.argc, CommandLine.unsafeArgv, testOne))
