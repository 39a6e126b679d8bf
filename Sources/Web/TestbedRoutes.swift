import Control
import Foundation
import Hummingbird

/// `/api/v1/testbed/...`: the chain sidecar's testbed runs (Kriptosare.gen's Tx Board) through its control socket.
/// The sidecar makes the chains and trains the models; the console only relays. Starting a run and training change
/// state, so they need the token (``AccessMiddleware``).
struct TestbedRoutes {
    let chain: DaemonLink

    /// A start request's body: the scenario's name, and optionally a seed and a block count.
    struct Start: Decodable {
        var scenario: String
        var seed: UInt64?
        var blocks: Int?
    }

    func add(to router: Router<WebContext>) {
        let api = router.group("api/v1/testbed")
        api.get("scenarios") { _, _ in Reply(try await chain.send(ChainRequest.TestbedScenarios())) }
        api.get("runs") { _, _ in Reply(try await chain.send(ChainRequest.TestbedRuns())) }
        api.post("runs") { request, context in
            let start = try await request.decode(as: Start.self, context: context)
            let run = try await chain.send(ChainRequest.TestbedStart(scenario: start.scenario, seed: start.seed,
                                                                     blocks: start.blocks))
            return Reply(run, status: .accepted)
        }
        api.get("runs/:id") { _, context in
            Reply(try await chain.send(ChainRequest.TestbedRun(id: try Self.runID(context))))
        }
        api.get("runs/:id/labels") { _, context -> Response in
            Self.csv(try await chain.send(ChainRequest.TestbedLabels(id: try Self.runID(context))))
        }
        api.delete("runs/:id") { _, context in
            Reply(try await chain.send(ChainRequest.TestbedDelete(id: try Self.runID(context))))
        }
        api.post("runs/:id/train") { _, context in
            Reply(try await chain.send(ChainRequest.TestbedTrain(id: try Self.runID(context))), status: .accepted)
        }
    }

    /// The path's run id.
    /// - Throws: `APIError` (400) for text that is not a run id.
    static func runID(_ context: WebContext) throws -> String {
        let id = try context.pathParameter("id")
        guard TestbedRunID.number(of: id) != nil else {
            throw APIError(.badRequest, "id is a testbed run's id, run-N as the run list gives it, not '\(id)'")
        }
        return id
    }

    /// The labels file as a download named after the run.
    static func csv(_ labels: TestbedLabelsFile) -> Response {
        // Run ids are the sidecar's own (`run-N`); anything else is kept out of the header all the same.
        let name = labels.id.filter { $0.isLetter || $0.isNumber || $0 == "-" }
        return Response(status: .ok,
                        headers: [.contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                                  .contentDisposition: "attachment; filename=\"\(name)-labels.csv\""],
                        body: .init(byteBuffer: ByteBuffer(string: labels.text)))
    }
}
