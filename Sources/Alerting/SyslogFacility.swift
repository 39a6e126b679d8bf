/// A syslog facility (RFC 5424 §6.2.1, table 1). The sink's default is ``daemon``: coinsentryd is a system daemon,
/// and collectors that route by facility can be given ``local0``…``local7`` instead.
public struct SyslogFacility: Hashable, Sendable, CustomStringConvertible {
    /// The facility's number, 0 to 23.
    public let code: Int

    private init(_ code: Int) { self.code = code }

    /// The configuration names, by code: RFC 5424's table 1, with the names syslog(3) gives them.
    public static let names = [
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp",
        "ntp", "security", "console", "solaris-cron", "local0", "local1", "local2", "local3", "local4", "local5",
        "local6", "local7",
    ]

    /// System daemons (3), the default.
    public static let daemon = SyslogFacility(3)
    /// Security and authorisation messages (4).
    public static let auth = SyslogFacility(4)
    /// Local use 0 (16).
    public static let local0 = SyslogFacility(16)
    /// Local use 7 (23).
    public static let local7 = SyslogFacility(23)

    /// The facility of a configuration name (`daemon`, `local0`… any of ``names``), or nil.
    public init?(name: String) {
        guard let code = Self.names.firstIndex(of: name.lowercased()) else { return nil }
        self.init(code)
    }

    public var description: String { Self.names[code] }
}
