import Control
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// A systemd-journald in the daemon's mount namespace, and its journal read back there.
final class PrivateJournald {
    /// Why the journald outage test cannot run here, or nil.
    static var unavailableReason: String? {
        if let reason = LoopbackSensor.unavailableReason ?? JournaldHarness.unavailableReason { return reason }
        for tool in ["unshare", "nsenter"] where Shell.which(tool) == nil {
            return "skipped: \(tool) is not installed (util-linux)"
        }
        return nil
    }

    /// Runs the daemon in a new mount namespace whose journal socket and journal directories are empty tmpfs.
    static let launcher = [
        "/usr/bin/unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c",
        "for d in /run/systemd/journal /run/log/journal /var/log/journal; do mkdir -p $d && mount -t tmpfs tmpfs $d "
            + "|| exit 1; done; exec \"$0\" \"$@\"",
    ]

    let namespace: pid_t
    private var process: Process?

    init(namespaceOf pid: pid_t) { namespace = pid }

    deinit { kill() }

    /// Starts journald and waits up to 5 s for its socket (seen through the daemon's root in /proc).
    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Shell.which("nsenter") ?? "/usr/bin/nsenter")
        process.arguments = ["--target", "\(namespace)", "--mount", "--", JournaldHarness.binary]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let socket = "/proc/\(namespace)/root\(JournaldHarness.socket)"
        let deadline = ContinuousClock.now + .seconds(5)
        while !FileManager.default.fileExists(atPath: socket), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        // The socket file of a killed journald stays: wait for the new one to take datagrams too.
        try await Task.sleep(for: .milliseconds(300))
    }

    /// SIGKILL, as a crash would end it (the test runner's blocked signals would keep SIGTERM from arriving).
    func kill() {
        guard let process, process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The daemon's entries in the private journal (none while journalctl fails).
    func entries() -> [[String: Any]] {
        let output = (try? Shell.run(["nsenter", "--target", "\(namespace)", "--mount", "--", "journalctl",
                                    "--no-pager", "-o", "json", "SYSLOG_IDENTIFIER=coinsentryd"])) ?? ""
        return output.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}

/// journald absent when `coinsentryd` starts, then started, then killed and started again, while the daemon runs: it
/// keeps running, counts what journald could not take (`stats`), and its alerts reach journald again each time it is
/// back.
///
/// The daemon and its journald run in a private mount namespace with their own `/run/systemd/journal` and journal
/// directories (tmpfs), so the machine's journald, which other tests use, is neither stopped nor written to.
@Suite(.serialized, .enabled(if: PrivateJournald.unavailableReason == nil,
                             Comment(rawValue: PrivateJournald.unavailableReason ?? "")))
struct JournaldOutageTests {
    @Test func alertsJournaldCannotTakeAreCountedAndTheyReachItAgainOnceItIsBack() async throws {
        let sensor = try await LoopbackSensor(alerts: "journald = true", launcher: PrivateJournald.launcher)
        let journald = PrivateJournald(namespaceOf: sensor.pid)

        // No journald yet: the alerts are counted as dropped, the daemon runs on.
        await sensor.raiseAudits(3)
        #expect(try await sensor.eventually { try await sensor.output("journald").dropped == 3 })
        #expect(try await sensor.output("journald").lastError != nil)
        #expect(await sensor.isAnswering)

        // journald starts: alerts reach it.
        try await journald.start()
        await sensor.raiseAudits(3)
        #expect(try await sensor.eventually { try await sensor.output("journald").delivered == 3 })
        #expect(try await sensor.eventually { journald.entries().count == 3 })

        // journald crashes: counted again; restarted: alerts reach it again, in the same journal.
        journald.kill()
        await sensor.raiseAudits(2)
        #expect(try await sensor.eventually { try await sensor.output("journald").dropped == 5 })
        try await journald.start()
        await sensor.raiseAudits(2)
        #expect(try await sensor.eventually { try await sensor.output("journald").delivered == 5 })
        var entries = [[String: Any]]()
        #expect(try await sensor.eventually {
            entries = journald.entries()
            return entries.count == 5
        }, "\(entries.count) entries")
        #expect(entries.allSatisfy { $0["COINSENTRY_EVENT"] as? String == "audit" })
        #expect(await sensor.isAnswering)
        #expect(sensor.stop() == 0)
    }
}
