import CCapture

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
