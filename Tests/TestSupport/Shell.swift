import Foundation

/// Runs system commands for tests that use real components (ip, tcpreplay, tshark).
public enum Shell {
    public struct Failure: Error, CustomStringConvertible {
        public var command: [String]
        public var status: Int32
        public var output: String
        public var description: String { "`\(command.joined(separator: " "))` exited \(status): \(output)" }
    }

    /// The full path of an executable on the usual system paths, or nil.
    public static func which(_ name: String) -> String? {
        for directory in ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"] {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Runs a command to its end and returns its combined output; throws when it exits non-zero.
    @discardableResult
    public static func run(_ command: [String]) throws -> String {
        let process = try start(command)
        let output = process.standardOutputData()
        process.waitUntilExit()
        let text = String(decoding: output, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw Failure(command: command, status: process.terminationStatus, output: text)
        }
        return text
    }

    /// Starts a command with standard output and error captured together in a pipe.
    public static func start(_ command: [String]) throws -> Process {
        let process = Process()
        let executable = command[0].hasPrefix("/") ? command[0] : (which(command[0]) ?? command[0])
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(command.dropFirst())
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        return process
    }

    /// True when the process runs as root (CI does): needed for namespaces and live capture.
    public static var isRoot: Bool { geteuid() == 0 }
}

extension Process {
    /// Waits for the process to end and returns its exit status, reading its output to the end first.
    public func waitForStatus() -> Int32 {
        _ = standardOutputData()
        waitUntilExit()
        return terminationStatus
    }

    /// Everything the process wrote to its captured standard output, up to its end.
    public func standardOutputData() -> Data {
        (standardOutput as? Pipe)?.fileHandleForReading.readDataToEndOfFile() ?? Data()
    }
}
