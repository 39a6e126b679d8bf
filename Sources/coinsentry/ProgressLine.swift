import Foundation

/// A one-line progress display on standard error, shown only when standard error is a terminal and redrawn at
/// most twice a second, so scripts and logs see no progress noise.
final class ProgressLine {
    private let label: String
    private let enabled = isatty(STDERR_FILENO) == 1
    private var lastDraw = Date.distantPast
    private var drawn = false

    init(label: String) {
        self.label = label
    }

    func update(_ text: @autoclosure () -> String) {
        guard enabled, Date().timeIntervalSince(lastDraw) >= 0.5 else { return }
        lastDraw = Date()
        FileHandle.standardError.write(Data("\r\(label): \(text())\u{1B}[K".utf8))
        drawn = true
    }

    func finish() {
        guard drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
