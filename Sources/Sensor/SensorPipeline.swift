import Capture
import Detection
import PoolDetection
import Profiling
import Traces

/// The sensor's decision path after capture: interval records → per-host windows → model → causal vote, fused
/// with the host's evidence (`VerdictFusion`) into the verdict alerts follow.
///
/// `coinsentryd` and `coinsentry replay --model` run exactly this, so offline results are what the daemon would
/// have decided on the same traffic.
public struct SensorPipeline: Sendable {
    /// How many recent window decisions each host keeps for inspection.
    public static let recentLimit = 50

    public private(set) var model: DetectionModel
    public private(set) var hosts: [HostAddress: HostStatus] = [:]
    /// Window decisions made so far.
    public private(set) var windowsDecided = 0
    /// Windows left out of the vote for holding fewer packets than `VerdictFusion.Settings.minimumWindowPackets`.
    public private(set) var windowsBelowFloor = 0
    private var engine: WindowEngine<HostAddress>
    private var voter: Voter<HostAddress>
    private let maximumHosts: Int
    /// The rule combining vote and evidence.
    public var fusion: VerdictFusion
    /// Hosts holding evidence, re-decided at every interval close (evidence expires).
    private var hostsWithEvidence: Set<HostAddress> = []
    /// Turns capture reports (stratum, pool names, flow summaries) into evidence.
    public private(set) var intake: EvidenceIntake

    /// - Parameter poolModel: the pool-connection model scoring flow summaries; without one they are ignored.
    /// - Throws: `WindowSettingsError` when the model's window settings cannot be honoured.
    public init(model: DetectionModel, maximumHosts: Int = 16384, fusion: VerdictFusion = VerdictFusion(),
                poolModel: PoolShapeModel? = nil) throws {
        self.model = model
        self.maximumHosts = maximumHosts
        self.fusion = fusion
        intake = EvidenceIntake(poolModel: poolModel)
        engine = try WindowEngine(settings: model.file.windows, maximumHosts: maximumHosts)
        voter = Voter(settings: model.file.vote)
    }

    /// Adds what the capture thread reported beside interval records (`CaptureBatch.evidence`), as
    /// `EvidenceIntake` makes it evidence; returns the change it makes at once.
    public mutating func add(_ found: CaptureEvidence) -> [VerdictChange] {
        var changes = [VerdictChange]()
        if case .flowShape(let shape) = found { changes += connectionLived(shape) }
        return changes + intake.take(found, poolPorts: fusion.settings.poolPorts,
                                          poolShapeScore: fusion.settings.minimumPoolShapeScore).flatMap {
            add($0.evidence, for: $0.host, interval: $0.interval)
        }
    }

    /// A flow summary says how long a connection the host opened has lived: a pool name tied to its remote endpoint
    /// learns it (a long-lived connection to a pool's address makes the name strong evidence).
    private mutating func connectionLived(_ shape: FlowShape) -> [VerdictChange] {
        guard shape.localIsClient, var status = hosts[shape.host] else { return [] }
        var changed = false
        for index in status.evidence.indices {
            guard case .poolName(let remote?, let name, let source, let connected) = status.evidence[index].evidence,
                  remote.address == shape.remote, remote.port == 0 || remote.port == shape.remotePort,
                  shape.age > connected else { continue }
            status.evidence[index].evidence = .poolName(remote: EvidenceEndpoint(address: shape.remote,
                                                                                 port: shape.remotePort),
                                                        name: name, source: source, connected: shape.age)
            status.evidence[index].lastInterval = max(status.evidence[index].lastInterval, shape.interval)
            changed = true
        }
        guard changed else { return [] }
        hosts[shape.host] = status
        return redecide(shape.host, interval: shape.interval)
    }

    /// Scores flow summaries with a new pool-connection model (or none) from now on.
    public mutating func replace(poolModel: PoolShapeModel?) {
        intake.replace(poolModel: poolModel)
    }

    /// Adds a piece of evidence for a local host, reported in `interval`; returns the change it makes at once
    /// (clear-text stratum turns a host *mining* without waiting for a window). A report with the identity of a held
    /// piece replaces it and refreshes its age.
    public mutating func add(_ evidence: HostEvidence, for host: HostAddress, interval: Int64) -> [VerdictChange] {
        guard var status = hosts[host] ?? (hosts.count < maximumHosts ? HostStatus(host: host, seen: interval) : nil)
        else { return [] }
        let held = HeldEvidence(evidence: evidence, lastInterval: interval)
        if let index = status.evidence.firstIndex(where: { $0.evidence.identity == evidence.identity }) {
            status.evidence[index] = HeldEvidence(evidence: evidence.merged(into: status.evidence[index].evidence),
                                                  lastInterval: interval)
        } else {
            status.evidence.append(held)
        }
        hosts[host] = status
        hostsWithEvidence.insert(host)
        return redecide(host, interval: interval)
    }

    /// Intervals in one bucket of a host's traffic series: a minute.
    public var seriesBucketIntervals: Int64 {
        TrafficSeries.bucketIntervals(intervalSeconds: model.file.windows.intervalSeconds)
    }

    /// Feeds one capture event; returns the hosts whose verdict changed to or from *mining* because of it.
    public mutating func handle(_ event: CaptureEvent) -> [VerdictChange] {
        switch event {
        case .host(let interval):
            engine.record(host: interval.host, intervalIndex: interval.index, counters: interval.counters)
            if hosts[interval.host] == nil {
                guard hosts.count < maximumHosts else { return [] }
                hosts[interval.host] = HostStatus(host: interval.host, seen: interval.index)
            }
            // In place: a copy taken out and stored back would copy the host's buffers at every interval.
            let bucketIntervals = seriesBucketIntervals
            hosts[interval.host]?.count(interval, bucketIntervals: bucketIntervals)
            return []
        case .intervalClosed(let index):
            var changes = [VerdictChange]()
            let voteLength = model.file.vote.length
            for window in engine.intervalClosed(index) {
                guard window.packets >= fusion.settings.minimumWindowPackets else {
                    windowsBelowFloor += 1
                    continue
                }
                let value = model.decision(window.features)
                windowsDecided += 1
                let verdict = voter.add(host: window.host, mining: value > 0)
                guard hosts[window.host] != nil else { continue }
                hosts[window.host]?.decided(window, value: value, verdict: verdict, voteLength: voteLength)
                if let classifier = model.classifier {
                    hosts[window.host]?.classified(classifier.classIndex(window.features),
                                                   settings: classifier.parameters.vote,
                                                   classCount: classifier.names.count)
                }
                changes += redecide(window.host, interval: window.endInterval)
            }
            for host in hostsWithEvidence {
                changes += redecide(host, interval: index)
                if hosts[host]?.evidence.isEmpty ?? true { hostsWithEvidence.remove(host) }
            }
            return changes + forgetIdleHosts(now: index)
        case .discontinuity(let from, let to):
            engine.discontinuity()
            rebase(by: to - from)
            return []
        }
    }

    /// After the capture's clock jumped (a wall clock stepped), interval indices from then on differ by `shift` from
    /// those before: what hosts hold moves with them, so their evidence and idleness keep their ages instead of
    /// lasting hours longer (a step back) or expiring at once (a step forward), and their traffic series start afresh.
    private mutating func rebase(by shift: Int64) {
        guard shift != 0 else { return }
        for host in Array(hosts.keys) {
            guard var status = hosts[host] else { continue }
            status.lastSeen += shift
            status.lastWindowEnd = status.lastWindowEnd.map { $0 + shift }
            for index in status.evidence.indices { status.evidence[index].lastInterval += shift }
            status.series = TrafficSeries()
            hosts[host] = status
        }
    }

    /// Drops the host's expired evidence, decides its verdict from the vote and the evidence left, in place, and
    /// reports a change of level.
    private mutating func redecide(_ host: HostAddress, interval: Int64) -> [VerdictChange] {
        let hold = Int64((fusion.settings.evidenceHoldSeconds / model.file.windows.intervalSeconds).rounded(.up))
        let fusion = fusion
        return hosts[host]?.redecide(by: fusion, interval: interval, hold: hold).map { [$0] } ?? []
    }

    /// Uses a new model from now on. The same model again (a reload that did not change it) changes nothing. Window
    /// history is kept when the window settings are unchanged; a model with the same windows and features re-scores
    /// the windows each host's vote holds (decisions of two models are not comparable, so the old ones go); any other
    /// model starts every vote afresh.
    /// - Throws: `WindowSettingsError` when the new model's window settings cannot be honoured.
    public mutating func replace(model newModel: DetectionModel) throws {
        if newModel.file.id == model.file.id {
            let sameClasses = newModel.classifier?.names == model.classifier?.names
            model = newModel
            if !sameClasses {
                var index = hosts.startIndex
                while index != hosts.endIndex {
                    hosts.values[index].classVote = nil
                    hosts.values[index].trafficClass = nil
                    hosts.formIndex(after: &index)
                }
            }
            return
        }
        let compatible = newModel.file.windows == model.file.windows && newModel.file.features == model.file.features
        if newModel.file.windows != model.file.windows {
            engine = try WindowEngine(settings: newModel.file.windows, maximumHosts: maximumHosts)
        }
        voter = Voter(settings: newModel.file.vote)
        model = newModel
        // With the same windows and features, the new model re-scores the windows each vote holds; otherwise votes
        // restart. No change is reported for either; a verdict resting on evidence stands. Each status is changed in
        // place, walking the table by index: neither the table nor a host's buffers are copied.
        var index = hosts.startIndex
        while index != hosts.endIndex {
            Self.restartVote(of: &hosts.values[index], host: hosts.keys[index], model: newModel,
                             rescoring: compatible, voter: &voter, fusion: fusion)
            hosts.formIndex(after: &index)
        }
    }

    /// A host's vote under a new model: re-scored from the windows it holds, or (`rescoring` false) started afresh.
    private static func restartVote(of status: inout HostStatus, host: HostAddress, model: DetectionModel,
                                    rescoring: Bool, voter: inout Voter<HostAddress>, fusion: VerdictFusion) {
        status.verdict = Verdict(state: .undecided, score: 0, windows: 0)
        status.recentDecisions.removeAll(keepingCapacity: true)
        status.classVote = nil
        status.trafficClass = nil
        if rescoring {
            for features in status.votedFeatures.latest(model.file.vote.length) {
                let value = model.decision(features)
                status.voted(value, verdict: voter.add(host: host, mining: value > 0))
            }
        } else {
            status.votedFeatures = FeatureHistory()
        }
        status.fused = fusion.decide(vote: status.verdict, evidence: status.evidence.map(\.evidence))
    }

    /// Gives a host back the window decisions its vote counted before a restart (oldest first), as seen in
    /// `interval`; returns the change of level it makes.
    public mutating func restoreVote(_ host: HostAddress, decisions: [Double], interval: Int64) -> [VerdictChange] {
        guard var status = hosts[host] ?? (hosts.count < maximumHosts ? HostStatus(host: host, seen: interval) : nil)
        else { return [] }
        for value in decisions.suffix(model.file.vote.length) {
            status.voted(value, verdict: voter.add(host: host, mining: value > 0))
        }
        hosts[host] = status
        return redecide(host, interval: interval)
    }

    /// Hosts silent for longer than the longest window have nothing left to decide on: their status, vote and evidence
    /// go, and a verdict among them clears (reported as a change to `normal` over no windows).
    private mutating func forgetIdleHosts(now: Int64) -> [VerdictChange] {
        let horizon = Int64(model.file.windows.historyIntervals)
        guard horizon > 0, now % horizon == 0 else { return [] }
        var changes = [VerdictChange]()
        // The idle hosts first: removing while iterating the table would copy all of it.
        let idle = hosts.compactMap { now - $0.value.lastSeen > horizon ? $0.key : nil }
        for host in idle {
            guard let status = hosts.removeValue(forKey: host) else { continue }
            if let level = status.level {
                let cleared = Verdict(state: .normal, score: 0, windows: 0)
                changes.append(VerdictChange(host: host, previous: level, verdict: cleared,
                                             fused: FusedVerdict(rule: .none, vote: cleared, evidence: []),
                                             interval: now, busiestRemotes: status.busiestRemotes,
                                             clearedBecause: .hostQuiet))
            }
            hostsWithEvidence.remove(host)
            voter.remove(host)
        }
        return changes
    }
}
