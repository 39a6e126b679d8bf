import Capture
import Detection
import Profiling
import Traces

/// The sensor's decision path after capture: interval records → per-host windows → model → causal vote.
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
    private var engine: WindowEngine<HostAddress>
    private var voter: Voter<HostAddress>
    private let maximumHosts: Int

    /// - Throws: `WindowSettingsError` when the model's window settings cannot be honoured.
    public init(model: DetectionModel, maximumHosts: Int = 16384) throws {
        self.model = model
        self.maximumHosts = maximumHosts
        engine = try WindowEngine(settings: model.file.windows, maximumHosts: maximumHosts)
        voter = Voter(settings: model.file.vote)
    }

    /// Feeds one capture event; returns the hosts whose verdict changed to or from *mining* because of it.
    public mutating func handle(_ event: CaptureEvent) -> [VerdictChange] {
        switch event {
        case .host(let interval):
            engine.record(host: interval.host, intervalIndex: interval.index, counters: interval.counters)
            var status = hosts[interval.host] ?? HostStatus(host: interval.host, seen: interval.index)
            status.lastSeen = interval.index
            status.totals += interval.counters
            if !interval.busiestRemotes.isEmpty { status.busiestRemotes = interval.busiestRemotes }
            if hosts[interval.host] != nil || hosts.count < maximumHosts { hosts[interval.host] = status }
            return []
        case .intervalClosed(let index):
            var changes = [VerdictChange]()
            for window in engine.intervalClosed(index) {
                let value = model.decision(window.features)
                windowsDecided += 1
                let verdict = voter.add(host: window.host, mining: value > 0)
                guard var status = hosts[window.host] else { continue }
                let previous = status.verdict.state
                status.verdict = verdict
                status.lastWindowEnd = window.endInterval
                status.lastFeatures = window.features
                status.recentDecisions.append(value)
                if status.recentDecisions.count > Self.recentLimit { status.recentDecisions.removeFirst() }
                hosts[window.host] = status
                if (previous == .mining) != verdict.isMining {
                    changes.append(VerdictChange(host: window.host, previous: previous, verdict: verdict,
                                                 interval: window.endInterval,
                                                 busiestRemotes: status.busiestRemotes))
                }
            }
            return changes + forgetIdleHosts(now: index)
        case .discontinuity:
            engine.discontinuity()
            return []
        }
    }

    /// Uses a new model from now on. Window history is kept when the window settings are unchanged; votes restart,
    /// since decisions of two models are not comparable.
    /// - Throws: `WindowSettingsError` when the new model's window settings cannot be honoured.
    public mutating func replace(model newModel: DetectionModel) throws {
        if newModel.file.windows != model.file.windows {
            engine = try WindowEngine(settings: newModel.file.windows, maximumHosts: maximumHosts)
        }
        voter = Voter(settings: newModel.file.vote)
        model = newModel
        for host in hosts.keys {
            hosts[host]?.verdict = Verdict(state: .undecided, score: 0, windows: 0)
            hosts[host]?.recentDecisions = []
        }
    }

    /// Hosts silent for longer than the longest window have nothing left to decide on: their status and vote go,
    /// and a *mining* verdict among them clears (reported as a change to `normal` over no windows).
    private mutating func forgetIdleHosts(now: Int64) -> [VerdictChange] {
        let horizon = Int64(model.file.windows.historyIntervals)
        guard horizon > 0, now % horizon == 0 else { return [] }
        var changes = [VerdictChange]()
        for (host, status) in hosts where now - status.lastSeen > horizon {
            if status.verdict.isMining {
                changes.append(VerdictChange(host: host, previous: .mining,
                                             verdict: Verdict(state: .normal, score: 0, windows: 0), interval: now,
                                             busiestRemotes: status.busiestRemotes))
            }
            hosts[host] = nil
            voter.remove(host)
        }
        return changes
    }
}
