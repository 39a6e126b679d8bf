import Control
import ServiceLifecycle

/// Runs the sidecar's cycles on the configured period (re-read after each cycle, so a reload applies) until graceful
/// shutdown; then the batch being stored is finished, queued alerts are handed to their sinks and the store closed.
public struct ChainCycleService: Service {
    private let sidecar: ChainSidecar

    public init(sidecar: ChainSidecar) {
        self.sidecar = sidecar
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            while !Task.isShuttingDownGracefully, !Task.isCancelled {
                await sidecar.runCycle()
                let interval = await sidecar.intervalSeconds
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(interval)) }
            }
        } onGracefulShutdown: {
            sidecar.requestStop()
        }
        await sidecar.close()
    }
}

/// Serves the sidecar's control socket for as long as the daemon runs.
public struct ChainControlService: Service {
    private let server: ControlServer

    /// Binds the socket now, so that a bad path stops start-up before the first cycle.
    /// - Throws: `ControlError`.
    public init(sidecar: ChainSidecar, path: String) throws {
        server = try sidecar.controlServer(path: path)
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown { try await server.run() }
    }
}
