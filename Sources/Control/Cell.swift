import Foundation

/// A value a table cell shows: text, numbers, flags, and their absence (`-`).
public protocol CellValue {
    var cell: String { get }
}

extension String: CellValue { public var cell: String { self } }
extension Bool: CellValue { public var cell: String { self ? "yes" : "no" } }
extension Int: CellValue { public var cell: String { String(self) } }
extension Int64: CellValue { public var cell: String { String(self) } }
extension UInt64: CellValue { public var cell: String { String(self) } }
extension Double: CellValue {
    public var cell: String {
        rounded() == self && abs(self) < 1e15 ? String(Int64(self)) : String(format: "%.3f", self)
    }
}
/// Detail objects the replies carry as JSON (model metrics, capture counters).
extension JSONValue: CellValue {
    public var cell: String {
        switch self {
        case .string(let text): text
        case .number(let number): number.cell
        case .bool(let flag): flag.cell
        case .null: "-"
        default: line
        }
    }
}
extension Optional: CellValue where Wrapped: CellValue { public var cell: String { self?.cell ?? "-" } }
extension Array: CellValue where Element: CellValue {
    public var cell: String { isEmpty ? "-" : map(\.cell).joined(separator: " ") }
}

/// Renders replies for people: aligned tables and `key  value` lines.
public enum Cell {
    /// An RFC 3339 time, or seconds since 1970, in the local time zone to the second; `-` when absent.
    public static func localTime(_ text: String?) -> String {
        guard let text else { return "-" }
        let date = (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            ?? (try? Date(text, strategy: .iso8601))
        return date.map(localTime) ?? text
    }

    public static func localTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss zzz"
        return formatter.string(from: date)
    }

    /// A block time (seconds since the epoch) as RFC 3339.
    public static func blockTime(_ seconds: Int) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(seconds)))
    }

    /// `key  value` lines, in the given order.
    public static func fields(_ pairs: KeyValuePairs<String, any CellValue>) -> String {
        let width = pairs.map(\.key.count).max() ?? 0
        return pairs.map { "\($0.key.padding(toLength: width, withPad: " ", startingAt: 0))  \($0.value.cell)" }
            .joined(separator: "\n")
    }
}
