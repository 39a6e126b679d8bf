import FleetFiles
import Foundation
import Testing

/// `coinsentryctl fleet status`'s reading of real state files: participant and coordinator lines summed up per
/// federation, unknown keys and events ignored, bad lines and missing files reported with where they are.
@Suite struct FleetStatusTests {
    static let coordinator = """
        {"event": "run-started", "federation": "traffic", "min_nodes": 3, "num_malicious": 0, "rounds": 2, \
        "run_id": 11, "strategy": "FedAvg", "time": "2026-12-01T09:00:00Z"}
        {"event": "round", "examples": 900, "federation": "traffic", "participants": 3, "round": 1, \
        "strategy": "FedAvg", "time": "2026-12-01T09:01:00Z"}
        {"event": "run-finished", "federation": "traffic", "rounds": 2, "run_id": 11, "strategy": "FedAvg", \
        "time": "2026-12-01T09:05:00Z"}
        {"event": "run-started", "federation": "traffic", "min_nodes": 50, "num_malicious": 10, "rounds": 5, \
        "run_id": 18446744073709551615, "strategy": "MultiKrum", "time": "2026-12-05T10:00:00Z", "note": "new key"}
        {"event": "round", "examples": 41000, "federation": "traffic", "participants": 48, "round": 1, \
        "strategy": "MultiKrum", "time": "2026-12-05T10:02:00Z"}
        {"event": "round", "examples": 42000, "federation": "traffic", "participants": 50, "round": 2, \
        "strategy": "MultiKrum", "time": "2026-12-05T10:04:00Z"}
        {"event": "round", "federation": "traffic", "round": "three", "time": "2026-12-05T10:06:00Z"}

        {"event": "run-started", "federation": "address", "min_nodes": 3, "num_malicious": 0, "rounds": 1, \
        "run_id": 7, "strategy": "FedMedian", "time": "2026-12-05T11:00:00Z"}
        """

    static func decision(_ event: String, round: Int, candidate: Double, time: String) -> String {
        """
        {"candidate_score": \(candidate), "current_score": 0.9, "event": "\(event)", "federation": "traffic", \
        "holdout_examples": 400, "margin": 0.02, "metric": "balanced_accuracy", "model_id": "m\(round)", \
        "model_path": "/var/lib/coinsentry-fleet/model.json", "previous_model_id": "m0", "reason": "figures", \
        "round": \(round), "time": "\(time)"}
        """
    }

    static var participant: String {
        [
            #"{"event": "trained", "examples": 800, "federation": "traffic", "round": 1, "#
                + #""run_id": 18446744073709551615, "time": "2026-12-05T10:01:00Z"}"#,
            decision("installed", round: 1, candidate: 0.91, time: "2026-12-05T10:03:00Z"),
            "{not json",
            #"{"event": "trained", "examples": 810, "federation": "traffic", "round": 2, "#
                + #""run_id": 18446744073709551615, "time": "2026-12-05T10:03:30Z"}"#,
            #"{"event": "checkpointed", "federation": "elsewhere"}"#,
            #"{"event": "refused", "federation": "traffic", "time": "2026-12-05T10:05:00Z"}"#,
            #"{"event": "trained", "federation": "mystery", "round": 1, "time": "2026-12-05T10:05:00Z"}"#,
            decision("refused", round: 2, candidate: 0.4, time: "2026-12-05T10:05:30Z"),
        ].joined(separator: "\n") + "\n"
    }

    static func files() throws -> (directory: String, participant: String, coordinator: String) {
        let directory = try FleetFixtures.temporaryDirectory()
        try participant.write(toFile: "\(directory)/state.jsonl", atomically: true, encoding: .utf8)
        try coordinator.write(toFile: "\(directory)/coordinator.jsonl", atomically: true, encoding: .utf8)
        return (directory, "\(directory)/state.jsonl", "\(directory)/coordinator.jsonl")
    }

    @Test func participantAndCoordinatorLinesMakeOneStatusPerFederation() throws {
        let (directory, participant, coordinator) = try Self.files()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let status = FleetStatus.read([participant, coordinator])
        #expect(status.files == [participant, coordinator])
        #expect(status.federations.map(\.federation) == [.traffic, .address])
        let traffic = try #require(status.federations.first)
        let run = try #require(traffic.run)
        #expect(run.runId.description == "18446744073709551615" && run.strategy == "MultiKrum")
        #expect(run.rounds == 5 && run.minNodes == 50 && run.numMalicious == 10 && run.finished == nil)
        #expect(traffic.roundsCompleted == 2, "the earlier run's round is not the latest run's")
        #expect(traffic.latestRound?.round == 2 && traffic.latestRound?.participants == 50)
        #expect(traffic.latestRound?.examples == 42000)
        #expect(traffic.trained?.latest.round == 2 && traffic.trained?.latest.examples == 810)
        #expect(traffic.trained?.rounds == 2)
        let last = try #require(traffic.lastDecision)
        #expect(last.event == .refused && last.round == 2 && last.candidateScore == 0.4 && last.currentScore == 0.9)
        #expect(last.margin == 0.02 && last.reason == "figures" && last.time == "2026-12-05T10:05:30Z")
        #expect(traffic.installed == 1 && traffic.refused == 1)
        let address = try #require(status.federations.last)
        #expect(address.run?.strategy == "FedMedian" && address.roundsCompleted == 0 && address.lastDecision == nil)
    }

    @Test func badLinesAreReportedWithFileAndLineAndSkipped() throws {
        let (directory, participant, coordinator) = try Self.files()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let status = FleetStatus.read([participant, coordinator])
        #expect(status.problems.map { "\($0.file.split(separator: "/").last!):\($0.line ?? 0)" } == [
            "state.jsonl:3", "state.jsonl:6", "state.jsonl:7", "coordinator.jsonl:7",
        ])
        #expect(status.problems[0].message == "not a JSON object; skipped")
        #expect(status.problems[1].message.contains("is missing"))
        #expect(status.problems[2].message.hasPrefix("unknown federation 'mystery'"))
        #expect(status.problems[3].message.contains("\"round\" is not a number"))
        #expect(status.problems[0].description == "\(participant):3: not a JSON object; skipped")
    }

    @Test func aMissingFileSaysWhatItIsAndWhatWritesIt() throws {
        let (directory, participant, _) = try Self.files()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let status = FleetStatus.read(["\(directory)/absent.jsonl", participant])
        #expect(status.files == [participant] && status.federations.count == 1)
        let problem = try #require(status.problems.first)
        #expect(problem.line == nil && problem.file == "\(directory)/absent.jsonl")
        #expect(problem.message.contains("no such fleet state file"))
        #expect(problem.message.contains("coinsentry-supernode.service") && problem.message.contains("out-dir"))
        #expect(FleetStatus.read(["\(directory)/absent.jsonl"]).files.isEmpty)
    }

    @Test func theStatusEncodesWithTheFilesNames() throws {
        let (directory, participant, coordinator) = try Self.files()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = try JSONEncoder().encode(FleetStatus.read([participant, coordinator]))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let traffic = try #require((object["federations"] as? [[String: Any]])?.first)
        #expect(traffic["rounds_completed"] as? Int == 2)
        #expect((traffic["run"] as? [String: Any])?["run_id"] as? String == "18446744073709551615")
        #expect((traffic["last_decision"] as? [String: Any])?["candidate_score"] as? Double == 0.4)
    }
}
