import Control

extension TestbedRuns {
    /// Answers the testbed's control requests; refusals go out as the control protocol's failures (`not_found` for
    /// an unknown run).
    func addRoutes(to router: inout ControlRouter<ChainCommand>) {
        router.on(ChainRequest.TestbedScenarios.self) { _, _ in self.scenarioList() }
        router.on(ChainRequest.TestbedRuns.self) { _, _ in self.list() }
        router.on(ChainRequest.TestbedStart.self) { request, _ in try Self.answer { try self.start(request) } }
        router.on(ChainRequest.TestbedRun.self) { request, _ in try Self.answer { try self.run(request.id) } }
        router.on(ChainRequest.TestbedLabels.self) { request, _ in try Self.answer { try self.labels(request.id) } }
        router.on(ChainRequest.TestbedTrain.self) { request, _ in try Self.answer { try self.train(request.id) } }
        router.on(ChainRequest.TestbedDelete.self) { request, _ in try Self.answer { try self.delete(request.id) } }
    }

    /// The reply, or the refusal as the control protocol's failure.
    private static func answer<Reply>(_ body: () throws -> Reply) throws -> Reply {
        do {
            return try body()
        } catch let refusal as TestbedRefusal {
            throw refusal.controlFailure
        }
    }
}
