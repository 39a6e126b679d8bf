import Capture
import Foundation
import TestSupport
import Testing
import Traces

/// Inline mode on a real netfilter queue: a namespace sends UDP over a veth pair into this namespace, where an
/// iptables NFQUEUE rule (with --queue-bypass) on that interface only hands the packets to the capture engine.
@Suite(.serialized) struct InlineQueueTests {
    static var unavailableReason: String? {
        if let reason = VethPair.unavailableReason { return reason }
        if Shell.which("iptables") == nil { return "skipped: iptables is not installed (apt-get install iptables)" }
        if Shell.which("python3") == nil { return "skipped: python3 is needed to send and receive test traffic" }
        return nil
    }

    static let outsideAddress = "10.77.0.1", first = "10.77.0.2", second = "10.77.0.3"

    /// The wire plus the queue rule, removed again when released.
    final class QueuedWire {
        let wire: VethPair
        let queue: UInt16
        private let rule: [String]

        init(tag: String, queue: UInt16) throws {
            wire = try VethPair(tag: tag, mtu: 1500)
            self.queue = queue
            try Shell.run(["ip", "addr", "add", "\(InlineQueueTests.outsideAddress)/24", "dev", wire.outside])
            try wire.run(["ip", "addr", "add", "\(InlineQueueTests.first)/24", "dev", wire.peer])
            try wire.run(["ip", "addr", "add", "\(InlineQueueTests.second)/24", "dev", wire.peer])
            rule = ["INPUT", "-i", wire.outside, "-p", "udp", "-j", "NFQUEUE", "--queue-num", String(queue),
                    "--queue-bypass"]
            try Shell.run(["iptables", "-I"] + rule)
        }

        /// Sends `count` datagrams from `source` to the outside address's `port`, 2 ms apart.
        func send(from source: String, port: Int, count: Int) throws {
            let script = """
                import socket, time
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("\(source)", 0))
                for i in range(\(count)):
                    s.sendto(b"x" * 100, ("\(InlineQueueTests.outsideAddress)", \(port))); time.sleep(0.002)
                """
            try wire.run(["python3", "-c", script])
        }

        deinit {
            _ = try? Shell.run(["iptables", "-D"] + rule)
        }
    }

    /// Counts datagrams per (source, port) on ports 9001 and 9002, printed as JSON once `counts` has sent the end
    /// marker and `seconds` of silence followed it (packets held in the queue still arrive). Returns once it is bound.
    static func startReceiver(seconds: Double = 1.5) throws -> Process {
        let script = """
            import json, select, socket
            socks = []
            for port in (9001, 9002):
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.bind(("\(outsideAddress)", port)); socks.append(s)
            counts = {}
            ended = False
            while True:
                ready, _, _ = select.select(socks, [], [], \(seconds) if ended else 120)
                if not ready: break
                for s in ready:
                    data, (source, _) = s.recvfrom(2048)
                    if data == b"end": ended = True; continue
                    key = "%s:%d" % (source, s.getsockname()[1]); counts[key] = counts.get(key, 0) + 1
            print(json.dumps(counts), flush=True)
            """
        let receiver = try Shell.start(["python3", "-c", script])
        // Bound when the kernel lists its second port (a loaded machine may start Python slowly).
        for _ in 0..<200 {
            if (try? Shell.run(["ss", "-Hlun"]))?.contains("\(outsideAddress):9002") == true { return receiver }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return receiver
    }

    /// Ends `receiver` (an end marker over loopback, which the queue does not see) and reads its counts.
    static func counts(_ receiver: Process) throws -> [String: Int] {
        try Shell.run(["python3", "-c", """
            import socket
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"end", ("\(outsideAddress)", 9001))
            """])
        let output = String(decoding: receiver.standardOutputData(), as: UTF8.self)
        receiver.waitUntilExit()
        let line = output.split(separator: "\n").last.map(String.init) ?? "{}"
        return (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Int]) ?? [:]
    }

    static func inlineSession(queue: UInt16) throws -> CaptureSession {
        var configuration = CaptureConfiguration(source: .queue(queue),
                                                 localNetworks: [try IPNetwork("10.77.0.2/32"),
                                                                 try IPNetwork("10.77.0.3/32")])
        configuration.interval = 0.1
        let session = try CaptureSession(configuration)
        try session.start()
        return session
    }

    @Test(.enabled(if: unavailableReason == nil, Comment(rawValue: unavailableReason ?? "")))
    func blockedFlowsAreDroppedOthersPassAndEveryPacketIsCounted() throws {
        let setup = try QueuedWire(tag: "q", queue: 7301)
        let session = try Self.inlineSession(queue: setup.queue)
        try session.setPolicy(.block)
        var rules = InlineRules()
        rules.block(HostAddress(Self.first)!, .allTraffic)
        rules.block(HostAddress(Self.second)!, .remotes([BlockedRemote(address: HostAddress(Self.outsideAddress)!,
                                                                       port: 9001)]))
        try session.setRules(rules)

        let receiver = try Self.startReceiver()
        let sent = 50
        try setup.send(from: Self.first, port: 9001, count: sent)
        try setup.send(from: Self.second, port: 9001, count: sent)
        try setup.send(from: Self.second, port: 9002, count: sent)
        let received = try Self.counts(receiver)
        #expect(received["\(Self.first):9001", default: 0] == 0)
        #expect(received["\(Self.second):9001", default: 0] == 0)
        #expect(received["\(Self.second):9002", default: 0] == sent)

        session.stop()
        var recorder = HostSeriesRecorder(keepingSeries: false)
        while let batch = session.nextBatch(timeout: 1) { recorder.record(batch) }
        let verdicts = session.verdictStatistics
        #expect(verdicts.dropped == UInt64(2 * sent))
        #expect(verdicts.accepted == UInt64(sent))
        #expect(verdicts.verdictErrors == 0)
        #expect(verdicts.tableSwaps == 1)
        #expect(session.statistics.packets == UInt64(3 * sent))
        #expect(recorder.totals[HostAddress(Self.first)!]
                == IntervalCounters(bytesSent: UInt64(sent * 128), packetsSent: UInt64(sent)))
        #expect(recorder.totals[HostAddress(Self.second)!]
                == IntervalCounters(bytesSent: UInt64(2 * sent * 128), packetsSent: UInt64(2 * sent)))
    }

    @Test(.enabled(if: unavailableReason == nil, Comment(rawValue: unavailableReason ?? "")))
    func monitorAcceptsEverythingAndAllowlistWinsOverABlock() throws {
        let setup = try QueuedWire(tag: "m", queue: 7302)
        let session = try Self.inlineSession(queue: setup.queue)
        var rules = InlineRules(allowed: [HostAddress(Self.second)!])
        rules.block(HostAddress(Self.first)!, .allTraffic)
        rules.block(HostAddress(Self.second)!, .allTraffic)
        try session.setRules(rules)

        var receiver = try Self.startReceiver(seconds: 1)
        try setup.send(from: Self.first, port: 9001, count: 20)
        #expect(try Self.counts(receiver)["\(Self.first):9001"] == 20, "monitor (the default) accepts blocked hosts")

        try session.setPolicy(.block)
        receiver = try Self.startReceiver(seconds: 1)
        try setup.send(from: Self.first, port: 9001, count: 20)
        try setup.send(from: Self.second, port: 9002, count: 20)
        let received = try Self.counts(receiver)
        #expect(received["\(Self.first):9001", default: 0] == 0)
        #expect(received["\(Self.second):9002"] == 20, "the allowlist wins over a block")
        rules.unblock(HostAddress(Self.first)!)
        try session.setRules(rules)
        receiver = try Self.startReceiver(seconds: 1)
        try setup.send(from: Self.first, port: 9001, count: 20)
        #expect(try Self.counts(receiver)["\(Self.first):9001"] == 20, "unblocked")
        #expect(session.verdictStatistics.dropped == 20)
    }

    @Test(.enabled(if: unavailableReason == nil, Comment(rawValue: unavailableReason ?? "")))
    func trafficKeepsFlowingWhenTheConsumerIsGone() throws {
        let setup = try QueuedWire(tag: "b", queue: 7303)
        var session: CaptureSession? = try Self.inlineSession(queue: setup.queue)
        try session?.setPolicy(.block)
        try session?.setRules(InlineRules(blocked: [HostAddress(Self.first)!: .allTraffic]))
        var receiver = try Self.startReceiver(seconds: 1)
        try setup.send(from: Self.first, port: 9001, count: 20)
        #expect(try Self.counts(receiver)["\(Self.first):9001", default: 0] == 0, "blocked while the consumer runs")

        // The consumer goes away (as when the daemon dies: its netlink socket closes and the queue is unbound).
        session = nil
        receiver = try Self.startReceiver(seconds: 1)
        try setup.send(from: Self.first, port: 9001, count: 20)
        #expect(try Self.counts(receiver)["\(Self.first):9001"] == 20, "--queue-bypass lets traffic through")
    }

    @Test func verdictSettingsNeedAQueue() throws {
        let path = try OfflineReplayTests.writeCapture([])
        let session = try CaptureSession(CaptureConfiguration(source: .file(path),
                                                              localNetworks: [try IPNetwork("10.0.0.0/8")]))
        #expect { try session.setPolicy(.block) } throws: { ($0 as? CaptureError)?.code == .invalidArgument }
        #expect { try session.setRules(InlineRules()) } throws: { ($0 as? CaptureError)?.code == .invalidArgument }
        #expect(session.verdictStatistics == VerdictStatistics())
    }
}
