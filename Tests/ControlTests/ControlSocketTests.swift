import Control
import Foundation
import Testing

@Suite struct ControlSocketTests {
    static func socketPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("cs-\(UUID().uuidString.prefix(8)).sock").path
    }

    static func echoServer(_ path: String) throws -> ControlServer {
        let server = try ControlServer(path: path) { request, peer in
            ControlProtocol.ok(["echo": request, "uid": .number(Double(peer.uid)), "pid": .number(Double(peer.pid))])
        }
        server.start()
        return server
    }

    @Test func replyCarriesThePeersCredentials() throws {
        let path = Self.socketPath()
        let server = try Self.echoServer(path)
        defer { server.stop() }
        let reply = try ControlClient.request(["cmd": "status"], socket: path)
        #expect(reply["ok"]?.bool == true)
        #expect(reply["echo"]?["cmd"]?.string == "status")
        #expect(reply["uid"]?.number == Double(getuid()))
        #expect(reply["pid"]?.number == Double(getpid()))
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o660)
    }

    /// Sends raw bytes on a fresh connection and returns the first reply line.
    static func raw(_ bytes: [UInt8], to path: String) throws -> String {
        let handle = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(handle) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(handle, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(connected == 0)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(handle, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { break }
            offset += sent
        }
        var reply = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !reply.contains(UInt8(ascii: "\n")) {
            let count = chunk.withUnsafeMutableBytes { read(handle, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            reply += chunk[0..<count]
        }
        return String(decoding: reply.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    }

    @Test func badJSONGetsAnErrorAndTheServerStaysUp() throws {
        let path = Self.socketPath()
        let server = try Self.echoServer(path)
        defer { server.stop() }
        let reply = try JSONValue.parse(Data(try Self.raw(Array("{not json\n".utf8), to: path).utf8))
        #expect(reply["ok"]?.bool == false)
        #expect(reply["error"]?.string?.contains("JSON") == true)
        let array = try JSONValue.parse(Data(try Self.raw(Array("[1,2]\n".utf8), to: path).utf8))
        #expect(array["ok"]?.bool == false)
        #expect(try ControlClient.request(["cmd": "x"], socket: path)["ok"]?.bool == true)
    }

    @Test func oversizedRequestIsRefused() throws {
        let path = Self.socketPath()
        let server = try Self.echoServer(path)
        defer { server.stop() }
        let flood = [UInt8](repeating: UInt8(ascii: "a"), count: ControlProtocol.maximumRequestBytes + 10_000)
        let reply = try JSONValue.parse(Data(try Self.raw(flood, to: path).utf8))
        #expect(reply["ok"]?.bool == false)
        #expect(reply["error"]?.string?.contains("longer than") == true)
        #expect(try ControlClient.request(["cmd": "x"], socket: path)["ok"]?.bool == true)
    }

    @Test func manyClientsAtOnce() async throws {
        let path = Self.socketPath()
        let server = try Self.echoServer(path)
        defer { server.stop() }
        let replies = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<40 {
                group.addTask {
                    let reply = try ControlClient.request(["cmd": "n", "n": .number(Double(index))], socket: path)
                    return reply["echo"]?["n"]?.number == Double(index)
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(replies.count == 40)
        #expect(replies.allSatisfy { $0 })
    }

    @Test func clientSaysWhenTheDaemonIsNotRunning() {
        #expect { try ControlClient.request(["cmd": "status"], socket: "/tmp/nonexistent-\(UUID()).sock") } throws: {
            ($0 as? ControlError)?.code == .notRunning
        }
    }

    @Test func secondServerOnALiveSocketIsRefusedAndAStaleOneReplaced() throws {
        let path = Self.socketPath()
        let server = try Self.echoServer(path)
        #expect { try ControlServer(path: path) { _, _ in .null } } throws: { ($0 as? ControlError)?.code == .alreadyRunning }
        server.stop()
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        let replacement = try Self.echoServer(path)
        defer { replacement.stop() }
        #expect(try ControlClient.request(["cmd": "x"], socket: path)["ok"]?.bool == true)
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
    }

    @Test func theGroupIsGivenToTheSocket() throws {
        let path = Self.socketPath()
        guard let group = getgrgid(getgid()).map({ String(cString: $0.pointee.gr_name) }) else { return }
        let server = try ControlServer(path: path, group: group) { _, _ in .null }
        defer { server.stop() }
        let owner = try FileManager.default.attributesOfItem(atPath: path)[.groupOwnerAccountID] as? Int
        #expect(owner == Int(getgid()))
    }
}
