import Control
import Foundation
import TestSupport
import Testing

/// coinsentryd as systemd sees it: the unit files pass `systemd-analyze verify` and score 2.0 or lower in
/// `systemd-analyze security`, and the daemon speaks sd_notify (READY, STATUS, WATCHDOG, RELOADING on SIGHUP) to a
/// real notification socket, refusing a bad model on reload while the running one stays.
@Suite(.serialized) struct SystemdIntegrationTests {
    static let root = EndToEndTests.root

    static var analyzeUnavailable: String? {
        Shell.which("systemd-analyze") == nil ? "skipped: systemd-analyze is not installed (apt-get install systemd)"
            : nil
    }

    /// The unit with its ExecStart pointed at the binaries of this build, as `verify` checks that they exist.
    static func localUnit(_ name: String, in directory: URL) throws -> String {
        var text = try String(contentsOf: root.appendingPathComponent("systemd/\(name)"), encoding: .utf8)
        for binary in ["coinsentryd", "coinsentry-chaind"] {
            let built = EndToEndTests.binaries.appendingPathComponent(binary).path
            text = text.replacingOccurrences(of: "/usr/local/bin/\(binary) ", with: "\(built) ")
                .replacingOccurrences(of: "/usr/bin/\(binary) ", with: "\(built) ")
        }
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(.enabled(if: analyzeUnavailable == nil, Comment(rawValue: analyzeUnavailable ?? "")),
          arguments: ["coinsentryd.service", "coinsentry-chaind.service"])
    func unitVerifiesAndIsHardened(unit: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cs-units-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = try Self.localUnit(unit, in: directory)
        let verify = try Shell.run(["systemd-analyze", "verify", path])
        #expect(!verify.contains(unit), "systemd-analyze verify complained: \(verify)")
        let security = try Shell.run(["systemd-analyze", "security", "--offline=true", path])
        let line = security.split(separator: "\n").first { $0.contains("Overall exposure level") } ?? ""
        let score = line.split(separator: " ").compactMap { Double($0) }.first
        #expect(score != nil, "no exposure score in: \(security.suffix(300))")
        #expect((score ?? 10) <= 2.0, "exposure \(score ?? -1) above 2.0")
    }

    /// Inline mode's drop-in (systemd/coinsentryd.service.d/inline.conf) beside the unit: `verify` passes, the drop-in
    /// is read (CAP_NET_ADMIN shows up as granted in the security report, and not without it), and the exposure
    /// stays at 2.0 or lower.
    @Test(.enabled(if: analyzeUnavailable == nil, Comment(rawValue: analyzeUnavailable ?? "")))
    func inlineDropInVerifiesAndAddsOnlyNetAdmin() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cs-units-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = try Self.localUnit("coinsentryd.service", in: directory)
        let netAdmin = { (report: String) in
            report.split(separator: "\n").first { $0.contains("CapabilityBoundingSet=~CAP_NET_ADMIN") } ?? ""
        }
        #expect(netAdmin(try Shell.run(["systemd-analyze", "security", "--offline=true", path])).hasPrefix("✓"))

        let dropIns = directory.appendingPathComponent("coinsentryd.service.d")
        try FileManager.default.createDirectory(at: dropIns, withIntermediateDirectories: true)
        let dropIn = Self.root.appendingPathComponent("systemd/coinsentryd.service.d/inline.conf")
        try FileManager.default.copyItem(at: dropIn, to: dropIns.appendingPathComponent("inline.conf"))
        let verify = try Shell.run(["systemd-analyze", "verify", path])
        #expect(!verify.contains("coinsentryd.service"), "systemd-analyze verify complained: \(verify)")
        let security = try Shell.run(["systemd-analyze", "security", "--offline=true", path])
        #expect(netAdmin(security).hasPrefix("✗"), "the drop-in was not read: \(netAdmin(security))")
        let line = security.split(separator: "\n").first { $0.contains("Overall exposure level") } ?? ""
        let score = line.split(separator: " ").compactMap { Double($0) }.first
        #expect((score ?? 10) <= 2.0, "exposure \(score ?? -1) above 2.0 with the inline drop-in")
    }

    @Test(.enabled(if: EndToEndTests.unavailableReason == nil,
                   Comment(rawValue: EndToEndTests.unavailableReason ?? "")))
    func daemonNotifiesSystemdAndRefusesABadModelOnReload() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cs-notify-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let wire = try VethPair(tag: "n")
        let model = try EndToEndTests.compressedModel(into: directory)
        let config = directory.appendingPathComponent("coinsentry.toml").path
        let socket = directory.appendingPathComponent("control.sock").path
        try """
            sensor_id = "notify"
            state_directory = "\(directory.appendingPathComponent("state").path)"
            [capture]
            interfaces = ["\(wire.outside)"]
            local_networks = ["10.20.0.0/16"]
            interval = \(1 / EndToEndTests.compression)
            [model]
            path = "\(model)"
            [alerts]
            journald = false
            json_file = ""
            [control]
            socket = "\(socket)"
            group = ""
            [metrics]
            listen = ""
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let notifications = try DatagramReceiver(unixPath: directory.appendingPathComponent("notify").path)

        let process = Process()
        process.executableURL = EndToEndTests.binaries.appendingPathComponent("coinsentryd")
        process.arguments = ["--config", config]
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = directory.appendingPathComponent("notify").path
        environment["WATCHDOG_USEC"] = "2000000"
        environment.removeValue(forKey: "WATCHDOG_PID")
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate(); process.waitUntilExit() } }

        var seen = [String]()
        func collect(until condition: ([String]) -> Bool) {
            let deadline = Date().addingTimeInterval(10)
            while !condition(seen), Date() < deadline, let message = notifications.receive(timeout: .seconds(1)) {
                seen.append(message)
            }
        }
        collect { messages in
            messages.contains("READY=1") && messages.contains { $0.hasPrefix("STATUS=") }
                && messages.filter { $0 == "WATCHDOG=1" }.count >= 2
        }
        #expect(seen.contains("READY=1"))
        #expect(seen.contains { $0.hasPrefix("STATUS=") && $0.contains("hosts") })
        #expect(seen.filter { $0 == "WATCHDOG=1" }.count >= 2, "watchdog keep-alives: \(seen)")

        /// SIGHUP, then waits for this reload's RELOADING=1 and the READY=1 after it (older messages drained first).
        func reloadAndWait() {
            while notifications.receive(timeout: .milliseconds(300)) != nil {}
            seen.removeAll()
            kill(process.processIdentifier, SIGHUP)
            collect { messages in
                guard let reloading = messages.firstIndex(of: "RELOADING=1") else { return false }
                return messages[reloading...].contains("READY=1")
            }
        }

        // A corrupt model on SIGHUP: refused, the daemon keeps running with the model it had.
        let before = try await ControlClient.request(["cmd": "model"], socket: socket)["id"]?.string
        let goodModel = try Data(contentsOf: URL(fileURLWithPath: model))
        try Data("{ not a model".utf8).write(to: URL(fileURLWithPath: model))
        reloadAndWait()
        #expect(seen.contains("RELOADING=1"))
        #expect(process.isRunning)
        #expect(try await ControlClient.request(["cmd": "model"], socket: socket)["id"]?.string == before)
        let refused = try await ControlClient.request(["cmd": "reload"], socket: socket)
        #expect(refused["ok"]?.bool == false)
        #expect(refused["error"]?.string?.contains("running configuration and models stay") == true)
        #expect(refused["error"]?.string?.contains(model) == true, "the refusal names the file")
        try goodModel.write(to: URL(fileURLWithPath: model))

        // A re-read configuration: a broken file is refused; a valid one's live settings (the sensor id) apply.
        let good = try String(contentsOfFile: config, encoding: .utf8)
        try (good + "\nnot toml [").write(toFile: config, atomically: true, encoding: .utf8)
        reloadAndWait()
        #expect(process.isRunning)
        #expect(try await ControlClient.request(["cmd": "status"], socket: socket)["sensor"]?.string == "notify")
        try good.replacingOccurrences(of: "sensor_id = \"notify\"", with: "sensor_id = \"renamed\"")
            .write(toFile: config, atomically: true, encoding: .utf8)
        reloadAndWait()
        #expect(try await ControlClient.request(["cmd": "status"], socket: socket)["sensor"]?.string == "renamed")

        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
