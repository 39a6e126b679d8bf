import Alerting
import Capture
import FleetFiles
import Foundation
import Logging
import Sensor

/// What `coinsentryd` keeps in its alert store across restarts, and how it comes back: open episodes, inline blocks,
/// the allowlist, benign marks, operators' host labels, the evidence hosts held and their votes.
public struct SensorState: Sendable {
    /// Episodes open before the restart. They count as quiet from `now`: one whose host comes back with a rule
    /// holding goes on (no new alert); one whose host is gone ends after the hold period (reason `host-quiet`).
    public var openEpisodes: [HostAddress: EpisodeTracker.Episode]
    public var blocks: [InlineBlock]
    public var allowed: [AllowedHost]
    public var benign: [BenignMark]
    /// Operators' host labels for fleet learning (`OperatorLabels`).
    public var labels: [HostLabel]

    /// Reads the state an engine starts with.
    /// - Throws: `AlertingError` when the store cannot be read.
    public static func load(from store: AlertStore, now: Date = Date()) throws(AlertingError) -> SensorState {
        let restarted = now.timeIntervalSince1970
        let episodes = Dictionary(try store.openAlerts(kind: .mining).compactMap { stored in
            HostAddress(stored.record.host).map {
                var episode = EpisodeTracker.Episode(level: stored.record.event == .suspect ? .suspect : .mining,
                                                     raisedAt: stored.record.time.timeIntervalSince1970)
                episode.quietSince = restarted
                episode.clearReason = .hostQuiet
                return ($0, episode)
            }
        }, uniquingKeysWith: { first, _ in first })
        return SensorState(openEpisodes: episodes, blocks: try store.blocks(), allowed: try store.allowlist(),
                           benign: try store.benignMarks(), labels: try store.labels())
    }

    /// Gives a started engine back the evidence and votes its hosts had at the last graceful stop.
    public static func restoreHosts(into engine: SensorEngine, from store: AlertStore, logger: Logger) {
        do {
            let (restored, skipped) = engine.restoreEvidence(try store.hostEvidence())
            let votes = engine.restoreVotes(try store.hostStates())
            if restored + skipped + votes > 0 {
                logger.info("state restored", metadata: ["evidence": "\(restored)", "skipped": "\(skipped)",
                                                         "votes": "\(votes)"])
            }
        } catch {
            logger.error("host state not restored", metadata: ["reason": "\(error)"])
        }
    }

    /// Saves every host's verdict, vote and evidence (at a graceful stop).
    public static func saveHosts(of engine: SensorEngine, to store: AlertStore, logger: Logger, now: Date = Date()) {
        let snapshot = engine.snapshot()
        let length = snapshot.model.file.vote.length
        let states = snapshot.hosts.map {
            HostState(host: $0.host.description, verdict: $0.level?.rawValue ?? "clear",
                      score: $0.verdict.score, windows: $0.verdict.windows, updatedAt: now,
                      decisions: Array($0.recentDecisions.suffix(length)))
        }
        do {
            try store.saveHostStates(states)
            try store.saveHostEvidence(engine.heldEvidence())
        } catch {
            logger.error("host state not saved", metadata: ["reason": "\(error)"])
        }
    }
}

extension AlertOutputs {
    /// Where the engine's alerts go: logged in one line, then raised through the store and the sinks.
    public static func output(to alerts: AlertPipeline, logger: Logger) -> SensorEngine.AlertOutput {
        { alert in
            logger.notice("alert", metadata: ["event": "\(alert.event.rawValue)", "host": "\(alert.host)",
                                              "level": "\(alert.level?.rawValue ?? "-")",
                                              "score": "\(alert.score)", "windows": "\(alert.windows)",
                                              "evidence": "\(alert.evidence.map(\.kind).joined(separator: ","))"])
            do {
                _ = try alerts.raise(alert)
            } catch {
                logger.error("alert not stored", metadata: ["host": "\(alert.host)", "reason": "\(error)"])
            }
        }
    }

    /// Where inline and operator state goes: the alert store, a failure logged.
    public static func stateStore(_ store: AlertStore, logger: Logger) -> SensorEngine.InlineStore {
        { change in
            do {
                try store.apply(change)
            } catch {
                logger.error("state not stored", metadata: ["reason": "\(error)"])
            }
        }
    }
}

extension SensorEngine {
    /// The one-line status systemd shows (`STATUS=`): hosts, levels, rate, drops.
    public var statusLine: String {
        let snapshot = snapshot()
        let rate = snapshot.interfaces.reduce(0) { $0 + $1.packetsPerSecond }
        let drops = snapshot.interfaces.reduce(UInt64(0)) {
            $0 + $1.statistics.kernelDropped + $1.statistics.interfaceDropped + $1.statistics.ringDropped
        }
        let mining = snapshot.hosts.filter { $0.isMining }.count
        let suspect = snapshot.hosts.filter { $0.level == .suspect }.count
        let down = snapshot.interfaces.filter { $0.down != nil }.map(\.name)
        return "\(snapshot.hosts.count) hosts, \(mining) mining, \(suspect) suspect, \(Int(rate)) packets/s, "
            + "\(drops) dropped" + (snapshot.paused ? ", paused" : "")
            + (down.isEmpty ? "" : ", capture down on \(down.joined(separator: ", "))")
    }
}
