import ArgumentParser
import ChainAnalysis
import ChainSidecar
import ChainStore
import Control
import Foundation

/// `coinsentry chain address`: one address from a chain database, without the sidecar.
struct ChainAddressCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "address",
        abstract: "One address: balance and transactions, behaviour class, cluster, patterns and features.",
        discussion: """
            Reads the chain database directly and prints what 'coinsentryctl chain address' asks the sidecar for, \
            in the same form (--json: the same reply object). Pay-to-pubkey outputs are found under their key's \
            P2PKH address and bare multisig outputs under each key's; the balance counts every unspent output \
            listed under the address whole, so the balances of a multisig output's keys are not to be summed. \
            The class needs --model; the patterns are detected over every stored block in windows of \
            --window-blocks; 'watched' is the sidecar's to know and is always 'no' here.
            """)

    @OptionGroup var database: ChainDatabaseOptions

    @Argument(help: "A Bitcoin address of the database's network.")
    var address: String

    @Option(help: "Model file written by 'coinsentry chain train', for the behaviour class.")
    var model: String?

    @Option(name: .customLong("window-blocks"), help: "Blocks per window of the pattern detection.")
    var windowBlocks = 144

    @Flag(help: "Print the reply as JSON.")
    var json = false

    func validate() throws {
        guard windowBlocks >= 1 else { throw ValidationError("--window-blocks must be at least 1") }
    }

    func run() async throws {
        let classifier = try model.map { try AddressClassifier.load(path: $0) }
        var (store, index) = try await database.open()
        var patterns = [RecurringPatternDetector.Pattern]()
        if let tip = try await store.tip(), let lowest = try await store.lowestHeight() {
            var options = RecurringPatternDetector.Options()
            options.windowBlocks = windowBlocks
            patterns = try await RecurringPatternDetector(options: options).detect(store: store,
                                                                                   heights: lowest...tip.height)
        }
        let history = try await store.addressHistory(address)
        guard let report = AddressReport.make(address: address, history: history, index: &index,
                                              classifier: classifier, patterns: patterns, watched: false) else {
            throw ValidationError("\(address) is not in the chain database")
        }
        if json { return try printJSON(report) }
        print(report.text)
    }
}
