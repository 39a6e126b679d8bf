import ArgumentParser
import BitcoinData
import ChainIngest
import ChainStore
import ChainStorePostgres
import Foundation

/// `coinsentry chain ingest`: brings a chain database up to a node's or a block directory's tip.
struct ChainIngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest blocks from Bitcoin Core block files or JSON-RPC into the chain database.",
        discussion: """
            Resumes from the last stored height; when the source's chain has reorganised, stored blocks back to the \
            last common one are rolled back first. Progress shows on standard error when it is a terminal.

            Every block is checked as a node checks it: proof of work against its target and the network's limit, \
            the link to the previous block, merkle root, witness commitment and the BIP-34 height in the coinbase. \
            The first block that fails, or the first place in the files that is not a readable record, stops the \
            run with an error naming the file, offset, height and what is wrong; the blocks before it are stored. \
            With --skip-garbage, each run of bytes skipped is reported on standard error (file, offset, reason), \
            and the exit status is non-zero when the chain read stops before the end of the files.
            """)

    @Option(name: .customLong("blocks"), help: "Directory of blk*.dat files (a node's blocks/ directory).")
    var blocksDirectory: String?

    @Option(name: .customLong("rpc"), help: "JSON-RPC URL of a Bitcoin node, e.g. http://127.0.0.1:8332/.")
    var rpcURL: String?

    @Option(help: "RPC cookie file (the node's .cookie).")
    var cookie: String?

    @Option(name: .customLong("rpc-user"), help: "RPC user name.")
    var rpcUser: String?

    @Option(name: .customLong("rpc-password"), help: "RPC password.")
    var rpcPassword: String?

    @Option(help: "Chain database (SQLite file).")
    var db: String?

    @Option(help: "PostgreSQL database instead of SQLite: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE.")
    var postgres: String?

    @Option(help: "Network of the block files: mainnet, testnet, signet or regtest (RPC asks the node).")
    var network: String = "mainnet"

    @Option(help: "Blocks per database transaction.")
    var batch: Int = 50

    @Option(name: .customLong("max-blocks"), help: "Stop after storing this many blocks.")
    var maxBlocks: Int?

    @Flag(name: .customLong("skip-garbage"),
          help: "Skip bytes that are not block records (reporting each) instead of failing.")
    var skipGarbage = false

    @Flag(help: "Print a JSON summary on standard output.")
    var json = false

    func validate() throws {
        guard (db == nil) != (postgres == nil) else { throw ValidationError("give exactly one of --db or --postgres") }
        guard (blocksDirectory == nil) != (rpcURL == nil) else {
            throw ValidationError("give exactly one of --blocks DIR or --rpc URL")
        }
        if rpcURL == nil && (cookie != nil || rpcUser != nil || rpcPassword != nil) {
            throw ValidationError("--cookie, --rpc-user and --rpc-password go with --rpc")
        }
        if cookie != nil && (rpcUser != nil || rpcPassword != nil) {
            throw ValidationError("give either --cookie or --rpc-user/--rpc-password, not both")
        }
        if (rpcUser == nil) != (rpcPassword == nil) {
            throw ValidationError("--rpc-user and --rpc-password go together")
        }
    }

    func run() async throws {
        let source: any BlockSource
        if let blocksDirectory {
            guard let network = BitcoinNetwork(name: network) else {
                throw ValidationError("unknown network '\(network)'")
            }
            printError("indexing block files in \(blocksDirectory) ...")
            let files = try BlockFileSource(reader: BlockFileReader(directory: blocksDirectory, network: network,
                                                                    garbagePolicy: skipGarbage ? .skip : .fail))
            for skipped in await files.skipped { printError(skipped.description) }
            source = files
        } else {
            guard let rpcURL, let url = URL(string: rpcURL), url.scheme != nil else {
                throw ValidationError("--rpc needs a URL such as http://127.0.0.1:8332/")
            }
            let credentials: BitcoinRPCClient.Credentials
            if let cookie {
                credentials = .cookieFile(cookie)
            } else if let rpcUser, let rpcPassword {
                credentials = .userPassword(rpcUser, rpcPassword)
            } else {
                credentials = .none
            }
            source = RPCBlockSource(client: BitcoinRPCClient(url: url, credentials: credentials))
        }
        let network = try await source.network()
        let store: any ChainDatabase
        if let postgres {
            store = try await PostgresChainStore(configuration: try PostgresChainStore.configuration(url: postgres),
                                                 network: network)
        } else {
            store = try ChainStore(path: db ?? "", network: network)
        }
        let line = ProgressLine(label: "ingest")
        let summary = try await ChainIngestor(store: store, source: source, batchSize: batch)
            .run(maximumBlocks: maxBlocks) { progress in
                let rate = progress.elapsed > 0 ? Double(progress.transactions) / progress.elapsed : 0
                line.update("height \(progress.height)/\(progress.tipHeight)  blocks \(progress.blocks)  "
                            + "tx \(progress.transactions)  \(Int(rate)) tx/s")
            }
        line.finish()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            let written = summary.written
            print("stored \(written.blocks) blocks, \(written.transactions) transactions "
                  + "(\(written.inputs) inputs, \(written.outputs) outputs) in "
                  + String(format: "%.2f s, %.0f tx/s", summary.seconds, summary.transactionsPerSecond))
            if summary.rolledBackBlocks > 0 { print("rolled back \(summary.rolledBackBlocks) blocks (reorg)") }
            if written.unresolvedInputs > 0 {
                print("\(written.unresolvedInputs) inputs spend outputs from before the stored range")
            }
            print("tip: \(summary.tipHeight.map(String.init) ?? "empty")")
        }
    }
}
