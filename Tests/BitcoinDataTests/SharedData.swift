import Foundation

/// Locates the team's shared test data (`../shared/data` beside the repository, or `$COINSENTRY_SHARED_DATA`).
/// The files are read at test time and never copied into the repository.
enum SharedData {
    static let directory: URL = {
        if let override = ProcessInfo.processInfo.environment["COINSENTRY_SHARED_DATA"] {
            return URL(fileURLWithPath: override)
        }
        // Tests/BitcoinDataTests/SharedData.swift -> repository root -> ../shared/data
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data")
    }()

    static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("bitcoin/block413567.raw").path)
    }

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(relativePath)))
    }

    static func json(_ relativePath: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent(relativePath)))
    }
}
