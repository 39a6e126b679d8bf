import CCapture

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
