import Alerting
import Capture
import Detection
import Foundation
import Logging
import PoolDetection

/// What a reload changed: the model in use, the settings applied at once, those that wait for a restart, and the
/// pool-domain lists read.
public struct ReloadReport: Hashable, Sendable {
    /// The model in use after the reload, and whether it is a different one.
    public var model: String
    public var modelChanged: Bool
    /// Configuration keys whose new values apply now.
    public var applied: [String]
    /// Configuration keys whose new values wait for a restart.
    public var pending: [String]
    /// Pool names now listed, and list lines skipped (with the first few, file:line: reason).
    public var poolDomains: Int
    public var skippedListLines: Int
    public var listProblems: [String]

    /// One line for logs and audit records.
    public var summary: String {
        var parts = ["model \(model) \(modelChanged ? "replaced" : "unchanged")",
                     "\(poolDomains) pool domains" + (skippedListLines > 0 ? " (\(skippedListLines) lines skipped)" : "")]
        if !applied.isEmpty { parts.append("applied: \(applied.joined(separator: ", "))") }
        if !pending.isEmpty { parts.append("waiting for a restart: \(pending.joined(separator: "; "))") }
        return parts.joined(separator: "; ")
    }
}

/// The one reload of the sensor, for SIGHUP and `coinsentryctl reload` alike: the configuration file, the pool-domain
/// lists, the pool-connection model and the model are all read and checked first; only when every one is good are
/// they applied, so a bad file changes nothing and the running ones stay. Every reload, taken or refused, is an audit
/// record naming who asked.
public struct SensorReload: Sendable {
    private let configurationPath: String
    private let engine: SensorEngine
    private let logger: Logger

    public init(configurationPath: String, engine: SensorEngine, logger: Logger) {
        self.configurationPath = configurationPath
        self.engine = engine
        self.logger = logger
    }

    /// Reloads; `requestedBy` names the operator (control-socket credentials) or `SIGHUP`.
    public func perform(requestedBy: String) -> Result<ReloadReport, Error> {
        let outcome = Result { () throws -> ReloadReport in
            let next = try SensorConfiguration.load(configurationPath)
            let domains = try PoolDomainList(files: next.capture.poolDomainFiles)
            let poolModel = try next.model.poolPath.map { try PoolShapeModel.load($0) }
            let running = engine.snapshot().model
            let model = try DetectionModel.load(next.model.path, sensorIntervalSeconds: next.capture.interval)
            let (applied, pending) = engine.applyReloaded(next)
            engine.replacePoolEvidence(domains: domains, poolModel: poolModel, from: next)
            try engine.replaceModel(model, path: next.model.path)
            return ReloadReport(model: model.file.id, modelChanged: model.file.id != running.file.id,
                                applied: applied, pending: pending, poolDomains: domains.names.count,
                                skippedListLines: domains.skippedLines,
                                listProblems: domains.problems.map(\.description))
        }
        switch outcome {
        case .success(let report):
            for problem in report.listProblems {
                logger.warning("pool-domain list line skipped", metadata: ["where": "\(problem)"])
            }
            if !report.pending.isEmpty {
                logger.warning("configuration changes wait for a restart",
                               metadata: ["keys": "\(report.pending.joined(separator: "; "))"])
            }
            logger.notice("reloaded", metadata: ["by": "\(requestedBy)", "result": "\(report.summary)"])
            engine.audit("reload", requestedBy: requestedBy, detail: report.summary)
        case .failure(let error):
            logger.error("reload refused; the running configuration and models stay",
                         metadata: ["by": "\(requestedBy)", "reason": "\(error)"])
            engine.audit("reload", requestedBy: requestedBy, detail: "refused: \(error)")
        }
        return outcome
    }
}
