import Alerting
import Capture
import Detection
import Foundation
import Sensor
import Synchronization

/// Each interface's part of the engine: its capture health, its pipeline's state across restarts, and the
/// control socket's view of them all. Every method here takes one interface's lock at a time, and the shared lock only
/// when no interface's is held.
extension SensorEngine {
    /// Runs `body` on one interface's state under its lock; nil for a source the sensor does not capture on.
    @discardableResult
    func withInterface<Result: Sendable, Failure: Error>(
        _ name: String, _ body: (inout InterfaceState) throws(Failure) -> Result
    ) throws(Failure) -> Result? {
        guard let lane = interfaces[name] else { return nil }
        return try lane.state.withLock { (entry: inout InterfaceState) throws(Failure) -> Result in try body(&entry) }
    }

    /// Applies a setting a reload changed (numbered `revision`, `Shared.nextRevision`) to every interface's pipeline,
    /// one interface at a time; a pipeline that already took a later revision of the same setting keeps it.
    func applyToPipelines<Failure: Error>(_ setting: WritableKeyPath<InterfaceState, UInt64>, revision: UInt64,
                                          _ change: (inout SensorPipeline) throws(Failure) -> Void) throws(Failure) {
        for name in names {
            try withInterface(name) { (entry: inout InterfaceState) throws(Failure) in
                guard entry[keyPath: setting] < revision else { return }
                try change(&entry.pipeline)
                entry[keyPath: setting] = revision
            }
        }
    }

    /// A host's status in the first interface's pipeline that tracks it.
    func status(of host: HostAddress) -> HostStatus? {
        for name in names {
            if let status = withInterface(name, { $0.pipeline.hosts[host] }) ?? nil { return status }
        }
        return nil
    }

    // MARK: Capture health

    /// Notes that capture on `interface` stopped by itself (the interface went away, a read error) or that its link is
    /// down: the daemon keeps running and reopens it, or waits for the link; status and statistics say the interface
    /// is down, since when and why. A second cause during one gap keeps the gap's start and gives the newer reason.
    public func captureStopped(on interface: String, reason: String) {
        withInterface(interface) { entry in
            entry.down = (entry.down?.since ?? Date(), reason)
            entry.packetsPerSecond = 0
            entry.bytesPerSecond = 0
        }
    }

    /// Notes that capture on `interface` runs again after a stop: the gap is counted, and the interface's windows start
    /// afresh (nothing was seen meanwhile, so no window may span the gap). Returns the gap in seconds.
    ///
    /// - Parameter reopened: whether a new capture session replaced the one that ended (a restart, counted, whose
    ///   statistics start from zero), or the same session resumed when the link came back.
    @discardableResult
    public func captureResumed(on interface: String, reopened: Bool = true) -> Double {
        withInterface(interface) { entry in
            guard let down = entry.down else { return 0 }
            let gap = Date().timeIntervalSince(down.since)
            entry.down = nil
            entry.downSeconds += gap
            if reopened {
                entry.restarts += 1
                entry.statistics = CaptureStatistics()
                entry.previousStatistics = CaptureStatistics()
                entry.rateSampledAt = Date()
            }
            _ = entry.pipeline.handle(.discontinuity(from: 0, to: 0))
            return gap
        } ?? 0
    }

    // MARK: State across restarts

    /// The evidence every host holds, as JSON per host, for the store to keep across a restart.
    public func heldEvidence() -> [String: String] {
        var byHost = [String: String]()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for name in names {
            withInterface(name) { entry in
                let width = entry.pipeline.model.file.windows.intervalSeconds
                for (host, status) in entry.pipeline.hosts where !status.evidence.isEmpty {
                    let records = status.evidence.compactMap { $0.record(intervalSeconds: width) }
                    guard !records.isEmpty, let data = try? encoder.encode(records) else { continue }
                    byHost[host.description] = String(decoding: data, as: UTF8.self)
                }
            }
        }
        return byHost
    }

    /// Gives hosts back the evidence they held before a restart (into the first source's pipeline). Pieces older than
    /// `verdict.evidence_hold_seconds` expire at the next interval, as they would have; unreadable entries are skipped
    /// and counted in the result.
    @discardableResult
    public func restoreEvidence(_ stored: [String: String]) -> (restored: Int, skipped: Int) {
        guard let source = names.first else { return (0, 0) }
        let width = shared.withLock { $0.model.file.windows.intervalSeconds }
        var pieces = [(host: HostAddress, evidence: HostEvidence, interval: Int64)]()
        var skipped = 0
        for (text, json) in stored {
            guard let host = HostAddress(text),
                  let records = try? JSONDecoder().decode([HeldEvidence.Record].self, from: Data(json.utf8)) else {
                skipped += 1
                continue
            }
            for record in records {
                guard let held = HeldEvidence.restore(record, host: host, intervalSeconds: width) else {
                    skipped += 1
                    continue
                }
                pieces.append((host, held.evidence, held.lastInterval))
            }
        }
        add(pieces, from: source)
        return (pieces.count, skipped)
    }

    /// Gives hosts back the votes they had before a restart, for states saved within the vote's span (its length
    /// times the slide); older ones would vote on traffic long gone. Returns how many hosts got theirs back.
    @discardableResult
    public func restoreVotes(_ states: [HostState], now: Date = Date()) -> Int {
        guard let source = names.first else { return 0 }
        let restored = withInterface(source) { entry -> (changes: [VerdictChange], model: DetectionModel, hosts: Int) in
            let file = entry.pipeline.model.file
            let span = Double(file.vote.length) * file.windows.slideSeconds
            let interval = Int64((now.timeIntervalSince1970 / file.windows.intervalSeconds).rounded(.down))
            var changes = [VerdictChange]()
            var hosts = 0
            for saved in states where now.timeIntervalSince(saved.updatedAt) <= span {
                guard let host = HostAddress(saved.host), let decisions = saved.decisions, !decisions.isEmpty else {
                    continue
                }
                hosts += 1
                changes += entry.pipeline.restoreVote(host, decisions: decisions, interval: interval)
            }
            return (changes, entry.pipeline.model, hosts)
        }
        guard let restored else { return 0 }
        var effects = Effects()
        shared.withLock { state in
            for change in restored.changes {
                Self.act(on: change, state: &state, model: restored.model, effects: &effects)
            }
        }
        apply(effects)
        return restored.hosts
    }

    // MARK: Views for the control socket

    /// A copy of everything the control commands report: each interface's figures and hosts are consistent in
    /// themselves (taken under its lock), the shared part (model, episodes, inline state) likewise; taken one after
    /// another, so a batch may land between two of them.
    public struct Snapshot: Sendable {
        public var model: DetectionModel
        public var modelPath: String
        public var paused: Bool
        public var hosts: [HostStatus]
        public var interfaces: [InterfaceSnapshot]
        /// Hosts with an open episode.
        public var episodes: [HostAddress: EpisodeTracker.Episode]
        /// Benign marks by target, and alerts suppressed by them per host.
        public var benign: [String: BenignMark]
        public var suppressed: [HostAddress: Int]
        public var configuration: SensorConfiguration
        /// Inline blocks by host, with the allowlist (configured and operators').
        public var blocks: [InlineBlock]
        public var allowlist: [AllowedHost]
        /// The queue's verdicts, when inline mode runs.
        public var verdicts: VerdictStatistics?
    }

    /// One capture source's figures and health.
    public struct InterfaceSnapshot: Sendable {
        public var name: String
        public var statistics: CaptureStatistics
        public var packetsPerSecond: Double
        public var bytesPerSecond: Double
        public var windowsDecided: Int
        public var windowsBelowFloor: Int
        /// Since when capture is down and why; nil while it runs.
        public var down: (since: Date, reason: String)?
        /// Times capture was reopened after stopping by itself, and the seconds it was down in all.
        public var restarts: Int
        public var downSeconds: Double
    }

    /// The interfaces one after another (in name order), then the shared part.
    public func snapshot() -> Snapshot {
        var hosts = [HostStatus]()
        var figures = [InterfaceSnapshot]()
        var verdicts: VerdictStatistics?
        for name in names {
            withInterface(name) { entry in
                hosts += entry.pipeline.hosts.values
                figures.append(InterfaceSnapshot(
                    name: name, statistics: entry.statistics, packetsPerSecond: entry.packetsPerSecond,
                    bytesPerSecond: entry.bytesPerSecond, windowsDecided: entry.pipeline.windowsDecided,
                    windowsBelowFloor: entry.pipeline.windowsBelowFloor, down: entry.down, restarts: entry.restarts,
                    downSeconds: entry.downSeconds + (entry.down.map { Date().timeIntervalSince($0.since) } ?? 0)))
                verdicts = verdicts ?? entry.verdicts
            }
        }
        return shared.withLock { state in
            Snapshot(model: state.model, modelPath: state.modelPath, paused: state.paused, hosts: hosts,
                     interfaces: figures, episodes: state.episodes.episodes, benign: state.benign,
                     suppressed: state.suppressed, configuration: state.configuration,
                     blocks: state.inline.blocks.values.map(\.record).sorted { $0.host < $1.host },
                     allowlist: state.inline.configuredAllowlist.sorted().map {
                         AllowedHost(host: $0.description, requestedBy: "configuration", since: startedAt)
                     } + state.inline.allowed.values.sorted { $0.host < $1.host },
                     verdicts: verdicts)
        }
    }
}
