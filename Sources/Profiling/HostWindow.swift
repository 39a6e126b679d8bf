/// The features of one host's windows that end at one interval.
public struct HostWindow<Host: Hashable & Sendable>: Sendable {
    /// The host the windows belong to.
    public var host: Host
    /// The index of the newest interval in the windows.
    public var endInterval: Int64
    /// The feature vector, laid out as `FeatureExtractor.featureNames`.
    public var features: [Double]
    /// Packets received and sent over the longest window: how much traffic the features rest on.
    public var packets: UInt64

    public init(host: Host, endInterval: Int64, features: [Double], packets: UInt64 = 0) {
        self.host = host
        self.endInterval = endInterval
        self.features = features
        self.packets = packets
    }
}
