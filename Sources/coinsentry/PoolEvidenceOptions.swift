import ArgumentParser
import Capture
import Foundation
import PoolDetection

/// The pool-evidence options shared by `replay` and `evaluate --capture`: which pool names to look for, which model
/// scores flow shapes, and how flows are tracked.
struct PoolEvidenceOptions: ParsableArguments {
    @Option(name: .customLong("pool-domains"),
            help: "A pool-domain list (one domain a line); repeat for several. Default: etc/coinsentry/pool-domains.txt if present.")
    var poolDomainFiles: [String] = []

    @Option(name: .customLong("pool-model"),
            help: "The pool-connection classifier. Default: etc/coinsentry/pool-model.json if present.")
    var poolModel: String?

    @Option(name: .customLong("shape-min-age"), help: "Seconds a TCP flow must live before it is summarised.")
    var shapeMinimumAge: Double = 120

    @Flag(name: .customLong("no-flow-tracking"), help: "Track only JSON-like flows (no flow shapes, no pool-shape).")
    var noFlowTracking = false

    static let shippedDomains = "etc/coinsentry/pool-domains.txt", shippedPoolModel = "etc/coinsentry/pool-model.json"

    func validate() throws {
        guard shapeMinimumAge >= 0, shapeMinimumAge.isFinite else {
            throw ValidationError("--shape-min-age must be 0 or more seconds")
        }
    }

    /// Sets flow tracking and the pool-domain list in `configuration`; returns the pool-connection model, if any.
    func apply(to configuration: inout CaptureConfiguration) throws -> PoolShapeModel? {
        configuration.trackFlows = !noFlowTracking
        configuration.shapeMinimumAge = shapeMinimumAge
        let exists = { (path: String) in FileManager.default.fileExists(atPath: path) }
        let domainFiles = poolDomainFiles.isEmpty && exists(Self.shippedDomains) ? [Self.shippedDomains] : poolDomainFiles
        configuration.poolDomains = try PoolDomainList(files: domainFiles)
        let modelPath = poolModel ?? (exists(Self.shippedPoolModel) ? Self.shippedPoolModel : nil)
        return try modelPath.map { try PoolShapeModel.load($0) }
    }
}
