/// Where packets come from.
public enum CaptureSource: Hashable, Sendable, CustomStringConvertible {
    /// A live interface, read as packets arrive; intervals close on the wall clock.
    case interface(String)
    /// A pcap or pcapng file, read as fast as possible; intervals close on packet timestamps.
    case file(String)
    /// Inline: netfilter queue N (an nftables `queue` or iptables `NFQUEUE` rule sends packets there). Every packet
    /// is counted as on an interface and given a verdict (see `InlinePolicy`); the queue fails open.
    case queue(UInt16)

    public var description: String {
        switch self {
        case .interface(let name): "interface \(name)"
        case .file(let path): "file \(path)"
        case .queue(let number): "nfqueue queue \(number)"
        }
    }
}

/// Everything the capture thread needs to know. The defaults suit a sensor on a mirror port.
public struct CaptureConfiguration: Hashable, Sendable {
    public var source: CaptureSource
    /// The operator's local networks: traffic is attributed to hosts inside them.
    public var localNetworks: [IPNetwork]
    /// Interval width in seconds (default 1).
    public var interval: Double = 1
    /// Bytes captured per packet; the default takes headers only (counts use the IP length field, not this). While
    /// `inspectBytes` is above zero, live capture takes at least `headerRoom + inspectBytes` so payloads can be read.
    public var snapLength: Int = 128
    /// Kernel capture buffer in bytes; 0 keeps libpcap's default.
    public var bufferSize: Int = 8 << 20
    public var promiscuous: Bool = true
    /// libpcap immediate mode (TPACKET_V2 on Linux): each packet is delivered at once instead of in blocks.
    public var immediateMode: Bool = true
    /// A BPF filter expression applied in the kernel, or nil.
    public var filter: String?
    /// Pin the capture thread to this CPU, or nil for no pinning.
    public var cpu: Int?
    /// Local hosts tracked at once; packets of further hosts are counted as `hostTableFull`.
    public var maxHosts: Int = 16384
    /// A host with no traffic for this many seconds is forgotten.
    public var hostIdleTimeout: Double = 600
    /// Interval records the ring holds before the capture thread starts dropping (and counting) them. A file replay
    /// drops nothing (the capture thread waits for the consumer), so it uses at most `fileRingCapacity`: a ring that
    /// stays in cache is read and written faster.
    public var ringCapacity: Int = 1 << 16
    /// The most ring slots a file replay uses.
    public static let fileRingCapacity = 1 << 13
    /// The ring's size for this source.
    var effectiveRingCapacity: Int {
        if case .file = source { return min(ringCapacity, Self.fileRingCapacity) }
        return ringCapacity
    }
    /// A timestamp jump larger than this, forwards or backwards, is a discontinuity rather than silence.
    public var maxGap: Double = 3600
    /// Payload bytes examined for mining protocol per TCP flow direction (at most 4096); 0 turns recognition off.
    public var inspectBytes: Int = 512
    /// TCP flows held at once for protocol evidence; when full the least recently seen of a few is pushed out.
    public var maxFlows: Int = 4096
    /// A flow without an inspected packet for this many seconds is forgotten.
    public var flowIdleTimeout: Double = 300
    /// Inline only: packets the kernel holds for the queue before it fails open (accepts them unseen).
    public var queueMaxLength: Int = 4096
    /// Every TCP flow enters the flow table (bounded by `maxFlows`) and gets a shape summary (`FlowShape`).
    public var trackFlows: Bool = true
    /// Files only: when the process may use more than one CPU, a reader thread reads and parses the file beside the
    /// capture thread, which accounts in the file's order (same records, faster). `false` does all of it in the
    /// capture thread.
    public var offlineReaderThread: Bool = true
    /// A flow is summarised once it has lived this many seconds.
    public var shapeMinimumAge: Double = 120
    /// A live flow's summary is sent again this often (seconds) while it has new messages, and once when it ends.
    public var shapeReportInterval: Double = 60
    /// A flow younger than `shapeYoungAge` seconds is summarised this often instead (seconds), so that a verdict on a
    /// young flow waits less for its next summary; the pool classifier's early stage scores flows of those ages.
    public var shapeYoungReportInterval: Double = 15
    /// The age (seconds) up to which `shapeYoungReportInterval` applies: the age from which the pool classifier's own
    /// stage scores a flow (`PoolShapeModel.stage.minimumAge`); 0: none.
    public var shapeYoungAge: Double = 600
    /// The pool domains matched against DNS names and TLS server names; empty turns name evidence off.
    public var poolDomains = PoolDomainList()
    /// Addresses from DNS answers for pool names, each remembered for its TTL (5 min to 1 h) so that a later flow to
    /// it carries the name; when full, the binding expiring first is pushed out.
    public var nameBindings: Int = 1024
    /// Pool-name reports per interval at most (a flood of lookups cannot crowd the ring); more are counted.
    public var nameReportsPerInterval: Int = 64

    /// Link, IP and TCP headers at their largest (Ethernet with two VLAN tags, IPv6 with extensions, TCP options).
    public static let headerRoom = 160

    /// The snap length live capture uses: `snapLength`, raised to cover `inspectBytes` of payload.
    public var effectiveSnapLength: Int {
        inspectBytes > 0 ? max(snapLength, Self.headerRoom + inspectBytes) : snapLength
    }

    public init(source: CaptureSource, localNetworks: [IPNetwork]) {
        self.source = source
        self.localNetworks = localNetworks
    }

    /// Interval width in whole microseconds, as the capture thread uses it.
    public var intervalMicroseconds: UInt64 { UInt64((interval * 1_000_000).rounded()) }
}
