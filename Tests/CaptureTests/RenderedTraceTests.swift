import Capture
import Foundation
import TestSupport
import Testing
import Traces

/// Traces rendered into packets (`coinsentry synth`'s renderer) must count back exactly through the capture path.
@Suite struct RenderedTraceTests {
    static func roundTrip(_ rows: [IntervalCounters], interval: Double, local: String = "10.0.0.5",
                          remote: String = "203.0.113.7") throws -> [IntervalCounters] {
        let width = Int64((interval * 1_000_000).rounded())
        let start = OfflineReplayTests.start / width * width
        func wire(_ text: String) -> [UInt8] {
            let address = HostAddress(text)!
            return address.isIPv4 ? Array(address.bytes.suffix(4)) : address.bytes
        }
        let renderer = try TraceRenderer(local: wire(local), remote: wire(remote), remotePort: 3333,
                                         intervalMicroseconds: width, startMicroseconds: start)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("synth-\(UUID()).pcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try CaptureFileWriter(path: path, linkType: .ethernet)
        try renderer.render(rows) { writer.write($0.bytes, microseconds: $0.microseconds) }
        try writer.close()
        let network = HostAddress(local)!.isIPv4 ? "\(local)/32" : "\(local)/128"
        let (recorder, statistics, _, _) = try OfflineReplayTests.replay(path, networks: [network], interval: interval)
        #expect(statistics.malformed == 0)
        guard let trace = recorder.traces(interval: interval)[HostAddress(local)!] else { return [] }
        // The recorded series starts at the first interval with traffic; the trace may start with silence.
        let leading = rows.prefix { $0.isZero }.count
        return Array(repeating: .zero, count: leading) + trace.rows
    }

    @Test func oddRowsCountBackExactly() throws {
        let rows = [
            IntervalCounters(bytesReceived: 1_245, bytesSent: 659, packetsReceived: 7, packetsSent: 8),
            .zero,
            IntervalCounters(bytesReceived: 9_000_000, bytesSent: 41, packetsReceived: 1_200, packetsSent: 1),
            IntervalCounters(bytesReceived: 20, bytesSent: 0, packetsReceived: 1, packetsSent: 0),
            IntervalCounters(bytesReceived: 0, bytesSent: 65_535, packetsReceived: 0, packetsSent: 1),
        ]
        #expect(try Self.roundTrip(rows, interval: 0.5) == rows)
        #expect(try Self.roundTrip(rows, interval: 0.05) == rows)
    }

    @Test func ipv6RowsCountBackExactly() throws {
        let rows = [IntervalCounters(bytesReceived: 4_000, bytesSent: 80, packetsReceived: 3, packetsSent: 2)]
        #expect(try Self.roundTrip(rows, interval: 1, local: "fd00::5", remote: "2001:db8::7") == rows)
    }

    @Test func impossibleRowsAreRefusedByRow() throws {
        let renderer = try TraceRenderer(local: [10, 0, 0, 5], remote: [1, 1, 1, 1], remotePort: 1,
                                         intervalMicroseconds: 1_000_000, startMicroseconds: 0)
        #expect(throws: TraceRenderer.RenderError.impossibleRow(row: 2, reason: "5 bytes sent in no packet")) {
            try renderer.validate([.zero, IntervalCounters(bytesSent: 5)])
        }
        #expect(throws: TraceRenderer.RenderError.self) {
            try renderer.validate([IntervalCounters(bytesReceived: 30, packetsReceived: 2)])
        }
    }

    @Test func countersNearTheTopOfTheRangeAreCheckedWithoutOverflow() throws {
        let renderer = try TraceRenderer(local: [10, 0, 0, 5], remote: [1, 1, 1, 1], remotePort: 1,
                                         intervalMicroseconds: 1_000_000, startMicroseconds: 0)
        #expect(throws: TraceRenderer.RenderError.impossibleRow(
            row: 1, reason: "18446744073709551615 bytes received do not fit in 1 packets")) {
            try renderer.validate([IntervalCounters(bytesReceived: .max, packetsReceived: 1)])
        }
        // 2^64 - 1 is a multiple of 65,535: every packet is exactly the largest there is.
        try renderer.validate([IntervalCounters(bytesSent: .max, packetsSent: .max / 65_535)])
        #expect(throws: TraceRenderer.RenderError.self) {
            try renderer.validate([IntervalCounters(bytesSent: .max, packetsSent: .max / 65_535 - 1)])
        }
        #expect(throws: TraceRenderer.RenderError.self) {
            try renderer.validate([IntervalCounters(bytesSent: 65_535 * 3 + 1, packetsSent: 3)])
        }
    }

    @Test(.enabled(if: SharedData.isPresent, Comment(rawValue: SharedData.absentReason)),
          arguments: ["datasets/mining_2t_nicehash.dat", "datasets/netflix.dat", "vpn-datasets/vpn-netflix.dat",
                      "merged-datasets/mining_4t_nicehash_youtube.dat"])
    func realNyptoTracesCountBackExactly(name: String) throws {
        let trace = try TraceFile.read(SharedData.path("nypto/\(name)"), interval: 0.5)
        let rows = Array(trace.rows.prefix(2_400))
        var recovered = try Self.roundTrip(rows, interval: 0.5)
        // Trailing silence after the last packet is not part of any closed interval.
        recovered += Array(repeating: .zero, count: max(0, rows.count - recovered.count))
        #expect(recovered == rows)
    }
}
