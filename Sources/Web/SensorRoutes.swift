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
        api.get("hosts/:host") { request, context in
            let query = try HostDetailQuery(host: try context.pathParameter("host"), parameters: request.queryDictionary)
            return Reply(try await sensor.send(query.request))
        }
        api.get("alerts") { request, _ -> Response in
            let query = try AlertQuery(parameters: request.queryDictionary)
            if query.grouped { return try JSONResponse.make(try await sensor.send(query.groupsRequest)) }
            return try JSONResponse.make(AlertList(alerts: try await sensor.send(query.request).alerts.reversed()))
        }
        api.post("alerts/:id/ack") { _, context in
            Reply(try await sensor.send(SensorRequest.Acknowledge(id: try Self.alertID(context))))
        }
        api.post("alerts/:id/close") { _, context in
            Reply(try await sensor.send(SensorRequest.Close(id: try Self.alertID(context))))
        }
        api.post("pause") { _, _ in Reply(try await sensor.send(SensorRequest.Pause())) }
        api.post("resume") { _, _ in Reply(try await sensor.send(SensorRequest.Resume())) }
    }
}

extension SensorRoutes {
    /// The alert id of the path: 1 to 2^53 - 1, the integers JSON (and so the control protocol) carries exactly.
    static func alertID(_ context: WebContext) throws -> Int64 {
        let text = try context.pathParameter("id")
        guard let id = Int64(text), (1...(1 << 53) - 1).contains(id) else {
            throw APIError(.badRequest, "the alert id is a whole number from 1 to 9007199254740991, not '\(text)'")
        }
        return id
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
