import ArgumentParser

/// Minimal root command for the `chain` branch; the lead replaces this file at merge with the real root.
@main
struct CoinSentryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coinsentry",
        abstract: "Offline work for CoinSentry.",
        subcommands: [ChainCommand.self, TestbedCommand.self])
}
