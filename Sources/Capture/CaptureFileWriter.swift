import CCapture

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
