import Foundation

/// An operator's label of one local host, as `coinsentryd` keeps it and writes it to the label file.
public struct HostLabel: Codable, Hashable, Sendable {
    /// The host's IP address, as the sensor writes it (and names its traces: `HOST.dat`).
    public var host: String
    public var label: OperatorLabel
    /// The operator's words, if any.
    public var note: String?
    /// The control-socket peer who labelled it (`uid=… gid=… pid=… (name)`).
    public var requestedBy: String
    /// When.
    public var time: Date

    public init(host: String, label: OperatorLabel, note: String?, requestedBy: String, time: Date) {
        self.host = host
        self.label = label
        self.note = note
        self.requestedBy = requestedBy
        self.time = time
    }

    enum CodingKeys: String, CodingKey { case host, label, note, requestedBy = "requested_by", time }
}
