import Foundation
import Testing
import TestSupport

/// The multi-class mode through the `coinsentry` commands: `train --multiclass` on four Nypto traces given classes
/// by a manifest, then the class in `replay --model --json`, `evaluate --class` and `crossvalidate --multiclass`.
@Suite(.serialized) struct MultiClassCommandTests {
    typealias Commands = CaptureEvaluationTests

    static let manifest = """
        datasets/browsing.dat normal class=browsing
        datasets/youtube.dat normal class=youtube
        datasets/mining_2t_nicehash.dat mining class=cpu-2t
        datasets/mining_4t_nicehash.dat mining class=cpu-4t
        merged-datasets/browsing_youtube.dat normal browsing,youtube
        """

    /// A temporary folder holding the manifest, removed afterwards.
    static func withManifest(_ body: (_ directory: URL, _ manifest: String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cs-classes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifest = directory.appendingPathComponent("manifest.txt").path
        try Self.manifest.write(toFile: manifest, atomically: true, encoding: .utf8)
        try body(directory, manifest)
    }

    static func withModel(_ body: (_ directory: URL, _ model: String) throws -> Void) throws {
        try withManifest { directory, manifest in
            let model = directory.appendingPathComponent("model.json").path
            try Shell.run([Commands.binary, "train", "--data", SharedData.path("nypto"), "--manifest", manifest,
                           "--window", "120", "--log-scale", "--multiclass", "--class-vote-length", "20",
                           "-o", model])
            try body(directory, model)
        }
    }

    @Test(.enabled(if: Commands.unavailableReason == nil, Comment(rawValue: Commands.unavailableReason ?? "")))
    func replayAndEvaluateNameEachHostsClassBesideTheVerdict() throws {
        try Self.withModel { directory, model in
            let file = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: model))) as? [String: Any])
            let block = try #require(file["classes"] as? [String: Any])
            let classes = try #require(block["classes"] as? [[String: Any]])
            #expect(classes.compactMap { $0["name"] as? String } == ["browsing", "cpu-2t", "cpu-4t", "youtube"])
            #expect((block["traces"] as? [Any])?.count == 4, "the mix has no class and trains no class SVC")
            let metrics = try #require(block["metrics"] as? [String: Any])
            #expect((metrics["windows"] as? [String: Any])?["accuracy"] is Double)

            let capture = try Commands.office(in: directory)
            let replay = try Commands.json([Commands.binary, "replay", capture, "--local-net", "192.168.1.0/24",
                                            "--model", model, "--json"])
            let hosts = try #require(replay["hosts"] as? [[String: Any]])
            let byHost = Dictionary(uniqueKeysWithValues: hosts.compactMap { host in
                (host["host"] as? String).map { ($0, host["class"] as? [String: Any]) }
            })
            let miner = try #require(byHost["192.168.1.23"] ?? nil)
            #expect(miner["mining"] as? Bool == true, "miner's class: \(miner)")
            let browser = try #require(byHost["192.168.1.42"] ?? nil)
            #expect(browser["name"] as? String == "browsing")
            #expect((browser["windows"] as? Int ?? 0) > 0 && (browser["share"] as? Double ?? 0) > 0.5)

            var withoutClasses = file
            withoutClasses["classes"] = nil
            let binaryModel = directory.appendingPathComponent("binary.json")
            try JSONSerialization.data(withJSONObject: withoutClasses).write(to: binaryModel)
            let binaryOnly = try Commands.json([Commands.binary, "replay", capture, "--local-net", "192.168.1.0/24",
                                                "--model", binaryModel.path, "--json"])
            #expect((binaryOnly["hosts"] as? [[String: Any]] ?? []).allSatisfy { $0["class"] == nil })

            let evaluation = try Commands.json([
                Commands.binary, "evaluate", "--model", model, "--label", "normal", "--class", "youtube", "--json",
                SharedData.path("nypto/datasets/youtube.dat"),
            ])
            let classOutput = try #require(evaluation["class"] as? [String: Any])
            #expect(classOutput["final"] as? [String] == ["youtube"])
            let windows = try #require(classOutput["windows"] as? [String: Any])
            let matrix = try #require(windows["matrix"] as? [[Int]])
            #expect(matrix.count == 4 && matrix[3].reduce(0, +) == (evaluation["windows"] as? [String: Any])
                .flatMap { counts in ["tp", "fn", "fp", "tn"].compactMap { counts[$0] as? Int }.reduce(0, +) })
        }
    }

    @Test(.enabled(if: Commands.unavailableReason == nil, Comment(rawValue: Commands.unavailableReason ?? "")))
    func crossvalidateReportsClassesOnATimeSplitAndRefusesLeaveOneOut() throws {
        try Self.withManifest { _, manifest in
            let common = ["--data", SharedData.path("nypto"), "--manifest", manifest, "--window", "120",
                          "--log-scale", "--multiclass"]
            let result = try Commands.json([Commands.binary, "crossvalidate"] + common + ["--json"])
            let windows = try #require(result["windows"] as? [String: Any])
            #expect(windows["classes"] as? [String] == ["browsing", "cpu-2t", "cpu-4t", "youtube"])
            let perClass = try #require(windows["per_class"] as? [[String: Any]])
            #expect(perClass.allSatisfy { ($0["support"] as? Int ?? 0) > 0 }, "every class has test windows")
            #expect((result["voted"] as? [String: Any])?["macro_recall"] is Double)

            let refused = try Shell.start([Commands.binary, "crossvalidate"] + common + ["--split", "trace"])
            let output = String(decoding: refused.standardOutputData(), as: UTF8.self)
            refused.waitUntilExit()
            #expect(refused.terminationStatus != 0)
            #expect(output.contains("leave-one-trace-out cannot test a class whose only trace is held out"))
        }
    }

    @Test(.enabled(if: Commands.unavailableReason == nil, Comment(rawValue: Commands.unavailableReason ?? "")))
    func addingClassesToAModelKeepsItsBinaryPartExactly() throws {
        try Self.withManifest { directory, manifest in
            let binary = directory.appendingPathComponent("binary.json").path
            let classes = directory.appendingPathComponent("classes.json").path
            let common = ["--data", SharedData.path("nypto"), "--manifest", manifest, "--window", "120",
                          "--log-scale"]
            try Shell.run([Commands.binary, "train"] + common + ["-o", binary])
            try Shell.run([Commands.binary, "train"] + common
                + ["--multiclass", "--add-classes-to", binary, "-o", classes])
            func object(_ path: String) throws -> [String: Any] {
                try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
                    as? [String: Any])
            }
            var withClasses = try object(classes)
            #expect(withClasses.removeValue(forKey: "classes") != nil)
            #expect(NSDictionary(dictionary: withClasses).isEqual(to: try object(binary)))

            let mismatch = try Shell.start([Commands.binary, "train"] + common.dropLast() + [
                "--multiclass", "--add-classes-to", binary, "-o", classes])
            let output = String(decoding: mismatch.standardOutputData(), as: UTF8.self)
            mismatch.waitUntilExit()
            #expect(mismatch.terminationStatus != 0)
            #expect(output.contains("pass the same --interval, --window, --slide and --log-scale"))
        }
    }
}
