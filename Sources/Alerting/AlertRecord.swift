import Foundation

/// One alert, in the one schema every sink receives (journald, syslog, JSON lines, the alert store, the control
/// socket): when, which sensor, which host, what was decided, on what evidence, and what was done about it.
public struct AlertRecord: Codable, Hashable, Sendable {
    /// What happened.
    public enum Event: String, Codable, Hashable, Sendable, CaseIterable {
        /// A host's verdict turned *mining* (confirmed by protocol or pool evidence), or a *suspect* host's rose to it.
        case mining
        /// A host's verdict turned *suspect*: the statistical vote alone or one weak piece of evidence.
        case suspect
        /// A host's episode ended: no rule held for the whole hold period (or the host went away).
        case cleared
        /// A host is still *mining* (or *suspect*) after the reminder period.
        case reminder
        /// An operator (or the block policy) started dropping a host's mining flows.
        case blocked
        /// Dropping stopped.
        case unblocked
        /// A watched Bitcoin address was active or changed behaviour class (the chain sidecar).
        case watchlist
        /// An operator changed the sensor's state: pause, resume, reload (`verdict` names the action, `requested_by`
        /// the operator, `reason` what changed or why it was refused).
        case audit
        /// A fleet learning participant refused a round's global model: it did worse on the participant's held-back
        /// data than the model in use, by more than the margin (`coinsentry fleet install`; `host` is `-`, `verdict`
        /// `refused`, `model` the refused model, `score` its score, `windows` the held-back examples, `reason` the
        /// round and the figures, one `fleet` evidence piece naming the federation with the score of the model in
        /// use).
        case fleetRefused = "fleet-refused"
    }

    /// How sure the verdict behind the record is: *mining* rests on protocol or pool evidence an operator can act on;
    /// *suspect* is the statistical vote or one weak piece, worth a look. The same names as the sensor's verdict
    /// levels (`VerdictFusion.Level`).
    public enum Level: String, Codable, Hashable, Sendable, CaseIterable {
        case suspect
        case mining
    }

    /// A piece of evidence behind a verdict.
    public struct Evidence: Codable, Hashable, Sendable {
        /// `statistics` (the vote), `stratum`, `pool-shape`, `pool-name`, `rule` (which fusion rule decided, in
        /// `name`), `remote` (a busy remote endpoint) or `blocked` (an endpoint a block drops; no `remote` = all
        /// traffic).
        public var kind: String
        /// `IP:PORT` of the remote endpoint involved, when there is one.
        public var remote: String?
        /// Protocol dialect (`stratum`, `monero`, `eth-getwork`) for stratum evidence.
        public var dialect: String?
        /// Worker or login name seen in clear.
        public var worker: String?
        /// `miner` or `pool`: the local host's side of a stratum session.
        public var role: String?
        /// A pool name (DNS or TLS SNI), or the fusion rule's name for `rule`.
        public var name: String?
        /// Where a pool name was seen: `dns` or `sni`.
        public var source: String?
        /// Strength of this evidence, 0 to 1, where it has one.
        public var score: Double?
        /// Bytes exchanged with `remote`, for `remote` evidence.
        public var bytes: UInt64?
        /// Seconds the host's connection to `remote` has lived, for a pool name tied to one.
        public var seconds: Double?

        public init(kind: String, remote: String? = nil, dialect: String? = nil, worker: String? = nil,
                    role: String? = nil, name: String? = nil, source: String? = nil, score: Double? = nil,
                    bytes: UInt64? = nil, seconds: Double? = nil) {
            self.seconds = seconds
            self.kind = kind
            self.remote = remote
            self.dialect = dialect
            self.worker = worker
            self.role = role
            self.name = name
            self.source = source
            self.score = score
            self.bytes = bytes
        }
    }

    /// When the decision was made.
    public var time: Date
    /// The sensor's configured identity.
    public var sensor: String
    public var event: Event
    /// The level of the episode the record belongs to; nil for records outside the verdict path (`watchlist`).
    public var level: Level?
    /// The verdict rule that decided (`stratum`, `pool-name-connection`, `strong-evidence`,
    /// `strong-evidence-and-vote`, `evidence`, `vote`), when one did.
    public var rule: String?
    /// Why an episode ended, for `cleared` (`host-quiet`, `evidence-expired`, `vote-fell`, `closed-by-operator`, ...).
    public var reason: String?
    /// The local host (IP address), for `watchlist` the Bitcoin address, for `audit` and `fleet-refused` the sensor
    /// itself (`-`).
    public var host: String
    /// The verdict after the event: `mining`, `clear` or a behaviour class.
    public var verdict: String
    /// The vote's share of *mining* window decisions (0 to 1), or a classifier confidence.
    public var score: Double
    /// How many window decisions the vote is over.
    public var windows: Int
    /// Identity of the model that decided (its file's id).
    public var model: String
    public var evidence: [Evidence]
    /// What the sensor did: `none`, `dropped` (inline block), `allowlisted`.
    public var action: String
    /// Who asked, for operator actions: `uid=… pid=…` of the control-socket peer.
    public var requestedBy: String?

    public init(time: Date, sensor: String, event: Event, host: String, verdict: String, score: Double,
                windows: Int, model: String, evidence: [Evidence] = [], action: String = "none",
                requestedBy: String? = nil, level: Level? = nil, rule: String? = nil, reason: String? = nil) {
        self.time = time
        self.sensor = sensor
        self.event = event
        self.level = level
        self.rule = rule
        self.reason = reason
        self.host = host
        self.verdict = verdict
        self.score = score
        self.windows = windows
        self.model = model
        self.evidence = evidence
        self.action = action
        self.requestedBy = requestedBy
    }

    enum CodingKeys: String, CodingKey {
        case time, sensor, event, level, rule, reason, host, verdict, score, windows, model, evidence, action
        case requestedBy = "requested_by"
    }
}
