@testable import Alerting
import Foundation
import SystemCalls
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Each failure of the syslog sink's socket and the JSON sink's file names its call, its errno and its target; the
/// shared `valueOrErrno` layer reads errno at once.
@Suite struct SystemCallFailureTests {
    /// The AlertingError a call threw; fails the test when it threw nothing or something else.
    func failure(_ body: () throws -> Void) -> AlertingError? {
        do {
            try body()
            Issue.record("expected a failure")
        } catch let error as AlertingError {
            return error
        } catch {
            Issue.record("expected an AlertingError, got \(error)")
        }
        return nil
    }

    @Test func valueOrErrnoReadsTheFailedCallsErrno() {
        #expect(valueOrErrno(close(-1)) == .failure(.badFileDescriptor))
        #expect(valueOrErrno(Int32(7)) == .success(7))
        var calls = 0
        let result = valueOrErrno(retryingOnInterrupt: { () -> Int32 in
            calls += 1
            if calls < 3 { errno = EINTR; return -1 }
            return 5
        })
        #expect(result == .success(5) && calls == 3, "an interrupted call is made again")
    }

    @Test func aUnixPathWithNothingBehindItIsNamedWithItsErrno() throws {
        let error = try #require(failure { _ = try Socket.connect(to: .unixDatagram(path: "/nonexistent/dev/log"), timeout: .seconds(1)) })
        #expect(error.code == .socket && error.errno == ENOENT)
        #expect(error.message.contains("connect to unix socket /nonexistent/dev/log") && error.message.contains("No such file"),
                "\(error.message)")
        let long = "/tmp/" + String(repeating: "x", count: 120)
        let tooLong = try #require(failure { _ = try Socket.connect(to: .unixDatagram(path: long), timeout: .seconds(1)) })
        #expect(tooLong.code == .invalidArgument)
    }

    @Test func aClosedTCPPortAndAnUnknownHostAreTold() throws {
        let port = try unusedTCPPort()
        let refused = try #require(failure { _ = try Socket.connect(to: .tcp(host: "127.0.0.1", port: port), timeout: .seconds(1)) })
        #expect(refused.code == .socket && refused.errno == ECONNREFUSED, "\(refused.message)")
        #expect(refused.message.contains("127.0.0.1:\(port)"))
        let unknown = try #require(failure { _ = try Socket.connect(to: .udp(host: "collector.invalid", port: 514), timeout: .seconds(1)) })
        #expect(unknown.code == .resolve && unknown.message.contains("collector.invalid"), "\(unknown.message)")
    }

    @Test func aDatagramPeerThatWentAwayRefusesTheSend() throws {
        let path = "\(try Fixtures.temporaryDirectory())/log.sock"
        let server = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        #expect(server >= 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(server, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        let client = try Socket.connect(to: .unixDatagram(path: path), timeout: .seconds(1))
        try client.send(Array("<14>hello".utf8))
        close(server)
        let error = try #require(failure { try client.send(Array("<14>again".utf8)) })
        #expect(error.code == .socket && error.errno == ECONNREFUSED, "\(error.message)")
        #expect(error.message.hasPrefix("send failed"))
    }

    @Test func theLogFileNamesItsPathAndKeepsTheModeItWasGiven() throws {
        let missing = try #require(failure { _ = try LogFile.openForAppending(path: "/nonexistent/alerts.jsonl", mode: 0o640) })
        #expect(missing.code == .file && missing.errno == ENOENT)
        #expect(missing.message.contains("open /nonexistent/alerts.jsonl failed: No such file"), "\(missing.message)")
        let path = "\(try Fixtures.temporaryDirectory())/alerts.jsonl"
        let old = umask(0o077)
        defer { umask(old) }
        let file = try LogFile.openForAppending(path: path, mode: 0o640)
        try file.append(Array("one\n".utf8))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o640, "created with exactly the mode, whatever the umask")
        chmod(path, 0o600)
        let again = try LogFile.openForAppending(path: path, mode: 0o644)
        try again.append(Array("two\n".utf8))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "one\ntwo\n")
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600,
                "an existing file keeps its mode")
    }
}
