import Control
import Dispatch
import Foundation

extension ChainSidecar {
    /// The sidecar's control socket: the same JSON-lines protocol and server as the sensor's (module `Control`).
    /// Each request runs on the sidecar actor while the connection's own thread waits for the reply.
    /// - Throws: `ControlError` when the socket cannot be bound.
    public nonisolated func controlServer(path: String, group: String? = nil) throws -> ControlServer {
        try ControlServer(path: path, group: group) { [self] request, _ in
            let reply = ReplyBox()
            let done = DispatchSemaphore(value: 0)
            Task {
                reply.set(await self.handle(requestLine: Data(request.line.utf8)))
                done.signal()
            }
            done.wait()
            return (try? JSONValue.parse(reply.value)) ?? ControlProtocol.failure("the reply could not be encoded")
        }
    }
}

/// Carries one reply from the actor back to the waiting connection thread; the semaphore orders the accesses.
private final class ReplyBox: @unchecked Sendable {
    private(set) var value = Data()
    func set(_ data: Data) { value = data }
}
