import Alerting
import Foundation
import TestSupport
import Testing

@Suite struct AlertPipelineTests {
    @Test func onlyNewEventsReachTheSinksAndShutdownFlushesThem() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let file = try JSONLinesSink(path: "\(directory)/alerts.json")
        let receiver = try TCPReceiver()
        let syslog = try SyslogSink(.init(transport: .tcp(host: "127.0.0.1", port: receiver.port)))
        let pipeline = AlertPipeline(store: try AlertStore(directory: directory), sinks: [file, syslog])

        try pipeline.raise(Fixtures.mining(seconds: 1_790_000_000))
        try pipeline.raise(Fixtures.mining(seconds: 1_790_000_060))
        try pipeline.raise(Fixtures.mining(seconds: 1_790_000_120, event: .cleared))
        try await pipeline.shutdown()

        let lines = try String(contentsOfFile: "\(directory)/alerts.json", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(receiver.frames(2).compactMap { ParsedSyslog($0)?.messageID } == ["mining", "cleared"])
        #expect(syslog.counters.delivered == 2)
        #expect(pipeline.dispatcher.statistics.allSatisfy { $0.dropped == 0 })
    }

    @Test func reopenFilesMovesEveryJSONSinkToANewFile() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let path = "\(directory)/alerts.json"
        let pipeline = AlertPipeline(store: try AlertStore(directory: directory),
                                     sinks: [try JSONLinesSink(path: path)])
        try FileManager.default.moveItem(atPath: path, toPath: "\(path).1")
        #expect(await pipeline.reopenFiles().isEmpty)
        #expect(FileManager.default.fileExists(atPath: path))
        try await pipeline.shutdown()
    }
}
