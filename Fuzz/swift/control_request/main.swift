// Control-socket input as the sensor's and the chain sidecar's servers take it: bytes split into lines by the
// server's line decoder (a short maximum, so over-long lines are exercised too), each line parsed as JSON and routed
// to its typed request through both daemons' routers.
@testable import Control
import Dispatch
import FuzzSupport
import Glibc
import NIOCore
import NIOEmbedded

/// Routers with every command routed to a handler that refuses it: decoding the typed request is what is fuzzed.
enum Routers {
    static let sensor: ControlRouter<SensorCommand> = {
        var router = ControlRouter<SensorCommand>()
        typealias S = SensorRequest
        router.on(S.Status.self, refuse)
        router.on(S.Hosts.self, refuse)
        router.on(S.Host.self, refuse)
        router.on(S.Alerts.self, refuse)
        router.on(S.AlertGroups.self, refuse)
        router.on(S.Stats.self, refuse)
        router.on(S.Model.self, refuse)
        router.on(S.Reload.self, refuse)
        router.on(S.Pause.self, refuse)
        router.on(S.Resume.self, refuse)
        router.on(S.Acknowledge.self, refuse)
        router.on(S.Close.self, refuse)
        router.on(S.Benign.self, refuse)
        router.on(S.Unbenign.self, refuse)
        router.on(S.BenignList.self, refuse)
        router.on(S.Block.self, refuse)
        router.on(S.Unblock.self, refuse)
        router.on(S.Allow.self, refuse)
        router.on(S.Disallow.self, refuse)
        router.on(S.Allowlist.self, refuse)
        router.on(S.Label.self, refuse)
        router.on(S.Unlabel.self, refuse)
        router.on(S.Labels.self, refuse)
        precondition(router.unrouted.isEmpty, "a sensor command is not fuzzed")
        return router
    }()

    static let chain: ControlRouter<ChainCommand> = {
        var router = ControlRouter<ChainCommand>()
        router.on(ChainRequest.Status.self, refuse)
        router.on(ChainRequest.Address.self, refuse)
        router.on(ChainRequest.Patterns.self, refuse)
        router.on(ChainRequest.Watch.self, refuse)
        router.on(ChainRequest.Unwatch.self, refuse)
        router.on(ChainRequest.Watchlist.self, refuse)
        router.on(ChainRequest.TestbedScenarios.self, refuse)
        router.on(ChainRequest.TestbedStart.self, refuse)
        router.on(ChainRequest.TestbedRuns.self, refuse)
        router.on(ChainRequest.TestbedRun.self, refuse)
        router.on(ChainRequest.TestbedLabels.self, refuse)
        router.on(ChainRequest.TestbedTrain.self, refuse)
        router.on(ChainRequest.TestbedDelete.self, refuse)
        precondition(router.unrouted.isEmpty, "a chain command is not fuzzed")
        return router
    }()
}

@Sendable func refuse<Request: ControlRequest>(_ request: Request, _ peer: PeerCredentials) throws -> Request.Reply {
    throw ControlFailure("refused")
}

/// The replies of both routers to every line. The routers' handlers never suspend, so an immediate task runs the whole
/// loop on the calling thread and is over, with everything it allocated freed, when it returns: a task on the
/// concurrency runtime's threads (what this target did first) cost a thread hop per line, and freed its memory after
/// the input was done, which made libFuzzer take nearly every input for a possible leak (a second run of it and a
/// full LeakSanitizer scan each time): a third of the target's time.
func replies(_ lines: [[UInt8]], peer: PeerCredentials) -> [JSONValue] {
    final class Box: @unchecked Sendable {  // written by the task before the semaphore is signalled, read after
        var value: [JSONValue] = []
    }
    let box = Box()
    let done = DispatchSemaphore(value: 0)
    Task.immediate {
        var answers = [JSONValue]()
        answers.reserveCapacity(lines.count * 2)
        for line in lines {
            answers.append(await Routers.sensor.respond(to: line, peer: peer))
            answers.append(await Routers.chain.respond(to: line, peer: peer))
        }
        box.value = answers
        done.signal()
    }
    done.wait()  // at once, unless a handler suspended after all
    return box.value
}

let maximumLine = 256

func testOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let channel = EmbeddedChannel(handler: ByteToMessageHandler(ControlLineDecoder(maximum: maximumLine)))
    var lines = [[UInt8]]()
    do {
        try channel.writeInbound(channel.allocator.buffer(bytes: UnsafeBufferPointer(start: data, count: size)))
        _ = try channel.finish()
    } catch {
        preconditionFailure("the line decoder threw \(error)")
    }
    while let frame = try? channel.readInbound(as: ControlFrame.self) {
        if case .line(let buffer) = frame { lines.append(Array(buffer.readableBytesView)) }
    }
    for line in lines {
        precondition(line.count <= maximumLine && !line.contains(UInt8(ascii: "\n")), "a frame is not one line")
        if let value = try? JSONValue.parse(line) {
            precondition((try? JSONValue.parse(Array(value.line.utf8))) == value, "JSON value round trip")
        }
    }
    guard !lines.isEmpty else { return 0 }
    let answers = replies(lines, peer: PeerCredentials(pid: 1, uid: 0, gid: 0))
    precondition(answers.count == lines.count * 2, "a line without its replies")
    for answer in answers {
        precondition(answer["ok"]?.bool != nil, "a reply without \"ok\"")
    }
    return 0
}

exit(fuzz_support_run(CommandLine.argc, CommandLine.unsafeArgv, testOne))
