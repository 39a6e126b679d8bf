import Foundation
import Testing
import TestSupport
import Web

/// coinsentry-web's HTTP port against clients that misbehave: malformed, oversized and truncated requests, a client
/// that sends a byte a second, two hundred connections at once, and page sizes out of range. Each is answered with
/// an error or closed within a bounded time, and a well-behaved request is answered throughout.
@Suite(.serialized, .timeLimit(.minutes(2))) struct WebHostileClientTests {
    /// The request timeout the console runs with here (``WebConsole/requestTimeout`` is 30 s in service).
    static let timeout = 2.0

    /// A well-behaved request, answered.
    static func expectAnswered(_ console: WebConsoleTests.Console, _ when: String) async throws {
        let status = try await WebConsoleTests.fetch(console, "/api/v1/sensor/status")
        #expect(status.status == 200 && status.json?["mining_hosts"]?.number == 1, "answered \(when)")
    }

    /// Sends `bytes` on a new connection (then half-closes it when `finish`), and returns what came back before the
    /// server closed it and how long that took; nil bytes when it was still open after `patience` seconds.
    static func exchange(_ port: Int, _ bytes: [UInt8], finish: Bool = false, patience: Int = 10) async throws
        -> (reply: String?, seconds: Double) {
        try await WebConsoleTests.offThePool {
            let client = RawClient(tcpPort: UInt16(port), patience: patience)
            let started = Date()
            client.write(bytes)
            if finish { client.finishWriting() }
            let reply = client.readToClose().map { String(decoding: $0, as: UTF8.self) }
            return (reply, Date().timeIntervalSince(started))
        }
    }

    @Test(.enabled(if: WebConsoleTests.unavailable == nil, Comment(rawValue: WebConsoleTests.unavailable ?? "")))
    func malformedOversizedAndTruncatedRequestsAreRefusedOrClosed() async throws {
        try await WebConsoleTests.withConsole(requestTimeout: .seconds(Self.timeout)) { console in
            let malformed = try await Self.exchange(console.port, Array("NOT HTTP AT ALL\r\n\r\n".utf8))
            // (A nil reply is a connection still open after `exchange`'s patience: a hang, not a slow answer.)
            #expect(malformed.reply.map { $0.isEmpty || $0.hasPrefix("HTTP/1.1 400") } == true, "\(malformed)")

            let big = String(repeating: "a", count: 200_000)
            let header = "GET /api/v1/sensor/status HTTP/1.1\r\nHost: x\r\nX-Big: \(big)"
            let oversized = try await Self.exchange(console.port, Array("\(header)\r\n\r\n".utf8))
            #expect(oversized.reply.map { $0.isEmpty || $0.hasPrefix("HTTP/1.1 4") } == true, "\(oversized)")

            let truncated = try await Self.exchange(
                console.port, Array("GET /api/v1/sensor/status HTTP/1.1\r\nHost: x\r\n".utf8), finish: true)
            #expect(truncated.reply != nil, "a request cut short is closed")

            let longQuery = "/api/v1/sensor/hosts?level=\(String(repeating: "x", count: 100_000))"
            let query = try await Self.exchange(console.port,
                                                Array("GET \(longQuery) HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
            #expect(query.reply.map { $0.isEmpty || $0.hasPrefix("HTTP/1.1 4") } == true)
            try await Self.expectAnswered(console, "after the malformed requests")
        }
    }

    @Test(.enabled(if: WebConsoleTests.unavailable == nil, Comment(rawValue: WebConsoleTests.unavailable ?? "")))
    func aByteASecondAndTwoHundredSilentClientsAreClosedWhileOthersAreAnswered() async throws {
        try await WebConsoleTests.withConsole(requestTimeout: .seconds(Self.timeout)) { console in
            let port = console.port
            // A valid request, one byte a second: closed at the timeout, long before it is complete.
            let slowRequest = Array("GET /api/v1/sensor/status HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
            async let slow = WebConsoleTests.offThePool {
                let client = RawClient(tcpPort: UInt16(port))
                var sent = 0
                for byte in slowRequest {
                    if client.peerHasClosed { break }
                    client.write([byte])
                    sent += 1
                    Thread.sleep(forTimeInterval: 1)
                }
                return (closed: client.peerHasClosed, sent: sent)
            }
            // Two hundred connections that say nothing, all open at once.
            async let silentStillOpen = WebConsoleTests.offThePool {
                let silent = (0..<200).map { _ in RawClient(tcpPort: UInt16(port)) }
                precondition(silent.allSatisfy(\.connected))
                Thread.sleep(forTimeInterval: Self.timeout + 1)
                return silent.filter { !$0.peerHasClosed }.count
            }
            try await Task.sleep(for: .milliseconds(500))
            try await Self.expectAnswered(console, "while 200 silent clients hold connections")
            let stillOpen = try await silentStillOpen
            #expect(stillOpen == 0, "every silent connection is closed after the timeout")
            let slowResult = try await slow
            #expect(slowResult.closed, "the slow client is closed")
            #expect(slowResult.sent < slowRequest.count,
                    "closed after \(slowResult.sent) of the request's \(slowRequest.count) bytes, before it was complete")

            // Two hundred well-behaved clients at once, each answered.
            let answers = try await WebConsoleTests.offThePool {
                let clients = (0..<200).map { _ in RawClient(tcpPort: UInt16(port)) }
                let request = "GET /api/v1/sensor/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                for client in clients { client.write(Array(request.utf8)) }
                return clients.map { $0.readToClose().map { String(decoding: $0, as: UTF8.self) } ?? "" }
            }
            #expect(answers.filter { $0.hasPrefix("HTTP/1.1 200") }.count == 200,
                    "\(Set(answers.map { $0.prefix(12) }))")
            try await Self.expectAnswered(console, "after the 200 clients")
        }
    }

    @Test(.enabled(if: WebConsoleTests.unavailable == nil, Comment(rawValue: WebConsoleTests.unavailable ?? "")))
    func pageSizesOutOfRangeAreRefusedAndHugeOffsetsGiveEmptyPages() async throws {
        try await WebConsoleTests.withConsole(requestTimeout: .seconds(Self.timeout)) { console in
            for path in ["/api/v1/sensor/hosts?limit=1000000000", "/api/v1/sensor/hosts?limit=99999999999999999999999",
                         "/api/v1/sensor/hosts?limit=-1", "/api/v1/sensor/alerts?limit=1000000000",
                         "/api/v1/sensor/hosts?offset=-5", "/api/v1/sensor/hosts?offset=9223372036854775807"] {
                let refused = try await WebConsoleTests.fetch(console, path)
                let detail = refused.json?["detail"]?.string ?? ""
                #expect(refused.status == 400 && detail.contains(" is a whole number"), "\(path): \(refused.body)")
            }
            let far = try await WebConsoleTests.fetch(console, "/api/v1/sensor/hosts?offset=1000000000&limit=500")
            #expect(far.status == 200 && far.json?["hosts"]?.array?.isEmpty == true, "\(far.body)")
            try await Self.expectAnswered(console, "after the page requests")
        }
    }
}
