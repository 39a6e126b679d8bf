import CCapture

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
