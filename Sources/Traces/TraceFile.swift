import Foundation

/// Reading and writing the Nypto trace text format.
///
/// One line per interval with four whitespace-separated non-negative integers: bytes received, bytes sent, packets
/// received, packets sent. Blank lines are skipped. Anything else (a wrong number of columns, a sign, a fraction,
/// `NaN`, a number beyond 64 bits) is refused with the file and line named.
public enum TraceFile {
    /// Reads a trace file.
    ///
    /// - Parameters:
    ///   - path: the file to read.
    ///   - interval: the width of one row in seconds (0.5 for the Nypto traces).
    /// - Throws: `TraceError.io` when the file cannot be read, `TraceError.badLine` for the first bad line.
    public static func read(_ path: String, interval: Double) throws(TraceError) -> Trace {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .io(file: path, reason: "cannot read: \(error.localizedDescription)")
        }
        let rows = data.withUnsafeBytes { bytes in Result { () throws(TraceError) in try parse(bytes, file: path) } }
        return Trace(rows: try rows.get(), interval: interval)
    }

    /// Parses trace text; `file` only names the source in errors.
    public static func parse(_ text: String, file: String = "<text>") throws(TraceError) -> [IntervalCounters] {
        var text = text
        let rows = text.withUTF8 { bytes in
            Result { () throws(TraceError) in try parse(UnsafeRawBufferPointer(bytes), file: file) }
        }
        return try rows.get()
    }

    private static func parse(_ bytes: UnsafeRawBufferPointer, file: String) throws(TraceError) -> [IntervalCounters] {
        var rows = [IntervalCounters]()
        rows.reserveCapacity(bytes.count / 8)
        var fields = [UInt64](repeating: 0, count: 4)
        var lineNumber = 0
        var index = 0
        let end = bytes.count
        while index < end {
            lineNumber += 1
            var fieldCount = 0
            var lineHasContent = false
            while index < end, bytes[index] != UInt8(ascii: "\n") {
                let byte = bytes[index]
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
                    index += 1
                    continue
                }
                lineHasContent = true
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                    let token = Self.token(in: bytes, from: index)
                    throw .badLine(file: file, line: lineNumber, reason: "'\(token)' is not a non-negative integer")
                }
                var value: UInt64 = 0
                while index < end, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                    let (times10, overflowA) = value.multipliedReportingOverflow(by: 10)
                    let (sum, overflowB) = times10.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
                    guard !overflowA, !overflowB else {
                        throw .badLine(file: file, line: lineNumber, reason: "a number does not fit in 64 bits")
                    }
                    value = sum
                    index += 1
                }
                if index < end, !Self.isSeparator(bytes[index]) {
                    let token = Self.token(in: bytes, from: index)
                    throw .badLine(file: file, line: lineNumber, reason: "'\(token)' is not a non-negative integer")
                }
                guard fieldCount < 4 else {
                    throw .badLine(file: file, line: lineNumber, reason: "more than four columns")
                }
                fields[fieldCount] = value
                fieldCount += 1
            }
            index += 1
            guard lineHasContent else { continue }
            guard fieldCount == 4 else {
                throw .badLine(file: file, line: lineNumber, reason: "\(fieldCount) columns instead of four")
            }
            rows.append(IntervalCounters(
                bytesReceived: fields[0], bytesSent: fields[1], packetsReceived: fields[2], packetsSent: fields[3]))
        }
        return rows
    }

    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n")
    }

    private static func token(in bytes: UnsafeRawBufferPointer, from start: Int) -> String {
        var tokenStart = start
        while tokenStart > 0, !isSeparator(bytes[tokenStart - 1]) { tokenStart -= 1 }
        var tokenEnd = start
        while tokenEnd < bytes.count, !isSeparator(bytes[tokenEnd]), tokenEnd - tokenStart < 40 { tokenEnd += 1 }
        return String(decoding: bytes[tokenStart..<tokenEnd], as: UTF8.self)
    }

    /// The text of a trace: one line per row.
    public static func render(_ rows: [IntervalCounters]) -> String {
        var text = ""
        text.reserveCapacity(rows.count * 12)
        for row in rows {
            text += "\(row.bytesReceived) \(row.bytesSent) \(row.packetsReceived) \(row.packetsSent)\n"
        }
        return text
    }

    /// Writes a trace file, replacing it atomically.
    ///
    /// - Throws: `TraceError.io` when the file cannot be written.
    public static func write(_ trace: Trace, to path: String) throws(TraceError) {
        do {
            try Data(render(trace.rows).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .io(file: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}
