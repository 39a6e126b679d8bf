import Alerting
import Detection
import Fleet
import FleetFiles
import Foundation
import TestSupport
import Testing

/// A refused global model reaches the operator: `coinsentry fleet install` sends a `fleet-refused` alert to journald
/// and syslog besides its `refused` state line.
@Suite struct RefusalAlertTests {
    /// A held-back set and a sign-flipped global model that the acceptance check refuses, in `directory`.
    static func refusedInstall(in directory: String, alert: [String], sensor: String) throws -> (Int32, String) {
        let base = try DetectionModel.load(FleetFixtures.model).file
        try FleetFixtures.windows(count: 60, miningShare: 0.5, seed: 11)
            .write(features: "\(directory)/hx.npy", labels: "\(directory)/hy.npy")
        try NpyFile.write(NpyArray(vector: TrafficModelVector.vector(of: base).map { -$0 }), to: "\(directory)/bad.npy")
        let process = try Shell.start([
            FleetFixtures.binary, "fleet", "install", "--global", "\(directory)/bad.npy", "--base", FleetFixtures.model,
            "--out", "\(directory)/model.json", "--holdout-features", "\(directory)/hx.npy", "--holdout-labels",
            "\(directory)/hy.npy", "--state", "\(directory)/state.jsonl", "--round", "6", "--sensor", sensor,
        ] + alert.flatMap { ["--alert", $0] })
        let output = String(decoding: process.standardOutputData(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test func theAlertRecordCarriesTheFederationRoundScoresAndReason() {
        let refused = FleetStateRecord(
            event: .refused, federation: .address, round: 3, modelId: "cand", previousModelId: "prev",
            metric: "balanced_accuracy", currentScore: 0.9, candidateScore: 0.4, margin: 0.02, holdoutExamples: 120,
            reason: "balanced_accuracy 0.4 against 0.9", modelPath: "/m.json")
        let alert = FleetRefusalAlert.record(for: refused, sensor: "site-7")
        #expect(alert.event == .fleetRefused && alert.severity == 4 && alert.sensor == "site-7")
        #expect(alert.event.messageID == "f796f609e22a4f97b93dac4f465c50e8")
        #expect(alert.model == "cand" && alert.score == 0.4 && alert.windows == 120 && alert.host == "-")
        #expect(alert.reason == "round 3: balanced_accuracy 0.4 against 0.9")
        #expect(alert.evidence == [AlertRecord.Evidence(kind: "fleet", name: "address", score: 0.9)])
        #expect(alert.summary.hasPrefix("fleet learning: the address global model cand was refused and not installed"))
        #expect(EVEAlert(alert).srcIP == nil)
    }

    @Test(.disabled(if: FleetFixtures.binaryUnavailable != nil, "\(FleetFixtures.binaryUnavailable ?? "")"))
    func aRefusedInstallSendsASyslogMessage() throws {
        let directory = try FleetFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = "\(directory)/log"
        let receiver = try DatagramReceiver(unixPath: socket)
        let (status, output) = try Self.refusedInstall(in: directory, alert: ["unix:\(socket)"], sensor: "site-s")
        #expect(status == 3, "\(output)")
        let message = try #require(receiver.receive())
        #expect(message.hasPrefix("<28>1 "), "facility daemon, severity warning: \(message)")
        #expect(message.contains(" coinsentry-fleet ") && message.contains(" fleet-refused "))
        #expect(message.contains(#"sensor="site-s""#) && message.contains(#"event="fleet-refused""#))
        #expect(message.contains("round 6: balanced_accuracy"))
        #expect(message.contains(#"message_id="f796f609e22a4f97b93dac4f465c50e8""#))
    }

    @Test(.enabled(if: JournaldHarness.unavailableReason == nil && FleetFixtures.binaryUnavailable == nil,
                   "\(JournaldHarness.unavailableReason ?? FleetFixtures.binaryUnavailable ?? "")"))
    func aRefusedInstallWritesAJournalEntry() async throws {
        try await JournaldHarness.ensureRunning()
        let directory = try FleetFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sensor = "fleet-test-\(UUID().uuidString)"
        let (status, output) = try Self.refusedInstall(in: directory, alert: ["journald"], sensor: sensor)
        #expect(status == 3, "\(output)")
        var found = [[String: Any]]()
        for _ in 0..<50 where found.isEmpty {
            found = try JournaldHarness.entries(["MESSAGE_ID=f796f609e22a4f97b93dac4f465c50e8",
                                                 "COINSENTRY_SENSOR=\(sensor)"])
            if found.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        }
        let entry = try #require(found.first)
        #expect(found.count == 1)
        #expect(entry["PRIORITY"] as? String == "4" && entry["SYSLOG_IDENTIFIER"] as? String == "coinsentry-fleet")
        #expect(entry["COINSENTRY_EVENT"] as? String == "fleet-refused")
        #expect((entry["COINSENTRY_REASON"] as? String)?.hasPrefix("round 6: balanced_accuracy") == true)
        #expect((entry["MESSAGE"] as? String)?.contains("the traffic global model") == true)
    }
}
