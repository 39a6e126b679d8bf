import ArgumentParser

/// `coinsentry chain ...`: Bitcoin ingestion and analysis.
struct ChainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain",
        abstract: "Bitcoin chain ingestion, address behaviour classes and transaction-graph patterns.",
        subcommands: [ChainIngestCommand.self, ChainTrainCommand.self, ChainClassifyCommand.self,
                      ChainSurveyCommand.self, ChainEvaluateCommand.self, ChainSimilarityCommand.self, ChainPatternsCommand.self,
                      ChainAddressCommand.self, ChainGraphCommand.self])
}
