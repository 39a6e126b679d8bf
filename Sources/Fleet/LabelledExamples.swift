/// A participant's local data: one feature row per example and its label, as two `.npy` files (a 2-D float array
/// of features, a 1-D float array of labels: 1 = mining / 0 = normal for the traffic model, the class index for the
/// address model).
public struct LabelledExamples: Sendable {
    /// Feature rows.
    public var features: [[Double]]
    /// One label per row.
    public var labels: [Double]

    /// Examples from rows and their labels, one label per row.
    public init(features: [[Double]], labels: [Double]) {
        precondition(features.count == labels.count, "one label per row")
        self.features = features
        self.labels = labels
    }

    /// Reads features and labels written by `coinsentry fleet windows` or `coinsentry fleet addresses`.
    ///
    /// - Parameter width: the feature count the model reads; rows of another width are refused.
    /// - Throws: `NpyError`.
    public static func read(features: String, labels: String, width: Int) throws(NpyError) -> LabelledExamples {
        let matrix = try NpyFile.read(features)
        let rows = try matrix.rows()
        guard matrix.shape[1] == width || rows.isEmpty else {
            throw .shape("\(features): rows of \(matrix.shape[1]) features, the model reads \(width)")
        }
        let vector = try NpyFile.read(labels)
        guard vector.shape == [rows.count] else {
            throw .shape("\(labels): shape \(vector.shape), expected one label per row of \(features) (\(rows.count))")
        }
        guard vector.values.allSatisfy(\.isFinite), matrix.values.allSatisfy(\.isFinite) else {
            throw .shape("\(features) or \(labels) holds non-finite numbers")
        }
        return LabelledExamples(features: rows, labels: vector.values)
    }

    /// Writes features and labels as `.npy` files (float64).
    ///
    /// - Throws: `NpyError.io`.
    public func write(features: String, labels: String) throws(NpyError) {
        let width = self.features.first?.count ?? 0
        try NpyFile.write(NpyArray(shape: [self.features.count, width], values: self.features.flatMap { $0 }),
                          to: features)
        try NpyFile.write(NpyArray(vector: self.labels), to: labels)
    }

    /// The examples at the given indices.
    public func subset(_ indices: [Int]) -> LabelledExamples {
        LabelledExamples(features: indices.map { features[$0] }, labels: indices.map { labels[$0] })
    }
}
