import DetectionTraining
import Foundation
import Profiling
import Randomness
import Testing
@testable import Detection
import Traces

/// Three kinds of synthetic traffic as classes (two normal, one mining), a binary model and a class block on them.
enum SyntheticClasses {
    static let settings = WindowSettings(windowSeconds: [8], slideSeconds: 4)
    static let kinds: [(name: String, isMining: Bool)] = [("busy", false), ("bursty", false), ("sparse", true)]

    /// 200 one-second rows of one kind: `busy` (5–50 packets a second), `bursty` (a burst every 10 s), `sparse`
    /// (2 packets every 7 s).
    static func rows(_ kind: String, seed: UInt64, count: Int = 200) -> [IntervalCounters] {
        var generator = SplitMix64(seed: seed)
        return (0..<count).map { index -> IntervalCounters in
            let packets: UInt64
            switch kind {
            case "busy": packets = UInt64.random(in: 5...50, using: &generator)
            case "bursty": packets = index % 10 < 2 ? UInt64.random(in: 80...120, using: &generator) : 0
            default: packets = index % 7 == 0 ? 2 : 0
            }
            return IntervalCounters(bytesReceived: packets * 600, bytesSent: packets * 80,
                                    packetsReceived: packets, packetsSent: packets / 2 + 1)
        }
    }

    static func windows(_ kind: String, seed: UInt64) throws -> TraceWindows {
        try TraceWindows.extract(rows: rows(kind, seed: seed)[...], settings: settings)
    }

    /// The binary model and its class block, trained on seeds 1–3.
    static func model(vote: ClassVoteSettings = ClassVoteSettings(length: 10, minimumWindows: 3)) throws -> ModelFile {
        var parts = [MultiClassTrainer.Part]()
        for (index, kind) in kinds.enumerated() {
            let part = ModelTrainer.Part(name: kind.name, isMining: kind.isMining, rows: 200,
                                         windows: try windows(kind.name, seed: UInt64(index + 1)))
            parts.append(MultiClassTrainer.Part(part: part, trafficClass: kind.name))
        }
        var file = try ModelTrainer.fit(parts.map(\.part), options: TrainingOptions(windows: settings),
                                        traceIntervalSeconds: 1)
        file.classes = try MultiClassTrainer.fit(parts, scaler: file.scaler, pca: file.pca,
                                                 options: .init(vote: vote))
        return file
    }
}

@Suite struct MultiClassModelTests {
    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("coinsentry-\(UUID())-\(name)").path
    }

    @Test func classBlockNamesHeldOutSyntheticTrafficCorrectly() throws {
        let model = try DetectionModel(file: try SyntheticClasses.model())
        let classifier = try #require(model.classifier)
        #expect(classifier.names == ["bursty", "busy", "sparse"])
        #expect(classifier.isMining == [false, false, true])
        var total = ClassEvaluation(classifier: classifier)
        for kind in SyntheticClasses.kinds {
            let windows = try SyntheticClasses.windows(kind.name, seed: 99)
            let outcome = ClassEvaluation.evaluate(
                windows, classifier: classifier, actual: classifier.names.firstIndex(of: kind.name))
            #expect(outcome.finalClass.map { classifier.names[$0.index] } == kind.name)
            total = total + outcome
        }
        #expect((total.windows.accuracy ?? 0) >= 0.9, "window accuracy \(total.windows.accuracy ?? 0)")
        #expect(total.windows.total == total.voted.total)
        #expect(total.voted.undecided == 3 * 2)  // two windows per trace before the vote's minimum of 3
    }

    @Test func foldedClassDecisionsEqualTheStagedOnes() throws {
        let file = try SyntheticClasses.model()
        let classifier = try #require(try DetectionModel(file: file).classifier)
        var generator = SplitMix64(seed: 8)
        for _ in 0..<30 {
            let x = (0..<file.features.count).map { _ in Double.random(in: 0..<400, using: &generator) }
            let z = file.pca.transform(file.scaler.transform(x))
            for (k, trafficClass) in try #require(file.classes).classes.enumerated() {
                let staged = LinearSVC(weights: trafficClass.weights, bias: trafficClass.bias).decision(z)
                #expect(abs(classifier.decisions(x)[k] - staged) <= 1e-9 * max(1, abs(staged)))
            }
        }
    }

    @Test func classBlockRoundTripsAndLeavesBinaryDecisionsAlone() throws {
        let file = try SyntheticClasses.model()
        let path = temporaryPath("classes.json")
        try file.write(to: path)
        let loaded = try DetectionModel.load(path, sensorIntervalSeconds: 1)
        var binaryOnly = file
        binaryOnly.classes = nil
        let original = try DetectionModel(file: file)
        let withoutClasses = try DetectionModel(file: binaryOnly)
        #expect(withoutClasses.classifier == nil)
        let loadedClassifier = try #require(loaded.classifier)
        let originalClassifier = try #require(original.classifier)
        for kind in SyntheticClasses.kinds {
            for x in try SyntheticClasses.windows(kind.name, seed: 7).features {
                #expect(loaded.decision(x) == withoutClasses.decision(x))
                #expect(loadedClassifier.decisions(x) == originalClassifier.decisions(x))
            }
        }
        #expect(loaded.file.classes?.vote == ClassVoteSettings(length: 10, minimumWindows: 3))
        #expect(loaded.file.classes?.traces.map(\.trafficClass) == ["busy", "bursty", "sparse"])
    }

    @Test func binaryOnlyFileHasNoClassKey() throws {
        var file = try SyntheticClasses.model()
        file.classes = nil
        let path = temporaryPath("binary.json")
        try file.write(to: path)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        #expect((object as? [String: Any])?["classes"] == nil)
    }

    /// An edit of class `index` of a class block.
    static func editClass(
        _ index: Int, _ edit: @escaping @Sendable (inout [String: Any]) -> Void
    ) -> @Sendable (inout [String: Any]) -> Void {
        { block in
            var classes = block["classes"] as! [[String: Any]]
            edit(&classes[index])
            block["classes"] = classes
        }
    }

    static let classCorruptions: [(String, String, @Sendable (inout [String: Any]) -> Void)] = [
        ("one class", "at least 2", { block in
            block["classes"] = Array((block["classes"] as! [Any]).prefix(1))
        }),
        ("a class twice", "appears twice", { block in
            var classes = block["classes"] as! [[String: Any]]
            classes[1]["name"] = classes[0]["name"]
            block["classes"] = classes
        }),
        ("an empty class name", "empty name", editClass(2) { $0["name"] = "" }),
        ("too few weights", "weights, the PCA has",
         editClass(0) { $0["weights"] = Array(($0["weights"] as! [Any]).dropLast()) }),
        ("class vote length 0", "class vote length", { block in
            block["vote"] = ["length": 0, "minimumWindows": 1]
        }),
        ("a class without a bias", "bias", editClass(1) { $0["bias"] = nil }),
        ("a bias that is not a number", "bias", editClass(1) { $0["bias"] = "large" }),
        ("a confusion matrix of the wrong shape", "metrics", { block in
            block["metrics"] = [
                "protocolDescription": "x",
                "windows": ["classes": ["a", "b"], "mining": [true, false], "matrix": [[1, 2, 0]]],
                "voted": ["classes": ["a", "b"], "mining": [true, false], "matrix": [[1, 2, 0], [0, 1, 0]]],
            ]
        }),
    ]

    @Test(arguments: 0..<classCorruptions.count)
    func refusesACorruptOrInconsistentClassBlockNamingIt(case index: Int) throws {
        let (name, expected, corrupt) = Self.classCorruptions[index]
        let path = temporaryPath("model.json")
        try SyntheticClasses.model().write(to: path)
        var object = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        var block = try #require(object["classes"] as? [String: Any])
        corrupt(&block)
        object["classes"] = block
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        do {
            _ = try DetectionModel.load(path)
            Issue.record("\(name): accepted")
        } catch {
            #expect(error.description.contains(path) || error.description.contains("class block"), "\(name): \(error)")
            #expect(error.description.contains(expected), "\(name): \(error)")
        }
    }

    @Test func trainingRefusesAClassLabelledBothMiningAndNormal() throws {
        let windows = try SyntheticClasses.windows("busy", seed: 1)
        let parts = [
            MultiClassTrainer.Part(part: .init(name: "a", isMining: true, rows: 200, windows: windows),
                                   trafficClass: "mixed"),
            MultiClassTrainer.Part(part: .init(name: "b", isMining: false, rows: 200, windows: windows),
                                   trafficClass: "mixed"),
        ]
        let file = try SyntheticClasses.model()
        #expect {
            _ = try MultiClassTrainer.fit(parts, scaler: file.scaler, pca: file.pca, options: .init())
        } throws: { error in
            "\(error)".contains("class 'mixed' has both mining and normal traces")
        }
    }
}
