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
/// A capture that ends by itself (interface removed, read error) ends the service with its error, so the daemon stops
/// and systemd restarts it; graceful shutdown stops every capture after its current interval and drains the rest.
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
        let sources = configuration.interfaces.map { CaptureSource.interface($0) }
            + (configuration.inlineQueue.map { [CaptureSource.queue($0)] } ?? [])
        return try zip(configuration.sourceNames, sources).map { name, source in
            var capture = CaptureConfiguration(source: source, localNetworks: configuration.localNetworks)
            capture.queueMaxLength = configuration.queueMaxLength
            capture.interval = configuration.interval
            capture.snapLength = configuration.snapLength
            capture.bufferSize = configuration.bufferMiB << 20
            capture.promiscuous = configuration.promiscuous
            capture.immediateMode = configuration.immediateMode
            capture.filter = configuration.filter
            capture.cpu = configuration.cpu
            capture.maxHosts = configuration.maxHosts
            capture.trackFlows = configuration.trackFlows
            capture.shapeMinimumAge = configuration.shapeMinimumAge
            capture.poolDomains = try PoolDomainList(files: configuration.poolDomainFiles)
            return (name, try CaptureSession(capture))
        }
    }

    public func run() async throws {
        let sessions = try Self.openSessions(configuration)
        for (_, session) in sessions { try session.start() }
        engine.attachPoolDomainInstaller { [logger] list in
            for (interface, session) in sessions {
                do throws(CaptureError) {
                    try session.setPoolDomains(list)
                } catch {
                    logger.error("pool domains not installed", metadata: ["interface": "\(interface)",
                                                                          "reason": "\(error.message)"])
                }
            }
        }
        if configuration.inlineQueue != nil, let queue = sessions.last?.1 {
            try queue.setPolicy(configuration.inlinePolicy)
            engine.attachQueue { [logger] rules in
                do throws(CaptureError) {
                    try queue.setRules(rules)
                } catch {
                    logger.error("inline rules not installed", metadata: ["reason": "\(error.message)"])
                }
            }
        }
        let ended = CaptureEnd(count: sessions.count)
        let stopping = Atomic<Bool>(false)
        for (interface, session) in sessions {
            let thread = Thread { [engine, logger] in
                let inline = session.configuration.source.isQueue
                while let batch = session.nextBatch(timeout: 0.5) {
                    engine.handle(batch, from: interface, statistics: session.statistics,
                                  verdicts: inline ? session.verdictStatistics : nil)
                }
                if !stopping.load(ordering: .relaxed) {
                    let reason = session.endError?.message ?? "the capture ended"
                    logger.error("capture stopped", metadata: ["interface": "\(interface)", "reason": "\(reason)"])
                    ended.finish(CaptureError(.io, "capture on \(interface) stopped: \(reason)"))
                } else {
                    ended.finish(nil)
                }
            }
            thread.name = "cs-consume-\(interface)"
            thread.start()
        }
        logger.info("capturing", metadata: ["sources": "\(configuration.sourceNames.joined(separator: ","))",
                                            "inline_policy": "\(configuration.inlinePolicy.rawValue)"])
        onRunning()
        try await withGracefulShutdownHandler {
            try await ended.wait()
        } onGracefulShutdown: {
            stopping.store(true, ordering: .relaxed)
            for (_, session) in sessions { session.stop() }
        }
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
