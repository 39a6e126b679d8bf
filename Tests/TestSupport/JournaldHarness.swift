import Foundation

/// Makes sure a systemd-journald listens on /run/systemd/journal/socket for the journald test, starting one when
/// none runs. A journald the test started is left running: other tests on the machine (the daemon's end-to-end
/// test) may use it at the same time, and it needs no cleanup beyond the process.
public enum JournaldHarness {
    public static let binary = "/lib/systemd/systemd-journald"
    public static let socket = "/run/systemd/journal/socket"

    /// Why the test cannot run here, or nil.
    public static var unavailableReason: String? {
        if !Shell.isRoot { return "skipped: starting systemd-journald and reading the system journal need root" }
        if !FileManager.default.isExecutableFile(atPath: binary) {
            return "skipped: \(binary) is not installed (apt-get install systemd)"
        }
        if Shell.which("journalctl") == nil { return "skipped: journalctl is not installed" }
        return nil
    }

    /// Starts systemd-journald unless one runs, and waits up to 5 s for its socket.
    public static func ensureRunning() async throws {
        let running = isJournaldProcessRunning
        if running && FileManager.default.fileExists(atPath: socket) { return }
        try FileManager.default.createDirectory(atPath: "/run/systemd/journal", withIntermediateDirectories: true)
        if !running { try? FileManager.default.removeItem(atPath: socket) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        process.arguments = [binary]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(5)
        while !FileManager.default.fileExists(atPath: socket), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// True when a process named `systemd-journal` (the kernel's 15-character cut of the name) exists; read from
    /// /proc so the test needs no procps.
    private static var isJournaldProcessRunning: Bool {
        let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return processes.contains { entry in
            guard entry.allSatisfy(\.isNumber),
                  let name = try? String(contentsOfFile: "/proc/\(entry)/comm", encoding: .utf8) else { return false }
            return name.trimmingCharacters(in: .whitespacesAndNewlines) == "systemd-journal"
        }
    }

    /// Entries matching `filters` (`FIELD=value`) as JSON objects, read with `journalctl -o json`.
    public static func entries(_ filters: [String]) throws -> [[String: Any]] {
        let output = try Shell.run(["journalctl", "--no-pager", "-o", "json"] + filters)
        return output.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}
