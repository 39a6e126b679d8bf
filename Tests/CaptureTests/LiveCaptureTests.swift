import Capture
import Foundation
import TestSupport
import Testing
import Traces

/// libpcap on a real interface: a veth pair in a namespace this test creates, traffic sent with tcpreplay.
@Suite(.serialized) struct LiveCaptureTests {
    static var unavailableReason: String? {
        if let reason = VethPair.unavailableReason { return reason }
        if Shell.which("tcpreplay") == nil { return "skipped: tcpreplay is not installed (apt-get install tcpreplay)" }
        return nil
    }

    static func renderedCapture(_ rows: [IntervalCounters], local: String, remote: String, remotePort: UInt16)
        throws -> String {
        let renderer = try TraceRenderer(local: Array(HostAddress(local)!.bytes.suffix(4)),
                                         remote: Array(HostAddress(remote)!.bytes.suffix(4)), remotePort: remotePort,
                                         intervalMicroseconds: 100_000, startMicroseconds: OfflineReplayTests.start)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("live-\(UUID()).pcap").path
        let writer = try CaptureFileWriter(path: path, linkType: .ethernet)
        try renderer.render(rows) { writer.write($0.bytes, microseconds: $0.microseconds) }
        try writer.close()
        return path
    }

    @Test(.enabled(if: unavailableReason == nil, Comment(rawValue: unavailableReason ?? "")))
    func liveCountsMatchWhatWasSentExactlyWithNoDrops() throws {
        let wire = try VethPair(tag: "a")
        let miner = "10.20.0.5", viewer = "10.20.0.6"
        let minerRows = (UInt64(0)..<40).map { (row: UInt64) -> IntervalCounters in
            IntervalCounters(bytesReceived: 300 + row * 7, bytesSent: 200 + row, packetsReceived: 2,
                             packetsSent: 1 + row % 3)
        }
        let viewerRows = (UInt64(0)..<40).map { (row: UInt64) -> IntervalCounters in
            IntervalCounters(bytesReceived: 20_000 + row * 1_000, bytesSent: 800, packetsReceived: 15, packetsSent: 10)
        }
        let captures = [try Self.renderedCapture(minerRows, local: miner, remote: "203.0.113.7", remotePort: 3333),
                        try Self.renderedCapture(viewerRows, local: viewer, remote: "198.51.100.9", remotePort: 443)]

        var configuration = CaptureConfiguration(source: .interface(wire.outside),
                                                 localNetworks: [try IPNetwork("10.20.0.0/16")])
        configuration.interval = 0.1
        configuration.cpu = 0
        let session = try CaptureSession(configuration)
        try session.start()
        for capture in captures {
            try wire.run(["tcpreplay", "--intf1=\(wire.peer)", "--pps=2000", capture])
        }
        Thread.sleep(forTimeInterval: 0.5)
        session.stop()
        var recorder = HostSeriesRecorder(keepingSeries: false)
        while let batch = session.nextBatch(timeout: 1) { recorder.record(batch) }

        func sum(_ rows: [IntervalCounters]) -> IntervalCounters { rows.reduce(.zero, +) }
        #expect(recorder.totals[HostAddress(miner)!] == sum(minerRows))
        #expect(recorder.totals[HostAddress(viewer)!] == sum(viewerRows))
        let statistics = session.statistics
        #expect(statistics.kernelDropped == 0)
        #expect(statistics.interfaceDropped == 0)
        #expect(statistics.ringDropped == 0)
        #expect(statistics.malformed == 0)
        #expect(statistics.intervalsClosed > 10)
    }

    @Test(.enabled(if: Shell.isRoot, "skipped: needs root to open a live interface"))
    func missingInterfaceIsNamed() throws {
        let configuration = CaptureConfiguration(source: .interface("nosuch0"), localNetworks: [try IPNetwork("10.0.0.0/8")])
        #expect { try CaptureSession(configuration) } throws: { error in
            guard let error = error as? CaptureError else { return false }
            return error.code == .noSuchInterface && error.message.contains("nosuch0")
        }
    }

    @Test(.enabled(if: unavailableReason == nil, Comment(rawValue: unavailableReason ?? "")))
    func pinningToACPUThatDoesNotExistIsRefused() throws {
        let wire = try VethPair(tag: "p")
        var configuration = CaptureConfiguration(source: .interface(wire.outside),
                                                 localNetworks: [try IPNetwork("10.0.0.0/8")])
        configuration.cpu = 4095
        let session = try CaptureSession(configuration)
        #expect { try session.start() } throws: { ($0 as? CaptureError)?.code == .affinity }
    }
}

/// The wall clock stepped by hours, forwards and back, during live capture (through the capture's clock offset, as a
/// stepped clock would move both the interval boundaries and the packets' timestamps): each step is one
/// discontinuity, counted, and no run of thousands of empty intervals follows.
@Suite struct ClockStepTests {
    @Test(.enabled(if: VethPair.unavailableReason == nil, Comment(rawValue: VethPair.unavailableReason ?? "")))
    func aClockSteppedHoursForwardAndBackIsTwoDiscontinuities() throws {
        let wire = try VethPair(tag: "k")
        try Shell.run(["ip", "addr", "add", "10.78.0.1/24", "dev", wire.outside])
        try wire.run(["ip", "addr", "add", "10.78.0.2/24", "dev", wire.peer])
        var configuration = CaptureConfiguration(source: .interface(wire.outside),
                                                 localNetworks: [try IPNetwork("10.78.0.0/24")])
        configuration.interval = 0.1
        let session = try CaptureSession(configuration)
        try session.start()
        var events: [CaptureEvent] = []
        func traffic() throws {
            try wire.run(["bash", "-c", "for i in 1 2 3 4 5; do echo step > /dev/udp/10.78.0.1/9999; sleep 0.05; done"])
            Thread.sleep(forTimeInterval: 0.3)
            while let batch = session.nextBatch(timeout: 0.05), !batch.events.isEmpty { events += batch.events }
        }
        try traffic()
        session.setClockOffset(.seconds(3 * 3600))
        try traffic()
        session.setClockOffset(.zero)
        try traffic()
        session.stop()
        while let batch = session.nextBatch(timeout: 0.5) { events += batch.events }

        let jumps = events.compactMap { event -> (Int64, Int64)? in
            if case .discontinuity(let from, let to) = event { (from, to) } else { nil }
        }
        #expect(session.statistics.discontinuities == 2, "one step forward, one back")
        #expect(jumps.count == 2)
        // Three hours at 0.1 s intervals would be 108,000 intervals: the step is one record, not that many.
        #expect(jumps.first.map { $0.1 - $0.0 } ?? 0 >= 100_000)
        #expect(jumps.last.map { $0.0 - $0.1 } ?? 0 >= 100_000)
        let closed = events.filter { if case .intervalClosed = $0 { true } else { false } }.count
        #expect(closed < 1_000, "no run of empty intervals over the step: \(closed)")
        let hosts = events.compactMap { event -> HostAddress? in
            if case .host(let interval) = event { interval.host } else { nil }
        }
        #expect(hosts.contains(HostAddress("10.78.0.1")!), "traffic counted on both sides of the steps")
    }
}
