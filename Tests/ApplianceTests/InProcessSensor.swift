import Appliance
import Foundation
import Logging
import ServiceLifecycle

/// coinsentryd's services run in the test process (`SensorDaemon` in a `ServiceGroup`, as the executable wires them)
/// on one interface, with `DaemonCheckTests`' configuration and its state in a temporary directory: for tests that
/// change the world around a running sensor (interfaces deleted, reloads under traffic) and read it back over the
/// control socket.
enum InProcessSensor {
    /// Starts the sensor on `interface`, runs `body` with its state directory and control socket, then stops it.
    static func run(interface: String, localNetworks: String = "10.0.0.0/8",
                    _ body: (_ directory: URL, _ socket: String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cs-sensor-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("coinsentry.toml").path
        try DaemonCheckTests.configuration(interface: interface)
            .replacingOccurrences(of: "DIR", with: directory.path)
            .replacingOccurrences(of: "10.0.0.0/8", with: localNetworks)
            .write(toFile: config, atomically: true, encoding: .utf8)
        var logger = Logger(label: "in-process-sensor")
        logger.logLevel = .critical
        let daemon = try SensorDaemon(setup: try SensorSetup(configurationPath: config), logger: logger,
                                      shutdownSignals: [])
        let group = ServiceGroup(services: [daemon], logger: logger)
        async let running: Void = group.run()
        do {
            try await body(directory, directory.appendingPathComponent("control.sock").path)
        } catch {
            await group.triggerGracefulShutdown()
            try? await running
            throw error
        }
        await group.triggerGracefulShutdown()
        try await running
    }
}
