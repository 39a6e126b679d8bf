import ArgumentParser
import BitcoinData
import ChainAnalysis
import Foundation

/// `coinsentry chain survey`: what the classifier makes of every address of one raw block, without a store.
struct ChainSurveyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "survey",
        abstract: "Classify every address of one raw block and summarise the outcomes, confidences and caveats.",
        discussion: """
            For data with no labels and no history at hand, such as a single real mainnet block: the block's \
            transactions are decoded up to the first one that does not decode, inputs spending earlier \
            transactions of the block are resolved and other standard P2PKH inputs are listed under their key's \
            address with no value, and each address is classified from what this block alone shows:
              coinsentry chain survey --raw-block block413567.raw --model m.json
            """)

    @Option(name: .customLong("raw-block"), help: "A block as serialised on the wire (no magic, no length).")
    var rawBlock: String

    @Option(help: "Model file written by 'coinsentry chain train'.")
    var model: String

    @Option(help: "Network of the block: mainnet, testnet, signet or regtest.")
    var network: String = "mainnet"

    @Option(help: "Height of the block (only recorded in its flows).")
    var height = 0

    @Flag(help: "Print the survey and every address's result as JSON.")
    var json = false

    struct Report: Encodable {
        var block: String
        var declaredTransactions: Int
        var decodedTransactions: Int
        var stoppedBy: String?
        var survey: ClassificationSurvey
        var results: [AddressClassifier.Result]
    }

    func run() throws {
        guard let network = BitcoinNetwork(name: network) else { throw ValidationError("unknown network \(network)") }
        let classifier = try AddressClassifier.load(path: model)
        guard let data = FileManager.default.contents(atPath: rawBlock) else {
            throw ValidationError("cannot read the block \(rawBlock)")
        }
        let block = try BlockFlows(bytes: [UInt8](data), height: height, network: network)
        var index = AddressFeatureIndex()
        for flow in block.flows { index.apply(flow) }
        let results = classifier.classify(index.accumulators.keys.sorted(), index: &index)
        let report = Report(block: block.header.hash.hex, declaredTransactions: block.declaredTransactions,
                            decodedTransactions: block.flows.count, stoppedBy: block.stoppedBy.map { "transaction \(block.flows.count): \($0)" },
                            survey: ClassificationSurvey(results), results: results)
        if json { return try printJSON(report) }
        print("block \(report.block): \(report.decodedTransactions) of \(report.declaredTransactions) transactions "
              + "decoded" + (report.stoppedBy.map { "; stopped at \($0)" } ?? ""))
        print(report.survey.report)
    }
}
