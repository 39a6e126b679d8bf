import Alerting
import Capture
import Detection
import Foundation
import PoolDetection
import Sensor
import Synchronization

/// The running sensor's state: one decision pipeline per interface, the loaded model, alerts, and what the control
/// socket reports. Capture consumer threads feed it; control requests read and change it; all under one mutex, held
/// only for in-memory work.
public final class SensorEngine: Sendable {
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
    }

    struct State {
        var model: DetectionModel
        var modelPath: String
        var interfaces: [String: InterfaceState] = [:]
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
    }

    /// What a decision or a request leaves to do outside the lock: alerts to raise and inline state to store.
    struct Effects {
        var alerts: [AlertRecord] = []
        var stored: [InlineStoreChange] = []
        /// The time one window took to score, for each interval close that scored any.
        var scoring: [Duration] = []
    }

    /// Where alert records go (the dispatcher to journald, syslog, JSON lines and the store).
    public typealias AlertOutput = @Sendable (AlertRecord) -> Void
    /// Where inline state (blocks, allowlist) is stored, so it survives a restart; errors are the callee's to log.
    public typealias InlineStore = @Sendable (InlineStoreChange) -> Void

    private let state: Mutex<State>
    private let output: AlertOutput
    private let store: InlineStore
    /// Told the time one window took to score (features, model, vote), once per interval close.
    public typealias ScoringObserver = @Sendable (Duration) -> Void
    private let scoring: ScoringObserver?
    public let startedAt = Date()

    /// - Parameters:
    ///   - openAlerts: hosts whose episode is still open from before a restart (not raised again).
    ///   - blocks: inline blocks from before a restart; `allowed`: the operators' allowlist.
    ///   - store: writes changes of blocks and allowlist (called outside the engine's lock).
    /// - Throws: when the model's window settings cannot be honoured.
    public init(configuration: SensorConfiguration, model: DetectionModel, poolModel: PoolShapeModel? = nil,
                openAlerts: [HostAddress: EpisodeTracker.Episode] = [:], blocks: [InlineBlock] = [], allowed: [AllowedHost] = [],
                benign: [BenignMark] = [],
                store: @escaping InlineStore = { _ in }, scoring: ScoringObserver? = nil,
                output: @escaping AlertOutput) throws {
        var initial = State(model: model, modelPath: configuration.model.path,
                            episodes: EpisodeTracker(holdSeconds: configuration.alerts.episodeHoldSeconds,
                                                     reminderSeconds: configuration.alerts.reminderSeconds,
                                                     open: openAlerts),
                            configuration: configuration,
                            inline: InlineEnforcement(configuration: configuration, blocks: blocks, allowed: allowed))
        let fusion = VerdictFusion(settings: configuration.fusion)
        for source in configuration.sourceNames {
            initial.interfaces[source] = InterfaceState(
                pipeline: try SensorPipeline(model: model, maximumHosts: configuration.capture.maxHosts, fusion: fusion,
                                             poolModel: poolModel))
        }
        initial.benign = Dictionary(benign.map { ($0.target, $0) }, uniquingKeysWith: { _, last in last })
        state = Mutex(initial)
        self.output = output
        self.store = store
        self.scoring = scoring
    }

    /// Sends the alerts and stores the inline changes a decision left.
    private func apply(_ effects: Effects) {
        if let scoring { for duration in effects.scoring { scoring(duration) } }
        for change in effects.stored { store(change) }
        for alert in effects.alerts { output(alert) }
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

    private func add(_ evidence: [(host: HostAddress, evidence: HostEvidence, interval: Int64)],
                     reports: [CaptureEvidence] = [], events: [CaptureEvent], from interface: String,
                     statistics: CaptureStatistics?, verdicts: VerdictStatistics?) {
        let effects = state.withLock { state -> Effects in
            guard var entry = state.interfaces[interface] else { return Effects() }
            if let statistics { Self.sampleRates(&entry, statistics) }
            if let verdicts { entry.verdicts = verdicts }
            var effects = Effects()
            if !state.paused {
                var changes = [VerdictChange]()
                let now = Date()
                for piece in evidence where !Self.isBenign(piece.evidence.remote, state: state, now: now) {
                    changes += entry.pipeline.add(piece.evidence, for: piece.host, interval: piece.interval)
                }
                for report in reports where !Self.isBenign(report.remoteEndpoint, state: state, now: now) {
                    changes += entry.pipeline.add(report)
                }
                for event in events {
                    guard scoring != nil, case .intervalClosed = event else {
                        changes += entry.pipeline.handle(event)
                        continue
                    }
                    let scoredBefore = entry.pipeline.windowsDecided
                    let start = ContinuousClock.now
                    changes += entry.pipeline.handle(event)
                    let scored = entry.pipeline.windowsDecided - scoredBefore
                    if scored > 0 { effects.scoring.append((ContinuousClock.now - start) / scored) }
                }
                for change in changes {
                    Self.act(on: change, state: &state, model: entry.pipeline.model, effects: &effects)
                }
                effects.alerts += Self.episodesDue(state: &state, pipeline: entry.pipeline, effects: &effects)
            }
            state.interfaces[interface] = entry
            if !effects.stored.isEmpty { state.installRules?(state.inline.rules) }
            return effects
        }
        apply(effects)
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
    private static func act(on change: VerdictChange, state: inout State, model: DetectionModel,
                            effects: inout Effects) {
        let now = Date()
        if change.fused.level != nil, let mark = state.benign[change.host.description], mark.holds(at: now) {
            state.suppressed[change.host, default: 0] += 1
            return
        }
        let event = state.episodes.verdictChanged(change.host, to: change.fused.level, because: change.clearedBecause,
                                                  at: now.timeIntervalSince1970)
        guard let level = change.fused.level else { return }
        let record = AlertRecord.about(change.fused, host: change.host.description, busiest: change.busiestRemotes,
                                       state: state, model: model, now: now)
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
    /// lifting an automatic block), and reminds of those still holding after the reminder period.
    private static func episodesDue(state: inout State, pipeline: SensorPipeline, effects: inout Effects)
        -> [AlertRecord] {
        let now = Date()
        var alerts = [AlertRecord]()
        for (host, event) in state.episodes.due(at: now.timeIntervalSince1970, holding: { pipeline.hosts[$0]?.level }) {
            let status = pipeline.hosts[host]
            switch event {
            case .ended(let level, let reason):
                let vote = status?.verdict ?? Verdict(state: .normal, score: 0, windows: 0)
                alerts.append(AlertRecord(time: now, sensor: state.configuration.sensorID, event: .cleared,
                                          host: host.description, verdict: "clear", score: vote.score,
                                          windows: vote.windows, model: pipeline.model.file.id,
                                          evidence: [AlertRecord.Evidence(kind: "statistics", score: vote.score)],
                                          level: AlertRecord.Level(level), reason: reason?.rawValue))
                if let block = state.inline.verdictCleared(host) {
                    effects.stored.append(.removeBlock(host: host.description))
                    alerts.append(AlertRecord(time: now, sensor: state.configuration.sensorID, event: .unblocked,
                                              host: host.description, verdict: "clear", score: vote.score,
                                              windows: vote.windows, model: pipeline.model.file.id,
                                              evidence: AlertRecord.Evidence.dropped(by: block),
                                              requestedBy: "verdict", level: AlertRecord.Level(level)))
                }
            case .reminder(let level):
                guard let status else { continue }
                alerts.append(AlertRecord.about(status.fused, host: host.description, busiest: status.busiestRemotes,
                                                state: state, model: pipeline.model, now: now)(.reminder, level))
            case .opened, .rose:
                continue
            }
        }
        return alerts
    }

    /// Whether evidence naming `remote` comes from an endpoint operators marked benign (by address, or address and
    /// port).
    private static func isBenign(_ remote: EvidenceEndpoint?, state: State, now: Date) -> Bool {
        guard let remote, !state.benign.isEmpty else { return false }
        let byAddress = state.benign[remote.address.description]
        let byEndpoint = state.benign[remote.description]
        return byAddress?.holds(at: now) == true || byEndpoint?.holds(at: now) == true
    }

    // MARK: State across restarts

    /// The evidence every host holds, as JSON per host, for the store to keep across a restart.
    public func heldEvidence() -> [String: String] {
        state.withLock { state in
            var byHost = [String: String]()
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            for entry in state.interfaces.values {
                let width = entry.pipeline.model.file.windows.intervalSeconds
                for (host, status) in entry.pipeline.hosts where !status.evidence.isEmpty {
                    let records = status.evidence.compactMap { $0.record(intervalSeconds: width) }
                    guard !records.isEmpty, let data = try? encoder.encode(records) else { continue }
                    byHost[host.description] = String(decoding: data, as: UTF8.self)
                }
            }
            return byHost
        }
    }

    /// Gives hosts back the evidence they held before a restart (into the first source's pipeline). Pieces older than
    /// `verdict.evidence_hold_seconds` expire at the next interval, as they would have; unreadable entries are skipped
    /// and counted in the result.
    @discardableResult
    public func restoreEvidence(_ stored: [String: String]) -> (restored: Int, skipped: Int) {
        guard let source = state.withLock({ $0.interfaces.keys.sorted().first }) else { return (0, 0) }
        let width = state.withLock { $0.model.file.windows.intervalSeconds }
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
        let effects = state.withLock { state -> (Effects, Int) in
            guard let source = state.interfaces.keys.sorted().first, var entry = state.interfaces[source] else {
                return (Effects(), 0)
            }
            let file = entry.pipeline.model.file
            let span = Double(file.vote.length) * file.windows.slideSeconds
            let interval = Int64((now.timeIntervalSince1970 / file.windows.intervalSeconds).rounded(.down))
            var effects = Effects()
            var restored = 0
            for saved in states where now.timeIntervalSince(saved.updatedAt) <= span {
                guard let host = HostAddress(saved.host), let decisions = saved.decisions, !decisions.isEmpty else {
                    continue
                }
                restored += 1
                for change in entry.pipeline.restoreVote(host, decisions: decisions, interval: interval) {
                    Self.act(on: change, state: &state, model: entry.pipeline.model, effects: &effects)
                }
            }
            state.interfaces[source] = entry
            return (effects, restored)
        }
        apply(effects.0)
        return effects.1
    }

    // MARK: Operator actions

    /// Marks a host or remote endpoint benign (until `until`, or for good); its alerts are suppressed and counted.
    public func markBenign(_ mark: BenignMark) {
        state.withLock { $0.benign[mark.target] = mark }
        store(.saveBenign(mark))
    }

    /// Takes a benign mark away; returns whether there was one.
    public func removeBenign(target: String) -> Bool {
        let removed = state.withLock { $0.benign.removeValue(forKey: target) != nil }
        if removed { store(.removeBenign(target: target)) }
        return removed
    }

    /// Ends a host's episode because an operator closed its alert: a `cleared` record with reason
    /// `closed-by-operator` and the operator's credentials; returns whether an episode was open. An automatic block
    /// is lifted with it.
    public func closeEpisode(_ host: HostAddress, requestedBy: String) -> Bool {
        let effects = state.withLock { state -> Effects? in
            guard let episode = state.episodes.close(host) else { return nil }
            var effects = Effects()
            let status = state.interfaces.values.lazy.compactMap { $0.pipeline.hosts[host] }.first
            let vote = status?.verdict ?? Verdict(state: .normal, score: 0, windows: 0)
            effects.alerts.append(AlertRecord(time: Date(), sensor: state.configuration.sensorID, event: .cleared,
                                              host: host.description, verdict: "clear", score: vote.score,
                                              windows: vote.windows, model: state.model.file.id,
                                              requestedBy: requestedBy, level: AlertRecord.Level(episode.level),
                                              reason: "closed-by-operator"))
            if let block = state.inline.verdictCleared(host) {
                effects.stored.append(.removeBlock(host: host.description))
                effects.alerts.append(AlertRecord(time: Date(), sensor: state.configuration.sensorID,
                                                  event: .unblocked, host: host.description, verdict: "clear",
                                                  score: vote.score, windows: vote.windows,
                                                  model: state.model.file.id,
                                                  evidence: AlertRecord.Evidence.dropped(by: block),
                                                  requestedBy: requestedBy, level: AlertRecord.Level(episode.level)))
                state.installRules?(state.inline.rules)
            }
            return effects
        }
        guard let effects else { return false }
        apply(effects)
        return true
    }

    /// Notes that capture on `interface` stopped by itself (the interface went away, a read error): the daemon keeps
    /// running and reopens it; status and statistics say the interface is down, since when and why.
    public func captureStopped(on interface: String, reason: String) {
        state.withLock { state in
            guard state.interfaces[interface] != nil, state.interfaces[interface]?.down == nil else { return }
            state.interfaces[interface]?.down = (Date(), reason)
            state.interfaces[interface]?.packetsPerSecond = 0
            state.interfaces[interface]?.bytesPerSecond = 0
        }
    }

    /// Notes that capture on `interface` runs again after a stop: the gap is counted, and the interface's windows start
    /// afresh (nothing was seen meanwhile, so no window may span the gap). Returns the gap in seconds.
    @discardableResult
    public func captureResumed(on interface: String) -> Double {
        state.withLock { state in
            guard var entry = state.interfaces[interface], let down = entry.down else { return 0 }
            let gap = Date().timeIntervalSince(down.since)
            entry.down = nil
            entry.restarts += 1
            entry.downSeconds += gap
            // A new capture session counts from zero.
            entry.statistics = CaptureStatistics()
            entry.previousStatistics = CaptureStatistics()
            entry.rateSampledAt = Date()
            _ = entry.pipeline.handle(.discontinuity(from: 0, to: 0))
            state.interfaces[interface] = entry
            return gap
        }
    }

    /// Stops deciding and alerting (capture keeps counting); `resume` starts deciding again on fresh windows. Returns
    /// whether it changed anything.
    @discardableResult
    public func setPaused(_ paused: Bool) -> Bool {
        state.withLock { state in
            guard state.paused != paused else { return false }
            state.paused = paused
            if !paused {
                for name in state.interfaces.keys {
                    _ = state.interfaces[name]?.pipeline.handle(.discontinuity(from: 0, to: 0))
                }
            }
            return true
        }
    }

    /// Uses a new model from now on (after checks by the caller); votes restart.
    /// - Throws: when its window settings cannot be honoured; the running model stays.
    public func replaceModel(_ model: DetectionModel, path: String) throws {
        try state.withLock { state in
            var replaced = state.interfaces
            for name in replaced.keys { try replaced[name]?.pipeline.replace(model: model) }
            state.interfaces = replaced
            state.model = model
            state.modelPath = path
        }
    }

    /// The keys a reload applies at once (the model files and pool-domain lists are installed by `SensorReload`
    /// before this), with where each lives in the configuration.
    static var reloadable: [(key: String, path: PartialKeyPath<SensorConfiguration>)] { [
        ("sensor_id", \.sensorID), ("alerts.reminder_seconds", \.alerts.reminderSeconds),
        ("alerts.episode_hold_seconds", \.alerts.episodeHoldSeconds), ("model.path", \.model.path),
        ("model.pool_path", \.model.poolPath), ("capture.pool_domain_files", \.capture.poolDomainFiles),
        ("verdict", \.fusion),
    ] }

    /// Keys named one by one when they wait for a restart (the rest of their section is named as a whole).
    static var restartKeys: [(key: String, path: PartialKeyPath<SensorConfiguration>)] { [
        ("state_directory", \.stateDirectory), ("capture.interfaces", \.capture.interfaces),
        ("capture.local_networks", \.capture.localNetworks), ("capture.interval", \.capture.interval),
        ("[metrics]", \.metrics),
    ] }

    /// Takes the settings of a re-read configuration that apply without a restart (`reloadable`) and returns the keys
    /// it applied and those whose new values wait for one. Once the reloadable keys are set aside, each section is
    /// compared whole, so a key added to the configuration later is reported as waiting for a restart until it is made
    /// reloadable here: never silently neither applied nor reported.
    public func applyReloaded(_ next: SensorConfiguration) -> (applied: [String], pending: [String]) {
        func differs(_ path: PartialKeyPath<SensorConfiguration>, _ a: SensorConfiguration,
                     _ b: SensorConfiguration) -> Bool {
            a[keyPath: path] as? AnyHashable != b[keyPath: path] as? AnyHashable
        }
        return state.withLock { state in
            let current = state.configuration
            let applied = Self.reloadable.filter { differs($0.path, next, current) }.map(\.key)
            // What is left of `next` once the reloadable keys are taken: where it still differs, a restart is needed.
            var rest = next
            rest.sensorID = current.sensorID
            rest.alerts.reminderSeconds = current.alerts.reminderSeconds
            rest.alerts.episodeHoldSeconds = current.alerts.episodeHoldSeconds
            rest.model = current.model
            rest.capture.poolDomainFiles = current.capture.poolDomainFiles
            rest.fusion = current.fusion
            var pending = Self.restartKeys.filter { differs($0.path, rest, current) }.map(\.key)
            var named = rest
            named.stateDirectory = current.stateDirectory
            named.capture.interfaces = current.capture.interfaces
            named.capture.localNetworks = current.capture.localNetworks
            named.capture.interval = current.capture.interval
            named.metrics = current.metrics
            if named.capture != current.capture { pending.append("[capture] (snap length, buffer, filter, cpu, ...)") }
            if named.alerts != current.alerts { pending.append("[alerts] outputs") }
            if named.inline != current.inline { pending.append("[inline]") }
            if named.control != current.control { pending.append("[control]") }
            if pending.isEmpty && rest != current { pending.append("the configuration") }

            state.configuration.sensorID = next.sensorID
            state.configuration.alerts.reminderSeconds = next.alerts.reminderSeconds
            state.configuration.alerts.episodeHoldSeconds = next.alerts.episodeHoldSeconds
            state.episodes.holdSeconds = next.alerts.episodeHoldSeconds
            state.episodes.reminderSeconds = next.alerts.reminderSeconds
            state.configuration.model = next.model
            state.configuration.capture.poolDomainFiles = next.capture.poolDomainFiles
            state.configuration.fusion = next.fusion
            for name in state.interfaces.keys {
                state.interfaces[name]?.pipeline.fusion = VerdictFusion(settings: next.fusion)
            }
            return (applied, pending)
        }
    }

    /// Records an operator's change of the sensor's state (pause, resume, reload) as an `audit` alert record.
    public func audit(_ action: String, requestedBy: String, detail: String? = nil) {
        let record = state.withLock { state in
            AlertRecord(time: Date(), sensor: state.configuration.sensorID, event: .audit, host: "-", verdict: action,
                        score: 0, windows: 0, model: state.model.file.id, requestedBy: requestedBy, reason: detail)
        }
        output(record)
    }

    /// The model file the configuration names now.
    public var modelPath: String { state.withLock { $0.configuration.model.path } }

    /// Whether packets come from a netfilter queue (inline mode), where blocks and the allowlist take effect.
    public var isInline: Bool { state.withLock { $0.configuration.inline.queue != nil } }

    /// Sends out an alert raised outside the decision path (operator actions).
    public func raise(_ alert: AlertRecord) {
        output(alert)
    }

    // MARK: Inline mode

    /// Connects the queue's capture session: `install` puts a verdict table in place (at once with the current one,
    /// then after every change). Called once the queue is open.
    public func attachQueue(install: @escaping @Sendable (InlineRules) -> Void) {
        state.withLock { state in
            state.installRules = install
            install(state.inline.rules)
        }
    }

    // MARK: Pool evidence

    /// Connects the capture sessions: `install` puts a pool-domain list in place in each. Called once they run.
    public func attachPoolDomainInstaller(_ install: @escaping @Sendable (PoolDomainList) -> Void) {
        state.withLock { $0.installPoolDomains = install }
    }

    /// Uses a re-read pool-domain list and pool-connection model (a SIGHUP), both already loaded and checked.
    public func replacePoolEvidence(domains: PoolDomainList, poolModel: PoolShapeModel?, from next: SensorConfiguration) {
        let install = state.withLock { state in
            for name in state.interfaces.keys { state.interfaces[name]?.pipeline.replace(poolModel: poolModel) }
            state.configuration.capture.poolDomainFiles = next.capture.poolDomainFiles
            state.configuration.model.poolPath = next.model.poolPath
            return state.installPoolDomains
        }
        install?(domains)
    }

    /// An operator's request on inline state; `requestedBy` names the control-socket peer.
    public enum InlineRequest: Sendable {
        /// Block the host: all its traffic, or the endpoints its evidence names (else its busiest remotes).
        case block(HostAddress, all: Bool)
        case unblock(HostAddress)
        case allow(HostAddress)
        case disallow(HostAddress)
    }

    /// Carries out an operator's request; returns the block or allowlist entry concerned, or the refusal.
    public func perform(_ request: InlineRequest, requestedBy: String) -> Result<String, InlineRefusal> {
        let now = Date()
        let outcome = state.withLock { state -> Result<(String, Effects), InlineRefusal> in
            var effects = Effects()
            let summary: String
            do throws(InlineRefusal) {
                switch request {
                case .block(let host, let all):
                    let status = state.interfaces.values.lazy.compactMap { $0.pipeline.hosts[host] }.first
                    let block = try state.inline.operatorBlock(host, all: all, endpoints: status?.blockEndpoints ?? [],
                                                               requestedBy: requestedBy, now: now)
                    effects.stored.append(.saveBlock(block))
                    effects.alerts.append(Self.operatorRecord(.blocked, block: block, status: status, state: state,
                                                              now: now, action: "dropped"))
                    summary = InlineEnforcement.describe(block)
                case .unblock(let host):
                    let block = try state.inline.operatorUnblock(host)
                    let status = state.interfaces.values.lazy.compactMap { $0.pipeline.hosts[host] }.first
                    var record = Self.operatorRecord(.unblocked, block: block, status: status, state: state, now: now,
                                                     action: "none")
                    record.requestedBy = requestedBy
                    effects.stored.append(.removeBlock(host: host.description))
                    effects.alerts.append(record)
                    summary = InlineEnforcement.describe(block)
                case .allow(let host):
                    let entry = try state.inline.allow(host, requestedBy: requestedBy, now: now)
                    effects.stored.append(.saveAllowed(entry))
                    summary = "allowlisted"
                case .disallow(let host):
                    try state.inline.disallow(host)
                    effects.stored.append(.removeAllowed(host: host.description))
                    summary = "off the allowlist"
                }
            } catch {
                return .failure(error)
            }
            state.installRules?(state.inline.rules)
            return .success((summary, effects))
        }
        switch outcome {
        case .success(let (summary, effects)):
            apply(effects)
            return .success(summary)
        case .failure(let refusal):
            return .failure(refusal)
        }
    }

    private static func operatorRecord(_ event: AlertRecord.Event, block: InlineBlock, status: HostStatus?,
                                       state: State, now: Date, action: String) -> AlertRecord {
        AlertRecord(time: now, sensor: state.configuration.sensorID, event: event, host: block.host,
                    verdict: status?.level?.rawValue ?? "clear", score: status?.verdict.score ?? 0,
                    windows: status?.verdict.windows ?? 0, model: state.model.file.id,
                    evidence: (status.map { AlertRecord.Evidence.behind($0.fused, busiest: $0.busiestRemotes) } ?? [])
                        + AlertRecord.Evidence.dropped(by: block),
                    action: action, requestedBy: block.requestedBy)
    }

    // MARK: Views for the control socket

    /// A consistent copy of everything the control commands report.
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

    public func snapshot() -> Snapshot {
        state.withLock { state in
            let names = state.interfaces.keys.sorted()
            return Snapshot(
                model: state.model, modelPath: state.modelPath, paused: state.paused,
                hosts: names.flatMap { state.interfaces[$0]!.pipeline.hosts.values },
                interfaces: names.map { name in
                    let entry = state.interfaces[name]!
                    return InterfaceSnapshot(
                        name: name, statistics: entry.statistics, packetsPerSecond: entry.packetsPerSecond,
                        bytesPerSecond: entry.bytesPerSecond, windowsDecided: entry.pipeline.windowsDecided,
                        windowsBelowFloor: entry.pipeline.windowsBelowFloor, down: entry.down,
                        restarts: entry.restarts,
                        downSeconds: entry.downSeconds + (entry.down.map { Date().timeIntervalSince($0.since) } ?? 0))
                },
                episodes: state.episodes.episodes,
                benign: state.benign, suppressed: state.suppressed,
                configuration: state.configuration,
                blocks: state.inline.blocks.values.map(\.record).sorted { $0.host < $1.host },
                allowlist: state.inline.configuredAllowlist.sorted().map {
                    AllowedHost(host: $0.description, requestedBy: "configuration", since: startedAt)
                } + state.inline.allowed.values.sorted { $0.host < $1.host },
                verdicts: state.interfaces.values.compactMap(\.verdicts).first)
        }
    }
}
