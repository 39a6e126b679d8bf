// The one Swift file that talks to the CCapture target: every C call, pointer and C type stays in here.
import CCapture
import Traces

#if canImport(Glibc)
import Glibc
#endif

/// A link-layer type the parser understands, by its libpcap DLT_ value.
public enum LinkType: Int32, Sendable, CaseIterable {
    case bsdLoopback = 0
    case ethernet = 1
    case rawIP = 12
    case openBSDLoopback = 108
    case linuxCooked = 113
    case ipv4 = 228
    case ipv6 = 229
    case linuxCookedV2 = 276
}

/// A running capture: a C thread filling a lock-free ring, drained here.
///
/// One consumer only: call `nextBatch` from one thread (or task) at a time. Marked `@unchecked Sendable` because its
/// state lives in the C capture object, whose ring is single-consumer by contract and whose statistics are lock-guarded.
public final class CaptureSession: @unchecked Sendable {
    public let configuration: CaptureConfiguration
    private let capture: OpaquePointer

    /// Opens the interface or file and checks everything (permissions, link type, filter); nothing runs yet.
    ///
    /// Wraps `cs_capture_open` (libpcap `pcap_create`/`pcap_activate` or `pcap_fopen_offline`).
    /// - Throws: `CaptureError` saying what failed and what to do.
    public init(_ configuration: CaptureConfiguration) throws(CaptureError) {
        self.configuration = configuration
        guard configuration.interval > 0, configuration.intervalMicroseconds > 0 else {
            throw CaptureError(.invalidArgument, "the interval must be positive (got \(configuration.interval) s)")
        }
        guard configuration.localNetworks.count <= 256 else {
            throw CaptureError(.invalidArgument, "at most 256 local networks (got \(configuration.localNetworks.count))")
        }
        let networks = configuration.localNetworks.map { network -> cs_network in
            var converted = cs_network()
            withUnsafeMutableBytes(of: &converted.addr.bytes) { $0.copyBytes(from: network.address.bytes) }
            converted.prefix_length = UInt8(network.mappedPrefixLength)
            return converted
        }
        let width = Double(configuration.intervalMicroseconds) / 1_000_000
        var config = cs_capture_config()
        config.snaplen = Int32(clamping: configuration.effectiveSnapLength)
        config.buffer_size = Int32(clamping: configuration.bufferSize)
        config.promiscuous = configuration.promiscuous ? 1 : 0
        config.immediate = configuration.immediateMode ? 1 : 0
        config.cpu = Int32(clamping: configuration.cpu ?? -1)
        config.max_hosts = UInt32(clamping: configuration.maxHosts)
        config.host_idle_intervals = UInt32(clamping: Int((configuration.hostIdleTimeout / width).rounded(.up)))
        config.ring_capacity = UInt32(clamping: configuration.effectiveRingCapacity)
        config.network_count = UInt32(networks.count)
        config.interval_usec = configuration.intervalMicroseconds
        config.max_gap_intervals = UInt64(max(1, (configuration.maxGap / width).rounded(.up)))
        config.inspect_bytes = UInt32(clamping: max(0, configuration.inspectBytes))
        config.max_flows = UInt32(clamping: max(1, configuration.maxFlows))
        config.flow_idle_intervals = UInt32(clamping: max(1, Int((configuration.flowIdleTimeout / width).rounded(.up))))
        config.track_flows = configuration.trackFlows ? 1 : 0
        config.offline_one_thread = configuration.offlineReaderThread ? 0 : 1
        config.shape_min_intervals = UInt32(clamping: max(1, Int((configuration.shapeMinimumAge / width).rounded(.up))))
        config.shape_report_intervals = UInt32(clamping: max(1, Int((configuration.shapeReportInterval / width).rounded(.up))))
        config.name_bindings = UInt32(clamping: max(1, configuration.nameBindings))
        config.name_reports_per_interval = UInt32(clamping: max(1, configuration.nameReportsPerInterval))

        var errorText = [CChar](repeating: 0, count: 512)
        var opened: OpaquePointer?
        let status: Int32 = networks.withUnsafeBufferPointer { networkBuffer in
            config.networks = networkBuffer.baseAddress
            return withOptionalCString(configuration.filter) { filter in
                config.bpf_filter = filter
                switch configuration.source {
                case .interface(let name):
                    return name.withCString { device in
                        config.device = device
                        return cs_capture_open(&config, &opened, &errorText, errorText.count)
                    }
                case .file(let path):
                    return path.withCString { file in
                        config.file = file
                        return cs_capture_open(&config, &opened, &errorText, errorText.count)
                    }
                case .queue(let number):
                    config.source_kind = Int32(CS_SOURCE_NFQUEUE.rawValue)
                    config.queue_number = UInt32(number)
                    config.queue_max_length = UInt32(clamping: max(1, configuration.queueMaxLength))
                    return cs_capture_open(&config, &opened, &errorText, errorText.count)
                }
            }
        }
        guard status == Int32(CS_OK.rawValue), let opened else {
            throw CaptureError(code(of: status), message(errorText, fallback: "cannot open \(configuration.source)"))
        }
        capture = opened
        if !configuration.poolDomains.names.isEmpty { try setPoolDomains(configuration.poolDomains) }
    }

    /// Replaces the pool-domain list matched in DNS and TLS SNI (a reload); safe from any thread, before or after
    /// `start`. The capture thread takes the new table at its next packet or interval close.
    ///
    /// Wraps `cs_capture_set_pool_domains` (the table is built here, handed over with one atomic exchange).
    /// - Throws: `CaptureError` `.noMemory`.
    public func setPoolDomains(_ list: PoolDomainList) throws(CaptureError) {
        let status = withCStrings(list.names) { cs_capture_set_pool_domains(capture, $0, $1) }
        guard status == Int32(CS_OK.rawValue) else {
            throw CaptureError(.noMemory, "no memory for a pool-domain table of \(list.names.count) names")
        }
    }

    deinit {
        cs_capture_close(capture)
    }

    /// The link-layer type of the source.
    public var linkType: LinkType? { LinkType(rawValue: cs_capture_linktype(capture)) }

    /// Starts the capture thread, pinned to the configured CPU. Wraps `cs_capture_start` (`pthread_create`).
    public func start() throws(CaptureError) {
        var errorText = [CChar](repeating: 0, count: 256)
        let status = cs_capture_start(capture, &errorText, errorText.count)
        guard status == Int32(CS_OK.rawValue) else {
            throw CaptureError(code(of: status), message(errorText, fallback: "cannot start the capture thread"))
        }
    }

    /// Asks the capture thread to close the current interval and stop, and waits for it. Records already in the
    /// ring stay there for `nextBatch`.
    public func stop() {
        cs_capture_stop(capture)
    }

    /// The counters the capture thread published last (at the latest interval close).
    public var statistics: CaptureStatistics {
        var raw = cs_capture_stats()
        cs_capture_get_stats(capture, &raw)
        var statistics = CaptureStatistics()
        statistics.packets = raw.packets
        statistics.bytes = raw.bytes
        statistics.notIP = raw.not_ip
        statistics.notLocal = raw.not_local
        statistics.malformed = raw.malformed
        statistics.localToLocal = raw.local_to_local
        statistics.hostTableFull = raw.host_table_full
        statistics.hostsTracked = raw.hosts_tracked
        statistics.hostsExpired = raw.hosts_expired
        statistics.ringDropped = raw.ring_dropped
        statistics.kernelReceived = raw.kernel_received
        statistics.kernelDropped = raw.kernel_dropped
        statistics.interfaceDropped = raw.interface_dropped
        statistics.timeBackwards = raw.time_backwards
        statistics.discontinuities = raw.discontinuities
        statistics.intervalsClosed = raw.intervals_closed
        statistics.flowsTracked = raw.flows_tracked
        statistics.flowsEvicted = raw.flows_evicted
        statistics.flowsExpired = raw.flows_expired
        statistics.evidenceReports = raw.evidence_reports
        statistics.dnsMessages = raw.dns_messages
        statistics.dnsMalformed = raw.dns_malformed
        statistics.tlsClientHellos = raw.tls_client_hellos
        statistics.tlsMalformed = raw.tls_malformed
        statistics.nameReports = raw.name_reports
        statistics.nameReportsSuppressed = raw.name_reports_suppressed
        statistics.nameBindingsEvicted = raw.name_bindings_evicted
        statistics.shapeReports = raw.shape_reports
        statistics.domainTableSwaps = raw.domain_table_swaps
        statistics.flowsNotTracked = raw.flows_not_tracked
        return statistics
    }

    // MARK: Inline verdicts

    /// Sets what the queue does with packets (`CaptureSource.queue` only). Takes effect for the next packet.
    ///
    /// Wraps `cs_capture_set_policy` (one relaxed atomic store: the verdict path never waits for it).
    /// - Throws: `CaptureError` `.invalidArgument` when the source is not a queue.
    public func setPolicy(_ policy: InlinePolicy) throws(CaptureError) {
        let raw = policy == .block ? CS_POLICY_BLOCK : CS_POLICY_MONITOR
        guard cs_capture_set_policy(capture, Int32(raw.rawValue)) == Int32(CS_OK.rawValue) else {
            throw CaptureError(.invalidArgument, "verdict policies apply to a netfilter queue, not \(configuration.source)")
        }
    }

    /// Installs a new verdict table whole (`CaptureSource.queue` only); safe from any thread.
    ///
    /// Wraps `cs_capture_set_rules`: the table is built aside, published with one atomic pointer exchange and the
    /// old one freed after the queue thread's current decision, if any (a sub-microsecond wait on this side only).
    /// - Throws: `CaptureError` `.invalidArgument` when the source is not a queue, `.noMemory`.
    public func setRules(_ rules: InlineRules) throws(CaptureError) {
        var raw = [cs_block_rule]()
        for (host, scope) in rules.blocked {
            switch scope {
            case .allTraffic:
                var rule = cs_block_rule()
                rule.host = cAddress(host)
                rule.all_traffic = 1
                raw.append(rule)
            case .remotes(let remotes):
                for remote in remotes {
                    var rule = cs_block_rule()
                    rule.host = cAddress(host)
                    rule.remote = cAddress(remote.address)
                    rule.remote_port = remote.port
                    raw.append(rule)
                }
            }
        }
        let allowed = rules.allowed.map(cAddress)
        let status = raw.withUnsafeBufferPointer { ruleBuffer in
            allowed.withUnsafeBufferPointer { allowedBuffer in
                cs_capture_set_rules(capture, ruleBuffer.baseAddress, ruleBuffer.count, allowedBuffer.baseAddress,
                                     allowedBuffer.count)
            }
        }
        guard status == Int32(CS_OK.rawValue) else {
            if UInt32(status) == CS_ERR_NO_MEMORY.rawValue { throw CaptureError(.noMemory, "no memory for the rules") }
            throw CaptureError(.invalidArgument, "block rules apply to a netfilter queue, not \(configuration.source)")
        }
    }

    /// The verdicts given so far (all zero for a source that is not a queue); current at any time.
    public var verdictStatistics: VerdictStatistics {
        var raw = cs_verdict_stats()
        cs_capture_get_verdict_stats(capture, &raw)
        var statistics = VerdictStatistics()
        statistics.accepted = raw.accepted
        statistics.dropped = raw.dropped
        statistics.verdictErrors = raw.verdict_errors
        statistics.receiveErrors = raw.receive_errors
        statistics.tableSwaps = raw.table_swaps
        return statistics
    }

    /// How the capture thread ended, once it has: nil while running or after a clean end; otherwise the error
    /// (`.truncatedFile` after a capture file cut mid-packet, `.io` after a read failure). Counts up to it stand.
    public var endError: CaptureError? {
        var error: Int32 = 0
        var text = [CChar](repeating: 0, count: 512)
        guard cs_capture_finished(capture, &error, &text, text.count) != 0, error != Int32(CS_OK.rawValue) else {
            return nil
        }
        return CaptureError(code(of: error), message(text, fallback: "the capture ended on an error"))
    }

    /// Waits for the capture thread's next records and returns them, interval events and evidence together; nil once
    /// the thread has finished and every record was returned. Blocks: call it from a thread of its own, not from a
    /// cooperative task.
    ///
    /// - Parameter timeout: seconds to wait for records before returning an empty batch; nil waits as long as needed.
    public func nextBatch(timeout: Double? = nil) -> CaptureBatch? {
        let wakeDescriptor = cs_capture_wake_fd(capture)
        while true {
            let finished = cs_capture_finished(capture, nil, nil, 0) != 0
            let batch = drain()
            if !batch.isEmpty { return batch }
            if finished { return nil }
            var poller = pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds = timeout.map { Int32(clamping: Int(($0 * 1000).rounded(.up))) } ?? -1
            let ready = poll(&poller, 1, milliseconds)
            if ready > 0 {
                var value: UInt64 = 0
                _ = read(wakeDescriptor, &value, MemoryLayout<UInt64>.size)
            } else if ready == 0 {
                return CaptureBatch()
            }
        }
    }

    /// At most `batchLimit` records, read in place from the ring and handed back at once, so batches stay small and
    /// the ring is read as fast as it fills.
    private func drain() -> CaptureBatch {
        var start: UnsafePointer<cs_record>?
        let count = cs_capture_peek(capture, &start, Self.batchLimit)
        guard count > 0, let start else { return CaptureBatch() }
        defer { cs_capture_release(capture, count) }
        var batch = CaptureBatch()
        batch.events.reserveCapacity(count)
        // Records are read through the ring's memory (subscripts borrow), not copied out.
        for index in 0..<count {
            switch UInt32(start[index].kind) {
            case CS_RECORD_EVIDENCE.rawValue: batch.evidence.append(.stratum(evidence(from: start[index])))
            case CS_RECORD_POOL_NAME.rawValue: batch.evidence.append(.poolName(poolName(from: start[index])))
            case CS_RECORD_FLOW_SHAPE.rawValue: batch.evidence.append(.flowShape(flowShape(from: start[index])))
            default: batch.events.append(Self.event(from: start + index))
            }
        }
        return batch
    }

    private static let batchLimit = 4096

    /// The event a host, discontinuity or interval-closed record stands for, read field by field in place.
    private static func event(from record: UnsafePointer<cs_record>) -> CaptureEvent {
        switch UInt32(record.pointee.kind) {
        case CS_RECORD_HOST.rawValue:
            var remotes = EndpointList()
            let endpointCount = Int(record.pointee.endpoint_count)
            if endpointCount > 0 {
                for endpoint in UnsafeBufferPointer(start: cs_record_endpoints(record),
                                                    count: min(endpointCount, EndpointList.capacity)) {
                    remotes.append(RemoteEndpoint(address: address(endpoint.addr), port: endpoint.port,
                                                  transport: endpoint.protocol, bytes: endpoint.bytes))
                }
                remotes.sortByBytes()
            }
            let counters = IntervalCounters(bytesReceived: record.pointee.bytes_received,
                                            bytesSent: record.pointee.bytes_sent,
                                            packetsReceived: record.pointee.packets_received,
                                            packetsSent: record.pointee.packets_sent)
            return .host(HostInterval(host: address(record.pointee.host), index: record.pointee.interval,
                                      counters: counters, busiestRemotes: remotes))
        case CS_RECORD_DISCONTINUITY.rawValue:
            return .discontinuity(from: record.pointee.previous_interval, to: record.pointee.interval)
        default:
            return .intervalClosed(index: record.pointee.interval)
        }
    }
}

// MARK: - Mining protocol recognition

private func dialect(_ raw: UInt8) -> MiningDialect {
    switch UInt32(raw) {
    case CS_DIALECT_MONERO.rawValue: .monero
    case CS_DIALECT_ETH_GETWORK.rawValue: .ethGetwork
    case CS_DIALECT_HTTP_GETWORK.rawValue: .httpGetwork
    default: .stratum
    }
}

private func worker(length: UInt8, bytes: some Collection<CChar>) -> String? {
    guard length > 0 else { return nil }
    return String(decoding: bytes.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

private func evidence(from record: cs_record) -> MiningEvidence {
    let raw = record.evidence
    let name = withUnsafeBytes(of: raw.worker) { worker(length: raw.worker_length, bytes: $0.bindMemory(to: CChar.self)) }
    return MiningEvidence(host: address(record.host), remote: address(raw.remote), remotePort: raw.remote_port,
                          localPort: raw.local_port, dialect: dialect(raw.dialect),
                          role: UInt32(raw.role) == CS_ROLE_POOL.rawValue ? .pool : .miner, worker: name,
                          interval: record.interval)
}

private func poolName(from record: cs_record) -> PoolNameEvidence {
    let raw = record.pool_name
    let name = withUnsafeBytes(of: raw.name) { String(decoding: $0.prefix(Int(raw.name_length)), as: UTF8.self) }
    let remote = address(raw.remote)
    let known = remote != HostAddress(high: 0, low: 0)
    return PoolNameEvidence(host: address(record.host), name: name,
                            source: UInt32(raw.source) == CS_NAME_SNI.rawValue ? .sni : .dns,
                            remote: known ? remote : nil, remotePort: raw.remote_port == 0 ? nil : raw.remote_port,
                            interval: record.interval)
}

private func flowShape(from record: cs_record) -> FlowShape {
    let raw = record.flow_shape
    func series(_ mean: Float, _ deviation: Float) -> FlowShape.Series {
        FlowShape.Series(mean: Double(mean), deviation: Double(deviation))
    }
    return FlowShape(
        host: address(record.host), remote: address(raw.remote), remotePort: raw.remote_port, localPort: raw.local_port,
        localIsClient: raw.local_is_client != 0, clientSpeaksTLS: raw.tls & 1 != 0, serverSpeaksTLS: raw.tls & 2 != 0,
        ended: raw.ended != 0, requests: Int(raw.requests), replies: Int(raw.replies), pushes: Int(raw.pushes),
        badRecords: Int(raw.bad_records), age: Double(raw.age), maxIdle: Double(raw.max_idle),
        pushSize: series(raw.push_size_mean, raw.push_size_std), pushGap: series(raw.push_gap_mean, raw.push_gap_std),
        requestSize: series(raw.request_size_mean, raw.request_size_std),
        requestGap: series(raw.request_gap_mean, raw.request_gap_std),
        replySize: series(raw.reply_size_mean, raw.reply_size_std),
        replyDelay: series(raw.reply_delay_mean, raw.reply_delay_std), clientBytes: raw.client_bytes,
        serverBytes: raw.server_bytes, clientMessages: Int(raw.client_messages),
        serverMessages: Int(raw.server_messages), interval: record.interval,
        repeatedRequestGaps: Int(raw.repeated_request_gaps), answeredPushes: Int(raw.answered_pushes))
}

// MARK: - Pool names, exposed for tests and tools

/// What the capture thread's DNS parser makes of one DNS message (`cs_dns_parse`).
public struct DNSMessage: Hashable, Sendable {
    public enum Status: Int32, Hashable, Sendable {
        case ok = 0, notDNS, truncated, badPointer, pointerLoop, nameTooLong
    }

    public var status: Status
    public var isResponse: Bool
    /// The first question's name, lowercased and dotted; nil when none was read.
    public var name: String?
    /// The A/AAAA answers kept (at most 8), and the smallest TTL among them.
    public var addresses: [HostAddress]
    public var minimumTTL: UInt32

    /// Parses a DNS message (a UDP payload, or a TCP payload after its two length bytes).
    public init(_ bytes: [UInt8]) {
        var result = cs_dns_result()
        let raw = bytes.withUnsafeBufferPointer { cs_dns_parse($0.baseAddress, $0.count, &result) }
        status = Status(rawValue: raw) ?? .notDNS
        isResponse = result.is_response != 0
        name = result.name_length == 0 ? nil : withUnsafeBytes(of: result.name) {
            String(decoding: $0.prefix(Int(result.name_length)), as: UTF8.self)
        }
        addresses = withUnsafeBytes(of: result.addresses) { raw in
            Array(raw.bindMemory(to: cs_addr.self).prefix(Int(result.address_count)).map(address))
        }
        minimumTTL = result.min_ttl
    }
}

/// The server name of a TLS ClientHello (`cs_tls_client_hello_sni`): `.name`, `.none` or `.malformed`.
public enum ClientHelloSNI: Hashable, Sendable {
    case name(String)
    case none
    case malformed

    /// Reads the first TLS record of `bytes` (a TCP payload).
    public init(_ bytes: [UInt8]) {
        var name = [CChar](repeating: 0, count: 256)
        let length = bytes.withUnsafeBufferPointer { cs_tls_client_hello_sni($0.baseAddress, $0.count, &name, name.count) }
        if length < 0 { self = .malformed } else if length == 0 { self = .none } else {
            self = .name(String(decoding: name.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
    }
}

/// The capture thread's pool-domain matcher over a list (`cs_domain_table_match`), for tests and tools.
public final class PoolDomainMatcher: @unchecked Sendable {
    // Immutable once built: the C table is only read.
    private let table: OpaquePointer

    /// - Throws: `CaptureError` `.noMemory`.
    public init(_ list: PoolDomainList) throws(CaptureError) {
        guard let table = withCStrings(list.names, { cs_domain_table_create($0, $1) }) else {
            throw CaptureError(.noMemory, "no memory for a pool-domain table")
        }
        self.table = table
    }

    deinit { cs_domain_table_free(table) }

    /// Names held.
    public var count: Int { cs_domain_table_count(table) }

    /// The listed name `name` (lowercase, dotted) equals or ends in, or nil.
    public func match(_ name: String) -> String? {
        let utf8 = Array(name.utf8)
        let length = utf8.withUnsafeBufferPointer {
            $0.withMemoryRebound(to: CChar.self) { cs_domain_table_match(table, $0.baseAddress, $0.count) }
        }
        return length == 0 ? nil : String(decoding: utf8.suffix(length), as: UTF8.self)
    }
}

/// Calls `body` with a C array of C strings for `strings` (valid during the call only).
private func withCStrings<Result>(_ strings: [String],
                                  _ body: (UnsafePointer<UnsafePointer<CChar>?>?, Int) -> Result) -> Result {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { UnsafePointer($0) }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress, $0.count) }
}

/// What the capture thread's mining protocol matcher makes of some payload bytes (`cs_stratum_match`).
public struct StratumMatch: Hashable, Sendable {
    /// The dialect recognised, or nil for anything else.
    public var dialect: MiningDialect?
    /// True when a message is a miner's request (subscribe, authorize, login, submit, ...).
    public var fromMiner: Bool
    /// The worker or login name, sanitised; nil when absent.
    public var worker: String?

    /// Runs the matcher on `payload`, the first bytes of one TCP flow direction.
    public init(_ payload: [UInt8]) {
        var result = cs_stratum_result()
        let found = payload.withUnsafeBufferPointer { cs_stratum_match($0.baseAddress, $0.count, &result) }
        dialect = UInt32(found) == CS_DIALECT_NONE.rawValue ? nil : Capture.dialect(UInt8(truncatingIfNeeded: found))
        fromMiner = result.from_miner != 0
        worker = withUnsafeBytes(of: result.worker) {
            Capture.worker(length: result.worker_length, bytes: $0.bindMemory(to: CChar.self))
        }
    }
}

// MARK: - Packet parsing, exposed for tests and tools

/// What the packet parser of the capture thread makes of one frame.
public struct ParsedPacket: Hashable, Sendable {
    public enum Status: Hashable, Sendable {
        case ip
        case notIP
        case malformed(MalformedReason)
        case unsupportedLinkType
    }

    /// Why a frame counts as malformed.
    public enum MalformedReason: UInt8, Hashable, Sendable {
        case emptyFrame = 1, oversizedFrame, truncatedLinkHeader, truncatedIPHeader, badIPVersion, badHeaderLength
        case lengthExceedsFrame, badExtensionHeader
    }

    public var status: Status
    public var source: HostAddress
    public var destination: HostAddress
    /// The IP length counted: IPv4 total length, or IPv6 40 + payload length.
    public var ipLength: Int
    public var ipVersion: Int
    public var transport: UInt8
    public var sourcePort: UInt16
    public var destinationPort: UInt16
    /// Offset and length of the TCP/UDP payload in the frame (0, 0 when unknown).
    public var payloadOffset: Int
    public var payloadLength: Int
    public var isFragment: Bool
    public var vlanTags: Int

    /// Parses a frame exactly as the capture thread does (`cs_parse_packet`).
    ///
    /// - Parameters:
    ///   - frame: the captured bytes.
    ///   - wireLength: the frame's length on the wire; defaults to the captured length.
    public init(linkType: Int32, frame: [UInt8], wireLength: Int? = nil) {
        var info = cs_packet_info()
        let wire = UInt32(clamping: wireLength ?? frame.count)
        let status = frame.withUnsafeBufferPointer {
            cs_parse_packet(linkType, $0.baseAddress, UInt32(clamping: $0.count), wire, &info)
        }
        switch UInt32(status) {
        case CS_PARSE_OK.rawValue: self.status = .ip
        case CS_PARSE_NOT_IP.rawValue: self.status = .notIP
        case CS_PARSE_MALFORMED.rawValue:
            self.status = .malformed(MalformedReason(rawValue: info.malformed_reason) ?? .emptyFrame)
        default: self.status = .unsupportedLinkType
        }
        source = address(info.source)
        destination = address(info.destination)
        ipLength = Int(info.ip_length)
        ipVersion = Int(info.ip_version)
        transport = info.protocol
        sourcePort = info.source_port
        destinationPort = info.destination_port
        payloadOffset = Int(info.payload_offset)
        payloadLength = Int(info.payload_length)
        isFragment = info.is_fragment != 0
        vlanTags = Int(info.vlan_depth)
    }
}

// MARK: - Writing capture files

/// Writes frames to a pcap file through libpcap's dumper (`pcap_dump`).
public final class CaptureFileWriter {
    private var writer: OpaquePointer?
    public let path: String

    /// Creates (or truncates) a pcap file for frames of `linkType`.
    /// - Throws: `CaptureError` with code `.io` when the file cannot be created.
    public init(path: String, linkType: LinkType, snapLength: Int = 262_144) throws(CaptureError) {
        self.path = path
        var errorText = [CChar](repeating: 0, count: 512)
        var opened: OpaquePointer?
        let status = cs_writer_open(path, linkType.rawValue, Int32(clamping: snapLength), &opened, &errorText,
                                    errorText.count)
        guard status == Int32(CS_OK.rawValue), let opened else {
            throw CaptureError(code(of: status), message(errorText, fallback: "cannot write \(path)"))
        }
        writer = opened
    }

    /// Appends one frame stamped `microseconds` after 1970-01-01 UTC.
    public func write(_ frame: [UInt8], microseconds: Int64, wireLength: Int? = nil) {
        guard let writer else { preconditionFailure("write after close") }
        frame.withUnsafeBufferPointer {
            cs_writer_write(writer, microseconds, $0.baseAddress, UInt32($0.count),
                            UInt32(clamping: wireLength ?? $0.count))
        }
    }

    /// Flushes and closes the file.
    /// - Throws: `CaptureError` with code `.io` when the data could not be written.
    public func close() throws(CaptureError) {
        guard let writer else { return }
        self.writer = nil
        var errorText = [CChar](repeating: 0, count: 256)
        guard cs_writer_close(writer, &errorText, errorText.count) == Int32(CS_OK.rawValue) else {
            throw CaptureError(.io, "\(path): \(message(errorText, fallback: "write failed"))")
        }
    }

    deinit {
        if let writer { _ = cs_writer_close(writer, nil, 0) }
    }
}

// MARK: - Helpers

private func address(_ raw: cs_addr) -> HostAddress {
    withUnsafeBytes(of: raw.bytes) { bytes in
        HostAddress(high: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                    low: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }
}

private func cAddress(_ host: HostAddress) -> cs_addr {
    var raw = cs_addr()
    withUnsafeMutableBytes(of: &raw.bytes) { $0.copyBytes(from: host.bytes) }
    return raw
}

private func message(_ text: [CChar], fallback: String) -> String {
    let bytes = text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return bytes.isEmpty ? fallback : String(decoding: bytes, as: UTF8.self)
}

private func code(of status: Int32) -> CaptureError.Code {
    switch UInt32(status) {
    case CS_ERR_PERMISSION.rawValue: .permission
    case CS_ERR_NO_SUCH_DEVICE.rawValue: .noSuchInterface
    case CS_ERR_INTERFACE_DOWN.rawValue: .interfaceDown
    case CS_ERR_NOT_CAPTURE_FILE.rawValue: .notCaptureFile
    case CS_ERR_UNSUPPORTED_LINKTYPE.rawValue: .unsupportedLinkType
    case CS_ERR_FILTER.rawValue: .badFilter
    case CS_ERR_NO_MEMORY.rawValue: .noMemory
    case CS_ERR_AFFINITY.rawValue: .affinity
    case CS_ERR_TRUNCATED_FILE.rawValue: .truncatedFile
    case CS_ERR_INVALID_ARGUMENT.rawValue: .invalidArgument
    case CS_ERR_THREAD.rawValue: .thread
    case CS_ERR_QUEUE.rawValue: .queue
    default: .io
    }
}

private func withOptionalCString<Result>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> Result) -> Result {
    guard let text else { return body(nil) }
    return text.withCString { body($0) }
}
