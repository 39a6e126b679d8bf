import ArgumentParser
import Control
import FleetFiles
import Foundation

/// `coinsentryctl fleet ...`: fleet learning as its state files tell it (no daemon is asked).
struct Fleet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fleet learning: the latest run and round, the last model installed or refused, and why.",
        subcommands: [FleetStatusCommand.self])
}

struct FleetStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Per federation: the latest run, its rounds, the last model installed or refused, refusals.",
        discussion: """
            Reads fleet state files (JSON lines, docs/fleet.md): a participant's (written under \
            coinsentry-supernode.service, /var/lib/coinsentry-fleet/state.jsonl) and, on the coordinator, the \
            ServerApp's OUT_DIR/state.jsonl; give --state once for each. Unknown keys and events are ignored; a bad \
            line is reported on standard error with its file and line and skipped. Exit status 1 when no file \
            could be read.
            Examples:
              coinsentryctl fleet status
              coinsentryctl fleet status --state /srv/fleet/traffic/state.jsonl --state /srv/fleet/address/state.jsonl
              coinsentryctl fleet status --json | jq '.federations[] | {federation, refused}'
            """)

    @Option(name: .customLong("state"), help: "A fleet state file (repeatable).")
    var files: [String] = [FleetStatus.participantFile]

    @Flag(help: "Print the status as one JSON object.")
    var json = false

    func run() async throws {
        let status = FleetStatus.read(files)
        for problem in status.problems {
            FileHandle.standardError.write(Data("coinsentryctl: \(problem)\n".utf8))
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(status), as: UTF8.self))
        } else if status.federations.isEmpty, !status.files.isEmpty {
            print("no fleet activity recorded yet in \(status.files.joined(separator: ", "))")
        } else {
            print(status.federations.map(Self.describe).joined(separator: "\n\n"))
        }
        if status.files.isEmpty { throw ExitCode(1) }
    }

    /// One federation as `key  value` lines.
    static func describe(_ federation: FleetStatus.Federation) -> String {
        let run = federation.run.map { run in
            "\(run.runId) \(run.strategy), \(run.rounds) rounds"
                + (run.minNodes.map { ", n = \($0)" } ?? "") + (run.numMalicious.map { ", f = \($0)" } ?? "")
                + ", started \(Cell.localTime(run.started))"
                + (run.finished.map { ", finished \(Cell.localTime($0))" } ?? ", not finished")
        }
        let round = federation.latestRound.map { round in
            "\(round.round): \(round.participants) participants, \(round.examples) examples, "
                + Cell.localTime(round.time)
        }
        let trained = federation.trained.map { trained in
            "round \(trained.latest.round) of run \(trained.latest.runId) on \(trained.latest.examples) examples, "
                + "\(Cell.localTime(trained.latest.time)); rounds trained in that run: \(trained.rounds)"
        }
        let decision = federation.lastDecision.map { last in
            "\(last.event.rawValue) \(Cell.localTime(last.time))" + (last.round.map { ", round \($0)" } ?? "")
        }
        let scores = federation.lastDecision.map { last in
            "\(last.metric) \(last.candidateScore.cell) for \(last.modelId) against \(last.currentScore.cell) for "
                + "\(last.previousModelId), margin \(last.margin.cell), \(last.holdoutExamples) held-back examples"
        }
        return Cell.fields([
            "federation": federation.federation.rawValue, "run": run, "rounds completed": federation.roundsCompleted,
            "latest round": round, "trained": trained, "last model": decision, "scores": scores,
            "reason": federation.lastDecision?.reason, "installed": federation.installed,
            "refused": federation.refused,
        ])
    }
}
