import Capture

/// Reads a capture file through the capture path and collects every flow-shape summary it yields.
public enum FlowShapeCollector {
    /// Everything local: for ordinary captures, whose hosts are all of interest.
    public static let everyNetwork = ["0.0.0.0/0", "::/0"]

    /// The summaries of `path`'s TCP flows of at least `minimumAge` seconds, oldest first, attributed to the hosts
    /// in `localNetworks` (CIDR). The capture path reports them as the sensor does with its default
    /// `shapeMinimumAge` (or `minimumAge` when lower), so that a model scoring only older flows is trained and tested
    /// on the summaries it will see in the sensor; the younger ones are left out. With `youngSummaries` false, young
    /// flows are summarised a minute apart like older ones (`shapeReportInterval`), not every
    /// `shapeYoungReportInterval` as the sensor reports them: the rows the pool models are trained on, since rows
    /// a few seconds apart weigh young flows over old ones and made the early stage take a WebSocket feed for a pool
    /// (docs/results/2026-12-07-young-summaries.md).
    /// - Throws: `CaptureError` for an unreadable file or a bad network.
    public static func summaries(of path: String, localNetworks: [String], minimumAge: Double,
                                 youngSummaries: Bool = true) throws -> [FlowShape] {
        var configuration = CaptureConfiguration(source: .file(path), localNetworks: try localNetworks.map { try IPNetwork($0) })
        configuration.shapeMinimumAge = min(minimumAge, configuration.shapeMinimumAge)
        if !youngSummaries { configuration.shapeYoungAge = 0 }
        configuration.maxHosts = 1 << 16
        configuration.maxGap = 3600
        let session = try CaptureSession(configuration)
        try session.start()
        var shapes = [FlowShape]()
        while let batch = session.nextBatch(timeout: 1) {
            for case .flowShape(let shape) in batch.evidence { shapes.append(shape) }
        }
        return shapes.filter { $0.age >= minimumAge }
    }

    /// The best score of each flow of `shapes` under `model` (flows too young to score are left out).
    public static func flowScores(_ shapes: [FlowShape], model: PoolShapeModel) -> [FlowShape.FlowKey: Double] {
        var tracker = PoolShapeTracker(model: model)
        for shape in shapes { tracker.add(shape) }
        return tracker.best.mapValues(\.score)
    }
}
