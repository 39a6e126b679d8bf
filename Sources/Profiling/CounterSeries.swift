/// The four counter series of a host, in the order features are laid out.
public enum CounterSeries: Int, CaseIterable, Sendable {
    case bytesReceived, bytesSent, packetsReceived, packetsSent

    /// The name used in feature names and model files.
    public var name: String {
        switch self {
        case .bytesReceived: "bytesReceived"
        case .bytesSent: "bytesSent"
        case .packetsReceived: "packetsReceived"
        case .packetsSent: "packetsSent"
        }
    }
}
