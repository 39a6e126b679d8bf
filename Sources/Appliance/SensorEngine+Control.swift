import Alerting
import Capture
import Detection
import Foundation
import PoolDetection
import Sensor
import Synchronization

/// What operators and reloads change in the running engine. A host's status is looked up in the interfaces (one lock
/// at a time) before the shared lock is taken; settings a reload hands to the pipelines are applied one interface at
/// a time after the shared part is set.
extension SensorEngine {
    // MARK: Operator actions

    /// Marks a host or remote endpoint benign (until `until`, or for good); its alerts are suppressed and counted.
    public func markBenign(_ mark: BenignMark) {
        shared.withLock { $0.benign[mark.target] = mark }
        store(.saveBenign(mark))
    }

    /// Takes a benign mark away; returns whether there was one.
    public func removeBenign(target: String) -> Bool {
        let removed = shared.withLock { $0.benign.removeValue(forKey: target) != nil }
        if removed { store(.removeBenign(target: target)) }
        return removed
    }

    /// Ends a host's episode because an operator closed its alert: a `cleared` record with reason
    /// `closed-by-operator` and the operator's credentials; returns whether an episode was open. An automatic block
    /// is lifted with it.
    public func closeEpisode(_ host: HostAddress, requestedBy: String) -> Bool {
        let status = status(of: host)
        let effects = shared.withLock { state -> Effects? in
            guard let episode = state.episodes.close(host) else { return nil }
            var effects = Effects()
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
                effects.rules = state.rulesChanged()
            }
            return effects
        }
        guard let effects else { return false }
        apply(effects)
        return true
    }

    /// Stops deciding and alerting (capture keeps counting); `resume` starts deciding again on fresh windows. Returns
    /// whether it changed anything.
    @discardableResult
    public func setPaused(_ paused: Bool) -> Bool {
        if !paused {
            guard shared.withLock({ $0.paused }) else { return false }
            // The windows start afresh before deciding does, so that no window decided spans the pause.
            for name in names { withInterface(name) { _ = $0.pipeline.handle(.discontinuity(from: 0, to: 0)) } }
        }
        return shared.withLock { state in
            guard state.paused != paused else { return false }
            state.paused = paused
            return true
        }
    }

    // MARK: Reload

    /// Uses a new model from now on (after checks by the caller); votes restart.
    /// - Throws: when its window settings cannot be honoured; the running model stays.
    public func replaceModel(_ model: DetectionModel, path: String) throws {
        // Every pipeline honours the same window settings, so one check tells whether all of them take the model.
        _ = try SensorPipeline(model: model, maximumHosts: maximumHosts)
        let revision = shared.withLock { state in
            state.model = model
            state.modelPath = path
            return state.nextRevision()
        }
        try applyToPipelines(\.modelRevision, revision: revision) { try $0.replace(model: model) }
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
        let (applied, pending, revision) = shared.withLock { state in
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
            return (applied, pending, state.nextRevision())
        }
        applyToPipelines(\.fusionRevision, revision: revision) { $0.fusion = VerdictFusion(settings: next.fusion) }
        return (applied, pending)
    }

    /// Uses a re-read pool-domain list and pool-connection model (a SIGHUP), both already loaded and checked.
    public func replacePoolEvidence(domains: PoolDomainList, poolModel: PoolShapeModel?, from next: SensorConfiguration) {
        let (install, revision) = shared.withLock { state in
            state.configuration.capture.poolDomainFiles = next.capture.poolDomainFiles
            state.configuration.model.poolPath = next.model.poolPath
            return (state.installPoolDomains, state.nextRevision())
        }
        applyToPipelines(\.poolRevision, revision: revision) { $0.replace(poolModel: poolModel) }
        install?(domains)
    }

    /// Records an operator's change of the sensor's state (pause, resume, reload) as an `audit` alert record.
    public func audit(_ action: String, requestedBy: String, detail: String? = nil) {
        let record = shared.withLock { state in
            AlertRecord(time: Date(), sensor: state.configuration.sensorID, event: .audit, host: "-", verdict: action,
                        score: 0, windows: 0, model: state.model.file.id, requestedBy: requestedBy, reason: detail)
        }
        output(record)
    }

    /// The model file the configuration names now.
    public var modelPath: String { shared.withLock { $0.configuration.model.path } }

    /// Whether packets come from a netfilter queue (inline mode), where blocks and the allowlist take effect.
    public var isInline: Bool { shared.withLock { $0.configuration.inline.queue != nil } }

    /// Sends out an alert raised outside the decision path (operator actions).
    public func raise(_ alert: AlertRecord) {
        output(alert)
    }

    // MARK: Inline mode

    /// Connects the queue's capture session: `install` puts a verdict table in place (at once with the current one,
    /// then after every change). Called once the queue is open.
    public func attachQueue(install: @escaping @Sendable (InlineRules) -> Void) {
        self.install(shared.withLock { state in
            state.installRules = install
            return state.rules
        })
    }

    /// Connects the capture sessions: `install` puts a pool-domain list in place in each. Called once they run.
    public func attachPoolDomainInstaller(_ install: @escaping @Sendable (PoolDomainList) -> Void) {
        shared.withLock { $0.installPoolDomains = install }
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
        let status: HostStatus?
        switch request {
        case .block(let host, _), .unblock(let host): status = self.status(of: host)
        case .allow, .disallow: status = nil
        }
        let outcome = shared.withLock { state -> Result<(String, Effects), InlineRefusal> in
            var effects = Effects()
            let summary: String
            do throws(InlineRefusal) {
                switch request {
                case .block(let host, let all):
                    let block = try state.inline.operatorBlock(host, all: all, endpoints: status?.blockEndpoints ?? [],
                                                               requestedBy: requestedBy, now: now)
                    effects.stored.append(.saveBlock(block))
                    effects.alerts.append(Self.operatorRecord(.blocked, block: block, status: status, state: state,
                                                              now: now, action: "dropped"))
                    summary = InlineEnforcement.describe(block)
                case .unblock(let host):
                    let block = try state.inline.operatorUnblock(host)
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
            effects.rules = state.rulesChanged()
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
                                       state: Shared, now: Date, action: String) -> AlertRecord {
        AlertRecord(time: now, sensor: state.configuration.sensorID, event: event, host: block.host,
                    verdict: status?.level?.rawValue ?? "clear", score: status?.verdict.score ?? 0,
                    windows: status?.verdict.windows ?? 0, model: state.model.file.id,
                    evidence: (status.map { AlertRecord.Evidence.behind($0.fused, busiest: $0.busiestRemotes) } ?? [])
                        + AlertRecord.Evidence.dropped(by: block),
                    action: action, requestedBy: block.requestedBy)
    }
}
