import Capture
import Foundation
import TestSupport
import Testing
import Traces

/// Per-host counts of the real ordinary captures, checked against tshark's dissection of the same files.
@Suite struct ReferenceCountTests {
    static let localNetworks = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "fe80::/10"]
    static let tshark = ["/usr/bin/tshark", "/usr/local/bin/tshark"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static var captures: [String] {
        let directory = SharedData.path("pcaps/normal")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted().map { "\(directory)/\($0)" }
    }

    /// Totals per local host from tshark's outermost IP header of every frame.
    static func tsharkTotals(_ path: String, tshark: String) throws -> [HostAddress: IntervalCounters] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tshark)
        process.arguments = ["-r", path, "-n", "-T", "fields", "-E", "separator=|", "-e", "ip.src", "-e", "ip.dst",
                             "-e", "ip.len", "-e", "ipv6.src", "-e", "ipv6.dst", "-e", "ipv6.plen"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let networks = try localNetworks.map { try IPNetwork($0) }
        func isLocal(_ address: HostAddress) -> Bool { networks.contains { $0.contains(address) } }
        var totals = [HostAddress: IntervalCounters]()
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.split(separator: ",").first.map(String.init) ?? "" }
            let source: HostAddress?, destination: HostAddress?, length: UInt64?
            // The outermost header is the one tshark lists first; IPv4 wins when a frame has both (6in4 tunnels).
            if !fields[0].isEmpty {
                (source, destination, length) = (HostAddress(fields[0]), HostAddress(fields[1]), UInt64(fields[2]))
            } else if !fields[3].isEmpty {
                (source, destination, length) = (HostAddress(fields[3]), HostAddress(fields[4]), UInt64(fields[5]).map { $0 + 40 })
            } else {
                continue
            }
            guard let source, let destination, let length else { continue }
            if isLocal(source) { totals[source, default: .zero] += IntervalCounters(bytesSent: length, packetsSent: 1) }
            if isLocal(destination) {
                totals[destination, default: .zero] += IntervalCounters(bytesReceived: length, packetsReceived: 1)
            }
        }
        return totals
    }

    @Test(.enabled(if: SharedData.isPresent, Comment(rawValue: SharedData.absentReason)),
          .enabled(if: tshark != nil, "skipped: tshark is not installed (apt-get install tshark)"))
    func realCapturesMatchTsharkPerHost() throws {
        var compared = 0
        for path in Self.captures {
            let (recorder, statistics, endError, _) = try OfflineReplayTests.replay(path, networks: Self.localNetworks)
            #expect(endError == nil, "\(path)")
            let reference = try Self.tsharkTotals(path, tshark: Self.tshark!)
            if statistics.malformed > 0 {
                // tshark still dissects what it can of a malformed frame; compare only clean files exactly.
                continue
            }
            #expect(recorder.totals == reference, "\((path as NSString).lastPathComponent)")
            compared += 1
        }
        #expect(compared >= 40, "compared \(compared) of \(Self.captures.count) captures")
    }
}
