/// Finds table headers whose name starts with a character no key may start with (`[.a]`, `[=]`, `[@]`, `[é]`) before
/// a configuration reaches the TOML parser: toml++ 3, inside TOMLKit 0.6, asserts on them instead of reporting a
/// parse error, so a debug build aborts and a release build's behaviour is undefined.
///
/// A header is a `[` or `[[` that begins a line outside any string, comment, array or inline table; its first key
/// must start, after spaces and tabs and on the same line, with a bare-key character (`A-Z a-z 0-9 _ -`) or a quote.
public enum TOMLHeaderCheck {
    /// A header that would stop the parser: its 1-based line and the character its name starts with.
    public struct BadHeader: Sendable, Equatable {
        public var line: Int
        public var character: Unicode.Scalar

        /// What is wrong, for the configuration error.
        public var message: String {
            if character == "\n" || character == "\r" { return "a table header's name must be on the header's line" }
            let shown = character.properties.generalCategory == .control
                ? "U+\(String(character.value, radix: 16, uppercase: true))" : "'\(character)'"
            return "a table name cannot start with \(shown); name it with letters, digits, '_' and '-', or quote it"
        }
    }

    private enum Context {
        case code, basic, literal, multilineBasic, multilineLiteral, comment
    }

    /// The first header in `text` whose name starts with a character a key cannot start with; nil when none does.
    public static func firstBadHeader(in text: String) -> BadHeader? {
        let scalars = Array(text.unicodeScalars)
        var line = 1
        var context = Context.code
        var depth = 0
        var lineStart = true
        var index = 0
        func next(_ offset: Int) -> Unicode.Scalar? { index + offset < scalars.count ? scalars[index + offset] : nil }
        while index < scalars.count {
            let scalar = scalars[index]
            defer { index += 1 }
            if scalar == "\n" {
                line += 1
                lineStart = true
                if context != .multilineBasic && context != .multilineLiteral { context = .code }
                continue
            }
            switch context {
            case .comment:
                continue
            case .basic, .multilineBasic:
                if scalar == "\\" {
                    if next(1) != "\n" { index += 1 }
                } else if scalar == "\"" && (context == .basic || (next(1) == "\"" && next(2) == "\"")) {
                    if context == .multilineBasic { index += 2 }
                    context = .code
                }
                continue
            case .literal, .multilineLiteral:
                if scalar == "'" && (context == .literal || (next(1) == "'" && next(2) == "'")) {
                    if context == .multilineLiteral { index += 2 }
                    context = .code
                }
                continue
            case .code:
                break
            }
            if scalar == " " || scalar == "\t" || scalar == "\r" { continue }
            defer { lineStart = false }
            switch scalar {
            case "#":
                context = .comment
            case "\"", "'":
                let triple = next(1) == scalar && next(2) == scalar
                context = scalar == "\"" ? (triple ? .multilineBasic : .basic) : (triple ? .multilineLiteral : .literal)
                if triple { index += 2 }
            case "[" where lineStart && depth == 0:
                var first = index + (next(1) == "[" ? 2 : 1)
                while first < scalars.count, scalars[first] == " " || scalars[first] == "\t" { first += 1 }
                guard first < scalars.count else { return nil }
                let start = scalars[first]
                if !isKeyStart(start) && start != "]" {
                    return BadHeader(line: line, character: start)
                }
            case "[", "{":
                depth += 1
            case "]", "}":
                depth = max(0, depth - 1)
            default:
                break
            }
        }
        return nil
    }

    private static func isKeyStart(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-", "\"", "'": true
        default: false
        }
    }
}
