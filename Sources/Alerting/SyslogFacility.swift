/// A syslog facility (RFC 5424 §6.2.1, table 1). The sink's default is ``daemon``: coinsentryd is a system daemon,
/// and collectors that route by facility can be given ``local0``…``local7`` instead.
public struct SyslogFacility: Hashable, Sendable, CustomStringConvertible {
    /// The facility's number, 0 to 23.
    public let code: Int

    private init(_ code: Int) { self.code = code }

    public static let daemon = SyslogFacility(3)
    public static let auth = SyslogFacility(4)
    public static let local0 = SyslogFacility(16)
    public static let local1 = SyslogFacility(17)
    public static let local2 = SyslogFacility(18)
    public static let local3 = SyslogFacility(19)
    public static let local4 = SyslogFacility(20)
    public static let local5 = SyslogFacility(21)
    public static let local6 = SyslogFacility(22)
    public static let local7 = SyslogFacility(23)

    private static let names: [String: SyslogFacility] = [
        "daemon": .daemon, "auth": .auth, "local0": .local0, "local1": .local1, "local2": .local2, "local3": .local3,
        "local4": .local4, "local5": .local5, "local6": .local6, "local7": .local7,
    ]

    /// The facility of a configuration name (`daemon`, `auth`, `local0`…`local7`), or nil.
    public init?(name: String) {
        guard let facility = Self.names[name.lowercased()] else { return nil }
        self = facility
    }

    public var description: String { Self.names.first { $0.value == self }?.key ?? String(code) }
}
