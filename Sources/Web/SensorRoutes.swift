import Control
import Hummingbird

/// `/api/v1/sensor/...`: the sensor (`coinsentryd`) through its control socket, in the control protocol's own types.
struct SensorRoutes {
    let sensor: DaemonLink

    func add(to router: Router<WebContext>) {
        let api = router.group("api/v1/sensor")
        api.get("status") { _, _ in Reply(try await sensor.send(SensorRequest.Status())) }
        api.get("stats") { _, _ in Reply(try await sensor.send(SensorRequest.Stats())) }
        api.get("model") { _, _ in Reply(try await sensor.send(SensorRequest.Model())) }
        api.get("hosts") { request, _ in
            let query = try HostQuery(parameters: request.queryDictionary)
            return Reply(query.page(try await sensor.send(query.request)))
        }
        api.get("hosts/:host") { _, context in
            Reply(try await sensor.send(SensorRequest.Host(host: try context.parameters.require("host"))))
        }
        api.get("alerts") { request, _ -> Response in
            let query = try AlertQuery(parameters: request.queryDictionary)
            let selected = query.select(try await sensor.send(query.request).alerts)
            if query.grouped { return try JSONResponse.make(["groups": AlertQuery.groups(selected)]) }
            return try JSONResponse.make(AlertList(alerts: Array(selected.prefix(query.limit))))
        }
        api.post("alerts/:id/ack") { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            return Reply(try await sensor.send(SensorRequest.Acknowledge(id: id)))
        }
        api.post("alerts/:id/close") { _, context in
            let id = try context.parameters.require("id", as: Int64.self)
            return Reply(try await sensor.send(SensorRequest.Close(id: id)))
        }
        api.post("pause") { _, _ in Reply(try await sensor.send(SensorRequest.Pause())) }
        api.post("resume") { _, _ in Reply(try await sensor.send(SensorRequest.Resume())) }
    }
}

extension Request {
    /// The query string's parameters (the last of each name wins).
    var queryDictionary: [String: String] {
        var parameters: [String: String] = [:]
        for (name, value) in uri.queryParameters { parameters[String(name)] = String(value) }
        return parameters
    }
}
