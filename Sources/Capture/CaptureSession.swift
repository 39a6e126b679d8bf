// A running capture over the C capture engine. Every C call, pointer and C type of the Capture target stays in this
// file and the others that import CCapture (the record decoders, the parser probes, the file writer, CBridging).
import CCapture
import Traces

#if canImport(Glibc)
import Glibc
#endif

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
        config.shape_young_intervals = UInt32(clamping: max(0, Int((configuration.shapeYoungAge / width).rounded(.up))))
        config.shape_young_report_intervals =
            UInt32(clamping: max(1, Int((configuration.shapeYoungReportInterval / width).rounded(.up))))
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

    /// Shifts a live capture's clock by `offset` from its next packet or poll on, as a wall clock stepped by that much
    /// would (interval boundaries and packet timestamps both). For fault drills and tests; offline captures ignore it.
    public func setClockOffset(_ offset: Duration) {
        let (seconds, attoseconds) = offset.components
        cs_capture_set_clock_offset(capture, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
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
