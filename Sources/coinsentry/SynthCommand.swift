import ArgumentParser
import Capture
import Foundation
import Traces

/// `coinsentry synth`: a trace rendered into a pcap of TCP packets with the same per-interval counts.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Render a trace into a pcap whose per-interval IP bytes and packets equal the trace's.",
        discussion: """
            The trace's rows become consecutive intervals of --interval seconds: one TCP connection between --local \
            and --remote, packets spread evenly inside each interval. Give a shorter --interval than the trace's own \
            to compress time for a test (replaying the file at normal speed then keeps per-interval counts equal).

            Example: 10 minutes of a real CPU miner at the trace's own 0.5 s rows
              coinsentry synth ../shared/data/nypto/datasets/mining_2t_nicehash.dat --interval 0.5 \\
                --local 10.0.0.5 --remote 203.0.113.7:3333 --rows 1200 -o miner.pcap
            """
    )

    @Argument(help: "The trace file (Nypto text format).")
    var trace: String

    @Option(help: "Seconds between the starts of consecutive rows in the output.")
    var interval: Double

    @Option(help: "The local host's address (IPv4 or IPv6).")
    var local: String

    @Option(help: "The remote endpoint as IP:PORT ([IPv6]:PORT for IPv6).")
    var remote: String

    @Option(name: .customLong("local-port"), help: "The local TCP port.")
    var localPort: UInt16 = 40_000

    @Option(help: "Start time of the first row, seconds since 1970 (rounded down to the interval).")
    var start: Double = 1_700_000_000

    @Option(help: "Render only the first N rows.")
    var rows: Int?

    @Option(name: .customLong("skip-rows"), help: "Skip this many rows first.")
    var skipRows: Int = 0

    @Option(name: .shortAndLong, help: "The pcap file to write.")
    var output: String

    func validate() throws {
        guard interval > 0, interval.isFinite else { throw ValidationError("--interval must be a positive number") }
        guard rows.map({ $0 > 0 }) ?? true, skipRows >= 0 else {
            throw ValidationError("--rows must be positive and --skip-rows not negative")
        }
    }

    func run() throws {
        guard let localAddress = HostAddress(local) else { throw ValidationError("--local '\(local)' is not an IP address") }
        let (remoteAddress, remotePort) = try Self.endpoint(remote)
        let loaded = try TraceFile.read(trace, interval: interval)
        let selected = Array(loaded.rows.dropFirst(skipRows).prefix(rows ?? Int.max))
        let width = Int64((interval * 1_000_000).rounded())
        let startMicroseconds = Int64(start * 1_000_000) / width * width
        func wire(_ address: HostAddress) -> [UInt8] { address.isIPv4 ? Array(address.bytes.suffix(4)) : address.bytes }
        let renderer = try TraceRenderer(local: wire(localAddress), remote: wire(remoteAddress), localPort: localPort,
                                         remotePort: remotePort, intervalMicroseconds: width,
                                         startMicroseconds: startMicroseconds)
        try renderer.validate(selected)
        let writer = try CaptureFileWriter(path: output, linkType: .ethernet)
        var frames = 0
        let progress = ProgressLine(label: "synth")
        try renderer.render(selected) { frame in
            writer.write(frame.bytes, microseconds: frame.microseconds)
            frames += 1
            if frames % 100_000 == 0 { progress.update("\(frames) packets") }
        }
        try writer.close()
        progress.finish()
        FileHandle.standardError.write(Data("wrote \(frames) packets in \(selected.count) intervals to \(output)\n".utf8))
    }

    /// Parses `IP:PORT` or `[IPv6]:PORT`.
    static func endpoint(_ text: String) throws -> (HostAddress, UInt16) {
        let host: Substring
        let port: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            port = text[close...].dropFirst(2)
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        } else {
            throw ValidationError("--remote '\(text)' needs a port: IP:PORT or [IPv6]:PORT")
        }
        guard let address = HostAddress(String(host)), let number = UInt16(port) else {
            throw ValidationError("--remote '\(text)' is not IP:PORT or [IPv6]:PORT")
        }
        return (address, number)
    }
}
