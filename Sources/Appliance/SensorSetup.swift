import Capture
import Detection
import Foundation
import Logging
import PoolDetection

/// What stops the sensor before it starts: a configuration key, a model or list, the alert store or the control
/// socket. `coinsentryd` prints it and exits with EX_CONFIG (78), so systemd does not restart into the same mistake.
public struct StartupProblem: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// The sensor's configuration with everything it names loaded and checked: the statistical model, the pool-domain
/// lists, the pool-connection model, and the machine it runs on. Nothing has started yet.
public struct SensorSetup: Sendable {
    public let configurationPath: String
    public let settings: SensorConfiguration
    public let model: DetectionModel
    public let poolModel: PoolShapeModel?
    public let poolDomains: PoolDomainList

    /// Loads `configurationPath` and what it names; every problem names the key it comes from.
    public init(configurationPath: String) throws(StartupProblem) {
        self.configurationPath = configurationPath
        do {
            let settings = try SensorConfiguration.load(configurationPath)
            self.settings = settings
            model = try Self.keyed("model.path") {
                try DetectionModel.load(settings.model.path, sensorIntervalSeconds: settings.capture.interval)
            }
            poolDomains = try Self.keyed("capture.pool_domain_files") {
                try PoolDomainList(files: settings.capture.poolDomainFiles)
            }
            poolModel = try Self.keyed("model.pool_path") {
                try settings.model.poolPath.map { try PoolShapeModel.load($0) }
            }
        } catch {
            throw StartupProblem("\(error)")
        }
        let environment = settings.environmentProblems()
        guard environment.isEmpty else {
            throw StartupProblem(environment.map { "\($0)" }.joined(separator: "\n"))
        }
    }

    /// One line saying what would run: the `--check` answer.
    public var summary: String {
        let skipped = poolDomains.skippedLines > 0 ? " (\(poolDomains.skippedLines) list lines skipped)" : ""
        let poolModelName = poolModel == nil ? "none" : settings.model.poolPath ?? ""
        let inline = settings.inline.queue != nil ? "; inline policy \(settings.inline.policy.rawValue)" : ""
        return "configuration \(configurationPath) is valid; model \(model.file.id) (\(settings.model.path)); "
            + "\(poolDomains.names.count) pool domains\(skipped); pool-connection model \(poolModelName); "
            + "sources \(settings.sourceNames.joined(separator: ", "))\(inline)"
    }

    /// Logs the lines the pool-domain lists skipped, with file and line (the first few) and how many in all.
    public func reportSkippedLines(to logger: Logger) {
        guard poolDomains.skippedLines > 0 else { return }
        for problem in poolDomains.problems {
            logger.warning("pool-domain list line skipped", metadata: ["where": "\(problem)"])
        }
        logger.warning("pool-domain lists loaded with lines skipped",
                       metadata: ["names": "\(poolDomains.names.count)", "skipped": "\(poolDomains.skippedLines)",
                                  "duplicates": "\(poolDomains.duplicates)"])
    }

    /// Runs a load, naming the configuration key it serves in its error.
    private static func keyed<T>(_ key: String, _ load: () throws -> T) throws -> T {
        do {
            return try load()
        } catch {
            throw ConfigurationError(file: "configuration", key: key, "\(error)")
        }
    }
}
