import Capture
import Foundation
import Testing
import Traces

/// Capture files written in the test run, replayed through exactly the capture thread's path.
@Suite struct OfflineReplayTests {
    static let start: Int64 = 1_700_000_000_000_000

    /// A temporary pcap made of `(microseconds, frame)` pairs.
    static func writeCapture(_ frames: [(Int64, [UInt8])], linkType: LinkType = .ethernet,
                             name: String = "replay") throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID()).pcap").path
        let writer = try CaptureFileWriter(path: path, linkType: linkType)
        for (time, frame) in frames { writer.write(frame, microseconds: time) }
        try writer.close()
        return path
    }

    static func replay(_ path: String, networks: [String] = ["192.168.1.0/24", "fd00::/8"], interval: Double = 1,
                       configure: (inout CaptureConfiguration) -> Void = { _ in })
        throws -> (HostSeriesRecorder, CaptureStatistics, CaptureError?, [CaptureEvent]) {
        var configuration = CaptureConfiguration(source: .file(path), localNetworks: try networks.map { try IPNetwork($0) })
        configuration.interval = interval
        configure(&configuration)
        let session = try CaptureSession(configuration)
        try session.start()
        var recorder = HostSeriesRecorder(keepingSeries: true)
        var events = [CaptureEvent]()
        while let batch = session.nextBatch(timeout: 5) {
            events += batch.events
            recorder.record(batch)
        }
        return (recorder, session.statistics, session.endError, events)
    }

    static func tcpFrame(from source: String, to destination: String, payload: Int, sport: UInt16 = 50_000,
                         dport: UInt16 = 443) -> [UInt8] {
        Frames.ethernet(Frames.ipv4Packet(from: source, to: destination,
                                          transportBytes: Frames.tcp(sourcePort: sport, destinationPort: dport,
                                                                     payload: payload)))
    }

    @Test func countsEachDirectionPerHostExactly() throws {
        let a = "192.168.1.10", b = "192.168.1.20", remote = "203.0.113.7", other = "198.51.100.1"
        var frames = [(Int64, [UInt8])]()
        for second in 0..<5 {
            let t = Self.start + Int64(second) * 1_000_000
            frames.append((t + 1_000, Self.tcpFrame(from: a, to: remote, payload: 60)))       // a sends 100
            frames.append((t + 2_000, Self.tcpFrame(from: remote, to: a, payload: 1_160, sport: 443, dport: 50_000)))    // a receives 1200
            frames.append((t + 3_000, Self.tcpFrame(from: a, to: b, payload: 10)))            // a→b: 50
            frames.append((t + 4_000, Self.tcpFrame(from: remote, to: other, payload: 5)))    // ignored
            frames.append((t + 5_000, Frames.ethernet([UInt8](repeating: 0, count: 28), etherType: 0x0806)))
        }
        let (recorder, statistics, endError, _) = try Self.replay(try Self.writeCapture(frames))
        #expect(endError == nil)
        #expect(statistics.packets == 25)
        #expect(statistics.notLocal == 5)
        #expect(statistics.notIP == 5)
        #expect(statistics.ignored == 10)
        #expect(statistics.malformed == 0)
        #expect(statistics.localToLocal == 5)
        #expect(recorder.totals[HostAddress(a)!] == IntervalCounters(bytesReceived: 6_000, bytesSent: 750,
                                                                      packetsReceived: 5, packetsSent: 10))
        #expect(recorder.totals[HostAddress(b)!] == IntervalCounters(bytesReceived: 250, packetsReceived: 5))
        #expect(recorder.totals.count == 2)
        let series = recorder.traces(interval: 1)[HostAddress(a)!]!.rows
        #expect(series == Array(repeating: IntervalCounters(bytesReceived: 1_200, bytesSent: 150, packetsReceived: 1,
                                                            packetsSent: 2), count: 5))
        let busiest = recorder.busiestRemotes[HostAddress(a)!]!
        #expect(busiest.first?.description == "203.0.113.7:443")
        #expect(busiest.first?.bytes == 6_500)
    }

    @Test func silenceBecomesZeroRowsAndIntervalsCloseInOrder() throws {
        let host = "192.168.1.10"
        let frames = [0, 1, 7].map { (Self.start + Int64($0) * 500_000 + 10, Self.tcpFrame(from: host, to: "8.8.8.8", payload: 0)) }
        let (recorder, _, _, events) = try Self.replay(try Self.writeCapture(frames), interval: 0.5)
        let rows = recorder.traces(interval: 0.5)[HostAddress(host)!]!.rows
        #expect(rows.map(\.packetsSent) == [1, 1, 0, 0, 0, 0, 0, 1])
        var closed = [Int64]()
        for case .intervalClosed(let index) in events { closed.append(index) }
        let first = Self.start / 500_000
        #expect(closed == (0...7).map { first + Int64($0) })
    }

    @Test func ipv6HostsAreTrackedAndRemoteLinkLocalIsIgnored() throws {
        let local = Frames.ipv6([0xfd00, 0, 0, 0, 0, 0, 0, 5])
        let remote = Frames.ipv6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 9])
        let frame = Frames.ethernet(Frames.ipv6Packet(from: local, to: remote,
                                                      transportBytes: Frames.tcp(sourcePort: 1, destinationPort: 2, payload: 40)),
                                    etherType: 0x86dd)
        let (recorder, statistics, _, _) = try Self.replay(try Self.writeCapture([(Self.start, frame)]))
        #expect(statistics.packets == 1)
        #expect(recorder.totals[HostAddress("fd00::5")!] == IntervalCounters(bytesSent: 100, packetsSent: 1))
    }

    @Test func timestampJumpOfYearsIsADiscontinuityNotMillionsOfIntervals() throws {
        let host = "192.168.1.10"
        let years: Int64 = 3 * 365 * 86_400 * 1_000_000
        let times = [Self.start, Self.start + 1_000_000, Self.start + years, Self.start + years + 1_000_000,
                     Self.start + 2_000_000]
        let frames = times.map { ($0, Self.tcpFrame(from: host, to: "8.8.8.8", payload: 0)) }
        let (recorder, statistics, _, events) = try Self.replay(try Self.writeCapture(frames))
        #expect(statistics.discontinuities == 2)
        #expect(statistics.intervalsClosed < 10)
        #expect(recorder.totals[HostAddress(host)!]?.packetsSent == 5)
        #expect(recorder.traces(interval: 1)[HostAddress(host)!]!.rows.map(\.packetsSent) == [1, 1, 1, 1, 1])
        #expect(events.contains { if case .discontinuity = $0 { true } else { false } })
    }

    @Test func smallBackwardStepsCountIntoTheCurrentInterval() throws {
        let host = "192.168.1.10"
        let times = [Self.start, Self.start + 2_000_000, Self.start + 1_500_000, Self.start + 2_100_000]
        let frames = times.map { ($0, Self.tcpFrame(from: host, to: "8.8.8.8", payload: 0)) }
        let (recorder, statistics, _, _) = try Self.replay(try Self.writeCapture(frames))
        #expect(statistics.timeBackwards == 1)
        #expect(statistics.discontinuities == 0)
        #expect(recorder.traces(interval: 1)[HostAddress(host)!]!.rows.map(\.packetsSent) == [1, 0, 3])
    }

    /// A consumer slower than the capture thread finds it finished with records still in the ring. Here the capture
    /// ends with 8,200 flow summaries and the interval's close: a whole batch of them is evidence alone (no interval
    /// event), and the records after it must still come.
    @Test func aSlowConsumerGetsEveryRecordAfterTheCaptureFinished() throws {
        let host = "192.168.1.10", flows = 8_200
        var frames = [(Int64, [UInt8])]()
        for flow in 0..<flows {
            let port = UInt16(20_000 + flow)
            frames.append((Self.start + Int64(flow), Self.tcpFrame(from: host, to: "203.0.113.9", payload: 20, sport: port)))
        }
        for flow in 0..<flows {
            let port = UInt16(20_000 + flow)
            frames.append((Self.start + 1_500_000 + Int64(flow),
                           Self.tcpFrame(from: "203.0.113.9", to: host, payload: 30, sport: 443, dport: port)))
        }
        var configuration = CaptureConfiguration(source: .file(try Self.writeCapture(frames)),
                                                 localNetworks: [try IPNetwork("192.168.1.0/24")])
        configuration.maxFlows = 16_384
        configuration.shapeMinimumAge = 1
        let session = try CaptureSession(configuration)
        try session.start()
        var closed = 0, evidence = 0
        while true {
            Thread.sleep(forTimeInterval: 0.05)
            guard let batch = session.nextBatch(timeout: 5) else { break }
            closed += batch.events.filter { if case .intervalClosed = $0 { true } else { false } }.count
            evidence += batch.evidence.count
        }
        #expect(session.statistics.shapeReports == UInt64(flows))
        #expect(evidence == flows)
        #expect(closed == Int(session.statistics.intervalsClosed))
    }

    @Test func malformedPacketsAreCountedAndNothingElseIsLost() throws {
        let host = "192.168.1.10"
        let liar = Frames.ethernet(Frames.ipv4Packet(from: host, to: "8.8.8.8", transportBytes: Frames.tcp(
            sourcePort: 1, destinationPort: 2, payload: 10), totalLength: 9_000))
        let frames: [(Int64, [UInt8])] = [
            (Self.start, liar),
            (Self.start + 1, [0x01, 0x02]),
            (Self.start + 2, Self.tcpFrame(from: host, to: "8.8.8.8", payload: 0)),
        ]
        let (recorder, statistics, _, _) = try Self.replay(try Self.writeCapture(frames))
        #expect(statistics.malformed == 2)
        #expect(recorder.totals[HostAddress(host)!]?.packetsSent == 1)
    }

    @Test func truncatedFileKeepsEverythingBeforeTheCut() throws {
        let host = "192.168.1.10"
        let frames = (0..<10).map { (Self.start + Int64($0) * 100_000, Self.tcpFrame(from: host, to: "8.8.8.8", payload: 100)) }
        let path = try Self.writeCapture(frames)
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        let size = try handle.seekToEnd()
        try handle.truncate(atOffset: size - 50)
        try handle.close()
        let (recorder, _, endError, _) = try Self.replay(path)
        #expect(endError?.code == .truncatedFile)
        #expect(recorder.totals[HostAddress(host)!]?.packetsSent == 9)
    }

    @Test func garbageIsNotACaptureFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("garbage-\(UUID()).pcap").path
        try Data("this is not a capture file at all, just text\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect { try Self.replay(path) } throws: { ($0 as? CaptureError)?.code == .notCaptureFile }
        #expect { try Self.replay("/nonexistent.pcap") } throws: { ($0 as? CaptureError)?.code == .io }
    }

    @Test func unsupportedLinkTypeIsRefusedByName() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wifi-\(UUID()).pcap").path
        // A pcap header for DLT_IEEE802_11 (105), written by hand since the writer only offers supported types.
        let header: [UInt8] = [0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 105, 0, 0, 0]
        try Data(header).write(to: URL(fileURLWithPath: path))
        #expect { try Self.replay(path) } throws: { error in
            guard let error = error as? CaptureError else { return false }
            return error.code == .unsupportedLinkType && error.message.contains("IEEE802_11")
        }
    }

    @Test func everySupportedLinkTypeReplays() throws {
        let ip = Frames.ipv4Packet(from: "192.168.1.10", to: "8.8.8.8",
                                   transportBytes: Frames.tcp(sourcePort: 1, destinationPort: 2, payload: 60))
        let cases: [(LinkType, [UInt8])] = [(.ethernet, Frames.ethernet(ip)), (.linuxCooked, Frames.linuxCooked(ip)),
                                            (.linuxCookedV2, Frames.linuxCookedV2(ip)), (.rawIP, ip), (.ipv4, ip),
                                            (.bsdLoopback, Frames.bsdLoopback(ip))]
        for (linkType, frame) in cases {
            let (recorder, _, _, _) = try Self.replay(try Self.writeCapture([(Self.start, frame)], linkType: linkType))
            #expect(recorder.totals[HostAddress("192.168.1.10")!]?.bytesSent == 100, "\(linkType)")
        }
    }

    @Test func fullHostTableCountsTheOverflowAndIdleHostsExpire() throws {
        var frames = [(Int64, [UInt8])]()
        for host in 1...4 { frames.append((Self.start, Self.tcpFrame(from: "192.168.1.\(host)", to: "8.8.8.8", payload: 0))) }
        for second in 1...5 {
            frames.append((Self.start + Int64(second) * 1_000_000, Self.tcpFrame(from: "192.168.1.1", to: "8.8.8.8", payload: 0)))
        }
        frames.append((Self.start + 6_000_000, Self.tcpFrame(from: "192.168.1.3", to: "8.8.8.8", payload: 0)))
        let (recorder, statistics, _, _) = try Self.replay(try Self.writeCapture(frames)) {
            $0.maxHosts = 2
            $0.hostIdleTimeout = 2
        }
        #expect(statistics.hostTableFull == 2)
        #expect(statistics.hostsExpired == 1)
        #expect(recorder.totals.count == 3)
        #expect(recorder.totals[HostAddress("192.168.1.3")!]?.packetsSent == 1)
    }

    /// Thousands of hosts grow the host index many times; half of them expire and come back, so entries move in the
    /// dense table while others stay active. Every host's count must still be exact.
    @Test func thousandsOfHostsComingAndGoingAreCountedExactly() throws {
        let hosts = 3_000
        func address(_ host: Int) -> String { "10.0.\(host / 250).\(host % 250 + 1)" }
        var frames = [(Int64, [UInt8])]()
        var expected = [HostAddress: IntervalCounters]()
        for second in [0, 1, 2, 3, 5] {
            for host in 0..<hosts where second == 0 || second == 5 || host % 2 == 0 {
                let payload = host % 50
                frames.append((Self.start + Int64(second) * 1_000_000 + Int64(host),
                               Self.tcpFrame(from: address(host), to: "203.0.113.9", payload: payload)))
                expected[HostAddress(address(host))!, default: .zero] += IntervalCounters(bytesSent: UInt64(40 + payload),
                                                                                      packetsSent: 1)
            }
        }
        let (recorder, statistics, endError, _) = try Self.replay(try Self.writeCapture(frames),
                                                                  networks: ["10.0.0.0/16"]) {
            $0.hostIdleTimeout = 2
        }
        #expect(endError == nil)
        #expect(statistics.hostTableFull == 0)
        // The odd hosts, silent in intervals 1 and 2, expire when interval 2 closes and come back in interval 5.
        #expect(statistics.hostsExpired == UInt64(hosts / 2))
        #expect(recorder.totals == expected)
    }

    @Test func bpfFilterAppliesAndABadOneIsExplained() throws {
        let frames = [(Self.start, Self.tcpFrame(from: "192.168.1.10", to: "8.8.8.8", payload: 0, dport: 443)),
                      (Self.start + 1, Self.tcpFrame(from: "192.168.1.10", to: "8.8.8.8", payload: 0, dport: 3333))]
        let path = try Self.writeCapture(frames)
        let (recorder, _, _, _) = try Self.replay(path) { $0.filter = "tcp port 3333" }
        #expect(recorder.totals[HostAddress("192.168.1.10")!]?.packetsSent == 1)
        #expect { try Self.replay(path) { $0.filter = "tcp prot 3333" } } throws: { error in
            (error as? CaptureError)?.code == .badFilter
        }
    }

    @Test func networksParseAndRefuseNonsense() throws {
        #expect(try IPNetwork("10.1.2.3/8").description == "10.0.0.0/8")
        #expect(try IPNetwork("2001:db8::1/32").contains(HostAddress("2001:db8:ffff::1")!))
        #expect(try !IPNetwork("192.168.1.0/24").contains(HostAddress("192.168.2.1")!))
        #expect(try IPNetwork("192.168.1.7").contains(HostAddress("192.168.1.7")!))
        for bad in ["10.0.0.0/33", "nonsense", "10.0.0.0/8/8", "::1/129", "10.0.0.0/-1"] {
            #expect(throws: CaptureError.self) { try IPNetwork(bad) }
        }
        #expect(HostAddress("2001:db8::1")?.description == "2001:db8::1")
        #expect(HostAddress("300.1.1.1") == nil)
    }
}
