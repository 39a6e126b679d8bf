import DetectionTraining
import Foundation
import Profiling
import Randomness
import Testing
@testable import Detection
import Traces

/// The training options added for low false-positive rates: ignored features, untrained traces, the decision offset
/// chosen on validation windows, the per-trace cap, and the version-1 refusal.
@Suite struct TrainingOptionsTests {
    static let settings = WindowSettings(windowSeconds: [8], slideSeconds: 4)

    /// Mining: traffic in a third of the intervals at random, 2–5 packets. Normal: busy traffic, and with `overlap`
    /// a sparse host drawn like the miner (hard negatives no model can separate, which a decision offset silences).
    static func parts(overlap: Bool = false) throws -> [ModelTrainer.Part] {
        func part(_ name: String, mining: Bool, seed: UInt64, rows: Int = 400,
                  _ row: (Int, inout SplitMix64) -> IntervalCounters) throws -> ModelTrainer.Part {
            var generator = SplitMix64(seed: seed)
            let counters = (0..<rows).map { row($0, &generator) }
            return ModelTrainer.Part(
                name: name, isMining: mining, rows: rows,
                windows: try TraceWindows.extract(rows: counters[...], settings: settings))
        }
        var parts = [
            try part("miner", mining: true, seed: 1) { _, generator in
                guard UInt64.random(in: 0..<3, using: &generator) == 0 else { return .zero }
                let packets = UInt64.random(in: 2...5, using: &generator)
                return IntervalCounters(bytesReceived: packets * 500, bytesSent: packets * 60,
                                        packetsReceived: packets, packetsSent: packets)
            },
            try part("video", mining: false, seed: 2) { _, generator in
                let packets = UInt64.random(in: 20...90, using: &generator)
                return IntervalCounters(bytesReceived: packets * 1400, bytesSent: packets * 20,
                                        packetsReceived: packets, packetsSent: packets / 3)
            },
        ]
        if overlap {
            parts.append(try part("keepalive", mining: false, seed: 3) { _, generator in
                guard UInt64.random(in: 0..<3, using: &generator) == 0 else { return .zero }
                let packets = UInt64.random(in: 2...5, using: &generator)
                return IntervalCounters(bytesReceived: packets * 500, bytesSent: packets * 60,
                                        packetsReceived: packets, packetsSent: packets)
            })
        }
        return parts
    }

    @Test func ignoredFeaturesGetExactlyZeroWeight() throws {
        var options = TrainingOptions(windows: Self.settings)
        options.ignoredFeatures = [".host.", "spectralPeak"]
        let model = try DetectionModel(file: try ModelTrainer.fit(try Self.parts(), options: options,
                                                                  traceIntervalSeconds: 1))
        let names = model.file.features
        let ignored = names.indices.filter { names[$0].contains(".host.") || names[$0].contains("spectralPeak") }
        try #require(ignored.count == 9 + 4)
        var x = [Double](repeating: 1, count: names.count)
        let before = model.decision(x)
        for index in ignored { x[index] = 12_345 }
        #expect(model.decision(x) == before)
        let kept = try #require(names.firstIndex(of: "w8s.packetsSent.mean"))
        x[kept] = 12_345
        #expect(model.decision(x) != before)
        #expect(model.file.training.ignoredFeatures == [".host.", "spectralPeak"])
    }

    @Test func untrainedTracesAreLeftOutOfTraining() throws {
        var options = TrainingOptions(windows: Self.settings)
        options.untrainedTraces = ["keepalive"]
        let file = try ModelTrainer.fit(try Self.parts(overlap: true), options: options, traceIntervalSeconds: 1)
        #expect(file.training.traces.map(\.name) == ["miner", "video"])
        #expect(file.training.untrainedTraces == ["keepalive"])
    }

    @Test func validationOffsetIsPositiveForHardNegativesAndFlagsFewerWindows() throws {
        let parts = try Self.parts(overlap: true)
        let plain = try DetectionModel(file: try ModelTrainer.fit(
            parts, options: TrainingOptions(windows: Self.settings), traceIntervalSeconds: 1))
        var options = TrainingOptions(windows: Self.settings)
        options.validationFPR = 0
        let tuned = try DetectionModel(file: try ModelTrainer.fit(parts, options: options, traceIntervalSeconds: 1))
        #expect(plain.file.svc.decisionOffset == 0)
        #expect(tuned.file.svc.decisionOffset > 0, "the keepalive host looks like the miner, so an offset is needed")
        #expect(tuned.file.svc.offsetRule.contains("validation"))
        // The offset is part of the folded decision and of the staged one.
        let row = parts[2].windows.features[0]
        #expect(abs(tuned.decision(row) - tuned.stagedDecision(row)) <= 1e-9 * max(1, abs(tuned.decision(row))))
        func flagged(_ model: DetectionModel) -> Int {
            parts[2].windows.features.filter { model.decision($0) > 0 }.count
        }
        #expect(flagged(tuned) < flagged(plain))
    }

    @Test func perTraceCapLimitsTrainingWindows() throws {
        var options = TrainingOptions(windows: Self.settings)
        options.maximumWindowsPerTrace = 20
        let file = try ModelTrainer.fit(try Self.parts(), options: options, traceIntervalSeconds: 1)
        #expect(file.training.miningWindows == 20 && file.training.normalWindows == 20)
        #expect(file.training.maximumWindowsPerTrace == 20)
    }

    @Test func refusesAVersionOneModelFile() throws {
        let file = try ModelTrainer.fit(
            try Self.parts(), options: TrainingOptions(windows: Self.settings), traceIntervalSeconds: 1)
        var object = try #require(
            try JSONSerialization.jsonObject(with: try JSONEncoder().encode(file)) as? [String: Any])
        object["version"] = 1
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("coinsentry-\(UUID())-v1.json").path
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        #expect(throws: ModelError.self) { try DetectionModel.load(path) }
    }
}
