import DetectionTraining
import Foundation
import Profiling
import Randomness
import Testing
@testable import Detection
import Traces

/// A small trained model on synthetic windows, for the model-file tests.
func smallModel(settings: WindowSettings = WindowSettings(windowSeconds: [8], slideSeconds: 4)) throws -> ModelFile {
    func windows(_ busy: Bool, seed: UInt64) throws -> TraceWindows {
        var generator = SplitMix64(seed: seed)
        let rows = (0..<200).map { index -> IntervalCounters in
            let packets = busy ? UInt64.random(in: 5...50, using: &generator) : (index % 7 == 0 ? 2 : 0)
            return IntervalCounters(bytesReceived: packets * 600, bytesSent: packets * 80,
                                    packetsReceived: packets, packetsSent: packets / 2 + 1)
        }
        return try TraceWindows.extract(rows: rows[...], settings: settings)
    }
    let parts = [
        ModelTrainer.Part(name: "busy", isMining: false, rows: 200, windows: try windows(true, seed: 1)),
        ModelTrainer.Part(name: "sparse", isMining: true, rows: 200, windows: try windows(false, seed: 2)),
    ]
    return try ModelTrainer.fit(parts, options: TrainingOptions(windows: settings), traceIntervalSeconds: 1)
}

@Suite struct DetectionModelTests {
    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("coinsentry-\(UUID())-\(name)").path
    }

    @Test func foldedDecisionEqualsStagedDecision() throws {
        let model = try DetectionModel(file: try smallModel())
        var generator = SplitMix64(seed: 5)
        for _ in 0..<50 {
            let x = (0..<model.file.features.count).map { _ in Double.random(in: 0..<500, using: &generator) }
            #expect(abs(model.decision(x) - model.stagedDecision(x)) <= 1e-9 * max(1, abs(model.stagedDecision(x))))
        }
    }

    @Test func modelFileRoundTripsAndDecidesAlike() throws {
        let file = try smallModel()
        let path = temporaryPath("model.json")
        try file.write(to: path)
        let loaded = try DetectionModel.load(path, sensorIntervalSeconds: 1)
        let original = try DetectionModel(file: file)
        let x = [Double](repeating: 3, count: file.features.count)
        #expect(loaded.decision(x) == original.decision(x))
        #expect(loaded.file.id == file.id)
    }

    @Test func refusesAModelForAnotherInterval() throws {
        #expect(throws: ModelError.self) { try DetectionModel(file: try smallModel(), sensorIntervalSeconds: 0.5) }
    }

    static let corruptions: [(String, @Sendable (inout [String: Any]) -> Void)] = [
        ("wrong format tag", { $0["format"] = "something-else" }),
        ("unsupported version", { $0["version"] = 99 }),
        ("missing scaler", { $0["scaler"] = nil }),
        ("truncated weights", { file in
            var svc = file["svc"] as! [String: Any]
            svc["weights"] = Array((svc["weights"] as! [Any]).dropLast())
            file["svc"] = svc
        }),
        ("renamed feature", { file in
            var names = file["features"] as! [String]
            names[0] = "w8s.bytesReceived.mode"
            file["features"] = names
        }),
        ("vote threshold out of range", { file in
            var vote = file["vote"] as! [String: Any]
            vote["threshold"] = 1.5
            file["vote"] = vote
        }),
        ("window not a multiple of the interval", { file in
            var windows = file["windows"] as! [String: Any]
            windows["windowSeconds"] = [8.5]
            file["windows"] = windows
        }),
    ]

    @Test(arguments: 0..<corruptions.count)
    func refusesCorruptOrInconsistentFilesWithAClearError(case index: Int) throws {
        let (name, corrupt) = Self.corruptions[index]
        let path = temporaryPath("model.json")
        try smallModel().write(to: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        corrupt(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        do {
            _ = try DetectionModel.load(path)
            Issue.record("\(name): accepted")
        } catch {
            #expect(!error.description.isEmpty, "\(name)")
        }
    }

    @Test func refusesTruncatedJSONNamingTheFile() throws {
        let path = temporaryPath("model.json")
        try smallModel().write(to: path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try DetectionModel.load(path)
        } throws: { error in
            guard let error = error as? ModelError, case .corrupt(let file, _) = error else { return false }
            return file == path
        }
    }

    @Test func trainedModelSeparatesItsTwoKindsOfTraffic() throws {
        let settings = WindowSettings(windowSeconds: [8], slideSeconds: 4)
        let model = try DetectionModel(file: try smallModel(settings: settings))
        let sparse = (0..<100).map { IntervalCounters(
            bytesReceived: $0 % 7 == 0 ? 1200 : 0, bytesSent: $0 % 7 == 0 ? 160 : 0,
            packetsReceived: $0 % 7 == 0 ? 2 : 0, packetsSent: $0 % 7 == 0 ? 2 : 0) }
        let windows = try TraceWindows.extract(rows: sparse[...], settings: settings)
        let result = TraceEvaluation.evaluate(windows, model: model, isMining: true)
        #expect(result.windows.recall == 1)
    }
}
