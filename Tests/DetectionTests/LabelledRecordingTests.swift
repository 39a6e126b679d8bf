import Capture
import Detection
import DetectionTraining
import Foundation
import TestSupport
import Testing
import Traces

/// `coinsentry replay --record-labelled`: hosts seen mining by protocol evidence become traces `coinsentry train`
/// reads through its manifest.
@Suite struct LabelledRecordingTests {
    static let captures = "\(PythonReference.packageRoot)/captures"

    static func replayFile(_ path: String, networks: [String], interval: Double) throws -> HostSeriesRecorder {
        var configuration = CaptureConfiguration(source: .file(path), localNetworks: try networks.map { try IPNetwork($0) })
        configuration.interval = interval
        let session = try CaptureSession(configuration)
        try session.start()
        var recorder = HostSeriesRecorder(keepingSeries: true)
        while let batch = session.nextBatch(timeout: 5) { recorder.record(batch) }
        return recorder
    }

    @Test func labelledRecordingWritesMinersAsMiningTracesForTraining() throws {
        let recorder = try Self.replayFile("\(Self.captures)/stratum.pcap", networks: ["127.0.0.0/8"],
                                                interval: 0.5)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("labelled-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let written = try LabelledRecording.write(recorder, interval: 0.5, capture: "stratum", to: directory,
                                                  manifestName: Manifest.defaultFileName)
        // The pool (127.0.0.1) is local too but is not the miner: only the miner is written.
        #expect(written == ["stratum-stratum-127.0.0.2.dat"])
        try LabelledRecording.write(recorder, interval: 0.5, capture: "stratum", to: directory,
                                    manifestName: Manifest.defaultFileName)
        let labelled = try Manifest.load(directory: directory)
        #expect(labelled.count == 1)
        #expect(labelled.first?.isMining == true)
        let trace = try TraceFile.read(try #require(labelled.first?.path), interval: 0.5)
        #expect(trace.rows.reduce(.zero, +) == recorder.totals[HostAddress("127.0.0.2")!])
    }
}
