import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// One HTTP/1.1 POST on its own connection (`Connection: close`), over SwiftNIO: what a JSON-RPC call to a Bitcoin
/// node needs, without URLSession (whose libcurl and some forty libraries every `coinsentry` start would load).
struct HTTPPost: Sendable {
    /// The reply: status code and body.
    struct Reply: Sendable {
        var status: Int
        var body: [UInt8]
    }

    /// Why a POST failed before a reply came.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let url: URL
    let timeout: TimeInterval

    /// Connects, sends `body` with `headers` (plus Host, Content-Length and Connection), reads the whole reply; the
    /// connection is closed when `timeout` seconds have passed since it was opened.
    func send(headers: [(String, String)], body: [UInt8]) async throws -> Reply {
        guard url.scheme?.lowercased() == "http", let host = url.host, !host.isEmpty else {
            throw Failure(description: "only http:// URLs are supported (a node's RPC speaks plain HTTP; reach a remote "
                          + "node through an SSH tunnel or stunnel)")
        }
        let port = url.port ?? 80
        let path = url.path.isEmpty ? "/" : url.path
        let milliseconds = Int64(max(0.001, timeout) * 1000)
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.milliseconds(milliseconds))
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                            wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw Failure(description: "cannot connect to \(host):\(port): \(error)")
        }
        let deadline = channel.channel.eventLoop.scheduleTask(in: .milliseconds(milliseconds)) {
            channel.channel.close(promise: nil)
        }
        defer { deadline.cancel() }

        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: path)
        head.headers.add(name: "Host", value: url.port.map { "\(host):\($0)" } ?? host)
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        head.headers.add(name: "Content-Length", value: String(body.count))
        head.headers.add(name: "Connection", value: "close")
        return try await channel.executeThenClose { inbound, outbound in
            // One write, one flush: a server that answers and closes as soon as it has the body (Python's
            // http.server does) must not find a part of the request still queued.
            do {
                try await outbound.write(contentsOf: [.head(head), .body(.byteBuffer(ByteBuffer(bytes: body))),
                                                      .end(nil)])
            } catch ChannelError.ioOnClosedChannel {
                // Closed under the write: whatever reply arrived before the close is still read below.
            }
            var status: Int?
            var reply = [UInt8]()
            for try await part in inbound {
                switch part {
                case .head(let response): status = Int(response.status.code)
                case .body(var chunk): reply += chunk.readBytes(length: chunk.readableBytes) ?? []
                case .end: if let status { return Reply(status: status, body: reply) }
                }
            }
            throw Failure(description: status == nil
                ? "no reply within \(timeout) s (or the connection closed)"
                : "the reply was cut short")
        }
    }
}
