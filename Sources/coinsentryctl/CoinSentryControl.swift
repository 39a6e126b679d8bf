import ArgumentParser
import Control
import Foundation

/// `coinsentryctl`: the administrator's view into a running `coinsentryd`, over its control socket.
@main
struct CoinSentryControl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coinsentryctl",
        abstract: "Ask a running coinsentryd: hosts, verdicts, alerts, counters; reload, pause, resume; inline blocks; labels.",
        discussion: """
            Talks to the daemon's control socket (/run/coinsentry/control.sock by default; its group, coinsentry, \
            may use it). Human tables by default; --json prints the daemon's reply as one JSON object for scripts.

            Examples:
              coinsentryctl status
              coinsentryctl hosts --top 10
              coinsentryctl host 10.0.0.5
              coinsentryctl alerts --since 2026-11-23T00:00:00Z --json | jq '.alerts[].host'
              coinsentryctl block 10.0.0.5          (inline mode: drop its pool traffic; --all for everything)
              coinsentryctl unblock 10.0.0.5; coinsentryctl allowlist
              coinsentryctl label 10.0.0.5 mining --note "xmrig in /tmp"   (fleet learning's local labels)
              coinsentryctl fleet status            (reads the fleet state file; no daemon asked)
            """,
        version: CoinSentryVersion.current,
        subcommands: [Status.self, Hosts.self, Host.self, Alerts.self, Ack.self, Close.self, Benign.self, Label.self,
                      Stats.self, Model.self, Reload.self, Pause.self, Resume.self, Block.self, Unblock.self,
                      Allow.self, Disallow.self, Allowlist.self, Chain.self, Fleet.self]
    )
}
