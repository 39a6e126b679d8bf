import Detection
import Foundation
import Testing
import TestSupport

@testable import Fleet

/// Defence in depth: a global model that does worse on the participant's held-back data is refused, logged in the
/// state file and never written; one that does no worse is installed as a model file the sensor loads.
@Suite struct AcceptanceTests {
    @Test func checkRefusesADropBeyondTheMarginAndAcceptsWithinIt() {
        let check = AcceptanceCheck(margin: 0.02)
        #expect(check.decide(current: 0.9, candidate: 0.885, metric: "m").accepted)
        #expect(check.decide(current: 0.9, candidate: 0.95, metric: "m").accepted)
        let refused = check.decide(current: 0.9, candidate: 0.8, metric: "m")
        #expect(!refused.accepted)
        #expect(refused.reason.contains("more than the margin"))
        #expect(!check.decide(current: 0.9, candidate: .nan, metric: "m").accepted)
    }

    @Test func signFlippedGlobalModelScoresWorseOnHeldBackWindows() throws {
        let base = try DetectionModel.load(FleetFixtures.model).file
        let holdout = try FleetFixtures.windows(count: 200, miningShare: 0.4, seed: 3)
        let current = TrafficScore.balancedAccuracy(TrafficScore.counts(try DetectionModel(file: base), on: holdout))
        let flipped = TrafficModelVector.vector(of: base).map { -$0 }
        let candidate = try TrafficModelVector.model(flipped, base: base, solver: "test", round: 1)
        let score = TrafficScore.balancedAccuracy(TrafficScore.counts(try DetectionModel(file: candidate), on: holdout))
        #expect(current > 0.95)
        #expect(score < 0.1)
        #expect(!AcceptanceCheck(margin: 0.05).decide(current: current, candidate: score, metric: "b").accepted)
    }

    @Test(.disabled(if: FleetFixtures.binaryUnavailable != nil, "\(FleetFixtures.binaryUnavailable ?? "")"))
    func installRefusesAWorseGlobalModelAndWritesNothingButTheStateLine() throws {
        let directory = try FleetFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let base = try DetectionModel.load(FleetFixtures.model).file
        try FleetFixtures.windows(count: 100, miningShare: 0.5, seed: 5)
            .write(features: "\(directory)/hx.npy", labels: "\(directory)/hy.npy")
        try NpyFile.write(NpyArray(vector: TrafficModelVector.vector(of: base).map { -$0 }), to: "\(directory)/bad.npy")
        try NpyFile.write(NpyArray(vector: TrafficModelVector.vector(of: base)), to: "\(directory)/same.npy")
        func install(_ global: String) throws -> (Int32, String) {
            let process = try Shell.start([
                FleetFixtures.binary, "fleet", "install", "--global", "\(directory)/\(global)", "--base",
                FleetFixtures.model, "--out", "\(directory)/model.json", "--holdout-features", "\(directory)/hx.npy",
                "--holdout-labels", "\(directory)/hy.npy", "--margin", "0.02", "--state", "\(directory)/state.jsonl",
                "--round", "4",
            ])
            let output = String(decoding: process.standardOutputData(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, output)
        }
        let (refusedStatus, refusedOutput) = try install("bad.npy")
        #expect(refusedStatus == 3, "\(refusedOutput)")
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/model.json"))
        let (acceptedStatus, acceptedOutput) = try install("same.npy")
        #expect(acceptedStatus == 0, "\(acceptedOutput)")
        let installed = try DetectionModel.load("\(directory)/model.json", sensorIntervalSeconds: 1)
        #expect(installed.file.svc.weights == base.svc.weights && installed.file.svc.bias == base.svc.bias)
        #expect(installed.file.classes != nil)
        let lines = try String(contentsOfFile: "\(directory)/state.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let refused = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any] ?? [:]
        #expect(refused["event"] as? String == "refused" && refused["round"] as? Int == 4)
        #expect((refused["reason"] as? String ?? "").contains("more than the margin"))
        #expect(refused["model_path"] as? String == FleetFixtures.model)
        let installedLine = try JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any] ?? [:]
        #expect(installedLine["event"] as? String == "installed")
    }
}
