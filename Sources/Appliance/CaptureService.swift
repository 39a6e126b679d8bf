import Capture
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Runs one capture thread per configured interface (and one for the netfilter queue in inline mode) and feeds its
/// records and mining protocol evidence to the `SensorEngine`, each from a consumer thread of its own (the capture
/// session's wait blocks, so it stays off the cooperative pool). The queue's session gets the configured policy and
/// the engine's verdict table.
///
/// A capture on an interface that ends by itself (the interface removed, a read error) is reopened in place, once a
/// second at first and then backing off to every 30 s, while the rest of the daemon (control socket, other
/// interfaces, alerts) keeps running: the engine is told when it stopped and when it resumed, so status, statistics
/// and metrics show the gap and the interface's windows start afresh after it. An interface whose link goes down
/// keeps its capture open and is shown down the same way until the link is back (`LinkWatch`). The netfilter queue of
/// inline mode is not reopened: its end ends the service with its error, so the daemon stops and systemd restarts it
/// (packets are accepted meanwhile by the queue's bypass). Graceful shutdown stops every capture after its current
/// interval and drains the rest.
public final class CaptureService: Service, Sendable {
    private let configuration: SensorConfiguration
    private let engine: SensorEngine
    private let logger: Logger
    private let onRunning: @Sendable () -> Void

    /// - Parameter onRunning: called once every capture thread runs (the daemon reports READY=1 then).
    public init(configuration: SensorConfiguration, engine: SensorEngine, logger: Logger,
                onRunning: @escaping @Sendable () -> Void) {
        self.configuration = configuration
        self.engine = engine
        self.logger = logger
        self.onRunning = onRunning
    }

    /// Opens every interface and the queue; throws the first failure with its advice (permissions, missing
    /// interface, a queue another program holds).
    public static func openSessions(_ configuration: SensorConfiguration) throws -> [(String, CaptureSession)] {
        try zip(configuration.sourceNames, sources(configuration)).map { name, source in
            (name, try openSession(source, configuration))
        }
    }

    /// The configured sources, in the order of `sourceNames`: the interfaces, then the queue.
    static func sources(_ configuration: SensorConfiguration) -> [CaptureSource] {
        configuration.capture.interfaces.map { CaptureSource.interface($0) }
            + (configuration.inline.queue.map { [CaptureSource.queue($0)] } ?? [])
    }

    static func openSession(_ source: CaptureSource, _ configuration: SensorConfiguration) throws -> CaptureSession {
        var capture = CaptureConfiguration(source: source, localNetworks: configuration.capture.localNetworks)
        capture.queueMaxLength = configuration.inline.queueMaxLength
        capture.interval = configuration.capture.interval
        capture.snapLength = configuration.capture.snapLength
        capture.bufferSize = configuration.capture.bufferMiB << 20
        capture.promiscuous = configuration.capture.promiscuous
        capture.immediateMode = configuration.capture.immediateMode
        capture.filter = configuration.capture.filter
        capture.cpu = configuration.capture.cpu
        capture.maxHosts = configuration.capture.maxHosts
        capture.maxFlows = configuration.capture.maxFlows
        capture.trackFlows = configuration.capture.trackFlows
        capture.shapeMinimumAge = configuration.capture.shapeMinimumAge
        capture.poolDomains = try PoolDomainList(files: configuration.capture.poolDomainFiles)
        return try CaptureSession(capture)
    }

    public func run() async throws {
        let opened = try Self.openSessions(configuration)
        for (_, session) in opened { try session.start() }
        // The session running on each source now: a reopened capture replaces its source's entry.
        let current = Mutex(Dictionary(uniqueKeysWithValues: opened.map { ($0.0, $0.1) }))
        engine.attachPoolDomainInstaller { [logger] list in
            for (interface, session) in current.withLock({ $0 }) {
                do throws(CaptureError) {
                    try session.setPoolDomains(list)
                } catch {
                    logger.error("pool domains not installed", metadata: ["interface": "\(interface)",
                                                                          "reason": "\(error.message)"])
                }
            }
        }
        if configuration.inline.queue != nil, let queue = opened.last?.1 {
            try queue.setPolicy(configuration.inline.policy)
            engine.attachQueue { [logger] rules in
                do throws(CaptureError) {
                    try queue.setRules(rules)
                } catch {
                    logger.error("inline rules not installed", metadata: ["reason": "\(error.message)"])
                }
            }
        }
        let ended = CaptureEnd(count: opened.count)
        let stopping = Atomic<Bool>(false)
        for (interface, first) in opened {
            let thread = Thread { [engine, logger, configuration] in
                var session = first
                let inline = session.configuration.source.isQueue
                while true {
                    var link = LinkWatch(interface: interface)
                    while let batch = session.nextBatch(timeout: 0.5) {
                        engine.handle(batch, from: interface, statistics: session.statistics,
                                      verdicts: inline ? session.verdictStatistics : nil)
                        if !inline { link.check(engine, logger: logger) }
                    }
                    if stopping.load(ordering: .relaxed) {
                        ended.finish(nil)
                        return
                    }
                    let reason = session.endError?.message ?? "the capture ended"
                    logger.error("capture stopped", metadata: ["interface": "\(interface)", "reason": "\(reason)"])
                    guard !inline else {
                        ended.finish(CaptureError(.io, "capture on \(interface) stopped: \(reason)"))
                        return
                    }
                    engine.captureStopped(on: interface, reason: "\(reason); reopened when the interface is back "
                                              + "(its counters start again from zero)")
                    guard let reopened = Self.reopen(session.configuration.source, configuration, stopping: stopping,
                                                     logger: logger) else {
                        ended.finish(nil)
                        return
                    }
                    session = reopened
                    // Under the lock the stop handler takes: a stop that came while reopening did not see this
                    // session, so it is stopped here (it drains and ends); a later stop sees it.
                    current.withLock { sessions in
                        sessions[interface] = reopened
                        if stopping.load(ordering: .relaxed) { reopened.stop() }
                    }
                    let gap = engine.captureResumed(on: interface)
                    logger.notice("capture resumed", metadata: ["interface": "\(interface)",
                                                                "gap_seconds": "\(Int(gap.rounded()))"])
                }
            }
            thread.name = "cs-consume-\(interface)"
            thread.start()
        }
        logger.info("capturing", metadata: ["sources": "\(configuration.sourceNames.joined(separator: ","))",
                                            "inline_policy": "\(configuration.inline.policy.rawValue)"])
        onRunning()
        try await withGracefulShutdownHandler {
            try await ended.wait()
        } onGracefulShutdown: {
            current.withLock { sessions in
                stopping.store(true, ordering: .relaxed)
                for session in sessions.values { session.stop() }
            }
        }
    }
}

extension CaptureService {
    /// Opens and starts `source` again, trying once a second at first and backing off to every 30 s; nil when the
    /// daemon is stopping. Runs on the source's consumer thread.
    static func reopen(_ source: CaptureSource, _ configuration: SensorConfiguration, stopping: borrowing Atomic<Bool>,
                       logger: Logger) -> CaptureSession? {
        var wait = 1.0
        var attempts = 0
        while !stopping.load(ordering: .relaxed) {
            var slept = 0.0
            while slept < wait, !stopping.load(ordering: .relaxed) {
                Thread.sleep(forTimeInterval: 0.2)
                slept += 0.2
            }
            guard !stopping.load(ordering: .relaxed) else { return nil }
            attempts += 1
            do {
                let session = try openSession(source, configuration)
                try session.start()
                return session
            } catch {
                // The first failures each, then one in ten: a long outage does not flood the journal.
                if attempts <= 3 || attempts % 10 == 0 {
                    logger.warning("capture not reopened yet", metadata: ["source": "\(source)",
                                                                          "attempt": "\(attempts)",
                                                                          "reason": "\(error)"])
                }
                wait = min(wait * 2, 30)
            }
        }
        return nil
    }
}

/// Counts consumer threads down; the first error (a capture that ended by itself) ends the wait at once.
private final class CaptureEnd: Sendable {
    private struct State {
        var remaining: Int
        var error: Error?
        var waiter: CheckedContinuation<Void, Error>?
    }

    private let state: Mutex<State>

    init(count: Int) { state = Mutex(State(remaining: count)) }

    func finish(_ error: Error?) {
        let waiter = state.withLock { state -> (CheckedContinuation<Void, Error>, Error?)? in
            state.remaining -= 1
            if state.error == nil { state.error = error }
            guard state.remaining == 0 || error != nil, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return (waiter, state.error)
        }
        if let (continuation, error) = waiter {
            if let error { continuation.resume(throwing: error) } else { continuation.resume() }
        }
    }

    func wait() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            let resumeNow = state.withLock { state -> (Bool, Error?) in
                if state.remaining == 0 || state.error != nil { return (true, state.error) }
                state.waiter = continuation
                return (false, nil)
            }
            if resumeNow.0 {
                if let error = resumeNow.1 { continuation.resume(throwing: error) } else { continuation.resume() }
            }
        }
    }
}

extension CaptureSource {
    /// True for a netfilter queue.
    var isQueue: Bool {
        if case .queue = self { true } else { false }
    }
}
