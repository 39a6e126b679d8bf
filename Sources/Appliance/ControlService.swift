import Control
import ServiceLifecycle

/// Serves the sensor's control socket for as long as the daemon runs.
public struct ControlService: Service {
    private let server: ControlServer

    /// Binds the socket now, so that a bad path or group stops start-up before capture begins.
    /// - Throws: `ControlError`.
    public init(configuration: SensorConfiguration, commands: ControlCommands) throws {
        server = try ControlServer(path: configuration.control.socket, group: configuration.control.group,
                                   router: commands.router)
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown { try await server.run() }
    }
}
