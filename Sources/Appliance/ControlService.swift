import Control
import Logging
import ServiceLifecycle

/// Serves the control socket for as long as the daemon runs.
public struct ControlService: Service {
    private let server: ControlServer

    /// Binds the socket now, so that a bad path or group stops start-up before capture begins.
    /// - Throws: `ControlError`.
    public init(configuration: SensorConfiguration, commands: ControlCommands) throws {
        server = try ControlServer(path: configuration.controlSocket, group: configuration.controlGroup) { request, peer in
            commands.handle(request, peer: peer)
        }
    }

    public func run() async throws {
        server.start()
        try? await gracefulShutdown()
        server.stop()
    }
}
