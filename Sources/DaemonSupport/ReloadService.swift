import Logging
import ServiceLifecycle
import UnixSignals

/// SIGHUP: runs the daemon's reload action (coinsentryd: configuration, model, log files; coinsentry-chaind:
/// chain.toml). What fails its checks is refused and logged by that action, and the running state stays.
public struct ReloadService: Service {
    private let reload: @Sendable () async -> Void

    /// - Parameter reload: the daemon's reload action, run once per SIGHUP.
    public init(reload: @escaping @Sendable () async -> Void) {
        self.reload = reload
    }

    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() { await reload() }
    }
}

/// Keeps systemd informed: a status line every few seconds and watchdog keep-alives at half the watchdog period.
public struct NotifyService: Service {
    private let notifier: SystemdNotifier
    private let status: @Sendable () -> String

    public init(notifier: SystemdNotifier, status: @escaping @Sendable () -> String) {
        self.notifier = notifier
        self.status = status
    }

    public func run() async throws {
        let period = notifier.watchdogPeriod.map { $0 / 2 } ?? .seconds(5)
        let tick = min(period, .seconds(5))
        var sinceStatus = Duration.zero
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            notifier.watchdog()
            if sinceStatus >= .seconds(5) || sinceStatus == .zero {
                notifier.status(status())
                sinceStatus = .zero
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: tick) }
            sinceStatus += tick
        }
        notifier.stopping()
    }
}
