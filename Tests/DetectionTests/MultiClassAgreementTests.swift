import DetectionTraining
import Foundation
import Testing
@testable import Detection
import Profiling
import TestSupport
import Traces

/// The class block against scikit-learn's one-vs-rest `LinearSVC` (`reference/linear_svc.py` with `one_vs_rest`)
/// on the same windows: the eleven plain Nypto traces, each split in time (earlier 70 % trains, the rest after a
/// one-window gap tests).
@Suite(.enabled(if: PythonReference.isAvailable, Comment(rawValue: PythonReference.unavailableReason)))
struct MultiClassAgreementTests {
    @Test(.enabled(if: SharedData.isPresent, Comment(rawValue: SharedData.absentReason)))
    func oneVsRestAgreesWithScikitLearnOnAtLeast99PercentOfHeldOutNyptoWindows() throws {
        let settings = WindowSettings(windowSeconds: [120], counterScale: .log1p)
        let penalty = 0.1
        let traces = try Manifest.load(directory: SharedData.path("nypto")).filter { $0.trafficClass != nil }
        let names = traces.compactMap(\.trafficClass).sorted()
        #expect(names.count == 11)
        var parts = [MultiClassTrainer.Part]()
        var train = [[Double]](), labels = [Int](), test = [[Double]]()
        for trace in traces {
            let rows = try TraceFile.read(trace.path, interval: 0.5).resampled(to: 1).rows
            let cut = rows.count * 7 / 10
            let training = try TraceWindows.extract(rows: rows[..<cut], settings: settings)
            var capped = training
            capped.features = Array(training.features.prefix(400))
            let held = try TraceWindows.extract(rows: rows[(cut + 120)...], settings: settings)
            let trafficClass = try #require(trace.trafficClass)
            parts.append(.init(part: .init(name: trace.name, isMining: trace.isMining, rows: cut, windows: capped),
                               trafficClass: trafficClass))
            train += capped.features
            labels += repeatElement(try #require(names.firstIndex(of: trafficClass)), count: capped.features.count)
            test += held.features.prefix(200)
        }
        let scaler = StandardScaler.fit(train)
        let pca = try PrincipalComponents.fit(train.map(scaler.transform), varianceToKeep: 0.999)
        let block = try MultiClassTrainer.fit(parts, scaler: scaler, pca: pca, options: .init(penalty: penalty))
        #expect(block.classes.map(\.name) == names)
        let classifier = try MultiClassModel(block, scaler: scaler, pca: pca)
        let reply = try PythonReference.runScript(
            "Tests/DetectionTests/reference/linear_svc.py",
            request: ["train": train, "labels": labels, "test": test, "components": pca.components.count,
                      "C": penalty, "one_vs_rest": true])
        let theirs = try #require(reply["predictions"] as? [Int])
        let ours = test.map(classifier.classIndex)
        #expect(theirs.count == ours.count)
        let agreement = Double(zip(ours, theirs).filter { $0 == $1 }.count) / Double(ours.count)
        #expect(agreement >= 0.99, "agreement \(agreement) on \(ours.count) held-out windows")
    }
}
