import Capture
import Foundation
import Testing
import TestSupport

/// Offline replay reads and parses the file in a reader thread when a second CPU is free, while the capture thread
/// still counts in the file's order: everything it reports must equal the one-thread replay's, record by record.
@Suite(.enabled(if: ProcessInfo.processInfo.activeProcessorCount > 1,
                "skipped: one CPU, so both runs would take the one-thread path"))
struct ReaderThreadTests {
    /// All a replay reports, in order.
    struct Output: Equatable {
        var events: [CaptureEvent] = []
        var evidence: [CaptureEvidence] = []
        var statistics = CaptureStatistics()
        var endError: String?
    }

    static func replay(_ path: String, networks: [String], readerThread: Bool,
                       configure: (inout CaptureConfiguration) -> Void = { _ in }) throws -> Output {
        var configuration = CaptureConfiguration(source: .file(path), localNetworks: try networks.map { try IPNetwork($0) })
        configuration.offlineReaderThread = readerThread
        configuration.poolDomains = try PoolDomainList(files: ["\(PythonReference.packageRoot)/etc/coinsentry/pool-domains.txt"])
        configuration.shapeMinimumAge = 5
        configuration.shapeReportInterval = 5
        configure(&configuration)
        let session = try CaptureSession(configuration)
        try session.start()
        var output = Output()
        while let batch = session.nextBatch(timeout: 5) {
            output.events += batch.events
            output.evidence += batch.evidence
        }
        output.statistics = session.statistics
        output.endError = session.endError?.message
        return output
    }

    static func expectSameOutput(_ path: String, networks: [String],
                                 configure: (inout CaptureConfiguration) -> Void = { _ in }) throws -> Output {
        let oneThread = try replay(path, networks: networks, readerThread: false, configure: configure)
        let withReader = try replay(path, networks: networks, readerThread: true, configure: configure)
        #expect(withReader.statistics == oneThread.statistics, "\(path)")
        #expect(withReader.endError == oneThread.endError, "\(path)")
        #expect(withReader.events.count == oneThread.events.count, "\(path)")
        #expect(withReader.evidence.count == oneThread.evidence.count, "\(path)")
        // The first difference only: whole arrays of thousands of records would bury it.
        let event = zip(withReader.events, oneThread.events).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(event == nil, "\(path): event \(event ?? 0) differs")
        let found = zip(withReader.evidence, oneThread.evidence).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(found == nil, "\(path): evidence \(found ?? 0) differs")
        return oneThread
    }

    /// The project's recordings: clear and TLS stratum sessions, DNS, ordinary long sessions; every host local, and
    /// only the miner's side local.
    @Test func recordingsGiveTheSameRecordsWithAndWithoutTheReader() throws {
        let folders = [StratumTests.captures, "\(StratumTests.captures)/pool", "\(StratumTests.captures)/ordinary"]
        var files = 0, evidence = 0
        for folder in folders {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where name.hasSuffix(".pcap") {
                for networks in [["127.0.0.0/8"], ["127.0.0.2/32"]] {
                    let output = try Self.expectSameOutput("\(folder)/\(name)", networks: networks)
                    evidence += output.evidence.count
                }
                files += 1
            }
        }
        #expect(files > 50)
        #expect(evidence > 20)  // stratum, pool names and flow shapes went through both paths
    }

    /// Thousands of hosts arriving, expiring and returning through a full host table and a small flow table, in a
    /// file cut mid-packet.
    @Test func churnThroughFullTablesAndATruncatedEndGiveTheSameRecords() throws {
        func address(_ host: Int) -> String { "10.0.\(host / 250).\(host % 250 + 1)" }
        var frames = [(Int64, [UInt8])]()
        for second in 0..<8 {
            for host in 0..<3_000 where (host + second) % 4 < 2 {
                let time = OfflineReplayTests.start + Int64(second) * 1_000_000 + Int64(host) * 200
                frames.append((time, OfflineReplayTests.tcpFrame(from: address(host), to: "203.0.113.\(host % 7)",
                                                                  payload: host % 90, sport: UInt16(20_000 + host % 500))))
                frames.append((time + 50, OfflineReplayTests.tcpFrame(from: "198.51.100.\(host % 5)", to: address(host),
                                                                       payload: 700, sport: 443,
                                                                       dport: UInt16(20_000 + host % 500))))
            }
        }
        let path = try OfflineReplayTests.writeCapture(frames, name: "churn")
        let output = try Self.expectSameOutput(path, networks: ["10.0.0.0/16"]) {
            $0.maxHosts = 2_000
            $0.hostIdleTimeout = 2
            $0.maxFlows = 512
        }
        #expect(output.statistics.hostTableFull > 0)
        #expect(output.statistics.hostsExpired > 0)
        #expect(output.statistics.flowsNotTracked > 0)

        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let cut = FileManager.default.temporaryDirectory.appendingPathComponent("churn-cut-\(UUID()).pcap").path
        try data.prefix(data.count * 2 / 3 + 7).write(to: URL(fileURLWithPath: cut))
        let truncated = try Self.expectSameOutput(cut, networks: ["10.0.0.0/16"]) { $0.maxHosts = 2_000 }
        #expect(truncated.endError != nil)
        #expect(truncated.statistics.packets > 0)
    }

    /// A stop in the middle of a replay ends the capture thread and the reader (which may be waiting for room in its
    /// ring, the capture thread no longer emptying it) without losing what was counted.
    @Test(.timeLimit(.minutes(1)))
    func stoppingMidReplayEndsBothThreads() throws {
        var frames = [(Int64, [UInt8])]()
        for index in 0..<200_000 {
            frames.append((OfflineReplayTests.start + Int64(index) * 1_000,
                           OfflineReplayTests.tcpFrame(from: "10.0.0.\(index % 200 + 1)", to: "203.0.113.9",
                                                       payload: 100, sport: UInt16(30_000 + index % 200))))
        }
        let path = try OfflineReplayTests.writeCapture(frames, name: "stop")
        var configuration = CaptureConfiguration(source: .file(path), localNetworks: [try IPNetwork("10.0.0.0/16")])
        configuration.ringCapacity = 16  // the capture thread soon waits for this consumer, the reader for it
        let session = try CaptureSession(configuration)
        try session.start()
        let first = try #require(session.nextBatch(timeout: 5))
        #expect(!first.isEmpty)
        Thread.sleep(forTimeInterval: 0.5)  // the reader fills its ring and waits: the stop must reach it there
        session.stop()
        let counted = session.statistics.packets
        #expect(counted > 0)
        #expect(counted < UInt64(frames.count))
        #expect(session.endError == nil)
        while session.nextBatch(timeout: 1) != nil {}  // what was counted before the stop is still handed over
        #expect(session.statistics.packets == counted)
    }
}
