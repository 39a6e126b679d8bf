import Capture
import Foundation
import Testing

/// Flow shapes in the capture thread: requests, replies and pushes of clear-text and TLS flows (records split over
/// segments, several in one segment, lying headers), retransmissions, and the flow table's bound under a flood.
@Suite struct FlowShapeTests {
    static let client = "192.168.1.10", server = "203.0.113.50"
    static let clientPort: UInt16 = 40_000, serverPort: UInt16 = 3333

    /// Builds a TCP conversation with honest sequence numbers: `(seconds, fromClient, payload)` in time order.
    struct Conversation {
        var frames: [(Int64, [UInt8])] = []
        var seq: [Bool: UInt32] = [true: 1_000, false: 9_000]

        mutating func open(at seconds: Double) {
            frames.append((time(seconds), frame(fromClient: true, [], flags: 0x02)))
            seq[true]! += 1
            frames.append((time(seconds + 0.001), frame(fromClient: false, [], flags: 0x12)))
            seq[false]! += 1
        }

        mutating func send(_ seconds: Double, fromClient: Bool, _ payload: [UInt8], repeatIt: Bool = false) {
            frames.append((time(seconds), frame(fromClient: fromClient, payload)))
            if repeatIt { frames.append((time(seconds + 0.2), frame(fromClient: fromClient, payload))) }
            seq[fromClient]! &+= UInt32(payload.count)
        }

        func time(_ seconds: Double) -> Int64 { OfflineReplayTests.start + Int64(seconds * 1_000_000) }

        func frame(fromClient: Bool, _ payload: [UInt8], flags: UInt8 = 0x18) -> [UInt8] {
            let (from, to) = fromClient ? (FlowShapeTests.client, FlowShapeTests.server)
                                        : (FlowShapeTests.server, FlowShapeTests.client)
            let (fromPort, toPort) = fromClient ? (FlowShapeTests.clientPort, FlowShapeTests.serverPort)
                                                : (FlowShapeTests.serverPort, FlowShapeTests.clientPort)
            return Frames.ethernet(Frames.ipv4Packet(from: from, to: to, transportBytes: Frames.tcp(
                sourcePort: fromPort, destinationPort: toPort, bytes: payload, seq: seq[fromClient]!, flags: flags)))
        }
    }

    static func shapes(_ conversation: Conversation, minimumAge: Double = 10,
                       configure: (inout CaptureConfiguration) -> Void = { _ in })
        throws -> ([FlowShape], CaptureStatistics) {
        let path = try OfflineReplayTests.writeCapture(conversation.frames, name: "shape")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = CaptureConfiguration(source: .file(path), localNetworks: [try IPNetwork("192.168.1.0/24")])
        configuration.shapeMinimumAge = minimumAge
        configure(&configuration)
        let session = try CaptureSession(configuration)
        try session.start()
        var shapes = [FlowShape]()
        while let batch = session.nextBatch(timeout: 5) {
            for case .flowShape(let shape) in batch.evidence { shapes.append(shape) }
        }
        return (shapes, session.statistics)
    }

    @Test func aClearTextPoolSessionIsCountedExactly() throws {
        var conversation = Conversation()
        conversation.open(at: 0)
        var events = [(Double, Int)]() // 0 request, 1 push
        for k in 0..<15 { events.append((Double(20 * k + 3), 0)) }
        for k in 0..<10 { events.append((Double(30 * k + 11), 1)) }
        for (time, kind) in events.sorted(by: { $0.0 < $1.0 }) {
            if kind == 0 {
                // One share is retransmitted: it must count once.
                conversation.send(time, fromClient: true, [UInt8](repeating: 0x7b, count: 150), repeatIt: time == 43)
                conversation.send(time + 0.05, fromClient: false, [UInt8](repeating: 0x7b, count: 40))
            } else {
                conversation.send(time, fromClient: false, [UInt8](repeating: 0x7b, count: 300))
            }
        }
        let (shapes, statistics) = try Self.shapes(conversation, minimumAge: 120)
        let last = try #require(shapes.last)
        #expect(shapes.count >= 2) // a live summary once the flow was old enough, then the final one
        #expect(statistics.shapeReports == UInt64(shapes.count))
        #expect(last.host == HostAddress(Self.client)!)
        #expect(last.remoteDescription == "203.0.113.50:3333")
        #expect(last.localIsClient)
        #expect(last.ended)
        #expect((last.requests, last.replies, last.pushes) == (15, 15, 10))
        #expect(abs(last.pushGap.mean - 30) < 1e-3 && last.pushGap.deviation < 1e-3)
        #expect(last.pushSize.mean == 300 && last.pushSize.deviation == 0)
        #expect(last.requestSize.mean == 150 && last.replySize.mean == 40)
        #expect(abs(last.replyDelay.mean - 0.05) < 1e-3)
        #expect(abs(last.age - 283.05) < 0.01)
        #expect(!last.clientSpeaksTLS && !last.serverSpeaksTLS)
        #expect(last.clientBytes == 15 * 150 && last.serverBytes == 15 * 40 + 10 * 300)
    }

    @Test func tlsRecordsAreFollowedAcrossSegmentsAndLyingHeadersSurvived() throws {
        var conversation = Conversation()
        conversation.open(at: 0)
        conversation.send(1, fromClient: true, PoolMessages.record(100))             // request 1
        conversation.send(1.02, fromClient: false, PoolMessages.record(40))          // reply 1
        let push = PoolMessages.record(500)
        conversation.send(10, fromClient: false, Array(push.prefix(3)))              // header split...
        conversation.send(10.01, fromClient: false, Array(push.dropFirst(3).prefix(200)))
        conversation.send(10.02, fromClient: false, Array(push.dropFirst(203)))      // ...body over three: push 1
        conversation.send(20, fromClient: true, PoolMessages.record(100))            // request 2
        conversation.send(20.02, fromClient: false, PoolMessages.record(40) + PoolMessages.record(300)) // reply 2, push 2
        conversation.send(30, fromClient: false, [23, 3, 3, 0xff, 0xff] + [UInt8](repeating: 1, count: 10)) // a lie
        conversation.send(40, fromClient: false, PoolMessages.record(300))           // resynchronised: push 3
        conversation.send(50, fromClient: true, PoolMessages.record(100))            // request 3
        conversation.send(50.02, fromClient: false, PoolMessages.record(40))         // reply 3
        let (shapes, _) = try Self.shapes(conversation)
        let last = try #require(shapes.last)
        #expect((last.requests, last.replies, last.pushes) == (3, 3, 3))
        #expect(last.badRecords == 1)
        #expect(last.clientSpeaksTLS && last.serverSpeaksTLS)
        #expect(abs(last.pushSize.mean - (505.0 + 305 + 305) / 3) < 1e-3)
        #expect(last.replySize.mean == 45 && last.replySize.deviation == 0)
    }

    @Test func theTLSHandshakeIsNotPartOfTheConversation() throws {
        typealias M = PoolMessages
        var conversation = Conversation()
        conversation.open(at: 0)
        conversation.send(0.01, fromClient: true, M.clientHello(sni: "pool.example.test"))
        // TLS 1.3: ServerHello and change-cipher-spec in clear, the rest of the flight in application-data records,
        // spread over two segments.
        conversation.send(0.02, fromClient: false, M.record(90, type: 22) + M.record(1, type: 20) + M.record(800))
        conversation.send(0.021, fromClient: false, M.record(280) + M.record(60))
        conversation.send(0.03, fromClient: true, M.record(1, type: 20) + M.record(60)) // the client's Finished
        conversation.send(0.031, fromClient: true, M.record(82))   // sent before the server spoke again: not counted
        conversation.send(0.04, fromClient: false, M.record(250))  // a session ticket: the server's first message
        conversation.send(5, fromClient: true, M.record(100))      // request 1
        conversation.send(5.02, fromClient: false, M.record(40))   // reply 1
        conversation.send(15, fromClient: true, M.record(100))     // request 2
        conversation.send(15.02, fromClient: false, M.record(40))  // reply 2
        conversation.send(20, fromClient: false, M.record(21, type: 21)) // an alert in clear: not a message
        let (shapes, _) = try Self.shapes(conversation)
        let last = try #require(shapes.last)
        #expect((last.requests, last.replies, last.pushes) == (2, 2, 1))
        #expect(last.requestSize.mean == 105 && last.requestSize.deviation == 0)
        #expect(last.pushSize.mean == 255)
        #expect(last.clientSpeaksTLS && last.serverSpeaksTLS)
        #expect(last.badRecords == 0)
    }

    @Test func requestsOnAClockAndAnsweredPushesAreCounted() throws {
        var conversation = Conversation()
        conversation.open(at: 0)
        let request = [UInt8](repeating: 0x61, count: 20), reply = [UInt8](repeating: 0x62, count: 20)
        // Requests at 10, 20, 30, 40 (gaps 10, 10, 10: two repeats), 47 (gap 7: none), 54 (7: one), 54.5 and 55
        // (gaps under a second are bursts, never ticks), 65 (10 against 0.5: none).
        for time in [10.0, 20, 30, 40, 47, 54, 54.5, 55, 65] {
            conversation.send(time, fromClient: true, request)
            conversation.send(time + 0.1, fromClient: false, reply)
        }
        // Pushes at 70 (answered at 70.4), 80 (the client speaks 2 s later: not an answer), 90 (another push
        // follows before the client: not answered), 91 (answered at 91.9).
        let push = [UInt8](repeating: 0x63, count: 200)
        conversation.send(70, fromClient: false, push)
        conversation.send(70.4, fromClient: true, request)
        conversation.send(80, fromClient: false, push)
        conversation.send(82, fromClient: true, request)
        conversation.send(90, fromClient: false, push)
        conversation.send(91, fromClient: false, push)
        conversation.send(91.9, fromClient: true, request)
        let (shapes, _) = try Self.shapes(conversation)
        let last = try #require(shapes.last)
        #expect((last.requests, last.replies, last.pushes) == (12, 9, 4))
        // Gaps after 65: 5.4 (against 10), 11.6 (5.4), 9.9 (11.6: within 20 %): one more repeat.
        #expect(last.repeatedRequestGaps == 4)
        #expect(last.answeredPushes == 2)
    }

    @Test func aHeaderBeyondTheCapturedBytesIsCountedNotRead() throws {
        var conversation = Conversation()
        conversation.open(at: 0)
        conversation.send(1, fromClient: false, PoolMessages.record(40) + PoolMessages.record(300))
        conversation.send(20, fromClient: false, PoolMessages.record(300))
        // A snap length that cuts the second record's header off (the wire length stays the frame's).
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("snapped-\(UUID()).pcap").path
        let writer = try CaptureFileWriter(path: path, linkType: .ethernet)
        for (time, frame) in conversation.frames {
            writer.write(Array(frame.prefix(14 + 20 + 20 + 47)), microseconds: time, wireLength: frame.count)
        }
        try writer.close()
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = CaptureConfiguration(source: .file(path), localNetworks: [try IPNetwork("192.168.1.0/24")])
        configuration.shapeMinimumAge = 10
        let session = try CaptureSession(configuration)
        try session.start()
        var shapes = [FlowShape]()
        while let batch = session.nextBatch(timeout: 5) {
            for case .flowShape(let shape) in batch.evidence { shapes.append(shape) }
        }
        let last = try #require(shapes.last)
        #expect(last.badRecords == 1)
        #expect(last.pushes == 2) // the first record, then the next segment's after resynchronising
    }

    @Test func aFloodOfShortFlowsStaysWithinTheTableAndIsCounted() throws {
        var frames = [(Int64, [UInt8])]()
        for index in 0..<5_000 {
            let port = UInt16(10_000 + index)
            let syn = Frames.ethernet(Frames.ipv4Packet(from: Self.client, to: Self.server, transportBytes: Frames.tcp(
                sourcePort: port, destinationPort: 443, bytes: [], seq: 1, flags: 0x02)))
            frames.append((OfflineReplayTests.start + Int64(index), syn))
        }
        let path = try OfflineReplayTests.writeCapture(frames, name: "flood")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = CaptureConfiguration(source: .file(path), localNetworks: [try IPNetwork("192.168.1.0/24")])
        configuration.maxFlows = 128
        let session = try CaptureSession(configuration)
        try session.start()
        var shapes = 0
        while let batch = session.nextBatch(timeout: 5) { shapes += batch.evidence.count }
        let statistics = session.statistics
        #expect(statistics.flowsEvicted == 5_000 - 128)
        #expect(statistics.flowsTracked <= 128)
        #expect(shapes == 0) // none lived long enough to be summarised
    }

    @Test func flowsSeenMidStreamTakeFreeSlotsOnlyAndAreCounted() throws {
        var frames = [(Int64, [UInt8])]()
        for index in 0..<1_000 {
            let data = Frames.ethernet(Frames.ipv4Packet(from: Self.client, to: Self.server, transportBytes: Frames.tcp(
                sourcePort: UInt16(10_000 + index), destinationPort: 443, bytes: [1, 2, 3], seq: 1)))
            frames.append((OfflineReplayTests.start + Int64(index), data))
        }
        let path = try OfflineReplayTests.writeCapture(frames, name: "midstream")
        defer { try? FileManager.default.removeItem(atPath: path) }
        var configuration = CaptureConfiguration(source: .file(path), localNetworks: [try IPNetwork("192.168.1.0/24")])
        configuration.maxFlows = 100
        let session = try CaptureSession(configuration)
        try session.start()
        while session.nextBatch(timeout: 5) != nil {}
        #expect(session.statistics.flowsEvicted == 0)
        #expect(session.statistics.flowsNotTracked == 900)
    }

    @Test func withTrackingOffNoShapesAreMade() throws {
        var conversation = Conversation()
        conversation.open(at: 0)
        conversation.send(1, fromClient: true, [UInt8](repeating: 0x61, count: 10))
        conversation.send(200, fromClient: false, [UInt8](repeating: 0x61, count: 10))
        let (shapes, statistics) = try Self.shapes(conversation) { $0.trackFlows = false }
        #expect(shapes.isEmpty)
        #expect(statistics.flowsTracked == 0 && statistics.shapeReports == 0)
        let (tracked, _) = try Self.shapes(conversation)
        #expect(tracked.count == 1)
    }

    /// A young flow is summarised every `shapeYoungReportInterval` until `shapeYoungAge`, then every
    /// `shapeReportInterval`: a verdict on a young flow waits less for its next summary.
    @Test func youngFlowsAreSummarisedMoreOften() throws {
        var conversation = Conversation()
        conversation.open(at: 0)
        for second in stride(from: 1.0, through: 400, by: 2) {
            conversation.send(second, fromClient: true, [UInt8](repeating: 0x7b, count: 100))
            conversation.send(second + 0.05, fromClient: false, [UInt8](repeating: 0x7b, count: 40))
        }
        let (shapes, _) = try Self.shapes(conversation, minimumAge: 20) {
            $0.shapeReportInterval = 60
            $0.shapeYoungReportInterval = 10
            $0.shapeYoungAge = 200
        }
        let live = shapes.filter { !$0.ended }.map(\.age)
        let young = zip(live, live.dropFirst()).filter { $0.1 <= 200 }.map { $0.1 - $0.0 }
        let old = zip(live, live.dropFirst()).filter { $0.0 >= 200 }.map { $0.1 - $0.0 }
        // The sweep visits a flow at least every 8 intervals (8 s here) and a summary's age is its last packet's (one
        // every 2 s), so a gap is the cadence give or take a few seconds.
        #expect(young.count >= 8 && young.allSatisfy { $0 >= 8 && $0 <= 20 }, "young gaps \(young)")
        #expect(old.count >= 2 && old.allSatisfy { $0 >= 58 && $0 <= 70 }, "old gaps \(old)")
        let (defaults, _) = try Self.shapes(conversation, minimumAge: 20) { $0.shapeYoungAge = 0 }
        let gaps = zip(defaults.dropLast(), defaults.dropLast().dropFirst()).map { $0.1.age - $0.0.age }
        #expect(!gaps.isEmpty && gaps.allSatisfy { $0 >= 59 }, "without a young age every gap is a minute: \(gaps)")
    }

    /// Industrial control protocols' framings, each a polling conversation of whole PDUs: TPKT (S7comm), Modbus/TCP's
    /// MBAP header, IEC 60870-5-104's APCI (two APDUs in one reply segment too), HART-IP's header, DNP3 link frames
    /// (a reply of two data blocks), EtherNet/IP encapsulation, Beckhoff ADS over AMS/TCP and OPC UA binary.
    static let controlPolls: [String: (request: [UInt8], reply: [UInt8])] = [
        "s7comm": (tpkt([0x02, 0xF0, 0x80, 0x32, 0x01, 0, 0, 0, 1, 0, 14, 0, 0, 4, 1, 0x12, 10, 0x10, 2, 0, 4, 0, 1,
                         0x84, 0, 0, 0]),
                   tpkt([0x02, 0xF0, 0x80, 0x32, 0x03, 0, 0, 0, 1, 0, 2, 0, 8, 0, 0, 4, 1, 0xFF, 4, 0, 32, 0, 0, 0, 0])),
        "modbus": ([0, 7, 0, 0, 0, 6, 1, 3, 0, 0, 0, 2], [0, 7, 0, 0, 0, 7, 1, 3, 4, 0, 42, 0, 17]),
        "iec104": ([0x68, 0x04, 0x43, 0, 0, 0],
                   [0x68, 0x04, 0x83, 0, 0, 0] + [0x68, 0x0E, 2, 0, 2, 0, 0x0D, 1, 3, 0, 1, 0, 0x10, 0x27, 0, 0]),
        "hart-ip": (hartIP([0x80, 0, 0, 0, 1, 0, 0, 0, 0x82]), hartIP([0x80, 0, 0, 0, 1, 0, 0, 0, 0x82, 0, 0, 0, 9])),
        "dnp3": (dnp3([0xC0, 0xC1, 0x01, 0x3C, 0x02, 0x06]), dnp3([0xC0, 0xC1, 0x81, 0, 0] + [UInt8](repeating: 7, count: 20))),
        "enip": (enip(command: 0x6F, [0, 0, 0, 0, 10, 0, 2, 0, 0, 0, 0, 0, 0xB2, 0, 6, 0, 0x0E, 3, 0x20, 1, 0x24, 1]),
                 enip(command: 0x6F, [0, 0, 0, 0, 10, 0, 2, 0, 0, 0, 0, 0, 0xB2, 0, 8, 0, 0x8E, 0, 0, 0, 1, 2, 3, 4])),
        "ads": (ams([UInt8](repeating: 1, count: 32) + [0, 0, 0, 0, 4, 0, 0, 0]),
                ams([UInt8](repeating: 2, count: 32) + [0, 0, 0, 0, 4, 0, 0, 0, 42, 0, 0, 0])),
        "opcua": (opcua("MSG", [UInt8](repeating: 3, count: 40)), opcua("MSG", [UInt8](repeating: 4, count: 90))),
    ]

    /// A DNP3 link frame around `data` (CRC bytes left zero: the framing is what is checked).
    static func dnp3(_ data: [UInt8]) -> [UInt8] {
        var frame: [UInt8] = [0x05, 0x64, UInt8(5 + data.count), 0xC4, 1, 0, 3, 0, 0, 0]
        for start in stride(from: 0, to: data.count, by: 16) {
            frame += data[start..<min(start + 16, data.count)] + [0, 0]
        }
        return frame
    }

    static func enip(command: UInt16, _ data: [UInt8]) -> [UInt8] {
        let length = UInt16(data.count)
        return [UInt8(command & 0xFF), UInt8(command >> 8), UInt8(length & 0xFF), UInt8(length >> 8), 1, 0, 0, 0]
            + [UInt8](repeating: 0, count: 4) + [UInt8](repeating: 9, count: 8) + [0, 0, 0, 0] + data
    }

    static func ams(_ headerAndData: [UInt8]) -> [UInt8] {
        let length = UInt32(headerAndData.count)
        return [0, 0] + withUnsafeBytes(of: length.littleEndian, Array.init) + headerAndData
    }

    static func opcua(_ type: String, _ body: [UInt8]) -> [UInt8] {
        let size = UInt32(body.count + 8)
        return Array(type.utf8) + [UInt8(ascii: "F")] + withUnsafeBytes(of: size.littleEndian, Array.init) + body
    }

    static func tpkt(_ body: [UInt8]) -> [UInt8] {
        let length = body.count + 4
        return [3, 0, UInt8(length >> 8), UInt8(length & 0xFF)] + body
    }

    static func hartIP(_ body: [UInt8]) -> [UInt8] {
        let length = body.count + 8
        return [1, 0, 3, 0, 0, 1, UInt8(length >> 8), UInt8(length & 0xFF)] + body
    }

    static func poll(_ request: [UInt8], _ reply: [UInt8], every seconds: Double = 2, count: Int = 30) -> Conversation {
        var conversation = Conversation()
        conversation.open(at: 0)
        for index in 0..<count {
            conversation.send(1 + Double(index) * seconds, fromClient: true, request)
            conversation.send(1.05 + Double(index) * seconds, fromClient: false, reply)
        }
        return conversation
    }

    @Test(arguments: ["s7comm", "modbus", "iec104", "hart-ip", "dnp3", "enip", "ads", "opcua"])
    func controlProtocolsAreIdentifiedByTheirFraming(_ protocolName: String) throws {
        let (request, reply) = try #require(Self.controlPolls[protocolName])
        let (shapes, _) = try Self.shapes(Self.poll(request, reply))
        let last = try #require(shapes.last)
        #expect(last.speaksControlProtocol, "\(protocolName): \(last)")
        #expect(last.requests == 30 && last.replies == 30)
    }

    @Test func otherPayloadsOnTheSameRhythmAreNotTakenForAControlProtocol() throws {
        let json = Array((#"{"id":7,"method":"mining.submit","params":["w","1","2","3","4"]}"# + "\n").utf8)
        let (clear, _) = try Self.shapes(Self.poll(json, Array((#"{"id":7,"result":true}"# + "\n").utf8)))
        #expect(try #require(clear.last).speaksControlProtocol == false)
        // A TPKT-like start whose length does not match the segment, and MBAP-like zeros with a wrong length.
        let (lying, _) = try Self.shapes(Self.poll([3, 0, 0, 40] + [UInt8](repeating: 7, count: 20),
                                                    [0, 1, 0, 0, 0, 9, 1, 3, 0]))
        #expect(try #require(lying.last).speaksControlProtocol == false)
        // Framed segments must be nine in ten: a conversation whose replies are not framed is not identified.
        let (half, _) = try Self.shapes(Self.poll(Self.controlPolls["modbus"]!.request, Array("OK\r\n".utf8)))
        #expect(try #require(half.last).speaksControlProtocol == false)
        // TLS records are never taken for a control protocol's PDUs.
        let (tls, _) = try Self.shapes(Self.poll(PoolMessages.record(60), PoolMessages.record(40)))
        #expect(try #require(tls.last).speaksControlProtocol == false)
    }
}
