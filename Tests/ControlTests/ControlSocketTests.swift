import Control
import Foundation
import Testing
import TestSupport

/// The server and client over a real UNIX socket: framing, limits, credentials and failures.
@Suite(.timeLimit(.minutes(1))) struct ControlSocketTests {
    static func socketPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("cs-\(UUID().uuidString.prefix(8)).sock").path
    }

    @discardableResult
    /// Serves `server` for the duration of `body`, then cancels it and checks the socket file is gone.
    static func serving<T>(_ server: ControlServer, _ body: () async throws -> T) async throws -> T {
        let task = Task { try await server.run() }
        defer { task.cancel() }
        // Until `run()` listens, a connection is refused: wait for the first answer (any answer).
        for _ in 0..<100 {
            do {
                _ = try await ControlClient.request(["cmd": "status"], socket: server.path)
                break
            } catch {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let result = try await body()
        task.cancel()
        _ = await task.result
        #expect(!FileManager.default.fileExists(atPath: server.path), "the socket file is removed at the end")
        return result
    }

    static func echoServer(_ path: String) throws -> ControlServer {
        try ControlServer(path: path) { line, peer in
            let request = (try? JSONValue.parse(line)) ?? .null
            return ControlProtocol.ok(["echo": request, "uid": .number(Double(peer.uid)),
                                       "pid": .number(Double(peer.pid))])
        }
    }

    @Test func replyCarriesThePeersCredentials() async throws {
        let path = Self.socketPath()
        let server = try Self.echoServer(path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o660, "the mode is set before anyone can connect")
        let reply = try await Self.serving(server) { try await ControlClient.request(["cmd": "status"], socket: path) }
        #expect(reply["ok"]?.bool == true)
        #expect(reply["echo"]?["cmd"]?.string == "status")
        #expect(reply["uid"]?.number == Double(getuid()))
        #expect(reply["pid"]?.number == Double(getpid()))
    }

    /// Sends raw bytes on a fresh connection and returns the first reply line.
    static func raw(_ bytes: [UInt8], to path: String) throws -> String {
        let client = RawClient(path, patience: 10)
        try #require(client.connected)
        client.write(bytes)
        return client.readLines(upTo: 1).first ?? ""
    }

    /// `raw` on a thread of its own: it blocks on the socket, and the cooperative pool must stay free to serve it.
    static func rawReply(_ bytes: [UInt8], to path: String) async throws -> JSONValue {
        let line = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String, any Error>) in
            Thread { continuation.resume(with: Result { try raw(bytes, to: path) }) }.start()
        }
        return try JSONValue.parse(Data(line.utf8))
    }

    @Test func badJSONGetsAnErrorAndTheServerStaysUp() async throws {
        let path = Self.socketPath()
        var router = ControlRouter<SensorCommand>()
        router.on(SensorRequest.Pause.self) { _, _ in PauseState(paused: true) }
        let server = try ControlServer(path: path, router: router)
        try await Self.serving(server) {
            let reply = try await Self.rawReply(Array("{not json\n".utf8), to: path)
            #expect(reply["ok"]?.bool == false)
            #expect(reply["error"]?.string?.contains("JSON") == true)
            let array = try await Self.rawReply(Array("[1,2]\n".utf8), to: path)
            #expect(array["ok"]?.bool == false)
            let paused = try await ControlClient.send(SensorRequest.Pause(), socket: path)
            #expect(paused.paused)
        }
    }

    @Test func oversizedRequestIsRefused() async throws {
        let path = Self.socketPath()
        let server = try Self.echoServer(path)
        try await Self.serving(server) {
            let flood = [UInt8](repeating: UInt8(ascii: "a"), count: ControlProtocol.maximumRequestBytes + 10_000)
            let reply = try await Self.rawReply(flood, to: path)
            #expect(reply["ok"]?.bool == false)
            #expect(reply["error"]?.string?.contains("longer than") == true)
            let next = try await ControlClient.request(["cmd": "x"], socket: path)
            #expect(next["ok"]?.bool == true, "the server stays up")
        }
    }

    @Test func manyClientsAtOnce() async throws {
        let path = Self.socketPath()
        let server = try Self.echoServer(path)
        let replies = try await Self.serving(server) {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        let reply = try await ControlClient.request(["cmd": "n", "n": .number(Double(index))],
                                                                    socket: path)
                        return reply["echo"]?["n"]?.number == Double(index)
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
        }
        #expect(replies.count == 40)
        #expect(replies.allSatisfy { $0 })
    }

    @Test func stoppingWithConnectionsOpenAndWaitingClosesThemAndReturns() async throws {
        let path = Self.socketPath()
        let server = try Self.echoServer(path)
        let task = Task { try await server.run() }
        // Clients that connect and say nothing, some served and some still in the backlog when the server stops.
        let clients = (0..<30).map { _ in RawClient(path, patience: 5) }
        let handles = clients.map(\.handle)
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        _ = await task.result
        #expect(!FileManager.default.fileExists(atPath: path))
        // Every connection was closed by the server: a read sees the end (or a reset), never a hang.
        let ended = await withCheckedContinuation { (continuation: CheckedContinuation<Int, Never>) in
            Thread {
                var count = 0
                for handle in handles {
                    var byte: UInt8 = 0
                    let result = read(handle, &byte, 1)
                    if result == 0 || (result < 0 && errno == ECONNRESET) { count += 1 }
                }
                continuation.resume(returning: count)
            }.start()
        }
        #expect(ended == handles.count)
        withExtendedLifetime(clients) {}
    }

    @Test func clientSaysWhenTheDaemonIsNotRunning() async {
        await #expect { try await ControlClient.request(["cmd": "status"], socket: "/tmp/nonexistent-\(UUID()).sock") }
            throws: { ($0 as? ControlError)?.code == .notRunning }
        // A socket file with nothing listening behind it (a daemon that died): refused, also "not running".
        let path = Self.socketPath()
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        await #expect { try await ControlClient.request(["cmd": "status"], socket: path) } throws: {
            ($0 as? ControlError)?.code == .notRunning
        }
        unlink(path)
    }

    @Test func secondServerOnALiveSocketIsRefusedAndAStaleOneReplaced() async throws {
        let path = Self.socketPath()
        let server = try Self.echoServer(path)
        try await Self.serving(server) {
            #expect { try ControlServer(path: path) { _, _ in .null } } throws: {
                ($0 as? ControlError)?.code == .alreadyRunning
            }
        }
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        let replacement = try Self.echoServer(path)
        try await Self.serving(replacement) {
            let reply = try await ControlClient.request(["cmd": "x"], socket: path)
            #expect(reply["ok"]?.bool == true)
        }
    }

    @Test func failuresNameTheirCauseWithItsErrno() throws {
        // A folder that does not exist: bind fails, and the message carries bind's own errno (not close()'s).
        let missing = "/nonexistent-\(UUID().uuidString.prefix(8))/control.sock"
        #expect { try ControlServer(path: missing) { _, _ in .null } } throws: { error in
            guard let error = error as? ControlError else { return false }
            return error.code == .io && error.message.contains("cannot bind") && error.message.contains("No such file")
        }
        // A group that does not exist is named, and the socket file is not left behind.
        let path = Self.socketPath()
        #expect { try ControlServer(path: path, group: "cs-no-such-group") { _, _ in .null } } throws: { error in
            (error as? ControlError)?.message.contains("cs-no-such-group") == true
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        // A path longer than sockaddr_un holds.
        let long = "/tmp/" + String(repeating: "x", count: 120) + ".sock"
        #expect { try ControlServer(path: long) { _, _ in .null } } throws: {
            ($0 as? ControlError)?.message.contains("too long") == true
        }
    }

    @Test func aGroupTheDaemonDoesNotBelongToIsRefusedWithChownsErrno() throws {
        // Only meaningful for a user who may not give files away: root may chown to any group.
        guard getuid() != 0 else { return }
        let path = Self.socketPath()
        #expect { try ControlServer(path: path, group: "root") { _, _ in .null } } throws: {
            ($0 as? ControlError)?.code == .permissionDenied
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func theGroupIsGivenToTheSocket() async throws {
        let path = Self.socketPath()
        guard let group = getgrgid(getgid()).map({ String(cString: $0.pointee.gr_name) }) else { return }
        let server = try ControlServer(path: path, group: group) { _, _ in .null }
        try await Self.serving(server) {
            let owner = try FileManager.default.attributesOfItem(atPath: path)[.groupOwnerAccountID] as? Int
            #expect(owner == Int(getgid()))
        }
    }
}
