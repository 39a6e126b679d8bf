import Detection
import Fleet
import Foundation
import Randomness
import TestSupport

/// Paths and data the fleet tests share: the debug build's `coinsentry`, the shipped model, flwr's virtual
/// environment, and labelled windows made to fit the shipped model.
enum FleetFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let binary = "\(root)/.build/debug/coinsentry"
    static let model = "\(root)/etc/coinsentry/model.json"
    /// flwr's virtual environment (scripts/setup makes it; COINSENTRY_FLEET_VENV to use another).
    static let venv = ProcessInfo.processInfo.environment["COINSENTRY_FLEET_VENV"] ?? "\(root)/.venv-fleet"

    /// Why a test that needs the built `coinsentry` cannot run, or nil.
    static var binaryUnavailable: String? {
        FileManager.default.isExecutableFile(atPath: binary) ? nil : "skipped: coinsentry is not built (swift build)"
    }

    /// A Python with numpy: flwr's virtual environment (numpy comes with flwr), else `python3` on the PATH.
    static let python: [String] = FileManager.default.isExecutableFile(atPath: "\(venv)/bin/python")
        ? ["\(venv)/bin/python"] : ["/usr/bin/env", "python3"]

    /// Why a test that needs numpy cannot run, or nil.
    static let numpyUnavailable: String? = {
        (try? Shell.run(python + ["-c", "import numpy"])) == nil
            ? "skipped: no Python with numpy (scripts/setup installs it)" : nil
    }()

    /// Why a test that needs a real Flower deployment cannot run, or nil.
    static var flowerUnavailable: String? {
        if let binaryUnavailable { return binaryUnavailable }
        for tool in ["flower-superlink", "flower-supernode", "flwr", "python"]
        where !FileManager.default.isExecutableFile(atPath: "\(venv)/bin/\(tool)") {
            return "skipped: flwr's virtual environment is absent (\(venv)/bin/\(tool)); scripts/setup installs it"
        }
        return nil
    }

    /// A fresh temporary folder.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "coinsentry-fleet-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Raw feature rows the shipped model separates: its scaler's mean moved along the direction its decision grows
    /// fastest (±`distance` scale units, mining positive), plus noise; labels 1 mining / 0 normal.
    static func windows(count: Int, miningShare: Double, seed: UInt64, distance: Double = 3) throws
        -> LabelledExamples
    {
        let file = try DetectionModel.load(model).file
        let width = file.features.count
        var gradient = [Double](repeating: 0, count: width)
        for (k, component) in file.pca.components.enumerated() {
            for j in 0..<width { gradient[j] += file.svc.weights[k] * component[j] }
        }
        let norm = gradient.reduce(0) { $0 + $1 * $1 }.squareRoot()
        var generator = SplitMix64(seed: seed)
        var rows = [[Double]](), labels = [Double]()
        for index in 0..<count {
            let mining = Double(index) < miningShare * Double(count)
            let t = (mining ? distance : -distance) + Double.random(in: -0.5...0.5, using: &generator)
            rows.append((0..<width).map { j in
                let noise = Double.random(in: -0.3...0.3, using: &generator)
                return file.scaler.mean[j] + file.scaler.scale[j] * (t * gradient[j] / norm + noise)
            })
            labels.append(mining ? 1 : 0)
        }
        return LabelledExamples(features: rows, labels: labels)
    }
}
