/// Hand-built DNS messages and TLS records for the pool-name and flow-shape tests, written from RFC 1035 and
/// RFC 8446 layouts.
enum PoolMessages {
    static func be16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xff), UInt8(value & 0xff)] }
    static func be32(_ value: Int) -> [UInt8] { be16(value >> 16) + be16(value & 0xffff) }

    /// A name in wire format (labels, then the root).
    static func name(_ dotted: String) -> [UInt8] {
        dotted.split(separator: ".").flatMap { [UInt8($0.utf8.count)] + Array($0.utf8) } + [0]
    }

    static func header(id: Int = 0x1234, response: Bool, questions: Int = 1, answers: Int = 0) -> [UInt8] {
        be16(id) + be16(response ? 0x8180 : 0x0100) + be16(questions) + be16(answers) + be16(0) + be16(0)
    }

    static func query(_ dotted: String, type: Int = 1) -> [UInt8] {
        header(response: false) + name(dotted) + be16(type) + be16(1)
    }

    /// A response whose answers point back at the question's name (offset 12) with compression.
    static func response(_ dotted: String, v4: [[UInt8]] = [], v6: [[UInt8]] = [], ttl: Int = 60) -> [UInt8] {
        var message = header(response: true, answers: v4.count + v6.count) + name(dotted) + be16(1) + be16(1)
        for address in v4 { message += [0xc0, 12] + be16(1) + be16(1) + be32(ttl) + be16(4) + address }
        for address in v6 { message += [0xc0, 12] + be16(28) + be16(1) + be32(ttl) + be16(16) + address }
        return message
    }

    /// A TLS 1.2-framed ClientHello with the given server name (none when nil).
    static func clientHello(sni: String?) -> [UInt8] {
        var extensions = [UInt8]()
        if let sni {
            let entry = [0] + be16(sni.utf8.count) + Array(sni.utf8)
            extensions += be16(0) + be16(entry.count + 2) + be16(entry.count) + entry
        }
        extensions += be16(10) + be16(4) + be16(2) + be16(29) /* supported_groups: x25519 */
        let body = [3, 3] + [UInt8](repeating: 0x11, count: 32) + [0] + be16(2) + [0x13, 0x01] + [1, 0]
            + be16(extensions.count) + extensions
        let handshake = [1] + Array(be32(body.count).dropFirst()) + body
        return [22, 3, 1] + be16(handshake.count) + handshake
    }

    /// An application-data record of `length` body bytes.
    static func record(_ length: Int, type: UInt8 = 23) -> [UInt8] {
        [type, 3, 3] + be16(length) + [UInt8](repeating: 0xab, count: length)
    }
}
