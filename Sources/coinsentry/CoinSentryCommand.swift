import ArgumentParser

/// Minimal root command for the profiling branch; the lead's root command replaces this file at merge.
@main
struct CoinSentryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coinsentry",
        abstract: "Offline work for CoinSentry: train and evaluate the mining classifier.",
        subcommands: [TrainCommand.self, EvaluateCommand.self, CrossValidateCommand.self, SynthSparseCommand.self])
}
