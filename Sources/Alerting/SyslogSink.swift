import Foundation

/// Sends alerts as RFC 5424 messages (``SyslogMessage``) to the local syslog socket or a remote collector.
///
/// The sink owns a bounded queue and a sender thread: ``deliver(_:)`` only formats and queues, so a slow or absent
/// collector never blocks the caller. The thread connects, sends one message at a time, and on a failure closes the
/// socket, keeps the message at the head of the queue and retries after an exponential backoff (doubling from
/// ``Configuration/initialBackoff`` up to ``Configuration/maximumBackoff``, reset by a successful connect). When the
/// queue is full a new record is dropped and counted. A plain blocking socket on a dedicated thread keeps the
/// reconnect logic a straight loop and keeps blocking calls off Swift's cooperative threads.
///
/// Framing: one message per datagram on the unix socket and UDP; octet counting (RFC 6587 §3.4.1) on TCP.
///
/// Call ``shutdown(within:)`` when done: the sender thread keeps the sink alive until then.
public final class SyslogSink: AlertSink, @unchecked Sendable {
    // @unchecked Sendable: `queue`, `state` and `waiters` are guarded by `condition`; the socket is the thread's own.

    /// Where messages go.
    public enum Transport: Hashable, Sendable, CustomStringConvertible {
        /// A local unix datagram socket, `/dev/log` normally.
        case unix(path: String)
        /// A remote collector over UDP (one message per datagram; messages beyond the path MTU may be fragmented).
        case udp(host: String, port: UInt16)
        /// A remote collector over TCP with octet-counted framing.
        case tcp(host: String, port: UInt16)

        /// The local syslog socket.
        public static let local = Transport.unix(path: "/dev/log")

        /// A transport from its configuration form: `unix:PATH` (an absolute path), `udp:HOST:PORT` or
        /// `tcp:HOST:PORT`, the host a name, an IPv4 address or an IPv6 address in brackets (`tcp:[2001:db8::1]:6514`).
        public init?(target: String) {
            if target.hasPrefix("unix:/") {
                self = .unix(path: String(target.dropFirst("unix:".count)))
                return
            }
            let scheme = target.prefix(4)
            guard scheme == "udp:" || scheme == "tcp:" else { return nil }
            let rest = target.dropFirst(4)
            guard let colon = rest.lastIndex(of: ":"), let port = UInt16(rest[rest.index(after: colon)...]), port > 0
            else { return nil }
            var host = rest[..<colon]
            if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
            guard !host.isEmpty else { return nil }
            self = scheme == "udp:" ? .udp(host: String(host), port: port) : .tcp(host: String(host), port: port)
        }

        public var description: String {
            switch self {
            case .unix(let path): "unix \(path)"
            case .udp(let host, let port): "udp \(host):\(port)"
            case .tcp(let host, let port): "tcp \(host):\(port)"
            }
        }
    }

    /// Settings of one syslog sink.
    public struct Configuration: Sendable {
        /// Where messages go.
        public var transport: Transport
        /// Facility, host name, app name and SD-ID of the messages.
        public var message: SyslogMessage
        /// How many messages may wait for the collector; more are dropped and counted.
        public var capacity: Int
        /// The first wait after a failed connect or send.
        public var initialBackoff: Duration
        /// The longest wait between attempts.
        public var maximumBackoff: Duration
        /// How long a connect or a send may block.
        public var ioTimeout: Duration

        /// Creates settings; the defaults suit a collector on the local network.
        public init(transport: Transport, message: SyslogMessage = SyslogMessage(), capacity: Int = 1024,
                    initialBackoff: Duration = .milliseconds(100), maximumBackoff: Duration = .seconds(30),
                    ioTimeout: Duration = .seconds(5)) {
            self.transport = transport
            self.message = message
            self.capacity = capacity
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
            self.ioTimeout = ioTimeout
        }
    }

    /// A snapshot of the sender's state, for statistics.
    public struct Status: Sendable {
        /// Messages waiting to be sent.
        public var queued: Int
        /// True while a connection (or connected datagram socket) is up.
        public var connected: Bool
        /// The last connect or send failure, until the next success.
        public var lastError: AlertingError?
    }

    /// A formatted message and what to call once it is sent or dropped for good.
    private struct Queued {
        var bytes: [UInt8]
        var settled: (@Sendable () -> Void)?
    }

    private struct State {
        var queue: [Queued] = []
        var connected = false
        var lastError: AlertingError?
        /// Set by ``SyslogSink/shutdown(within:)``: send what can be sent until then, drop the rest.
        var drainDeadline: ContinuousClock.Instant?
        var finished = false
    }

    public let name: String
    public let counters = SinkCounters()
    /// The sink's settings.
    public let configuration: Configuration
    private let condition = NSCondition()
    private var state = State()
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Creates the sink and starts its sender thread; the first connect happens when the first record arrives.
    /// - Throws: ``AlertingError/Code/invalidArgument`` for a capacity below 1 or a backoff that is not positive.
    public init(_ configuration: Configuration) throws(AlertingError) {
        guard configuration.capacity >= 1 else {
            throw AlertingError(.invalidArgument, "syslog queue capacity must be at least 1")
        }
        guard configuration.initialBackoff > .zero, configuration.maximumBackoff >= configuration.initialBackoff else {
            throw AlertingError(.invalidArgument, "syslog backoff must be positive, maximum at least the initial one")
        }
        self.configuration = configuration
        self.name = "syslog \(configuration.transport)"
        let thread = Thread { [self] in run() }
        thread.name = "coinsentry-syslog"
        thread.start()
    }

    /// Formats and queues a record; when the queue is full the record is dropped and counted.
    /// - Throws: ``AlertingError/Code/closed`` after ``shutdown(within:)``.
    public func deliver(_ record: AlertRecord) async throws(AlertingError) {
        try enqueue(Queued(bytes: format(record), settled: nil))
    }

    /// Formats and queues a record; `settled` is called once it has been sent, or dropped at a full queue. A record
    /// still queued when the sink shuts down is counted as dropped but not settled: the daemon sends it again when it
    /// next starts.
    public func deliver(_ record: AlertRecord, id: Int64?, settled: @escaping @Sendable () -> Void)
        async throws(AlertingError) {
        try enqueue(Queued(bytes: format(record), settled: settled))
    }

    private func format(_ record: AlertRecord) -> [UInt8] {
        let text = configuration.message.format(record)
        return switch configuration.transport {
        case .tcp: SyslogMessage.octetCounted(text)
        case .unix, .udp: Array(text.utf8)
        }
    }

    private func enqueue(_ message: Queued) throws(AlertingError) {
        condition.lock()
        guard state.drainDeadline == nil else {
            condition.unlock()
            throw AlertingError(.closed, "\(name) is shut down")
        }
        guard state.queue.count < configuration.capacity else {
            condition.unlock()
            counters.countDropped()
            message.settled?()
            return
        }
        state.queue.append(message)
        condition.signal()
        condition.unlock()
    }

    /// The sender's state now.
    public var status: Status {
        condition.lock()
        defer { condition.unlock() }
        return Status(queued: state.queue.count, connected: state.connected, lastError: state.lastError)
    }

    /// Messages waiting for the collector.
    public var pending: Int { status.queued }

    /// The last connect or send failure, until the next success.
    public var transportError: AlertingError? { status.lastError }

    /// Stops taking records, sends what is queued for at most `timeout`, counts the rest as dropped, and returns once
    /// the sender thread has ended (a connect or send already under way may add up to ``Configuration/ioTimeout``).
    public func shutdown(within timeout: Duration = .seconds(2)) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if state.drainDeadline == nil { state.drainDeadline = .now + timeout }
            if state.finished {
                condition.unlock()
                continuation.resume()
                return
            }
            waiters.append(continuation)
            condition.broadcast()
            condition.unlock()
        }
    }

    // MARK: Sender thread

    private func run() {
        var socket: Socket?
        var backoff = configuration.initialBackoff
        while let message = nextMessage() {
            if let open = socket, open.peerHasClosed { socket = nil }
            do throws(AlertingError) {
                if socket == nil {
                    socket = try Socket.connect(to: endpoint, timeout: configuration.ioTimeout)
                    backoff = configuration.initialBackoff
                }
                try socket?.send(message)
                sent()
            } catch {
                socket = nil
                failed(error)
                wait(backoff)
                backoff = min(backoff * 2, configuration.maximumBackoff)
            }
        }
        finish()
    }

    private var endpoint: Socket.Endpoint {
        switch configuration.transport {
        case .unix(let path): .unixDatagram(path: path)
        case .udp(let host, let port): .udp(host: host, port: port)
        case .tcp(let host, let port): .tcp(host: host, port: port)
        }
    }

    /// The message at the head of the queue, waiting for one; nil when shut down and drained or past the deadline.
    private func nextMessage() -> [UInt8]? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let deadline = state.drainDeadline, state.queue.isEmpty || ContinuousClock.now >= deadline {
                return nil
            }
            if let first = state.queue.first { return first.bytes }
            condition.wait()
        }
    }

    private func sent() {
        condition.lock()
        let message = state.queue.removeFirst()
        state.connected = true
        state.lastError = nil
        condition.unlock()
        counters.countDelivered()
        message.settled?()
    }

    private func failed(_ error: AlertingError) {
        condition.lock()
        state.connected = false
        state.lastError = error
        condition.unlock()
    }

    /// Sleeps for `duration`, or less when a shutdown deadline comes first.
    private func wait(_ duration: Duration) {
        condition.lock()
        defer { condition.unlock() }
        let wake = ContinuousClock.now + duration
        while ContinuousClock.now < min(wake, state.drainDeadline ?? wake) {
            let remaining = min(wake, state.drainDeadline ?? wake) - ContinuousClock.now
            let seconds = Double(remaining.components.seconds) + Double(remaining.components.attoseconds) * 1e-18
            if !condition.wait(until: Date(timeIntervalSinceNow: seconds)) { break }
        }
    }

    private func finish() {
        condition.lock()
        let abandoned = state.queue.count
        state.queue.removeAll()
        state.connected = false
        state.finished = true
        let resumed = waiters
        waiters.removeAll()
        condition.unlock()
        if abandoned > 0 { counters.countDropped(UInt64(abandoned)) }
        for waiter in resumed { waiter.resume() }
    }
}
