// The queue consumer of Benchmarks/inline/bench.sh: binds a netfilter queue through the capture engine, with the
// given policy, until stdin closes; then prints its verdict and capture counters as one JSON line.
//   coinsentry-bench-inline QUEUE monitor|block LOCAL_CIDR
import Capture
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 4, let queue = UInt16(arguments[1]), let policy = InlinePolicy(rawValue: arguments[2]) else {
    FileHandle.standardError.write(Data("usage: coinsentry-bench-inline QUEUE monitor|block LOCAL_CIDR\n".utf8))
    exit(2)
}
do {
    var configuration = CaptureConfiguration(source: .queue(queue), localNetworks: [try IPNetwork(arguments[3])])
    configuration.queueMaxLength = 8192
    let session = try CaptureSession(configuration)
    try session.setPolicy(policy)
    // A realistic table: a few hundred blocked hosts, none of them the benchmark's, so every packet is looked up.
    var rules = InlineRules()
    for index in 0..<256 {
        rules.block(HostAddress("10.250.\(index).9")!, index % 2 == 0 ? .allTraffic
                    : .remotes([BlockedRemote(address: HostAddress("203.0.113.\(index % 200)")!, port: 3333)]))
    }
    try session.setRules(rules)
    try session.start()
    let drainer = Thread {
        while session.nextBatch(timeout: 0.5) != nil {}
    }
    drainer.start()
    FileHandle.standardOutput.write(Data("ready\n".utf8))
    _ = FileHandle.standardInput.readDataToEndOfFile()
    session.stop()
    let verdicts = session.verdictStatistics, statistics = session.statistics
    FileHandle.standardOutput.write(Data(("{\"accepted\": \(verdicts.accepted), \"dropped\": \(verdicts.dropped), "
          + "\"receive_errors\": \(verdicts.receiveErrors), \"packets\": \(statistics.packets)}\n").utf8))
} catch {
    FileHandle.standardError.write(Data("coinsentry-bench-inline: \(error)\n".utf8))
    exit(1)
}
