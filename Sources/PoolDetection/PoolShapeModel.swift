import Capture
import Detection
import Foundation

/// The pool-connection classifier: a linear SVM over `PoolFlowFeatures` and their squares (`PoolFlowFeatures.expanded`),
/// after standard scaling, stored as versioned JSON (`etc/coinsentry/pool-model.json`, written by
/// `coinsentry train-pool`).
public struct PoolShapeModel: Hashable, Codable, Sendable {
    public static let format = "coinsentry-pool-shape-model"
    /// Version 2: the squared terms (`expansion`) were added. Version 3: the early stage (`early`). Version 4: each
    /// stage's `envelope`. Older files, which have neither, still load.
    public static let version = 4
    /// The versions this build reads.
    public static let readableVersions = 2...version

    public var format: String
    public var version: Int
    /// The feature names, in row order (must equal `PoolFlowFeatures.names`).
    public var features: [String]
    /// The model's own scorer, for flows of at least `stage.minimumAge`; its fields sit at the top level of the file.
    public var stage: PoolShapeStage
    /// What it was trained on, for the record.
    public var training: PoolTrainingRecord
    /// The scorer of flows younger than `stage.minimumAge`, trained apart on younger summaries (`train-pool
    /// --early-minimum-age`); absent: younger flows are not scored. A flow is scored by one stage at a time, so a flow
    /// the early stage left alone is judged by the model's own stage once it is old enough.
    public var early: PoolShapeStage?

    /// The model's own stage scores flows from ten minutes of age: younger ones have too few jobs and shares to tell a
    /// pool from a poll by the same rule, and cross-validation on the training captures (docs/pool-evidence.md) found
    /// most false flows there. Younger flows are left to an early stage, trained on them with a stricter threshold.
    public static let defaultMinimumAge = 600.0

    public init(stage: PoolShapeStage, early: PoolShapeStage? = nil, training: PoolTrainingRecord) {
        format = Self.format
        version = Self.version
        features = PoolFlowFeatures.names
        self.stage = stage
        self.early = early
        self.training = training
    }

    private enum CodingKeys: String, CodingKey {
        case format, version, features, training, early
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        format = try container.decode(String.self, forKey: .format)
        version = try container.decode(Int.self, forKey: .version)
        features = try container.decode([String].self, forKey: .features)
        stage = try PoolShapeStage(from: decoder)
        training = try container.decode(PoolTrainingRecord.self, forKey: .training)
        early = try container.decodeIfPresent(PoolShapeStage.self, forKey: .early)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(format, forKey: .format)
        try container.encode(version, forKey: .version)
        try container.encode(features, forKey: .features)
        try stage.encode(to: encoder)
        try container.encode(training, forKey: .training)
        try container.encodeIfPresent(early, forKey: .early)
    }

    /// The youngest age a flow is scored at: the early stage's minimum age when there is one.
    public var youngestScoredAge: Double { min(early?.minimumAge ?? stage.minimumAge, stage.minimumAge) }

    /// The stage that judges a flow of `shape`'s age: the early stage while the flow is younger than
    /// `stage.minimumAge`, the model's own stage after (which may still find the flow too young to score).
    public func stage(scoring shape: FlowShape) -> PoolShapeStage? {
        shape.age < stage.minimumAge ? early : stage
    }

    /// The flow's score in 0...1 by the stage that judges its age; nil when no stage scores a flow of its age. A flow
    /// that speaks an industrial control protocol (`FlowShape.speaksControlProtocol`) scores 0: its payload says what
    /// it is, whatever its rhythm.
    public func score(_ shape: FlowShape) -> Double? {
        stage(scoring: shape)?.score(shape).map { shape.speaksControlProtocol ? 0 : $0 }
    }

    /// Reads and checks a model file.
    /// - Throws: `ModelError` saying what is wrong (unreadable, not JSON, wrong format or version, dimensions).
    public static func load(_ path: String) throws(ModelError) -> PoolShapeModel {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .io(path: path, reason: "cannot read the pool model: \(error.localizedDescription)")
        }
        let model = try ModelJSON.decode(PoolShapeModel.self, from: data, path: path)
        guard model.format == format else {
            throw .corrupt(path: path, reason: "format is \"\(model.format)\", expected \"\(format)\"")
        }
        guard readableVersions.contains(model.version) else {
            throw .unsupportedVersion(path: path, found: model.version, supported: version)
        }
        try model.check(path: path)
        return model
    }

    private func check(path: String) throws(ModelError) {
        guard features == PoolFlowFeatures.names else {
            throw .inconsistent(path: path, reason: "features \(features) are not this build's \(PoolFlowFeatures.names)")
        }
        let width = features.count
        guard version >= 4 || (stage.envelope == nil && early?.envelope == nil) else {
            throw .inconsistent(path: path, reason: "an envelope needs model version 4, the file says \(version)")
        }
        try stage.check(width: width, path: path)
        if let early {
            guard version >= 3 else {
                throw .inconsistent(path: path,
                                    reason: "an early stage needs model version 3, the file says \(version)")
            }
            guard early.minimumAge < stage.minimumAge else {
                throw .inconsistent(path: path, reason: "the early stage's minimum age \(early.minimumAge) s is not "
                                    + "below the model's \(stage.minimumAge) s")
            }
            try early.check(width: width, path: path)
        }
    }

    /// Writes the model as pretty-printed JSON.
    /// - Throws: `ModelError.io`.
    public func write(to path: String) throws(ModelError) {
        try ModelJSON.write(self, to: path, what: "the pool model")
    }
}

/// The captures a pool model was trained on and how many flow summaries each class had.
public struct PoolTrainingRecord: Hashable, Codable, Sendable {
    public var poolCaptures: [String]
    public var ordinaryCaptures: [String]
    public var poolSummaries: Int
    public var ordinarySummaries: Int

    public init(poolCaptures: [String], ordinaryCaptures: [String], poolSummaries: Int, ordinarySummaries: Int) {
        self.poolCaptures = poolCaptures
        self.ordinaryCaptures = ordinaryCaptures
        self.poolSummaries = poolSummaries
        self.ordinarySummaries = ordinarySummaries
    }
}
