import Foundation

/// Where the project's shared, read-only data lives: `../shared/data` beside the checkout (CI has it).
///
/// Tests that need it are enabled only when it is present, so a checkout without it skips them with this message.
public enum SharedData {
    /// The shared data folder, found from the package root (tests run with the package root as working directory).
    public static let root: String = {
        if let override = ProcessInfo.processInfo.environment["COINSENTRY_SHARED_DATA"] { return override }
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<3 { directory.deleteLastPathComponent() }
        return directory.appendingPathComponent("shared/data").path
    }()

    /// True when the shared data folder exists.
    public static var isPresent: Bool { FileManager.default.fileExists(atPath: root) }

    /// The reason printed for a skipped test.
    public static let absentReason = "skipped: ../shared/data is absent beside the checkout (CI has it)"

    /// A path inside the shared data folder.
    public static func path(_ relative: String) -> String { "\(root)/\(relative)" }
}
