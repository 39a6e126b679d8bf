import Control
import Foundation
import Testing

/// The typed protocol: requests and replies on the wire, and the router's answers to what does not fit.
@Suite(.timeLimit(.minutes(1))) struct ControlRouterTests {
    static let peer = PeerCredentials(pid: 1, uid: 0, gid: 0)

    static func respond(_ router: ControlRouter<SensorCommand>, _ line: String) async -> JSONValue {
        await router.respond(to: Data(line.utf8), peer: peer)
    }

    @Test func aTypedRequestIsOneObjectWithItsCommand() throws {
        let request = try ControlClient.encode(SensorRequest.Hosts(top: 5, level: "mining"))
        #expect(request == ["cmd": "hosts", "top": 5, "level": "mining"])
        let alerts = try ControlClient.encode(SensorRequest.Alerts(since: .text("2026-12-01T00:00:00Z")))
        #expect(alerts == ["cmd": "alerts", "since": "2026-12-01T00:00:00Z"])
        #expect(try ControlClient.encode(ChainRequest.Watch(address: "x")) == ["cmd": "watch", "address": "x"])
    }

    @Test func theRouterDecodesTheRequestAndEncodesTheReply() async throws {
        var router = ControlRouter<SensorCommand>()
        router.on(SensorRequest.Hosts.self) { request, peer in
            #expect(peer == Self.peer)
            return HostList(hosts: Array(repeating: HostSummary(
                host: "10.0.0.5", verdict: "mining", level: request.level, rule: "stratum", vote: "undecided",
                score: 0.25, windows: 3, trafficClass: nil, classTrace: nil, classIsMining: nil, classShare: nil,
                bytesReceived: 10, bytesSent: 20, benign: nil, suppressedAlerts: 0), count: request.top ?? 1))
        }
        let reply = await Self.respond(router, #"{"cmd": "hosts", "top": 2, "level": "mining"}"#)
        #expect(reply["ok"]?.bool == true)
        #expect(reply["hosts"]?.array?.count == 2)
        #expect(reply["hosts"]?.array?.first?["bytes_received"]?.number == 10)
        #expect(reply["hosts"]?.array?.first?["level"]?.string == "mining")
        // And back into the typed reply, as a client reads it.
        let typed = try reply.decoded(as: HostList.self)
        #expect(typed.hosts.first?.rule == "stratum")
    }

    @Test func whatDoesNotFitIsAnsweredWithAnErrorThatSaysWhat() async {
        var router = ControlRouter<SensorCommand>()
        router.on(SensorRequest.Host.self) { request, _ in
            throw ControlFailure("host \(request.host) is not tracked")
        }
        router.on(SensorRequest.Hosts.self) { _, _ in HostList(hosts: []) }
        let unknown = await Self.respond(router, #"{"cmd": "frobnicate"}"#)
        #expect(unknown["ok"]?.bool == false)
        #expect(unknown["error"]?.string?.contains("unknown command 'frobnicate'") == true)
        #expect(unknown["error"]?.string?.contains("benign-list") == true, "the commands are listed")
        let missing = await Self.respond(router, #"{"host": "10.0.0.5"}"#)
        #expect(missing["error"]?.string?.contains("missing \"cmd\"") == true)
        let noHost = await Self.respond(router, #"{"cmd": "host"}"#)
        #expect(noHost["error"]?.string == "bad 'host' request: \"host\" is missing")
        let wrongType = await Self.respond(router, #"{"cmd": "hosts", "top": "ten"}"#)
        #expect(wrongType["error"]?.string == "bad 'hosts' request: \"top\" must be a number")
        let refused = await Self.respond(router, #"{"cmd": "host", "host": "10.9.9.9"}"#)
        #expect(refused == ["ok": false, "error": "host 10.9.9.9 is not tracked"])
        let notObject = await Self.respond(router, "[1]")
        #expect(notObject["error"]?.string?.contains("not a JSON object") == true)
        // A registered command without a handler is reported, so a daemon's test can insist on none.
        #expect(router.unrouted.contains(.status))
        #expect(!router.unrouted.contains(.hosts))
    }

    @Test func aRefusalReachesTheTypedClientAsRefused() async throws {
        let path = ControlSocketTests.socketPath()
        var router = ControlRouter<ChainCommand>()
        router.on(ChainRequest.Unwatch.self) { request, _ in throw ControlFailure("\(request.address) is not watched") }
        router.on(ChainRequest.Watch.self) { request, _ in WatchChange(address: request.address, watched: 1) }
        let server = try ControlServer(path: path, router: router)
        try await ControlSocketTests.serving(server) {
            let watched = try await ControlClient.send(ChainRequest.Watch(address: "bc1q"), socket: path)
            #expect(watched == WatchChange(address: "bc1q", watched: 1))
            await #expect { try await ControlClient.send(ChainRequest.Unwatch(address: "bc1q"), socket: path) }
                throws: { ($0 as? ControlError) == ControlError(.refused, "bc1q is not watched") }
        }
    }
}
