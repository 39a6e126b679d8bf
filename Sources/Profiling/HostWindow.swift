/// The features of one host's windows that end at one interval.
public struct HostWindow<Host: Hashable & Sendable>: Sendable {
    /// The host the windows belong to.
    public var host: Host
    /// The index of the newest interval in the windows.
    public var endInterval: Int64
    /// The feature vector, laid out as `FeatureExtractor.featureNames`.
    public var features: [Double]

    public init(host: Host, endInterval: Int64, features: [Double]) {
        self.host = host
        self.endInterval = endInterval
        self.features = features
    }
}
