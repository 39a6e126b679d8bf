import Control
import Hummingbird

/// `/api/v1/chain/...`: the chain sidecar (`coinsentry-chaind`) through its control socket.
struct ChainRoutes {
    let chain: DaemonLink

    struct Watch: Decodable {
        var address: String
    }

    func add(to router: Router<WebContext>) {
        let api = router.group("api/v1/chain")
        api.get("status") { _, _ in Reply(try await chain.send(ChainRequest.Status())) }
        api.get("addresses/:address") { _, context in
            Reply(try await chain.send(ChainRequest.Address(address: try context.pathParameter("address"))))
        }
        api.get("patterns") { _, _ in Reply(try await chain.send(ChainRequest.Patterns())) }
        api.get("watchlist") { _, _ in Reply(try await chain.send(ChainRequest.Watchlist())) }
        api.post("watchlist") { request, context in
            let watch = try await request.decode(as: Watch.self, context: context)
            return Reply(try await chain.send(ChainRequest.Watch(address: watch.address)), status: .created)
        }
        api.delete("watchlist/:address") { _, context in
            Reply(try await chain.send(ChainRequest.Unwatch(address: try context.pathParameter("address"))))
        }
    }
}
