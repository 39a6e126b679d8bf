import Control
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Why the least-privilege tests cannot run here, or nil.
let privilegeTestsUnavailable: String? = {
    if !Shell.isRoot { return "skipped: starting daemons as another user with chosen capabilities needs root" }
    if Shell.which("setpriv") == nil { return "skipped: setpriv (util-linux) is not installed" }
    if getpwnam("nobody") == nil || getgrnam("nogroup") == nil { return "skipped: no user nobody / group nogroup" }
    for name in ["coinsentryd", "coinsentry-web", "coinsentry-chaind"]
    where !FileManager.default.isExecutableFile(atPath: EndToEndTests.binaries.appendingPathComponent(name).path) {
        return "skipped: \(name) is not built (swift build)"
    }
    return nil
}()

/// Least privilege, shown on the running processes: `coinsentryd` runs as an unprivileged user holding CAP_NET_RAW
/// and nothing else (and says what it needs without it), `coinsentry-web` and `coinsentry-chaind` run with no
/// capability at all, and the files they make are no more open than they must be.
@Suite(.serialized, .enabled(if: privilegeTestsUnavailable == nil, Comment(rawValue: privilegeTestsUnavailable ?? "")))
struct LeastPrivilegeTests {
    static let binaries = EndToEndTests.binaries
    static let user = "nobody", group = "nogroup"

    /// CAP_NET_RAW's bit in the capability masks of /proc/PID/status.
    static let netRaw: UInt64 = 1 << 13

    /// A directory the unprivileged user owns, removed at the end.
    static func ownedDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cs-priv-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let account = try #require(getpwnam(user)).pointee
        chown(directory.path, account.pw_uid, account.pw_gid)
        chmod(directory.path, 0o750)
        return directory
    }

    /// Starts `command` as the unprivileged user through setpriv, with `capabilities` (names such as "net_raw") in its
    /// bounding, inheritable and ambient sets and no others.
    static func start(_ command: [String], capabilities: [String], log: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Shell.which("setpriv")!)
        let raised = capabilities.map { "+\($0)" }.joined(separator: ",")
        var arguments = ["--reuid=\(user)", "--regid=\(group)", "--clear-groups",
                         "--bounding-set=-all" + (raised.isEmpty ? "" : ",\(raised)"),
                         "--inh-caps=-all" + (raised.isEmpty ? "" : ",\(raised)")]
        if !raised.isEmpty { arguments.append("--ambient-caps=\(raised)") }
        process.arguments = arguments + ["--"] + command
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// The capability masks of a running process (`CapEff`, `CapPrm`, `CapBnd`, `CapAmb`, ...), and its uid.
    static func status(of pid: Int32) throws -> (capabilities: [String: UInt64], uid: UInt32) {
        let text = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        var capabilities: [String: UInt64] = [:]
        var uid: UInt32 = .max
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == ":" || $0 == "\t" || $0 == " " })
            guard fields.count >= 2 else { continue }
            if fields[0].hasPrefix("Cap") { capabilities[String(fields[0])] = UInt64(fields[1], radix: 16) }
            if fields[0] == "Uid" { uid = UInt32(fields[2]) ?? .max }  // real, effective, saved, filesystem
        }
        return (capabilities, uid)
    }

    static func stop(_ process: Process) {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    static func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int
    }

    static func sensorConfiguration(_ directory: URL) -> String {
        LoopbackSensor.configuration(
            stateDirectory: "\(directory.path)/state", socket: "\(directory.path)/control.sock",
            alerts: "journald = false\njson_file = \"\(directory.path)/alerts.jsonl\"")
    }

    /// Waits until `check` holds, for up to 20 s (against a hang, not a measured figure).
    static func eventually(_ what: String, _ check: () async -> Bool) async throws {
        for _ in 0..<200 {
            if await check() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting for \(what)")
    }

    /// Starts `coinsentryd` as the unprivileged user with `capabilities`, capturing on `lo`, its configuration and
    /// state in `directory`; its output goes to `coinsentryd.log` there.
    static func startSensor(in directory: URL, capabilities: [String]) throws -> (daemon: Process, log: String) {
        let config = directory.appendingPathComponent("coinsentry.toml").path
        try sensorConfiguration(directory).write(toFile: config, atomically: true, encoding: .utf8)
        chmod(config, 0o644)
        let log = directory.appendingPathComponent("coinsentryd.log").path
        let daemon = try start([binaries.appendingPathComponent("coinsentryd").path, "--config", config],
                               capabilities: capabilities, log: log)
        return (daemon, log)
    }

    @Test func theSensorHoldsOnlyCapNetRawAndItsFilesAreTight() async throws {
        let directory = try Self.ownedDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (daemon, log) = try Self.startSensor(in: directory, capabilities: ["net_raw"])
        defer { Self.stop(daemon) }
        let socket = directory.appendingPathComponent("control.sock").path
        var status: SensorStatus?
        try await Self.eventually("the sensor's control socket") {
            status = try? await ControlClient.send(SensorRequest.Status(), socket: socket, timeout: .seconds(2))
            return status != nil || !daemon.isRunning
        }
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(status?.interfaces == ["lo"], "capture on lo runs as \(Self.user) with CAP_NET_RAW: \(output)")

        let (capabilities, uid) = try Self.status(of: daemon.processIdentifier)
        #expect(uid == getpwnam(Self.user)!.pointee.pw_uid)
        for set in ["CapEff", "CapPrm", "CapBnd"] {
            #expect(capabilities[set] == Self.netRaw, "\(set) is CAP_NET_RAW alone: \(capabilities)")
        }

        #expect(Self.mode(socket) == 0o660)
        let state = directory.appendingPathComponent("state").path
        let files = try FileManager.default.contentsOfDirectory(atPath: state)
        #expect(files.contains { $0.hasSuffix(".sqlite") }, "the alert store is in the state directory: \(files)")
        for file in files {
            let mode = try #require(Self.mode("\(state)/\(file)"))
            let limit = file.contains(".sqlite") ? 0o600 : 0o640
            #expect(mode & ~limit == 0,
                    "\(file) has mode \(String(mode, radix: 8)); at most \(String(limit, radix: 8))")
        }
        if let mode = Self.mode(directory.appendingPathComponent("alerts.jsonl").path) {
            #expect(mode & ~0o640 == 0, "the JSON alert file is 0640 at most")
        }
    }

    @Test func withoutCapNetRawTheSensorSaysWhatItNeeds() async throws {
        let directory = try Self.ownedDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (daemon, log) = try Self.startSensor(in: directory, capabilities: [])
        defer { Self.stop(daemon) }
        try await Self.eventually("coinsentryd to give up") { !daemon.isRunning }
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(daemon.terminationStatus != 0)
        #expect(output.contains("CAP_NET_RAW"), "\(output)")
    }

    @Test func theWebConsoleAndTheChainSidecarRunWithNoCapability() async throws {
        let directory = try Self.ownedDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The sensor too, so the console has a daemon to read as the same unprivileged user.
        let sensor = try Self.startSensor(in: directory, capabilities: ["net_raw"]).daemon
        defer { Self.stop(sensor) }

        let blocks = directory.appendingPathComponent("blocks").path
        try FileManager.default.createDirectory(atPath: blocks, withIntermediateDirectories: true)
        let account = try #require(getpwnam(Self.user)).pointee
        chown(blocks, account.pw_uid, account.pw_gid)
        let chainConfig = directory.appendingPathComponent("chain.toml").path
        try """
            [chain]
            db = "\(directory.path)/chain.sqlite"
            network = "regtest"
            interval_seconds = 1
            [source]
            blocks = "\(blocks)"
            [alerts]
            journald = false
            [control]
            socket = "\(directory.path)/chain.sock"
            [metrics]
            listen = ""
            """.write(toFile: chainConfig, atomically: true, encoding: .utf8)
        let chainLog = directory.appendingPathComponent("chain.log").path
        let chain = try Self.start([Self.binaries.appendingPathComponent("coinsentry-chaind").path,
                                    "--config", chainConfig], capabilities: [], log: chainLog)
        defer { Self.stop(chain) }

        let port = try unusedTCPPort()
        let webConfig = directory.appendingPathComponent("web.toml").path
        try """
            [web]
            listen = "127.0.0.1:\(port)"
            assets = "\(EndToEndTests.root.appendingPathComponent("web").path)"
            [daemons]
            sensor_socket = "\(directory.path)/control.sock"
            chain_socket = "\(directory.path)/chain.sock"
            """.write(toFile: webConfig, atomically: true, encoding: .utf8)
        let webLog = directory.appendingPathComponent("web.log").path
        let web = try Self.start([Self.binaries.appendingPathComponent("coinsentry-web").path, "--config", webConfig],
                                 capabilities: [], log: webLog)
        defer { Self.stop(web) }

        var chainStatus: JSONValue?
        try await Self.eventually("the chain sidecar's control socket") {
            chainStatus = try? await ControlClient.request(["cmd": "status"], socket: "\(directory.path)/chain.sock",
                                                           timeout: .seconds(2))
            return chainStatus?["ok"]?.bool == true || !chain.isRunning
        }
        #expect(chainStatus?["ok"]?.bool == true, "\((try? String(contentsOfFile: chainLog, encoding: .utf8)) ?? "")")
        var page = ""
        try await Self.eventually("the console's sensor status, read through the sensor's socket") {
            page = (try? Shell.run(["curl", "-sf", "http://127.0.0.1:\(port)/api/v1/sensor/status"])) ?? ""
            return page.contains("\"interfaces\"") || !web.isRunning
        }
        #expect(page.contains("\"lo\""), "\((try? String(contentsOfFile: webLog, encoding: .utf8)) ?? "")")

        for (name, process) in [("coinsentry-web", web), ("coinsentry-chaind", chain)] {
            let (capabilities, uid) = try Self.status(of: process.processIdentifier)
            #expect(uid == account.pw_uid, "\(name) runs as \(Self.user)")
            for set in ["CapEff", "CapPrm", "CapBnd", "CapAmb"] {
                #expect(capabilities[set] == 0, "\(name): \(set) is empty: \(capabilities)")
            }
        }
        let store = try #require(Self.mode("\(directory.path)/chain.sqlite"), "the sidecar made its store")
        #expect(store == 0o600, "the chain store is 0600: \(String(store, radix: 8))")
    }
}
