import Alerting
import Capture
import Control
import Detection
import FleetFiles
import Foundation
import Logging
import Sensor

/// The sensor's answers to control requests (`SensorRequest`), over the engine's state.
public struct ControlCommands: Sendable {
    private let engine: SensorEngine
    private let logger: Logger
    private let reload: @Sendable (String) -> Result<ReloadReport, Error>
    private let alerts: AlertPipeline
    private var store: AlertStore { alerts.store }
    private let labels: OperatorLabels

    /// - Parameters:
    ///   - reload: reloads configuration, lists and models for the operator it names (`SensorReload.perform`).
    ///   - alerts: the alert pipeline: its store (alerts outlive restarts; acknowledgements and closings are kept
    ///     there) and its sinks' delivery figures.
    ///   - labels: the operators' host labels and their file.
    public init(engine: SensorEngine, logger: Logger,
                reload: @escaping @Sendable (String) -> Result<ReloadReport, Error>,
                alerts: AlertPipeline, labels: OperatorLabels) {
        self.engine = engine
        self.logger = logger
        self.reload = reload
        self.alerts = alerts
        self.labels = labels
    }

    /// The router answering every sensor command on the control socket.
    public var router: ControlRouter<SensorCommand> {
        var router = ControlRouter<SensorCommand>()
        router.on(SensorRequest.Status.self) { _, _ in status() }
        router.on(SensorRequest.Hosts.self) { request, _ in try hosts(request) }
        router.on(SensorRequest.Host.self) { request, _ in try host(request) }
        router.on(SensorRequest.Alerts.self) { request, _ in try alerts(request) }
        router.on(SensorRequest.AlertGroups.self) { request, _ in try alertGroups(request) }
        router.on(SensorRequest.Stats.self) { _, _ in stats() }
        router.on(SensorRequest.Model.self) { _, _ in model() }
        router.on(SensorRequest.Reload.self) { _, peer in try reload(peer: peer) }
        router.on(SensorRequest.Pause.self) { _, peer in pause(true, peer: peer) }
        router.on(SensorRequest.Resume.self) { _, peer in pause(false, peer: peer) }
        router.on(SensorRequest.Acknowledge.self) { request, peer in try feedback(.ack, id: request.id, peer: peer) }
        router.on(SensorRequest.Close.self) { request, peer in try feedback(.close, id: request.id, peer: peer) }
        router.on(SensorRequest.Benign.self) { request, peer in try benign(request, peer: peer) }
        router.on(SensorRequest.Unbenign.self) { request, peer in try unbenign(request.target, peer: peer) }
        router.on(SensorRequest.BenignList.self) { _, _ in benignList() }
        router.on(SensorRequest.Block.self) { request, peer in
            try inline(.block, host: request.host, all: request.all ?? false, peer: peer)
        }
        router.on(SensorRequest.Unblock.self) { request, peer in try inline(.unblock, host: request.host, peer: peer) }
        router.on(SensorRequest.Allow.self) { request, peer in try inline(.allow, host: request.host, peer: peer) }
        router.on(SensorRequest.Disallow.self) { request, peer in
            try inline(.disallow, host: request.host, peer: peer)
        }
        router.on(SensorRequest.Allowlist.self) { _, _ in allowlist() }
        router.on(SensorRequest.Label.self) { request, peer in try label(request, peer: peer) }
        router.on(SensorRequest.Unlabel.self) { request, peer in try unlabel(request.host, peer: peer) }
        router.on(SensorRequest.Labels.self) { _, _ in
            HostLabelList(labels: labels.all.map { Self.labelEntry($0) }, file: labels.file)
        }
        return router
    }

    /// `label`: a local host's label for fleet learning, with the operator's credentials and the time.
    private func label(_ request: SensorRequest.Label, peer: PeerCredentials) throws(ControlFailure)
        -> HostLabelEntry {
        guard let host = HostAddress(request.host) else {
            throw ControlFailure("\"host\" must be an IP address (10.0.0.5, fd00::5), not '\(request.host)'")
        }
        guard let label = OperatorLabel(rawValue: request.label) else {
            throw ControlFailure("\"label\" is \(OperatorLabel.names), not '\(request.label)'")
        }
        let note = request.note?.trimmingCharacters(in: .whitespaces)
        let isControl = { (scalar: Unicode.Scalar) in scalar.properties.generalCategory == .control }
        if let note, note.count > 500 || note.unicodeScalars.contains(where: isControl) {
            throw ControlFailure("\"note\" is one line of at most 500 characters")
        }
        let requester = Self.requester(peer)
        let entry = HostLabel(host: host.description, label: label, note: note?.isEmpty == false ? note : nil,
                              requestedBy: requester, time: Date())
        let problem: FleetError?
        do {
            problem = try labels.set(entry)
        } catch {
            throw ControlFailure("the label of \(host) was not kept: \(error)")
        }
        logger.notice("control: label \(host) \(label.rawValue)", metadata: ["peer": "\(requester)"])
        if let problem { logger.error("label file not written", metadata: ["reason": "\(problem)"]) }
        return Self.labelEntry(entry, warning: problem.map(Self.fileWarning))
    }

    private func unlabel(_ text: String, peer: PeerCredentials) throws(ControlFailure) -> TargetDone {
        let host = HostAddress(text)?.description ?? text
        let outcome: (removed: Bool, problem: FleetError?)
        do {
            outcome = try labels.remove(host: host)
        } catch {
            throw ControlFailure("the label of \(host) was not removed: \(error)")
        }
        guard outcome.removed else { throw ControlFailure("\(host) has no label", reason: .notFound) }
        logger.notice("control: unlabel \(host)", metadata: ["peer": "\(Self.requester(peer))"])
        if let problem = outcome.problem {
            logger.error("label file not written", metadata: ["reason": "\(problem)"])
            throw ControlFailure("the label of \(host) is removed, but " + Self.fileWarning(problem))
        }
        return TargetDone(target: host, done: SensorCommand.unlabel.rawValue)
    }

    private static func fileWarning(_ problem: FleetError) -> String {
        "the label file was not rewritten (fleet learning reads the previous one until the next change): \(problem)"
    }

    static func labelEntry(_ label: HostLabel, warning: String? = nil) -> HostLabelEntry {
        HostLabelEntry(host: label.host, label: label.label.rawValue, note: label.note,
                       requestedBy: label.requestedBy, time: RFC3339.format(label.time), warning: warning)
    }

    private func reload(peer: PeerCredentials) throws(ControlFailure) -> ReloadSummary {
        switch reload(Self.requester(peer)) {
        case .success(let report):
            return ReloadSummary(model: report.model, modelChanged: report.modelChanged, applied: report.applied,
                                 pendingRestart: report.pending, poolDomains: report.poolDomains,
                                 listLinesSkipped: report.skippedListLines, listProblems: report.listProblems,
                                 summary: report.summary)
        case .failure(let error):
            throw ControlFailure("reload refused; the running configuration and models stay: \(error)")
        }
    }

    private func pause(_ paused: Bool, peer: PeerCredentials) -> PauseState {
        let command = paused ? SensorCommand.pause : .resume
        let requester = Self.requester(peer)
        logger.notice("control: \(command.rawValue)", metadata: ["peer": "\(requester)"])
        if engine.setPaused(paused) { engine.audit(command.rawValue, requestedBy: requester) }
        return PauseState(paused: paused)
    }

    private func unbenign(_ target: String, peer: PeerCredentials) throws(ControlFailure) -> TargetDone {
        guard engine.removeBenign(target: target) else { throw ControlFailure("\(target) is not marked benign") }
        logger.notice("control: unbenign \(target)", metadata: ["peer": "\(Self.requester(peer))"])
        return TargetDone(target: target, done: SensorCommand.unbenign.rawValue)
    }

    private func benignList() -> BenignMarks {
        let now = Date()
        let snapshot = engine.snapshot()
        return BenignMarks(benign: snapshot.benign.values.sorted { $0.target < $1.target }.map { mark in
            BenignMarks.Mark(target: mark.target, reason: mark.reason, requestedBy: mark.requestedBy,
                             since: RFC3339.format(mark.since), until: mark.until.map(RFC3339.format),
                             holds: mark.holds(at: now),
                             suppressed: HostAddress(mark.target).map { snapshot.suppressed[$0] ?? 0 })
        })
    }

    /// `block` (`all` for all traffic), `unblock`, `allow`, `disallow`; each logged with the peer.
    private func inline(_ command: SensorCommand, host text: String, all: Bool = false, peer: PeerCredentials)
        throws(ControlFailure) -> InlineDone {
        guard let host = HostAddress(text) else {
            throw ControlFailure("give the host as {\"cmd\": \"\(command.rawValue)\", \"host\": \"10.0.0.5\"}")
        }
        let action: SensorEngine.InlineRequest = switch command {
        case .block: .block(host, all: all)
        case .unblock: .unblock(host)
        case .allow: .allow(host)
        default: .disallow(host)
        }
        let requester = Self.requester(peer)
        logger.notice("control: \(command.rawValue) \(host)", metadata: ["peer": "\(requester)"])
        switch engine.perform(action, requestedBy: requester) {
        case .success(let detail):
            let note = engine.isInline ? nil
                : "no effect outside inline mode (no [inline] queue): nothing is blocked here; "
                    + "to stop alerts for a host, mark it benign (coinsentryctl benign)"
            return InlineDone(host: host.description, done: command.rawValue, detail: detail, requestedBy: requester,
                              note: note)
        case .failure(let refusal):
            throw ControlFailure(refusal.description)
        }
    }

    /// `ack` (seen) or `close` an alert by id, with the operator's credentials; closing a host's open alert ends its
    /// episode (a `cleared` alert, reason `closed-by-operator`).
    private func feedback(_ command: SensorCommand, id: Int64, peer: PeerCredentials) throws(ControlFailure)
        -> AlertFeedback {
        let requester = Self.requester(peer)
        do {
            let found = command == .ack ? try store.acknowledge(id: id, by: requester)
                : try store.close(id: id, by: requester)
            guard let found else { throw ControlFailure("there is no alert \(id)", reason: .notFound) }
            logger.notice("control: \(command.rawValue) alert \(id)", metadata: ["peer": "\(requester)"])
            var ended = false
            if command == .close, let host = HostAddress(found.record.host),
               try store.openAlert(host: found.record.host)?.id == id {
                ended = engine.closeEpisode(host, requestedBy: requester)
            }
            return AlertFeedback(alert: Self.entry(found), episodeEnded: ended)
        } catch let failure as ControlFailure {
            throw failure
        } catch {
            throw ControlFailure("cannot update the alert store: \(error)")
        }
    }

    /// A stored alert as the protocol's type, field by field (times as `JSONValue` writes dates).
    static func entry(_ alert: StoredAlert) -> AlertEntry {
        let record = alert.record
        return AlertEntry(
            id: alert.id, time: JSONValue.timeText(record.time), sensor: record.sensor, event: record.event.rawValue,
            level: record.level?.rawValue, rule: record.rule, reason: record.reason, host: record.host,
            verdict: record.verdict, score: record.score, windows: record.windows, model: record.model,
            evidence: record.evidence.map { piece in
                EvidenceEntry(kind: piece.kind, remote: piece.remote, dialect: piece.dialect, worker: piece.worker,
                              role: piece.role, name: piece.name, source: piece.source, score: piece.score,
                              bytes: piece.bytes, seconds: piece.seconds)
            },
            action: record.action, requestedBy: record.requestedBy, acknowledgedBy: alert.acknowledgedBy,
            acknowledgedAt: alert.acknowledgedAt.map(JSONValue.timeText), closedBy: alert.closedBy,
            closedAt: alert.closedAt.map(JSONValue.timeText))
    }

    /// `benign`: marks a host or remote endpoint benign for `seconds` (or for good) with a `reason`.
    private func benign(_ request: SensorRequest.Benign, peer: PeerCredentials) throws(ControlFailure)
        -> BenignMarked {
        let target = request.target
        guard Self.isTarget(target) else {
            throw ControlFailure("give a host or remote endpoint as {\"cmd\": \"benign\", \"target\": "
                                 + "\"10.0.0.5\" or \"203.0.113.7:443\", \"reason\": \"...\"}")
        }
        let reason = request.reason
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ControlFailure("say why \(target) is benign: \"reason\": \"...\"")
        }
        if let seconds = request.seconds, !(seconds > 0) { throw ControlFailure("\"seconds\" must be above 0") }
        let now = Date()
        let requester = Self.requester(peer)
        let mark = BenignMark(target: target, reason: reason, requestedBy: requester, since: now,
                              until: request.seconds.map { now.addingTimeInterval($0) })
        engine.markBenign(mark)
        logger.notice("control: benign \(target)", metadata: ["peer": "\(requester)", "reason": "\(reason)"])
        return BenignMarked(target: target, reason: reason, until: mark.until.map(RFC3339.format),
                            requestedBy: requester)
    }

    /// A host address, or a remote endpoint `IP:PORT` (`[IPv6]:PORT`).
    static func isTarget(_ text: String) -> Bool {
        if HostAddress(text) != nil { return true }
        guard let colon = text.lastIndex(of: ":"), UInt16(text[text.index(after: colon)...]) != nil else { return false }
        var address = String(text[..<colon])
        if address.hasPrefix("["), address.hasSuffix("]") { address = String(address.dropFirst().dropLast()) }
        return HostAddress(address) != nil
    }

    /// `uid=… gid=… pid=… (name)`: the peer's credentials and, when it can be read, its process name.
    static func requester(_ peer: PeerCredentials) -> String {
        let name = (try? String(contentsOfFile: "/proc/\(peer.pid)/comm", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return name.map { "\(peer) (\($0))" } ?? peer.description
    }

    private func allowlist() -> AllowlistState {
        let snapshot = engine.snapshot()
        return AllowlistState(
            allowlist: snapshot.allowlist.map {
                AllowlistState.Entry(host: $0.host, requestedBy: $0.requestedBy, since: RFC3339.format($0.since))
            },
            blocks: snapshot.blocks.map(Self.blockEntry))
    }

    static func blockEntry(_ block: InlineBlock) -> BlockEntry {
        BlockEntry(host: block.host, scope: block.scope.rawValue, remotes: block.remotes, origin: block.origin.rawValue,
                   requestedBy: block.requestedBy, since: RFC3339.format(block.since))
    }

    private func status() -> SensorStatus {
        let snapshot = engine.snapshot()
        let configuration = snapshot.configuration
        return SensorStatus(
            sensor: configuration.sensorID, version: CoinSentryVersion.current,
            uptimeSeconds: Date().timeIntervalSince(engine.startedAt).rounded(), paused: snapshot.paused,
            interfaces: snapshot.interfaces.map(\.name), hosts: snapshot.hosts.count,
            miningHosts: snapshot.hosts.filter { $0.level == .mining }.count,
            suspectHosts: snapshot.hosts.filter { $0.level == .suspect }.count,
            openAlerts: snapshot.episodes.count,
            packetsPerSecond: snapshot.interfaces.reduce(0) { $0 + $1.packetsPerSecond }.rounded(),
            model: snapshot.model.file.id,
            inline: configuration.inline.queue.map { queue in
                SensorStatus.InlineStatus(queue: Int(queue), policy: configuration.inline.policy.rawValue,
                                          blockedHosts: snapshot.blocks.count)
            })
    }

    /// A host's summary. Its class is the host's traffic class from the model's class vote in words an operator
    /// knows (`CPU mining`, `video streaming`, `VPN`, ...; `class_trace` is the training trace it is named after),
    /// with whether it is a mining class and its share of the voted windows. The class is absent without a class
    /// block, before the vote's minimum of windows, and when it disagrees with the verdict (a mining class for a host
    /// no rule holds for, or an ordinary class for a host whose verdict is *mining*): the verdict is what counts.
    /// `benign` is the benign mark's reason, `suppressed_alerts` the alerts the mark suppressed.
    private static func hostSummary(_ status: HostStatus, snapshot: SensorEngine.Snapshot) -> HostSummary {
        var trafficClass = snapshot.model.classifier.flatMap { classes in status.trafficClass.map { (classes, $0) } }
        if let (model, found) = trafficClass {
            let classMining = model.isMining[found.index]
            if classMining != (status.level != nil) && (classMining || status.level == .mining) { trafficClass = nil }
        }
        let mark = snapshot.benign[status.host.description].flatMap { $0.holds(at: Date()) ? $0 : nil }
        return HostSummary(
            host: status.host.description, verdict: status.fused.state.rawValue, level: status.level?.rawValue,
            rule: status.fused.rule.rawValue, vote: status.verdict.state.rawValue, score: status.verdict.score,
            windows: status.verdict.windows,
            trafficClass: trafficClass.map { TrafficClassName.operatorName($0.0.names[$0.1.index]) },
            classTrace: trafficClass.map { $0.0.names[$0.1.index] },
            classIsMining: trafficClass.map { $0.0.isMining[$0.1.index] }, classShare: trafficClass.map { $0.1.share },
            bytesReceived: status.totals.bytesReceived, bytesSent: status.totals.bytesSent, benign: mark?.reason,
            suppressedAlerts: snapshot.suppressed[status.host] ?? 0)
    }

    /// Hosts by level (*mining*, then *suspect*, then the rest), then by the vote's score and traffic.
    private func hosts(_ request: SensorRequest.Hosts) throws(ControlFailure) -> HostList {
        if let level = request.level, level != "none", VerdictFusion.Level(rawValue: level) == nil {
            throw ControlFailure("\"level\" is mining, suspect or none, not \(level)")
        }
        let snapshot = engine.snapshot()
        let rank = { (status: HostStatus) -> Int in
            switch status.level {
            case .mining: 2
            case .suspect: 1
            case nil: 0
            }
        }
        let ranked = snapshot.hosts.sorted {
            (rank($0), $0.verdict.score, $0.totals.bytesReceived + $0.totals.bytesSent, $1.host)
                > (rank($1), $1.verdict.score, $1.totals.bytesReceived + $1.totals.bytesSent, $0.host)
        }
        return request.select(fromRanked: ranked.map { Self.hostSummary($0, snapshot: snapshot) })
    }

    private func host(_ request: SensorRequest.Host) throws(ControlFailure) -> HostDetail {
        let text = request.host
        guard let address = HostAddress(text) else {
            throw ControlFailure("give the host as {\"cmd\": \"host\", \"host\": \"10.0.0.5\"}")
        }
        let span = request.span ?? SensorRequest.Host.defaultSpan
        guard SensorRequest.Host.spans.contains(span) else {
            throw ControlFailure("span is the series' length in seconds, from \(SensorRequest.Host.spans.lowerBound) to "
                                 + "\(SensorRequest.Host.spans.upperBound) (a day), not \(span)")
        }
        let snapshot = engine.snapshot()
        guard let status = snapshot.hosts.first(where: { $0.host == address }) else {
            throw ControlFailure("host \(text) is not tracked (no traffic seen recently)", reason: .notFound)
        }
        let fusion = VerdictFusion(settings: snapshot.configuration.fusion)
        let rules = fusion.explain(vote: status.verdict, evidence: status.evidence.map(\.evidence),
                                   previous: status.fused).map {
            HostDetail.RuleStanding(rule: $0.rule.rawValue, level: $0.rule.level?.rawValue, holds: $0.holds,
                                    detail: $0.detail)
        }
        let evidence = (try? JSONValue(encoding: status.evidence.map { AlertRecord.Evidence($0.evidence) })
            .decoded(as: [EvidenceEntry].self)) ?? []
        let names = snapshot.model.file.features
        let features = status.lastFeatures.count == names.count
            ? Dictionary(uniqueKeysWithValues: zip(names, status.lastFeatures.map { $0.isFinite ? $0 : 0 })) : nil
        return HostDetail(
            summary: Self.hostSummary(status, snapshot: snapshot), rules: rules,
            recentDecisions: status.recentDecisions, lastWindowEnd: status.lastWindowEnd.map(Double.init),
            packetsReceived: status.totals.packetsReceived, packetsSent: status.totals.packetsSent,
            busiestRemotes: status.busiestRemotes.map {
                HostDetail.RemoteTraffic(remote: $0.description, transport: $0.transportName, bytes: $0.bytes)
            },
            openAlert: snapshot.episodes[status.host] != nil, evidence: evidence,
            blocked: snapshot.blocks.first { $0.host == status.host.description }.map(Self.blockEntry),
            features: features,
            series: Self.series(status.series, span: Double(span),
                                intervalSeconds: snapshot.model.file.windows.intervalSeconds),
            seriesSpan: Double(span))
    }

    /// A host's traffic series over `span` seconds on the wire: each bucket's start in seconds since 1970 (interval
    /// indexes count from 1970).
    private static func series(_ series: TrafficSeries, span: Double, intervalSeconds: Double)
        -> [HostDetail.TrafficPoint] {
        let perMinute = TrafficSeries.bucketIntervals(intervalSeconds: intervalSeconds)
        let (resolution, buckets) = series.buckets(covering: span, bucketIntervals: perMinute)
        let seconds = Double(perMinute * Int64(resolution.minutes)) * intervalSeconds
        return buckets.map {
            HostDetail.TrafficPoint(start: Double($0.firstInterval) * intervalSeconds, seconds: seconds,
                                    bytesReceived: $0.counters.bytesReceived, bytesSent: $0.counters.bytesSent,
                                    packetsReceived: $0.counters.packetsReceived, packetsSent: $0.counters.packetsSent)
        }
    }

    /// Alerts from the store, oldest first: from `since` to `until` (seconds since 1970 or RFC 3339), and optionally
    /// only those of one `host`, `level` (`mining`, `suspect`), `rule` or `event`.
    private func alerts(_ request: SensorRequest.Alerts) throws(ControlFailure) -> AlertList {
        let filter = try AlertFilter(request)
        do {
            let found = try store.alerts(since: filter.since, until: filter.until, host: request.host,
                                         level: filter.level, rule: request.rule, event: filter.event,
                                         limit: filter.limit)
            return AlertList(alerts: found.map(Self.entry))
        } catch {
            throw ControlFailure("cannot read the alert store: \(error)")
        }
    }

    /// The same alerts grouped by host and rule in the store, the groups with the latest alerts first.
    private func alertGroups(_ request: SensorRequest.AlertGroups) throws(ControlFailure) -> AlertGroupList {
        let filter = try AlertFilter(request.filter)
        do {
            let groups = try store.alertGroups(since: filter.since, until: filter.until, host: request.filter.host,
                                               level: filter.level, rule: request.filter.rule, event: filter.event,
                                               limit: filter.limit)
            return AlertGroupList(groups: groups.map { group in
                AlertGroup(host: group.host, rule: group.rule, level: group.level?.rawValue, count: group.count,
                           firstSeen: RFC3339.format(group.firstSeen), lastSeen: RFC3339.format(group.lastSeen),
                           latestId: group.latestID, latestEvent: group.latestEvent.rawValue,
                           unhandled: group.unhandled)
            })
        } catch {
            throw ControlFailure("cannot read the alert store: \(error)")
        }
    }

    /// An alerts request's fields in the store's terms, refused with a message naming the field.
    private struct AlertFilter {
        var since = Date.distantPast
        var until: Date?
        var level: AlertRecord.Level?
        var event: AlertRecord.Event?
        var limit: Int

        init(_ request: SensorRequest.Alerts) throws(ControlFailure) {
            since = try Self.date(request.since, "since") ?? .distantPast
            until = try Self.date(request.until, "until")
            if let text = request.level {
                guard let known = AlertRecord.Level(rawValue: text) else {
                    throw ControlFailure("\"level\" is mining or suspect, not \(text)")
                }
                level = known
            }
            if let text = request.event {
                guard let known = AlertRecord.Event(rawValue: text) else {
                    throw ControlFailure("\"event\" is one of "
                        + AlertRecord.Event.allCases.map(\.rawValue).joined(separator: ", ") + ", not \(text)")
                }
                event = known
            }
            let maximum = SensorRequest.Alerts.maximumLimit
            limit = min(max(request.limit ?? maximum, 1), maximum)
        }

        private static func date(_ value: TimeValue?, _ name: String) throws(ControlFailure) -> Date? {
            switch value {
            case .seconds(let seconds)?: return Date(timeIntervalSince1970: seconds)
            case .text(let text)?:
                guard let date = try? Date(text, strategy: .iso8601) else {
                    throw ControlFailure("\"\(name)\" is seconds since 1970 or an RFC 3339 time")
                }
                return date
            case nil: return nil
            }
        }
    }

    private func stats() -> SensorStatistics {
        let snapshot = engine.snapshot()
        return SensorStatistics(
            verdicts: snapshot.verdicts.flatMap { try? JSONValue(encoding: $0) },
            interfaces: snapshot.interfaces.map { entry in
                SensorStatistics.InterfaceStatistics(
                    interface: entry.name, packetsPerSecond: entry.packetsPerSecond.rounded(),
                    bytesPerSecond: entry.bytesPerSecond.rounded(), windowsDecided: entry.windowsDecided,
                    windowsBelowFloor: entry.windowsBelowFloor,
                    counters: (try? JSONValue(encoding: entry.statistics)) ?? .null,
                    captureDownSince: entry.down.map { RFC3339.format($0.since) },
                    captureDownReason: entry.down?.reason, captureRestarts: entry.restarts,
                    captureDownSeconds: entry.downSeconds.rounded())
            },
            alerts: SensorStatistics.AlertDelivery(
                notStored: alerts.notStored,
                outputs: alerts.dispatcher.statistics.map { sink in
                    SensorStatistics.AlertDelivery.Output(
                        name: sink.name, delivered: sink.delivered, dropped: sink.dropped, queued: sink.queued,
                        lastError: sink.lastError.map { "\($0)" })
                }))
    }

    private func model() -> ModelSummary {
        let snapshot = engine.snapshot()
        let file = snapshot.model.file
        return ModelSummary(
            path: snapshot.modelPath, id: file.id, created: file.created, intervalSeconds: file.windows.intervalSeconds,
            windowSeconds: file.windows.windowSeconds, slideSeconds: file.windows.slideSeconds,
            features: file.features.count, vote: (try? JSONValue(encoding: file.vote)) ?? .null,
            metrics: (try? JSONValue(encoding: file.metrics)) ?? .null,
            training: (try? JSONValue(encoding: file.training)) ?? .null)
    }
}
