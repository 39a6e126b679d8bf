// The one file of this module that calls libsystemd. Shared by coinsentryd and coinsentry-chaind.
import CSystemd

/// Talks to systemd through `sd_notify`: readiness, a status line, and watchdog keep-alives. Outside systemd (no
/// `NOTIFY_SOCKET`) every call does nothing.
public struct SystemdNotifier: Sendable {
    public init() {}

    /// `READY=1`: start-up is complete (coinsentryd: captures running; coinsentry-chaind: store open).
    public func ready() { notify("READY=1") }

    /// `STOPPING=1`: shutdown has begun.
    public func stopping() { notify("STOPPING=1") }

    /// `RELOADING=1` then the caller's work then `READY=1`, for SIGHUP reloads.
    public func reloading() { notify("RELOADING=1") }

    /// `STATUS=…`: the one line `systemctl status` shows.
    public func status(_ text: String) { notify("STATUS=\(text)") }

    /// `WATCHDOG=1`: the service is alive.
    public func watchdog() { notify("WATCHDOG=1") }

    /// The watchdog period systemd expects (`WatchdogSec=`), or nil when the watchdog is off
    /// (`sd_watchdog_enabled`).
    public var watchdogPeriod: Duration? {
        var microseconds: UInt64 = 0
        guard sd_watchdog_enabled(0, &microseconds) > 0, microseconds > 0 else { return nil }
        return .microseconds(Int64(microseconds))
    }

    private func notify(_ state: String) {
        _ = sd_notify(0, state)
    }
}
