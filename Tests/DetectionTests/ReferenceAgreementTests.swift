import DetectionTraining
import Foundation
import Profiling
import Randomness
import Testing
@testable import Detection
import TestSupport
import Traces

/// Scaler, PCA and SVC against scikit-learn (`reference/linear_svc.py`) on the same data.
@Suite(.enabled(if: PythonReference.isAvailable, Comment(rawValue: PythonReference.unavailableReason)))
struct ReferenceAgreementTests {
    struct Split {
        var train: [[Double]]
        var labels: [Bool]
        var test: [[Double]]
    }

    /// Two overlapping Gaussian-ish classes in 30 dimensions with correlated, differently scaled columns.
    static func syntheticSplit() -> Split {
        var generator = SplitMix64(seed: 42)
        func normal() -> Double {
            let u = Double.random(in: Double.ulpOfOne..<1, using: &generator)
            let v = Double.random(in: 0..<1, using: &generator)
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
        func row(_ positive: Bool) -> [Double] {
            let shared = normal()
            return (0..<30).map { j in
                (normal() + 0.6 * shared + (positive && j % 3 == 0 ? 0.8 : 0)) * Double(j + 1) * 10
            }
        }
        var split = Split(train: [], labels: [], test: [])
        for index in 0..<1500 {
            let positive = index % 4 == 0
            split.train.append(row(positive))
            split.labels.append(positive)
        }
        for index in 0..<1000 { split.test.append(row(index % 2 == 0)) }
        return split
    }

    func agreement(_ split: Split, variance: Double) throws -> (agreement: Double, ours: ModelFile) {
        let options = TrainingOptions(windows: WindowSettings(), pcaVariance: variance)
        let scaler = StandardScaler.fit(split.train)
        let scaled = split.train.map(scaler.transform)
        let pca = try PrincipalComponents.fit(scaled, varianceToKeep: options.pcaVariance)
        let svc = LinearSVCTrainer().train(scaled.map(pca.transform), labels: split.labels).model
        let reply = try PythonReference.runScript(
            "Tests/DetectionTests/reference/linear_svc.py",
            request: [
                "train": split.train, "labels": split.labels.map { $0 ? 1 : 0 }, "test": split.test,
                "components": pca.components.count, "C": 1.0,
            ])
        let theirs = try #require(reply["predictions"] as? [Int])
        let ours = split.test.map { svc.decision(pca.transform(scaler.transform($0))) > 0 ? 1 : 0 }
        let agreeing = zip(ours, theirs).filter { $0 == $1 }.count
        let explained = try #require(reply["explained"] as? [Double])
        for (mine, reference) in zip(pca.explainedVarianceRatio, explained) {
            #expect(abs(mine - reference) < 1e-6)
        }
        let mean = try #require(reply["scaler_mean"] as? [Double])
        let scale = try #require(reply["scaler_scale"] as? [Double])
        for j in mean.indices {
            #expect(abs(scaler.mean[j] - mean[j]) <= 1e-9 * max(1, abs(mean[j])))
            #expect(abs(scaler.scale[j] - scale[j]) <= 1e-9 * max(1, abs(scale[j])))
        }
        let file = ModelFile(
            format: ModelFile.formatTag, version: ModelFile.currentVersion, id: "t", created: "t",
            windows: options.windows, features: [], scaler: scaler, pca: pca,
            svc: .init(weights: svc.weights, bias: svc.bias, solver: "", penalty: 1, miningWeight: 1, normalWeight: 1,
                       iterations: 0, converged: true),
            vote: VoteSettings(), training: .init(traceIntervalSeconds: 1, traces: [], miningWindows: 0,
                                                  normalWindows: 0))
        return (Double(agreeing) / Double(ours.count), file)
    }

    @Test func svcAgreesWithScikitLearnOnSyntheticData() throws {
        let result = try agreement(Self.syntheticSplit(), variance: 0.95)
        #expect(result.agreement >= 0.99, "agreement \(result.agreement)")
    }

    @Test(.enabled(if: SharedData.isPresent, Comment(rawValue: SharedData.absentReason)))
    func svcAgreesWithScikitLearnOnAtLeast99PercentOfHeldOutNyptoWindows() throws {
        let settings = WindowSettings(windowSeconds: [120])
        var split = Split(train: [], labels: [], test: [])
        for (file, mining) in [
            ("datasets/mining_2t_nicehash", true), ("datasets/mining_4t_nicehash", true),
            ("datasets/mining_gpu_nicehash_equihash_1070_60p", true), ("vpn-datasets/vpn-mining-4t", true),
            ("datasets/browsing", false), ("datasets/netflix", false), ("datasets/social-network", false),
            ("datasets/youtube", false), ("vpn-datasets/vpn-netflix", false),
        ] {
            let trace = try TraceFile.read(SharedData.path("nypto/\(file).dat"), interval: 0.5).resampled(to: 1)
            let cut = trace.rows.count * 7 / 10
            let train = try TraceWindows.extract(rows: trace.rows[..<cut], settings: settings)
            let test = try TraceWindows.extract(rows: trace.rows[(cut + 120)...], settings: settings)
            split.train += train.features.prefix(600)
            split.labels += repeatElement(mining, count: min(600, train.features.count))
            split.test += test.features.prefix(300)
        }
        let result = try agreement(split, variance: 0.999)
        #expect(result.agreement >= 0.99, "agreement \(result.agreement)")
    }
}
