import Capture
import Control
import DaemonSupport
import Foundation
import Sensor
import TOMLKit

/// `coinsentryd`'s configuration, read from `/etc/coinsentry/coinsentry.toml` (see `etc/coinsentry/coinsentry.toml`
/// for every key with its meaning and default). Unknown keys, wrong types and impossible values stop start-up with a
/// message that names the key.
public struct SensorConfiguration: Hashable, Sendable {
    /// Names this sensor in every alert.
    public var sensorID = ProcessInfo.processInfo.hostName
    /// Where the alert store and host state live.
    public var stateDirectory = "/var/lib/coinsentry"
    /// `[capture]`.
    public var capture = CaptureSection()
    /// `[model]`.
    public var model = ModelSection()
    /// `[alerts]`.
    public var alerts = AlertSection()
    /// `[inline]`.
    public var inline = InlineSection()
    /// `[verdict]`: how the vote and the evidence make one verdict.
    public var fusion = VerdictFusion.Settings()
    /// `[metrics]`: where and how `/metrics` is served, or nil for nowhere.
    public var metrics: ListenSettings? = ListenSettings(host: "127.0.0.1", port: 9810)
    /// `[control]`.
    public var control = ControlSection()

    /// `[capture]`: the packet sources and the capture engine's settings.
    public struct CaptureSection: Hashable, Sendable {
        public var interfaces: [String] = []
        public var localNetworks: [IPNetwork] = []
        public var interval: Double = 1
        public var snapLength = 128
        public var bufferMiB = 8
        public var promiscuous = true
        public var immediateMode = true
        public var filter: String?
        public var cpu: Int?
        public var maxHosts = 16384
        /// TCP flows tracked at once (shape summaries, stratum recognition); about 380 bytes each.
        public var maxFlows = 65536
        /// Keep per-flow shape summaries of long-lived TCP flows (for pool-shape evidence).
        public var trackFlows = true
        /// Seconds a TCP flow must live before its shape is summarised and scored.
        public var shapeMinimumAge: Double = 120
        /// Pool-domain lists matched in DNS and TLS SNI (the shipped list, then the operator's); none when empty.
        public var poolDomainFiles: [String] = []
    }

    /// `[model]`: the statistical model and the pool-connection model.
    public struct ModelSection: Hashable, Sendable {
        public var path = "/etc/coinsentry/model.json"
        /// The pool-connection model scoring flow shapes; nil for no pool-shape evidence.
        public var poolPath: String?
    }

    /// `[alerts]`: the outputs and the episodes' timing.
    public struct AlertSection: Hashable, Sendable {
        /// Seconds between reminders for a host that stays *mining*; 0 for none.
        public var reminderSeconds: Double = 0
        public var journald = true
        public var jsonFile: String?
        /// Syslog destinations: `unix:/dev/log`, `udp:HOST:PORT`, `tcp:HOST:PORT`.
        public var syslogTargets: [String] = []
        public var syslogFacility = "daemon"
        /// The sinks that also take *suspect* episodes (the store and the control socket always do).
        public var suspectOutputs: Set<SuspectOutput> = []
        /// Seconds a host's episode stays open after the last time a rule held: a host that turns mining again
        /// within it raises no second alert, and `cleared` comes only after it (`alerts.episode_hold_seconds`).
        public var episodeHoldSeconds: Double = 1800
    }

    /// A sink that may take *suspect* episodes besides the store (`alerts.suspect_outputs`).
    public enum SuspectOutput: String, Hashable, Sendable, CaseIterable {
        case journald
        case syslog
        case json
    }

    /// `[inline]`: the netfilter queue and what the sensor does with it.
    public struct InlineSection: Hashable, Sendable {
        /// The netfilter queue to take packets from (inline mode), or nil for capture only.
        public var queue: UInt16?
        public var policy = InlinePolicy.monitor
        /// What the `block` policy drops of a *mining* host: its verdict's remote endpoints, or all its traffic.
        public var blockAllTraffic = false
        /// Hosts never blocked (besides those operators add with `coinsentryctl allow`).
        public var allowlist: [HostAddress] = []
        /// Packets the kernel holds for the queue before it fails open (accepts them unseen).
        public var queueMaxLength = 4096
    }

    /// `[control]`: the control socket.
    public struct ControlSection: Hashable, Sendable {
        public var socket = "/run/coinsentry/control.sock"
        /// The group that may use the control socket (mode 0660), or nil to keep the daemon's own group.
        public var group: String? = "coinsentry"
    }

    public init() {}

    /// The packet sources the daemon reads, by the names `coinsentryctl stats` shows: the interfaces, then
    /// `nfqueue:N` in inline mode.
    public var sourceNames: [String] {
        capture.interfaces + (inline.queue.map { ["nfqueue:\($0)"] } ?? [])
    }

    /// Reads and checks a configuration file.
    /// - Throws: `ConfigurationError` naming the file, and the key or line at fault.
    public static func load(_ path: String) throws(ConfigurationError) -> SensorConfiguration {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(file: path, key: nil, "cannot read: \(error.localizedDescription)")
        }
        return try parse(text, file: path)
    }

    /// Parses configuration text; `file` only names the source in errors.
    public static func parse(_ text: String, file: String = "<config>") throws(ConfigurationError) -> SensorConfiguration {
        let document: JSONValue
        if let problem = TOMLPreflight.firstProblem(in: text) {
            throw ConfigurationError(file: file, key: nil, "line \(problem.line): \(problem.message)")
        }
        do {
            let json = try TOMLTable(string: text).convert(to: .json)
            document = try JSONValue.parse(Data(json.utf8))
        } catch let error as TOMLParseError {
            throw ConfigurationError(file: file, key: nil,
                                     "line \(error.source.begin.line): \(error.description)")
        } catch {
            throw ConfigurationError(file: file, key: nil, "not valid TOML: \(error)")
        }
        var reader = ConfigurationReader(file: file, document: document)
        var configuration = SensorConfiguration()
        try reader.read(&configuration)
        return configuration
    }
}

/// A configuration problem: the file, the key (dotted, as in `capture.interval`) and what is wrong.
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var key: String?
    public var reason: String

    public init(file: String, key: String?, _ reason: String) {
        self.file = file
        self.key = key
        self.reason = reason
    }

    public var description: String {
        key.map { "\(file): \($0): \(reason)" } ?? "\(file): \(reason)"
    }
}

/// Walks the parsed document table by table, taking each known key once and refusing the rest.
private struct ConfigurationReader {
    let file: String
    let document: JSONValue

    mutating func read(_ c: inout SensorConfiguration) throws(ConfigurationError) {
        let root = try table(document, "")
        try refuseUnknown(root, "", known: ["sensor_id", "state_directory", "capture", "model", "alerts", "control",
                                               "inline", "verdict", "metrics"])
        if let value = try string(root, "sensor_id") {
            guard !value.isEmpty, value.count <= 64 else { throw error("sensor_id", "must be 1 to 64 characters") }
            c.sensorID = value
        }
        if let value = try string(root, "state_directory") { c.stateDirectory = try absolutePath(value, "state_directory") }

        let capture = try table(root["capture"] ?? [:], "capture")
        try refuseUnknown(capture, "capture", known: ["interfaces", "local_networks", "interval", "snap_length",
                                                       "buffer_mib", "promiscuous", "immediate_mode", "filter", "cpu",
                                                       "max_hosts", "max_flows", "track_flows", "shape_min_age",
                                                       "pool_domain_files"])
        c.capture.interfaces = try strings(capture, "capture.interfaces") ?? []
        try readInline(root, &c)
        guard !c.capture.interfaces.isEmpty || c.inline.queue != nil else {
            throw error("capture.interfaces",
                        "name at least one interface, e.g. interfaces = [\"eth1\"], or set [inline] queue")
        }
        guard Set(c.capture.interfaces).count == c.capture.interfaces.count else {
            throw error("capture.interfaces", "an interface is named twice")
        }
        let networks = try strings(capture, "capture.local_networks") ?? []
        guard !networks.isEmpty else {
            throw error("capture.local_networks", "name the local networks, e.g. local_networks = [\"10.0.0.0/8\"]")
        }
        c.capture.localNetworks = try networks.map { (text: String) throws(ConfigurationError) -> IPNetwork in
            do throws(CaptureError) { return try IPNetwork(text) } catch { throw self.error("capture.local_networks", error.message) }
        }
        if let value = try number(capture, "capture.interval") {
            guard value >= 0.01, value <= 60 else { throw error("capture.interval", "must be 0.01 to 60 seconds") }
            c.capture.interval = value
        }
        c.capture.snapLength = try integer(capture, "capture.snap_length", in: 64...262_144) ?? c.capture.snapLength
        c.capture.bufferMiB = try integer(capture, "capture.buffer_mib", in: 1...2048) ?? c.capture.bufferMiB
        c.capture.promiscuous = try bool(capture, "capture.promiscuous") ?? c.capture.promiscuous
        c.capture.immediateMode = try bool(capture, "capture.immediate_mode") ?? c.capture.immediateMode
        c.capture.filter = try string(capture, "capture.filter").flatMap { $0.isEmpty ? nil : $0 }
        c.capture.cpu = try integer(capture, "capture.cpu", in: -1...4095).flatMap { $0 < 0 ? nil : $0 }
        c.capture.maxHosts = try integer(capture, "capture.max_hosts", in: 1...1_048_576) ?? c.capture.maxHosts
        c.capture.maxFlows = try integer(capture, "capture.max_flows", in: 16...4_194_304) ?? c.capture.maxFlows
        c.capture.trackFlows = try bool(capture, "capture.track_flows") ?? c.capture.trackFlows
        if let value = try number(capture, "capture.shape_min_age") {
            guard value >= 10, value <= 3600 else { throw error("capture.shape_min_age", "must be 10 to 3600 seconds") }
            c.capture.shapeMinimumAge = value
        }
        c.capture.poolDomainFiles = try (strings(capture, "capture.pool_domain_files") ?? []).map {
            (path: String) throws(ConfigurationError) -> String in try absolutePath(path, "capture.pool_domain_files")
        }

        let model = try table(root["model"] ?? [:], "model")
        try refuseUnknown(model, "model", known: ["path", "pool_path"])
        if let value = try string(model, "model.path") { c.model.path = try absolutePath(value, "model.path") }
        if let value = try string(model, "model.pool_path") {
            c.model.poolPath = value.isEmpty ? nil : try absolutePath(value, "model.pool_path")
        }

        let alerts = try table(root["alerts"] ?? [:], "alerts")
        try refuseUnknown(alerts, "alerts", known: ["reminder_seconds", "journald", "json_file", "syslog",
                                                     "syslog_facility", "suspect_outputs", "episode_hold_seconds"])
        c.alerts.suspectOutputs = Set(try (strings(alerts, "alerts.suspect_outputs") ?? []).map {
            (name: String) throws(ConfigurationError) -> SensorConfiguration.SuspectOutput in
            guard let output = SensorConfiguration.SuspectOutput(rawValue: name) else {
                throw error("alerts.suspect_outputs", "'\(name)' is not one of "
                            + SensorConfiguration.SuspectOutput.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return output
        })
        if let value = try number(alerts, "alerts.episode_hold_seconds") {
            guard value >= 0, value <= 7 * 86400 else {
                throw error("alerts.episode_hold_seconds", "must be 0 to 604800 seconds")
            }
            c.alerts.episodeHoldSeconds = value
        }
        if let value = try number(alerts, "alerts.reminder_seconds") {
            guard value == 0 || value >= 1 else { throw error("alerts.reminder_seconds", "0 (off) or at least 1") }
            c.alerts.reminderSeconds = value
        }
        c.alerts.journald = try bool(alerts, "alerts.journald") ?? c.alerts.journald
        if let value = try string(alerts, "alerts.json_file") {
            c.alerts.jsonFile = value.isEmpty ? nil : try absolutePath(value, "alerts.json_file")
        }
        c.alerts.syslogTargets = try strings(alerts, "alerts.syslog") ?? []
        for target in c.alerts.syslogTargets where !Self.isSyslogTarget(target) {
            throw error("alerts.syslog", "'\(target)' is not unix:PATH, udp:HOST:PORT or tcp:HOST:PORT")
        }
        if let value = try string(alerts, "alerts.syslog_facility") {
            let facilities = ["kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
                              "authpriv", "ftp", "local0", "local1", "local2", "local3", "local4", "local5",
                              "local6", "local7"]
            guard facilities.contains(value) else {
                throw error("alerts.syslog_facility", "'\(value)' is not one of \(facilities.joined(separator: ", "))")
            }
            c.alerts.syslogFacility = value
        }

        let metrics = try table(root["metrics"] ?? [:], "metrics")
        try refuseUnknown(metrics, "metrics", known: ListenSettings.keys)
        let listen = try string(metrics, "metrics.listen")
        let certificate = try string(metrics, "metrics.tls_certificate")
        let privateKey = try string(metrics, "metrics.tls_key")
        let tokenFile = try string(metrics, "metrics.token_file")
        do throws(ListenSettings.Problem) {
            c.metrics = try ListenSettings.parse(listen: listen, certificate: certificate, privateKey: privateKey,
                                                  tokenFile: tokenFile, fallback: "127.0.0.1:9810")
        } catch {
            throw self.error(error.key, error.message)
        }

        let control = try table(root["control"] ?? [:], "control")
        try refuseUnknown(control, "control", known: ["socket", "group"])
        if let value = try string(control, "control.socket") {
            c.control.socket = try absolutePath(value, "control.socket")
        }
        if let value = try string(control, "control.group") { c.control.group = value.isEmpty ? nil : value }
    }

    private func readInline(_ root: [String: JSONValue], _ c: inout SensorConfiguration)
        throws(ConfigurationError) {
        let inline = try table(root["inline"] ?? [:], "inline")
        try refuseUnknown(inline, "inline", known: ["queue", "policy", "block_scope", "allowlist", "queue_max_length"])
        c.inline.queue = try integer(inline, "inline.queue", in: -1...65535).flatMap { $0 < 0 ? nil : UInt16($0) }
        if let value = try string(inline, "inline.policy") {
            guard let policy = InlinePolicy(rawValue: value) else {
                throw error("inline.policy", "'\(value)' is not \"monitor\" or \"block\"")
            }
            c.inline.policy = policy
        }
        if let value = try string(inline, "inline.block_scope") {
            guard value == "endpoints" || value == "all" else {
                throw error("inline.block_scope", "'\(value)' is not \"endpoints\" or \"all\"")
            }
            c.inline.blockAllTraffic = value == "all"
        }
        c.inline.allowlist = try (strings(inline, "inline.allowlist") ?? []).map { (text: String) throws(ConfigurationError) in
            guard let address = HostAddress(text) else {
                throw error("inline.allowlist", "'\(text)' is not an IP address")
            }
            return address
        }
        c.inline.queueMaxLength = try integer(inline, "inline.queue_max_length", in: 16...1_048_576)
            ?? c.inline.queueMaxLength
        if c.inline.queue == nil, c.inline.policy == .block {
            throw error("inline.policy", "\"block\" needs a queue: set inline.queue to the NFQUEUE rule's number")
        }

        let verdict = try table(root["verdict"] ?? [:], "verdict")
        try refuseUnknown(verdict, "verdict", known: ["stratum_decisive", "strong_pieces", "strong_vote",
                                                       "strong_vote_clear", "strong_vote_windows", "pool_shape_score",
                                                       "evidence_hold_seconds", "pool_ports",
                                                       "pool_name_connection_seconds", "minimum_window_packets"])
        var fusion = VerdictFusion.Settings()
        fusion.stratumDecisive = try bool(verdict, "verdict.stratum_decisive") ?? fusion.stratumDecisive
        fusion.strongPiecesForMining = try integer(verdict, "verdict.strong_pieces", in: 0...16)
            ?? fusion.strongPiecesForMining
        for (key, keyPath) in [("verdict.strong_vote", \VerdictFusion.Settings.strongVoteThreshold),
                               ("verdict.strong_vote_clear", \.strongVoteClearThreshold),
                               ("verdict.pool_shape_score", \.minimumPoolShapeScore)] {
            if let value = try number(verdict, key) {
                guard value >= 0, value <= 1 else { throw error(key, "must be from 0 to 1") }
                fusion[keyPath: keyPath] = value
            }
        }
        guard fusion.strongVoteClearThreshold <= fusion.strongVoteThreshold else {
            throw error("verdict.strong_vote_clear", "must not be above verdict.strong_vote "
                        + "(\(fusion.strongVoteThreshold))")
        }
        if let value = try number(verdict, "verdict.evidence_hold_seconds") {
            guard value >= 1, value <= 7 * 86400 else {
                throw error("verdict.evidence_hold_seconds", "must be 1 to 604800 seconds")
            }
            fusion.evidenceHoldSeconds = value
        }
        if let value = try number(verdict, "verdict.pool_name_connection_seconds") {
            guard value >= 0, value <= 86400 else {
                throw error("verdict.pool_name_connection_seconds", "must be 0 to 86400 seconds")
            }
            fusion.poolNameConnectionSeconds = value
        }
        fusion.strongVoteWindows = try integer(verdict, "verdict.strong_vote_windows", in: 0...1024)
            ?? fusion.strongVoteWindows
        if let value = try integer(verdict, "verdict.minimum_window_packets", in: 0...1_000_000) {
            fusion.minimumWindowPackets = UInt64(value)
        }
        if let value = verdict[leaf("verdict.pool_ports")] {
            guard let items = value.array, let ports = Optional(items.compactMap(\.number)), ports.count == items.count,
                  ports.allSatisfy({ $0.rounded() == $0 && $0 >= 1 && $0 <= 65535 }) else {
                throw error("verdict.pool_ports", "must be a list of port numbers from 1 to 65535")
            }
            fusion.poolPorts = Set(ports.map { UInt16($0) })
        }
        c.fusion = fusion
    }

    static func isSyslogTarget(_ target: String) -> Bool {
        if target.hasPrefix("unix:/") { return true }
        for scheme in ["udp:", "tcp:"] where target.hasPrefix(scheme) {
            let rest = target.dropFirst(scheme.count)
            guard let colon = rest.lastIndex(of: ":"), let port = UInt16(rest[rest.index(after: colon)...]),
                  port > 0, colon > rest.startIndex else { return false }
            return true
        }
        return false
    }

    private func error(_ key: String, _ reason: String) -> ConfigurationError {
        ConfigurationError(file: file, key: key, reason)
    }

    private func table(_ value: JSONValue, _ key: String) throws(ConfigurationError) -> [String: JSONValue] {
        guard let object = value.object else { throw error(key, "must be a table ([\(key)])") }
        return object
    }

    private func refuseUnknown(_ table: [String: JSONValue], _ prefix: String, known: Set<String>)
        throws(ConfigurationError) {
        for key in table.keys.sorted() where !known.contains(key) {
            let name = prefix.isEmpty ? key : "\(prefix).\(key)"
            throw error(name, "unknown key (known here: \(known.sorted().joined(separator: ", ")))")
        }
    }

    private func leaf(_ key: String) -> String { String(key.split(separator: ".").last ?? Substring(key)) }

    private func string(_ table: [String: JSONValue], _ key: String) throws(ConfigurationError) -> String? {
        guard let value = table[leaf(key)] else { return nil }
        guard let text = value.string else { throw error(key, "must be a string") }
        return text
    }

    private func strings(_ table: [String: JSONValue], _ key: String) throws(ConfigurationError) -> [String]? {
        guard let value = table[leaf(key)] else { return nil }
        guard let items = value.array, items.allSatisfy({ $0.string != nil }) else {
            throw error(key, "must be a list of strings")
        }
        return items.compactMap(\.string)
    }

    private func number(_ table: [String: JSONValue], _ key: String) throws(ConfigurationError) -> Double? {
        guard let value = table[leaf(key)] else { return nil }
        guard let number = value.number ?? value.string.flatMap(Double.init), number.isFinite else {
            throw error(key, "must be a number")
        }
        return number
    }

    private func integer(_ table: [String: JSONValue], _ key: String, in range: ClosedRange<Int>)
        throws(ConfigurationError) -> Int? {
        guard let value = try number(table, key) else { return nil }
        guard value.rounded() == value, let integer = Int(exactly: value), range.contains(integer) else {
            throw error(key, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return integer
    }

    private func bool(_ table: [String: JSONValue], _ key: String) throws(ConfigurationError) -> Bool? {
        guard let value = table[leaf(key)] else { return nil }
        guard let flag = value.bool else { throw error(key, "must be true or false") }
        return flag
    }

    private func absolutePath(_ value: String, _ key: String) throws(ConfigurationError) -> String {
        guard value.hasPrefix("/") else { throw error(key, "must be an absolute path") }
        return value
    }
}
