import Foundation

/// An RFC 5424 message parsed by the tests, independently of the sink's formatter.
struct ParsedSyslog {
    var priority: Int
    var version: Int
    var timestamp: String
    var hostname: String
    var appName: String
    var processID: String
    var messageID: String
    var structuredDataID: String
    var parameters: [String: String]
    var message: String

    /// Parses `<PRI>VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP [SD-ID PARAMS] SP BOM MSG`
    /// with exactly one SD element; nil when the text does not have that shape.
    init?(_ text: String) {
        var rest = Substring(text)
        guard rest.hasPrefix("<"), let close = rest.firstIndex(of: ">"),
              let priority = Int(rest[rest.index(after: rest.startIndex)..<close]) else { return nil }
        self.priority = priority
        rest = rest[rest.index(after: close)...]
        var header: [Substring] = []
        for _ in 0..<6 {
            guard let space = rest.firstIndex(of: " ") else { return nil }
            header.append(rest[..<space])
            rest = rest[rest.index(after: space)...]
        }
        guard let version = Int(header[0]) else { return nil }
        self.version = version
        (timestamp, hostname, appName, processID, messageID) =
            (String(header[1]), String(header[2]), String(header[3]), String(header[4]), String(header[5]))
        guard rest.hasPrefix("["), let idEnd = rest.firstIndex(of: " ") else { return nil }
        structuredDataID = String(rest[rest.index(after: rest.startIndex)..<idEnd])
        rest = rest[rest.index(after: idEnd)...]
        var parameters: [String: String] = [:]
        while !rest.hasPrefix("]") {
            guard let equals = rest.firstIndex(of: "=") else { return nil }
            let name = String(rest[..<equals])
            rest = rest[rest.index(after: equals)...]
            guard rest.hasPrefix("\"") else { return nil }
            rest.removeFirst()
            var value = ""
            while let character = rest.first, character != "\"" {
                rest.removeFirst()
                if character == "\\", let escaped = rest.first, "\"\\]".contains(escaped) {
                    value.append(escaped)
                    rest.removeFirst()
                } else {
                    guard character != "]" else { return nil }  // an unescaped ']' inside a value is invalid
                    value.append(character)
                }
            }
            guard !rest.isEmpty else { return nil }
            rest.removeFirst()
            parameters[name] = value
            if rest.hasPrefix(" ") { rest.removeFirst() }
        }
        self.parameters = parameters
        rest.removeFirst()
        guard rest.hasPrefix(" \u{FEFF}") else { return nil }
        message = String(rest.dropFirst(2))
    }
}
