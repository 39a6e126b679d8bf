import Alerting
import Capture
import Detection
import Foundation
import PoolDetection
import Sensor
import Synchronization

/// The running sensor's state: one decision pipeline per interface, the loaded model, alerts, and what the control
/// socket reports.
///
/// Locks, as Suricata's per-worker detect threads: each interface's pipeline, statistics, rates and capture health
/// (`InterfaceState`) sit behind a lock of their own, taken by that interface's capture consumer for its batch, so
/// interfaces decide in parallel and a control read never waits behind another interface's scoring. What verdict
/// changes act on (episodes, alerts, inline blocks, suppression counts, with the model, configuration and benign
/// marks: `Shared`) sits behind one shared lock, held briefly. No lock is taken while another is held, and no
/// closure (alert output, store, scoring observer, installers) is called under either: what a step leaves to do is
/// carried out afterwards (`Effects`).
public final class SensorEngine: Sendable {
    /// One interface's pipeline and capture figures.
    struct InterfaceState {
        var pipeline: SensorPipeline
        var statistics = CaptureStatistics()
        var previousStatistics = CaptureStatistics()
        var rateSampledAt = Date()
        var packetsPerSecond = 0.0
        var bytesPerSecond = 0.0
        /// The queue's verdicts, for a netfilter queue source.
        var verdicts: VerdictStatistics?
        /// Capture health: down since when and why, times it was reopened, seconds it was down in all.
        var down: (since: Date, reason: String)?
        var restarts = 0
        var downSeconds = 0.0
        /// The revision of each setting the pipeline runs with (`Shared.revision`), so that of two reloads applied
        /// at once the later one is left in every pipeline.
        var modelRevision: UInt64 = 0
        var fusionRevision: UInt64 = 0
        var poolRevision: UInt64 = 0
    }

    /// One interface's state behind its own lock.
    final class Interface: Sendable {
        let state: Mutex<InterfaceState>

        init(_ state: InterfaceState) { self.state = Mutex(state) }
    }

    /// What every interface shares: the model, the configuration, and what verdict changes act on.
    struct Shared {
        var model: DetectionModel
        var modelPath: String
        var paused = false
        /// Hosts with an open episode (a *suspect* or *mining* alert not yet cleared).
        var episodes: EpisodeTracker
        var configuration: SensorConfiguration
        var inline: InlineEnforcement
        /// Installs a verdict table in the queue's capture session (set once the queue is open).
        var installRules: (@Sendable (InlineRules) -> Void)?
        /// Installs a pool-domain list in every capture session (set once they run).
        var installPoolDomains: (@Sendable (PoolDomainList) -> Void)?
        /// Hosts and remote endpoints operators marked benign, by target.
        var benign: [String: BenignMark] = [:]
        /// Alerts not raised because their host was marked benign, by host.
        var suppressed: [HostAddress: Int] = [:]
        /// Counts changes of the inline verdict table, and of the settings reloads hand to the pipelines.
        var rulesRevision: UInt64 = 0
        var revision: UInt64 = 0

        /// The verdict table now, to install outside the lock.
        var rules: RulesInstall? {
            installRules.map { RulesInstall(install: $0, rules: inline.rules, revision: rulesRevision) }
        }

        /// Notes a change of inline state; returns the table to install.
        mutating func rulesChanged() -> RulesInstall? {
            rulesRevision += 1
            return rules
        }

        /// The next settings revision (`InterfaceState.modelRevision`).
        mutating func nextRevision() -> UInt64 {
            revision += 1
            return revision
        }
    }

    /// A verdict table to install, numbered: one installed after a later one is replaced (`install(_:)`).
    struct RulesInstall {
        let install: @Sendable (InlineRules) -> Void
        let rules: InlineRules
        let revision: UInt64
    }

    /// What a decision or a request leaves to do outside the locks: a verdict table to install, alerts to raise and
    /// inline state to store.
    struct Effects {
        var rules: RulesInstall?
        var alerts: [AlertRecord] = []
        var stored: [InlineStoreChange] = []
        /// The time one window took to score, for each interval close that scored any.
        var scoring: [Duration] = []
    }

    /// Where alert records go (the dispatcher to journald, syslog, JSON lines and the store).
    public typealias AlertOutput = @Sendable (AlertRecord) -> Void
    /// Where inline state (blocks, allowlist) is stored, so it survives a restart; errors are the callee's to log.
    public typealias InlineStore = @Sendable (InlineStoreChange) -> Void

    let shared: Mutex<Shared>
    /// Each capture source's state, by name: fixed at start (sources do not change while the sensor runs).
    let interfaces: [String: Interface]
    /// The source names, sorted: the order in which views and lookups visit them.
    let names: [String]
    /// The hosts a pipeline tracks at most (`capture.max_hosts`, fixed at start).
    let maximumHosts: Int
    let output: AlertOutput
    let store: InlineStore
    /// Told the time one window took to score (features, model, vote), once per interval close.
    public typealias ScoringObserver = @Sendable (Duration) -> Void
    private let scoring: ScoringObserver?
    public let startedAt = Date()

    /// - Parameters:
    ///   - openAlerts: hosts whose episode is still open from before a restart (not raised again).
    ///   - blocks: inline blocks from before a restart; `allowed`: the operators' allowlist.
    ///   - store: writes changes of blocks and allowlist (called outside the engine's locks).
    /// - Throws: when the model's window settings cannot be honoured.
    public init(configuration: SensorConfiguration, model: DetectionModel, poolModel: PoolShapeModel? = nil,
                openAlerts: [HostAddress: EpisodeTracker.Episode] = [:], blocks: [InlineBlock] = [], allowed: [AllowedHost] = [],
                benign: [BenignMark] = [],
                store: @escaping InlineStore = { _ in }, scoring: ScoringObserver? = nil,
                output: @escaping AlertOutput) throws {
        var initial = Shared(model: model, modelPath: configuration.model.path,
                             episodes: EpisodeTracker(holdSeconds: configuration.alerts.episodeHoldSeconds,
                                                      reminderSeconds: configuration.alerts.reminderSeconds,
                                                      open: openAlerts),
                             configuration: configuration,
                             inline: InlineEnforcement(configuration: configuration, blocks: blocks, allowed: allowed))
        let fusion = VerdictFusion(settings: configuration.fusion)
        var interfaces = [String: Interface]()
        for source in configuration.sourceNames {
            interfaces[source] = Interface(InterfaceState(
                pipeline: try SensorPipeline(model: model, maximumHosts: configuration.capture.maxHosts, fusion: fusion,
                                             poolModel: poolModel)))
        }
        initial.benign = Dictionary(benign.map { ($0.target, $0) }, uniquingKeysWith: { _, last in last })
        shared = Mutex(initial)
        self.interfaces = interfaces
        names = interfaces.keys.sorted()
        maximumHosts = configuration.capture.maxHosts
        self.output = output
        self.store = store
        self.scoring = scoring
    }

    /// Installs the verdict table, sends the alerts and stores the inline changes a decision left.
    func apply(_ effects: Effects) {
        install(effects.rules)
        if let scoring { for duration in effects.scoring { scoring(duration) } }
        for change in effects.stored { store(change) }
        for alert in effects.alerts { output(alert) }
    }

    /// Installs a verdict table outside the locks. Should the inline state have changed meanwhile (a table taken
    /// later may have been installed first), the table now is installed after it, so the last one in place is the
    /// current one.
    func install(_ table: RulesInstall?) {
        var next = table
        while let table = next {
            table.install(table.rules)
            next = shared.withLock { $0.rulesRevision == table.revision ? nil : $0.rules }
        }
    }

    // MARK: Fed by the capture threads

    /// Feeds one interface's capture batch (its evidence, then its events) through its pipeline, and raises the alerts
    /// (and, in `block` policy, the blocks) that follow.
    public func handle(_ batch: CaptureBatch, from interface: String, statistics: CaptureStatistics,
                       verdicts: VerdictStatistics? = nil) {
        add([], reports: batch.evidence, events: batch.events, from: interface, statistics: statistics,
            verdicts: verdicts)
    }

    /// Feeds evidence of any kind (pool-shaped flows, pool names, stratum) for hosts seen on `interface`, each with the
    /// capture interval it was reported in; a verdict it changes is acted on at once.
    public func add(_ evidence: [(host: HostAddress, evidence: HostEvidence, interval: Int64)],
                    from interface: String) {
        add(evidence, events: [], from: interface, statistics: nil, verdicts: nil)
    }

    /// What one pipeline step hands to the shared part: the verdict changes, the model that decided them, and the
    /// status of every host with an episode open when the step began or a change in it (for `episodesDue`).
    struct Step {
        var changes: [VerdictChange] = []
        var model: DetectionModel
        var hosts: [HostAddress: HostStatus] = [:]
        var scoring: [Duration] = []
    }

    /// A batch in three turns, never two locks at once: what the step needs from the shared state (paused, benign
    /// marks, open episodes); the pipeline step under the interface's lock; the verdict changes and due episodes
    /// under the shared lock.
    private func add(_ evidence: [(host: HostAddress, evidence: HostEvidence, interval: Int64)],
                     reports: [CaptureEvidence] = [], events: [CaptureEvent], from interface: String,
                     statistics: CaptureStatistics?, verdicts: VerdictStatistics?) {
        guard let lane = interfaces[interface] else { return }
        let (paused, benign, open) = shared.withLock { ($0.paused, $0.benign, Set($0.episodes.episodes.keys)) }
        let step = lane.state.withLock { entry -> Step? in
            if let statistics { Self.sampleRates(&entry, statistics) }
            if let verdicts { entry.verdicts = verdicts }
            guard !paused else { return nil }
            return runPipeline(&entry.pipeline, evidence: evidence, reports: reports, events: events, benign: benign,
                        open: open)
        }
        guard let step else { return }
        var effects = Effects(scoring: step.scoring)
        shared.withLock { state in
            for change in step.changes {
                Self.act(on: change, state: &state, model: step.model, effects: &effects)
            }
            Self.episodesDue(state: &state, model: step.model, hosts: step.hosts, effects: &effects)
            if !effects.stored.isEmpty { effects.rules = state.rulesChanged() }
        }
        apply(effects)
    }

    /// The pipeline's part of a batch (under its interface's lock): evidence not from a benign endpoint, then the
    /// events, timing each interval close that scores windows.
    private func runPipeline(_ pipeline: inout SensorPipeline,
                             evidence: [(host: HostAddress, evidence: HostEvidence, interval: Int64)],
                             reports: [CaptureEvidence], events: [CaptureEvent], benign: [String: BenignMark],
                             open: Set<HostAddress>) -> Step {
        var changes = [VerdictChange]()
        var scoring = [Duration]()
        let now = Date()
        for piece in evidence where !Self.isBenign(piece.evidence.remote, marks: benign, now: now) {
            changes += pipeline.add(piece.evidence, for: piece.host, interval: piece.interval)
        }
        for report in reports where !Self.isBenign(report.remoteEndpoint, marks: benign, now: now) {
            changes += pipeline.add(report)
        }
        for event in events {
            guard self.scoring != nil, case .intervalClosed = event else {
                changes += pipeline.handle(event)
                continue
            }
            let scoredBefore = pipeline.windowsDecided
            let start = ContinuousClock.now
            changes += pipeline.handle(event)
            let scored = pipeline.windowsDecided - scoredBefore
            if scored > 0 { scoring.append((ContinuousClock.now - start) / scored) }
        }
        var hosts = [HostAddress: HostStatus]()
        for host in open.union(changes.map(\.host)) { hosts[host] = pipeline.hosts[host] }
        return Step(changes: changes, model: pipeline.model, hosts: hosts, scoring: scoring)
    }

    private static func sampleRates(_ entry: inout InterfaceState, _ statistics: CaptureStatistics) {
        entry.statistics = statistics
        let now = Date()
        let elapsed = now.timeIntervalSince(entry.rateSampledAt)
        guard elapsed >= 1 else { return }
        entry.packetsPerSecond = Double(statistics.packets &- entry.previousStatistics.packets) / elapsed
        entry.bytesPerSecond = Double(statistics.bytes &- entry.previousStatistics.bytes) / elapsed
        entry.previousStatistics = statistics
        entry.rateSampledAt = now
    }

    /// The alert a verdict change raises (one per episode, `EpisodeTracker`), and in `block` policy the block it
    /// starts. A host whose verdict clears stays in its episode until the hold period passes (`episodesDue`).
    static func act(on change: VerdictChange, state: inout Shared, model: DetectionModel, effects: inout Effects) {
        let now = Date()
        if change.fused.level != nil, let mark = state.benign[change.host.description], mark.holds(at: now) {
            state.suppressed[change.host, default: 0] += 1
            return
        }
        let event = state.episodes.verdictChanged(change.host, to: change.fused.level, because: change.clearedBecause,
                                                  at: now.timeIntervalSince1970)
        guard let level = change.fused.level else { return }
        let record = AlertRecord.about(change.fused, host: change.host.description, busiest: change.busiestRemotes,
                                       sensor: state.configuration.sensorID, model: model, now: now)
        if event != nil { effects.alerts.append(record(level == .mining ? .mining : .suspect, level)) }
        // Only a confirmed verdict blocks; a suspect never does.
        guard level == .mining else { return }
        var endpoints = change.fused.evidence.compactMap(\.remote)
        if endpoints.isEmpty {
            endpoints = change.busiestRemotes.map { EvidenceEndpoint(address: $0.address, port: $0.port) }
        }
        if let block = state.inline.verdictTurnedMining(change.host, endpoints: endpoints, now: now) {
            effects.stored.append(.saveBlock(block))
            var blocked = record(.blocked, level)
            blocked.evidence += AlertRecord.Evidence.dropped(by: block)
            blocked.action = "dropped"
            blocked.requestedBy = block.requestedBy
            effects.alerts.append(blocked)
        }
    }

    /// Ends the episodes whose hold period has passed without a rule holding (each a `cleared` alert with its reason,
    /// lifting an automatic block), and reminds of those still holding after the reminder period. `hosts` holds the
    /// statuses the step's pipeline gave for the hosts with an episode.
    private static func episodesDue(state: inout Shared, model: DetectionModel, hosts: [HostAddress: HostStatus],
                                    effects: inout Effects) {
        let now = Date()
        for (host, event) in state.episodes.due(at: now.timeIntervalSince1970, holding: { hosts[$0]?.level }) {
            let status = hosts[host]
            switch event {
            case .ended(let level, let reason):
                let vote = status?.verdict ?? Verdict(state: .normal, score: 0, windows: 0)
                effects.alerts.append(AlertRecord(time: now, sensor: state.configuration.sensorID, event: .cleared,
                                                  host: host.description, verdict: "clear", score: vote.score,
                                                  windows: vote.windows, model: model.file.id,
                                                  evidence: [AlertRecord.Evidence(kind: "statistics", score: vote.score)],
                                                  level: AlertRecord.Level(level), reason: reason?.rawValue))
                if let block = state.inline.verdictCleared(host) {
                    effects.stored.append(.removeBlock(host: host.description))
                    effects.alerts.append(AlertRecord(time: now, sensor: state.configuration.sensorID,
                                                      event: .unblocked, host: host.description, verdict: "clear",
                                                      score: vote.score, windows: vote.windows, model: model.file.id,
                                                      evidence: AlertRecord.Evidence.dropped(by: block),
                                                      requestedBy: "verdict", level: AlertRecord.Level(level)))
                }
            case .reminder(let level):
                guard let status else { continue }
                effects.alerts.append(AlertRecord.about(status.fused, host: host.description,
                                                        busiest: status.busiestRemotes,
                                                        sensor: state.configuration.sensorID, model: model,
                                                        now: now)(.reminder, level))
            case .opened, .rose:
                continue
            }
        }
    }

    /// Whether evidence naming `remote` comes from an endpoint operators marked benign (by address, or address and
    /// port).
    private static func isBenign(_ remote: EvidenceEndpoint?, marks: [String: BenignMark], now: Date) -> Bool {
        guard let remote, !marks.isEmpty else { return false }
        let byAddress = marks[remote.address.description]
        let byEndpoint = marks[remote.description]
        return byAddress?.holds(at: now) == true || byEndpoint?.holds(at: now) == true
    }
}
