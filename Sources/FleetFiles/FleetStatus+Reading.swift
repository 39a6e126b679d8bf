import Foundation

extension FleetStatus {
    /// A participant's state file, as the `coinsentry-supernode` unit's node config names it.
    public static let participantFile = "/var/lib/coinsentry-fleet/state.jsonl"

    /// Reads fleet state files (a participant's, the coordinator's, or both) and sums them up per federation.
    ///
    /// Unknown keys and events are ignored; a line that is not a JSON object, has no time, or lacks a key its event
    /// needs is skipped and listed in `problems` with file and line; a missing or unreadable file is listed there too.
    public static func read(_ paths: [String]) -> FleetStatus {
        var lines = [Line]()
        var problems = [FileProblem]()
        var read = [String]()
        for (index, path) in paths.enumerated() {
            do throws(FileProblem) {
                for (number, data) in try JSONLines.lines(of: path, missing: missingFile) {
                    do throws(JSONLines.LineError) {
                        if let line = try Line(data, file: index, number: number) { lines.append(line) }
                    } catch {
                        problems.append(FileProblem(file: path, line: number, message: error.message + "; skipped"))
                    }
                }
                read.append(path)
            } catch {
                problems.append(error)
            }
        }
        lines.sort { ($0.date, $0.file, $0.number) < ($1.date, $1.file, $1.number) }
        let federations = FleetFederation.allCases.compactMap { federation in
            summary(of: lines.filter { $0.federation == federation }, federation: federation)
        }
        return FleetStatus(files: read, federations: federations, problems: problems)
    }

    /// What a missing state file is and what writes it.
    static let missingFile = "no such fleet state file. A participant's is written by 'coinsentry fleet install' and "
        + "the Flower ClientApp under coinsentry-supernode.service (node config 'state-file', "
        + "\(participantFile) in the unit); the coordinator's by the ServerApp as OUT_DIR/state.jsonl (run config "
        + "'out-dir'). It appears after the first round"

    private static func summary(of lines: [Line], federation: FleetFederation) -> Federation? {
        guard !lines.isEmpty else { return nil }
        var status = Federation(federation: federation, roundsCompleted: 0, installed: 0, refused: 0)
        var runStart: Date?
        var rounds = [FleetRoundRecord]()
        var training = [FleetTrainedRecord]()
        for line in lines {
            switch line.record {
            case .run(let run) where run.event == .runStarted:
                status.run = Run(runId: run.runId, strategy: run.strategy, rounds: run.rounds, minNodes: run.minNodes,
                                 numMalicious: run.numMalicious, started: run.time)
                runStart = line.date
                rounds = []
            case .run(let run):
                if status.run?.runId == run.runId { status.run?.finished = run.time }
            case .round(let round):
                if runStart.map({ line.date >= $0 }) ?? true { rounds.append(round) }
            case .trained(let trained):
                training.append(trained)
            case .decision(let decision):
                status.lastDecision = decision
                if decision.event == .installed { status.installed += 1 } else { status.refused += 1 }
            }
        }
        status.roundsCompleted = Set(rounds.map(\.round)).count
        status.latestRound = rounds.max { $0.round < $1.round }
        if let latest = training.last {
            status.trained = Trained(latest: latest, rounds: Set(training.filter { $0.runId == latest.runId }
                .map(\.round)).count)
        }
        return status
    }

    /// One line of a state file that counts, decoded.
    private struct Line {
        enum Record {
            case run(FleetRunRecord)
            case round(FleetRoundRecord)
            case trained(FleetTrainedRecord)
            case decision(FleetStateRecord)
        }

        private struct Header: Decodable {
            var event: String
            var time: String
            var federation: String
        }

        var record: Record
        var federation: FleetFederation
        var date: Date
        var file: Int
        var number: Int

        /// The line's record, or nil for an event this reader does not know.
        init?(_ data: Data, file: Int, number: Int) throws(JSONLines.LineError) {
            guard let header = try? JSONDecoder().decode([String: JSONScalar].self, from: data) else {
                throw JSONLines.LineError(message: "not a JSON object")
            }
            guard case .text(let name)? = header["event"] else {
                throw JSONLines.LineError(message: "\"event\" is missing")
            }
            guard let event = FleetEvent(rawValue: name) else { return nil }
            let fields = try JSONLines.decode(Header.self, data)
            guard let federation = FleetFederation(rawValue: fields.federation) else {
                throw JSONLines.LineError(message: "unknown federation '\(fields.federation)' (expected "
                                          + FleetFederation.allCases.map(\.rawValue).joined(separator: " or ") + ")")
            }
            guard let date = try? Date(fields.time, strategy: .iso8601) else {
                throw JSONLines.LineError(message: "\"time\" '\(fields.time)' is not an ISO 8601 time")
            }
            switch event {
            case .installed, .refused: record = .decision(try JSONLines.decode(FleetStateRecord.self, data))
            case .runStarted, .runFinished: record = .run(try JSONLines.decode(FleetRunRecord.self, data))
            case .round: record = .round(try JSONLines.decode(FleetRoundRecord.self, data))
            case .trained: record = .trained(try JSONLines.decode(FleetTrainedRecord.self, data))
            }
            self.federation = federation
            self.date = date
            self.file = file
            self.number = number
        }
    }

    /// Any JSON value, kept only far enough to read a line's `event`.
    private enum JSONScalar: Decodable {
        case text(String)
        case other

        init(from decoder: any Decoder) throws {
            self = (try? decoder.singleValueContainer().decode(String.self)).map(Self.text) ?? .other
        }
    }
}
