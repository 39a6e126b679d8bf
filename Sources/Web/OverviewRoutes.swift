import Control
import Hummingbird

/// `/api/v1/overview`: both daemons at a glance, each either its status or why it cannot be read, so a page can say
/// that a daemon is not running instead of failing.
struct OverviewRoutes {
    let sensor: DaemonLink
    let chain: DaemonLink

    struct Side<Status: Codable & Sendable>: Codable, Sendable {
        var running: Bool
        var status: Status?
        var error: String?
    }

    struct Overview: Codable, Sendable {
        var sensor: Side<SensorStatus>
        var chain: Side<ChainStatus>
    }

    func add(to router: Router<WebContext>) {
        router.get("api/v1/overview") { _, _ in
            async let sensorStatus = Self.side { () async throws(APIError) in
                try await sensor.send(SensorRequest.Status())
            }
            async let chainStatus = Self.side { () async throws(APIError) in
                try await chain.send(ChainRequest.Status())
            }
            return Reply(Overview(sensor: await sensorStatus, chain: await chainStatus))
        }
    }

    private static func side<Status>(_ read: () async throws(APIError) -> Status) async -> Side<Status> {
        do {
            return Side(running: true, status: try await read())
        } catch {
            return Side(running: error.running ?? true, error: error.message)
        }
    }
}
