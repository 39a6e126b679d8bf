import Foundation

/// Runs the repository's Python reference scripts (numpy, scikit-learn) for cross-checks.
///
/// Tests that need them are enabled only when `python3` with the modules is found, and otherwise skip with
/// `unavailableReason`.
public enum PythonReference {
    /// True when `python3` can import numpy and scikit-learn.
    public static let isAvailable: Bool = (try? run(["-c", "import numpy, sklearn"], input: Data())) != nil

    /// The reason printed for a skipped test.
    public static let unavailableReason =
        "skipped: python3 with numpy and scikit-learn is not installed (pip install numpy pywavelets scikit-learn)"

    /// The package root, found from this file's location.
    public static let packageRoot: String = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<2 { directory.deleteLastPathComponent() }
        return directory.path
    }()

    /// Runs a script (path relative to the package root) with JSON on stdin and returns its parsed JSON output.
    public static func runScript(_ script: String, request: [String: Any]) throws -> [String: Any] {
        let input = try JSONSerialization.data(withJSONObject: request)
        let output = try run(["\(packageRoot)/\(script)"], input: input)
        guard let object = try JSONSerialization.jsonObject(with: output) as? [String: Any] else {
            throw Failure(message: "\(script) did not print a JSON object")
        }
        return object
    }

    /// A reference run that failed.
    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    private static func run(_ arguments: [String], input: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Write and read concurrently so a large request or reply cannot fill a pipe and stall both sides.
        let writer = Thread {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(message: "python3 \(arguments.joined(separator: " ")) failed: "
                + String(decoding: errors, as: UTF8.self))
        }
        return output
    }
}
