import Control
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A `coinsentryd` of this build for the daemon tests (alert outputs under fault, restarts, privileges): capturing on
/// lo, alerting to the outputs a test names, its state directory where the test puts it. Alerts are raised on demand
/// as `audit` records (each pause and each resume is one), and what became of them is read back from `stats`.
final class LoopbackSensor {
    static let daemon = EndToEndTests.binaries.appendingPathComponent("coinsentryd").path
    static let etc = EndToEndTests.root.appendingPathComponent("etc/coinsentry").path

    /// Why tests of the daemon cannot run here, or nil.
    static var unavailableReason: String? {
        if !Shell.isRoot { return "skipped: needs root (capture on lo)" }
        if !FileManager.default.isExecutableFile(atPath: daemon) { return "skipped: coinsentryd is not built" }
        return nil
    }

    /// A configuration with state in `stateDirectory`, the control socket at `socket` and the `[alerts]` lines
    /// `alerts`; `/metrics` is off (tests run side by side).
    static func configuration(stateDirectory: String, socket: String, alerts: String) -> String {
        """
        state_directory = "\(stateDirectory)"
        [control]
        socket = "\(socket)"
        group = ""
        [capture]
        interfaces = ["lo"]
        local_networks = ["127.0.0.0/8"]
        pool_domain_files = ["\(etc)/pool-domains.txt"]
        [model]
        path = "\(etc)/model.json"
        pool_path = "\(etc)/pool-model.json"
        [alerts]
        \(alerts)
        [metrics]
        listen = ""
        """
    }

    /// Starts `coinsentryd` on `config`, its output appended to `log`.
    static func start(_ config: String, log: String, launcher: [String] = []) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: launcher.first ?? daemon)
        process.arguments = Array(launcher.dropFirst()) + (launcher.isEmpty ? [] : [daemon]) + ["--config", config]
        if !FileManager.default.fileExists(atPath: log) { FileManager.default.createFile(atPath: log, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// One control request; nil when the daemon does not answer.
    static func request(_ command: SensorCommand, _ socket: String) async -> JSONValue? {
        try? await ControlClient.request(["cmd": .string(command.rawValue)], socket: socket, timeout: .seconds(2))
    }

    let directory: URL
    let socket: String
    let log: String
    private let process: Process
    private var paused = false

    /// Starts the daemon in a fresh directory (state in `stateDirectory`, by default a folder of it), optionally
    /// through `launcher` (a command the daemon's path and arguments are appended to), and waits for its control
    /// socket.
    init(alerts: String, stateDirectory: String? = nil, launcher: [String] = []) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cs-sensor-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        socket = directory.appendingPathComponent("control.sock").path
        log = directory.appendingPathComponent("coinsentryd.log").path
        let config = directory.appendingPathComponent("coinsentry.toml").path
        try Self.configuration(stateDirectory: stateDirectory ?? directory.appendingPathComponent("state").path,
                               socket: socket, alerts: alerts)
            .write(toFile: config, atomically: true, encoding: .utf8)
        process = try Self.start(config, log: log, launcher: launcher)
        var answered = false
        for _ in 0..<100 where !answered {
            answered = await Self.request(.status, socket)?["ok"]?.bool == true
            if !answered { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(answered, "coinsentryd answers on its control socket: \(logText.suffix(2000))")
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// The daemon's process id.
    var pid: pid_t { process.processIdentifier }

    /// The daemon's output so far.
    var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// Whether the daemon still runs and answers.
    var isAnswering: Bool {
        get async {
            guard process.isRunning else { return false }
            return await Self.request(.status, socket)?["ok"]?.bool == true
        }
    }

    /// Raises `count` audit alerts, alternating pause and resume.
    func raiseAudits(_ count: Int) async {
        for _ in 0..<count {
            paused.toggle()
            _ = await Self.request(paused ? .pause : .resume, socket)
        }
    }

    /// The `stats` reply's alert delivery figures.
    func delivery() async throws -> SensorStatistics.AlertDelivery {
        let reply = try #require(await Self.request(.stats, socket)?["alerts"])
        return try JSONDecoder().decode(SensorStatistics.AlertDelivery.self, from: Data(reply.line.utf8))
    }

    /// The figures of the output whose name starts with `prefix` (`syslog udp`, `journald`, ...).
    func output(_ prefix: String) async throws -> SensorStatistics.AlertDelivery.Output {
        try #require(try await delivery().outputs.first { $0.name.hasPrefix(prefix) })
    }

    /// Polls `condition` every 100 ms for up to `seconds`; false when it never held.
    func eventually(_ seconds: Double = 20, _ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return try await condition()
    }

    /// SIGTERM, then the exit status.
    func stop() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
