// Conversions between the capture engine's C types and Swift values, shared by the files that call it.
import CCapture

#if canImport(Glibc)
import Glibc
#endif

/// Calls `body` with a C array of C strings for `strings` (valid during the call only).
func withCStrings<Result>(_ strings: [String],
                                  _ body: (UnsafePointer<UnsafePointer<CChar>?>?, Int) -> Result) -> Result {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers = copies.map { UnsafePointer($0) }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress, $0.count) }
}

func address(_ raw: cs_addr) -> HostAddress {
    withUnsafeBytes(of: raw.bytes) { bytes in
        HostAddress(high: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                    low: UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
    }
}

func cAddress(_ host: HostAddress) -> cs_addr {
    var raw = cs_addr()
    withUnsafeMutableBytes(of: &raw.bytes) { $0.copyBytes(from: host.bytes) }
    return raw
}

func message(_ text: [CChar], fallback: String) -> String {
    let bytes = text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return bytes.isEmpty ? fallback : String(decoding: bytes, as: UTF8.self)
}

func code(of status: Int32) -> CaptureError.Code {
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

func withOptionalCString<Result>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> Result) -> Result {
    guard let text else { return body(nil) }
    return text.withCString { body($0) }
}
