import Control
import Foundation
import Testing

/// A real `coinsentry-chaind` process of this build, with its log kept for failure messages.
final class ChainDaemonProcess {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let binaries = root.appendingPathComponent(".build/debug")

    /// Why the process tests cannot run, or nil.
    static var unavailableReason: String? {
        for tool in ["coinsentry-chaind", "coinsentryctl"]
        where !FileManager.default.isExecutableFile(atPath: binaries.appendingPathComponent(tool).path) {
            return "skipped: \(tool) is not built (swift build first)"
        }
        return nil
    }

    let process = Process()
    let log: String
    let socket: String

    /// Starts the daemon on `config`; `environment` is added to the test's own (less any systemd notify settings).
    init(config: String, socket: String, log: String, environment: [String: String] = [:]) throws {
        self.log = log
        self.socket = socket
        process.executableURL = Self.binaries.appendingPathComponent("coinsentry-chaind")
        process.arguments = ["--config", config]
        var inherited = ProcessInfo.processInfo.environment
        for key in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"] { inherited.removeValue(forKey: key) }
        process.environment = inherited.merging(environment) { $1 }
        if !FileManager.default.fileExists(atPath: log) {
            _ = FileManager.default.createFile(atPath: log, contents: nil)
        }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        output.seekToEndOfFile()
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// The daemon's log so far.
    var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// One control request; nil while the socket is not up yet.
    func request(_ request: JSONValue) async -> JSONValue? {
        try? await ControlClient.request(request, socket: socket)
    }

    /// Polls `condition` every 100 ms for up to `seconds` (a deadline against hanging, not a measured figure).
    @discardableResult
    func wait(_ what: String, seconds: Double = 60, until condition: () async -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while !(await condition()) {
            guard Date() < deadline, process.isRunning else {
                Issue.record("gave up waiting for \(what); daemon log:\n\(logText.suffix(2000))")
                return false
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return true
    }

    /// Waits until the daemon reports a stored tip at `height`.
    func waitForTip(_ height: Int) async throws {
        try await wait("tip height \(height)") { await request(["cmd": "status"])?["tip_height"]?.number == Double(height) }
    }

    /// SIGKILL, as a crash or the kernel's out-of-memory killer ends it, then waits for the exit.
    func sigkill() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then the exit status.
    func stop() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Runs `coinsentryctl` of this build; returns its exit status, standard output and standard error.
    static func control(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let ctl = Process()
        ctl.executableURL = binaries.appendingPathComponent("coinsentryctl")
        ctl.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        ctl.standardOutput = output
        ctl.standardError = error
        try ctl.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        ctl.waitUntilExit()
        return (ctl.terminationStatus, String(decoding: outputData, as: UTF8.self),
                String(decoding: errorData, as: UTF8.self))
    }
}
