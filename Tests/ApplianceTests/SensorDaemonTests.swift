import Appliance
import Control
import Foundation
import Logging
import ServiceLifecycle
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The sensor daemon in-process: `SensorSetup` loads and checks what a configuration names, and `SensorDaemon` runs
/// its services under a parent service group, answers on its control socket, and on graceful shutdown saves its
/// hosts into the store.
@Suite struct SensorDaemonTests {
    static let etc = EndToEndTests.root.appendingPathComponent("etc/coinsentry").path

    static func write(_ configuration: String, in directory: URL) throws -> String {
        let path = directory.appendingPathComponent("coinsentry.toml").path
        try configuration.replacingOccurrences(of: "DIR", with: directory.path)
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cs-daemon-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func aGoodConfigurationIsSummarisedWithWhatItNames() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try Self.write(DaemonCheckTests.configuration(), in: directory)
        let setup = try SensorSetup(configurationPath: path)
        #expect(setup.summary.hasPrefix("configuration \(path) is valid; model \(setup.model.file.id)"))
        #expect(setup.summary.contains("\(setup.poolDomains.names.count) pool domains"))
        #expect(setup.poolDomains.names.count > 0 && setup.poolModel != nil)
    }

    @Test func aMissingModelStopsStartUpNamingItsKey() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = DaemonCheckTests.configuration()
            .replacingOccurrences(of: "\(Self.etc)/model.json", with: "DIR/absent-model.json")
        let path = try Self.write(configuration, in: directory)
        #expect {
            _ = try SensorSetup(configurationPath: path)
        } throws: { error in
            let text = "\(error)"
            return error is StartupProblem && text.contains("model.path") && text.contains("absent-model.json")
        }
    }

    @Test(.enabled(if: getuid() == 0, "skipped: capture on lo needs CAP_NET_RAW (CI runs as root)"))
    func theDaemonAnswersOnItsSocketAndSavesItsHostsOnShutdown() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let configuration = DaemonCheckTests.configuration().replacingOccurrences(of: "10.0.0.0/8", with: "127.0.0.0/8")
        let setup = try SensorSetup(configurationPath: try Self.write(configuration, in: directory))
        var logger = Logger(label: "sensor-daemon-test")
        logger.logLevel = .warning
        let daemon = try SensorDaemon(setup: setup, logger: logger, shutdownSignals: [])
        let group = ServiceGroup(services: [daemon], logger: logger)
        let socket = directory.appendingPathComponent("control.sock").path
        async let running: Void = group.run()

        var status: SensorStatus?
        for _ in 0..<100 where status == nil {
            status = try? await ControlClient.send(SensorRequest.Status(), socket: socket, timeout: .seconds(2))
            if status == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(status?.interfaces == ["lo"])
        #expect(status?.paused == false)

        await group.triggerGracefulShutdown()
        try await running
        #expect(!FileManager.default.fileExists(atPath: socket), "the control socket is removed on shutdown")
        let store = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("state").path)
        #expect(!store.isEmpty, "the state directory holds the alert store")
    }
}
