// Decoding of the capture engine's evidence records into the Swift vocabulary.
import CCapture

func dialect(_ raw: UInt8) -> MiningDialect {
    switch UInt32(raw) {
    case CS_DIALECT_MONERO.rawValue: .monero
    case CS_DIALECT_ETH_GETWORK.rawValue: .ethGetwork
    case CS_DIALECT_HTTP_GETWORK.rawValue: .httpGetwork
    default: .stratum
    }
}

func worker(length: UInt8, bytes: some Collection<CChar>) -> String? {
    guard length > 0 else { return nil }
    return String(decoding: bytes.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

func evidence(from record: cs_record) -> MiningEvidence {
    let raw = record.evidence
    let name = withUnsafeBytes(of: raw.worker) { worker(length: raw.worker_length, bytes: $0.bindMemory(to: CChar.self)) }
    return MiningEvidence(host: address(record.host), remote: address(raw.remote), remotePort: raw.remote_port,
                          localPort: raw.local_port, dialect: dialect(raw.dialect),
                          role: UInt32(raw.role) == CS_ROLE_POOL.rawValue ? .pool : .miner, worker: name,
                          interval: record.interval)
}

func poolName(from record: cs_record) -> PoolNameEvidence {
    let raw = record.pool_name
    let name = withUnsafeBytes(of: raw.name) { String(decoding: $0.prefix(Int(raw.name_length)), as: UTF8.self) }
    let remote = address(raw.remote)
    let known = remote != HostAddress(high: 0, low: 0)
    return PoolNameEvidence(host: address(record.host), name: name,
                            source: UInt32(raw.source) == CS_NAME_SNI.rawValue ? .sni : .dns,
                            remote: known ? remote : nil, remotePort: raw.remote_port == 0 ? nil : raw.remote_port,
                            interval: record.interval)
}

func flowShape(from record: cs_record) -> FlowShape {
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
        repeatedRequestGaps: Int(raw.repeated_request_gaps), answeredPushes: Int(raw.answered_pushes),
        speaksControlProtocol: raw.control_protocol != 0)
}
