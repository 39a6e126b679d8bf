import Control
import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The control socket against clients that misbehave: a thousand malformed, oversized and truncated requests, slow
/// clients that send a byte at a time, clients that connect and say nothing, and two hundred clients at once. Each
/// gets an error reply or is closed, and a well-behaved client is answered throughout.
@Suite(.timeLimit(.minutes(2))) struct HostileClientTests {
    /// Runs blocking socket work on a thread of its own, off the cooperative pool the server's tasks need.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }

    /// A server behind the real router, with one command (`hosts`, answered with no hosts).
    static func server(_ path: String, requestDeadline: Duration = ControlServer.defaultRequestDeadline) throws
        -> ControlServer {
        var router = ControlRouter<SensorCommand>()
        router.on(SensorRequest.Hosts.self) { _, _ in HostList(hosts: []) }
        return try ControlServer(path: path, requestDeadline: requestDeadline, router: router)
    }

    static func isError(_ line: String) -> Bool {
        (try? JSONValue.parse(Data(line.utf8)))?["ok"]?.bool == false
    }

    static func legitimateRequestIsAnswered(_ path: String) async -> Bool {
        let reply = try? await ControlClient.request(["cmd": "hosts"], socket: path, timeout: .seconds(20))
        return reply?["ok"]?.bool == true
    }

    @Test func aThousandMalformedOversizedAndTruncatedRequestsAreRefusedAndTheServerStaysUp() async throws {
        let path = ControlSocketTests.socketPath()
        let server = try Self.server(path)
        try await ControlSocketTests.serving(server) {
            // 600 lines that are not JSON objects, on one connection: one error reply each, in order.
            let junk: [[UInt8]] = (0..<600).map { index in
                switch index % 4 {
                case 0: Array("{\"cmd\": \"status\"".utf8)                // cut JSON
                case 1: Array("[1, 2, 3]".utf8)                           // JSON, not an object
                case 2: (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ index) | 0x80 }  // binary
                default: Array("\u{0}\u{1}cmd\u{7f}".utf8)
                }
            }
            let replies = await Self.onThread {
                let client = RawClient(path)
                client.write(junk.flatMap { $0.filter { $0 != UInt8(ascii: "\n") } + [UInt8(ascii: "\n")] })
                return client.readLines(upTo: 600)
            }
            #expect(replies.count == 600)
            let accepted = replies.first { !Self.isError($0) }
            #expect(replies.allSatisfy(Self.isError), "\(String(accepted?.prefix(300) ?? ""))")

            // 300 connections that close in the middle of a request, and 100 that send more than a request may hold.
            let truncatedAnswered = await Self.onThread {
                (0..<300).map { index -> Int in
                    let client = RawClient(path)
                    client.write(Array("{\"cmd\": \"hosts\", \"limit\": \(index)".utf8))
                    client.finishWriting()
                    return client.readLines().count
                }
            }
            #expect(truncatedAnswered.allSatisfy { $0 == 0 }, "an unterminated request is not one")
            let oversized = await Self.onThread {
                (0..<100).map { _ -> [String] in
                    let client = RawClient(path)
                    client.write([UInt8](repeating: UInt8(ascii: "x"), count: ControlProtocol.maximumRequestBytes + 2))
                    return client.readLines()
                }
            }
            #expect(oversized.allSatisfy { $0.count == 1 && $0[0].contains("longer than") })
            #expect(await Self.legitimateRequestIsAnswered(path))
        }
    }

    @Test func slowAndSilentClientsAreCutOffWhileOthersAreAnswered() async throws {
        let path = ControlSocketTests.socketPath()
        let server = try Self.server(path, requestDeadline: .milliseconds(500))
        try await ControlSocketTests.serving(server) {
            // Twenty clients send a request a byte every 100 ms (it would take 3 s); ten connect and say nothing.
            let request = Array("{\"cmd\": \"status\", \"padding\": \"x\"}\n".utf8)
            let slow = Task {
                await withTaskGroup(of: (cutOff: Bool, reply: [String]).self) { group in
                    for _ in 0..<20 {
                        group.addTask {
                            await Self.onThread {
                                let client = RawClient(path)
                                for byte in request {
                                    guard client.write([byte]) else { break }
                                    usleep(100_000)
                                }
                                let reply = client.readLines()
                                return (reply.count == 1 && reply[0].contains("no complete request"), reply)
                            }
                        }
                    }
                    for _ in 0..<10 {
                        group.addTask {
                            await Self.onThread {
                                let reply = RawClient(path).readLines()
                                return (reply.count == 1 && reply[0].contains("no complete request"), reply)
                            }
                        }
                    }
                    return await group.reduce(into: []) { $0.append($1) }
                }
            }
            var answered = 0
            while answered < 20 {
                #expect(await Self.legitimateRequestIsAnswered(path))
                answered += 1
                try await Task.sleep(for: .milliseconds(100))
            }
            let results = await slow.value
            #expect(results.count == 30)
            let kept = results.filter { !$0.cutOff }.map(\.reply)
            #expect(results.allSatisfy { $0.cutOff }, "\(String("\(kept)".prefix(300)))")
        }
    }

    @Test func twoHundredClientsAtOnceAreAllAnswered() async throws {
        let path = ControlSocketTests.socketPath()
        let server = try Self.server(path)
        let answered = try await ControlSocketTests.serving(server) {
            await withTaskGroup(of: String?.self) { group in
                for _ in 0..<200 {
                    group.addTask {
                        do {
                            let reply = try await ControlClient.request(["cmd": "hosts"], socket: path)
                            return reply["ok"]?.bool == true ? nil : reply.line
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { if let problem = $1 { $0.append(problem) } }
            }
        }
        #expect(answered.isEmpty, "\(answered.count) of 200 not answered: \(Set(answered))")
    }
}
