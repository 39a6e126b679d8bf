/// The shape of one long-lived TCP flow of a local host, as the capture thread summarised it (see
/// docs/pool-evidence.md). A message is one TLS record where the direction speaks TLS, else one burst of segments; a
/// request is a client message, its reply the first server message within 5 s after it, a push any other server
/// message. Sizes are bytes, times seconds, deviations population standard deviations.
public struct FlowShape: Hashable, Sendable {
    /// Running statistics of one series.
    public struct Series: Hashable, Sendable {
        public var mean: Double
        public var deviation: Double
        public init(mean: Double, deviation: Double) {
            self.mean = mean
            self.deviation = deviation
        }
    }

    public var host: HostAddress
    public var remote: HostAddress
    public var remotePort: UInt16
    public var localPort: UInt16
    /// True when the local host opened the connection (the usual case for a miner).
    public var localIsClient: Bool
    public var clientSpeaksTLS: Bool
    public var serverSpeaksTLS: Bool
    /// The flow ended (FIN/RST, pushed out of the table, or the capture ended); no later summary comes.
    public var ended: Bool
    public var requests: Int
    public var replies: Int
    public var pushes: Int
    /// TLS record headers that lied or could not be read (the flow's framing was then rebuilt).
    public var badRecords: Int
    /// Seconds from the flow's first to its latest packet.
    public var age: Double
    /// The longest time without a message in either direction.
    public var maxIdle: Double
    public var pushSize: Series
    public var pushGap: Series
    public var requestSize: Series
    /// Time between successive requests (shares arrive as a Poisson process; polls and keep-alives do not).
    public var requestGap: Series
    /// Request gaps of a second or more within 20 % of the gap before them: the ticks of a clock (polls, pings,
    /// heartbeats). Shares found by hashing come as a Poisson process, whose successive gaps rarely repeat.
    public var repeatedRequestGaps: Int
    /// Pushes the client answered within a second (an ack, a fetch): chat, push and mail clients do; a miner does not
    /// answer the jobs its pool pushes.
    public var answeredPushes: Int
    /// The flow speaks an industrial control protocol, identified by its payload as nDPI and Zeek identify one: at
    /// least four clear-text segments, nine in ten of them whole PDUs of that protocol's framing (TPKT as S7comm and
    /// MMS use it, Modbus/TCP, IEC 60870-5-104, HART-IP, DNP3, EtherNet/IP, Beckhoff ADS over AMS/TCP, OPC UA
    /// binary). No mining protocol frames its messages so, so such a flow is never taken for a pool's however regular
    /// its polling.
    public var speaksControlProtocol: Bool
    public var replySize: Series
    public var replyDelay: Series
    public var clientBytes: UInt64
    public var serverBytes: UInt64
    public var clientMessages: Int
    public var serverMessages: Int
    /// The interval in which the summary was sent.
    public var interval: Int64

    public init(host: HostAddress, remote: HostAddress, remotePort: UInt16, localPort: UInt16, localIsClient: Bool,
                clientSpeaksTLS: Bool, serverSpeaksTLS: Bool, ended: Bool, requests: Int, replies: Int, pushes: Int,
                badRecords: Int, age: Double, maxIdle: Double, pushSize: Series, pushGap: Series, requestSize: Series,
                requestGap: Series, replySize: Series, replyDelay: Series, clientBytes: UInt64, serverBytes: UInt64, clientMessages: Int,
                serverMessages: Int, interval: Int64, repeatedRequestGaps: Int = 0,
                answeredPushes: Int = 0, speaksControlProtocol: Bool = false) {
        self.host = host
        self.remote = remote
        self.remotePort = remotePort
        self.localPort = localPort
        self.localIsClient = localIsClient
        self.clientSpeaksTLS = clientSpeaksTLS
        self.serverSpeaksTLS = serverSpeaksTLS
        self.ended = ended
        self.requests = requests
        self.replies = replies
        self.pushes = pushes
        self.badRecords = badRecords
        self.age = age
        self.maxIdle = maxIdle
        self.pushSize = pushSize
        self.pushGap = pushGap
        self.requestSize = requestSize
        self.requestGap = requestGap
        self.repeatedRequestGaps = repeatedRequestGaps
        self.answeredPushes = answeredPushes
        self.speaksControlProtocol = speaksControlProtocol
        self.replySize = replySize
        self.replyDelay = replyDelay
        self.clientBytes = clientBytes
        self.serverBytes = serverBytes
        self.clientMessages = clientMessages
        self.serverMessages = serverMessages
        self.interval = interval
    }

    /// `IP:PORT` of the remote end.
    public var remoteDescription: String {
        RemoteEndpoint(address: remote, port: remotePort, transport: 6, bytes: 0).description
    }

    /// Identifies the flow: later summaries of the same flow replace earlier ones.
    public var flowKey: FlowKey { FlowKey(host: host, remote: remote, remotePort: remotePort, localPort: localPort) }

    public struct FlowKey: Hashable, Sendable {
        public var host: HostAddress
        public var remote: HostAddress
        public var remotePort: UInt16
        public var localPort: UInt16
    }
}
