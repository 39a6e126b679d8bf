import ArgumentParser
import Capture
import Foundation
import Traces

/// `coinsentry replay`: a capture file through the sensor's own capture path.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a pcap or pcapng file through the capture path and print per-host counts.",
        discussion: """
            Packets are parsed and attributed exactly as on a live interface: local → remote is sent, remote → local \
            is received, local ↔ local counts for both hosts, remote ↔ remote is ignored. Bytes are IP lengths, so a \
            short snap length does not change them. Intervals close on packet timestamps; a jump larger than \
            --max-gap (a merged capture) joins the series end to end.

            Examples:
              coinsentry replay office.pcap --local-net 10.1.0.0/16 --local-net 2001:db8:1::/48
              coinsentry replay office.pcap --local-net 10.1.0.0/16 --json | jq '.hosts[0]'
              coinsentry replay office.pcap --local-net 10.1.0.0/16 --trace-dir traces/
            """
    )

    @Argument(help: "The capture file (pcap or pcapng).")
    var file: String

    @Option(name: .customLong("local-net"), help: "A local network in CIDR notation; repeat for several.")
    var localNetworks: [String] = []

    @Option(help: "Interval width in seconds.")
    var interval: Double = 1

    @Option(help: "A BPF filter applied before counting, e.g. 'tcp'.")
    var filter: String?

    @Option(name: .customLong("max-gap"), help: "Seconds of silence after which time counts as a discontinuity.")
    var maxGap: Double = 3600

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(name: .customLong("trace-dir"), help: "Write each host's interval series as a trace file here.")
    var traceDirectory: String?

    func validate() throws {
        guard !localNetworks.isEmpty else {
            throw ValidationError("name the local networks with --local-net CIDR (e.g. --local-net 10.0.0.0/8)")
        }
        guard interval > 0, interval.isFinite else { throw ValidationError("--interval must be a positive number") }
        guard maxGap > 0, maxGap.isFinite else { throw ValidationError("--max-gap must be a positive number") }
    }

    func run() throws {
        var configuration = CaptureConfiguration(
            source: .file(file), localNetworks: try localNetworks.map { try IPNetwork($0) })
        configuration.interval = interval
        configuration.filter = filter
        configuration.maxGap = maxGap
        configuration.maxHosts = 1 << 16
        configuration.hostIdleTimeout = maxGap
        let result = try Replay.run(configuration, keepingSeries: traceDirectory != nil,
                                    progress: ProgressLine(label: "replay"))
        if let traceDirectory { try writeTraces(result.recorder, to: traceDirectory) }
        if json {
            print(try Replay.json(result))
        } else {
            print(Replay.table(result))
        }
        if let warning = result.endError {
            FileHandle.standardError.write(Data("coinsentry: warning: \(warning.message); counts cover the packets before it\n".utf8))
        }
    }

    private func writeTraces(_ recorder: HostSeriesRecorder, to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (host, trace) in recorder.traces(interval: interval) {
            try TraceFile.write(trace, to: "\(directory)/\(host).dat")
        }
    }
}

/// Running a capture file to its end and presenting the counts.
enum Replay {
    struct Result {
        var recorder: HostSeriesRecorder
        var statistics: CaptureStatistics
        var endError: CaptureError?
    }

    static func run(_ configuration: CaptureConfiguration, keepingSeries: Bool, progress: ProgressLine?) throws -> Result {
        let session = try CaptureSession(configuration)
        try session.start()
        var recorder = HostSeriesRecorder(keepingSeries: keepingSeries)
        while let batch = session.nextBatch(timeout: 1) {
            for event in batch { recorder.record(event) }
            progress?.update("\(session.statistics.packets) packets")
        }
        progress?.finish()
        return Result(recorder: recorder, statistics: session.statistics, endError: session.endError)
    }

    struct HostReport: Encodable {
        var host: String
        var bytesReceived: UInt64
        var bytesSent: UInt64
        var packetsReceived: UInt64
        var packetsSent: UInt64

        enum CodingKeys: String, CodingKey {
            case host, bytesReceived = "bytes_received", bytesSent = "bytes_sent"
            case packetsReceived = "packets_received", packetsSent = "packets_sent"
        }
    }

    struct Report: Encodable {
        var packets: UInt64
        var ignored: UInt64
        var malformed: UInt64
        var hosts: [HostReport]
        var warnings: [String]
        var statistics: CaptureStatistics
    }

    static func hosts(_ result: Result) -> [HostReport] {
        result.recorder.totals
            .sorted { ($0.value.bytesReceived + $0.value.bytesSent, $1.key) > ($1.value.bytesReceived + $1.value.bytesSent, $0.key) }
            .map { HostReport(host: $0.key.description, bytesReceived: $0.value.bytesReceived, bytesSent: $0.value.bytesSent,
                              packetsReceived: $0.value.packetsReceived, packetsSent: $0.value.packetsSent) }
    }

    static func json(_ result: Result) throws -> String {
        let report = Report(packets: result.statistics.packets, ignored: result.statistics.ignored,
                            malformed: result.statistics.malformed, hosts: hosts(result),
                            warnings: result.endError.map { [$0.message] } ?? [], statistics: result.statistics)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(report), as: UTF8.self)
    }

    static func table(_ result: Result) -> String {
        let statistics = result.statistics
        var lines = ["\(statistics.packets) packets: \(statistics.ignored) ignored (\(statistics.notIP) not IP, "
                     + "\(statistics.notLocal) remote ↔ remote), \(statistics.malformed) malformed, "
                     + "\(statistics.discontinuities) time discontinuities"
                     + (statistics.kernelReceived > 0 ? "; kernel dropped \(statistics.kernelDropped), interface "
                        + "dropped \(statistics.interfaceDropped), ring dropped \(statistics.ringDropped)" : "")]
        let rows = hosts(result).map { [$0.host, "\($0.bytesReceived)", "\($0.bytesSent)", "\($0.packetsReceived)",
                                        "\($0.packetsSent)"] }
        lines.append(TextTable.render(header: ["HOST", "BYTES RX", "BYTES TX", "PKTS RX", "PKTS TX"], rows: rows))
        return lines.joined(separator: "\n")
    }
}
