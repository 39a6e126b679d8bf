/// Counters of the capture path, published by the capture thread at every interval close.
public struct CaptureStatistics: Hashable, Sendable, Codable {
    /// Frames seen.
    public var packets: UInt64 = 0
    /// IP bytes of the frames attributed to a local host.
    public var bytes: UInt64 = 0
    /// Frames without IP (ARP, LLDP, ...).
    public var notIP: UInt64 = 0
    /// Remote ↔ remote packets: ignored.
    public var notLocal: UInt64 = 0
    /// Frames that could not be parsed (truncated or lying headers, empty or oversized frames).
    public var malformed: UInt64 = 0
    /// Local ↔ local packets, counted for both hosts.
    public var localToLocal: UInt64 = 0
    /// Packets of hosts that could not be tracked because the host table was full.
    public var hostTableFull: UInt64 = 0
    public var hostsTracked: UInt64 = 0
    /// Hosts forgotten after their idle timeout.
    public var hostsExpired: UInt64 = 0
    /// Interval records dropped because the consumer fell behind.
    public var ringDropped: UInt64 = 0
    /// The kernel's counters (live capture only): received, dropped for lack of buffer, dropped by the interface.
    public var kernelReceived: UInt64 = 0
    public var kernelDropped: UInt64 = 0
    public var interfaceDropped: UInt64 = 0
    /// Packets stamped before the current interval (reordering, small clock steps), counted into it.
    public var timeBackwards: UInt64 = 0
    public var discontinuities: UInt64 = 0
    public var intervalsClosed: UInt64 = 0
    /// TCP flows held for protocol evidence now, pushed out because the table was full, and forgotten when idle.
    public var flowsTracked: UInt64 = 0
    public var flowsEvicted: UInt64 = 0
    public var flowsExpired: UInt64 = 0
    /// Mining protocol sessions reported (`CaptureEvidence.stratum`).
    public var evidenceReports: UInt64 = 0
    /// DNS messages parsed (UDP or TCP port 53), and those with a truncated record, bad or looping compression
    /// pointer or oversized name.
    public var dnsMessages: UInt64 = 0
    public var dnsMalformed: UInt64 = 0
    /// TLS ClientHellos read, and ClientHellos cut short or lying plus bad TLS record headers in tracked flows.
    public var tlsClientHellos: UInt64 = 0
    public var tlsMalformed: UInt64 = 0
    /// Pool-name reports sent, and sightings over the per-interval budget.
    public var nameReports: UInt64 = 0
    public var nameReportsSuppressed: UInt64 = 0
    /// DNS address bindings pushed out before they expired (the binding table was full).
    public var nameBindingsEvicted: UInt64 = 0
    /// Flow-shape summaries sent.
    public var shapeReports: UInt64 = 0
    /// Pool-domain tables taken into use by the capture thread (the first one and every reload).
    public var domainTableSwaps: UInt64 = 0
    /// Packets of flows first seen mid-stream (no SYN) that found the flow table full: such flows never push
    /// another out (a new connection or JSON-like payload may).
    public var flowsNotTracked: UInt64 = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case packets, bytes, notIP = "not_ip", notLocal = "not_local", malformed, localToLocal = "local_to_local"
        case hostTableFull = "host_table_full", hostsTracked = "hosts_tracked", hostsExpired = "hosts_expired"
        case ringDropped = "ring_dropped", kernelReceived = "kernel_received", kernelDropped = "kernel_dropped"
        case interfaceDropped = "interface_dropped", timeBackwards = "time_backwards"
        case discontinuities, intervalsClosed = "intervals_closed"
        case flowsTracked = "flows_tracked", flowsEvicted = "flows_evicted", flowsExpired = "flows_expired"
        case evidenceReports = "evidence_reports", dnsMessages = "dns_messages", dnsMalformed = "dns_malformed"
        case tlsClientHellos = "tls_client_hellos", tlsMalformed = "tls_malformed", nameReports = "name_reports"
        case nameReportsSuppressed = "name_reports_suppressed", nameBindingsEvicted = "name_bindings_evicted"
        case shapeReports = "shape_reports", domainTableSwaps = "domain_table_swaps"
        case flowsNotTracked = "flows_not_tracked"
    }

    /// Packets that were not attributed to any host: not IP, remote ↔ remote.
    public var ignored: UInt64 { notIP + notLocal }
}
