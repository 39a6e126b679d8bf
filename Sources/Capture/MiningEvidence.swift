/// A mining protocol dialect recognised in clear-text TCP payloads.
public enum MiningDialect: String, Hashable, Sendable, Codable, CaseIterable {
    /// Stratum JSON-RPC (`mining.subscribe`, `mining.authorize`, `mining.notify`, `mining.submit`, ...).
    case stratum
    /// The Monero-style dialect: `login` (with its `login` field), `job`, `submit`.
    case monero
    /// Ethereum getwork over stratum: `eth_submitLogin`, `eth_getWork`, `eth_submitWork`.
    case ethGetwork = "eth-getwork"
    /// Getwork-style JSON-RPC in HTTP POST bodies: `getwork`, `getblocktemplate`, `submitblock`, `eth_getWork`,
    /// `eth_submitWork`, `eth_submitHashrate`, `eth_submitLogin`.
    case httpGetwork = "http-getwork"
}

/// Which side of a mining session a local host is on.
public enum MiningRole: String, Hashable, Sendable, Codable {
    /// The host mines: it sends the requests (subscribe, login, submit) or receives the pool's jobs.
    case miner
    /// The host is the pool a remote miner talks to.
    case pool
}

/// A mining protocol session seen on one TCP flow of a local host, reported once per flow by the capture thread.
public struct MiningEvidence: Hashable, Sendable {
    /// The local host the session belongs to.
    public var host: HostAddress
    /// The other end: the pool for a miner, the miner for a pool.
    public var remote: HostAddress
    public var remotePort: UInt16
    public var localPort: UInt16
    public var dialect: MiningDialect
    public var role: MiningRole
    /// The worker or login name from `mining.authorize`, `login` or `eth_submitLogin`, sanitised; nil when none was
    /// seen in the bytes inspected.
    public var worker: String?
    /// The interval in which the session was reported.
    public var interval: Int64

    public init(host: HostAddress, remote: HostAddress, remotePort: UInt16, localPort: UInt16, dialect: MiningDialect,
                role: MiningRole, worker: String?, interval: Int64) {
        self.host = host
        self.remote = remote
        self.remotePort = remotePort
        self.localPort = localPort
        self.dialect = dialect
        self.role = role
        self.worker = worker
        self.interval = interval
    }

    /// `IP:PORT` of the remote end, with brackets around IPv6.
    public var remoteDescription: String {
        RemoteEndpoint(address: remote, port: remotePort, transport: 6, bytes: 0).description
    }

    /// The same session for reporting: two flows to the same pool with the same worker are one piece of evidence.
    public var sessionKey: SessionKey {
        SessionKey(remote: remote, remotePort: remotePort, dialect: dialect, role: role, worker: worker)
    }

    /// What makes two reports the same evidence for a host.
    public struct SessionKey: Hashable, Sendable {
        public var remote: HostAddress
        public var remotePort: UInt16
        public var dialect: MiningDialect
        public var role: MiningRole
        public var worker: String?
    }
}
