import Foundation
import Synchronization

/// A one-line progress display on standard error, shown only when standard error is a terminal and redrawn at
/// most twice a second, so scripts and logs see no progress noise.
final class ProgressLine: Sendable {
    private let label: String
    private let enabled = isatty(STDERR_FILENO) == 1
    /// When the line was last drawn, or nil before the first time.
    private let lastDraw = Mutex<Date?>(nil)

    init(label: String) {
        self.label = label
    }

    func update(_ text: @autoclosure () -> String) {
        guard enabled else { return }
        let due = lastDraw.withLock { last in
            guard Date().timeIntervalSince(last ?? .distantPast) >= 0.5 else { return false }
            last = Date()
            return true
        }
        guard due else { return }
        FileHandle.standardError.write(Data("\r\(label): \(text())\u{1B}[K".utf8))
    }

    func finish() {
        guard lastDraw.withLock({ $0 != nil }) else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
